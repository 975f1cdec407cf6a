//! Deadlines (办理时限) in working days per category and level, overdue petitions, and the on-time rate.
//!
//! Days are counted in Beijing time. The receipt day does not count; the deadline is the end (24:00) of the
//! last working day. Which days are working days is a [`WorkCalendar`]: the State Council's holidays and
//! make-up workdays ([`crate::calendar::HolidayCalendar`]); the app passes the built-in notices with the
//! imported ones over them, [`working_calendar`] gives the built-in ones alone (the demo town's history).

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::time::beijing;

use super::workflow::Level;

/// Which days count for deadlines.
pub trait WorkCalendar {
    /// True if `day` (a Beijing calendar day) is a working day.
    fn is_working_day(&self, day: NaiveDate) -> bool;
}

/// Every calendar day counts (for tests that want plain day arithmetic).
#[derive(Debug, Clone, Copy, Default)]
pub struct EveryDay;

impl WorkCalendar for EveryDay {
    fn is_working_day(&self, _day: NaiveDate) -> bool {
        true
    }
}

/// The built-in working calendar (2020–2026 and Monday–Friday beyond, see [`crate::calendar::holidays`]).
pub fn working_calendar() -> &'static crate::calendar::HolidayCalendar {
    crate::calendar::HolidayCalendar::built_in()
}

/// The end of the `working_days`-th working day after the day of `received` (Beijing time), as an instant.
pub fn deadline(
    received: DateTime<Utc>,
    working_days: u32,
    calendar: &impl WorkCalendar,
) -> DateTime<Utc> {
    let mut day = received.with_timezone(&beijing()).date_naive();
    let mut left = working_days;
    while left > 0 {
        day = day + Days::new(1);
        if calendar.is_working_day(day) {
            left -= 1;
        }
    }
    let next_midnight = (day + Days::new(1)).and_time(NaiveTime::MIN);
    beijing()
        .from_local_datetime(&next_midnight)
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// Working days allowed per level, with overrides per category.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaTable {
    /// Default per level.
    pub default: HashMap<Level, u32>,
    /// Per category code and level.
    pub by_category: HashMap<(String, Level), u32>,
}

impl Default for SlaTable {
    /// 网格 3, 社区 5, 镇 10, 县 15 working days; 安全隐患 (`safety_hazard`) 1, 2, 3, 5.
    fn default() -> Self {
        let default = HashMap::from([
            (Level::Grid, 3),
            (Level::Community, 5),
            (Level::Town, 10),
            (Level::County, 15),
        ]);
        let by_category = [
            (Level::Grid, 1),
            (Level::Community, 2),
            (Level::Town, 3),
            (Level::County, 5),
        ]
        .into_iter()
        .map(|(l, d)| (("safety_hazard".to_string(), l), d))
        .collect();
        Self {
            default,
            by_category,
        }
    }
}

impl SlaTable {
    /// Sets the working days for `category` at `level`.
    pub fn set(&mut self, category: &str, level: Level, days: u32) {
        self.by_category.insert((category.to_string(), level), days);
    }

    /// Working days for `category` at `level`.
    pub fn days(&self, category: &str, level: Level) -> u32 {
        self.by_category
            .get(&(category.to_string(), level))
            .or_else(|| self.default.get(&level))
            .copied()
            .unwrap_or(5)
    }
}

/// True when an open petition's deadline has passed: overdue the moment it passes.
pub fn is_overdue(open: bool, deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    open && now >= deadline
}

/// One petition as the on-time rate sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeliness {
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// When it was resolved (or closed otherwise), if it was.
    pub closed_at: Option<DateTime<Utc>>,
}

/// The on-time rate at `now`: closed petitions count on time if closed by their deadline; open petitions past
/// their deadline count as late (not left out); open ones not yet due are not counted. Returns (on time,
/// counted); the rate is their quotient (none when nothing is counted).
pub fn on_time(items: &[Timeliness], now: DateTime<Utc>) -> (usize, usize) {
    let mut on_time = 0;
    let mut counted = 0;
    for t in items {
        match t.closed_at {
            Some(closed) => {
                counted += 1;
                if closed <= t.deadline {
                    on_time += 1;
                }
            }
            None if now >= t.deadline => counted += 1,
            None => {}
        }
    }
    (on_time, counted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Weekends off: stands in for the official calendar in these tests.
    struct Weekdays;
    impl WorkCalendar for Weekdays {
        fn is_working_day(&self, day: NaiveDate) -> bool {
            use chrono::Datelike;
            day.weekday().num_days_from_monday() < 5
        }
    }

    #[test]
    fn deadlines_end_at_beijing_midnight_and_skip_non_working_days() {
        // Received Friday 2026-11-27 23:30 Beijing (15:30 UTC); 3 days.
        let received = utc("2026-11-27T15:30:00Z");
        // Every day: Sat, Sun, Mon → end of Monday 11-30, i.e. 2026-12-01 00:00 Beijing = 11-30 16:00 UTC.
        assert_eq!(
            deadline(received, 3, &EveryDay),
            utc("2026-11-30T16:00:00Z")
        );
        // Weekdays: Mon, Tue, Wed → end of Wednesday 12-02.
        assert_eq!(
            deadline(received, 3, &Weekdays),
            utc("2026-12-02T16:00:00Z")
        );
        // A receipt at 00:30 Beijing on Saturday (Friday 16:30 UTC) is a Saturday receipt.
        assert_eq!(
            deadline(utc("2026-11-27T16:30:00Z"), 1, &Weekdays),
            utc("2026-11-30T16:00:00Z")
        );
    }

    #[test]
    fn the_sla_table_prefers_the_category() {
        let t = SlaTable::default();
        assert_eq!(t.days("safety_hazard", Level::Grid), 1);
        assert_eq!(t.days("environment", Level::Town), 10);
    }

    #[test]
    fn overdue_the_moment_the_deadline_passes() {
        let d = utc("2026-11-30T16:00:00Z");
        assert!(!is_overdue(true, d, utc("2026-11-30T15:59:59Z")));
        assert!(is_overdue(true, d, d));
        assert!(!is_overdue(false, d, utc("2026-12-30T00:00:00Z")));
    }

    #[test]
    fn open_overdue_petitions_count_against_the_on_time_rate() {
        let now = utc("2026-11-30T12:00:00Z");
        let items = [
            Timeliness {
                deadline: utc("2026-11-29T16:00:00Z"),
                closed_at: Some(utc("2026-11-29T10:00:00Z")),
            },
            Timeliness {
                deadline: utc("2026-11-29T16:00:00Z"),
                closed_at: Some(utc("2026-11-30T10:00:00Z")),
            },
            Timeliness {
                deadline: utc("2026-11-29T16:00:00Z"),
                closed_at: None,
            }, // open, overdue: late
            Timeliness {
                deadline: utc("2026-12-02T16:00:00Z"),
                closed_at: None,
            }, // open, not due: not counted
        ];
        assert_eq!(on_time(&items, now), (1, 3));
    }
}
