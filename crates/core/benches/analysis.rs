//! `cargo bench -p chengguan-core --bench analysis`: the analysis kernels at the sizes issue 6 names — the heat
//! raster of 1,000,000 points at 1024×1024 and 150 m (and how it grows with points and raster size), the grid of
//! 1,000,000 points over the demo town's 59 grids, and Gi* over the grids and over a 250 m hexagon lattice.
//! The side-by-side comparison with NumPy/SciPy and Shapely is bench/analysis_compare.py.
#![allow(missing_docs)]

use chengguan_core::analysis::heat::{heat_raster, RasterFrame};
use chengguan_core::analysis::hotspots::{default_band, gi_star, Feature};
use chengguan_core::analysis::lattice::Lattice;
use chengguan_core::geo::measure::LocalFrame;
use chengguan_core::petitions::GridIndex;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::Centroid;

const TOWN: [f64; 4] = [99.795, 39.355, 99.835, 39.39];

/// `n` points clustered around five spots with a wide background, deterministic.
fn points(n: usize) -> Vec<(f64, f64, f64)> {
    let spots = [
        (99.815, 39.380),
        (99.823, 39.372),
        (99.808, 39.369),
        (99.819, 39.365),
        (99.811, 39.376),
    ];
    (0..n)
        .map(|i| {
            let u = (i as f64 * 0.618_033_988_75).fract();
            let v = (i as f64 * 0.754_877_666_2).fract();
            if i % 3 == 0 {
                (99.800 + 0.030 * u, 39.360 + 0.026 * v, 1.0)
            } else {
                let (x, y) = spots[i % spots.len()];
                let r = (-2.0 * (1.0 - u).ln()).sqrt() * 0.0025;
                let t = std::f64::consts::TAU * v;
                (x + r * t.cos(), y + r * t.sin() * 0.78, 1.0)
            }
        })
        .collect()
}

fn frame(size: usize) -> RasterFrame {
    RasterFrame {
        bbox: TOWN,
        width: size,
        height: size,
    }
}

fn heat(c: &mut Criterion) {
    let million = points(1_000_000);
    let mut g = c.benchmark_group("heat");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("1M points 1024x1024 150m", |b| {
        b.iter(|| heat_raster(&million, frame(1024), 150.0))
    });
    for n in [10_000, 100_000, 1_000_000, 10_000_000] {
        let pts = if n == 1_000_000 {
            million.clone()
        } else {
            points(n)
        };
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("points at 1024x1024", n), &pts, |b, p| {
            b.iter(|| heat_raster(p, frame(1024), 150.0))
        });
    }
    for size in [256, 512, 1024, 2048] {
        g.throughput(Throughput::Elements((size * size) as u64));
        g.bench_with_input(
            BenchmarkId::new("1M points at raster", size),
            &size,
            |b, s| b.iter(|| heat_raster(&million, frame(*s), 150.0)),
        );
    }
    g.finish();
}

fn assign(c: &mut Criterion) {
    let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
    let index = GridIndex::new(&town.grids);
    let million = points(1_000_000);
    let mut g = c.benchmark_group("grid assignment");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("1M points over 59 grids", |b| {
        b.iter(|| {
            million
                .iter()
                .filter(|&&(x, y, _)| index.grid_of([x, y]).is_some())
                .count()
        })
    });
    g.finish();
}

fn hotspots(c: &mut Criterion) {
    let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
    let local = LocalFrame::new(chengguan_core::demo::TOWN_CENTRE);
    let index = GridIndex::new(&town.grids);
    let million = points(1_000_000);
    let mut counts = vec![0.0; town.grids.len()];
    for &(x, y, _) in &million {
        if let Some(g) = index.grid_of([x, y]) {
            counts[town
                .grids
                .iter()
                .position(|h| std::ptr::eq(h, g))
                .unwrap_or(0)] += 1.0;
        }
    }
    let grids: Vec<Feature> = town
        .grids
        .iter()
        .zip(&counts)
        .filter_map(|(g, n)| {
            let c = g.boundary.centroid()?;
            let (x, y) = local.to_metres(c.0);
            Some(Feature { x, y, value: *n })
        })
        .collect();
    let metres: Vec<(f64, f64, f64)> = million
        .iter()
        .map(|&(lon, lat, w)| {
            let (x, y) = local.to_metres(geo::Coord { x: lon, y: lat });
            (x, y, w)
        })
        .collect();
    let hexes: Vec<Feature> = Lattice::Hex(250.0)
        .features(&metres)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    let mut g = c.benchmark_group("gi*");
    g.bench_function("59 grids", |b| {
        b.iter(|| gi_star(&grids, default_band(&grids)))
    });
    g.bench_function(format!("{} hexagons of 250 m", hexes.len()), |b| {
        b.iter(|| gi_star(&hexes, 375.0))
    });
    g.sample_size(10);
    g.bench_function("1M points onto 250 m hexagons", |b| {
        b.iter(|| Lattice::Hex(250.0).features(&metres))
    });
    g.finish();
}

criterion_group!(benches, heat, assign, hotspots);
criterion_main!(benches);
