//! The briefing's charts, made from the period's [`Figures`] (and, for the map, its hot spots per grid): the
//! same data as the figures, drawn by chengguan-report.

use std::collections::HashMap;

use chengguan_core::analysis::hotspots::Confidence;
use chengguan_core::figures::Figures;
use chengguan_report::charts::{
    self, Bar, BarChart, Chart, LineChart, MapChart, MapLabel, Rgb, Series, Shape, Theme,
};
use chengguan_report::CjkFont;
use chengguan_store::prelude::*;
use geo::Centroid;

use super::ChartView;
use crate::access::Session;
use crate::analysis::HotspotLayout;
use crate::petitions::PetitionQuery;
use crate::{App, Result};

/// Sizes of the charts and the map, in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub(crate) chart: (u32, u32),
    pub(crate) map: (u32, u32),
}

/// On the briefing screen (a panel of a 1920×1080 layout).
pub(crate) const SCREEN: Sizes = Sizes {
    chart: (880, 470),
    map: (880, 620),
};
/// On A4 paper, at print size (170 mm across).
pub(crate) const PAPER: Sizes = Sizes {
    chart: (640, 300),
    map: (640, 460),
};

/// The colour of a hot-spot class; grids without a significant cluster take a quiet shade of the theme, so that
/// the community names written over them stay readable on paper and on the dark screen.
pub(crate) fn class_colour(c: Confidence, theme: &Theme) -> Rgb {
    let dark = theme.background.iter().map(|v| u32::from(*v)).sum::<u32>() < 3 * 128;
    match c {
        Confidence::NotSignificant if dark => [40, 60, 92],
        Confidence::Hot99 => [200, 32, 38],
        Confidence::Hot95 => [232, 106, 82],
        Confidence::Hot90 => [247, 170, 140],
        Confidence::NotSignificant => [222, 226, 232],
        Confidence::Cold90 => [171, 200, 230],
        Confidence::Cold95 => [103, 160, 210],
        Confidence::Cold99 => [33, 102, 172],
    }
}

/// A name as a chart may print it: characters XML forbids (a control character in an imported grid name, say)
/// would make the whole SVG, and so the PDF, unreadable.
fn label(name: &str) -> String {
    chengguan_core::text::xml_safe(name).into_owned()
}

/// The charts of `figures`, in the order the screen rotates them.
pub(crate) fn chart_specs(f: &Figures) -> Vec<(&'static str, Chart)> {
    let count = |n: u32| format!("{n} 件");
    let ranked = |title: &str, rows: &[chengguan_core::figures::Ranked]| {
        Chart::Bars(BarChart {
            title: title.into(),
            bars: rows
                .iter()
                .take(chengguan_core::figures::TOP)
                .map(|r| Bar {
                    label: label(&r.name),
                    value: f64::from(r.count),
                    text: count(r.count),
                })
                .collect(),
        })
    };
    let trend = Chart::Lines(LineChart {
        title: "诉求类别周趋势".into(),
        x_labels: f
            .weeks
            .iter()
            .map(|w| w.monday.format("%m-%d").to_string())
            .collect(),
        y_unit: "件".into(),
        series: f
            .categories
            .iter()
            .take(5)
            .enumerate()
            .map(|(i, c)| Series {
                name: label(&c.name),
                values: f
                    .weeks
                    .iter()
                    .map(|w| f64::from(w.by_category[i]))
                    .collect(),
            })
            .collect(),
    });
    let alliances = Chart::Bars(BarChart {
        title: "联盟轮值活动".into(),
        bars: f
            .alliances
            .iter()
            .map(|a| Bar {
                label: label(&a.name),
                value: f64::from(a.activities),
                text: format!(
                    "活动 {} 次 · 履职 {}/{}",
                    a.activities, a.fulfilled, a.turns_ended
                ),
            })
            .collect(),
    });
    let satisfaction = Chart::Bars(BarChart {
        title: "群众评价".into(),
        bars: (1..=5)
            .rev()
            .map(|stars| Bar {
                label: format!("{stars} 星"),
                value: f64::from(f.ratings[stars - 1]),
                text: count(f.ratings[stars - 1]),
            })
            .collect(),
    });
    vec![
        ("trend", trend),
        ("categories", ranked("诉求类别排名", &f.categories)),
        ("grids", ranked("网格诉求排名", &f.grids)),
        ("alliances", alliances),
        ("satisfaction", satisfaction),
    ]
}

