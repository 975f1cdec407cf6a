//! The demo town's geography: a jittered 8 × 8 lattice of blocks around the county seat, grouped into eight
//! communities of 2 × 4 blocks. Five communities merge two of their blocks into one grid, giving 5 × 7 + 3 × 8 = 59
//! grids. Neighbouring blocks share their corner vertices exactly, so the grids tile the town with no overlaps and
//! no holes by construction; each vertex moves at most 20 % of a block, which keeps every block a simple polygon.

use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::geo::measure::LocalFrame;

/// Blocks west to east.
pub const COLUMNS: usize = 8;
/// Blocks south to north.
pub const ROWS: usize = 8;
/// Communities across (each 2 blocks wide).
const COMMUNITY_COLUMNS: usize = 4;
/// Blocks per community, west to east.
const BLOCKS_WIDE: usize = 2;
/// Blocks per community, south to north.
const BLOCKS_HIGH: usize = 4;
/// Number of communities that merge two blocks into one grid.
const MERGING_COMMUNITIES: usize = 5;
/// How far a lattice vertex may move, as a fraction of the smaller neighbouring block side.
const JITTER: f64 = 0.2;

/// One grid of the demo layout.
#[derive(Debug, Clone)]
pub struct GridShape {
    /// Community index 0..8 (`row * 4 + column` of the community blocks).
    pub community: usize,
    /// Number within the community, from 1, in reading order (north-west first).
    pub number: usize,
    /// Boundary in WGS-84.
    pub boundary: MultiPolygon<f64>,
    /// The blocks' quadrilaterals in local metres, to place points inside the grid.
    quads: Vec<[Coord<f64>; 4]>,
}

impl GridShape {
    /// A random point well inside the grid (WGS-84): bilinear interpolation inside one of its blocks, kept away
    /// from the edges by `margin` (0–0.5 of the block).
    pub fn random_point(
        &self,
        rng: &mut ChaCha8Rng,
        frame: &LocalFrame,
        margin: f64,
    ) -> Point<f64> {
        for _ in 0..100 {
            let q = self.quads[rng.random_range(0..self.quads.len())];
            let (s, t) = (
                rng.random_range(margin..1.0 - margin),
                rng.random_range(margin..1.0 - margin),
            );
            let e = (1.0 - s) * (1.0 - t) * q[0].x
                + s * (1.0 - t) * q[1].x
                + s * t * q[2].x
                + (1.0 - s) * t * q[3].x;
            let n = (1.0 - s) * (1.0 - t) * q[0].y
                + s * (1.0 - t) * q[1].y
                + s * t * q[2].y
                + (1.0 - s) * t * q[3].y;
            let p = Point(round7(frame.to_lon_lat(e, n)));
            if self.boundary.contains(&p) {
                return p;
            }
        }
        // Not reached for simple blocks; the centre of the first block is always inside.
        let q = self.quads[0];
        let c = Coord {
            x: (q[0].x + q[2].x) / 2.0,
            y: (q[0].y + q[2].y) / 2.0,
        };
        Point(round7(frame.to_lon_lat(c.x, c.y)))
    }
}

/// Rounds to 7 decimal places (≈ 1 cm), as GeoJSON export writes, so that exported grids re-import identically.
pub fn round7(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: (c.x * 1e7).round() / 1e7,
        y: (c.y * 1e7).round() / 1e7,
    }
}

/// Lays out the 59 grids around `frame`'s origin.
pub fn grids(rng: &mut ChaCha8Rng, frame: &LocalFrame) -> Vec<GridShape> {
    let widths: Vec<f64> = (0..COLUMNS)
        .map(|_| rng.random_range(260.0..340.0))
        .collect();
    let heights: Vec<f64> = (0..ROWS).map(|_| rng.random_range(230.0..290.0)).collect();
    let (total_w, total_h) = (widths.iter().sum::<f64>(), heights.iter().sum::<f64>());
    let xs = cumulative(&widths, -total_w / 2.0);
    let ys = cumulative(&heights, -total_h / 2.0);
    let mut vertex = vec![vec![Coord { x: 0.0, y: 0.0 }; ROWS + 1]; COLUMNS + 1];
    for (i, column) in vertex.iter_mut().enumerate() {
        for (j, v) in column.iter_mut().enumerate() {
            let near_w =
                widths[i.saturating_sub(1).min(COLUMNS - 1)].min(widths[i.min(COLUMNS - 1)]);
            let near_h = heights[j.saturating_sub(1).min(ROWS - 1)].min(heights[j.min(ROWS - 1)]);
            let reach = JITTER * near_w.min(near_h);
            *v = Coord {
                x: xs[i] + rng.random_range(-reach..reach),
                y: ys[j] + rng.random_range(-reach..reach),
            };
        }
    }
    let mut shapes = Vec::with_capacity(59);
    for community in 0..COMMUNITY_COLUMNS * (ROWS / BLOCKS_HIGH) {
        let (c0, r0) = (
            (community % COMMUNITY_COLUMNS) * BLOCKS_WIDE,
            (community / COMMUNITY_COLUMNS) * BLOCKS_HIGH,
        );
        // The merged pair: two vertically adjacent blocks of one column.
        let merged = (community < MERGING_COMMUNITIES)
            .then(|| (c0 + community % BLOCKS_WIDE, r0 + community % 3));
        let mut blocks: Vec<Vec<(usize, usize)>> = Vec::new();
        for r in (r0..r0 + BLOCKS_HIGH).rev() {
            for c in c0..c0 + BLOCKS_WIDE {
                match merged {
                    Some((mc, mr)) if c == mc && r == mr + 1 => {
                        blocks.push(vec![(c, r - 1), (c, r)])
                    }
                    Some((mc, mr)) if c == mc && r == mr => {}
                    _ => blocks.push(vec![(c, r)]),
                }
            }
        }
        for (k, cells) in blocks.into_iter().enumerate() {
            let quads: Vec<[Coord<f64>; 4]> = cells
                .iter()
                .map(|&(c, r)| {
                    [
                        vertex[c][r],
                        vertex[c + 1][r],
                        vertex[c + 1][r + 1],
                        vertex[c][r + 1],
                    ]
                })
                .collect();
            let ring = outline(&cells, &vertex)
                .into_iter()
                .map(|v| round7(frame.to_lon_lat(v.x, v.y)))
                .collect();
            let boundary = MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]);
            shapes.push(GridShape {
                community,
                number: k + 1,
                boundary,
                quads,
            });
        }
    }
    shapes
}

fn cumulative(sizes: &[f64], start: f64) -> Vec<f64> {
    let mut out = vec![start];
    for s in sizes {
        out.push(out[out.len() - 1] + s);
    }
    out
}

/// The counter-clockwise outline of one block or of two vertically adjacent blocks (`cells` south first).
fn outline(cells: &[(usize, usize)], v: &[Vec<Coord<f64>>]) -> Vec<Coord<f64>> {
    let (c, r) = cells[0];
    let top = r + cells.len();
    let mut ring = vec![v[c][r], v[c + 1][r]];
    ring.extend((r + 1..=top).map(|j| v[c + 1][j]));
    ring.extend((r + 1..=top).rev().map(|j| v[c][j]));
    ring.push(v[c][r]);
    ring
}
