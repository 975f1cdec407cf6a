//! # chengguan-store
//!
//! Persistence of the town, one module per aggregate: [`town`](TownStore) and [`grids`](GridStore),
//! [`people`](PeopleStore), [`users`](UserStore), [`audit`](AuditStore), [`petitions`](PetitionStore) and their
//! [bulk import](PetitionImportStore), [facts for analysis](PetitionFactsStore), [categories](CategoryStore) and
//! [limits](SlaStore), the intake's [API keys](ApiKeyStore), [sessions](SessionStore) and the [change feed](ChangeStore). Each module holds
//! its trait and its SQL.
//!
//! One store, [`AnyStore`], opened from the database URL ([`open`]) on either backend:
//! - SQLite (`sqlite://PATH`): an embedded file on one workstation (WAL, synchronous=FULL, foreign keys);
//! - PostgreSQL (`postgres://…`): the town's server; changes wake listeners with `NOTIFY chengguan_changes`.
//!
//! Both backends run the same SQL text (`$1` placeholders, `RETURNING`, `ON CONFLICT` are common to them); the
//! statement meets its backend in one place, `sql.rs`, and the few things that differ (connecting, migrations,
//! `NOTIFY`, the import's SQLite pragmas) stand side by side where they happen. Each trait is implemented once,
//! on [`AnyStore`], so a new method is written in two places: its trait and its body. The traits are object
//! safe (`async_trait`) so that a caller may hold `Arc<dyn Store>`, but the app holds the concrete store:
//! dispatch happens per statement, on the backend, where it costs nothing next to the database's own work.
//!
//! Every mutable row has a `version`: an update names the version it read and a stale one fails with
//! [`StoreError::Conflict`] without changing anything. Every change is appended to the change feed ([`Change`])
//! and every audited write to the audit chain in the same transaction.

mod api_keys;
mod audit;
mod backup;
mod categories;
mod changes;
mod db;
mod duty;
mod error;
mod grids;
mod people;
mod petition_facts;
mod petition_import;
mod petitions;
mod probe;
mod rates;
mod roster;
mod rows;
mod sessions;
mod shifts;
mod sql;
#[cfg(feature = "test-support")]
pub mod testing;
mod town;
mod url;
mod users;
mod watch;

pub use api_keys::ApiKeyStore;
pub use audit::{AuditChain, AuditFilter, AuditStore};
pub use backup::{inspect_sqlite, PgSnapshot, SqliteInspection};
pub use categories::{CategoryStore, SlaRule, SlaStore, StoredCategory};
pub use changes::{Change, ChangeStore};
pub use db::{open, AnyStore, Pool, CHANGES_CHANNEL};
pub use duty::{Activity, AllianceRoster, DutyStore, HandledPetition, UnavailableRow};
pub use error::StoreError;
pub use grids::{
    BoundaryUpdate, GridCounts, GridEdit, GridImportPlan, GridImportSummary, GridStore,
};
pub use people::{GridPerson, PeopleStore, PersonEdit};
pub use petition_facts::{HistoryEvent, PetitionFacts, PetitionFactsStore, PetitionHistory};
pub use petition_import::{NewPetitionRow, PetitionImportStore};
pub use petitions::{PetitionFilter, PetitionPoint, PetitionStore, PetitionUpdate};
pub use probe::{probe, Probe};
pub use rates::RateStore;
pub use roster::{
    BuildingOf, CommunityPlace, CompoundPlace, NamedAssignment, Places, ResidentAt, RosterStore,
};
pub use sessions::{SessionRow, SessionStore};
pub use shifts::{Handover, ShiftStore, StoredShift};
/// The database driver's error, as [`StoreError::Database`] carries it.
pub use sqlx::Error as SqlxError;
pub use town::TownStore;
pub use url::{DatabaseKind, DatabaseUrl};
pub use users::UserStore;
pub use watch::{ChangeWaker, SQLITE_POLL};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Every aggregate's storage: what the app holds.
pub trait Store:
    TownStore
    + GridStore
    + PeopleStore
    + UserStore
    + AuditStore
    + PetitionStore
    + PetitionImportStore
    + PetitionFactsStore
    + CategoryStore
    + SlaStore
    + ApiKeyStore
    + ChangeStore
    + SessionStore
    + RateStore
    + RosterStore
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: TownStore
        + GridStore
        + PeopleStore
        + UserStore
        + AuditStore
        + PetitionStore
        + PetitionImportStore
        + PetitionFactsStore
        + CategoryStore
        + SlaStore
        + ApiKeyStore
        + ChangeStore
        + SessionStore
        + RateStore
        + RosterStore
        + Send
        + Sync
{
}

/// The traits of every aggregate, for `use chengguan_store::prelude::*`.
pub mod prelude {
    pub use crate::{
        ApiKeyStore, AuditStore, CategoryStore, ChangeStore, DutyStore, GridStore, PeopleStore,
        PetitionFactsStore, PetitionImportStore, PetitionStore, RateStore, RosterStore,
        SessionStore, ShiftStore, SlaStore, Store, TownStore, UserStore,
    };
}
