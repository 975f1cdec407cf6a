//! What one client may take of the intake: connections, time to send a request, requests per second, and the
//! database connections reads may hold. The defaults suit a town's mini-program traffic (a few posts a minute,
//! bursts of a few hundred a second in a load test) on one server; `chengguan serve` flags change them
//! (docs/deployment.md).
//!
//! The rate limiter is a token bucket per key, hand-written: the well-kept crates for it (`governor`,
//! `tower_governor`) bring a dozen dependencies for these forty lines, and ours also bounds its own memory
//! against made-up keys.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The intake's limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Most connections open at once; past it a new connection is closed at once (the kernel's queue never
    /// fills, so a client that behaves always gets in once others leave).
    pub max_connections: usize,
    /// Most connections open at once from one address.
    pub per_address: usize,
    /// Time a client has to send a request's headers (also what an idle keep-alive connection may wait).
    pub header_timeout: Duration,
    /// Time a client has to send a request's body.
    pub body_timeout: Duration,
    /// How long a connection may stay open in all; then it is closed after its current request.
    pub max_connection_age: Duration,
    /// Requests per second one address may make (bursts up to twice that).
    pub rate_per_address: f64,
    /// Requests per second one API key may make (bursts up to twice that).
    pub rate_per_key: f64,
    /// Reads (`GET requests`, one request, tokens) running at once: they queue for these slots so that a
    /// flood of reads always leaves database connections to the posts.
    pub read_slots: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            per_address: 32,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connection_age: Duration::from_secs(120),
            rate_per_address: 20.0,
            rate_per_key: 200.0,
            read_slots: 2,
        }
    }
}

impl Limits {
    /// What is wrong with these limits, in words, if anything (a zero cap would refuse everyone; an enormous
    /// timeout overflows the timer).
    pub fn problem(&self) -> Option<String> {
        let day = Duration::from_secs(86_400);
        if self.max_connections == 0 || self.per_address == 0 || self.read_slots == 0 {
            return Some("连接数上限、单地址连接数与读取并发数须至少为 1".into());
        }
        if [
            self.header_timeout,
            self.body_timeout,
            self.max_connection_age,
        ]
        .iter()
        .any(|d| d.is_zero() || *d > day)
        {
            return Some("超时须在 1 秒到 1 天之间".into());
        }
        let sane = |r: f64| r.is_finite() && (0.1..=1_000_000.0).contains(&r);
        if !sane(self.rate_per_address) || !sane(self.rate_per_key) {
            return Some("每秒请求数须在 0.1 到 1,000,000 之间".into());
        }
        None
    }
}

/// Most keys a [`RateTable`] remembers; past that, keys whose bucket has refilled are forgotten first.
const MAX_TRACKED: usize = 10_000;

/// Token buckets by key: `rate` tokens a second, up to `2 × rate`.
#[derive(Debug)]
pub struct RateTable<K> {
    rate: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Eq + Hash + Clone> RateTable<K> {
    /// A table refilling `rate` tokens a second.
    pub fn new(rate: f64) -> Self {
        Self {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key` at `now`: `Ok` when there was one, else how long until there is.
    pub fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let burst = self.rate * 2.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(key) {
            let rate = self.rate;
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
            if buckets.len() >= MAX_TRACKED {
                // Every tracked key is busy: a flood of distinct keys; the newcomer waits its turn.
                return Err(Duration::from_secs(1));
            }
        }
        let (tokens, at) = buckets.entry(key.clone()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate() {
        let table = RateTable::new(5.0);
        let t0 = Instant::now();
        for i in 0..10 {
            assert!(
                table.take(&"a", t0).is_ok(),
                "burst of 2 × rate: request {i}"
            );
        }
        let wait = table.take(&"a", t0).expect_err("past the burst");
        assert!(wait <= Duration::from_millis(200), "{wait:?}");
        assert!(
            table.take(&"b", t0).is_ok(),
            "another key has its own bucket"
        );
        assert!(
            table.take(&"a", t0 + Duration::from_millis(200)).is_ok(),
            "a token a fifth of a second later"
        );
    }

    #[test]
    fn made_up_keys_cannot_grow_the_table_without_bound() {
        let table = RateTable::new(1.0);
        let t0 = Instant::now();
        for i in 0..MAX_TRACKED + 500 {
            let _ = table.take(&i, t0);
        }
        assert!(table.buckets.lock().unwrap().len() <= MAX_TRACKED);
    }

    #[test]
    fn limits_out_of_range_are_named() {
        assert_eq!(Limits::default().problem(), None);
        let zero = Limits {
            max_connections: 0,
            ..Limits::default()
        };
        assert!(zero.problem().is_some());
        let forever = Limits {
            header_timeout: Duration::from_secs(u64::MAX),
            ..Limits::default()
        };
        assert!(
            forever.problem().is_some(),
            "an enormous timeout overflows the timer"
        );
        let nan = Limits {
            rate_per_key: f64::NAN,
            ..Limits::default()
        };
        assert!(nan.problem().is_some());
    }
}
