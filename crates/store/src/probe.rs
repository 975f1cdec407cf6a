//! A read-only look at a database before anyone switches to it: can it be reached, which schema does it hold,
//! does it hold a town. Unlike [`crate::open`] it creates no file or folder and runs no migration, so testing a
//! mistyped address leaves nothing behind and an empty server stays empty.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Executor};

use crate::{DatabaseKind, DatabaseUrl, Result, StoreError};

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The latest migration applied there (0 for a database this program never touched).
    pub schema_version: i64,
    /// The latest migration this program knows.
    pub supported: i64,
    /// True when it holds a town (`chengguan init` or the demo has run).
    pub has_town: bool,
}

/// Looks at the database named by `url` without changing it. A schema newer than this program is
/// [`StoreError::SchemaTooNew`]; an unreachable server or a missing file is [`StoreError::Connect`].
pub async fn probe(url: &DatabaseUrl) -> Result<Probe> {
    match url.kind() {
        DatabaseKind::Sqlite => {
            let path = url
                .sqlite_path()
                .ok_or_else(|| StoreError::BadUrl(url.to_string()))?;
            if !path.is_file() {
                return Err(StoreError::connect(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("文件 {} 不存在", path.display()),
                ))));
            }
            let options = SqliteConnectOptions::from_str(url.expose())
                .map_err(|_| StoreError::BadUrl(url.to_string()))?
                .create_if_missing(false)
                .read_only(true)
                .busy_timeout(Duration::from_secs(5));
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .map_err(StoreError::connect)?;
            look::<sqlx::Sqlite>(&mut conn, crate::db::latest_migration(DatabaseKind::Sqlite)).await
        }
        DatabaseKind::Postgres => {
            let options: sqlx::postgres::PgConnectOptions = url
                .expose()
                .parse()
                .map_err(|_| StoreError::BadUrl(url.to_string()))?;
            let options = options.application_name("chengguan");
            let connect = sqlx::PgConnection::connect_with(&options);
            let mut conn = tokio::time::timeout(Duration::from_secs(5), connect)
                .await
                .map_err(|_| StoreError::connect(sqlx::Error::PoolTimedOut))?
                .map_err(StoreError::connect)?;
            look::<sqlx::Postgres>(
                &mut conn,
                crate::db::latest_migration(DatabaseKind::Postgres),
            )
            .await
        }
    }
}

/// The schema version and town of an open connection; a missing table reads as "nothing there yet".
async fn look<DB>(conn: &mut DB::Connection, supported: i64) -> Result<Probe>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    i64: for<'r> sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let applied: std::result::Result<Option<i64>, sqlx::Error> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await;
    let schema_version = applied.ok().flatten().unwrap_or(0);
    if schema_version > supported {
        return Err(StoreError::SchemaTooNew {
            found: schema_version,
            supported,
        });
    }
    let towns: std::result::Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM town")
            .fetch_one(&mut *conn)
            .await;
    Ok(Probe {
        schema_version,
        supported,
        has_town: towns.is_ok_and(|n| n > 0),
    })
}
