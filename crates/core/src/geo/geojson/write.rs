use geo::{Coord, MapCoords, MultiPolygon};
use serde_json::{Map, Value};

use crate::geo::Crs;

/// Decimal places written for longitude/latitude: 7 places ≈ 1 cm.
const DECIMALS: i32 = 7;

/// A feature to write: its properties and its boundary in WGS-84.
#[derive(Debug, Clone)]
pub struct OutFeature<'a> {
    /// Properties of the feature.
    pub properties: Map<String, Value>,
    /// Boundary in WGS-84.
    pub boundary: &'a MultiPolygon<f64>,
}

/// Writes a FeatureCollection of polygonal features.
///
/// In WGS-84 the output is RFC 7946 GeoJSON (no `crs` member, outer rings counter-clockwise). In GCJ-02 or BD-09
/// it is for Chinese map tools; the foreign member `coordinate_system` names the CRS, since RFC 7946 allows none
/// but WGS-84. `foreign` members are added at the top level (e.g. `"synthetic": true`).
pub fn write_feature_collection(
    features: &[OutFeature<'_>],
    crs: Crs,
    foreign: Map<String, Value>,
) -> Value {
    let mut members = foreign;
    if crs != Crs::Wgs84 {
        members.insert("coordinate_system".into(), crs.code().into());
    }
    let collection = geojson::FeatureCollection {
        bbox: None,
        features: features
            .iter()
            .map(|f| geojson::Feature {
                geometry: Some(geometry(f.boundary, crs)),
                properties: Some(f.properties.clone()),
                ..Default::default()
            })
            .collect(),
        foreign_members: (!members.is_empty()).then_some(members),
    };
    json(&collection)
}

/// A GeoJSON geometry object for a multipolygon in WGS-84, written in `crs`: a `Polygon` when it has one part.
pub fn multipolygon_to_geometry(mp: &MultiPolygon<f64>, crs: Crs) -> Value {
    json(&geometry(mp, crs))
}

/// `mp` in `crs`, positions rounded to [`DECIMALS`] places, as a geometry of the `geojson` crate.
fn geometry(mp: &MultiPolygon<f64>, crs: Crs) -> geojson::Geometry {
    let scale = 10f64.powi(DECIMALS);
    let projected = mp.map_coords(|c| {
        let c = crs.from_wgs84(c);
        Coord {
            x: (c.x * scale).round() / scale,
            y: (c.y * scale).round() / scale,
        }
    });
    match projected.0.as_slice() {
        [one] => geojson::Geometry::from(one),
        _ => geojson::Geometry::from(&projected),
    }
}

/// As JSON. These types cannot fail to serialise (string keys only; a non-finite number becomes `null`), so the
/// `null` fallback is never taken.
fn json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
