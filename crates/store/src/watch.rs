//! Waking up when another connection commits a change, so the change feed ([`crate::ChangeStore::changes_since`]) is
//! read at once and not by polling the table: PostgreSQL delivers `NOTIFY chengguan_changes`; SQLite is watched
//! through `PRAGMA data_version`, which changes on a connection when any other connection commits to the file
//! (the desktop's own pool, `chengguan serve` in another process, a CLI).

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::sqlite::SqliteConnection;
use tokio::time::Instant;

use crate::{AnyStore, Pool, Result, StoreError};

/// How often SQLite's data version is read (a cheap pragma on an idle connection).
pub const SQLITE_POLL: Duration = Duration::from_millis(50);

/// Wakes its owner when the database may have changed. Made by [`AnyStore::change_waker`].
pub struct ChangeWaker {
    inner: Inner,
}

enum Inner {
    Sqlite {
        conn: SqliteConnection,
        version: i64,
    },
    Postgres(Box<PgListener>),
}

impl AnyStore {
    /// A waker on its own connection (not one of the pool's).
    pub async fn change_waker(&self) -> Result<ChangeWaker> {
        let inner = match self.pool() {
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await?.detach();
                let version = data_version(&mut conn).await?;
                Inner::Sqlite { conn, version }
            }
            Pool::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool)
                    .await
                    .map_err(StoreError::connect)?;
                listener
                    .listen(crate::CHANGES_CHANNEL)
                    .await
                    .map_err(StoreError::connect)?;
                Inner::Postgres(Box::new(listener))
            }
        };
        Ok(ChangeWaker { inner })
    }
}

impl ChangeWaker {
    /// Returns when something may have changed, or after `at_most` anyway (callers then read the feed, which
    /// is the truth: a wake-up is only a hint). An error means the connection is lost; PostgreSQL's listener
    /// reconnects on the next call.
    pub async fn wait(&mut self, at_most: Duration) -> Result<()> {
        let until = Instant::now() + at_most;
        match &mut self.inner {
            Inner::Sqlite { conn, version } => loop {
                tokio::time::sleep(SQLITE_POLL).await;
                let now = data_version(conn).await?;
                if now != *version {
                    *version = now;
                    return Ok(());
                }
                if Instant::now() >= until {
                    return Ok(());
                }
            },
            Inner::Postgres(listener) => {
                match tokio::time::timeout_at(until, listener.recv()).await {
                    Ok(Ok(_)) | Err(_) => Ok(()),
                    Ok(Err(e)) => Err(StoreError::connect(e)),
                }
            }
        }
    }
}

async fn data_version(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await?)
}
