use std::fmt;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Validation, Winding};
use geojson::{GeometryValue, Position};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::geo::Crs;

/// The most problems collected from one file before reading stops.
const MAX_PROBLEMS: usize = 50;

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The coordinate system the file's positions are in; they are converted to WGS-84.
    pub crs: Crs,
    /// The property that names a feature in messages (e.g. `name`).
    pub name_property: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            crs: Crs::Wgs84,
            name_property: "name".into(),
        }
    }
}

/// Which feature a problem or warning is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureRef {
    /// Position in the `features` array, from 0.
    pub index: usize,
    /// The feature's name, when it has one.
    pub name: Option<String>,
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "features[{}]「{}」", self.index, name),
            None => write!(f, "features[{}]（无名称）", self.index),
        }
    }
}

/// A problem (or a warning) found in a GeoJSON file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The feature concerned; `None` for the file as a whole.
    pub feature: Option<FeatureRef>,
    /// Stable English code, e.g. `geojson.unclosed_ring`.
    pub code: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.feature {
            Some(feature) => write!(f, "{feature}：{} [{}]", self.message, self.code),
            None => write!(f, "文件：{} [{}]", self.message, self.code),
        }
    }
}

/// A feature read from a file, with its geometry converted to WGS-84.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Where it is in the file, and its name.
    pub reference: FeatureRef,
    /// Its properties (`{}` when the file had `null`).
    pub properties: Map<String, Value>,
    /// Its geometry in WGS-84; `None` for an unlocated feature (`"geometry": null`).
    pub geometry: Option<Geometry<f64>>,
}

/// A feature collection read from a file.
#[derive(Debug, Clone)]
pub struct FeatureCollection {
    /// The features, in file order.
    pub features: Vec<Feature>,
    /// Things that were repaired or are doubtful but not wrong (e.g. clockwise outer rings, reoriented).
    pub warnings: Vec<Problem>,
}

/// Reads a GeoJSON FeatureCollection, validating it against RFC 7946 and converting positions to WGS-84.
///
/// Refused: text that is not JSON, anything but a FeatureCollection at the top, features without a
/// `properties` member, unknown geometry types, non-numeric or out-of-range positions, rings that are not closed
/// or have fewer than four positions, and self-intersecting polygons. Repaired with a warning: outer rings that
/// are clockwise and holes that are counter-clockwise (RFC 7946 §3.1.6) are reoriented.
pub fn read_feature_collection(
    text: &str,
    options: &ReadOptions,
) -> Result<FeatureCollection, Vec<Problem>> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        vec![file_problem(
            "geojson.not_json",
            format!(
                "不是有效的 JSON（第 {} 行第 {} 列）：{e}",
                e.line(),
                e.column()
            ),
        )]
    })?;
    let features = top_level_features(&root)?;
    let mut reader = Reader {
        options,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    if let Some(crs) = root.get("crs") {
        reader.warnings.push(file_problem(
            "geojson.crs_member_ignored",
            format!(
                "RFC 7946 已取消 crs 成员，已忽略 {crs}；坐标按 {} 读取",
                options.crs.code()
            ),
        ));
    }
    let mut out = Vec::with_capacity(features.len());
    for (index, value) in features.iter().enumerate() {
        if reader.problems.len() >= MAX_PROBLEMS {
            reader.problems.push(file_problem(
                "geojson.too_many_problems",
                format!("问题超过 {MAX_PROBLEMS} 个，其余未列出"),
            ));
            break;
        }
        if let Some(feature) = reader.feature(index, value) {
            out.push(feature);
        }
    }
    if reader.problems.is_empty() {
        Ok(FeatureCollection {
            features: out,
            warnings: reader.warnings,
        })
    } else {
        Err(reader.problems)
    }
}

