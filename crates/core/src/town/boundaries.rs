//! Turning the features of a boundary file into grid drafts: which property holds the code, the name and the
//! community, and what is wrong with a feature that cannot be a grid.

use std::collections::HashMap;

use geo::{Geometry, MultiPolygon};
use serde::Serialize;
use serde_json::Value;

use crate::geo::geojson::{Feature, FeatureRef, Problem};

/// Which properties of the features hold what.
#[derive(Debug, Clone, Serialize)]
pub struct BoundaryProperties {
    /// The grid's name (e.g. `name`).
    pub name: String,
    /// The grid's stable code (e.g. `code`, or `adcode` in DataV exports).
    pub code: String,
    /// The community the grid belongs to, when the file says.
    pub community: Option<String>,
}

impl Default for BoundaryProperties {
    fn default() -> Self {
        Self {
            name: "name".into(),
            code: "code".into(),
            community: Some("community".into()),
        }
    }
}

/// A grid as a boundary file describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridDraft {
    /// The feature it came from.
    pub feature: FeatureRef,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its community's name, when the file gives one.
    pub community: Option<String>,
    /// Its boundary in WGS-84.
    pub boundary: MultiPolygon<f64>,
}

/// Builds grid drafts from features. A property missing from every feature is tolerated with a warning (codes
/// are then numbered `G-001`…, names taken from the code, and the community left to the caller); a property
/// missing from only some features, a non-polygonal geometry, or a code used twice is an error naming the feature.
pub fn grid_drafts(
    features: &[Feature],
    props: &BoundaryProperties,
) -> Result<(Vec<GridDraft>, Vec<Problem>), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let present = |key: &str| features.iter().any(|f| f.properties.contains_key(key));
    let (has_code, has_name) = (present(&props.code), present(&props.name));
    let has_community = props.community.as_deref().is_some_and(present);
    if !has_code {
        warnings.push(file_note(
            "grid.codes_generated",
            format!(
                "没有要素带属性 \"{}\"，网格编码按顺序生成为 G-001…（可用 --code-property 指定）",
                props.code
            ),
        ));
    }
    if !has_name {
        warnings.push(file_note(
            "grid.names_from_codes",
            format!(
                "没有要素带属性 \"{}\"，网格名称取编码（可用 --name-property 指定）",
                props.name
            ),
        ));
    }
    if let (Some(key), false) = (&props.community, has_community) {
        warnings.push(file_note(
            "grid.no_community",
            format!(
                "没有要素带属性 \"{key}\"，网格归入“未分组”社区（可用 --community-property 指定）"
            ),
        ));
    }
    let mut drafts = Vec::with_capacity(features.len());
    let mut seen: HashMap<String, FeatureRef> = HashMap::new();
    for f in features {
        let mut fail = |code, message: String| {
            problems.push(Problem {
                feature: Some(f.reference.clone()),
                code,
                message,
            })
        };
        let boundary = match &f.geometry {
            Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
            Some(Geometry::MultiPolygon(mp)) if !mp.0.is_empty() => mp.clone(),
            Some(other) => {
                fail(
                    "grid.not_polygon",
                    format!(
                        "几何类型为 {}，网格边界须为 Polygon 或 MultiPolygon",
                        geometry_name(other)
                    ),
                );
                continue;
            }
            None => {
                fail(
                    "grid.no_geometry",
                    "没有几何（geometry 为 null），网格须有边界".into(),
                );
                continue;
            }
        };
        let code = if has_code {
            match text(f.properties.get(&props.code)) {
                Some(code) => code,
                None => {
                    fail(
                        "grid.missing_code",
                        format!("缺少编码属性 \"{}\"（或其值不是文本/数字）", props.code),
                    );
                    continue;
                }
            }
        } else {
            format!("G-{:03}", f.reference.index + 1)
        };
        if let Some(first) = seen.get(&code) {
            fail(
                "grid.duplicate_code",
                format!("编码 {code} 与 {first} 重复"),
            );
            continue;
        }
        seen.insert(code.clone(), f.reference.clone());
        let name = if has_name {
            text(f.properties.get(&props.name))
        } else {
            None
        }
        .unwrap_or_else(|| code.clone());
        let community = match (&props.community, has_community) {
            (Some(key), true) => match text(f.properties.get(key)) {
                Some(c) => Some(c),
                None => {
                    fail(
                        "grid.missing_community",
                        format!("缺少社区属性 \"{key}\"（其他要素有）"),
                    );
                    continue;
                }
            },
            _ => None,
        };
        drafts.push(GridDraft {
            feature: f.reference.clone(),
            code,
            name,
            community,
            boundary,
        });
    }
    if problems.is_empty() {
        Ok((drafts, warnings))
    } else {
        Err(problems)
    }
}

fn file_note(code: &'static str, message: String) -> Problem {
    Problem {
        feature: None,
        code,
        message,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn geometry_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::LineString(_) | Geometry::Line(_) => "LineString",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => "Polygon",
    }
}
