use async_trait::async_trait;
use chengguan_core::access::UserAccount;
use chengguan_core::audit::{AuditDraft, AuditEntry};
use chengguan_core::census::TownCensus;
use chengguan_core::people::Person;
use chengguan_core::petitions::{Petition, PetitionEvent};
use chengguan_core::town::{Community, Grid, PartyBranch, Town, TownData};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use serde::Serialize;
use uuid::Uuid;

use crate::{DatabaseKind, Result};

/// One entry of the change feed: something others should see happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Position in the feed, increasing.
    pub seq: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Kind of row, e.g. `grid`, or `town` for a whole load.
    pub entity: String,
    /// The row, when one row changed.
    pub entity_id: Option<Uuid>,
    /// What happened: `insert`, `update`, `load`, `clear`, `import`.
    pub op: String,
    /// The row's version after the change.
    pub version: Option<i64>,
}

/// An edit of a grid's name and party branch, made against the version that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct GridEdit {
    /// The grid.
    pub id: Uuid,
    /// The version the editor read; the edit is refused if the stored version differs.
    pub expected_version: i64,
    /// New name.
    pub name: String,
    /// New party branch.
    pub party_branch_id: Option<Uuid>,
}

/// An edit of a person's details, made against the version that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonEdit {
    /// The person.
    pub id: Uuid,
    /// The version the editor read.
    pub expected_version: i64,
    /// New name.
    pub name: String,
    /// New phone.
    pub phone: String,
    /// New party membership.
    pub party_member: bool,
}

/// A new boundary (and name, community) for an existing grid, from an import.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryUpdate {
    /// The grid.
    pub grid_id: Uuid,
    /// The version read when the import was planned.
    pub expected_version: i64,
    /// Name from the file.
    pub name: String,
    /// Community from the file.
    pub community_id: Uuid,
    /// New boundary in WGS-84.
    pub boundary: MultiPolygon<f64>,
}

/// Everything one grid import writes, applied in one transaction or not at all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridImportPlan {
    /// Communities named in the file that do not exist yet.
    pub new_communities: Vec<Community>,
    /// Grids whose codes are new.
    pub new_grids: Vec<Grid>,
    /// Existing grids (matched by code) that get a new boundary.
    pub updates: Vec<BoundaryUpdate>,
}

/// What an applied grid import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GridImportSummary {
    /// Communities created.
    pub communities_created: usize,
    /// Grids created.
    pub grids_created: usize,
    /// Grids whose boundary was replaced (the old one kept in the history).
    pub grids_updated: usize,
}

/// How much a grid holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GridCounts {
    /// Residential compounds.
    pub compounds: i64,
    /// Buildings.
    pub buildings: i64,
    /// Units.
    pub units: i64,
    /// Households.
    pub households: i64,
}

/// A person serving a grid: assigned to the grid itself or to its community (e.g. the area police officer).
#[derive(Debug, Clone, PartialEq)]
pub struct GridPerson {
    /// The person.
    pub person: Person,
    /// The role held.
    pub role: chengguan_core::people::Role,
    /// The level it is held at (`Grid` or `Community`).
    pub level: chengguan_core::people::ScopeLevel,
}

/// Filters of the audit log view; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// From this time (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Only this user name.
    pub actor: Option<String>,
    /// Only actions starting with this, e.g. `person.` or `user.sign_in`.
    pub action_prefix: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// The stored audit log with its head, for verification.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditChain {
    /// Every entry, oldest first.
    pub entries: Vec<AuditEntry>,
    /// The head as recorded apart: (last sequence number, its hash).
    pub head: (i64, String),
}

/// Which petitions to list; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PetitionFilter {
    /// Only these status codes (empty: all).
    pub statuses: Vec<String>,
    /// Only these category codes (empty: all).
    pub categories: Vec<String>,
    /// Only these channel codes (empty: all).
    pub channels: Vec<String>,
    /// Only these handling levels (empty: all).
    pub levels: Vec<String>,
    /// Only this grid (a grid worker's scope).
    pub grid_code: Option<String>,
    /// Only these grids (e.g. a community's; empty: all).
    pub grid_codes: Vec<String>,
    /// Received at or after.
    pub received_from: Option<DateTime<Utc>>,
    /// Received before.
    pub received_before: Option<DateTime<Utc>>,
    /// Only those whose deadline is before this instant (with open statuses: the overdue ones).
    pub deadline_before: Option<DateTime<Utc>>,
    /// Order by deadline, soonest first (default: newest first).
    pub by_deadline: bool,
    /// Skip this many.
    pub offset: i64,
    /// At most this many.
    pub limit: i64,
}

/// A petition as analysis sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PetitionPoint {
    /// WGS-84 longitude.
    pub lon: f64,
    /// WGS-84 latitude.
    pub lat: f64,
    /// The grid it was reported in.
    pub grid_code: Option<String>,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
}

/// A step of the workflow to store: the petition as it is after the step, the version it was read at, and the
/// timeline entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionUpdate {
    /// The petition after the step (its `version` is the one read).
    pub petition: Petition,
    /// The timeline entry.
    pub event: PetitionEvent,
}

/// The town's persistence. Implemented by [`crate::SqliteStore`] and [`crate::PgStore`]; use [`crate::AnyStore`].
#[async_trait]
pub trait Store: Send + Sync {
    /// Which database this is.
    fn kind(&self) -> DatabaseKind;

    /// The latest migration applied (its timestamp number).
    async fn schema_version(&self) -> Result<i64>;

    /// The town, if the database has been initialised.
    async fn town(&self) -> Result<Option<Town>>;

    /// Initialises the database with its town. Fails with `AlreadyInitialised` if it has one.
    async fn init_town(&self, town: &Town) -> Result<()>;

