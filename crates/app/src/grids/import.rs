use chengguan_core::geo::geojson::{read_feature_collection, Problem, ReadOptions};
use chengguan_core::geo::measure::multipolygon_area_m2;
use chengguan_core::geo::Crs;
use chengguan_core::town::boundaries::{grid_drafts, BoundaryProperties, GridDraft};
use chengguan_core::town::{Community, Grid};
use chengguan_store::prelude::*;
use chengguan_store::{BoundaryUpdate, GridImportPlan, GridImportSummary};
use serde::Serialize;

use super::TilingCheck;
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};
use chengguan_core::audit::AuditDraft;

/// The community that grids without one are put in.
pub const UNGROUPED_COMMUNITY: &str = "未分组";

/// How to read a boundary file.
#[derive(Debug, Clone, Default)]
pub struct GridImportOptions {
    /// The file's coordinate system.
    pub crs: Crs,
    /// Which properties hold the name, code and community.
    pub properties: BoundaryProperties,
    /// Check only; write nothing.
    pub dry_run: bool,
}

/// One grid of an import and what happens to it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedGrid {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Community name.
    pub community: String,
    /// Area in m².
    pub area_m2: f64,
    /// `create`, `update` (new boundary, name or community) or `unchanged`.
    pub action: &'static str,
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize)]
pub struct GridImportReport {
    /// The grids of the file.
    pub grids: Vec<ImportedGrid>,
    /// Repairs and doubts (e.g. clockwise rings reoriented), each naming its feature.
    pub warnings: Vec<Problem>,
    /// Overlaps, gaps and contiguity of the imported grids.
    pub tiling: TilingCheck,
    /// What was written; `None` for a dry run.
    pub written: Option<GridImportSummary>,
}

impl App {
    /// Imports grid boundaries from GeoJSON text. The whole file is checked first; if anything is wrong nothing
    /// is written and every problem is returned naming its feature. Grids are matched to existing ones by code:
    /// a changed boundary is stored as a new boundary version (the old one is kept), new codes create grids,
    /// community names that do not exist yet create communities.
    #[tracing::instrument(skip_all, err, fields(crs = ?options.crs, dry_run = options.dry_run))]
    pub async fn import_grids(
        &self,
        session: &Session,
        geojson: &str,
        options: &GridImportOptions,
    ) -> Result<GridImportReport> {
        let actor = self.authorize(Some(session), UseCase::ImportGrids).await?;
        crate::files::check_import_size("GeoJSON", geojson.len() as u64)?;
        self.require_town().await?;
        let read = ReadOptions {
            crs: options.crs,
            name_property: options.properties.name.clone(),
        };
        let collection = read_feature_collection(geojson, &read).map_err(AppError::GeoJson)?;
        let (drafts, mut warnings) =
            grid_drafts(&collection.features, &options.properties).map_err(AppError::GeoJson)?;
        if drafts.is_empty() {
            return Err(AppError::GeoJson(vec![Problem {
                feature: None,
                code: "grid.empty",
                message: "文件中没有要素".into(),
            }]));
        }
        warnings.splice(0..0, collection.warnings);
        let communities = self.store.communities().await?;
        let existing = self.store.grids().await?;
        let (plan, grids) = plan(&drafts, &communities, &existing);
        let named: Vec<_> = grids
            .iter()
            .zip(&drafts)
            .map(|(g, d)| (g.code.clone(), g.community.clone(), d.boundary.clone()))
            .collect();
        let tiling = TilingCheck::of(&named);
        let written = if options.dry_run {
            None
        } else {
            let audit = AuditDraft::new(
                &actor.username,
                "grid.import",
                "grids",
                serde_json::json!({
                    "created": plan.new_grids.iter().map(|g| &g.code).collect::<Vec<_>>(),
                    "updated": grids.iter().filter(|g| g.action == "update").map(|g| &g.code).collect::<Vec<_>>(),
                    "communities_created": plan.new_communities.iter().map(|c| &c.name).collect::<Vec<_>>(),
                }),
            );
            let applied = self.store.apply_grid_import(&plan, &audit).await?;
            self.forget_grids();
            Some(applied)
        };
        Ok(GridImportReport {
            grids,
            warnings,
            tiling,
            written,
        })
    }
}

/// Decides what to write: which communities to create, which grids to create, update or leave alone.
fn plan(
    drafts: &[GridDraft],
    communities: &[Community],
    existing: &[Grid],
) -> (GridImportPlan, Vec<ImportedGrid>) {
    let mut plan = GridImportPlan::default();
    let mut known: Vec<Community> = communities.to_vec();
    let mut report = Vec::with_capacity(drafts.len());
    for d in drafts {
        let community_name = d
            .community
            .clone()
            .unwrap_or_else(|| UNGROUPED_COMMUNITY.to_string());
        let community_id = match known.iter().find(|c| c.name == community_name) {
            Some(c) => c.id,
            None => {
                let c = Community {
                    id: chengguan_core::new_id(),
                    code: free_code(&known),
                    name: community_name.clone(),
                    version: 1,
                };
                known.push(c.clone());
                plan.new_communities.push(c.clone());
                c.id
            }
        };
        let action = match existing.iter().find(|g| g.code == d.code) {
            Some(g)
                if g.boundary == d.boundary
                    && g.name == d.name
                    && g.community_id == community_id =>
            {
                "unchanged"
            }
            Some(g) => {
                plan.updates.push(BoundaryUpdate {
                    grid_id: g.id,
                    expected_version: g.version,
                    name: d.name.clone(),
                    community_id,
                    boundary: d.boundary.clone(),
                });
                "update"
            }
            None => {
                plan.new_grids.push(Grid {
                    id: chengguan_core::new_id(),
                    community_id,
                    party_branch_id: None,
                    code: d.code.clone(),
                    name: d.name.clone(),
                    boundary: d.boundary.clone(),
                    boundary_version: 1,
                    version: 1,
                });
                "create"
            }
        };
        report.push(ImportedGrid {
            code: d.code.clone(),
            name: d.name.clone(),
            community: community_name,
            area_m2: multipolygon_area_m2(&d.boundary),
            action,
        });
    }
    (plan, report)
}

/// The first `IMP-nn` community code not in use.
fn free_code(known: &[Community]) -> String {
    (1..)
        .map(|n| format!("IMP-{n:02}"))
        .find(|code| known.iter().all(|c| &c.code != code))
        .unwrap_or_default()
}
