//! Spike alerts: a grid whose petitions this week are far above its usual level.
//!
//! Per grid, the expected count λ is the mean of the previous [`BASELINE_WEEKS`] weeks; this week's count k is a
//! spike when the one-sided Poisson probability of seeing k or more, P(X ≥ k | λ), is below [`ALERT_P`], and k is
//! at least [`MIN_COUNT`] (so that one petition in a quiet grid is not an alert). A grid with no petitions in the
//! baseline is given λ = 0.5 per week (a prior of one petition in two weeks) instead of 0, which would make any
//! petition infinitely unlikely.

use serde::Serialize;

/// Weeks the expected count is averaged over.
pub const BASELINE_WEEKS: usize = 8;
/// The significance level of an alert.
pub const ALERT_P: f64 = 0.01;
/// The smallest count that can be an alert.
pub const MIN_COUNT: u32 = 3;
/// The expected weekly count used when the baseline is empty.
pub const EMPTY_BASELINE: f64 = 0.5;

/// A grid's week against its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// Grid code.
    pub grid_code: String,
    /// Petitions this week.
    pub observed: u32,
    /// Expected (the baseline's weekly mean).
    pub expected: f64,
    /// P(X ≥ observed) under Poisson(expected).
    pub p: f64,
}

/// P(X ≥ k) for X ~ Poisson(λ), in log space. Above the mean the tail is summed upwards from k (no
/// cancellation, so far tails keep their precision); below it, as 1 − P(X < k).
pub fn poisson_upper_tail(k: u32, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let log_factorial = |n: u32| (1..=n).map(|i| f64::from(i).ln()).sum::<f64>();
    if f64::from(k) > lambda {
        let mut log_term = -lambda + f64::from(k) * lambda.ln() - log_factorial(k);
        let mut tail = 0.0;
        let mut i = k;
        loop {
            let term = log_term.exp();
            tail += term;
            i += 1;
            log_term += lambda.ln() - f64::from(i).ln();
            if term < tail * 1e-17 || i > k + 10_000 {
                break;
            }
        }
        return tail.min(1.0);
    }
    let mut log_term = -lambda;
    let mut below = log_term.exp();
    for i in 1..k {
        log_term += lambda.ln() - f64::from(i).ln();
        below += log_term.exp();
    }
    (1.0 - below).clamp(0.0, 1.0)
}

/// The spikes among `weeks`: per grid code, the counts of the [`BASELINE_WEEKS`] previous weeks (oldest first)
/// and this week's. Sorted by p-value, most unlikely first.
pub fn spikes(weeks: &[(String, [u32; BASELINE_WEEKS], u32)]) -> Vec<Spike> {
    let mut found: Vec<Spike> = weeks
        .iter()
        .filter_map(|(code, baseline, observed)| {
            let total: u32 = baseline.iter().sum();
            let expected = if total == 0 {
                EMPTY_BASELINE
            } else {
                f64::from(total) / BASELINE_WEEKS as f64
            };
            let p = poisson_upper_tail(*observed, expected);
            (*observed >= MIN_COUNT && p < ALERT_P).then(|| Spike {
                grid_code: code.clone(),
                observed: *observed,
                expected,
                p,
            })
        })
        .collect();
    found.sort_by(|a, b| a.p.total_cmp(&b.p));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tails_match_reference_values() {
        // P(X ≥ 8 | λ = 2) = 1 − Σ_{k=0}^{7} e^{−2} 2^k / k! = 0.001097…
        assert!((poisson_upper_tail(8, 2.0) - 0.001_097_5).abs() < 1e-6);
        // P(X ≥ 1 | λ) = 1 − e^{−λ}.
        assert!((poisson_upper_tail(1, 0.5) - (1.0 - (-0.5f64).exp())).abs() < 1e-12);
        assert_eq!(poisson_upper_tail(0, 3.0), 1.0);
        // Large values stay finite and small.
        // P(X ≥ 200 | 50) = 2.02475901484744e-57 (Σ_{i≥200} e^−50 50^i / i!, summed with lgamma in Python).
        let far = poisson_upper_tail(200, 50.0);
        assert!(
            (far / 2.024_759_014_847_44e-57 - 1.0).abs() < 1e-9,
            "{far:e}"
        );
        // Below the mean: P(X ≥ 3 | 5) = 1 − e^−5 (1 + 5 + 12.5) = 0.875348…
        assert!((poisson_upper_tail(3, 5.0) - 0.875_347_980_7).abs() < 1e-9);
    }

    #[test]
    fn a_week_far_above_the_baseline_is_an_alert_and_noise_is_not() {
        let weeks = vec![
            ("CG-01-01".to_string(), [2, 1, 3, 2, 2, 1, 2, 3], 9),
            ("CG-01-02".to_string(), [2, 1, 3, 2, 2, 1, 2, 3], 4),
            ("CG-01-03".to_string(), [0; 8], 2),
            ("CG-01-04".to_string(), [0; 8], 4),
        ];
        let found = spikes(&weeks);
        let codes: Vec<&str> = found.iter().map(|s| s.grid_code.as_str()).collect();
        // P(X ≥ 9 | 2) ≈ 0.00024 comes before P(X ≥ 4 | 0.5) ≈ 0.0018; 4 against 2 a week and 2 in a quiet grid
        // are not alerts.
        assert_eq!(codes, ["CG-01-01", "CG-01-04"], "{found:?}");
        assert_eq!((found[0].expected, found[0].observed), (2.0, 9));
        assert!((found[1].p - 0.001_75).abs() < 1e-5, "{}", found[1].p);
    }
}
