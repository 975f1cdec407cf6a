//! Which automatic backups to keep: so many days, weeks and months back (grandfather-father-son), the rule of
//! `restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12`.
//!
//! Backups are taken in Beijing days, weeks (Monday first) and months. Going from the newest backup back, each rule
//! keeps the newest backup of each of its periods until it has kept as many periods as it is given; a backup kept
//! by any rule stays. Periods without a backup are not counted: a workstation switched off for a fortnight still
//! keeps seven daily backups.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};

use crate::time::beijing;

/// How many periods of each kind to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days with a backup, newest first.
    pub daily: u32,
    /// ISO weeks.
    pub weekly: u32,
    /// Calendar months.
    pub monthly: u32,
}

impl Default for Retention {
    /// 7 daily, 4 weekly and 12 monthly (等保 2.0 asks for regular backups; a year of monthly ones covers an audit).
    fn default() -> Self {
        Retention {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

/// A backup's period under one rule: (year, day, week or month number, which rule).
type Period = dyn Fn(&DateTime<Utc>) -> (i32, u32, u8);

/// The backups (by when they were taken) that `retention` keeps; the rest may be deleted.
pub fn keep(taken: &[DateTime<Utc>], retention: Retention) -> BTreeSet<DateTime<Utc>> {
    let mut newest_first: Vec<DateTime<Utc>> = taken.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let day = |t: &DateTime<Utc>| {
        let d = t.with_timezone(&beijing()).date_naive();
        (d.year(), d.ordinal(), 0)
    };
    let week = |t: &DateTime<Utc>| {
        let w = t.with_timezone(&beijing()).date_naive().iso_week();
        (w.year(), w.week(), 1)
    };
    let month = |t: &DateTime<Utc>| {
        let d = t.with_timezone(&beijing()).date_naive();
        (d.year(), d.month(), 2)
    };
    let rules: [(u32, &Period); 3] = [
        (retention.daily, &day),
        (retention.weekly, &week),
        (retention.monthly, &month),
    ];
    let mut kept = BTreeSet::new();
    for (count, period) in rules {
        let mut left = count;
        let mut last = None;
        for t in &newest_first {
            if left == 0 {
                break;
            }
            let p = period(t);
            if last != Some(p) {
                kept.insert(*t);
                last = Some(p);
                left -= 1;
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, TimeZone};

    /// 02:00 Beijing on `day`.
    fn at(day: NaiveDate) -> DateTime<Utc> {
        beijing()
            .from_local_datetime(&day.and_hms_opt(2, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_year_of_daily_backups_keeps_exactly_seven_days_four_weeks_and_twelve_months() {
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut on_disk: Vec<DateTime<Utc>> = Vec::new();
        for n in 0..400 {
            // One backup a day, pruned after each, as the workstation does.
            on_disk.push(at(first + Duration::days(n)));
            let kept = keep(&on_disk, Retention::default());
            on_disk.retain(|t| kept.contains(t));
        }
        let last = first + Duration::days(399); // 2027-02-04, a Thursday
        let mut expected: BTreeSet<DateTime<Utc>> =
            (0..7).map(|d| at(last - Duration::days(d))).collect();
        // The newest of each of the last four weeks: this week's is today's; then the Sundays before.
        let monday = last - Duration::days(i64::from(last.weekday().num_days_from_monday()));
        expected.extend((1..4).map(|w| at(monday - Duration::days(1 + 7 * (w - 1)))));
        expected.insert(at(last));
        // The newest of each of the last twelve months: today's, then the last day of the eleven before.
        for m in 1..12 {
            let first_of = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
            let month_end = first_of
                .checked_sub_months(chrono::Months::new(m - 1))
                .unwrap()
                - Duration::days(1);
            expected.insert(at(month_end));
        }
        let kept: BTreeSet<DateTime<Utc>> = on_disk.into_iter().collect();
        assert_eq!(kept, expected);
        // Seven days (01-29 to 02-04, holding this week's newest and January's end), two more Sundays (01-24,
        // 01-17) and ten more month ends (2026-03-31 to 12-31).
        assert_eq!(kept.len(), 7 + 2 + 10);
    }

    #[test]
    fn days_without_a_backup_do_not_count() {
        let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        // Five backups, then the workstation off for a fortnight, then three more.
        let taken: Vec<_> = (0..5)
            .chain(19..22)
            .map(|d| at(first + Duration::days(d)))
            .collect();
        let kept = keep(
            &taken,
            Retention {
                daily: 7,
                weekly: 0,
                monthly: 0,
            },
        );
        assert_eq!(kept.len(), 7);
        assert!(!kept.contains(&taken[0]));
    }

    #[test]
    fn several_backups_a_day_keep_the_newest() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
        let morning = at(day);
        let evening = morning + Duration::hours(12);
        let kept = keep(&[morning, evening], Retention::default());
        assert_eq!(kept.into_iter().collect::<Vec<_>>(), [evening]);
    }
}