/// Reads one GeoJSON geometry object (as stored by the store) into a multipolygon in WGS-84; a `Polygon` becomes
/// a one-part multipolygon. Fails with the problems found.
pub fn read_multipolygon(text: &str) -> Result<MultiPolygon<f64>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let options = ReadOptions::default();
    let mut reader = Reader {
        options: &options,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let at = FeatureRef {
        index: 0,
        name: None,
    };
    let geometry = reader.geometry(&at, &value);
    let problems: Vec<String> = reader.problems.iter().map(|p| p.message.clone()).collect();
    match geometry {
        Some(Geometry::Polygon(p)) => Ok(MultiPolygon(vec![p])),
        Some(Geometry::MultiPolygon(mp)) => Ok(mp),
        Some(_) => Err("不是多边形".into()),
        None => Err(problems.join("；")),
    }
}

fn file_problem(code: &'static str, message: String) -> Problem {
    Problem {
        feature: None,
        code,
        message,
    }
}

fn top_level_features(root: &Value) -> Result<&Vec<Value>, Vec<Problem>> {
    let fail = |code, message: &str| Err(vec![file_problem(code, message.to_string())]);
    match root {
        Value::Array(_) => fail(
            "geojson.not_feature_collection",
            "顶层是要素数组，不是 FeatureCollection 对象（RFC 7946 §3.3）；请改为 {\"type\":\"FeatureCollection\",\"features\":[…]}",
        ),
        Value::Object(obj) => match obj.get("type").and_then(Value::as_str) {
            Some("FeatureCollection") => match obj.get("features") {
                Some(Value::Array(features)) => Ok(features),
                _ => fail("geojson.not_feature_collection", "FeatureCollection 缺少 features 数组"),
            },
            Some(other) => Err(vec![file_problem(
                "geojson.not_feature_collection",
                format!("顶层类型为 \"{other}\"，须为 FeatureCollection"),
            )]),
            None => fail("geojson.not_feature_collection", "顶层对象缺少 type 成员"),
        },
        _ => fail("geojson.not_feature_collection", "顶层须为 FeatureCollection 对象"),
    }
}

