//! The analysis as layers of the desktop's map: the heat raster as a georeferenced PNG, the choropleth with its
//! class breaks, hot spots with their cells' outlines, and the week's spike alerts with grid names. Locations are
//! in the base map's coordinate system (`display_crs` of the query), as the petitions' markers are.

use chengguan_core::analysis::classes::quantile_breaks;
use chengguan_core::analysis::lattice::Lattice;
use geo::Coord;
use serde::Serialize;
use ts_rs::TS;

use super::{heat_png, ramp_colour, ChoroplethRow, HeatRequest, HotspotLayout};
use crate::access::Session;
use crate::petitions::PetitionQuery;
use crate::{App, AppError, Result};

/// Pixels on the long side of the desktop's heat raster (about 10 m per pixel over the town).
pub const HEAT_LAYER_PIXELS: usize = 640;
/// Classes of the choropleth.
pub const CHOROPLETH_CLASSES: usize = 5;

/// The heat layer: an image to stretch over `bounds`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HeatLayer {
    /// The raster as `data:image/png;base64,…` (transparent where there are no petitions).
    pub image: String,
    /// West, south, east, north of the image in the display coordinate system.
    pub bounds: [f64; 4],
    /// The density at the brightest pixel, petitions per km² (the top of the legend).
    pub peak_per_km2: f64,
    /// The colour ramp from zero to the peak, as `#rrggbb` stops (the legend).
    pub ramp: Vec<String>,
    /// Petitions that went in.
    pub points: u32,
    /// Kernel standard deviation in metres.
    pub bandwidth_m: f64,
}

/// The choropleth: one value per grid under the chosen normalisation, and quantile class breaks.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChoroplethLayer {
    /// `count`, `per_1000_households` or `per_km2`.
    pub measure: String,
    /// The measure's unit in Chinese, for the legend.
    pub unit: String,
    /// Per grid, with every measure.
    pub rows: Vec<ChoroplethRow>,
    /// Upper bounds of the classes, ascending (fewer than five when values repeat).
    pub breaks: Vec<f64>,
    /// Petitions counted in all.
    pub total: u32,
}

/// One hot-spot feature as drawn.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HotspotCell {
    /// Grid code, or the lattice cell as `q,r`.
    pub id: String,
    /// The cell's corners `[lon, lat]` in the display coordinate system (lattices only; grids are drawn with
    /// their own boundaries).
    pub outline: Option<Vec<[f64; 2]>>,
    /// Petitions counted.
    pub count: f64,
    /// Gi* z-score.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Class code: `hot99`, `hot95`, `hot90`, `not_significant`, `cold90`, `cold95`, `cold99`.
    pub confidence: String,
    /// Class in Chinese.
    pub label: String,
}

/// The hot-spot layer.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HotspotLayer {
    /// `grid`, `grid-current`, `hex:METRES` or `square:METRES`.
    pub layout: String,
    /// The distance band of the weights, metres.
    pub band_m: f64,
    /// Per feature.
    pub cells: Vec<HotspotCell>,
}

/// One spike alert as the dashboard lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertRow {
    /// Grid code.
    pub grid_code: String,
    /// Grid name.
    pub grid_name: String,
    /// Petitions this week.
    pub observed: u32,
    /// Expected in a week (the previous eight weeks' mean).
    pub expected: f64,
    /// P(at least this many | expected), Poisson.
    pub p: f64,
}

/// This week's alerts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertList {
    /// Monday of the week (Beijing, `YYYY-MM-DD`).
    pub week_of: String,
    /// Most unlikely first.
    pub alerts: Vec<AlertRow>,
}

