//! The sums every analysis starts from: petitions per grid, and per grid and week (Beijing weeks, Monday first).
//! The choropleth and the hot spots per grid read the first; the spike alerts the second.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

/// How many petitions fall in each grid, from the grid each is counted in (`None`: outside every grid, not
/// counted).
pub fn per_grid<'a>(grids: impl IntoIterator<Item = Option<&'a str>>) -> HashMap<&'a str, u32> {
    let mut counts = HashMap::new();
    for grid in grids.into_iter().flatten() {
        *counts.entry(grid).or_default() += 1;
    }
    counts
}

/// Per grid of `grids` (every one, with zeros): its petitions in each of the `N` weeks from the Monday `first`,
/// and in the week right after them. `petitions` gives each petition's grid and its day (Beijing); petitions outside
/// those weeks or in no listed grid are not counted.
pub fn per_grid_and_week<'a, const N: usize>(
    grids: impl IntoIterator<Item = &'a str>,
    first: NaiveDate,
    petitions: impl IntoIterator<Item = (&'a str, NaiveDate)>,
) -> Vec<(String, [u32; N], u32)> {
    let mut weeks: BTreeMap<&str, ([u32; N], u32)> =
        grids.into_iter().map(|g| (g, ([0; N], 0))).collect();
    for (grid, day) in petitions {
        let Some(entry) = weeks.get_mut(grid) else {
            continue;
        };
        match usize::try_from((day - first).num_days().div_euclid(7)) {
            Ok(w) if w < N => entry.0[w] += 1,
            Ok(w) if w == N => entry.1 += 1,
            _ => {}
        }
    }
    weeks
        .into_iter()
        .map(|(grid, (baseline, current))| (grid.to_string(), baseline, current))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_grid_skip_petitions_outside_every_grid() {
        let counts = per_grid([Some("A"), None, Some("B"), Some("A")]);
        assert_eq!((counts["A"], counts["B"], counts.len()), (2, 1, 2));
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_the_week_after_the_baseline_is_the_current_one() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a Monday");
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
        let rows = per_grid_and_week::<2>(
            ["A", "B"],
            monday,
            [
                ("A", day(2)),  // first day of week 0
                ("A", day(8)),  // its Sunday
                ("A", day(9)),  // week 1
                ("A", day(16)), // the current week
                ("A", day(23)), // after it: not counted
                ("A", day(1)),  // before: not counted
                ("C", day(3)),  // not a listed grid
            ],
        );
        assert_eq!(rows, vec![("A".into(), [2, 1], 1), ("B".into(), [0, 0], 0)]);
    }
}
