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
}
