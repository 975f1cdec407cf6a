//! Memory of the analysis hot loops: the heat raster and the grid assignment allocate nothing per point — the
//! same allocations, byte for byte, for 1,000 points as for 100,000 (memory grows with the raster, not with the
//! points). Counted by a counting global allocator; one test in this binary, so nothing else allocates meanwhile.

use std::alloc::System;

use chengguan_core::analysis::heat::{heat_raster, RasterFrame};
use chengguan_core::petitions::GridIndex;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// `n` points spread over the demo town's box, deterministic.
fn points(n: usize) -> Vec<(f64, f64, f64)> {
    (0..n)
        .map(|i| {
            let u = (i as f64 * 0.618_033_988_75).fract();
            let v = (i as f64 * 0.754_877_666_2).fract();
            (99.800 + 0.030 * u, 39.360 + 0.026 * v, 1.0)
        })
        .collect()
}

#[test]
fn no_allocation_per_point() {
    let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
    let index = GridIndex::new(&town.grids);
    let frame = RasterFrame {
        bbox: [99.795, 39.355, 99.835, 39.39],
        width: 512,
        height: 448,
    };
    let (few, many) = (points(1_000), points(100_000));

    let mut heat = Vec::new();
    for pts in [&few, &many] {
        for bandwidth in [30.0, 150.0] {
            let region = Region::new(GLOBAL);
            let raster = heat_raster(pts, frame, bandwidth);
            let stats = region.change();
            drop(raster);
            heat.push((bandwidth, stats.allocations, stats.bytes_allocated));
        }
    }
    // Per bandwidth (fine and coarse paths): the same count and bytes whatever the number of points.
    assert_eq!(heat[0], heat[2], "fine path: {heat:?}");
    assert_eq!(heat[1], heat[3], "coarse path: {heat:?}");
    // And proportional to the raster: at most a few rasters' worth of f64.
    let raster_bytes = frame.width * frame.height * 8;
    assert!(heat.iter().all(|h| h.2 <= 4 * raster_bytes), "{heat:?}");

    let region = Region::new(GLOBAL);
    let mut found = 0usize;
    for &(lon, lat, _) in &many {
        found += usize::from(index.grid_of([lon, lat]).is_some());
    }
    let stats = region.change();
    assert_eq!(
        stats.allocations, 0,
        "grid assignment allocates nothing per point"
    );
    assert!(found > 50_000, "{found}");
}
