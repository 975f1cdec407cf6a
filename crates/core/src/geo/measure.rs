//! Distances and areas on the ellipsoid, in metres and square metres.

use geo::orient::Direction;
use geo::{Coord, GeodesicArea, MultiPolygon, Orient, Polygon};

/// Mean Earth radius in metres (IUGG), for short distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle (haversine) distance between two longitude/latitude points, in metres.
pub fn distance_m(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (lat1, lat2) = (a.y.to_radians(), b.y.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.x - a.x).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

/// Geodesic area of a longitude/latitude polygon on the WGS-84 ellipsoid, in square metres.
///
/// The rings are oriented first: on the sphere a clockwise ring encloses the rest of the globe.
pub fn polygon_area_m2(p: &Polygon<f64>) -> f64 {
    p.orient(Direction::Default).geodesic_area_unsigned()
}

/// Geodesic area of a longitude/latitude multipolygon on the WGS-84 ellipsoid, in square metres.
pub fn multipolygon_area_m2(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter().map(polygon_area_m2).sum()
}

/// A local flat frame (east/north metres) around an origin: good to millimetres over a few kilometres.
#[derive(Debug, Clone, Copy)]
pub struct LocalFrame {
    origin: Coord<f64>,
    metres_per_deg_lon: f64,
    metres_per_deg_lat: f64,
}

impl LocalFrame {
    /// A frame centred on `origin` (longitude/latitude degrees).
    pub fn new(origin: Coord<f64>) -> Self {
        let lat = origin.y.to_radians();
        // Meridional and prime-vertical radii of curvature of WGS-84 at the origin.
        let (a, e2) = (6_378_137.0_f64, 0.006_694_379_990_14_f64);
        let s = 1.0 - e2 * lat.sin().powi(2);
        let m = a * (1.0 - e2) / s.powf(1.5);
        let n = a / s.sqrt();
        Self {
            origin,
            metres_per_deg_lon: n * lat.cos() * std::f64::consts::PI / 180.0,
            metres_per_deg_lat: m * std::f64::consts::PI / 180.0,
        }
    }

    /// Longitude/latitude of a point given in metres east and north of the origin.
    pub fn to_lon_lat(&self, east_m: f64, north_m: f64) -> Coord<f64> {
        Coord {
            x: self.origin.x + east_m / self.metres_per_deg_lon,
            y: self.origin.y + north_m / self.metres_per_deg_lat,
        }
    }

    /// Metres east and north of the origin of a longitude/latitude point.
    pub fn to_metres(&self, c: Coord<f64>) -> (f64, f64) {
        (
            (c.x - self.origin.x) * self.metres_per_deg_lon,
            (c.y - self.origin.y) * self.metres_per_deg_lat,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::polygon;

    #[test]
    fn local_frame_round_trips_and_agrees_with_haversine() {
        let frame = LocalFrame::new(Coord {
            x: 99.815,
            y: 39.376,
        });
        let p = frame.to_lon_lat(1200.0, -800.0);
        let (e, n) = frame.to_metres(p);
        assert_relative_eq!(e, 1200.0, epsilon = 1e-6);
        assert_relative_eq!(n, -800.0, epsilon = 1e-6);
        let d = distance_m(
            Coord {
                x: 99.815,
                y: 39.376,
            },
            p,
        );
        assert!(
            (d - 1442.2).abs() < 3.0,
            "1.2 km east, 0.8 km south should be ≈1442 m, got {d}"
        );
    }

    #[test]
    fn area_of_a_one_km_square() {
        let f = LocalFrame::new(Coord {
            x: 99.815,
            y: 39.376,
        });
        let (a, b, c, d) = (
            f.to_lon_lat(0., 0.),
            f.to_lon_lat(1000., 0.),
            f.to_lon_lat(1000., 1000.),
            f.to_lon_lat(0., 1000.),
        );
        let sq = polygon![(x: a.x, y: a.y), (x: b.x, y: b.y), (x: c.x, y: c.y), (x: d.x, y: d.y)];
        let area = polygon_area_m2(&sq);
        assert!(
            (area - 1.0e6).abs() < 100.0,
            "a 1 km square should be 1e6 m², got {area}"
        );
    }
}
