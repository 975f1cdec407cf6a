//! Rendering a heat raster for the map and for files: the colour ramp, the RGBA PNG, the JSON with its
//! georeference and the world file (`.pgw`) that places a PNG in a GIS.

use chengguan_core::analysis::heat::HeatRaster;
use serde::Serialize;

use crate::{AppError, Result};

/// A heat raster as JSON: the values row by row from the north-west, with their georeference.
#[derive(Debug, Clone, Serialize)]
pub struct HeatJson {
    /// West, south, east, north (WGS-84 degrees).
    pub bbox: [f64; 4],
    /// Pixels across.
    pub width: usize,
    /// Pixels down.
    pub height: usize,
    /// Pixel width and height in metres.
    pub cell_m: [f64; 2],
    /// Kernel standard deviation in metres.
    pub bandwidth_m: f64,
    /// Unit of the values.
    pub unit: &'static str,
    /// Petitions that went in.
    pub points: usize,
    /// Rows of densities.
    pub values: Vec<Vec<f64>>,
}

/// `raster` as JSON with its georeference; values in petitions per km².
pub fn heat_json(raster: &HeatRaster, points: usize) -> HeatJson {
    let (cw, ch) = raster.frame.cell_metres();
    HeatJson {
        bbox: raster.frame.bbox,
        width: raster.frame.width,
        height: raster.frame.height,
        cell_m: [cw, ch],
        bandwidth_m: raster.bandwidth_m,
        unit: "petitions per km²",
        points,
        values: raster
            .values
            .chunks(raster.frame.width)
            .map(|row| row.iter().map(|v| v * 1e6).collect())
            .collect(),
    }
}

/// An ESRI world file (`.pgw`) for the PNG of `raster`: pixel size and the upper-left pixel's centre in
/// WGS-84 degrees, so that GIS tools (QGIS, GDAL) place the image.
pub fn world_file(raster: &HeatRaster) -> String {
    let [w, _, _, n] = raster.frame.bbox;
    let [_, s, e, _] = raster.frame.bbox;
    let dx = (e - w) / raster.frame.width as f64;
    let dy = (n - s) / raster.frame.height as f64;
    format!(
        "{dx:.12}\n0\n0\n{:.12}\n{:.12}\n{:.12}\n",
        -dy,
        w + dx / 2.0,
        n - dy / 2.0
    )
}

/// The "inferno" colour map (matplotlib, perceptually uniform), 9 stops from dark to light.
const RAMP: [[u8; 3]; 9] = [
    [0, 0, 4],
    [31, 12, 72],
    [85, 15, 109],
    [136, 34, 106],
    [186, 54, 85],
    [227, 89, 51],
    [249, 140, 10],
    [249, 201, 50],
    [252, 255, 164],
];

/// The colour of `t` in 0–1 on the ramp.
pub fn ramp_colour(t: f64) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let i = (t.floor() as usize).min(RAMP.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    [
        mix(RAMP[i][0], RAMP[i + 1][0]),
        mix(RAMP[i][1], RAMP[i + 1][1]),
        mix(RAMP[i][2], RAMP[i + 1][2]),
    ]
}

/// `raster` as an RGBA PNG: each value scaled by the peak through the ramp, transparent below 2 % of the peak
/// and more opaque where it is hotter (so the grids show through).
pub fn heat_png(raster: &HeatRaster) -> Result<Vec<u8>> {
    let peak = raster.peak();
    let mut rgba = Vec::with_capacity(raster.values.len() * 4);
    for v in &raster.values {
        let t = if peak > 0.0 { v / peak } else { 0.0 };
        let [r, g, b] = ramp_colour(t);
        // Opacity grows with the square root of the value: faint at the fringes (no hard edge where the raster
        // ends), opaque at the peak.
        let alpha = if t < 0.02 {
            0
        } else {
            (255.0 * t.sqrt()).round() as u8
        };
        rgba.extend_from_slice(&[r, g, b, alpha]);
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(
            &mut out,
            raster.frame.width as u32,
            raster.frame.height as u32,
        );
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let fail = |e: png::EncodingError| AppError::Internal(format!("无法生成 PNG：{e}"));
        // The legend scale and the georeference travel with the image (tEXt chunks any PNG reader lists).
        let [w, s, e, n] = raster.frame.bbox;
        encoder
            .add_text_chunk("Software".into(), "chengguan".into())
            .map_err(fail)?;
        encoder
            .add_text_chunk(
                "Legend".into(),
                format!(
                    "petitions per km2, 0 (transparent) to {:.3} (brightest), inferno colour map",
                    raster.peak() * 1e6
                ),
            )
            .map_err(fail)?;
        encoder
            .add_text_chunk(
                "Georeference".into(),
                format!(
                    "WGS-84 lon/lat bbox {w},{s},{e},{n}; {}x{} pixels; Gaussian bandwidth {} m",
                    raster.frame.width, raster.frame.height, raster.bandwidth_m
                ),
            )
            .map_err(fail)?;
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.write_image_data(&rgba).map_err(fail)?;
    }
    Ok(out)
}
