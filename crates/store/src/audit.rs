//! The audit log (`audit_log`, `audit_head`): an append-only hash chain. Every audited write appends its entry in
//! its own transaction through [`append`], so a change and its record stand or fall together.

use async_trait::async_trait;
use chengguan_core::audit::{
    entry_hash, plain_prefix, verify_chain, AuditDraft, AuditEntry, AuditKey, KEYED_ACTION,
};
use chrono::{DateTime, SubsecRound, Utc};

use crate::db::Tx;
use crate::rows::AuditRow;
use crate::sql::{insert_rows, query};
use crate::{AnyStore, Result, StoreError};

/// Filters of the audit log view; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// From this time (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Only this user name.
    pub actor: Option<String>,
    /// Only actions starting with this, e.g. `person.` or `user.sign_in`.
    pub action_prefix: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// The stored audit log with its head, for verification.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditChain {
    /// Every entry, oldest first.
    pub entries: Vec<AuditEntry>,
    /// The head as recorded apart: (last sequence number, its hash).
    pub head: (i64, String),
    /// The first entry hashed with the key (entries before it were written before the database had one).
    pub keyed_from: Option<i64>,
}

/// Reading and appending the audit log.
#[async_trait]
pub trait AuditStore {
    /// Appends one entry to the audit log on its own (sign-in of an unknown name, reveals, exports).
    async fn append_audit(&self, audit: &AuditDraft) -> Result<AuditEntry>;

    /// Audit entries matching `filter`, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// The whole audit log and its head, for `chengguan audit verify`.
    async fn audit_chain(&self) -> Result<AuditChain>;

    /// Seals a log written before it had a key (see [`seal_plain`]); `None` when it is keyed already.
    async fn seal_plain_audit(&self, actor: &str) -> Result<Option<i64>>;
}

const AUDIT_COLUMNS: &str = "seq, at, actor, action, target, reason, detail, prev_hash, hash";

#[async_trait]
impl AuditStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn append_audit(&self, audit: &AuditDraft) -> Result<AuditEntry> {
        let mut tx = self.pool.begin().await?;
        let entry = append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await?;
        Ok(entry)
    }

    #[tracing::instrument(skip_all, err)]
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut q = query(format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE 1 = 1"));
        if let Some(from) = filter.from {
            q.push(" AND at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            q.push(" AND at < ").push_bind(to);
        }
        if let Some(actor) = &filter.actor {
            q.push(" AND actor = ").push_bind(actor);
        }
        if let Some(prefix) = &filter.action_prefix {
            q.push(" AND substr(action, 1, CAST(")
                .push_bind(prefix.chars().count() as i64)
                .push(" AS INTEGER)) = ")
                .push_bind(prefix);
        }
        q.push(" ORDER BY seq DESC LIMIT ")
            .push_bind(filter.limit.max(0));
        let rows: Vec<AuditRow> = q.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn seal_plain_audit(&self, actor: &str) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let sealed = seal_plain(&mut tx, &self.audit_key, actor).await?;
        tx.commit().await?;
        Ok(sealed)
    }

    #[tracing::instrument(skip_all, err)]
    async fn audit_chain(&self) -> Result<AuditChain> {
        let mut tx = self.pool.begin().await?;
        let (seq, hash, keyed_from): (i64, String, Option<i64>) =
            query("SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1")
                .fetch_one(&mut tx)
                .await?;
        let rows: Vec<AuditRow> = query(format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq"
        ))
        .fetch_all(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(AuditChain {
            entries: rows.into_iter().map(Into::into).collect(),
            head: (seq, hash),
            keyed_from,
        })
    }
}

