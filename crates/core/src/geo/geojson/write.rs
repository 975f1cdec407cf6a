use geo::{Coord, LineString, MultiPolygon};
use serde_json::{json, Map, Value};

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
    let features: Vec<Value> = features
        .iter()
        .map(|f| json!({"type": "Feature", "properties": f.properties, "geometry": multipolygon_to_geometry(f.boundary, crs)}))
        .collect();
    let mut root = Map::new();
    root.insert("type".into(), "FeatureCollection".into());
    if crs != Crs::Wgs84 {
        root.insert("coordinate_system".into(), crs.code().into());
    }
    root.extend(foreign);
    root.insert("features".into(), Value::Array(features));
    Value::Object(root)
}

/// A GeoJSON geometry object for a multipolygon in WGS-84, written in `crs`: a `Polygon` when it has one part.
pub fn multipolygon_to_geometry(mp: &MultiPolygon<f64>, crs: Crs) -> Value {
    let polygons: Vec<Value> =
        mp.0.iter()
            .map(|p| {
                let mut rings = vec![ring(p.exterior(), crs)];
                rings.extend(p.interiors().iter().map(|r| ring(r, crs)));
                Value::Array(rings)
            })
            .collect();
    if polygons.len() == 1 {
        json!({"type": "Polygon", "coordinates": polygons[0]})
    } else {
        json!({"type": "MultiPolygon", "coordinates": polygons})
    }
}

fn ring(line: &LineString<f64>, crs: Crs) -> Value {
    Value::Array(
        line.coords()
            .map(|c| position(crs.from_wgs84(*c)))
            .collect(),
    )
}

fn position(c: Coord<f64>) -> Value {
    let scale = 10f64.powi(DECIMALS);
    json!([(c.x * scale).round() / scale, (c.y * scale).round() / scale])
}
