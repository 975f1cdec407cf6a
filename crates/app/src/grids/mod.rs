//! Use-cases about grids: list them, import boundaries from GeoJSON, export them, check how they tile.

mod check;
mod export;
mod import;

pub use check::{CommunityPieces, TilingCheck};
pub use export::GridExport;
pub use import::{GridImportOptions, GridImportReport, ImportedGrid};

use chengguan_core::geo::measure::multipolygon_area_m2;
use chengguan_store::prelude::*;
use serde::Serialize;

use crate::access::{Session, UseCase};
use crate::{App, Result};

/// A grid as listed.
#[derive(Debug, Clone, Serialize)]
pub struct GridSummary {
    /// Code, e.g. `CG-03-07`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Community name.
    pub community: String,
    /// Party branch name, if any.
    pub party_branch: Option<String>,
    /// Area in m².
    pub area_m2: f64,
    /// Boundary version (1 = never re-imported).
    pub boundary_version: i64,
}

impl App {
    /// All grids the user may see (a grid worker: their own), by code.
    #[tracing::instrument(skip_all, err)]
    pub async fn list_grids(&self, session: &Session) -> Result<Vec<GridSummary>> {
        let actor = self.authorize(Some(session), UseCase::ListGrids).await?;
        let communities = self.store.communities().await?;
        let branches = self.store.party_branches().await?;
        let grids = self.store.grids().await?;
        Ok(grids
            .into_iter()
            .filter(|g| actor.sees_grid(&g.code))
            .map(|g| GridSummary {
                community: communities
                    .iter()
                    .find(|c| c.id == g.community_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                party_branch: g
                    .party_branch_id
                    .and_then(|id| branches.iter().find(|b| b.id == id))
                    .map(|b| b.name.clone()),
                area_m2: multipolygon_area_m2(&g.boundary),
                code: g.code,
                name: g.name,
                boundary_version: g.boundary_version,
            })
            .collect())
    }
}
