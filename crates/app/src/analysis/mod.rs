//! Spatial analysis of the petitions for leaders and duty officers: the heat raster, hot spots (Gi*) per grid or
//! on a lattice, and this week's spike alerts. The algorithms are in `chengguan_core::analysis`; this module
//! picks the petitions (the queue's filters), puts them in a metric frame and shapes the answers; `layers` makes
//! map layers of them for the desktop.

pub mod layers;
pub mod points;
mod render;

pub use render::{heat_json, heat_png, ramp_colour, world_file, HeatJson};

use chengguan_core::analysis::counts;
use chengguan_core::analysis::heat::{heat_raster, HeatRaster, RasterFrame};
use chengguan_core::analysis::hotspots::{default_band, gi_star, Confidence, Feature};
use chengguan_core::analysis::lattice::{Cell, Lattice};
use chengguan_core::analysis::spikes::{spikes, Spike, BASELINE_WEEKS};
use chengguan_core::geo::measure::LocalFrame;
use chengguan_core::time::beijing;
use chengguan_store::prelude::*;
use chrono::{Datelike, Duration};
use geo::{BoundingRect, Centroid};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::petitions::PetitionQuery;
use crate::{App, AppError, Result};

/// What a heat map is asked for.
#[derive(Debug, Clone)]
pub struct HeatRequest {
    /// Which petitions (the queue's filters; dates are Beijing days).
    pub query: PetitionQuery,
    /// West, south, east, north (WGS-84); default the town's grids.
    pub bbox: Option<[f64; 4]>,
    /// Pixels across and down (16–4096).
    pub size: (usize, usize),
    /// Kernel standard deviation in metres (10–5,000).
    pub bandwidth_m: f64,
}

/// How hot spots are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HotspotLayout {
    /// Per grid (its centroid), each petition in the grid it was reported in.
    Grids,
    /// Per grid, each petition placed again by its point in today's boundaries (the past re-aggregated after the
    /// grids were redrawn; petitions without a point keep their grid).
    CurrentGrids,
    /// On a lattice.
    Lattice(Lattice),
}

impl std::str::FromStr for HotspotLayout {
    type Err = AppError;
    /// `grid`, `hex:METRES` or `square:METRES`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || AppError::Invalid {
            field: "格网",
            problem: format!(
                "「{s}」无效，应为 grid、grid-current、hex:米数 或 square:米数（50–5000）"
            ),
        };
        let size = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|m| (50.0..=5000.0).contains(m))
                .ok_or_else(bad)
        };
        match s.split_once(':') {
            None if s == "grid" => Ok(Self::Grids),
            None if s == "grid-current" => Ok(Self::CurrentGrids),
            Some(("hex", m)) => Ok(Self::Lattice(Lattice::Hex(size(m)?))),
            Some(("square", m)) => Ok(Self::Lattice(Lattice::Square(size(m)?))),
            _ => Err(bad()),
        }
    }
}

/// One feature's hot-spot result.
#[derive(Debug, Clone, Serialize)]
pub struct HotspotRow {
    /// The lattice cell (none for grids).
    #[serde(skip)]
    pub cell: Option<Cell>,
    /// The grid's code, or the lattice cell as `q,r`.
    pub id: String,
    /// Centre, WGS-84 `[lon, lat]`.
    pub centre: [f64; 2],
    /// Petitions counted.
    pub count: f64,
    /// Gi* z-score.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Class code (`hot99`, …, `not_significant`, …).
    pub confidence: Confidence,
    /// Class in Chinese.
    pub label: &'static str,
}

/// Hot spots and the band used.
#[derive(Debug, Clone, Serialize)]
pub struct Hotspots {
    /// The distance band in metres.
    pub band_m: f64,
    /// Per feature.
    pub features: Vec<HotspotRow>,
}

/// What a hot-spot feature is: a grid (by code) or a lattice cell.
enum FeatureId {
    Grid(String),
    Cell(Cell),
}

/// One grid of the choropleth: its count and the two normalisations.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChoroplethRow {
    /// Grid code.
    pub grid_code: String,
    /// Grid name.
    pub name: String,
    /// Petitions reported in it.
    pub count: u32,
    /// Households in it.
    pub households: i64,
    /// Its area in km².
    pub area_km2: f64,
    /// Petitions per 1,000 households (none when it has no households).
    pub per_1000_households: Option<f64>,
    /// Petitions per km².
    pub per_km2: f64,
}

/// This week's alerts and the week they are for.
#[derive(Debug, Clone, Serialize)]
pub struct Alerts {
    /// Monday of the week (Beijing).
    pub week_of: String,
    /// Grids whose count is a spike, most unlikely first.
    pub spikes: Vec<Spike>,
}

