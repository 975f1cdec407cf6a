//! The Rust side of bench/analysis_compare.py (issue 6 figures). Reads points as little-endian f64 pairs
//! (lon, lat) from a file and times, in this process, excluding file I/O:
//!
//! - `heat POINTS OUT W S E N WIDTH HEIGHT BANDWIDTH`: the heat raster; writes it to OUT as f64 (row-major,
//!   weight per pixel, i.e. density × pixel area, for comparison with NumPy's histogram2d + SciPy's filter).
//! - `assign POINTS OUT GRIDS_JSON`: the grid of each point over the demo town's 59 grids; writes the grid index
//!   (i32, −1 for none) to OUT, and the grids' polygons (`[[lon, lat], …]` per ring) to GRIDS_JSON.
//!
//! Prints `seconds=…` and `peak_bytes_extra=…` (the raster's and buffers' size, nothing per point).
#![allow(clippy::print_stdout, missing_docs)]

use std::time::Instant;

use chengguan_core::analysis::heat::{heat_raster, RasterFrame};
use chengguan_core::petitions::GridIndex;

fn read_points(path: &str) -> Vec<(f64, f64, f64)> {
    let bytes = std::fs::read(path).expect("points file");
    bytes
        .chunks_exact(16)
        .map(|c| {
            let lon = f64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
            let lat = f64::from_le_bytes(c[8..].try_into().expect("8 bytes"));
            (lon, lat, 1.0)
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("heat") => {
            let points = read_points(&args[2]);
            let n: Vec<f64> = args[4..11]
                .iter()
                .map(|v| v.parse().expect("number"))
                .collect();
            let frame = RasterFrame {
                bbox: [n[0], n[1], n[2], n[3]],
                width: n[4] as usize,
                height: n[5] as usize,
            };
            let start = Instant::now();
            let raster = heat_raster(&points, frame, n[6]);
            let seconds = start.elapsed().as_secs_f64();
            let (cw, ch) = frame.cell_metres();
            let out: Vec<u8> = raster
                .values
                .iter()
                .flat_map(|v| (v * cw * ch).to_le_bytes())
                .collect();
            std::fs::write(&args[3], out).expect("write raster");
            println!(
                "seconds={seconds:.4} peak_bytes_extra={}",
                2 * frame.width * frame.height * 8
            );
        }
        Some("assign") => {
            let points = read_points(&args[2]);
            let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
            let start = Instant::now();
            let index = GridIndex::new(&town.grids);
            let codes: Vec<i32> = points
                .iter()
                .map(|&(x, y, _)| {
                    index
                        .grid_of([x, y])
                        .and_then(|g| town.grids.iter().position(|h| std::ptr::eq(h, g)))
                        .map_or(-1, |i| i as i32)
                })
                .collect();
            let seconds = start.elapsed().as_secs_f64();
            std::fs::write(
                &args[3],
                codes
                    .iter()
                    .flat_map(|c| c.to_le_bytes())
                    .collect::<Vec<u8>>(),
            )
            .expect("write codes");
            let polygons: Vec<Vec<Vec<[f64; 2]>>> = town
                .grids
                .iter()
                .map(|g| {
                    g.boundary.0[0]
                        .exterior()
                        .coords()
                        .map(|c| vec![[c.x, c.y]])
                        .collect::<Vec<_>>()
                        .concat()
                })
                .map(|ring| vec![ring])
                .collect();
            std::fs::write(&args[4], serde_json::to_string(&polygons).expect("json"))
                .expect("write grids");
            println!("seconds={seconds:.4}");
        }
        _ => panic!("usage: analysis_bench heat|assign …"),
    }
}
