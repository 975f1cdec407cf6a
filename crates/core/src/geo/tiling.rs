//! How a set of polygons covers an area: overlaps between them, gaps (holes) inside their union, and whether
//! they form one contiguous piece. Used on imported grid boundaries and to check the demo town.
//!
//! Areas are geodesic, in square metres. Pieces smaller than the caller's tolerance are ignored (boundaries
//! digitised separately rarely meet to the millimetre).

use geo::{
    unary_union, BooleanOps, BoundingRect, Centroid, Coord, Distance, Euclidean, Intersects,
    MultiPolygon, Point, Polygon, Rect,
};
use serde::Serialize;

use crate::geo::measure::{multipolygon_area_m2, polygon_area_m2};

/// Two shapes that overlap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// Index of the first shape.
    pub a: usize,
    /// Index of the second shape.
    pub b: usize,
    /// Area of the overlap in m².
    pub area_m2: f64,
}

/// A hole inside the union of the shapes, covered by none of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Area in m².
    pub area_m2: f64,
    /// A point inside or near it (longitude/latitude), to find it on a map.
    pub centroid: Coord<f64>,
    /// Indexes of the shapes around it.
    pub neighbours: Vec<usize>,
}

/// The result of [`check_tiling`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TilingReport {
    /// Overlapping pairs, larger than the tolerance.
    pub overlaps: Vec<Overlap>,
    /// Holes in the union, larger than the tolerance.
    pub gaps: Vec<Gap>,
    /// Number of separate pieces the union falls into (1 for a contiguous area).
    pub pieces: usize,
    /// Area of the union in m².
    pub union_area_m2: f64,
}

impl TilingReport {
    /// True when the shapes tile one piece with no overlaps and no holes.
    pub fn is_clean_tiling(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty() && self.pieces == 1
    }
}

/// Checks how `shapes` (longitude/latitude, WGS-84) tile the area they cover.
///
/// Overlaps and gaps of at most `tolerance_m2` square metres are not reported. Candidate pairs are found by
/// bounding boxes (quadratic in the number of shapes, which is fine for the hundreds of grids a town has).
pub fn check_tiling(shapes: &[MultiPolygon<f64>], tolerance_m2: f64) -> TilingReport {
    let boxes: Vec<Option<Rect<f64>>> = shapes.iter().map(BoundingRect::bounding_rect).collect();
    let mut overlaps = Vec::new();
    for a in 0..shapes.len() {
        for b in a + 1..shapes.len() {
            let (Some(ra), Some(rb)) = (boxes[a], boxes[b]) else {
                continue;
            };
            if !ra.intersects(&rb) {
                continue;
            }
            let area_m2 = multipolygon_area_m2(&shapes[a].intersection(&shapes[b]));
            if area_m2 > tolerance_m2 {
                overlaps.push(Overlap { a, b, area_m2 });
            }
        }
    }
    let union = union_of(shapes);
    let mut gaps = Vec::new();
    for piece in &union.0 {
        for hole in piece.interiors() {
            let hole = Polygon::new(hole.clone(), vec![]);
            let area_m2 = polygon_area_m2(&hole);
            if area_m2 <= tolerance_m2 {
                continue;
            }
            let neighbours = (0..shapes.len())
                .filter(|&i| touches(&shapes[i], boxes[i], &hole))
                .collect();
            let centroid = hole
                .centroid()
                .map(|p| p.0)
                .unwrap_or_else(|| hole.exterior().0[0]);
            gaps.push(Gap {
                area_m2,
                centroid,
                neighbours,
            });
        }
    }
    let pieces = union
        .0
        .iter()
        .filter(|p| polygon_area_m2(p) > tolerance_m2)
        .count();
    TilingReport {
        overlaps,
        gaps,
        pieces,
        union_area_m2: multipolygon_area_m2(&union),
    }
}

/// How close (degrees, ≈ 1 cm) a shape must come to a gap to count as its neighbour: the union's vertices are
/// snapped by the overlay engine, so exact touching cannot be relied on.
const NEIGHBOUR_EPSILON_DEG: f64 = 1e-7;

fn touches(shape: &MultiPolygon<f64>, bbox: Option<Rect<f64>>, hole: &Polygon<f64>) -> bool {
    let (Some(bbox), Some(hole_box)) = (bbox, hole.bounding_rect()) else {
        return false;
    };
    let grown = Rect::new(
        Coord {
            x: bbox.min().x - NEIGHBOUR_EPSILON_DEG,
            y: bbox.min().y - NEIGHBOUR_EPSILON_DEG,
        },
        Coord {
            x: bbox.max().x + NEIGHBOUR_EPSILON_DEG,
            y: bbox.max().y + NEIGHBOUR_EPSILON_DEG,
        },
    );
    grown.intersects(&hole_box)
        && hole.exterior().coords().any(|c| {
            shape
                .0
                .iter()
                .any(|p| Euclidean.distance(&Point(*c), p.exterior()) <= NEIGHBOUR_EPSILON_DEG)
        })
}

/// The union of the shapes.
pub fn union_of(shapes: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    unary_union(shapes.iter().flat_map(|mp| mp.0.iter()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)
        ]])
    }

    #[test]
    fn two_by_two_squares_tile_cleanly() {
        let d = 0.001;
        let shapes = vec![
            square(99.8, 39.3, d),
            square(99.8 + d, 39.3, d),
            square(99.8, 39.3 + d, d),
            square(99.8 + d, 39.3 + d, d),
        ];
        let report = check_tiling(&shapes, 1.0);
        assert!(
            report.is_clean_tiling(),
            "four adjacent squares must tile cleanly: {report:?}"
        );
    }

    #[test]
    fn reports_overlap_and_hole_with_areas() {
        let d = 0.001;
        // A ring of 8 squares around a missing centre, and one square shifted to overlap its neighbour by half.
        let mut shapes = Vec::new();
        for (i, j) in [
            (0, 0),
            (1, 0),
            (2, 0),
            (0, 1),
            (2, 1),
            (0, 2),
            (1, 2),
            (2, 2),
        ] {
            shapes.push(square(99.8 + i as f64 * d, 39.3 + j as f64 * d, d));
        }
        shapes.push(square(99.8 + 3.5 * d, 39.3, d));
        shapes.push(square(99.8 + 3.0 * d, 39.3, d));
        let report = check_tiling(&shapes, 1.0);
        assert_eq!(
            report.gaps.len(),
            1,
            "the missing centre square is a gap: {report:?}"
        );
        let cell_m2 = multipolygon_area_m2(&square(99.8 + d, 39.3 + d, d));
        assert!(
            (report.gaps[0].area_m2 - cell_m2).abs() < 1.0,
            "gap area should be one cell: {} vs {cell_m2}",
            report.gaps[0].area_m2
        );
        assert_eq!(
            report.gaps[0].neighbours.len(),
            8,
            "the gap touches the eight squares around it"
        );
        assert_eq!(
            report.overlaps.len(),
            1,
            "the two shifted squares overlap: {report:?}"
        );
        assert_eq!((report.overlaps[0].a, report.overlaps[0].b), (8, 9));
        assert!(
            (report.overlaps[0].area_m2 - cell_m2 / 2.0).abs() < 1.0,
            "overlap is half a cell"
        );
        assert_eq!(report.pieces, 1);
    }
}
