//! Rate limits shared through the database, for the town's server when several instances serve one PostgreSQL
//! database behind a load balancer (see `chengguan_store::RateStore`). A single server (and every SQLite
//! database, which one machine serves) keeps its buckets in memory instead, which costs no round trip.

use std::time::Duration;

use chengguan_store::prelude::*;

use crate::{App, DatabaseKind, Result};

impl App {
    /// True when the rate limits should be counted in the database: it may be shared by several servers.
    pub fn shares_rate_limits(&self) -> bool {
        self.url.kind() == DatabaseKind::Postgres
    }

    /// Takes a request from the shared bucket `bucket` (refilled at `per_second`, bursts to twice that):
    /// `None` when allowed, else how long until it would be.
    pub async fn take_rate(&self, bucket: &str, per_second: f64) -> Result<Option<Duration>> {
        let now = self.clock.now().timestamp_micros() as f64 / 1e6;
        let wait = self
            .store
            .take_token(bucket, per_second, per_second * 2.0, now)
            .await?;
        Ok(wait.map(|s| Duration::from_secs_f64(s.max(0.0))))
    }

    /// Forgets shared buckets idle for an hour (they would be full again); answers how many.
    pub async fn forget_idle_rates(&self) -> Result<u64> {
        let before = self.clock.now().timestamp() as f64 - 3600.0;
        Ok(self.store.forget_idle_buckets(before).await?)
    }
}
