//! Opening a database: the connection pool of either backend, its migrations, and its transactions. What
//! differs between SQLite and PostgreSQL at this level stands here side by side.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chengguan_core::audit::AuditKey;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

use crate::sql::query;
use crate::{DatabaseKind, DatabaseUrl, Result, StoreError};

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// The channel on which PostgreSQL announces every committed change (payload: the change's `seq`).
pub const CHANGES_CHANNEL: &str = "chengguan_changes";

/// The connection pool of the database the store was opened on.
#[derive(Debug, Clone)]
pub enum Pool {
    /// Embedded SQLite (本地模式): one file, write-ahead logging, foreign keys enforced.
    Sqlite(SqlitePool),
    /// PostgreSQL on the town's LAN (局域网模式), shared by the workstations and the briefing-room screen.
    Postgres(PgPool),
}

/// A transaction on either backend; dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx<'c> {
    Sqlite(sqlx::Transaction<'c, Sqlite>),
    Postgres(sqlx::Transaction<'c, Postgres>),
}

impl Pool {
    /// Which backend.
    pub fn kind(&self) -> DatabaseKind {
        match self {
            Pool::Sqlite(_) => DatabaseKind::Sqlite,
            Pool::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    /// Begins a transaction.
    pub(crate) async fn begin(&self) -> Result<Tx<'static>> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }
}

impl Tx<'_> {
    /// Commits.
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Announces a committed change to listeners. PostgreSQL delivers `NOTIFY` when the transaction commits;
    /// SQLite needs nothing, its watchers read `PRAGMA data_version` ([`crate::ChangeWaker`]).
    pub(crate) async fn notify_change(&mut self, seq: i64) -> Result<()> {
        match self {
            Tx::Sqlite(_) => {}
            Tx::Postgres(_) => {
                query("SELECT pg_notify($1, $2)")
                    .bind(CHANGES_CHANNEL)
                    .bind(seq.to_string())
                    .execute(&mut *self)
                    .await?;
            }
        }
        Ok(())
    }
}

/// The store: every aggregate's trait is implemented on it once, for both backends.
#[derive(Clone)]
pub struct AnyStore {
    pub(crate) pool: Pool,
    url: DatabaseUrl,
    /// The audit chain's key (see `chengguan_core::audit`): it never goes into the database.
    pub(crate) audit_key: AuditKey,
}

impl fmt::Debug for AnyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL's Display masks the password.
        f.debug_struct("AnyStore")
            .field("url", &self.url.to_string())
            .finish()
    }
}

/// Opens the database named by `url` (`sqlite://PATH` or `postgres://…`), running its migrations; its audit
/// chain is kept with `audit_key` from now on.
pub async fn open(url: &DatabaseUrl, audit_key: AuditKey) -> Result<AnyStore> {
    let pool = match url.kind() {
        DatabaseKind::Sqlite => open_sqlite(url).await?,
        DatabaseKind::Postgres => open_postgres(url).await?,
    };
    let mut tx = pool.begin().await?;
    crate::audit::mark_keyed_start(&mut tx).await?;
    tx.commit().await?;
    Ok(AnyStore {
        pool,
        url: url.clone(),
        audit_key,
    })
}

impl AnyStore {
    /// Which backend.
    pub fn kind(&self) -> DatabaseKind {
        self.pool.kind()
    }

    /// The database's address (the password masked in `Display`; [`DatabaseUrl::expose`] gives it whole).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The audit chain's key, for opening another database on this machine with the same one.
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    /// The connection pool (for listeners, and for tests that look at a connection's settings).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The latest migration applied.
    #[tracing::instrument(skip_all, err)]
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> = query("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .scalar(&self.pool)
            .await?;
        Ok(v.unwrap_or(0))
    }
}

/// Opens (creating if missing, with its folder) the SQLite file named by `url` and runs the migrations.
#[tracing::instrument(skip_all, err, fields(url = %url))]
async fn open_sqlite(url: &DatabaseUrl) -> Result<Pool> {
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
        // Acknowledged means durable: a petition numbered to a resident survives a power cut the moment after.
        // The intake's group commit keeps the throughput (one flush for many petitions).
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(StoreError::connect)?;
    run_migrations(&SQLITE_MIGRATOR, &pool).await?;
    Ok(Pool::Sqlite(pool))
}

/// Connects to the PostgreSQL server named by `url` (TLS per its `sslmode`) and runs the migrations.
#[tracing::instrument(skip_all, err, fields(url = %url))]
async fn open_postgres(url: &DatabaseUrl) -> Result<Pool> {
    let options: PgConnectOptions = url
        .expose()
        .parse()
        .map_err(|_| StoreError::BadUrl(url.to_string()))?;
    let options = options.application_name("chengguan");
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(StoreError::connect)?;
    // When the schema is current there is nothing to run, and the migrator (which takes a lock and needs the
    // right to create tables) is not started at all: a second server instance starting beside the first waits
    // for nothing.
    if !postgres_schema_is_current(&pool).await {
        run_migrations(&POSTGRES_MIGRATOR, &pool).await?;
    }
    Ok(Pool::Postgres(pool))
}

/// True when every migration of this program is applied and nothing newer is (read-only check).
async fn postgres_schema_is_current(pool: &PgPool) -> bool {
    let applied: Result<Vec<i64>, _> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await;
    let ours: Vec<i64> = POSTGRES_MIGRATOR.iter().map(|m| m.version).collect();
    applied.is_ok_and(|a| a == ours)
}

/// The latest migration this program applies to a database of `kind`.
pub(crate) fn latest_migration(kind: DatabaseKind) -> i64 {
    let migrator = match kind {
        DatabaseKind::Sqlite => &SQLITE_MIGRATOR,
        DatabaseKind::Postgres => &POSTGRES_MIGRATOR,
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Runs `migrator` on `pool`, reporting a database newer than the program as [`StoreError::SchemaTooNew`].
async fn run_migrations<DB>(migrator: &Migrator, pool: &sqlx::Pool<DB>) -> Result<()>
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
