//! What the desktop's map shows: the grids and community outlines of the town (in the coordinate system of the
//! base map, converted at this edge only), and the detail of one grid with the people who serve it.

use chengguan_core::geo::geojson::multipolygon_to_geometry;
use chengguan_core::geo::tiling::union_of;
use chengguan_core::geo::Crs;
use chengguan_core::people::mask_phone;
use chengguan_store::prelude::*;
use geo::{BoundingRect, InteriorPoint};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The town as the map draws it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TownMap {
    /// The town's name.
    pub town_name: String,
    /// True for the synthetic demo town (the map shows 演示数据).
    pub synthetic: bool,
    /// Coordinate system of every coordinate below (`wgs84` or `gcj02`, as the base map needs).
    pub crs: String,
    /// Bounding box `[west, south, east, north]` in degrees.
    pub bounds: [f64; 4],
    /// Communities, with their outlines.
    pub communities: Vec<MapCommunity>,
    /// Grids.
    pub grids: Vec<MapGrid>,
}

/// A community on the map.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MapCommunity {
    /// Code, e.g. `CG-03`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Index into the map's palette (0-based, stable by code order).
    pub colour: u32,
    /// Outline: the union of its grids, a GeoJSON geometry.
    pub outline: serde_json::Value,
}

/// A grid on the map.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MapGrid {
    /// Code, e.g. `CG-03-07`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its community's code.
    pub community_code: String,
    /// Its community's name.
    pub community: String,
    /// Where its label goes: a point inside it, `[lon, lat]`.
    pub label_at: [f64; 2],
    /// Boundary, a GeoJSON geometry.
    pub boundary: serde_json::Value,
}

/// One grid in full, for the detail panel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GridDetail {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Community name.
    pub community: String,
    /// Party branch name.
    pub party_branch: Option<String>,
    /// Residential compounds.
    pub compounds: i64,
    /// Buildings.
    pub buildings: i64,
    /// Units.
    pub units: i64,
    /// Households.
    pub households: i64,
    /// Area in m².
    pub area_m2: f64,
    /// The grid manager (网格管理员), if any.
    pub manager: Option<PersonCard>,
    /// Everyone else serving the grid (police of its community, patrol members…).
    pub people: Vec<PersonCard>,
}

/// A person as lists show them: phone masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PersonCard {
    /// Identifier (to reveal a field, with a reason).
    pub person_id: String,
    /// True if an ID number is on record (revealable like the phone).
    pub has_id_number: bool,
    /// Name.
    pub name: String,
    /// Role code, e.g. `grid_manager`.
    pub role: String,
    /// Role in Chinese, e.g. `网格管理员`.
    pub role_label: String,
    /// Level served: `grid` or `community`.
    pub level: String,
    /// Phone, masked (`138******78`).
    pub phone: String,
}

impl App {
    /// The town's grids and community outlines, in `crs` for display over a base map of that system.
    #[tracing::instrument(skip_all, err)]
    pub async fn town_map(&self, session: &Session, crs: Crs) -> Result<TownMap> {
        let actor = self.authorize(Some(session), UseCase::TownMap).await?;
        let town = self.require_town().await?;
        let mut communities = self.store.communities().await?;
        let mut grids = self.store.grids().await?;
        // A grid worker's map holds their own grid and community only: scoped here, not in the UI.
        grids.retain(|g| actor.sees_grid(&g.code));
        communities.retain(|c| grids.iter().any(|g| g.community_id == c.id));
        let bounds = union_of(&grids.iter().map(|g| g.boundary.clone()).collect::<Vec<_>>())
            .bounding_rect()
            .map(|r| {
                let (sw, ne) = (crs.from_wgs84(r.min()), crs.from_wgs84(r.max()));
                [sw.x, sw.y, ne.x, ne.y]
            })
            .unwrap_or([0.0; 4]);
        let map_communities = communities
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let own: Vec<_> = grids
                    .iter()
                    .filter(|g| g.community_id == c.id)
                    .map(|g| g.boundary.clone())
                    .collect();
                MapCommunity {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    colour: i as u32,
                    outline: multipolygon_to_geometry(&union_of(&own), crs),
                }
            })
            .collect();
        let map_grids = grids
            .iter()
            .map(|g| {
                let community = communities.iter().find(|c| c.id == g.community_id);
                let label = g
                    .boundary
                    .interior_point()
                    .map(|p| crs.from_wgs84(p.0))
                    .unwrap_or_default();
                MapGrid {
                    code: g.code.clone(),
                    name: g.name.clone(),
                    community_code: community.map(|c| c.code.clone()).unwrap_or_default(),
                    community: community.map(|c| c.name.clone()).unwrap_or_default(),
                    label_at: [label.x, label.y],
                    boundary: multipolygon_to_geometry(&g.boundary, crs),
                }
            })
            .collect();
        Ok(TownMap {
            town_name: town.name,
            synthetic: town.synthetic,
            crs: crs.code().into(),
            bounds,
            communities: map_communities,
            grids: map_grids,
        })
    }

    /// The detail of the grid with `code`: counts, party branch, and the people serving it (phones masked).
    #[tracing::instrument(skip_all, err)]
    pub async fn grid_detail(&self, session: &Session, code: &str) -> Result<GridDetail> {
        let actor = self.authorize(Some(session), UseCase::GridDetail).await?;
        if !actor.sees_grid(code) {
            return Err(AppError::OutOfScope {
                own: actor.only_grid.unwrap_or_default(),
                asked: code.to_string(),
            });
        }
        let grids = self.store.grids().await?;
        let grid = grids
            .into_iter()
            .find(|g| g.code == code)
            .ok_or_else(|| AppError::GridNotFound(code.to_string()))?;
        let community = self
            .store
            .communities()
            .await?
            .into_iter()
            .find(|c| c.id == grid.community_id);
        let branch = match grid.party_branch_id {
            Some(id) => self
                .store
                .party_branches()
                .await?
                .into_iter()
                .find(|b| b.id == id)
                .map(|b| b.name),
            None => None,
        };
        let counts = self.store.grid_counts(grid.id).await?;
        let mut cards: Vec<PersonCard> = self
            .store
            .grid_people(grid.id)
            .await?
            .into_iter()
            .map(|p| PersonCard {
                person_id: p.person.id.to_string(),
                has_id_number: p.person.id_number.is_some(),
                name: p.person.name,
                role: p.role.code().into(),
                role_label: p.role.label().into(),
                level: p.level.code().into(),
                phone: mask_phone(&p.person.phone),
            })
            .collect();
        let manager = cards
            .iter()
            .position(|c| c.role == "grid_manager")
            .map(|i| cards.remove(i));
        Ok(GridDetail {
            code: grid.code,
            name: grid.name,
            community: community.map(|c| c.name).unwrap_or_default(),
            party_branch: branch,
            compounds: counts.compounds,
            buildings: counts.buildings,
            units: counts.units,
            households: counts.households,
            area_m2: chengguan_core::geo::measure::multipolygon_area_m2(&grid.boundary),
            manager,
            people: cards,
        })
    }
}
