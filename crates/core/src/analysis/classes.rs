//! Class breaks for choropleth maps: quantiles, so that each colour holds about as many grids (a few very busy
//! grids do not wash every other grid into the lowest class, as equal intervals would).

/// Upper bounds of `classes` quantile classes of `values` (ascending, without repeats; the last is the maximum).
/// A value `v` is in the first class whose bound is ≥ `v`. Non-finite values are ignored; no values, no breaks.
pub fn quantile_breaks(values: &[f64], classes: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() || classes == 0 {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mut breaks: Vec<f64> = (1..=classes)
        // The value at the k/classes quantile (nearest rank).
        .map(|k| sorted[(k * n).div_ceil(classes).clamp(1, n) - 1])
        .collect();
    breaks.dedup();
    breaks
}

/// The class (0-based) of `value` under `breaks`; values above the last bound go in the last class.
pub fn class_of(value: f64, breaks: &[f64]) -> usize {
    breaks
        .iter()
        .position(|b| value <= *b)
        .unwrap_or(breaks.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_values_in_five_classes_hold_two_each() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let b = quantile_breaks(&v, 5);
        assert_eq!(b, vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        let counts = v.iter().fold([0; 5], |mut c, x| {
            c[class_of(*x, &b)] += 1;
            c
        });
        assert_eq!(counts, [2; 5]);
    }

    #[test]
    fn repeated_values_give_fewer_classes() {
        assert_eq!(
            quantile_breaks(&[0.0, 0.0, 0.0, 0.0, 7.0], 5),
            vec![0.0, 7.0]
        );
        assert_eq!(class_of(0.0, &[0.0, 7.0]), 0);
        assert_eq!(class_of(3.0, &[0.0, 7.0]), 1);
        assert_eq!(class_of(99.0, &[0.0, 7.0]), 1);
    }

    #[test]
    fn nothing_to_classify() {
        assert!(quantile_breaks(&[], 5).is_empty());
        assert!(quantile_breaks(&[f64::NAN], 5).is_empty());
        assert_eq!(class_of(1.0, &[]), 0);
    }
}