struct Reader<'a> {
    options: &'a ReadOptions,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, at: &FeatureRef, code: &'static str, message: String) {
        self.problems.push(Problem {
            feature: Some(at.clone()),
            code,
            message,
        });
    }

    fn feature(&mut self, index: usize, value: &Value) -> Option<Feature> {
        let name = value
            .get("properties")
            .and_then(|p| p.get(&self.options.name_property))
            .and_then(|n| match n {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let at = FeatureRef { index, name };
        let Some(obj) = value.as_object() else {
            self.problem(&at, "geojson.bad_feature", "要素须为 JSON 对象".into());
            return None;
        };
        if obj.get("type").and_then(Value::as_str) != Some("Feature") {
            self.problem(
                &at,
                "geojson.bad_feature",
                format!("type 须为 \"Feature\"，实为 {}", show(obj.get("type"))),
            );
            return None;
        }
        let properties = match obj.get("properties") {
            Some(Value::Object(p)) => p.clone(),
            Some(Value::Null) => Map::new(),
            Some(other) => {
                self.problem(
                    &at,
                    "geojson.bad_properties",
                    format!("properties 须为对象或 null，实为 {other}"),
                );
                return None;
            }
            None => {
                self.problem(
                    &at,
                    "geojson.missing_properties",
                    "缺少 properties 成员（RFC 7946 §3.2；无属性时写 null）".into(),
                );
                return None;
            }
        };
        let geometry = match obj.get("geometry") {
            Some(Value::Null) => None,
            Some(g) => Some(self.geometry(&at, g)?),
            None => {
                self.problem(
                    &at,
                    "geojson.missing_geometry",
                    "缺少 geometry 成员（无位置时写 null）".into(),
                );
                return None;
            }
        };
        Some(Feature {
            reference: at,
            properties,
            geometry,
        })
    }

    /// A geometry object: its outline checked here (so that a message names the type), its structure read by
    /// the `geojson` crate, and every position and ring checked on what the crate read.
    fn geometry(&mut self, at: &FeatureRef, g: &Value) -> Option<Geometry<f64>> {
        if !self.outline(at, g) {
            return None;
        }
        match geojson::Geometry::deserialize(g) {
            Ok(geometry) => self.geometry_value(at, &geometry.value),
            Err(e) => {
                let detail = e.to_string();
                let message = if detail.contains("two or more elements") {
                    format!("坐标至少需要经度和纬度两个数（{detail}）")
                } else {
                    format!("coordinates 结构错误或含非数字的值（坐标须为数字，不能是字符串）：{detail}")
                };
                self.problem(at, "geojson.bad_coordinates", message);
                None
            }
        }
    }

    /// The members the crate would refuse with a message that names no type: each geometry's `type` (one of RFC
    /// 7946's), a collection's `geometries`, every other geometry's `coordinates` (an array).
    fn outline(&mut self, at: &FeatureRef, g: &Value) -> bool {
        let kind = match g.get("type").and_then(Value::as_str) {
            Some(t) if GEOMETRY_TYPES.contains(&t) => t,
            Some(other) => {
                self.problem(at, "geojson.bad_geometry_type", format!("未知的几何类型 \"{other}\"（RFC 7946 §3.1 只有 Point、MultiPoint、LineString、MultiLineString、Polygon、MultiPolygon、GeometryCollection）"));
                return false;
            }
            None => {
                self.problem(at, "geojson.bad_geometry_type", "几何对象缺少 type".into());
                return false;
            }
        };
        if kind == "GeometryCollection" {
            let Some(Value::Array(members)) = g.get("geometries") else {
                self.problem(
                    at,
                    "geojson.bad_geometry",
                    "GeometryCollection 缺少 geometries 数组".into(),
                );
                return false;
            };
            return members.iter().all(|m| self.outline(at, m));
        }
        match g.get("coordinates") {
            Some(Value::Array(_)) => true,
            None => {
                self.problem(
                    at,
                    "geojson.bad_geometry",
                    format!("几何对象 \"{kind}\" 缺少 coordinates"),
                );
                false
            }
            Some(other) => {
                self.problem(
                    at,
                    "geojson.bad_coordinates",
                    format!("coordinates 结构错误：期望数组，实为 {other}"),
                );
                false
            }
        }
    }

    fn geometry_value(&mut self, at: &FeatureRef, g: &GeometryValue) -> Option<Geometry<f64>> {
        match g {
            GeometryValue::Point { coordinates } => self
                .position(at, coordinates)
                .map(|c| Geometry::Point(Point(c))),
            GeometryValue::MultiPoint { coordinates } => {
                let cs = self.positions(at, coordinates)?;
                Some(Geometry::MultiPoint(cs.into_iter().map(Point).collect()))
            }
            GeometryValue::LineString { coordinates } => self
                .positions(at, coordinates)
                .map(|cs| Geometry::LineString(LineString(cs))),
            GeometryValue::MultiLineString { coordinates } => {
                let lines: Option<Vec<_>> = coordinates
                    .iter()
                    .map(|l| self.positions(at, l).map(LineString))
                    .collect();
                Some(Geometry::MultiLineString(geo::MultiLineString(lines?)))
            }
            GeometryValue::Polygon { coordinates } => {
                self.polygon(at, coordinates, None).map(Geometry::Polygon)
            }
            GeometryValue::MultiPolygon { coordinates } => {
                let polys: Option<Vec<_>> = coordinates
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.polygon(at, p, Some(i)))
                    .collect();
                Some(Geometry::MultiPolygon(MultiPolygon(polys?)))
            }
            GeometryValue::GeometryCollection { geometries } => {
                let parts: Option<Vec<_>> = geometries
                    .iter()
                    .map(|m| self.geometry_value(at, &m.value))
                    .collect();
                parts.map(|p| Geometry::GeometryCollection(geo::GeometryCollection(p)))
            }
        }
    }

    fn positions(&mut self, at: &FeatureRef, ps: &[Position]) -> Option<Vec<Coord<f64>>> {
        ps.iter().map(|p| self.position(at, p)).collect()
    }

    /// One position `[longitude, latitude(, altitude)]`, range-checked, converted to WGS-84.
    fn position(&mut self, at: &FeatureRef, p: &Position) -> Option<Coord<f64>> {
        if p.len() < 2 {
            self.problem(
                at,
                "geojson.bad_coordinates",
                format!("坐标 {} 至少需要经度和纬度两个数", show_position(p)),
            );
            return None;
        }
        let (lon, lat) = (p[0], p[1]);
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            let hint = if !(-90.0..=90.0).contains(&lat) && (-90.0..=90.0).contains(&lon) {
                "；经纬度似乎写反了，RFC 7946 要求 [经度, 纬度]"
            } else {
                ""
            };
            self.problem(
                at,
                "geojson.out_of_range",
                format!(
                    "坐标 {} 超出范围（经度 −180…180，纬度 −90…90）{hint}",
                    show_position(p)
                ),
            );
            return None;
        }
        Some(self.options.crs.to_wgs84(Coord { x: lon, y: lat }))
    }

    /// A polygon: rings closed with ≥ 4 positions, not self-intersecting, reoriented to RFC 7946 winding.
    fn polygon(
        &mut self,
        at: &FeatureRef,
        rings: &[Vec<Position>],
        part: Option<usize>,
    ) -> Option<Polygon<f64>> {
        let where_ = part
            .map(|i| format!("第 {} 个多边形的", i + 1))
            .unwrap_or_default();
        if rings.is_empty() {
            self.problem(
                at,
                "geojson.too_few_points",
                format!("{where_}多边形没有环"),
            );
            return None;
        }
        let mut parsed = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let which = if r == 0 {
                "外环".to_string()
            } else {
                format!("第 {r} 个内环")
            };
            let coords = self.positions(at, ring)?;
            if coords.len() < 4 {
                self.problem(
                    at,
                    "geojson.too_few_points",
                    format!(
                        "{where_}{which}只有 {} 个坐标，至少需要 4 个（首尾相同）",
                        coords.len()
                    ),
                );
                return None;
            }
            if coords.first() != coords.last() {
                self.problem(
                    at,
                    "geojson.unclosed_ring",
                    format!(
                        "{where_}{which}未闭合：首点 {} 与末点 {} 不同（RFC 7946 §3.1.6）",
                        show_position(&ring[0]),
                        show_position(&ring[ring.len() - 1])
                    ),
                );
                return None;
            }
            parsed.push(LineString(coords));
        }
        let mut exterior = parsed.remove(0);
        if exterior.is_cw() {
            exterior.make_ccw_winding();
            self.warn(
                at,
                "geojson.reoriented_ring",
                format!("{where_}外环为顺时针，已按 RFC 7946 改为逆时针"),
            );
        }
        for hole in parsed.iter_mut() {
            if hole.is_ccw() {
                hole.make_cw_winding();
                self.warn(
                    at,
                    "geojson.reoriented_ring",
                    format!("{where_}内环为逆时针，已按 RFC 7946 改为顺时针"),
                );
            }
        }
        let polygon = Polygon::new(exterior, parsed);
        if let Err(e) = polygon.check_validation() {
            let text = e.to_string();
            let code = if text.contains("self-intersection") || text.contains("intersect") {
                "geojson.self_intersection"
            } else {
                "geojson.invalid_polygon"
            };
            self.problem(
                at,
                code,
                format!("{where_}多边形无效：{}（{text}）", explain_invalid(&text)),
            );
            return None;
        }
        Some(polygon)
    }

    fn warn(&mut self, at: &FeatureRef, code: &'static str, message: String) {
        self.warnings.push(Problem {
            feature: Some(at.clone()),
            code,
            message,
        });
    }
}

