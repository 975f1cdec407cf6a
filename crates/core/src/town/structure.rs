use chrono::{DateTime, Utc};
use geo::{MultiPolygon, Point};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Alliance, AllianceMember, Organisation, ServicePoint};
use crate::people::{Person, RoleAssignment};

/// The town (镇) the database describes: one per database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Town {
    /// Identifier.
    pub id: Uuid,
    /// Administrative division code, e.g. `620724100` for 高台县城关镇.
    pub code: String,
    /// Name, e.g. `城关镇`.
    pub name: String,
    /// True when the data is the synthetic demo town, which must be labelled as such wherever it is shown.
    pub synthetic: bool,
    /// When the database was initialised (UTC).
    pub created_at: DateTime<Utc>,
}

/// A community (社区) with its community party committee (大党委).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    /// Identifier.
    pub id: Uuid,
    /// Short stable code, e.g. `CG-03`.
    pub code: String,
    /// Name, e.g. `南关社区`.
    pub name: String,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A grid party branch (网格党支部); it leads one or more grids of its community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyBranch {
    /// Identifier.
    pub id: Uuid,
    /// The community whose 大党委 the branch belongs to.
    pub community_id: Uuid,
    /// Name, e.g. `南关社区第一网格党支部`.
    pub name: String,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A grid (网格): the unit of the town's grid management, a polygon in WGS-84.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Identifier.
    pub id: Uuid,
    /// The community the grid belongs to.
    pub community_id: Uuid,
    /// The grid party branch that leads it, if any.
    pub party_branch_id: Option<Uuid>,
    /// Stable code, e.g. `CG-03-07`.
    pub code: String,
    /// Name, e.g. `南关社区第7网格`.
    pub name: String,
    /// Boundary in WGS-84 longitude/latitude degrees (outer rings counter-clockwise, RFC 7946).
    pub boundary: MultiPolygon<f64>,
    /// Incremented each time the boundary changes; earlier boundaries are kept in the store's history.
    pub boundary_version: i64,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A residential compound (小区), inside one grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compound {
    /// Identifier.
    pub id: Uuid,
    /// The grid it lies in.
    pub grid_id: Uuid,
    /// Name, e.g. `滨河花园`.
    pub name: String,
    /// The property-management company (物业公司) serving it, if any.
    pub property_company_id: Option<Uuid>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A building (楼栋) of a compound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Building {
    /// Identifier.
    pub id: Uuid,
    /// The compound it belongs to.
    pub compound_id: Uuid,
    /// The grid it lies in (the compound's grid).
    pub grid_id: Uuid,
    /// Name, e.g. `3号楼`.
    pub name: String,
    /// Location in WGS-84 longitude/latitude degrees.
    pub location: Point<f64>,
    /// Number of floors above ground.
    pub floors: i32,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A unit (单元, one stairwell) of a building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Identifier.
    pub id: Uuid,
    /// The building it belongs to.
    pub building_id: Uuid,
    /// Number within the building, from 1.
    pub number: i32,
    /// Households (户) living in it.
    pub households: i32,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

impl Unit {
    /// The name shown to people, e.g. `2单元`.
    pub fn name(&self) -> String {
        format!("{}单元", self.number)
    }
}

/// Everything that describes a town's structure and people, loaded in one piece (the demo town, or a restore).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TownData {
    /// Communities.
    pub communities: Vec<Community>,
    /// Grid party branches.
    pub party_branches: Vec<PartyBranch>,
    /// Grids.
    pub grids: Vec<Grid>,
    /// Organisations (member units, owners' committees, property companies). Listed before the compounds that
    /// reference them.
    pub organisations: Vec<Organisation>,
    /// Residential compounds.
    pub compounds: Vec<Compound>,
    /// Buildings.
    pub buildings: Vec<Building>,
    /// Units.
    pub units: Vec<Unit>,
    /// The "1+X" alliances.
    pub alliances: Vec<Alliance>,
    /// Alliance membership.
    pub alliance_members: Vec<AllianceMember>,
    /// Service points.
    pub service_points: Vec<ServicePoint>,
    /// People.
    pub people: Vec<Person>,
    /// Role assignments of the people.
    pub assignments: Vec<RoleAssignment>,
}
