use async_trait::async_trait;
use chengguan_core::access::UserAccount;
use chengguan_core::audit::{AuditDraft, AuditEntry};
use chengguan_core::census::TownCensus;
use chengguan_core::people::Person;
use chengguan_core::petitions::{Petition, PetitionEvent};
use chengguan_core::town::{Community, Grid, PartyBranch, Town, TownData};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use uuid::Uuid;

use crate::{
    AuditChain, AuditFilter, Change, DatabaseKind, DatabaseUrl, GridCounts, GridEdit,
    GridImportPlan, GridImportSummary, GridPerson, PersonEdit, PetitionFilter, PetitionPoint,
    PetitionUpdate, PgStore, Result, SqliteStore, Store,
};

/// The store chosen at run time from the URL: SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// Embedded SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL on the LAN.
    Postgres(PgStore),
}

/// Opens the database named by `url` (`sqlite://PATH` or `postgres://…`), running its migrations.
pub async fn open(url: &DatabaseUrl) -> Result<AnyStore> {
    Ok(match url.kind() {
        DatabaseKind::Sqlite => AnyStore::Sqlite(SqliteStore::open(url).await?),
        DatabaseKind::Postgres => AnyStore::Postgres(PgStore::open(url).await?),
    })
}

macro_rules! delegate {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            $crate::AnyStore::Sqlite(s) => s.$method($($arg),*).await,
            $crate::AnyStore::Postgres(s) => s.$method($($arg),*).await,
        }
    };
}

pub(crate) use delegate;

#[async_trait]
impl Store for AnyStore {
    fn kind(&self) -> DatabaseKind {
        match self {
            Self::Sqlite(_) => DatabaseKind::Sqlite,
            Self::Postgres(_) => DatabaseKind::Postgres,
        }
    }
    async fn schema_version(&self) -> Result<i64> {
        delegate!(self.schema_version())
    }
    async fn town(&self) -> Result<Option<Town>> {
        delegate!(self.town())
    }
    async fn init_town(&self, town: &Town) -> Result<()> {
        delegate!(self.init_town(town))
    }
    async fn has_town_data(&self) -> Result<bool> {
        delegate!(self.has_town_data())
    }
    async fn load_town_data(
        &self,
        data: &TownData,
        synthetic: bool,
        replace: bool,
        audit: &AuditDraft,
    ) -> Result<()> {
        delegate!(self.load_town_data(data, synthetic, replace, audit))
    }
    async fn census(&self) -> Result<TownCensus> {
        delegate!(self.census())
    }
    async fn communities(&self) -> Result<Vec<Community>> {
        delegate!(self.communities())
    }
    async fn party_branches(&self) -> Result<Vec<PartyBranch>> {
        delegate!(self.party_branches())
    }
    async fn grids(&self) -> Result<Vec<Grid>> {
        delegate!(self.grids())
    }
    async fn grid_boundary_history(
        &self,
        grid_id: Uuid,
    ) -> Result<Vec<(i64, MultiPolygon<f64>, DateTime<Utc>)>> {
        delegate!(self.grid_boundary_history(grid_id))
    }
    async fn apply_grid_import(
        &self,
        plan: &GridImportPlan,
        audit: &AuditDraft,
    ) -> Result<GridImportSummary> {
        delegate!(self.apply_grid_import(plan, audit))
    }
    async fn update_grid(&self, edit: &GridEdit, audit: &AuditDraft) -> Result<Grid> {
        delegate!(self.update_grid(edit, audit))
    }
    async fn grid_counts(&self, grid_id: Uuid) -> Result<GridCounts> {
        delegate!(self.grid_counts(grid_id))
    }
    async fn grid_people(&self, grid_id: Uuid) -> Result<Vec<GridPerson>> {
        delegate!(self.grid_people(grid_id))
    }
    async fn person(&self, id: Uuid) -> Result<Option<Person>> {
        delegate!(self.person(id))
    }
    async fn update_person(&self, edit: &PersonEdit, audit: &AuditDraft) -> Result<Person> {
        delegate!(self.update_person(edit, audit))
    }
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>> {
        delegate!(self.changes_since(after, limit))
    }
    async fn latest_change(&self) -> Result<i64> {
        delegate!(self.latest_change())
    }
    async fn user_count(&self) -> Result<i64> {
        delegate!(self.user_count())
    }
    async fn user_by_username(&self, username: &str) -> Result<Option<UserAccount>> {
        delegate!(self.user_by_username(username))
    }
    async fn users(&self) -> Result<Vec<UserAccount>> {
        delegate!(self.users())
    }
    async fn insert_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<()> {
        delegate!(self.insert_user(user, audit))
    }
    async fn insert_first_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<bool> {
        delegate!(self.insert_first_user(user, audit))
    }
    async fn update_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<UserAccount> {
        delegate!(self.update_user(user, audit))
    }
    async fn sign_in_failed(
        &self,
        user_id: Uuid,
        restart: bool,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<UserAccount> {
        delegate!(self.sign_in_failed(user_id, restart, lock_after, lock_until, audit))
    }
    async fn sign_in_succeeded(&self, user_id: Uuid, audit: &AuditDraft) -> Result<()> {
        delegate!(self.sign_in_succeeded(user_id, audit))
    }
    async fn append_audit(&self, audit: &AuditDraft) -> Result<AuditEntry> {
        delegate!(self.append_audit(audit))
    }
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        delegate!(self.audit_entries(filter))
    }
    async fn audit_chain(&self) -> Result<AuditChain> {
        delegate!(self.audit_chain())
    }
    async fn insert_petition(
        &self,
        petition: &Petition,
        event: &PetitionEvent,
        audit: &AuditDraft,
    ) -> Result<Petition> {
        delegate!(self.insert_petition(petition, event, audit))
    }
    async fn petition(&self, id: Uuid) -> Result<Option<Petition>> {
        delegate!(self.petition(id))
    }
    async fn petition_by_number(&self, year: i64, seq: i64) -> Result<Option<Petition>> {
        delegate!(self.petition_by_number(year, seq))
    }
    async fn count_petitions(&self, filter: &PetitionFilter) -> Result<i64> {
        delegate!(self.count_petitions(filter))
    }
    async fn petition_points(&self, filter: &PetitionFilter) -> Result<Vec<PetitionPoint>> {
        delegate!(self.petition_points(filter))
    }
    async fn petitions(&self, filter: &PetitionFilter) -> Result<Vec<Petition>> {
        delegate!(self.petitions(filter))
    }
    async fn update_petition(
        &self,
        update: &PetitionUpdate,
        audit: &AuditDraft,
    ) -> Result<Petition> {
        delegate!(self.update_petition(update, audit))
    }
    async fn petition_events(&self, id: Uuid) -> Result<Vec<PetitionEvent>> {
        delegate!(self.petition_events(id))
    }
}
