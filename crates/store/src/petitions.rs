//! Residents' petitions (`petitions`, `petition_events`, `petition_counters`): numbered per year, each step of
//! the workflow written against the version read, with its timeline entry.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::petitions::{Petition, PetitionEvent, PetitionNumber};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::changes::{record, versioned_update};
use crate::db::Tx;
use crate::rows::{PetitionEventRow, PetitionRow, PETITION_COLUMNS};
use crate::sql::{insert_rows, query, Query, Values};
use crate::{audit, AnyStore, Result};

/// Which petitions to list; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PetitionFilter {
    /// Only these status codes (empty: all).
    pub statuses: Vec<String>,
    /// Only these category codes (empty: all).
    pub categories: Vec<String>,
    /// Only these channel codes (empty: all).
    pub channels: Vec<String>,
    /// Only these handling levels (empty: all).
    pub levels: Vec<String>,
    /// Only this grid (a grid worker's scope).
    pub grid_code: Option<String>,
    /// Only these grids (e.g. a community's; empty: all).
    pub grid_codes: Vec<String>,
    /// Received at or after.
    pub received_from: Option<DateTime<Utc>>,
    /// Received before.
    pub received_before: Option<DateTime<Utc>>,
    /// Only those whose deadline is before this instant (with open statuses: the overdue ones).
    pub deadline_before: Option<DateTime<Utc>>,
    /// Order by deadline, soonest first (default: newest first).
    pub by_deadline: bool,
    /// Skip this many.
    pub offset: i64,
    /// At most this many.
    pub limit: i64,
}

/// A petition as analysis sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PetitionPoint {
    /// WGS-84 longitude.
    pub lon: f64,
    /// WGS-84 latitude.
    pub lat: f64,
    /// The grid it was reported in.
    pub grid_code: Option<String>,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
}

/// A step of the workflow to store: the petition as it is after the step, the version it was read at, and the
/// timeline entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionUpdate {
    /// The petition after the step (its `version` is the one read).
    pub petition: Petition,
    /// The timeline entry.
    pub event: PetitionEvent,
}

/// Storage of the petitions and their timelines.
#[async_trait]
pub trait PetitionStore {
    /// Stores a new petition, giving it the next number of `number.year` (`number.sequence` is ignored), with its
    /// first timeline entry and an audit entry, in one transaction; returns it as stored.
    async fn insert_petition(
        &self,
        petition: &Petition,
        event: &PetitionEvent,
        audit: &AuditDraft,
    ) -> Result<Petition>;

    /// A petition by identifier.
    async fn petition(&self, id: Uuid) -> Result<Option<Petition>>;

    /// The petition numbered `GT-{year}-{seq}` (an index lookup).
    async fn petition_by_number(&self, year: i64, seq: i64) -> Result<Option<Petition>>;

    /// Petitions matching `filter`, newest first (or by deadline).
    async fn petitions(&self, filter: &PetitionFilter) -> Result<Vec<Petition>>;

    /// How many petitions match `filter` (its offset and limit ignored).
    async fn count_petitions(&self, filter: &PetitionFilter) -> Result<i64>;

    /// The located petitions matching `filter` (its offset and limit ignored) as points for analysis: WGS-84
    /// longitude and latitude, the grid they were reported in, and when they arrived. Only these columns are read.
    async fn petition_points(&self, filter: &PetitionFilter) -> Result<Vec<PetitionPoint>>;

    /// Writes a workflow step if the stored version is still the one read (else `Conflict`, nothing written),
    /// with its timeline entry and audit entry; returns the petition as stored.
    async fn update_petition(
        &self,
        update: &PetitionUpdate,
        audit: &AuditDraft,
    ) -> Result<Petition>;

    /// A petition's timeline, oldest first.
    async fn petition_events(&self, id: Uuid) -> Result<Vec<PetitionEvent>>;
}

