use chengguan_core::geo::tiling::{check_tiling, TilingReport};
use chengguan_store::prelude::*;
use geo::{MultiPolygon, Validation};
use serde::Serialize;

use crate::access::{Session, UseCase};
use crate::{App, Result};

/// Overlaps and gaps smaller than this many m² are not reported (independent digitising rarely meets exactly).
pub const TILING_TOLERANCE_M2: f64 = 1.0;

/// How a set of grids tiles the town, with the grids named.
#[derive(Debug, Clone, Serialize)]
pub struct TilingCheck {
    /// Grid codes, in the order the report's indexes refer to.
    pub codes: Vec<String>,
    /// Codes of grids whose polygon is invalid (OGC rules).
    pub invalid: Vec<String>,
    /// Overlaps, gaps and pieces of the whole set.
    pub report: TilingReport,
    /// For each community, how many separate pieces its grids form (1 = contiguous).
    pub communities: Vec<CommunityPieces>,
}

/// The contiguity of one community.
#[derive(Debug, Clone, Serialize)]
pub struct CommunityPieces {
    /// Community name.
    pub community: String,
    /// Number of grids.
    pub grids: usize,
    /// Separate pieces (1 = contiguous).
    pub pieces: usize,
}

impl TilingCheck {
    /// Checks `grids` (code, community name, boundary).
    pub fn of(grids: &[(String, String, MultiPolygon<f64>)]) -> Self {
        let shapes: Vec<_> = grids.iter().map(|(_, _, b)| b.clone()).collect();
        let report = check_tiling(&shapes, TILING_TOLERANCE_M2);
        let invalid = grids
            .iter()
            .filter(|(_, _, b)| !b.is_valid())
            .map(|(c, _, _)| c.clone())
            .collect();
        let mut names: Vec<&String> = grids.iter().map(|(_, c, _)| c).collect();
        names.sort();
        names.dedup();
        let communities = names
            .into_iter()
            .map(|name| {
                let own: Vec<_> = grids
                    .iter()
                    .filter(|(_, c, _)| c == name)
                    .map(|(_, _, b)| b.clone())
                    .collect();
                CommunityPieces {
                    community: name.clone(),
                    grids: own.len(),
                    pieces: check_tiling(&own, TILING_TOLERANCE_M2).pieces,
                }
            })
            .collect();
        Self {
            codes: grids.iter().map(|(c, _, _)| c.clone()).collect(),
            invalid,
            report,
            communities,
        }
    }

    /// True when every grid is valid, they tile one piece without overlaps or holes, and every community is
    /// contiguous.
    pub fn is_clean(&self) -> bool {
        self.invalid.is_empty()
            && self.report.is_clean_tiling()
            && self.communities.iter().all(|c| c.pieces == 1)
    }
}

impl App {
    /// Checks the stored grids: validity, overlaps, gaps, contiguity of the town and of each community.
    #[tracing::instrument(skip_all, err)]
    pub async fn check_grids(&self, session: &Session) -> Result<TilingCheck> {
        self.authorize(Some(session), UseCase::CheckGrids).await?;
        let communities = self.store.communities().await?;
        let grids = self.store.grids().await?;
        let named: Vec<_> = grids
            .into_iter()
            .map(|g| {
                let community = communities
                    .iter()
                    .find(|c| c.id == g.community_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                (g.code, community, g.boundary)
            })
            .collect();
        Ok(TilingCheck::of(&named))
    }
}