fn explain_invalid(text: &str) -> &'static str {
    if text.contains("self-intersection") {
        "边界自相交（如“8”字形）"
    } else if text.contains("interior") {
        "内环（洞）与外环相交或不在外环内"
    } else {
        "不符合简单多边形的规则"
    }
}

/// A position as the file wrote it, e.g. `[99.8, 39.3]`.
fn show_position(p: &Position) -> String {
    let numbers: Vec<String> = p.as_slice().iter().map(f64::to_string).collect();
    format!("[{}]", numbers.join(", "))
}

/// The geometry types of RFC 7946 §3.1.
const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

fn show(v: Option<&Value>) -> String {
    v.map(Value::to_string).unwrap_or_else(|| "（缺失）".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::geojson::{write_feature_collection, OutFeature};

    fn problems(text: &str) -> Vec<Problem> {
        read_feature_collection(text, &ReadOptions::default()).expect_err("refused")
    }

    fn collection(geometry: &str) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"东关1"}},"geometry":{geometry}}}]}}"#
        )
    }

    #[test]
    fn problems_name_the_feature_and_say_what_is_wrong() {
        let cases = [
            (
                r#"{"type":"Pointe","coordinates":[1,2]}"#,
                "geojson.bad_geometry_type",
                "\"Pointe\"",
            ),
            (
                r#"{"type":"Point","coordinates":["99.8","39.3"]}"#,
                "geojson.bad_coordinates",
                "坐标须为数字",
            ),
            (
                r#"{"type":"Point"}"#,
                "geojson.bad_geometry",
                "缺少 coordinates",
            ),
            (
                r#"{"type":"Point","coordinates":[39.3,99.8]}"#,
                "geojson.out_of_range",
                "经纬度似乎写反了",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[99.81,39.37],[99.82,39.37],[99.82,39.38],[99.81,39.381]]]}"#,
                "geojson.unclosed_ring",
                "首点 [99.81, 39.37] 与末点 [99.81, 39.381] 不同",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[99.81,39.37],[99.82,39.37],[99.81,39.37]]]}"#,
                "geojson.too_few_points",
                "只有 3 个坐标",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#,
                "geojson.self_intersection",
                "自相交",
            ),
        ];
        for (geometry, code, words) in cases {
            let found = problems(&collection(geometry));
            assert_eq!(found.len(), 1, "{geometry}: {found:?}");
            assert_eq!(found[0].code, code, "{geometry}: {}", found[0]);
            assert!(found[0].message.contains(words), "{geometry}: {}", found[0]);
            assert_eq!(
                found[0].to_string().split('：').next(),
                Some("features[0]「东关1」")
            );
        }
    }

    #[test]
    fn every_bad_feature_is_reported_not_only_the_first() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["a",1]}},
            {"type":"Feature","geometry":null},
            {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[99.8,39.3]}}]}"#;
        let found = problems(text);
        let codes: Vec<_> = found
            .iter()
            .map(|p| (p.feature.as_ref().map(|f| f.index), p.code))
            .collect();
        assert_eq!(
            codes,
            [
                (Some(0), "geojson.bad_coordinates"),
                (Some(1), "geojson.missing_properties")
            ]
        );
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        // Corners with at most 7 decimals: written as they are.
        let square = |x0: f64, x1: f64| {
            Polygon::new(
                LineString::from(vec![
                    (x0, 39.37),
                    (x1, 39.37),
                    (x1, 39.38),
                    (x0, 39.38),
                    (x0, 39.37),
                ]),
                vec![],
            )
        };
        let one = MultiPolygon(vec![square(99.81, 99.82)]);
        let two = MultiPolygon(vec![square(99.81, 99.82), square(99.83, 99.84)]);
        let mut properties = Map::new();
        properties.insert("name".into(), "东关1".into());
        let features = [
            OutFeature {
                properties: properties.clone(),
                boundary: &one,
            },
            OutFeature {
                properties,
                boundary: &two,
            },
        ];
        let written = write_feature_collection(&features, Crs::Wgs84, Map::new());
        assert!(written.get("crs").is_none() && written.get("coordinate_system").is_none());
        assert_eq!(written["features"][0]["geometry"]["type"], "Polygon");
        assert_eq!(written["features"][1]["geometry"]["type"], "MultiPolygon");
        let read = read_feature_collection(&written.to_string(), &ReadOptions::default())
            .expect("read back");
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        assert_eq!(
            read.features[0].geometry,
            Some(Geometry::Polygon(square(99.81, 99.82)))
        );
        assert_eq!(
            read.features[1].geometry,
            Some(Geometry::MultiPolygon(two.clone()))
        );
        assert_eq!(read.features[1].reference.name.as_deref(), Some("东关1"));
        let gcj = write_feature_collection(&features, Crs::Gcj02, Map::new());
        assert_eq!(gcj["coordinate_system"], "gcj02");
    }
}
