//! Regular lattices for hot spots independent of grid boundaries: squares or pointy-top hexagons of a given size
//! in metres, in a local frame (east/north metres). Points are counted per cell; every cell of the covered extent
//! is a feature (empty ones count as zeros, as Gi* needs).

use std::collections::HashMap;

use super::hotspots::Feature;

/// A lattice and its cell size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lattice {
    /// Squares of this side (metres).
    Square(f64),
    /// Pointy-top hexagons of this width, flat side to flat side (metres).
    Hex(f64),
}

/// A cell's integer coordinates (column/row for squares, axial q/r for hexagons).
pub type Cell = (i64, i64);

impl Lattice {
    /// The cell holding point (`x`, `y`).
    pub fn cell_of(&self, x: f64, y: f64) -> Cell {
        match *self {
            Lattice::Square(s) => ((x / s).floor() as i64, (y / s).floor() as i64),
            Lattice::Hex(width) => {
                // Axial coordinates of pointy-top hexagons (size = centre-to-corner radius), then cube rounding.
                let size = width / 3f64.sqrt();
                let q = (3f64.sqrt() / 3.0 * x - y / 3.0) / size;
                let r = (2.0 / 3.0 * y) / size;
                cube_round(q, r)
            }
        }
    }

    /// The centre of `cell`.
    pub fn centre(&self, cell: Cell) -> (f64, f64) {
        match *self {
            Lattice::Square(s) => ((cell.0 as f64 + 0.5) * s, (cell.1 as f64 + 0.5) * s),
            Lattice::Hex(width) => {
                let size = width / 3f64.sqrt();
                let (q, r) = (cell.0 as f64, cell.1 as f64);
                (size * 3f64.sqrt() * (q + r / 2.0), size * 1.5 * r)
            }
        }
    }

    /// The corners of `cell` (metres), counter-clockwise from the east-most (squares: south-west) corner.
    pub fn outline(&self, cell: Cell) -> Vec<(f64, f64)> {
        let (cx, cy) = self.centre(cell);
        match *self {
            Lattice::Square(s) => {
                let (x0, y0) = (cx - s / 2.0, cy - s / 2.0);
                vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)]
            }
            Lattice::Hex(width) => {
                let size = width / 3f64.sqrt();
                (0..6)
                    .map(|i| {
                        let a = (60.0 * f64::from(i) - 30.0).to_radians();
                        (cx + size * a.cos(), cy + size * a.sin())
                    })
                    .collect()
            }
        }
    }

    /// The distance between neighbouring cells' centres (the natural distance band).
    pub fn spacing(&self) -> f64 {
        match *self {
            Lattice::Square(s) => s,
            Lattice::Hex(width) => width,
        }
    }

    /// Counts of `points` (metres, weight) per cell over every cell whose centre lies in the points' extent
    /// (padded by one cell), as Gi* features.
    pub fn features(&self, points: &[(f64, f64, f64)]) -> Vec<(Cell, Feature)> {
        if points.is_empty() {
            return Vec::new();
        }
        let mut counts: HashMap<Cell, f64> = HashMap::new();
        let (mut x0, mut y0, mut x1, mut y1) = (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        );
        for &(x, y, w) in points {
            *counts.entry(self.cell_of(x, y)).or_default() += w;
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let pad = self.spacing();
        let (lo, hi) = (
            self.cell_of(x0 - pad, y0 - pad),
            self.cell_of(x1 + pad, y1 + pad),
        );
        // Axial hex rows lean: widen the q range by the rows' lean so the extent is covered.
        let lean = match self {
            Lattice::Hex(_) => (hi.1 - lo.1).abs() / 2 + 1,
            Lattice::Square(_) => 0,
        };
        let mut cells = Vec::new();
        for r in lo.1.min(hi.1)..=lo.1.max(hi.1) {
            for q in lo.0.min(hi.0) - lean..=lo.0.max(hi.0) + lean {
                let (cx, cy) = self.centre((q, r));
                if cx >= x0 - pad && cx <= x1 + pad && cy >= y0 - pad && cy <= y1 + pad {
                    cells.push((
                        (q, r),
                        Feature {
                            x: cx,
                            y: cy,
                            value: counts.get(&(q, r)).copied().unwrap_or(0.0),
                        },
                    ));
                }
            }
        }
        cells
    }
}

