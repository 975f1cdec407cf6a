//! Use-cases about the town as a whole: initialise the database, load the demo town, report its status.

use chengguan_core::census::TownCensus;
use chengguan_core::demo;
use chengguan_core::town::Town;
use chengguan_store::prelude::*;
use serde::Serialize;

use chengguan_core::audit::AuditDraft;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// What `init` creates when not told otherwise: 高台县城关镇.
#[derive(Debug, Clone)]
pub struct TownIdentity {
    /// Administrative code.
    pub code: String,
    /// Name.
    pub name: String,
}

impl Default for TownIdentity {
    fn default() -> Self {
        Self {
            code: demo::TOWN_CODE.into(),
            name: demo::TOWN_NAME.into(),
        }
    }
}

/// The state of the database and its town.
#[derive(Debug, Clone, Serialize)]
pub struct TownStatus {
    /// The town; `None` before `init`.
    pub town: Option<Town>,
    /// True for the synthetic demo town (演示数据).
    pub synthetic: bool,
    /// The database.
    pub database: DatabaseStatus,
    /// The counts.
    #[serde(flatten)]
    pub census: TownCensus,
}

/// Which database, and its schema.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseStatus {
    /// `sqlite` (本地) or `postgres` (局域网).
    pub kind: &'static str,
    /// The URL, password masked.
    pub url: String,
    /// Latest migration applied.
    pub schema_version: i64,
}

/// What `demo` did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DemoLoaded {
    /// True when the database had to be initialised first.
    pub initialised: bool,
    /// True when existing data was replaced (`force`).
    pub replaced: bool,
    /// True when the demo accounts were created (the database had no accounts).
    pub accounts_created: bool,
    /// The seed used.
    pub seed: u64,
    /// Demo petitions added (none when the database already had petitions).
    pub petitions: usize,
}

