//! Chinese map coordinate systems and the transforms between them.
//!
//! - WGS-84 (and CGCS2000, the same to within centimetres): GPS, 天地图, storage.
//! - GCJ-02 ("Mars coordinates"): 高德, 腾讯, WeChat mini-programs. An obfuscation of WGS-84 that moves points
//!   by a few hundred metres; applied only inside China (outside it the published algorithm is the identity).
//! - BD-09: 百度, a further transform of GCJ-02.
//!
//! The forward formulas are the published ones (as in eviltransform and coordtransform). The inverses are
//! computed by fixed-point iteration to better than 1e-9° (≈ 0.1 mm), not by the one-step approximation that is
//! off by up to ~0.5 m.

use std::f64::consts::PI;

use geo::Coord;
use serde::{Deserialize, Serialize};

/// A coordinate reference system a file or a base map may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// WGS-84 / CGCS2000 longitude and latitude (RFC 7946's only CRS).
    #[default]
    Wgs84,
    /// GCJ-02 (高德, 腾讯, WeChat).
    Gcj02,
    /// BD-09 (百度).
    Bd09,
}

impl Crs {
    /// The code used on command lines and in settings: `wgs84`, `gcj02`, `bd09`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Wgs84 => "wgs84",
            Self::Gcj02 => "gcj02",
            Self::Bd09 => "bd09",
        }
    }

    /// The CRS with the given code (case-insensitive; `cgcs2000` is accepted as WGS-84).
    pub fn from_code(code: &str) -> Option<Self> {
        match code.to_ascii_lowercase().as_str() {
            "wgs84" | "wgs-84" | "cgcs2000" => Some(Self::Wgs84),
            "gcj02" | "gcj-02" => Some(Self::Gcj02),
            "bd09" | "bd-09" => Some(Self::Bd09),
            _ => None,
        }
    }

    /// Converts a coordinate in this CRS to WGS-84.
    pub fn to_wgs84(self, c: Coord<f64>) -> Coord<f64> {
        match self {
            Self::Wgs84 => c,
            Self::Gcj02 => gcj02_to_wgs84(c),
            Self::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(c)),
        }
    }

    /// Converts a WGS-84 coordinate to this CRS.
    pub fn from_wgs84(self, c: Coord<f64>) -> Coord<f64> {
        match self {
            Self::Wgs84 => c,
            Self::Gcj02 => wgs84_to_gcj02(c),
            Self::Bd09 => gcj02_to_bd09(wgs84_to_gcj02(c)),
        }
    }
}

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02, in metres.
const KRASOVSKY_A: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// The constant of the BD-09 transform.
const X_PI: f64 = PI * 3000.0 / 180.0;
/// Convergence threshold of the iterative inverses, in degrees (≈ 0.01 mm).
const INVERSE_TOLERANCE_DEG: f64 = 1e-10;
/// Upper bound on inverse iterations (convergence takes 3–5 in practice).
const INVERSE_MAX_ITERATIONS: usize = 30;

