//! Many petitions at once (a hotline export, the demo town's year): numbered in the order given, in one
//! transaction with multi-row INSERTs; all or nothing.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::petitions::{Petition, PetitionEvent, PetitionNumber};

use crate::Result;

/// Bulk storage of petitions. Implemented by both stores and by [`crate::AnyStore`].
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

/// Implements [`PetitionImportStore`] for `$store` (with `pool`, `record` and `audit`).
macro_rules! petition_import_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::PetitionImportStore for $store {
            #[tracing::instrument(skip_all, err, fields(rows = batch.len()))]
            async fn insert_petitions(
                &self,
                batch: &[$crate::NewPetitionRow],
            ) -> $crate::Result<Vec<chengguan_core::petitions::Petition>> {
                let mut tx = self.pool.begin().await?;
                let stored = Self::insert_batch(&mut tx, batch).await?;
                tx.commit().await?;
                Ok(stored)
            }

            #[tracing::instrument(skip_all, err, fields(rows = rows.len()))]
            async fn import_petitions(
                &self,
                rows: &[(chengguan_core::petitions::Petition, Vec<chengguan_core::petitions::PetitionEvent>)],
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<Vec<chengguan_core::petitions::PetitionNumber>> {
                let mut conn = self.pool.acquire().await?;
                // SQLite: the default page cache (2 MB) thrashes on the indexes of a large batch, so 64 MB for
                // the import; and the WAL is not checkpointed in the import's commit (copying the batch's pages
                // into the database file took 120 ms of every 100,000 rows) but right after, in the background,
                // without blocking anyone. Both back to the defaults before the connection returns to the pool.
                let sqlite = Self::KIND == $crate::DatabaseKind::Sqlite;
                if sqlite {
                    sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA wal_autocheckpoint = 0").execute(&mut *conn).await?;
                }
                let outcome = async {
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    let numbers = Self::store_batch(&mut tx, rows, audit).await?;
                    tx.commit().await?;
                    Ok::<_, $crate::StoreError>(numbers)
                }
                .await;
                if sqlite {
                    sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA wal_autocheckpoint = 1000").execute(&mut *conn).await?;
                    drop(conn);
                    if outcome.is_ok() {
                        let pool = self.pool.clone();
                        tokio::spawn(async move {
                            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                                tracing::warn!("checkpoint after an import: {e}");
                            }
                        });
                    }
                }
                outcome
            }
        }

        impl $store {
            /// Reserves, inside `tx`, as many numbers in each year as `years` names it, by one
            /// `UPDATE … RETURNING` of its counter each: the counter's row lock (PostgreSQL) or the write lock (SQLite)
            /// is taken before anything is read, so that concurrent registrations wait and then number after these,
            /// and a rollback gives the range back. Returns, per year, the number before the first reserved.
            async fn reserve_numbers(
                tx: &mut sqlx::Transaction<'_, $db>,
                years: impl Iterator<Item = i32>,
            ) -> $crate::Result<std::collections::BTreeMap<i32, i64>> {
                let mut counts: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
                for year in years {
                    *counts.entry(year).or_default() += 1;
                }
                let mut before = std::collections::BTreeMap::new();
                for (year, count) in &counts {
                    let last: i64 = sqlx::query_scalar(
                        "INSERT INTO petition_counters (year, last) VALUES ($1, $2) \
                         ON CONFLICT (year) DO UPDATE SET last = petition_counters.last + $2 RETURNING last",
                    )
                    .bind(i64::from(*year))
                    .bind(*count)
                    .fetch_one(&mut **tx)
                    .await?;
                    before.insert(*year, last - count);
                }
                Ok(before)
            }

            /// [`PetitionImportStore::insert_petitions`] inside `tx`.
            async fn insert_batch(
                tx: &mut sqlx::Transaction<'_, $db>,
                batch: &[$crate::NewPetitionRow],
            ) -> $crate::Result<Vec<chengguan_core::petitions::Petition>> {
                let mut next = Self::reserve_numbers(tx, batch.iter().map(|(p, _, _)| p.number.year)).await?;
                let mut numbered = Vec::with_capacity(batch.len());
                let mut stored = Vec::with_capacity(batch.len());
                let mut audits = Vec::with_capacity(batch.len());
                for (p, _, audit) in batch {
                    let seq = next.entry(p.number.year).or_default();
                    *seq += 1;
                    numbered.push((p, i64::from(p.number.year), *seq));
                    let number = chengguan_core::petitions::PetitionNumber {
                        year: p.number.year,
                        sequence: *seq as u32,
                    };
                    let mut audit = audit.clone();
                    audit.target = format!("petition:{number}");
                    audits.push(audit);
                    stored.push(chengguan_core::petitions::Petition { number, version: 1, ..p.clone() });
                }
                let head = format!("INSERT INTO petitions ({}) ", $crate::rows::PETITION_COLUMNS);
                for chunk in numbered.chunks($crate::queries::INSERT_CHUNK) {
                    Self::petition_rows(&head, chunk).build().execute(&mut **tx).await?;
                }
                $crate::queries::bulk_insert!($db, (*tx),
                    "INSERT INTO petition_events (petition_id, at, actor, action, status_after, note) ",
                    batch, |b, r| {
                        b.push_bind(r.0.id).push_bind(r.1.at).push_bind(r.1.actor.as_str())
                            .push_bind(r.1.action.as_str()).push_bind(r.1.status_after.as_str())
                            .push_bind(r.1.note.as_str());
                    });
                let now = chrono::Utc::now();
                $crate::queries::bulk_insert!($db, (*tx),
                    "INSERT INTO changes (at, entity, entity_id, op, version) ",
                    batch, |b, r| {
                        b.push_bind(now).push_bind("petition").push_bind(Some(r.0.id))
                            .push_bind("insert").push_bind(Some(1_i64));
                    });
                Self::after_change(tx, 0).await?;
                Self::audit_many(tx, &audits).await?;
                Ok(stored)
            }

            /// One multi-row INSERT of `chunk`; texts are bound by reference (SQLite then copies nothing).
            fn petition_rows<'a>(
                head: &str,
                chunk: &'a [(&'a chengguan_core::petitions::Petition, i64, i64)],
            ) -> sqlx::QueryBuilder<'a, $db> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(head);
                qb.push_values(chunk, |mut b, (p, year, seq)| {
                    b.push_bind(p.id).push_bind(*year).push_bind(*seq).push_bind(p.channel.code())
                        .push_bind(p.category.as_str()).push_bind(p.description.as_str())
                        .push_bind(p.location.map(|l| l[0])).push_bind(p.location.map(|l| l[1]))
                        .push_bind(p.arrived_crs.as_str()).push_bind(p.address.as_str())
                        .push_bind(p.grid_code.as_deref()).push_bind(p.grid_override_reason.as_deref())
                        .push_bind(p.reporter_name.as_str()).push_bind(p.reporter_phone.as_str())
                        .push_bind(p.status.code()).push_bind(p.level.map(|l| l.code()))
                        .push_bind(p.assignee.as_deref()).push_bind(p.deadline)
                        .push_bind(p.rating.map(i64::from)).push_bind(p.rating_comment.as_deref())
                        .push_bind(p.merged_into).push_bind(p.received_at).push_bind(p.closed_at)
                        .push_bind(p.version).push_bind(p.media_url.as_deref()).push_bind(p.updated_at)
                        .push_bind(p.reporter_email.as_str()).push_bind(p.reporter_device.as_str());
                });
                qb
            }

            /// Numbers and writes a batch inside `tx` (see [`PetitionImportStore::import_petitions`]).
            async fn store_batch(
                tx: &mut sqlx::Transaction<'_, $db>,
                rows: &[(chengguan_core::petitions::Petition, Vec<chengguan_core::petitions::PetitionEvent>)],
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<Vec<chengguan_core::petitions::PetitionNumber>> {
                // Each year's range of numbers is reserved first, in this transaction, by one UPDATE … RETURNING
                // of its counter: the counter's row lock (PostgreSQL) or the write lock (SQLite) is taken before
                // anything is read, so petitions posted meanwhile wait for the import and then number after it,
                // never colliding with it; and a failed import gives its range back with the rollback.
                let mut next = Self::reserve_numbers(tx, rows.iter().map(|(p, _)| p.number.year)).await?;
                let mut numbered = Vec::with_capacity(rows.len());
                for (p, _) in rows {
                    let year = p.number.year;
                    let seq = next.entry(year).or_default();
                    *seq += 1;
                    numbered.push((p, i64::from(year), *seq));
                }
                let head = format!("INSERT INTO petitions ({}) ", $crate::rows::PETITION_COLUMNS);
                let build = |chunk| Self::petition_rows(&head, chunk);
                // The next statement's values are bound while the database runs the current one (its driver
                // works on a thread of its own): the two overlap on two cores.
                let mut chunks = numbered.chunks($crate::queries::INSERT_CHUNK);
                let mut current = chunks.next().map(build);
                while let Some(mut qb) = current.take() {
                    let (done, next) = tokio::join!(
                        async { qb.build().execute(&mut **tx).await },
                        async { chunks.next().map(build) }
                    );
                    done?;
                    current = next;
                }
                let events: Vec<(uuid::Uuid, &chengguan_core::petitions::PetitionEvent)> =
                    rows.iter().flat_map(|(p, es)| es.iter().map(move |e| (p.id, e))).collect();
                $crate::queries::bulk_insert!($db, (*tx),
                    "INSERT INTO petition_events (petition_id, at, actor, action, status_after, note) ",
                    events, |b, r| {
                        b.push_bind(r.0).push_bind(r.1.at).push_bind(r.1.actor.as_str())
                            .push_bind(r.1.action.as_str()).push_bind(r.1.status_after.as_str())
                            .push_bind(r.1.note.as_str());
                    });
                if !rows.is_empty() {
                    Self::record(tx, "petition", None, "import", None).await?;
                }
                Self::audit(tx, audit).await?;
                Ok(numbered
                    .iter()
                    .map(|(_, year, seq)| chengguan_core::petitions::PetitionNumber {
                        year: *year as i32,
                        sequence: *seq as u32,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use petition_import_impl;

#[async_trait]
impl PetitionImportStore for crate::AnyStore {
    async fn import_petitions(
        &self,
        rows: &[(Petition, Vec<PetitionEvent>)],
        audit: &AuditDraft,
    ) -> Result<Vec<PetitionNumber>> {
        crate::any::delegate!(self.import_petitions(rows, audit))
    }

    async fn insert_petitions(&self, batch: &[NewPetitionRow]) -> Result<Vec<Petition>> {
        crate::any::delegate!(self.insert_petitions(batch))
    }
}
