//! What analysis needs of each located petition (its point, when it arrived, its grid and the codes filters
//! look at), read in full once and then only for the petitions the change log names; and what the key figures
//! need of every petition of a span (its deadline, rating and timeline).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::sql::query;
use crate::{AnyStore, Result};

/// Petitions read by id per query.
pub const FACTS_PER_QUERY: usize = 500;

/// One located petition as analysis filters and counts it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PetitionFacts {
    /// Identifier.
    pub id: Uuid,
    /// WGS-84 longitude.
    pub lon: f64,
    /// WGS-84 latitude.
    pub lat: f64,
    /// The grid it was reported in (or placed in by a duty officer).
    pub grid_code: Option<String>,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Category code.
    pub category: String,
    /// Status code.
    pub status: String,
    /// Channel code.
    pub channel: String,
    /// Handling level code, once assigned.
    pub level: Option<String>,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
}

/// One petition as the key figures read it (located or not).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PetitionHistory {
    /// Identifier.
    pub id: Uuid,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// Category code.
    pub category: String,
    /// Grid code.
    pub grid_code: Option<String>,
    /// The resident's rating, 1–5.
    pub rating: Option<i64>,
    /// Its timeline, in the order things happened.
    #[sqlx(skip)]
    pub events: Vec<HistoryEvent>,
}

/// One step of a petition's timeline.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HistoryEvent {
    /// The petition.
    pub petition_id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The action as the timeline shows it (`受理`, `退回重办`, …).
    pub action: String,
    /// The status after it, as the timeline shows it (`已办结`, …).
    pub status_after: String,
}

/// Reading petitions' facts.
#[async_trait]
pub trait PetitionFactsStore {
    /// Every located petition (`ids` none), or those of `ids` that are located.
    async fn petition_facts(&self, ids: Option<&[Uuid]>) -> Result<Vec<PetitionFacts>>;

    /// Every petition received in `[from, before)`, with its timeline.
    async fn petition_histories(
        &self,
        from: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<PetitionHistory>>;
}

const FACTS: &str =
    "SELECT id, lon, lat, grid_code, received_at, category, status, channel, level, \
     deadline FROM petitions WHERE lon IS NOT NULL AND lat IS NOT NULL";

#[async_trait]
impl PetitionFactsStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn petition_facts(&self, ids: Option<&[Uuid]>) -> Result<Vec<PetitionFacts>> {
        let Some(ids) = ids else {
            return query(FACTS).fetch_all(&self.pool).await;
        };
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(FACTS_PER_QUERY) {
            let mut q = query(FACTS);
            q.push(" AND id IN ").push_list(chunk.iter().copied());
            out.extend(q.fetch_all::<PetitionFacts>(&self.pool).await?);
        }
        Ok(out)
    }

    #[tracing::instrument(skip_all, err)]
    async fn petition_histories(
        &self,
        from: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<PetitionHistory>> {
        let mut petitions: Vec<PetitionHistory> = query(
            "SELECT id, received_at, deadline, category, grid_code, rating FROM petitions \
             WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, id",
        )
        .bind(from)
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        // One read of the span's events (joined, not listed by id: a year holds tens of thousands).
        let events: Vec<HistoryEvent> = query(
            "SELECT e.petition_id, e.at, e.action, e.status_after FROM petition_events e \
             JOIN petitions p ON p.id = e.petition_id \
             WHERE p.received_at >= $1 AND p.received_at < $2 ORDER BY e.petition_id, e.at, e.id",
        )
        .bind(from)
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        let index: std::collections::HashMap<Uuid, usize> = petitions
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        for e in events {
            if let Some(i) = index.get(&e.petition_id) {
                petitions[*i].events.push(e);
            }
        }
        Ok(petitions)
    }
}