/// True outside the rough bounding box of China, where GCJ-02 equals WGS-84 (the published rule).
pub fn out_of_china(c: Coord<f64>) -> bool {
    !(72.004..=137.8347).contains(&c.x) || !(0.8293..=55.8271).contains(&c.y)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02 (the published forward transform).
pub fn wgs84_to_gcj02(c: Coord<f64>) -> Coord<f64> {
    if out_of_china(c) {
        return c;
    }
    let d_lat = transform_lat(c.x - 105.0, c.y - 35.0);
    let d_lon = transform_lon(c.x - 105.0, c.y - 35.0);
    let rad_lat = c.y / 180.0 * PI;
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat =
        (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    Coord {
        x: c.x + d_lon,
        y: c.y + d_lat,
    }
}

/// GCJ-02 → WGS-84, by fixed-point iteration of the forward transform (accurate to ≈ 0.01 mm).
pub fn gcj02_to_wgs84(gcj: Coord<f64>) -> Coord<f64> {
    invert(gcj, wgs84_to_gcj02)
}

/// GCJ-02 → BD-09 (the published forward transform).
pub fn gcj02_to_bd09(c: Coord<f64>) -> Coord<f64> {
    let z = (c.x * c.x + c.y * c.y).sqrt() + 0.00002 * (c.y * X_PI).sin();
    let theta = c.y.atan2(c.x) + 0.000003 * (c.x * X_PI).cos();
    Coord {
        x: z * theta.cos() + 0.0065,
        y: z * theta.sin() + 0.006,
    }
}

/// BD-09 → GCJ-02, by fixed-point iteration of the forward transform.
pub fn bd09_to_gcj02(bd: Coord<f64>) -> Coord<f64> {
    invert(bd, gcj02_to_bd09)
}

/// Solves `forward(x) = target` for a transform that moves points by a small, smooth offset.
fn invert(target: Coord<f64>, forward: fn(Coord<f64>) -> Coord<f64>) -> Coord<f64> {
    let mut guess = target;
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let image = forward(guess);
        let dx = image.x - target.x;
        let dy = image.y - target.y;
        guess = Coord {
            x: guess.x - dx,
            y: guess.y - dy,
        };
        if dx.abs() < INVERSE_TOLERANCE_DEG && dy.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
    }
    guess
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::measure::distance_m;
    use proptest::prelude::*;
    use rstest::rstest;

    /// Published vectors: the project's reference note (高台) and the README of coordtransform (北京).
    #[rstest]
    #[case::gaotai_gcj((99.816, 39.377), Crs::Gcj02, (99.817423356, 39.377669566))]
    #[case::gaotai_bd((99.816, 39.377), Crs::Bd09, (99.823893447, 39.383788912))]
    #[case::beijing_gcj((116.404, 39.915), Crs::Gcj02, (116.41024449916938, 39.91640428150164))]
    fn forward_agrees_with_published_values(
        #[case] wgs: (f64, f64),
        #[case] crs: Crs,
        #[case] published: (f64, f64),
    ) {
        let got = crs.from_wgs84(Coord { x: wgs.0, y: wgs.1 });
        let err = distance_m(
            got,
            Coord {
                x: published.0,
                y: published.1,
            },
        );
        assert!(
            err < 0.5,
            "{crs:?} of {wgs:?} is {got:?}, {err:.3} m from the published {published:?}"
        );
    }

    #[test]
    fn gcj_to_bd_agrees_with_coordtransform() {
        let got = gcj02_to_bd09(Coord {
            x: 116.404,
            y: 39.915,
        });
        let err = distance_m(
            got,
            Coord {
                x: 116.41036949371029,
                y: 39.92133699351021,
            },
        );
        assert!(
            err < 0.5,
            "gcj02→bd09 of 北京 is {err:.3} m off coordtransform"
        );
        let back = bd09_to_gcj02(Coord {
            x: 116.404,
            y: 39.915,
        });
        let err = distance_m(
            back,
            Coord {
                x: 116.39762729119315,
                y: 39.90865673957631,
            },
        );
        assert!(
            err < 0.5,
            "bd09→gcj02 of 北京 is {err:.3} m off coordtransform"
        );
    }

    #[test]
    fn iterative_inverse_beats_the_one_step_approximation() {
        let gcj = Coord {
            x: 99.817423356,
            y: 39.377669566,
        };
        let exact = gcj02_to_wgs84(gcj);
        assert!(
            distance_m(
                exact,
                Coord {
                    x: 99.816,
                    y: 39.377
                }
            ) < 0.01,
            "inverse of the 高台 vector is not exact"
        );
        // The one-step approximation: subtract the offset computed at the GCJ point.
        let shifted = wgs84_to_gcj02(gcj);
        let one_step = Coord {
            x: 2.0 * gcj.x - shifted.x,
            y: 2.0 * gcj.y - shifted.y,
        };
        assert!(
            distance_m(exact, one_step) > 0.05,
            "the one-step approximation should visibly differ"
        );
    }

    #[test]
    fn identity_outside_china() {
        let paris = Coord { x: 2.35, y: 48.85 };
        assert_eq!(
            wgs84_to_gcj02(paris),
            paris,
            "GCJ-02 must be the identity outside China"
        );
    }

    proptest! {
        #[test]
        fn round_trips_within_a_millimetre(lon in 73.0f64..135.0, lat in 18.0f64..53.0, bd in any::<bool>()) {
            let crs = if bd { Crs::Bd09 } else { Crs::Gcj02 };
            let wgs = Coord { x: lon, y: lat };
            let back = crs.to_wgs84(crs.from_wgs84(wgs));
            prop_assert!(distance_m(wgs, back) < 0.001, "{:?} round trip of {:?} drifted to {:?}", crs, wgs, back);
        }
    }
}
