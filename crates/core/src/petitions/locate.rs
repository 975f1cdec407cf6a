//! Which grid a point is in.

use geo::{Contains, Intersects, Point};

use crate::town::Grid;

/// The grid containing `point` (WGS-84 lon/lat). A point inside one grid belongs to it; a point on a boundary
/// shared by several belongs to the one with the smallest code (a fixed, documented rule, so that re-running
/// the assignment never moves it); a point outside every grid belongs to none.
pub fn grid_of(point: [f64; 2], grids: &[Grid]) -> Option<&Grid> {
    let p = Point::new(point[0], point[1]);
    if let Some(inside) = grids.iter().find(|g| g.boundary.contains(&p)) {
        return Some(inside);
    }
    grids
        .iter()
        .filter(|g| g.boundary.intersects(&p))
        .min_by(|a, b| a.code.cmp(&b.code))
}

/// The grids prepared for many lookups: each grid's bounding box is checked before its polygon, so a point costs
/// a few comparisons per grid and one or two polygon tests. Same answers and boundary rule as [`grid_of`].
pub struct GridIndex<'a> {
    grids: Vec<(geo::Rect<f64>, &'a Grid)>,
}

impl<'a> GridIndex<'a> {
    /// Prepares `grids`.
    pub fn new(grids: &'a [Grid]) -> Self {
        use geo::BoundingRect;
        Self {
            grids: grids
                .iter()
                .filter_map(|g| g.boundary.bounding_rect().map(|r| (r, g)))
                .collect(),
        }
    }

    /// The grid `point` (WGS-84 `[lon, lat]`) lies in; on a shared boundary the smallest code.
    pub fn grid_of(&self, point: [f64; 2]) -> Option<&'a Grid> {
        let p = Point::new(point[0], point[1]);
        let near = || {
            self.grids.iter().filter(move |(r, _)| {
                r.min().x <= p.x() && p.x() <= r.max().x && r.min().y <= p.y() && p.y() <= r.max().y
            })
        };
        if let Some((_, g)) = near().find(|(_, g)| g.boundary.contains(&p)) {
            return Some(g);
        }
        near()
            .filter(|(_, g)| g.boundary.intersects(&p))
            .map(|(_, g)| *g)
            .min_by(|a, b| a.code.cmp(&b.code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn grid(code: &str, x0: f64) -> Grid {
        Grid {
            id: crate::new_id(),
            community_id: crate::new_id(),
            party_branch_id: None,
            code: code.into(),
            name: code.into(),
            boundary: MultiPolygon(vec![
                polygon![(x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)],
            ]),
            boundary_version: 1,
            version: 1,
        }
    }

    #[test]
    fn inside_on_the_shared_edge_and_outside() {
        let grids = [grid("CG-01-02", 1.0), grid("CG-01-01", 0.0)];
        assert_eq!(
            grid_of([0.5, 0.5], &grids).map(|g| g.code.as_str()),
            Some("CG-01-01")
        );
        assert_eq!(
            grid_of([1.5, 0.5], &grids).map(|g| g.code.as_str()),
            Some("CG-01-02")
        );
        // On the edge x = 1 both touch: the smallest code wins, whatever the order of the list.
        assert_eq!(
            grid_of([1.0, 0.5], &grids).map(|g| g.code.as_str()),
            Some("CG-01-01")
        );
        assert_eq!(grid_of([5.0, 0.5], &grids), None);
    }

    #[test]
    fn the_index_answers_as_the_plain_search() {
        let grids = [
            grid("CG-01-02", 1.0),
            grid("CG-01-01", 0.0),
            grid("CG-01-03", 2.0),
        ];
        let index = GridIndex::new(&grids);
        for x in 0..=70 {
            for y in [-0.5, 0.0, 0.25, 1.0, 1.5] {
                let p = [f64::from(x) * 0.05 - 0.25, y];
                assert_eq!(
                    index.grid_of(p).map(|g| &g.code),
                    grid_of(p, &grids).map(|g| &g.code),
                    "{p:?}"
                );
            }
        }
    }
}
