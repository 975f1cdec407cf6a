//! The change feed (`changes`): every write appends what it changed in the same transaction, so that other
//! windows, workstations and the briefing screen follow without polling tables ([`crate::ChangeWaker`]).

use async_trait::async_trait;
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::db::Tx;
use crate::rows::ChangeRow;
use crate::sql::query;
use crate::{AnyStore, Result, StoreError};

/// One entry of the change feed: something others should see happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Position in the feed, increasing.
    pub seq: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Kind of row, e.g. a grid, or the town for a whole load.
    pub entity: Entity,
    /// The row, when one row changed.
    pub entity_id: Option<Uuid>,
    /// What happened.
    pub op: Operation,
    /// The row's version after the change.
    pub version: Option<i64>,
}

/// Reading the change feed.
#[async_trait]
pub trait ChangeStore {
    /// Changes after `after` (exclusive), oldest first, at most `limit`.
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>>;

    /// The sequence number of the latest change (0 when there is none): where a new watcher starts.
    async fn latest_change(&self) -> Result<i64>;
}

#[async_trait]
impl ChangeStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>> {
        let rows: Vec<ChangeRow> = query(
            "SELECT seq, at, entity, entity_id, op, version FROM changes \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn latest_change(&self) -> Result<i64> {
        let seq: Option<i64> = query("SELECT MAX(seq) FROM changes")
            .scalar(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}

/// Appends to the change feed inside `tx` and wakes listeners (on commit); returns its sequence number.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    entity: Entity,
    entity_id: Option<Uuid>,
    op: Operation,
    version: Option<i64>,
) -> Result<i64> {
    let seq: i64 = query(
        "INSERT INTO changes (at, entity, entity_id, op, version) \
         VALUES ($1, $2, $3, $4, $5) RETURNING seq",
    )
    .bind(Utc::now())
    .bind(entity.code())
    .bind(entity_id)
    .bind(op.code())
    .bind(version)
    .scalar(&mut *tx)
    .await?;
    tx.notify_change(seq).await?;
    Ok(seq)
}

/// After a versioned `UPDATE … WHERE id = $ AND version = $` that changed `done` rows: none means the version read
/// is stale or the row is gone (the error says which); one is recorded in the feed with the row's new version.
pub(crate) async fn versioned_update(
    tx: &mut Tx<'_>,
    entity: Entity,
    table: &str,
    id: Uuid,
    expected: i64,
    done: u64,
) -> Result<()> {
    if done == 0 {
        return Err(stale(tx, entity, table, id, expected).await);
    }
    record(tx, entity, Some(id), Operation::Update, Some(expected + 1)).await?;
    Ok(())
}

/// The error for a versioned write that matched no row: not found, or a conflict with the stored version.
pub(crate) async fn stale(
    tx: &mut Tx<'_>,
    entity: Entity,
    table: &str,
    id: Uuid,
    expected: i64,
) -> StoreError {
    let actual: Result<Option<i64>> = query(format!("SELECT version FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional::<(i64,)>(tx)
        .await
        .map(|row| row.map(|(v,)| v));
    match actual {
        Ok(Some(actual)) => StoreError::Conflict {
            entity: entity.code(),
            id,
            expected,
            actual,
        },
        Ok(None) => StoreError::NotFound {
            entity: entity.code(),
            id,
        },
        Err(e) => e,
    }
}
