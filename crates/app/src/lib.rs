//! # chengguan-app
//!
//! The one surface every front end (the `chengguan` CLI, the desktop, the server) calls. Front ends parse their
//! input, call one function here, and show the result; the rules live here and in `chengguan-core`, the data
//! behind `chengguan-store`.
//!
//! - [`config`]: where the database is (flag → environment → config file → default file in the data folder).
//! - [`App`]: an open database; the use-cases are its methods, grouped by domain in [`town`] and [`grids`].
//! - [`access`]: sessions and the permission every use-case checks first; [`users`], [`audit`], [`people`]:
//!   accounts, the audit log and personal data.
//! - [`AppError`]: one error type with a stable English [`code`](AppError::code) and a message for people.
//! - [`backup`]: consistent, checked backups of the database (one file: manifest and payload).
//! - [`briefing`]: the key figures of a period, their charts, the big screen and the briefing pack (PDF, xlsx).

pub mod access;
pub mod analysis;
pub mod api;
pub mod api_keys;
pub mod audit;
pub mod backup;
pub mod briefing;
mod cache;
pub mod calendar;
pub mod config;
mod days;
pub mod dto;
pub mod duty;
mod error;
pub mod files;
pub mod grids;
pub mod live;
pub mod map;
pub mod people;
pub mod petitions;
mod rates;
pub mod roster;
pub mod town;
pub mod users;
pub mod vocabulary;
mod xlsx;

pub use chengguan_core::audit::{Anchor, AuditKey};
/// The seed of the demo town (the same town on every machine).
pub use chengguan_core::demo::DEFAULT_SEED as DEMO_SEED;
/// The coordinate systems the front ends name (the map's base map, the desk's picked point).
pub use chengguan_core::geo::Crs;
pub use chengguan_core::text;
pub use chengguan_store::{DatabaseKind, DatabaseUrl};
pub use error::AppError;

use std::sync::Arc;

use chengguan_store::prelude::*;
use chengguan_store::AnyStore;

/// Result of a use-case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application over one open database.
#[derive(Debug, Clone)]
pub struct App {
    store: AnyStore,
    url: DatabaseUrl,
    clock: Arc<dyn access::Clock>,
    idle_timeout: chrono::Duration,
    caches: cache::Caches,
    open311_public_read: bool,
    serving: bool,
}

impl App {
    /// Opens (and migrates) the database at `url`, keeping its audit chain with `audit_key` (a front end reads
    /// it with [`config::Config::audit_key`]).
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DatabaseUrl, audit_key: AuditKey) -> Result<Self> {
        let store = chengguan_store::open(url, audit_key).await?;
        Ok(Self {
            store,
            url: url.clone(),
            clock: Arc::new(access::SystemClock),
            idle_timeout: chrono::Duration::minutes(access::DEFAULT_IDLE_MINUTES),
            caches: Default::default(),
            open311_public_read: false,
            serving: false,
        })
    }

    /// Applies the settings of `config` that change what the use-cases do (`[session] idle_minutes`,
    /// `[open311] public_read`).
    pub fn with_config(mut self, config: &config::Config) -> Self {
        self.open311_public_read = config.open311_public_read;
        self.with_idle_minutes(config.idle_minutes)
    }

    /// `[open311] public_read`: whether `GET requests` answers a client without a reading key, with the public
    /// fields only (see [`petitions::Open311Request`]).
    pub fn with_open311_public_read(mut self, on: bool) -> Self {
        self.open311_public_read = on;
        self
    }

    /// The database URL (its `Display` hides any password).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The same app as the town's server runs it for LAN workstations: what it answers them never names its
    /// database (the status bar says `server`; the workstation shows the server's address).
    pub fn serving(mut self) -> Self {
        self.serving = true;
        self
    }

    /// What the desktop's status bar shows.
    pub async fn status_bar(&self) -> Result<dto::StatusBar> {
        let town = self.require_town().await?;
        let (database_kind, database_url) = if self.serving {
            ("server".to_string(), String::new())
        } else {
            (
                config::settings::kind_code(&self.url).to_string(),
                self.url.to_string(),
            )
        };
        Ok(dto::StatusBar {
            town_name: town.name,
            synthetic: town.synthetic,
            database_kind,
            database_url,
        })
    }

    /// Opens this workstation's database as `config` names it. The demo town (with its accounts, whose password
    /// is public) is loaded by itself only into the default local file, and only when this call created it:
    /// never into a database someone chose (a LAN server after `chengguan init` has a town but no accounts).
    pub async fn open_workstation(config: &config::Config) -> Result<Self> {
        Self::open_workstation_with(config, config::default_database_file().ok().as_deref()).await
    }

    /// [`App::open_workstation`] with `default_file` as the platform's default database file.
    pub async fn open_workstation_with(
        config: &config::Config,
        default_file: Option<&std::path::Path>,
    ) -> Result<Self> {
        let fresh_default =
            default_file.is_some_and(|f| DatabaseUrl::sqlite(f) == config.database && !f.exists());
        let app = App::open_configured(config).await?;
        if fresh_default {
            app.load_demo_if_empty(chengguan_core::demo::DEFAULT_SEED)
                .await?;
        }
        Ok(app)
    }

    /// Opens the database `config` names with its audit key. When the key was made just now (the first start of a
    /// version with keyed logs), a log written before keying is sealed with it by the system (an `audit.keyed`
    /// entry): it is the moment this machine takes the log on. Later, a log found without a keyed start is left
    /// for `audit verify` to report, and only the administrator seals it (`chengguan audit seal`).
    pub async fn open_configured(config: &config::Config) -> Result<Self> {
        let (key, fresh) = config::audit_key::load_or_create_telling(&config.audit_key_file)?;
        let app = App::open(&config.database, key).await?.with_config(config);
        if fresh {
            if let Some(n) = app.store.seal_plain_audit("-").await? {
                tracing::info!("audit log: {n} entries from before the key sealed");
            }
        }
        Ok(app)
    }

    /// Loads the demo town (labelled synthetic) only into a new database (no town data, no accounts), as the
    /// desktop's first start and `chengguan demo --if-empty` do. Returns true when it was loaded.
    pub async fn load_demo_if_empty(&self, seed: u64) -> Result<bool> {
        if self.has_town_data().await? || self.store.user_count().await? > 0 {
            return Ok(false);
        }
        self.load_demo(None, seed, false).await?;
        self.load_demo_population(seed).await?;
        self.load_demo_rotation(seed).await?;
        Ok(true)
    }
}