/// The raster size for `bbox` with `long_side` pixels on its longer side in metres.
fn raster_size(bbox: [f64; 4], long_side: usize) -> (usize, usize) {
    let mid_lat = ((bbox[1] + bbox[3]) / 2.0).to_radians();
    let width_m = (bbox[2] - bbox[0]) * mid_lat.cos();
    let height_m = bbox[3] - bbox[1];
    let ratio = if width_m > 0.0 {
        height_m / width_m
    } else {
        1.0
    };
    let long = long_side as f64;
    let (w, h) = if ratio <= 1.0 {
        (long, long * ratio)
    } else {
        (long / ratio, long)
    };
    ((w.round() as usize).max(16), (h.round() as usize).max(16))
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl App {
    /// The heat layer of the petitions `query` selects over the town, with kernel bandwidth `bandwidth_m`.
    pub async fn heat_layer(
        &self,
        session: &Session,
        query: &PetitionQuery,
        bandwidth_m: f64,
    ) -> Result<HeatLayer> {
        let crs = query.crs()?;
        let bbox = self.town_bbox().await?;
        let req = HeatRequest {
            query: query.clone(),
            bbox: Some(bbox),
            size: raster_size(bbox, HEAT_LAYER_PIXELS),
            bandwidth_m,
        };
        let (raster, points) = self.heatmap(session, &req).await?;
        let png = heat_png(&raster)?;
        let sw = crs.from_wgs84(Coord {
            x: bbox[0],
            y: bbox[1],
        });
        let ne = crs.from_wgs84(Coord {
            x: bbox[2],
            y: bbox[3],
        });
        Ok(HeatLayer {
            image: format!("data:image/png;base64,{}", base64(&png)),
            bounds: [sw.x, sw.y, ne.x, ne.y],
            peak_per_km2: raster.peak() * 1e6,
            ramp: (0..=8)
                .map(|i| {
                    let [r, g, b] = ramp_colour(f64::from(i) / 8.0);
                    format!("#{r:02x}{g:02x}{b:02x}")
                })
                .collect(),
            points: u32::try_from(points).unwrap_or(u32::MAX),
            bandwidth_m,
        })
    }

    /// The choropleth of the petitions `query` selects under `measure` (`count`, `per_1000_households` or
    /// `per_km2`), with quantile class breaks.
    pub async fn choropleth_layer(
        &self,
        session: &Session,
        query: &PetitionQuery,
        measure: &str,
    ) -> Result<ChoroplethLayer> {
        let (pick, unit): (fn(&ChoroplethRow) -> Option<f64>, &str) = match measure {
            "count" => (|r| Some(f64::from(r.count)), "件"),
            "per_1000_households" => (|r| r.per_1000_households, "件/千户"),
            "per_km2" => (|r| Some(r.per_km2), "件/平方公里"),
            other => {
                return Err(AppError::Invalid {
                    field: "分级指标",
                    problem: format!("「{other}」无效，应为 count、per_1000_households 或 per_km2"),
                })
            }
        };
        let rows = self.choropleth(session, query).await?;
        let values: Vec<f64> = rows.iter().filter_map(pick).collect();
        Ok(ChoroplethLayer {
            measure: measure.to_string(),
            unit: unit.to_string(),
            breaks: quantile_breaks(&values, CHOROPLETH_CLASSES),
            total: rows.iter().map(|r| r.count).sum(),
            rows,
        })
    }

    /// Gi* hot spots of the petitions `query` selects under `layout` (`grid`, `grid-current`, `hex:METRES` or
    /// `square:METRES`), lattice cells with their outlines.
    pub async fn hotspot_layer(
        &self,
        session: &Session,
        query: &PetitionQuery,
        layout: &str,
    ) -> Result<HotspotLayer> {
        let crs = query.crs()?;
        let parsed: HotspotLayout = layout.parse()?;
        self.authorize(Some(session), crate::access::UseCase::Analyse)
            .await?;
        let frame = self.town_frame().await?;
        let spots = self.hotspots_in(query, parsed, None, frame).await?;
        let outline = |lattice: Lattice, cell| {
            lattice
                .outline(cell)
                .into_iter()
                .map(|(x, y)| {
                    let c = crs.from_wgs84(frame.to_lon_lat(x, y));
                    [c.x, c.y]
                })
                .collect()
        };
        Ok(HotspotLayer {
            layout: layout.to_string(),
            band_m: spots.band_m,
            cells: spots
                .features
                .into_iter()
                .map(|f| HotspotCell {
                    outline: match (parsed, f.cell) {
                        (HotspotLayout::Lattice(l), Some(cell)) => Some(outline(l, cell)),
                        _ => None,
                    },
                    confidence: f.confidence.code().into(),
                    label: f.label.to_string(),
                    id: f.id,
                    count: f.count,
                    z: f.z,
                    p: f.p,
                })
                .collect(),
        })
    }

    /// The spike alerts of the week holding `day` (default today), with the grids' names.
    pub async fn alert_list(&self, session: &Session, day: Option<&str>) -> Result<AlertList> {
        let found = self.alerts(session, day).await?;
        let grids = self.cached_grids().await?;
        let name_of = |code: &str| {
            grids
                .iter()
                .find(|g| g.code == code)
                .map(|g| g.name.clone())
                .unwrap_or_default()
        };
        Ok(AlertList {
            week_of: found.week_of,
            alerts: found
                .spikes
                .into_iter()
                .map(|s| AlertRow {
                    grid_name: name_of(&s.grid_code),
                    grid_code: s.grid_code,
                    observed: s.observed,
                    expected: s.expected,
                    p: s.p,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raster_keeps_the_ground_aspect() {
        // 0.1° of longitude at 39.4° N is 0.773 of 0.1° of latitude on the ground.
        let (w, h) = raster_size([99.75, 39.33, 99.85, 39.43], 640);
        assert_eq!(h, 640);
        assert_eq!(w, 495);
        assert_eq!(raster_size([99.7, 39.35, 99.9, 39.40], 640).0, 640);
    }
}