impl App {
    /// The heat raster of the petitions `req` asks for, and how many petitions went in.
    pub async fn heatmap(
        &self,
        session: &Session,
        req: &HeatRequest,
    ) -> Result<(HeatRaster, usize)> {
        self.authorize(Some(session), UseCase::Analyse).await?;
        let (w, h) = req.size;
        if !(16..=4096).contains(&w) || !(16..=4096).contains(&h) {
            return Err(AppError::Invalid {
                field: "尺寸",
                problem: format!("{w}×{h} 不在 16–4096 之内"),
            });
        }
        if !(10.0..=5000.0).contains(&req.bandwidth_m) {
            return Err(AppError::Invalid {
                field: "带宽",
                problem: format!("{} 米不在 10–5000 之内", req.bandwidth_m),
            });
        }
        let bbox = match req.bbox {
            Some(b) if b[0] < b[2] && b[1] < b[3] => b,
            Some(b) => {
                return Err(AppError::Invalid {
                    field: "范围",
                    problem: format!("{b:?} 应为 西,南,东,北"),
                })
            }
            None => self.town_bbox().await?,
        };
        let filter = self.petition_filter(&req.query, self.clock.now()).await?;
        let points: Vec<(f64, f64, f64)> = self
            .analysis_points(&filter)
            .await?
            .points
            .iter()
            .map(|p| (p.lon, p.lat, 1.0))
            .collect();
        let raster = heat_raster(
            &points,
            RasterFrame {
                bbox,
                width: w,
                height: h,
            },
            req.bandwidth_m,
        );
        Ok((raster, points.len()))
    }

    /// Gi* hot spots of the petitions `query` selects, per grid or on a lattice; `band_m` by default the smallest
    /// band giving every feature a neighbour (grids) or the cell spacing × 1.5 (lattices: the six or eight
    /// neighbours).
    pub async fn hotspots(
        &self,
        session: &Session,
        query: &PetitionQuery,
        layout: HotspotLayout,
        band_m: Option<f64>,
    ) -> Result<Hotspots> {
        self.authorize(Some(session), UseCase::Analyse).await?;
        let frame = self.town_frame().await?;
        self.hotspots_in(query, layout, band_m, frame).await
    }