#[async_trait]
impl PetitionStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn insert_petition(
        &self,
        p: &Petition,
        event: &PetitionEvent,
        audit: &AuditDraft,
    ) -> Result<Petition> {
        let mut tx = self.pool.begin().await?;
        let year = i64::from(p.number.year);
        let seq: i64 = query(
            "INSERT INTO petition_counters (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = petition_counters.last + 1 RETURNING last",
        )
        .bind(year)
        .scalar(&mut tx)
        .await?;
        let number = PetitionNumber {
            year: p.number.year,
            sequence: seq as u32,
        };
        let head = format!("INSERT INTO petitions ({PETITION_COLUMNS})");
        let row = [(p, year, seq, 1)];
        insert_rows(&mut tx, &head, &row, |v, r| bind_petition(v, r)).await?;
        insert_events(&mut tx, &[(p.id, event)]).await?;
        record(
            &mut tx,
            Entity::Petition,
            Some(p.id),
            Operation::Insert,
            Some(1),
        )
        .await?;
        let mut audit = audit.clone();
        audit.target = format!("petition:{number}");
        audit::append(&mut tx, &self.audit_key, &audit).await?;
        tx.commit().await?;
        // As stored: the row holds exactly these values (no read-back: this is the intake's hot path).
        Ok(Petition {
            number,
            version: 1,
            ..p.clone()
        })
    }

    #[tracing::instrument(skip_all, err)]
    async fn petition(&self, id: Uuid) -> Result<Option<Petition>> {
        let row: Option<PetitionRow> = query(format!(
            "SELECT {PETITION_COLUMNS} FROM petitions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(TryInto::try_into).transpose()
    }

    #[tracing::instrument(skip_all, err)]
    async fn petition_by_number(&self, year: i64, seq: i64) -> Result<Option<Petition>> {
        let row: Option<PetitionRow> = query(format!(
            "SELECT {PETITION_COLUMNS} FROM petitions WHERE year = $1 AND seq = $2"
        ))
        .bind(year)
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?;
        row.map(TryInto::try_into).transpose()
    }

    #[tracing::instrument(skip_all, err)]
    async fn petitions(&self, filter: &PetitionFilter) -> Result<Vec<Petition>> {
        let mut q = query(format!("SELECT {PETITION_COLUMNS} FROM petitions"));
        push_conditions(&mut q, filter);
        q.push(if filter.by_deadline {
            " ORDER BY deadline, year, seq"
        } else {
            " ORDER BY year DESC, seq DESC"
        });
        q.push(" LIMIT ").push_bind(filter.limit.max(0));
        q.push(" OFFSET ").push_bind(filter.offset.max(0));
        let rows: Vec<PetitionRow> = q.fetch_all(&self.pool).await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn count_petitions(&self, filter: &PetitionFilter) -> Result<i64> {
        let mut q = query("SELECT COUNT(*) FROM petitions");
        push_conditions(&mut q, filter);
        q.scalar(&self.pool).await
    }

    #[tracing::instrument(skip_all, err)]
    async fn petition_points(&self, filter: &PetitionFilter) -> Result<Vec<PetitionPoint>> {
        let mut q = query("SELECT lon, lat, grid_code, received_at FROM petitions");
        push_conditions(&mut q, filter);
        q.push(" AND lon IS NOT NULL AND lat IS NOT NULL");
        q.fetch_all(&self.pool).await
    }

    #[tracing::instrument(skip_all, err)]
    async fn update_petition(&self, u: &PetitionUpdate, audit: &AuditDraft) -> Result<Petition> {
        let p = &u.petition;
        let mut tx = self.pool.begin().await?;
        let done = query(
            "UPDATE petitions SET category = $1, grid_code = $2, grid_override_reason = $3, \
             status = $4, level = $5, assignee = $6, deadline = $7, rating = $8, rating_comment = $9, \
             merged_into = $10, closed_at = $11, updated_at = $14, version = version + 1 \
             WHERE id = $12 AND version = $13",
        )
        .bind(&p.category)
        .bind(&p.grid_code)
        .bind(&p.grid_override_reason)
        .bind(p.status.code())
        .bind(p.level.map(|l| l.code()))
        .bind(&p.assignee)
        .bind(p.deadline)
        .bind(p.rating.map(i64::from))
        .bind(&p.rating_comment)
        .bind(p.merged_into)
        .bind(p.closed_at)
        .bind(p.id)
        .bind(p.version)
        .bind(p.updated_at)
        .execute(&mut tx)
        .await?;
        versioned_update(
            &mut tx,
            Entity::Petition,
            "petitions",
            p.id,
            p.version,
            done,
        )
        .await?;
        insert_events(&mut tx, &[(p.id, &u.event)]).await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let row: PetitionRow = query(format!(
            "SELECT {PETITION_COLUMNS} FROM petitions WHERE id = $1"
        ))
        .bind(p.id)
        .fetch_one(&mut tx)
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, err)]
    async fn petition_events(&self, id: Uuid) -> Result<Vec<PetitionEvent>> {
        let rows: Vec<PetitionEventRow> = query(
            "SELECT at, actor, action, status_after, note FROM petition_events \
             WHERE petition_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// A petition to write: the petition, its year and sequence, and its version.
pub(crate) type NumberedPetition<'a> = (&'a Petition, i64, i64, i64);

/// Binds the values of one row of `petitions`, in the order of [`PETITION_COLUMNS`]; texts by reference (SQLite
/// then copies nothing).
pub(crate) fn bind_petition<'a>(
    v: &mut Values<'_, 'a>,
    (p, year, seq, version): &NumberedPetition<'a>,
) {
    v.bind(p.id)
        .bind(*year)
        .bind(*seq)
        .bind(p.channel.code())
        .bind(&p.category)
        .bind(&p.description)
        .bind(p.location.map(|l| l[0]))
        .bind(p.location.map(|l| l[1]))
        .bind(&p.arrived_crs)
        .bind(&p.address)
        .bind(&p.grid_code)
        .bind(&p.grid_override_reason)
        .bind(&p.reporter_name)
        .bind(&p.reporter_phone)
        .bind(p.status.code())
        .bind(p.level.map(|l| l.code()))
        .bind(&p.assignee)
        .bind(p.deadline)
        .bind(p.rating.map(i64::from))
        .bind(&p.rating_comment)
        .bind(p.merged_into)
        .bind(p.received_at)
        .bind(p.closed_at)
        .bind(*version)
        .bind(&p.media_url)
        .bind(p.updated_at)
        .bind(&p.reporter_email)
        .bind(&p.reporter_device);
}

/// Appends timeline entries (petition, entry) inside `tx`.
pub(crate) async fn insert_events(
    tx: &mut Tx<'_>,
    events: &[(Uuid, &PetitionEvent)],
) -> Result<()> {
    insert_rows(
        tx,
        "INSERT INTO petition_events (petition_id, at, actor, action, status_after, note)",
        events,
        |v, (petition, e)| {
            v.bind(*petition)
                .bind(e.at)
                .bind(&e.actor)
                .bind(&e.action)
                .bind(&e.status_after)
                .bind(&e.note);
        },
    )
    .await
}

/// Appends the WHERE clause of `f`.
fn push_conditions<'a>(q: &mut Query<'a>, f: &'a PetitionFilter) {
    q.push(" WHERE 1 = 1");
    for (column, values) in [
        ("status", &f.statuses),
        ("category", &f.categories),
        ("channel", &f.channels),
        ("level", &f.levels),
        ("grid_code", &f.grid_codes),
    ] {
        if !values.is_empty() {
            q.push(&format!(" AND {column} IN ")).push_list(values);
        }
    }
    if let Some(grid) = &f.grid_code {
        q.push(" AND grid_code = ").push_bind(grid);
    }
    if let Some(t) = f.received_from {
        q.push(" AND received_at >= ").push_bind(t);
    }
    if let Some(t) = f.received_before {
        q.push(" AND received_at < ").push_bind(t);
    }
    if let Some(t) = f.deadline_before {
        q.push(" AND deadline < ").push_bind(t);
    }
}