    /// True when the town has any communities, grids, organisations or people.
    async fn has_town_data(&self) -> Result<bool>;

    /// Loads a whole town in one transaction and marks the town synthetic or not. With `replace`, everything
    /// loaded before is deleted first (in the same transaction); without it the database must hold no town data.
    async fn load_town_data(
        &self,
        data: &TownData,
        synthetic: bool,
        replace: bool,
        audit: &AuditDraft,
    ) -> Result<()>;

    /// The counts of the town.
    async fn census(&self) -> Result<TownCensus>;

    /// All communities, by code.
    async fn communities(&self) -> Result<Vec<Community>>;

    /// All party branches, by name.
    async fn party_branches(&self) -> Result<Vec<PartyBranch>>;

    /// All grids, by code.
    async fn grids(&self) -> Result<Vec<Grid>>;

    /// Earlier boundaries of a grid, oldest first: (boundary version, boundary, replaced at).
    async fn grid_boundary_history(
        &self,
        grid_id: Uuid,
    ) -> Result<Vec<(i64, MultiPolygon<f64>, DateTime<Utc>)>>;

    /// Applies a grid import atomically; a stale `expected_version` fails the whole import with a conflict.
    async fn apply_grid_import(
        &self,
        plan: &GridImportPlan,
        audit: &AuditDraft,
    ) -> Result<GridImportSummary>;

    /// Renames a grid or changes its party branch; returns the grid as stored.
    async fn update_grid(&self, edit: &GridEdit, audit: &AuditDraft) -> Result<Grid>;

    /// What a grid holds: compounds, buildings, units and households.
    async fn grid_counts(&self, grid_id: Uuid) -> Result<GridCounts>;

    /// The people serving a grid: its own assignments and those of its community, grid roles first.
    async fn grid_people(&self, grid_id: Uuid) -> Result<Vec<GridPerson>>;

    /// A person by identifier.
    async fn person(&self, id: Uuid) -> Result<Option<Person>>;

    /// Changes a person's details; returns the person as stored.
    async fn update_person(&self, edit: &PersonEdit, audit: &AuditDraft) -> Result<Person>;

    /// Changes after `after` (exclusive), oldest first, at most `limit`.
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>>;

    /// The sequence number of the latest change (0 when there is none): where a new watcher starts.
    async fn latest_change(&self) -> Result<i64>;

    /// How many user accounts exist (none on a new database: the first start asks for the administrator).
    async fn user_count(&self) -> Result<i64>;

    /// A user account by user name.
    async fn user_by_username(&self, username: &str) -> Result<Option<UserAccount>>;

    /// All user accounts, by user name.
    async fn users(&self) -> Result<Vec<UserAccount>>;

    /// Creates an account (a taken user name fails with `Duplicate`), audited in the same transaction.
    async fn insert_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<()>;

    /// Creates the first account, only while there is none: false (nothing written) when one exists. Atomic
    /// against a concurrent call: the check and the insert run under the audit chain's lock.
    async fn insert_first_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<bool>;

    /// Writes an account's mutable fields if its stored version is `user.version`; returns it as stored.
    async fn update_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<UserAccount>;

    /// Counts a failed sign-in atomically (from 1 again with `restart`, after a lock ran out), locking the
    /// account until `lock_until` when the count reaches `lock_after`; returns the account as stored. Audited in
    /// the same transaction.
    async fn sign_in_failed(
        &self,
        user_id: Uuid,
        restart: bool,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<UserAccount>;

    /// Clears the failure count after a successful sign-in. Audited in the same transaction.
    async fn sign_in_succeeded(&self, user_id: Uuid, audit: &AuditDraft) -> Result<()>;

    /// Appends one entry to the audit log on its own (sign-in of an unknown name, reveals, exports).
    async fn append_audit(&self, audit: &AuditDraft) -> Result<AuditEntry>;

    /// Audit entries matching `filter`, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// The whole audit log and its head, for `chengguan audit verify`.
    async fn audit_chain(&self) -> Result<AuditChain>;

    /// Stores a new petition, giving it the next number of `number.year` (`number.sequence` is ignored), with its first
    /// timeline entry and an audit entry, in one transaction; returns it as stored.
    async fn insert_petition(
        &self,
        petition: &Petition,
        event: &PetitionEvent,
        audit: &AuditDraft,
    ) -> Result<Petition>;

    /// A petition by identifier.
    async fn petition(&self, id: Uuid) -> Result<Option<Petition>>;

    /// The petition numbered `GT-{year}-{seq}` (an index lookup).
    async fn petition_by_number(&self, year: i64, seq: i64) -> Result<Option<Petition>>;

    /// Petitions matching `filter`, newest first (or by deadline).
    async fn petitions(&self, filter: &PetitionFilter) -> Result<Vec<Petition>>;

    /// How many petitions match `filter` (its offset and limit ignored).
    async fn count_petitions(&self, filter: &PetitionFilter) -> Result<i64>;

    /// The located petitions matching `filter` (its offset and limit ignored) as points for analysis: WGS-84
    /// longitude and latitude, the grid they were reported in, and when they arrived. Only these columns are read.
    async fn petition_points(&self, filter: &PetitionFilter) -> Result<Vec<PetitionPoint>>;

    /// Writes a workflow step if the stored version is still the one read (else `Conflict`, nothing written),
    /// with its timeline entry and audit entry; returns the petition as stored.
    async fn update_petition(
        &self,
        update: &PetitionUpdate,
        audit: &AuditDraft,
    ) -> Result<Petition>;

    /// A petition's timeline, oldest first.
    async fn petition_events(&self, id: Uuid) -> Result<Vec<PetitionEvent>>;
}
