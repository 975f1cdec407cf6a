//! What analysis needs of each located petition (its point, when it arrived, its grid and the codes filters
//! look at), read in full once and then only for the petitions the change log names.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Result;

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

/// Reading petitions' facts. Implemented by both stores and by [`crate::AnyStore`].
#[async_trait]
pub trait PetitionFactsStore {
    /// Every located petition (`ids` none), or those of `ids` that are located.
    async fn petition_facts(&self, ids: Option<&[Uuid]>) -> Result<Vec<PetitionFacts>>;
}

/// Implements [`PetitionFactsStore`] for `$store`.
macro_rules! petition_facts_store_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::PetitionFactsStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn petition_facts(
                &self,
                ids: Option<&[uuid::Uuid]>,
            ) -> $crate::Result<Vec<$crate::PetitionFacts>> {
                const COLUMNS: &str = "SELECT id, lon, lat, grid_code, received_at, category, status, channel, \
                                       level, deadline FROM petitions WHERE lon IS NOT NULL AND lat IS NOT NULL";
                let Some(ids) = ids else {
                    return Ok(sqlx::query_as(COLUMNS).fetch_all(&self.pool).await?);
                };
                let mut out = Vec::with_capacity(ids.len());
                for chunk in ids.chunks($crate::petition_facts::FACTS_PER_QUERY) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(COLUMNS);
                    q.push(" AND id IN (");
                    let mut list = q.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    q.push(")");
                    out.extend(q.build_query_as::<$crate::PetitionFacts>().fetch_all(&self.pool).await?);
                }
                Ok(out)
            }
        }
    };
}

pub(crate) use petition_facts_store_impl;

#[async_trait]
impl PetitionFactsStore for crate::AnyStore {
    async fn petition_facts(&self, ids: Option<&[Uuid]>) -> Result<Vec<PetitionFacts>> {
        crate::any::delegate!(self.petition_facts(ids))
    }
}
