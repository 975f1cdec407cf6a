//! Many petitions at once (a hotline export, the demo town's year): numbered in the order given, in one
//! transaction with multi-row INSERTs; all or nothing.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chengguan_core::audit::{AuditDraft, AuditKey};
use chengguan_core::petitions::{Petition, PetitionEvent, PetitionNumber};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::Utc;
use uuid::Uuid;

use crate::changes::record;
use crate::db::{Pool, Tx};
use crate::petitions::{bind_petition, insert_events, NumberedPetition};
use crate::rows::PETITION_COLUMNS;
use crate::sql::{insert_rows, query, On};
use crate::{audit, AnyStore, Result, StoreError};

/// Bulk storage of petitions.
#[async_trait]
pub trait PetitionImportStore {
    /// Stores `rows` (each petition with its timeline) and returns their numbers: each petition is numbered
    /// within the year of its `number.year`, after the ones already given, in the order of `rows` (the given
    /// sequence is ignored). One change-feed entry and one audit entry for the whole batch.
    async fn import_petitions(
        &self,
        rows: &[(Petition, Vec<PetitionEvent>)],
        audit: &AuditDraft,
    ) -> Result<Vec<PetitionNumber>>;

    /// Registers new petitions together (group commit): each numbered in its year in the order given, with its
    /// first timeline entry, a change-feed entry and its own audit entry (its target set to the number), all in
    /// one transaction, so that one disk flush acknowledges them all. All or nothing; returns them as stored.
    async fn insert_petitions(&self, batch: &[NewPetitionRow]) -> Result<Vec<Petition>>;
}

/// A new petition for [`PetitionImportStore::insert_petitions`]: the petition (its sequence is given by the
/// store), its first timeline entry and its audit entry.
pub type NewPetitionRow = (Petition, PetitionEvent, AuditDraft);

#[async_trait]
impl PetitionImportStore for AnyStore {
    #[tracing::instrument(skip_all, err, fields(rows = batch.len()))]
    async fn insert_petitions(&self, batch: &[NewPetitionRow]) -> Result<Vec<Petition>> {
        let mut tx = self.pool.begin().await?;
        let stored = insert_batch(&mut tx, &self.audit_key, batch).await?;
        tx.commit().await?;
        Ok(stored)
    }

    #[tracing::instrument(skip_all, err, fields(rows = rows.len()))]
    async fn import_petitions(
        &self,
        rows: &[(Petition, Vec<PetitionEvent>)],
        audit: &AuditDraft,
    ) -> Result<Vec<PetitionNumber>> {
        match &self.pool {
            // SQLite: the default page cache (2 MB) thrashes on the indexes of a large batch, so 64 MB for the
            // import; and the WAL is not checkpointed in the import's commit (copying the batch's pages into the
            // database file took 120 ms of every 100,000 rows) but right after, in the background, without
            // blocking anyone. Both back to the defaults before the connection returns to the pool.
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                query("PRAGMA cache_size = -65536")
                    .execute(On::Sqlite(&mut conn))
                    .await?;
                query("PRAGMA wal_autocheckpoint = 0")
                    .execute(On::Sqlite(&mut conn))
                    .await?;
                let outcome = async {
                    let mut tx = Tx::Sqlite(sqlx::Connection::begin(&mut *conn).await?);
                    let numbers = store_batch(&mut tx, &self.audit_key, rows, audit).await?;
                    tx.commit().await?;
                    Ok::<_, StoreError>(numbers)
                }
                .await;
                query("PRAGMA cache_size = -2000")
                    .execute(On::Sqlite(&mut conn))
                    .await?;
                query("PRAGMA wal_autocheckpoint = 1000")
                    .execute(On::Sqlite(&mut conn))
                    .await?;
                drop(conn);
                if outcome.is_ok() {
                    let pool = self.pool.clone();
                    tokio::spawn(async move {
                        let checkpoint = query("PRAGMA wal_checkpoint(PASSIVE)");
                        if let Err(e) = checkpoint.execute(&pool).await {
                            tracing::warn!("checkpoint after an import: {e}");
                        }
                    });
                }
                outcome
            }
            Pool::Postgres(_) => {
                let mut tx = self.pool.begin().await?;
                let numbers = store_batch(&mut tx, &self.audit_key, rows, audit).await?;
                tx.commit().await?;
                Ok(numbers)
            }
        }
    }
}