fn cube_round(q: f64, r: f64) -> Cell {
    let s = -q - r;
    let (mut rq, mut rr, rs) = (q.round(), r.round(), s.round());
    let (dq, dr, ds) = ((rq - q).abs(), (rr - r).abs(), (rs - s).abs());
    if dq > dr && dq > ds {
        rq = -rr - rs;
    } else if dr > ds {
        rr = -rq - rs;
    }
    (rq as i64, rr as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_tile_the_plane_around_their_centre() {
        // A hexagon of width 200 m: corners 115.47 m from the centre, the flat sides 100 m from it; each corner
        // is shared by the cell's neighbours, so points just inside a corner belong to this cell.
        let hex = Lattice::Hex(200.0);
        let cell = hex.cell_of(1234.0, -567.0);
        let (cx, cy) = hex.centre(cell);
        let corners = hex.outline(cell);
        assert_eq!(corners.len(), 6);
        for &(x, y) in &corners {
            assert!(((x - cx).hypot(y - cy) - 200.0 / 3f64.sqrt()).abs() < 1e-9);
            assert_eq!(
                hex.cell_of(cx + (x - cx) * 0.98, cy + (y - cy) * 0.98),
                cell
            );
        }
        let square = Lattice::Square(250.0);
        let cell = square.cell_of(10.0, 10.0);
        assert_eq!(
            square.outline(cell),
            vec![(0.0, 0.0), (250.0, 0.0), (250.0, 250.0), (0.0, 250.0)]
        );
    }

    #[test]
    fn a_point_is_in_the_cell_whose_centre_is_nearest() {
        for lattice in [Lattice::Square(200.0), Lattice::Hex(200.0)] {
            for i in 0..400 {
                let (x, y) = (
                    (i * 37 % 1000) as f64 - 500.0 + 0.3,
                    (i * 53 % 1000) as f64 - 500.0 + 0.7,
                );
                let (cx, cy) = lattice.centre(lattice.cell_of(x, y));
                let d = (x - cx).hypot(y - cy);
                match lattice {
                    // A square's farthest point is its corner; a hexagon's, its vertex (width/√3).
                    Lattice::Square(s) => assert!(d <= s / 2f64.sqrt() + 1e-9),
                    Lattice::Hex(w) => assert!(d <= w / 3f64.sqrt() + 1e-9, "{x},{y}: {d}"),
                }
                // No other cell's centre is nearer (hexagons are Voronoi cells of their centres).
                if let Lattice::Hex(_) = lattice {
                    let (q, r) = lattice.cell_of(x, y);
                    for (dq, dr) in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)] {
                        let (nx, ny) = lattice.centre((q + dq, r + dr));
                        assert!((x - nx).hypot(y - ny) >= d - 1e-9);
                    }
                }
            }
        }
    }

    #[test]
    fn counts_cover_the_extent_with_zeros_and_keep_the_total() {
        let points = [(10.0, 10.0, 1.0), (20.0, 15.0, 2.0), (950.0, 480.0, 1.0)];
        for lattice in [Lattice::Square(100.0), Lattice::Hex(100.0)] {
            let f = lattice.features(&points);
            let total: f64 = f.iter().map(|(_, x)| x.value).sum();
            assert_eq!(total, 4.0, "{lattice:?}");
            assert!(
                f.iter().filter(|(_, x)| x.value == 0.0).count() > 40,
                "{lattice:?}: empty cells are features"
            );
        }
    }
}
