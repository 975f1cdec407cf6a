//! Hot spots: the Getis-Ord Gi* statistic per feature (a grid, or a cell of a regular lattice), with z-scores,
//! p-values and the usual confidence classes.
//!
//! For features i = 1..n with values x_j and weights w_ij (Gi* includes the feature itself, w_ii = 1):
//!
//! ```text
//! Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
//! X̄ = Σ_j x_j / n,   S = √(Σ_j x_j² / n − X̄²)
//! ```
//!
//! (Getis & Ord 1992; Ord & Getis 1995.) Gi* is itself a z-score; the p-value is two-sided under the normal
//! approximation. Weights: a binary distance band — w_ij = 1 when the features' centres are at most `band`
//! metres apart, else 0. By default the band is the smallest distance at which every feature has at least one
//! neighbour besides itself (as ArcGIS does).

use crate::vocabulary::vocabulary;
use serde::Serialize;

/// A feature: its centre in metres (any local frame) and its value (e.g. petitions per 1,000 households).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// East, metres.
    pub x: f64,
    /// North, metres.
    pub y: f64,
    /// The value.
    pub value: f64,
}

vocabulary! {
    /// How significant a feature's clustering is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Confidence as "HOTSPOT_CLASS" {
        /// High values cluster, 99 % confidence (z ≥ 2.576).
        Hot99 = ("hot99", "热点（99% 置信）"),
        /// 95 % (z ≥ 1.960).
        Hot95 = ("hot95", "热点（95% 置信）"),
        /// 90 % (z ≥ 1.645).
        Hot90 = ("hot90", "热点（90% 置信）"),
        /// Not significant.
        NotSignificant = ("not_significant", "不显著"),
        /// Low values cluster, 90 %.
        Cold90 = ("cold90", "冷点（90% 置信）"),
        /// 95 %.
        Cold95 = ("cold95", "冷点（95% 置信）"),
        /// 99 %.
        Cold99 = ("cold99", "冷点（99% 置信）"),
    }
}

impl Confidence {
    /// The class of a z-score.
    pub fn of(z: f64) -> Self {
        match z {
            z if z >= 2.576 => Self::Hot99,
            z if z >= 1.960 => Self::Hot95,
            z if z >= 1.645 => Self::Hot90,
            z if z <= -2.576 => Self::Cold99,
            z if z <= -1.960 => Self::Cold95,
            z if z <= -1.645 => Self::Cold90,
            _ => Self::NotSignificant,
        }
    }
}

/// Gi* of one feature.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GiStar {
    /// The z-score (Gi* itself).
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Its class.
    pub confidence: Confidence,
}

/// The default band: the smallest distance (metres) at which every feature has a neighbour.
pub fn default_band(features: &[Feature]) -> f64 {
    features
        .iter()
        .enumerate()
        .map(|(i, a)| {
            features
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, b)| (a.x - b.x).hypot(a.y - b.y))
                .fold(f64::INFINITY, f64::min)
        })
        .fold(0.0, f64::max)
}

/// Gi* of every feature with a binary distance band of `band` metres. With fewer than 3 features, or when every
/// value is the same, nothing is significant (z = 0, p = 1).
pub fn gi_star(features: &[Feature], band: f64) -> Vec<GiStar> {
    let n = features.len() as f64;
    let mean = features.iter().map(|f| f.value).sum::<f64>() / n;
    let s = (features.iter().map(|f| f.value * f.value).sum::<f64>() / n - mean * mean)
        .max(0.0)
        .sqrt();
    features
        .iter()
        .map(|a| {
            if features.len() < 3 || s == 0.0 {
                return GiStar {
                    z: 0.0,
                    p: 1.0,
                    confidence: Confidence::NotSignificant,
                };
            }
            let (mut wx, mut w) = (0.0, 0.0);
            for b in features {
                if (a.x - b.x).hypot(a.y - b.y) <= band {
                    wx += b.value;
                    w += 1.0;
                }
            }
            // Binary weights: Σ w² = Σ w.
            let denominator = s * ((n * w - w * w) / (n - 1.0)).sqrt();
            let z = if denominator > 0.0 {
                (wx - mean * w) / denominator
            } else {
                0.0
            };
            GiStar {
                z,
                p: two_sided_p(z),
                confidence: Confidence::of(z),
            }
        })
        .collect()
}

/// Two-sided p-value of a standard normal z-score.
pub fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_serialised_names() {
        for c in [
            Confidence::Hot99,
            Confidence::Hot95,
            Confidence::Hot90,
            Confidence::NotSignificant,
            Confidence::Cold90,
            Confidence::Cold95,
            Confidence::Cold99,
        ] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
        }
    }

    fn line(values: &[f64]) -> Vec<Feature> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Feature {
                x: i as f64,
                y: 0.0,
                value: *v,
            })
            .collect()
    }

    #[test]
    fn gi_star_equals_the_hand_computed_textbook_values() {
        // Five features 1 m apart, band 1 m (each with its neighbours on either side and itself).
        // n = 5, X̄ = 4, S = √(130/5 − 16) = √10.
        // Feature 3 (x = 10): Σwx = 3 + 10 + 4 = 17, Σw = 3 → (17 − 12) / (√10 · √((15 − 9)/4)) = 5/√15.
        // Feature 0: Σwx = 1 + 2 = 3, Σw = 2 → (3 − 8) / (√10 · √((10 − 4)/4)) = −5/√15.
        // Feature 1: Σwx = 6, Σw = 3 → (6 − 12)/√15 = −6/√15.
        let g = gi_star(&line(&[1.0, 2.0, 3.0, 10.0, 4.0]), 1.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(g[3].z, 5.0 / 15f64.sqrt()), "{}", g[3].z);
        assert!(close(g[0].z, -5.0 / 15f64.sqrt()), "{}", g[0].z);
        assert!(close(g[1].z, -6.0 / 15f64.sqrt()), "{}", g[1].z);
        assert_eq!(g[3].confidence, Confidence::NotSignificant);
    }

    #[test]
    fn a_cluster_of_high_values_is_a_hot_spot_and_p_values_are_right() {
        // A 7 × 7 lattice of 100 m cells, a block of high values in one corner.
        let mut f = Vec::new();
        for i in 0..7 {
            for j in 0..7 {
                let high = i < 3 && j < 3;
                f.push(Feature {
                    x: i as f64 * 100.0,
                    y: j as f64 * 100.0,
                    value: if high {
                        20.0
                    } else {
                        1.0 + ((i * 7 + j) % 3) as f64
                    },
                });
            }
        }
        let band = default_band(&f);
        assert!((band - 100.0).abs() < 1e-9);
        let g = gi_star(&f, 150.0);
        assert_eq!(
            g[7 + 1].confidence,
            Confidence::Hot99,
            "the centre of the block: {:?}",
            g[8]
        );
        assert!(g[48].z < 0.0, "the far corner is low");
        // Reference values of the standard normal.
        assert!((two_sided_p(1.959_963_985) - 0.05).abs() < 1e-9);
        assert!((two_sided_p(-2.575_829_304) - 0.01).abs() < 1e-9);
        assert_eq!(Confidence::of(1.7), Confidence::Hot90);
        assert_eq!(Confidence::of(-2.0), Confidence::Cold95);
    }

    #[test]
    fn constant_values_are_never_significant() {
        let g = gi_star(&line(&[3.0; 6]), 1.0);
        assert!(g.iter().all(|x| x.z == 0.0 && x.p == 1.0));
    }
}
