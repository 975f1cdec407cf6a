//! Rate-limit buckets kept in the database (`rate_buckets`), for servers that share one: each instance behind a
//! load balancer takes from the same bucket, so a client gets the configured rate, not that rate times the
//! number of instances. A token bucket per key, updated in one statement: the refill since the last request,
//! capped at the burst, less one when a token is there.

use async_trait::async_trait;

use crate::sql::query;
use crate::{AnyStore, Result};

/// Storage of shared rate-limit buckets.
#[async_trait]
pub trait RateStore {
    /// Takes a token from bucket `key` at `now` (seconds since the epoch), refilled at `per_second` up to
    /// `burst`: `None` when one was there, else the seconds until one will be.
    async fn take_token(
        &self,
        key: &str,
        per_second: f64,
        burst: f64,
        now: f64,
    ) -> Result<Option<f64>>;

    /// Forgets buckets idle since before `before` (seconds since the epoch; they would be full again).
    async fn forget_idle_buckets(&self, before: f64) -> Result<u64>;
}

#[async_trait]
impl RateStore for AnyStore {
    async fn take_token(
        &self,
        key: &str,
        per_second: f64,
        burst: f64,
        now: f64,
    ) -> Result<Option<f64>> {
        // `refill` is written out twice (SQLite has no LEAST, PostgreSQL no two-argument MIN).
        let refill = "CASE WHEN rate_buckets.tokens + ($3 - rate_buckets.at) * $4 > $2 THEN $2 \
                      ELSE rate_buckets.tokens + ($3 - rate_buckets.at) * $4 END";
        let (tokens, allowed): (f64, bool) = query(format!(
            "INSERT INTO rate_buckets (key, tokens, at, allowed) VALUES ($1, $2 - 1, $3, TRUE) \
             ON CONFLICT (key) DO UPDATE SET \
               tokens = CASE WHEN {refill} >= 1 THEN {refill} - 1 ELSE {refill} END, \
               allowed = ({refill} >= 1), \
               at = $3 \
             RETURNING tokens, allowed"
        ))
        .bind(key)
        .bind(burst)
        .bind(now)
        .bind(per_second)
        .fetch_one(&self.pool)
        .await?;
        Ok((!allowed).then(|| (1.0 - tokens) / per_second))
    }

    async fn forget_idle_buckets(&self, before: f64) -> Result<u64> {
        query("DELETE FROM rate_buckets WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
    }
}
