//! The town's structure: communities, grids, party branches, compounds, buildings and units, the organisations
//! that take part in governance, the "1+X" alliances and the service points.
//!
//! Every mutable row carries a `version` (optimistic concurrency: a write names the version it read, and a stale
//! write is refused by the store).

pub mod boundaries;
mod organisation;
mod structure;

pub use organisation::{
    Alliance, AllianceMember, Organisation, OrganisationKind, ServicePoint, ServicePointKind,
};
pub use structure::{Building, Community, Compound, Grid, PartyBranch, Town, TownData, Unit};
