use std::fmt;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};

use crate::queries::store_impl;
use crate::sqlite::run_migrations;
use crate::{DatabaseKind, DatabaseUrl, Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// The channel on which every committed change is announced (payload: the change's `seq`).
pub const CHANGES_CHANNEL: &str = "chengguan_changes";

/// The PostgreSQL store (局域网模式): a server shared by the workstations and the briefing-room screen.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool<Postgres>,
    url: DatabaseUrl,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL's Display masks the password.
        f.debug_struct("PgStore")
            .field("url", &self.url.to_string())
            .finish()
    }
}

impl PgStore {
    pub(crate) const KIND: DatabaseKind = DatabaseKind::Postgres;

    /// Connects to the server named by `url` (TLS per its `sslmode`) and runs the migrations.
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DatabaseUrl) -> Result<Self> {
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
        // A workstation role (least privilege, docs/deployment.md) may not create tables: when the schema is
        // current there is nothing to run, and the migrator is not started at all.
        if !schema_is_current(&pool).await {
            run_migrations(&MIGRATOR, &pool).await?;
        }
        Ok(Self {
            pool,
            url: url.clone(),
        })
    }

    /// Announces the change on [`CHANGES_CHANNEL`]; PostgreSQL delivers it when the transaction commits.
    async fn after_change(tx: &mut sqlx::Transaction<'_, Postgres>, seq: i64) -> Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANGES_CHANNEL)
            .bind(seq.to_string())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The connection pool, for listeners (`sqlx::postgres::PgListener::connect_with`).
    pub fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }
}

/// The latest migration this program applies to PostgreSQL.
pub(crate) fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// True when every migration of this program is applied and nothing newer is (read-only check).
async fn schema_is_current(pool: &Pool<Postgres>) -> bool {
    let applied: Result<Vec<i64>, _> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await;
    let ours: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    applied.is_ok_and(|a| a == ours)
}

store_impl!(PgStore, Postgres);
crate::api_keys::api_key_store_impl!(PgStore, Postgres);
crate::petition_import::petition_import_impl!(PgStore, Postgres);
crate::sla::sla_store_impl!(PgStore, Postgres);
crate::categories::category_store_impl!(PgStore, Postgres);
crate::petition_facts::petition_facts_store_impl!(PgStore, Postgres);