    /// The flat frame analysis measures in: centred on the town's own grids (the middle of their extent), so
    /// that a real town far from the demo's centre is measured where it is; the demo's centre only while there
    /// are no grids.
    pub(crate) async fn town_frame(&self) -> Result<LocalFrame> {
        let grids = self.cached_grids().await?;
        let extent = grids
            .iter()
            .filter_map(|g| g.boundary.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::Coord {
                        x: a.min().x.min(b.min().x),
                        y: a.min().y.min(b.min().y),
                    },
                    geo::Coord {
                        x: a.max().x.max(b.max().x),
                        y: a.max().y.max(b.max().y),
                    },
                )
            });
        Ok(LocalFrame::new(
            extent.map_or(chengguan_core::demo::TOWN_CENTRE, |r| r.center()),
        ))
    }

    /// [`App::hotspots`] measured in `frame`, for a caller that has checked the permission and draws the cells
    /// in the same frame.
    pub(crate) async fn hotspots_in(
        &self,
        query: &PetitionQuery,
        layout: HotspotLayout,
        band_m: Option<f64>,
        frame: LocalFrame,
    ) -> Result<Hotspots> {
        let filter = self.petition_filter(query, self.clock.now()).await?;
        let selection = self.analysis_points(&filter).await?;
        let points = &selection.points;
        let (ids, features): (Vec<FeatureId>, Vec<Feature>) = match layout {
            HotspotLayout::Grids | HotspotLayout::CurrentGrids => {
                let grids = self.cached_grids().await?;
                let index = chengguan_core::petitions::GridIndex::new(&grids);
                let per_grid = counts::per_grid(points.iter().map(|p| {
                    match layout {
                        HotspotLayout::CurrentGrids => index
                            .grid_of([p.lon, p.lat])
                            .map(|g| g.code.as_str())
                            .or(selection.grid_of(p)),
                        _ => selection.grid_of(p),
                    }
                }));
                grids
                    .iter()
                    .filter_map(|g| {
                        let c = g.boundary.centroid()?;
                        let (x, y) = frame.to_metres(c.0);
                        let count = per_grid.get(g.code.as_str()).copied().unwrap_or(0);
                        Some((
                            FeatureId::Grid(g.code.clone()),
                            Feature {
                                x,
                                y,
                                value: f64::from(count),
                            },
                        ))
                    })
                    .unzip()
            }
            HotspotLayout::Lattice(lattice) => {
                let metres: Vec<(f64, f64, f64)> = points
                    .iter()
                    .map(|p| {
                        let (x, y) = frame.to_metres(geo::Coord { x: p.lon, y: p.lat });
                        (x, y, 1.0)
                    })
                    .collect();
                lattice
                    .features(&metres)
                    .into_iter()
                    .map(|(cell, f)| (FeatureId::Cell(cell), f))
                    .unzip()
            }
        };
        let band = band_m.unwrap_or_else(|| match layout {
            HotspotLayout::Grids | HotspotLayout::CurrentGrids => default_band(&features),
            HotspotLayout::Lattice(l) => l.spacing() * 1.5,
        });
        let stats = gi_star(&features, band);
        Ok(Hotspots {
            band_m: band,
            features: ids
                .into_iter()
                .zip(features)
                .zip(stats)
                .map(|((id, f), g)| {
                    let c = frame.to_lon_lat(f.x, f.y);
                    let (id, cell) = match id {
                        FeatureId::Grid(code) => (code, None),
                        FeatureId::Cell((q, r)) => (format!("{q},{r}"), Some((q, r))),
                    };
                    HotspotRow {
                        cell,
                        id,
                        centre: [c.x, c.y],
                        count: f.value,
                        z: g.z,
                        p: g.p,
                        confidence: g.confidence,
                        label: g.confidence.label(),
                    }
                })
                .collect(),
        })
    }

    /// Spike alerts for the Beijing week holding `day` (`YYYY-MM-DD`; default today): per grid, its petitions that
    /// week against the previous eight.
    pub async fn alerts(&self, session: &Session, day: Option<&str>) -> Result<Alerts> {
        self.authorize(Some(session), UseCase::Analyse).await?;
        let today = self.clock.now().with_timezone(&beijing()).date_naive();
        let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
            None => today,
            Some(d) => chengguan_core::time::parse_day(d).map_err(|e| AppError::Invalid {
                field: "日期",
                problem: e.to_string(),
            })?,
        };
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let start_of = chengguan_core::time::beijing_day_start;
        let first = monday - Duration::weeks(BASELINE_WEEKS as i64);
        let filter = chengguan_store::PetitionFilter {
            received_from: Some(start_of(first)),
            received_before: Some(start_of(monday + Duration::weeks(1))),
            ..Default::default()
        };
        let grids = self.cached_grids().await?;
        let selection = self.analysis_points(&filter).await?;
        let rows = counts::per_grid_and_week::<BASELINE_WEEKS>(
            grids.iter().map(|g| g.code.as_str()),
            first,
            selection.points.iter().filter_map(|p| {
                let day = p.received_at().with_timezone(&beijing()).date_naive();
                selection.grid_of(p).map(|g| (g, day))
            }),
        );
        Ok(Alerts {
            week_of: monday.to_string(),
            spikes: spikes(&rows),
        })
    }

    /// Petitions per grid for the located petitions `query` selects (the grid each was reported in), per 1,000
    /// households and per km².
    pub async fn choropleth(
        &self,
        session: &Session,
        query: &PetitionQuery,
    ) -> Result<Vec<ChoroplethRow>> {
        self.authorize(Some(session), UseCase::Analyse).await?;
        let filter = self.petition_filter(query, self.clock.now()).await?;
        let selection = self.analysis_points(&filter).await?;
        let counts = counts::per_grid(selection.points.iter().map(|p| selection.grid_of(p)));
        let mut rows = Vec::new();
        for g in self.cached_grids().await?.iter() {
            let households = self.store.grid_counts(g.id).await?.households;
            let area_km2 = chengguan_core::geo::measure::multipolygon_area_m2(&g.boundary) / 1e6;
            let count = counts.get(g.code.as_str()).copied().unwrap_or(0);
            rows.push(ChoroplethRow {
                grid_code: g.code.clone(),
                name: g.name.clone(),
                count,
                households,
                area_km2,
                per_1000_households: (households > 0)
                    .then(|| f64::from(count) * 1000.0 / households as f64),
                per_km2: if area_km2 > 0.0 {
                    f64::from(count) / area_km2
                } else {
                    0.0
                },
            });
        }
        Ok(rows)
    }

    /// The town's extent: the bounding box of its grids.
    async fn town_bbox(&self) -> Result<[f64; 4]> {
        let grids = self.cached_grids().await?;
        let rects: Vec<geo::Rect<f64>> = grids
            .iter()
            .filter_map(|g| g.boundary.bounding_rect())
            .collect();
        let first = rects.first().ok_or(AppError::NotInitialised)?;
        let mut b = [first.min().x, first.min().y, first.max().x, first.max().y];
        for r in &rects {
            b = [
                b[0].min(r.min().x),
                b[1].min(r.min().y),
                b[2].max(r.max().x),
                b[3].max(r.max().y),
            ];
        }
        // A margin of 5 % so that kernels near the edge are not cut at once.
        let (dx, dy) = ((b[2] - b[0]) * 0.05, (b[3] - b[1]) * 0.05);
        Ok([b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy])
    }
}
