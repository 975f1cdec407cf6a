//! What a backup needs of the database: a consistent copy while others keep writing, and the row counts of that
//! very copy.
//!
//! - SQLite: `VACUUM INTO` writes a transactionally consistent copy of the live file (readers and the WAL's
//!   writers go on); the counts are then read from the copy itself.
//! - PostgreSQL: a `REPEATABLE READ` transaction exports its snapshot ([`PgSnapshot`]); the counts are read in it,
//!   and `pg_dump --snapshot` (run by chengguan-app) dumps exactly that state.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};

use crate::db::Pool;
use crate::{AnyStore, Result, StoreError};

/// The migrator's own bookkeeping, not the town's data.
const SKIPPED: &str = "_sqlx_migrations";

/// A PostgreSQL snapshot held open for `pg_dump --snapshot`, with the row counts it sees.
pub struct PgSnapshot {
    /// The exported snapshot's identifier.
    pub id: String,
    /// Rows per table in the snapshot.
    pub counts: BTreeMap<String, i64>,
    /// The audit chain's head in the snapshot.
    pub audit_head: (i64, String),
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
}

impl PgSnapshot {
    /// Ends the transaction that keeps the snapshot (after the dump).
    pub async fn release(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// A SQLite copy as read back: its integrity check, schema version, counts and audit head.
#[derive(Debug, Clone, PartialEq)]
pub struct SqliteInspection {
    /// `PRAGMA integrity_check`'s lines (`["ok"]` when sound).
    pub integrity: Vec<String>,
    /// The latest migration applied in it.
    pub schema_version: i64,
    /// Rows per table.
    pub counts: BTreeMap<String, i64>,
    /// The audit chain's head: sequence number and hash.
    pub audit_head: (i64, String),
}

impl AnyStore {
    /// SQLite: writes a consistent copy of the database to `dest` (which must not exist) while others keep
    /// writing.
    #[tracing::instrument(skip_all, err)]
    pub async fn snapshot_sqlite(&self, dest: &Path) -> Result<()> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::Unsupported("SQLite 快照只适用于本地库"));
        };
        let dest = dest
            .to_str()
            .ok_or(StoreError::Unsupported("备份路径须为 UTF-8"))?;
        sqlx::query("VACUUM INTO ?")
            .bind(dest)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// PostgreSQL: opens a read-only `REPEATABLE READ` transaction, exports its snapshot and counts every table
    /// in it.
    #[tracing::instrument(skip_all, err)]
    pub async fn pg_snapshot(&self) -> Result<PgSnapshot> {
        let Pool::Postgres(pool) = &self.pool else {
            return Err(StoreError::Unsupported("快照导出只适用于 PostgreSQL"));
        };
        let mut tx = pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut counts = BTreeMap::new();
        for t in tables.into_iter().filter(|t| t != SKIPPED) {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
                .fetch_one(&mut *tx)
                .await?;
            counts.insert(t, n);
        }
        let audit_head: (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        Ok(PgSnapshot {
            id,
            counts,
            audit_head,
            tx,
        })
    }

    /// Rows per table of the open database, now.
    #[tracing::instrument(skip_all, err)]
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                sqlite_counts(&mut conn).await
            }
            Pool::Postgres(_) => {
                let snapshot = self.pg_snapshot().await?;
                let counts = snapshot.counts.clone();
                snapshot.release().await?;
                Ok(counts)
            }
        }
    }
}

async fn sqlite_counts(conn: &mut sqlx::SqliteConnection) -> Result<BTreeMap<String, i64>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = BTreeMap::new();
    for t in tables.into_iter().filter(|t| t != SKIPPED) {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(&mut *conn)
            .await?;
        counts.insert(t, n);
    }
    Ok(counts)
}

/// Opens the SQLite file at `path` read-only (nothing is written, not even a journal) and reads its integrity
/// check, schema version, counts and audit head.
#[tracing::instrument(skip_all, err)]
pub async fn inspect_sqlite(path: &Path) -> Result<SqliteInspection> {
    let url = format!("sqlite://{}", path.display());
    let mut conn = SqliteConnectOptions::from_str(&url)
        .map_err(|_| StoreError::BadUrl(url.clone()))?
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(StoreError::connect)?;
    let integrity: Vec<String> = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let schema_version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await?;
    let counts = sqlite_counts(&mut conn).await?;
    let audit_head: (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(SqliteInspection {
        integrity,
        schema_version: schema_version.unwrap_or(0),
        counts,
        audit_head,
    })
}
