use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};

use crate::queries::store_impl;
use crate::{DatabaseKind, DatabaseUrl, Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// The embedded SQLite store (本地模式): one file, write-ahead logging, foreign keys enforced.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
}

impl SqliteStore {
    pub(crate) const KIND: DatabaseKind = DatabaseKind::Sqlite;

    /// Opens (creating if missing, with its folder) the file named by `url` and runs the migrations.
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DatabaseUrl) -> Result<Self> {
        let path = url
            .sqlite_path()
            .ok_or_else(|| StoreError::BadUrl(url.to_string()))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::connect(sqlx::Error::Io(e)))?;
        }
        let options = SqliteConnectOptions::from_str(url.expose())
            .map_err(|_| StoreError::BadUrl(url.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Acknowledged means durable: a petition numbered to a resident survives a power cut the moment
            // after. The intake's group commit keeps the throughput (one flush for many petitions).
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(StoreError::connect)?;
        run_migrations(&MIGRATOR, &pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool (the change waker takes its own connection from it).
    pub fn pool(&self) -> &Pool<Sqlite> {
        &self.pool
    }

    /// SQLite needs no wake-up: watchers poll `PRAGMA data_version`, which is cheap.
    async fn after_change(_tx: &mut sqlx::Transaction<'_, Sqlite>, _seq: i64) -> Result<()> {
        Ok(())
    }
}

/// The latest migration this program applies to SQLite.
pub(crate) fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Runs `migrator` on `pool`, reporting a database newer than the program as [`StoreError::SchemaTooNew`].
pub(crate) async fn run_migrations<DB>(migrator: &Migrator, pool: &Pool<DB>) -> Result<()>
where
    DB: sqlx::Database,
    <DB as sqlx::Database>::Connection: sqlx::migrate::Migrate,
{
    match migrator.run(pool).await {
        Ok(()) => Ok(()),
        Err(sqlx::migrate::MigrateError::VersionMissing(found)) => {
            let supported = migrator.iter().map(|m| m.version).max().unwrap_or(0);
            Err(StoreError::SchemaTooNew { found, supported })
        }
        Err(e) => Err(e.into()),
    }
}

store_impl!(SqliteStore, Sqlite);
crate::api_keys::api_key_store_impl!(SqliteStore, Sqlite);
crate::petition_import::petition_import_impl!(SqliteStore, Sqlite);
crate::sla::sla_store_impl!(SqliteStore, Sqlite);
crate::categories::category_store_impl!(SqliteStore, Sqlite);
crate::petition_facts::petition_facts_store_impl!(SqliteStore, Sqlite);