/// Reserves, inside `tx`, as many numbers in each year as `years` names it, by one `UPDATE … RETURNING` of its
/// counter each: the counter's row lock (PostgreSQL) or the write lock (SQLite) is taken before anything is read,
/// so that concurrent registrations wait and then number after these, and a rollback gives the range back.
/// Returns, per year, the number before the first reserved.
async fn reserve_numbers(
    tx: &mut Tx<'_>,
    years: impl Iterator<Item = i32>,
) -> Result<BTreeMap<i32, i64>> {
    let mut counts: BTreeMap<i32, i64> = BTreeMap::new();
    for year in years {
        *counts.entry(year).or_default() += 1;
    }
    let mut before = BTreeMap::new();
    for (year, count) in counts {
        let last: i64 = query(
            "INSERT INTO petition_counters (year, last) VALUES ($1, $2) \
             ON CONFLICT (year) DO UPDATE SET last = petition_counters.last + $2 RETURNING last",
        )
        .bind(i64::from(year))
        .bind(count)
        .scalar(&mut *tx)
        .await?;
        before.insert(year, last - count);
    }
    Ok(before)
}

/// Gives each petition of `petitions` the next number of its year, from `next` (the number before the first
/// reserved, per year).
fn number<'a>(
    petitions: impl Iterator<Item = &'a Petition>,
    next: &mut BTreeMap<i32, i64>,
) -> Vec<NumberedPetition<'a>> {
    petitions
        .map(|p| {
            let seq = next.entry(p.number.year).or_default();
            *seq += 1;
            (p, i64::from(p.number.year), *seq, p.version)
        })
        .collect()
}

/// [`PetitionImportStore::insert_petitions`] inside `tx`.
async fn insert_batch(
    tx: &mut Tx<'_>,
    key: &AuditKey,
    batch: &[NewPetitionRow],
) -> Result<Vec<Petition>> {
    let mut next = reserve_numbers(tx, batch.iter().map(|(p, _, _)| p.number.year)).await?;
    let numbered = number(batch.iter().map(|(p, _, _)| p), &mut next);
    let mut stored = Vec::with_capacity(batch.len());
    let mut audits = Vec::with_capacity(batch.len());
    for ((p, _, seq, _), (_, _, audit)) in numbered.iter().zip(batch) {
        let number = PetitionNumber {
            year: p.number.year,
            sequence: *seq as u32,
        };
        let mut audit = audit.clone();
        audit.target = format!("petition:{number}");
        audits.push(audit);
        stored.push(Petition {
            number,
            version: 1,
            ..(*p).clone()
        });
    }
    let head = format!("INSERT INTO petitions ({PETITION_COLUMNS})");
    insert_rows(tx, &head, &numbered, bind_petition).await?;
    let events: Vec<(Uuid, &PetitionEvent)> = batch.iter().map(|(p, e, _)| (p.id, e)).collect();
    insert_events(tx, &events).await?;
    let now = Utc::now();
    insert_rows(
        tx,
        "INSERT INTO changes (at, entity, entity_id, op, version)",
        batch,
        |v, (p, _, _)| {
            v.bind(now)
                .bind(Entity::Petition.code())
                .bind(Some(p.id))
                .bind(Operation::Insert.code())
                .bind(Some(1_i64));
        },
    )
    .await?;
    tx.notify_change(0).await?;
    audit::append_many(tx, key, &audits).await?;
    Ok(stored)
}

/// Numbers and writes a batch inside `tx` (see [`PetitionImportStore::import_petitions`]).
async fn store_batch(
    tx: &mut Tx<'_>,
    key: &AuditKey,
    rows: &[(Petition, Vec<PetitionEvent>)],
    audit: &AuditDraft,
) -> Result<Vec<PetitionNumber>> {
    // Each year's range of numbers is reserved first, in this transaction (see `reserve_numbers`): petitions
    // posted meanwhile wait for the import and then number after it, never colliding with it; and a failed
    // import gives its range back with the rollback.
    let mut next = reserve_numbers(tx, rows.iter().map(|(p, _)| p.number.year)).await?;
    let numbered = number(rows.iter().map(|(p, _)| p), &mut next);
    let head = format!("INSERT INTO petitions ({PETITION_COLUMNS})");
    insert_rows(tx, &head, &numbered, bind_petition).await?;
    let events: Vec<(Uuid, &PetitionEvent)> = rows
        .iter()
        .flat_map(|(p, es)| es.iter().map(move |e| (p.id, e)))
        .collect();
    insert_events(tx, &events).await?;
    if !rows.is_empty() {
        record(tx, Entity::Petition, None, Operation::Import, None).await?;
    }
    audit::append(tx, key, audit).await?;
    Ok(numbered
        .iter()
        .map(|(_, year, seq, _)| PetitionNumber {
            year: *year as i32,
            sequence: *seq as u32,
        })
        .collect())
}
