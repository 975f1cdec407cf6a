//! # chengguan-store
//!
//! Persistence of the town behind one async [`Store`] trait, with two implementations chosen at run time from
//! the database URL ([`open`]):
//! - [`SqliteStore`] (`sqlite://PATH`): an embedded file on one workstation (WAL, busy timeout, foreign keys).
//! - [`PgStore`] (`postgres://…`): a server on the town's LAN shared by several workstations; changes wake
//!   listeners with `NOTIFY chengguan_changes`.
//!
//! Both run their migrations (`migrations/sqlite`, `migrations/postgres`) when opened and share the same SQL
//! (generated for each backend by one macro in `queries`). Every mutable row has a `version`: an update names the
//! version it read and a stale one fails with [`StoreError::Conflict`] without changing anything. Every change is
//! appended to the change feed ([`Change`]) in the same transaction.

mod any;
mod api_keys;
mod categories;
mod error;
mod model;
mod petition_facts;
mod petition_import;
mod postgres;
mod probe;
mod queries;
mod rows;
mod sla;
mod sqlite;
#[cfg(feature = "test-support")]
pub mod testing;
mod url;
mod watch;

pub use any::{open, AnyStore};
pub use api_keys::ApiKeyStore;
pub use categories::{CategoryStore, StoredCategory};
pub use error::StoreError;
pub use model::{
    AuditChain, AuditFilter, BoundaryUpdate, Change, GridCounts, GridEdit, GridImportPlan,
    GridImportSummary, GridPerson, PersonEdit, PetitionFilter, PetitionPoint, PetitionUpdate,
    Store,
};
pub use petition_facts::{PetitionFacts, PetitionFactsStore};
pub use petition_import::{NewPetitionRow, PetitionImportStore};
pub use postgres::PgStore;
pub use probe::{probe, Probe};
pub use sla::{SlaRule, SlaStore};
pub use sqlite::SqliteStore;
/// The database driver's error, as [`StoreError::Database`] carries it.
pub use sqlx::Error as SqlxError;
pub use url::{DatabaseKind, DatabaseUrl};
pub use watch::{ChangeWaker, SQLITE_POLL};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