/// Appends an audit entry inside `tx`, chained to the head. Updating the head row first takes the write lock
/// (SQLite) or the row lock (PostgreSQL), so concurrent appends queue and never fork.
pub(crate) async fn append(
    tx: &mut Tx<'_>,
    key: &AuditKey,
    draft: &AuditDraft,
) -> Result<AuditEntry> {
    let (seq, prev_hash): (i64, String) =
        query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *tx)
            .await?;
    let at = Utc::now().trunc_subsecs(6);
    let hash = entry_hash(key, &prev_hash, seq, at, draft);
    query(format!(
        "INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(seq)
    .bind(at)
    .bind(&draft.actor)
    .bind(&draft.action)
    .bind(&draft.target)
    .bind(&draft.reason)
    .bind(&draft.detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    Ok(AuditEntry {
        seq,
        at,
        draft: draft.clone(),
        prev_hash,
        hash,
    })
}

/// Appends `drafts` to the audit chain inside `tx`, in order: one head update and one multi-row insert for them
/// all (the group commit's entries), chained exactly as one [`append`] call each.
pub(crate) async fn append_many(
    tx: &mut Tx<'_>,
    key: &AuditKey,
    drafts: &[AuditDraft],
) -> Result<()> {
    if drafts.is_empty() {
        return Ok(());
    }
    let n = drafts.len() as i64;
    let (last, mut prev): (i64, String) =
        query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
            .bind(n)
            .fetch_one(&mut *tx)
            .await?;
    let at = Utc::now().trunc_subsecs(6);
    let mut rows = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.iter().enumerate() {
        let seq = last - n + 1 + i as i64;
        let hash = entry_hash(key, &prev, seq, at, draft);
        rows.push((seq, draft, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    let head = format!("INSERT INTO audit_log ({AUDIT_COLUMNS})");
    insert_rows(tx, &head, &rows, |v, (seq, draft, prev_hash, hash)| {
        v.bind(*seq)
            .bind(at)
            .bind(&draft.actor)
            .bind(&draft.action)
            .bind(&draft.target)
            .bind(&draft.reason)
            .bind(&draft.detail)
            .bind(prev_hash)
            .bind(hash);
    })
    .await?;
    query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Marks a new database's chain as keyed from its first entry. A log with entries and no keyed start is left
/// alone: it was written before keying, or someone cleared the start to have forged plain entries sealed; only
/// [`AuditStore::seal_plain_audit`] seals it, when the administrator says so or the key is new.
pub(crate) async fn mark_keyed_start(tx: &mut Tx<'_>) -> Result<()> {
    query("UPDATE audit_head SET keyed_from = 1 WHERE id = 1 AND keyed_from IS NULL AND seq = 0")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Seals a plain (pre-key) log inside `tx`: its keyed part starts after the plain entries at its start (entries
/// appended with the key while it waited for the seal are keyed already), and an [`KEYED_ACTION`] entry by
/// `actor` is appended. Refused ([`StoreError::Corrupt`]) when the rest does not verify with the key: a log
/// broken somewhere is reported by `audit verify`, never sealed. Returns how many plain entries were sealed,
/// `None` when the log is keyed already.
pub(crate) async fn seal_plain(
    tx: &mut Tx<'_>,
    key: &AuditKey,
    actor: &str,
) -> Result<Option<i64>> {
    let (seq, keyed_from): (i64, Option<i64>) =
        query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, keyed_from")
            .fetch_one(&mut *tx)
            .await?;
    if keyed_from.is_some() {
        return Ok(None);
    }
    let rows: Vec<AuditRow> = query(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let entries: Vec<AuditEntry> = rows.into_iter().map(Into::into).collect();
    let plain = plain_prefix(&entries);
    let start = plain as i64 + 1;
    if let Some(last) = entries.last() {
        if let Err(b) = verify_chain(key, &entries, Some((seq, &last.hash)), Some(start.min(seq))) {
            if plain < entries.len() {
                return Err(StoreError::Corrupt(format!("审计日志不能封存：{b}")));
            }
        }
    }
    query("UPDATE audit_head SET keyed_from = $1 WHERE id = 1")
        .bind(start)
        .execute(&mut *tx)
        .await?;
    if !entries.is_empty() {
        let draft = AuditDraft::new(
            actor,
            KEYED_ACTION,
            "audit_log",
            serde_json::json!({"plain_entries": plain}),
        );
        append(tx, key, &draft).await?;
    }
    Ok(Some(plain as i64))
}
