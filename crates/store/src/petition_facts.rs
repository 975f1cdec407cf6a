//! What analysis needs of each located petition (its point, when it arrived, its grid and the codes filters
//! look at), read in full once and then only for the petitions the change log names.

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

/// Reading petitions' facts.
#[async_trait]
pub trait PetitionFactsStore {
    /// Every located petition (`ids` none), or those of `ids` that are located.
    async fn petition_facts(&self, ids: Option<&[Uuid]>) -> Result<Vec<PetitionFacts>>;
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
}
