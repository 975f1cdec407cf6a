use std::fmt;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Validation, Winding};
use serde::Serialize;
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

    fn geometry(&mut self, at: &FeatureRef, g: &Value) -> Option<Geometry<f64>> {
        let kind = g.get("type").and_then(Value::as_str);
        if kind == Some("GeometryCollection") {
            let Some(Value::Array(members)) = g.get("geometries") else {
                self.problem(
                    at,
                    "geojson.bad_geometry",
                    "GeometryCollection 缺少 geometries 数组".into(),
                );
                return None;
            };
            let parts: Option<Vec<_>> = members.iter().map(|m| self.geometry(at, m)).collect();
            return parts.map(|p| Geometry::GeometryCollection(geo::GeometryCollection(p)));
        }
        let Some(coordinates) = g.get("coordinates") else {
            self.problem(
                at,
                "geojson.bad_geometry",
                format!("几何对象 {} 缺少 coordinates", show(g.get("type"))),
            );
            return None;
        };
        match kind {
            Some("Point") => self
                .position(at, coordinates)
                .map(|c| Geometry::Point(Point(c))),
            Some("MultiPoint") => {
                let cs = self.positions(at, coordinates)?;
                Some(Geometry::MultiPoint(cs.into_iter().map(Point).collect()))
            }
            Some("LineString") => self
                .positions(at, coordinates)
                .map(|cs| Geometry::LineString(LineString(cs))),
            Some("MultiLineString") => {
                let lines: Option<Vec<_>> = self
                    .array(at, coordinates)?
                    .iter()
                    .map(|l| self.positions(at, l).map(LineString))
                    .collect();
                Some(Geometry::MultiLineString(geo::MultiLineString(lines?)))
            }
            Some("Polygon") => self.polygon(at, coordinates, None).map(Geometry::Polygon),
            Some("MultiPolygon") => {
                let parts = self.array(at, coordinates)?;
                let polys: Option<Vec<_>> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.polygon(at, p, Some(i)))
                    .collect();
                Some(Geometry::MultiPolygon(MultiPolygon(polys?)))
            }
            Some(other) => {
                self.problem(at, "geojson.bad_geometry_type", format!("未知的几何类型 \"{other}\"（RFC 7946 §3.1 只有 Point、MultiPoint、LineString、MultiLineString、Polygon、MultiPolygon、GeometryCollection）"));
                None
            }
            None => {
                self.problem(at, "geojson.bad_geometry_type", "几何对象缺少 type".into());
                None
            }
        }
    }

    fn array<'v>(&mut self, at: &FeatureRef, v: &'v Value) -> Option<&'v Vec<Value>> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.problem(
                    at,
                    "geojson.bad_coordinates",
                    format!("coordinates 结构错误：期望数组，实为 {other}"),
                );
                None
            }
        }
    }

    fn positions(&mut self, at: &FeatureRef, v: &Value) -> Option<Vec<Coord<f64>>> {
        self.array(at, v)?
            .iter()
            .map(|p| self.position(at, p))
            .collect()
    }

    /// One position `[longitude, latitude(, altitude)]`, range-checked, converted to WGS-84.
    fn position(&mut self, at: &FeatureRef, v: &Value) -> Option<Coord<f64>> {
        let items = self.array(at, v)?;
        if items.len() < 2 {
            self.problem(
                at,
                "geojson.bad_coordinates",
                format!("坐标 {v} 至少需要经度和纬度两个数"),
            );
            return None;
        }
        let (Some(lon), Some(lat)) = (items[0].as_f64(), items[1].as_f64()) else {
            self.problem(
                at,
                "geojson.bad_coordinates",
                format!("坐标 {v} 含非数字的值（坐标须为数字，不能是字符串）"),
            );
            return None;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            let hint = if !(-90.0..=90.0).contains(&lat) && (-90.0..=90.0).contains(&lon) {
                "；经纬度似乎写反了，RFC 7946 要求 [经度, 纬度]"
            } else {
                ""
            };
            self.problem(
                at,
                "geojson.out_of_range",
                format!("坐标 {v} 超出范围（经度 −180…180，纬度 −90…90）{hint}"),
            );
            return None;
        }
        Some(self.options.crs.to_wgs84(Coord { x: lon, y: lat }))
    }

    /// A polygon: rings closed with ≥ 4 positions, not self-intersecting, reoriented to RFC 7946 winding.
    fn polygon(&mut self, at: &FeatureRef, v: &Value, part: Option<usize>) -> Option<Polygon<f64>> {
        let where_ = part
            .map(|i| format!("第 {} 个多边形的", i + 1))
            .unwrap_or_default();
        let rings = self.array(at, v)?;
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
                        raw(ring, 0),
                        raw(ring, coords.len() - 1)
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

fn raw(ring: &Value, i: usize) -> Value {
    ring.get(i).cloned().unwrap_or(Value::Null)
}

fn show(v: Option<&Value>) -> String {
    v.map(Value::to_string).unwrap_or_else(|| "（缺失）".into())
}
