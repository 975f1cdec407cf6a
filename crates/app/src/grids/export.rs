use chengguan_core::geo::geojson::{write_feature_collection, OutFeature};
use chengguan_core::geo::measure::multipolygon_area_m2;
use chengguan_core::geo::Crs;
use chengguan_store::prelude::*;
use serde_json::{json, Map, Value};

use crate::access::{Session, UseCase};
use crate::{App, Result};

/// An exported FeatureCollection and what it holds.
#[derive(Debug, Clone)]
pub struct GridExport {
    /// The GeoJSON document.
    pub geojson: Value,
    /// Number of grids written.
    pub grids: usize,
    /// True when the town is the synthetic demo (the file says so too).
    pub synthetic: bool,
}

impl App {
    /// Exports every grid as a FeatureCollection in `crs` (RFC 7946 in WGS-84). Properties: `code`, `name`,
    /// `community`, `community_code`, `party_branch`, `area_m2`, `boundary_version` — the names `grids import`
    /// reads by default, so that export then import round-trips.
    #[tracing::instrument(skip_all, err)]
    pub async fn export_grids(&self, session: &Session, crs: Crs) -> Result<GridExport> {
        self.authorize(Some(session), UseCase::ExportGrids).await?;
        let town = self.require_town().await?;
        let communities = self.store.communities().await?;
        let branches = self.store.party_branches().await?;
        let grids = self.store.grids().await?;
        let features: Vec<OutFeature<'_>> = grids
            .iter()
            .map(|g| {
                let community = communities.iter().find(|c| c.id == g.community_id);
                let branch = g
                    .party_branch_id
                    .and_then(|id| branches.iter().find(|b| b.id == id));
                let mut properties = Map::new();
                properties.insert("code".into(), g.code.clone().into());
                properties.insert("name".into(), g.name.clone().into());
                properties.insert("community".into(), community.map(|c| c.name.clone()).into());
                properties.insert(
                    "community_code".into(),
                    community.map(|c| c.code.clone()).into(),
                );
                properties.insert("party_branch".into(), branch.map(|b| b.name.clone()).into());
                properties.insert(
                    "area_m2".into(),
                    json!((multipolygon_area_m2(&g.boundary) * 10.0).round() / 10.0),
                );
                properties.insert("boundary_version".into(), g.boundary_version.into());
                OutFeature {
                    properties,
                    boundary: &g.boundary,
                }
            })
            .collect();
        let mut foreign = Map::new();
        foreign.insert("name".into(), format!("{}网格边界", town.name).into());
        foreign.insert("town_code".into(), town.code.clone().into());
        if town.synthetic {
            foreign.insert("synthetic".into(), true.into());
            foreign.insert(
                "description".into(),
                "演示数据：合成的网格边界，并非真实行政边界".into(),
            );
        }
        Ok(GridExport {
            geojson: write_feature_collection(&features, crs, foreign),
            grids: grids.len(),
            synthetic: town.synthetic,
        })
    }
}
