//! The command center's shifts: the pool (`shift_pool`), exclusions, the shifts with their leader and officers,
//! and the handover log. Every write is one transaction with its audit entry and a change-feed row.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::shifts::{ShiftCrew, ShiftExclusion, ShiftKind, ShiftSlot};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::changes::{record, stale, versioned_update};
use crate::sql::{insert_rows, query};
use crate::{audit, AnyStore, Result, StoreError};

/// A shift as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredShift {
    /// Row.
    pub id: Uuid,
    /// Who.
    pub crew: ShiftCrew,
    /// Changed by hand: kept when shifts are generated again.
    pub manual: bool,
    /// Why it was changed.
    pub reason: String,
    /// Row version.
    pub version: i64,
}

/// An item of the handover log.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    /// Row.
    pub id: Uuid,
    /// The shift it was written on.
    pub shift_id: Uuid,
    /// What is to be followed up.
    pub item: String,
    /// Who wrote it.
    pub written_by: String,
    /// When.
    pub written_at: DateTime<Utc>,
    /// When it was closed, if it was.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// How it ended.
    pub closing_note: String,
}

/// The shifts' rows.
#[async_trait]
pub trait ShiftStore {
    /// The pool: `(person, post)` by post then position; post is `leader` or `officer`.
    async fn shift_pool(&self) -> Result<Vec<(Uuid, String)>>;
    /// Replaces the pool, with `audit`.
    async fn set_shift_pool(
        &self,
        leaders: &[Uuid],
        officers: &[Uuid],
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Every exclusion with its reason.
    async fn shift_exclusions(&self) -> Result<Vec<(ShiftExclusion, String)>>;
    /// Adds an exclusion, with `audit`.
    async fn add_shift_exclusion(
        &self,
        x: &ShiftExclusion,
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// The shifts starting within `from..=to`, in order.
    async fn shifts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredShift>>;
    /// One shift.
    async fn shift(&self, id: Uuid) -> Result<Option<StoredShift>>;
    /// Writes a generation, all or none: `deletes` are generated shifts as read (id, version).
    async fn write_shifts(
        &self,
        deletes: &[(Uuid, i64)],
        inserts: &[ShiftCrew],
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Sets a shift's crew by hand, against the version read, with the reason and `audit`.
    async fn set_shift_crew(
        &self,
        id: Uuid,
        version: i64,
        leader: Option<Uuid>,
        officers: &[Uuid],
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// The open items, and those closed since `since`, oldest first.
    async fn handovers(&self, since: DateTime<Utc>) -> Result<Vec<Handover>>;
    /// Writes an item, with `audit`.
    async fn add_handover(&self, h: &Handover, audit: &AuditDraft) -> Result<()>;
    /// Closes an open item, with `audit`; an item already closed is [`StoreError::NotFound`].
    async fn close_handover(
        &self,
        id: Uuid,
        by: &str,
        note: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<()>;
}

type ShiftRow = (Uuid, String, String, Option<Uuid>, bool, String, i64);

#[async_trait]
impl ShiftStore for AnyStore {
    async fn shift_pool(&self) -> Result<Vec<(Uuid, String)>> {
        query("SELECT person_id, post FROM shift_pool ORDER BY post, position")
            .fetch_all(&self.pool)
            .await
    }

    async fn set_shift_pool(
        &self,
        leaders: &[Uuid],
        officers: &[Uuid],
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        query("DELETE FROM shift_pool").execute(&mut tx).await?;
        let rows: Vec<(Uuid, &str, i64)> = leaders
            .iter()
            .enumerate()
            .map(|(i, p)| (*p, "leader", i as i64))
            .chain(
                officers
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (*p, "officer", i as i64)),
            )
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO shift_pool (person_id, post, position)",
            &rows,
            |v, r| {
                v.bind(r.0).bind(r.1).bind(r.2);
            },
        )
        .await?;
        record(&mut tx, Entity::Shift, None, Operation::Update, None).await?;
        tx.commit().await
    }

    async fn shift_exclusions(&self) -> Result<Vec<(ShiftExclusion, String)>> {
        let rows: Vec<(Uuid, String, String, String)> = query(
            "SELECT person_id, from_day, to_day, reason FROM shift_exclusions ORDER BY from_day",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(person_id, from, to, reason)| {
                Ok((
                    ShiftExclusion {
                        person_id,
                        from: day(&from)?,
                        to: day(&to)?,
                    },
                    reason,
                ))
            })
            .collect()
    }

    async fn add_shift_exclusion(
        &self,
        x: &ShiftExclusion,
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        query("INSERT INTO shift_exclusions (id, person_id, from_day, to_day, reason) VALUES ($1, $2, $3, $4, $5)")
            .bind(chengguan_core::new_id())
            .bind(x.person_id)
            .bind(x.from.to_string())
            .bind(x.to.to_string())
            .bind(reason)
            .execute(&mut tx)
            .await?;
        record(&mut tx, Entity::Shift, None, Operation::Insert, None).await?;
        tx.commit().await
    }

    async fn shifts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredShift>> {
        let rows: Vec<ShiftRow> = query(
            "SELECT id, day, kind, leader_id, manual, reason, version FROM shifts \
             WHERE day >= $1 AND day <= $2 ORDER BY day, kind",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let officers: Vec<(Uuid, Uuid)> = query(
            "SELECT o.shift_id, o.person_id FROM shift_officers o JOIN shifts s ON s.id = o.shift_id \
             WHERE s.day >= $1 AND s.day <= $2",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut crew: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
        for (shift, person) in officers {
            crew.entry(shift).or_default().push(person);
        }
        let mut out: Vec<StoredShift> = rows
            .into_iter()
            .map(|r| {
                let officers = crew.remove(&r.0).unwrap_or_default();
                stored(r, officers)
            })
            .collect::<Result<_>>()?;
        out.sort_by_key(|s| s.crew.slot);
        Ok(out)
    }

    async fn shift(&self, id: Uuid) -> Result<Option<StoredShift>> {
        let row: Option<ShiftRow> = query(
            "SELECT id, day, kind, leader_id, manual, reason, version FROM shifts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let officers: Vec<(Uuid,)> =
            query("SELECT person_id FROM shift_officers WHERE shift_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        stored(row, officers.into_iter().map(|o| o.0).collect()).map(Some)
    }

    #[tracing::instrument(skip_all, err, fields(inserts = inserts.len()))]
    async fn write_shifts(
        &self,
        deletes: &[(Uuid, i64)],
        inserts: &[ShiftCrew],
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        for (id, version) in deletes {
            query("DELETE FROM shift_officers WHERE shift_id = $1")
                .bind(*id)
                .execute(&mut tx)
                .await?;
            let done = query("DELETE FROM shifts WHERE id = $1 AND version = $2 AND NOT manual")
                .bind(*id)
                .bind(*version)
                .execute(&mut tx)
                .await?;
            if done == 0 {
                return Err(stale(&mut tx, Entity::Shift, "shifts", *id, *version).await);
            }
        }
        let rows: Vec<(Uuid, &ShiftCrew)> = inserts
            .iter()
            .map(|c| (chengguan_core::new_id(), c))
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO shifts (id, day, kind, leader_id, manual, reason, version)",
            &rows,
            |v, (id, c)| {
                v.bind(*id)
                    .bind(c.slot.day.to_string())
                    .bind(c.slot.kind.code())
                    .bind(c.leader)
                    .bind(false)
                    .bind("")
                    .bind(1i64);
            },
        )
        .await?;
        let officers: Vec<(Uuid, Uuid)> = rows
            .iter()
            .flat_map(|(id, c)| c.officers.iter().map(move |p| (*id, *p)))
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO shift_officers (shift_id, person_id)",
            &officers,
            |v, (s, p)| {
                v.bind(*s).bind(*p);
            },
        )
        .await?;
        record(&mut tx, Entity::Shift, None, Operation::Import, None).await?;
        tx.commit().await
    }

    async fn set_shift_crew(
        &self,
        id: Uuid,
        version: i64,
        leader: Option<Uuid>,
        officers: &[Uuid],
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let done = query(
            "UPDATE shifts SET leader_id = $1, manual = $2, reason = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(leader)
        .bind(true)
        .bind(reason)
        .bind(id)
        .bind(version)
        .execute(&mut tx)
        .await?;
        versioned_update(&mut tx, Entity::Shift, "shifts", id, version, done).await?;
        query("DELETE FROM shift_officers WHERE shift_id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        let rows: Vec<(Uuid, Uuid)> = officers.iter().map(|p| (id, *p)).collect();
        insert_rows(
            &mut tx,
            "INSERT INTO shift_officers (shift_id, person_id)",
            &rows,
            |v, (s, p)| {
                v.bind(*s).bind(*p);
            },
        )
        .await?;
        tx.commit().await
    }

    async fn handovers(&self, since: DateTime<Utc>) -> Result<Vec<Handover>> {
        type Row = (
            Uuid,
            Uuid,
            String,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = query(
            "SELECT id, shift_id, item, written_by, written_at, closed_at, closed_by, closing_note \
             FROM shift_handovers WHERE closed_at IS NULL OR closed_at >= $1 ORDER BY written_at",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Handover {
                id: r.0,
                shift_id: r.1,
                item: r.2,
                written_by: r.3,
                written_at: r.4,
                closed_at: r.5,
                closed_by: r.6,
                closing_note: r.7,
            })
            .collect())
    }

    async fn add_handover(&self, h: &Handover, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        query(
            "INSERT INTO shift_handovers (id, shift_id, item, written_by, written_at, closing_note) \
             VALUES ($1, $2, $3, $4, $5, '')",
        )
        .bind(h.id)
        .bind(h.shift_id)
        .bind(&h.item)
        .bind(&h.written_by)
        .bind(h.written_at)
        .execute(&mut tx)
        .await?;
        record(
            &mut tx,
            Entity::Shift,
            Some(h.shift_id),
            Operation::Insert,
            None,
        )
        .await?;
        tx.commit().await
    }

    async fn close_handover(
        &self,
        id: Uuid,
        by: &str,
        note: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let done = query(
            "UPDATE shift_handovers SET closed_at = $1, closed_by = $2, closing_note = $3 \
             WHERE id = $4 AND closed_at IS NULL",
        )
        .bind(at)
        .bind(by)
        .bind(note)
        .bind(id)
        .execute(&mut tx)
        .await?;
        if done == 0 {
            return Err(StoreError::NotFound {
                entity: "未结的交接事项",
                id,
            });
        }
        record(&mut tx, Entity::Shift, None, Operation::Update, None).await?;
        tx.commit().await
    }
}

fn stored(r: ShiftRow, officers: Vec<Uuid>) -> Result<StoredShift> {
    let (id, d, kind, leader, manual, reason, version) = r;
    Ok(StoredShift {
        id,
        crew: ShiftCrew {
            slot: ShiftSlot {
                day: day(&d)?,
                kind: ShiftKind::from_code(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("班次 {id} 的类型 {kind} 未知")))?,
            },
            leader,
            officers,
        },
        manual,
        reason,
        version,
    })
}

fn day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("班次的日期 {text} 无效")))
}