impl App {
    /// Initialises an empty database with its town. Returns `false` if it already had one (nothing changes).
    #[tracing::instrument(skip_all, err)]
    pub async fn init(&self, identity: &TownIdentity) -> Result<bool> {
        if self.store.town().await?.is_some() {
            return Ok(false);
        }
        let town = Town {
            id: chengguan_core::new_id(),
            code: identity.code.clone(),
            name: identity.name.clone(),
            synthetic: false,
            created_at: chrono::Utc::now(),
        };
        match self.store.init_town(&town).await {
            Ok(()) => Ok(true),
            // Another workstation initialised it between our check and our write.
            Err(chengguan_store::StoreError::AlreadyInitialised) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Fills the database with the synthetic demo town (initialising it first if needed) and, if the database
    /// has no user accounts yet, the demo accounts ([`crate::users::DEMO_ACCOUNTS`]). Refuses a database that
    /// already holds town data unless `force`, which replaces it in one transaction and needs a signed-in user
    /// allowed to import; an empty database needs no one (the first start).
    #[tracing::instrument(skip_all, err, fields(seed, force))]
    pub async fn load_demo(
        &self,
        session: Option<&Session>,
        seed: u64,
        force: bool,
    ) -> Result<DemoLoaded> {
        let has_data = self.store.has_town_data().await?;
        let has_users = self.store.user_count().await? > 0;
        let use_case = if has_data || has_users {
            UseCase::LoadDemoOverData
        } else {
            UseCase::LoadDemoIntoEmpty
        };
        // Without a user, say first that the data is there (the helpful answer at a new workstation).
        if session.is_none() && has_data && !force {
            return Err(AppError::DemoOverData);
        }
        let actor = self.authorize(session, use_case).await?;
        if has_data && !force {
            return Err(AppError::DemoOverData);
        }
        // The demo password is printed in the README: loaded into a database that held a real town (a LAN server
        // after `chengguan init`), its accounts must choose passwords of their own first.
        let was_real = self.store.town().await?.is_some_and(|t| !t.synthetic);
        let initialised = self.init(&TownIdentity::default()).await?;
        let data = demo::generate(seed);
        let audit = AuditDraft::new(
            &actor.username,
            if has_data {
                "town.demo_reload"
            } else {
                "town.demo_load"
            },
            "town",
            serde_json::json!({ "seed": seed, "grids": data.grids.len() }),
        );
        match self
            .store
            .load_town_data(&data, true, has_data, &audit)
            .await
        {
            // Someone else loaded data between our check and our write.
            Err(chengguan_store::StoreError::NotEmpty) => return Err(AppError::DemoOverData),
            other => other?,
        }
        self.forget_grids();
        let accounts_created = self.create_demo_accounts(was_real).await?;
        let petitions = self
            .load_demo_petitions(&data, seed, &actor.username)
            .await?;
        Ok(DemoLoaded {
            accounts_created,
            initialised,
            replaced: has_data,
            seed,
            petitions,
        })
    }

    /// The demo town's population database (households and residents, `chengguan_core::demo::population`),
    /// right after [`App::load_demo`]: only into a synthetic town without residents. Returns the residents added.
    /// Kept apart from `load_demo` because tens of thousands of rows are more than most tests need.
    #[tracing::instrument(skip_all, err)]
    pub async fn load_demo_population(&self, seed: u64) -> Result<usize> {
        let synthetic = self.store.town().await?.is_some_and(|t| t.synthetic);
        if !synthetic || self.store.resident_count().await? > 0 {
            return Ok(0);
        }
        let data = demo::generate(seed);
        let pop = demo::population::population(&data, seed);
        let audit = AuditDraft::new(
            "-",
            "resident.demo_load",
            "residents",
            serde_json::json!({ "seed": seed, "households": pop.households.len(), "residents": pop.residents.len() }),
        );
        self.store
            .import_residents(&pop.households, &pop.residents, &audit)
            .await?;
        self.forget_roster();
        Ok(pop.residents.len())
    }

    /// The demo town's year of petitions (`chengguan_core::demo::petitions`), unless petitions exist already.
    async fn load_demo_petitions(
        &self,
        data: &chengguan_core::town::TownData,
        seed: u64,
        actor: &str,
    ) -> Result<usize> {
        use chengguan_store::prelude::*;
        let any = chengguan_store::PetitionFilter {
            limit: 1,
            ..Default::default()
        };
        if self.store.count_petitions(&any).await? > 0 {
            return Ok(0);
        }
        let year = chengguan_core::demo::petitions::petitions(data, seed, self.clock.now());
        let audit = AuditDraft::new(
            actor,
            "petition.demo_load",
            "petitions",
            serde_json::json!({ "seed": seed, "rows": year.len() }),
        );
        self.store.import_petitions(&year, &audit).await?;
        Ok(year.len())
    }

    /// The database and the town's counts.
    #[tracing::instrument(skip_all, err)]
    pub async fn status(&self, session: &Session) -> Result<TownStatus> {
        self.authorize(Some(session), UseCase::Status).await?;
        let town = self.store.town().await?;
        Ok(TownStatus {
            synthetic: town.as_ref().is_some_and(|t| t.synthetic),
            town,
            database: DatabaseStatus {
                kind: match self.url.kind() {
                    chengguan_store::DatabaseKind::Sqlite => "sqlite",
                    chengguan_store::DatabaseKind::Postgres => "postgres",
                },
                url: self.url.to_string(),
                schema_version: self.store.schema_version().await?,
            },
            census: self.store.census().await?,
        })
    }

    /// True when the database holds any town data (communities, grids, organisations or people).
    pub async fn has_town_data(&self) -> Result<bool> {
        Ok(self.store.has_town_data().await?)
    }

    /// The town, or [`AppError::NotInitialised`].
    pub(crate) async fn require_town(&self) -> Result<Town> {
        self.store.town().await?.ok_or(AppError::NotInitialised)
    }
}