impl App {
    /// The map of the period's hot spots per grid, community names at their centres.
    pub(crate) async fn hotspot_map(
        &self,
        session: &Session,
        f: &Figures,
        theme: &Theme,
    ) -> Result<Chart> {
        let query = PetitionQuery {
            received_from: Some(f.from.to_string()),
            received_to: Some(f.to.to_string()),
            ..Default::default()
        };
        let spots = self
            .hotspots(session, &query, HotspotLayout::Grids, None)
            .await?;
        let class: HashMap<&str, Confidence> = spots
            .features
            .iter()
            .map(|r| (r.id.as_str(), r.confidence))
            .collect();
        let frame = self.town_frame().await?;
        let grids = self.cached_grids().await?;
        let communities = self.store.communities().await?;
        let mut shapes = Vec::new();
        let mut centres: HashMap<uuid::Uuid, (f64, f64, u32)> = HashMap::new();
        for g in grids.iter() {
            let c = class
                .get(g.code.as_str())
                .copied()
                .unwrap_or(Confidence::NotSignificant);
            for polygon in &g.boundary.0 {
                shapes.push(Shape {
                    ring: polygon
                        .exterior()
                        .coords()
                        .map(|p| {
                            let (x, y) = frame.to_metres(*p);
                            [x, y]
                        })
                        .collect(),
                    fill: class_colour(c, theme),
                    stroke: theme.background,
                    stroke_width: 1,
                });
            }
            if let Some(p) = g.boundary.centroid() {
                let (x, y) = frame.to_metres(p.0);
                let e = centres.entry(g.community_id).or_insert((0.0, 0.0, 0));
                *e = (e.0 + x, e.1 + y, e.2 + 1);
            }
        }
        let labels = communities
            .iter()
            .filter_map(|c| {
                let (x, y, n) = centres.get(&c.id)?;
                Some(MapLabel {
                    at: [x / f64::from(*n), y / f64::from(*n)],
                    text: label(&c.name),
                    size: 15.0,
                })
            })
            .collect();
        let legend = [
            Confidence::Hot99,
            Confidence::Hot95,
            Confidence::Hot90,
            Confidence::NotSignificant,
            Confidence::Cold90,
            Confidence::Cold95,
            Confidence::Cold99,
        ]
        .into_iter()
        .map(|c| (class_colour(c, theme), c.label().to_string()))
        .collect();
        Ok(Chart::Map(MapChart {
            title: format!("诉求热点（Gi*，{} 至 {}）", f.from, f.to),
            shapes,
            labels,
            legend,
        }))
    }

    /// Every chart of the period as SVG in `theme`.
    pub(crate) async fn briefing_charts(
        &self,
        session: &Session,
        f: &Figures,
        theme: &Theme,
        sizes: Sizes,
    ) -> Result<Vec<ChartView>> {
        let font = CjkFont::system()?;
        let mut out = Vec::new();
        let map = self.hotspot_map(session, f, theme).await?;
        for (code, chart) in chart_specs(f).into_iter().chain([("map", map)]) {
            let size = if code == "map" {
                sizes.map
            } else {
                sizes.chart
            };
            out.push(ChartView {
                code: code.into(),
                title: chart.title().to_string(),
                svg: charts::svg(&chart, size, theme, &font)?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chengguan_core::figures::{figures, Inputs};
    use chengguan_core::petitions::sla::EveryDay;
    use chrono::{NaiveDate, Utc};

    #[test]
    fn a_name_with_a_control_character_still_gives_readable_charts() {
        let names: HashMap<String, String> =
            [("env".to_string(), "环境\u{1}卫生<&>".to_string())].into();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let received = chengguan_core::time::beijing_day_start(day(3));
        let petitions = vec![chengguan_core::figures::PetitionRecord {
            received_at: received,
            deadline: received,
            category: "env".into(),
            grid: None,
            rating: None,
            steps: vec![],
        }];
        let f = figures(
            &Inputs {
                from: day(2),
                to: day(8),
                now: Utc::now(),
                petitions: &petitions,
                category_names: &names,
                grid_names: &names,
                alliances: vec![],
                roster_gaps: vec![],
            },
            &EveryDay,
        );
        let font = CjkFont::system().expect("Noto Sans CJK (scripts/install-deps.sh)");
        for (code, chart) in chart_specs(&f) {
            let svg = charts::svg(&chart, (400, 300), &Theme::PAPER, &font).expect(code);
            assert!(!svg.contains('\u{1}'), "{code}");
            charts::png(&svg, &font, 1.0).unwrap_or_else(|e| panic!("{code}: {e}"));
        }
    }
}
