//! The counts that describe a town at a glance (`chengguan status`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Counts of a town's structure, organisations, people and service points.
///
/// Maps are keyed by the stable codes of [`crate::town::OrganisationKind`], [`crate::people::Role`] and
/// [`crate::town::ServicePointKind`]; every known code is present, with 0 when there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownCensus {
    /// Communities (社区).
    pub communities: i64,
    /// Grids (网格).
    pub grids: i64,
    /// Grid party branches (网格党支部).
    pub party_branches: i64,
    /// Residential compounds (小区).
    pub compounds: i64,
    /// Buildings (楼栋).
    pub buildings: i64,
    /// Units (单元).
    pub units: i64,
    /// Households (户) over all units.
    pub households: i64,
    /// "1+X" alliances.
    pub alliances: i64,
    /// Organisations by kind code.
    pub organisations: BTreeMap<String, i64>,
    /// People by role code (a person holding a role in two places counts once for that role).
    pub people_by_role: BTreeMap<String, i64>,
    /// Service points by kind code.
    pub service_points: BTreeMap<String, i64>,
}
