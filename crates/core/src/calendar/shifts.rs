//! The command center's own shifts (领导带班、干部值班): a day shift and a night shift on working days, one
//! 24-hour shift on days off (weekends and public holidays), each with a leader and duty officers.
//!
//! Shifts are generated from two pools (leaders, officers). Each post goes to the pool member with the fewest
//! hours on duty so far (a 24-hour shift weighs 24 hours, not one shift), skipping anyone excluded that day and
//! anyone on the shift just before (so a night is followed by rest); ties go round the pool in order. A shift
//! that cannot be filled is reported, never filled with someone excluded.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::holidays::{CalendarError, HolidayCalendar};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Which shift of the day.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ShiftKind as "SHIFT_KIND" {
        /// 08:30–17:30 on a working day.
        Day = ("day", "白班"),
        /// 17:30 to 08:30 the next morning after a working day.
        Night = ("night", "夜班"),
        /// 08:30 to 08:30 the next morning on a day off (24-hour cover).
        Full = ("full", "全天"),
    }
}

/// When shifts change over (Beijing time).
pub const HANDOVER_MORNING: NaiveTime = match NaiveTime::from_hms_opt(8, 30, 0) {
    Some(t) => t,
    None => panic!("a time"),
};
/// When the day shift hands over to the night (Beijing time).
pub const HANDOVER_EVENING: NaiveTime = match NaiveTime::from_hms_opt(17, 30, 0) {
    Some(t) => t,
    None => panic!("a time"),
};

/// One shift to fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShiftSlot {
    /// The day it starts.
    pub day: NaiveDate,
    /// Which.
    pub kind: ShiftKind,
}

impl ShiftSlot {
    /// Start and end, Beijing wall time.
    pub fn hours(&self) -> (NaiveDateTime, NaiveDateTime) {
        let next = self.day.checked_add_days(Days::new(1)).unwrap_or(self.day);
        match self.kind {
            ShiftKind::Day => (
                self.day.and_time(HANDOVER_MORNING),
                self.day.and_time(HANDOVER_EVENING),
            ),
            ShiftKind::Night => (
                self.day.and_time(HANDOVER_EVENING),
                next.and_time(HANDOVER_MORNING),
            ),
            ShiftKind::Full => (
                self.day.and_time(HANDOVER_MORNING),
                next.and_time(HANDOVER_MORNING),
            ),
        }
    }

    /// Its length in hours (9, 15 or 24), the weight fairness counts.
    pub fn length(&self) -> u32 {
        let (s, e) = self.hours();
        u32::try_from((e - s).num_hours()).unwrap_or(0)
    }

    /// The shift holding a Beijing wall-clock instant.
    pub fn at(now: NaiveDateTime, calendar: &HolidayCalendar) -> ShiftSlot {
        use crate::petitions::sla::WorkCalendar;
        // Before the morning handover it is still the previous day's night or 24-hour shift.
        let day = if now.time() < HANDOVER_MORNING {
            now.date().pred_opt().unwrap_or(now.date())
        } else {
            now.date()
        };
        let kind = if !calendar.is_working_day(day) {
            ShiftKind::Full
        } else if now.date() == day && now.time() < HANDOVER_EVENING {
            ShiftKind::Day
        } else {
            ShiftKind::Night
        };
        ShiftSlot { day, kind }
    }
}

/// The shifts of `from..=to`: day and night on working days, one 24-hour shift on days off. Shifts must be
/// planned before a year's notice is out (it comes in November), so a day of a year without one is taken as
/// Monday–Friday, and that year is returned with the slots for the caller to report.
pub fn slots(
    from: NaiveDate,
    to: NaiveDate,
    calendar: &HolidayCalendar,
) -> Result<(Vec<ShiftSlot>, Vec<i32>), CalendarError> {
    use chrono::Datelike;
    let mut out = Vec::new();
    let mut guessed = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let working = match calendar.is_working(day) {
            Ok(w) => w,
            Err(CalendarError::MissingYear(y)) => {
                if !guessed.contains(&y) {
                    guessed.push(y);
                }
                day.weekday().number_from_monday() <= 5
            }
            Err(e) => return Err(e),
        };
        if working {
            out.push(ShiftSlot {
                day,
                kind: ShiftKind::Day,
            });
            out.push(ShiftSlot {
                day,
                kind: ShiftKind::Night,
            });
        } else {
            out.push(ShiftSlot {
                day,
                kind: ShiftKind::Full,
            });
        }
        if out.len() > 20_000 {
            return Err(CalendarError::File(
                "一次最多生成约十年的班次，请缩短时间范围".into(),
            ));
        }
    }
    Ok((out, guessed))
}

/// Who may be put on shifts, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftPool {
    /// Leaders (带班领导).
    pub leaders: Vec<Uuid>,
    /// Duty officers (值班干部).
    pub officers: Vec<Uuid>,
    /// Officers per shift.
    pub officers_per_shift: usize,
}

/// Days a person cannot be on shift (both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftExclusion {
    /// Who.
    pub person_id: Uuid,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// A filled (or partly filled) shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftCrew {
    /// The shift.
    pub slot: ShiftSlot,
    /// Its leader, if one could be found.
    pub leader: Option<Uuid>,
    /// Its officers (fewer than asked when not enough could be found).
    pub officers: Vec<Uuid>,
}

/// Fills `slots` in order. `before` are the crews kept before them (history, for the hours and the rest rule);
/// `after` is the crew kept right after the last slot, who must rest before it. Returns the crews and, in
/// plain Chinese, what could not be filled.
pub fn generate(
    slots: &[ShiftSlot],
    pool: &ShiftPool,
    exclusions: &[ShiftExclusion],
    before: &[ShiftCrew],
    after: Option<&ShiftCrew>,
) -> (Vec<ShiftCrew>, Vec<String>) {
    let mut hours: HashMap<Uuid, u64> = HashMap::new();
    for c in before {
        for p in c.leader.iter().chain(&c.officers) {
            *hours.entry(*p).or_default() += u64::from(c.slot.length());
        }
    }
    // A member new to the pool starts level with the least-served, not at nought (which would put them on
    // every shift until they caught up).
    for members in [&pool.leaders, &pool.officers] {
        let least = members
            .iter()
            .filter_map(|p| hours.get(p).copied())
            .min()
            .unwrap_or(0);
        for p in members {
            hours.entry(*p).or_insert(least);
        }
    }
    let excluded = |p: &Uuid, day: NaiveDate| {
        exclusions
            .iter()
            .any(|x| x.person_id == *p && x.from <= day && day <= x.to)
    };
    let mut last: Vec<Uuid> = before
        .iter()
        .max_by_key(|c| c.slot)
        .map(|c| c.leader.iter().chain(&c.officers).copied().collect())
        .unwrap_or_default();
    let mut turn = [0usize; 2];
    let mut crews = Vec::new();
    let mut problems = Vec::new();
    let next_crew: Vec<Uuid> = after
        .map(|c| c.leader.iter().chain(&c.officers).copied().collect())
        .unwrap_or_default();
    for (n_slot, slot) in slots.iter().enumerate() {
        if n_slot + 1 == slots.len() {
            last.extend(next_crew.iter().copied());
        }
        let mut crew = ShiftCrew {
            slot: *slot,
            leader: None,
            officers: Vec::new(),
        };
        for (post, (members, wanted)) in [
            (&pool.leaders, 1),
            (&pool.officers, pool.officers_per_shift),
        ]
        .into_iter()
        .enumerate()
        {
            for _ in 0..wanted {
                let n = members.len().max(1);
                let chosen = members
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        !excluded(p, slot.day)
                            && !last.contains(p)
                            && crew.leader != Some(**p)
                            && !crew.officers.contains(p)
                    })
                    .min_by_key(|(i, p)| {
                        (
                            hours.get(p).copied().unwrap_or(0),
                            (i + n - turn[post] % n) % n,
                        )
                    })
                    .map(|(i, p)| (i, *p));
                match chosen {
                    Some((i, p)) => {
                        turn[post] = i + 1;
                        *hours.entry(p).or_default() += u64::from(slot.length());
                        if post == 0 {
                            crew.leader = Some(p);
                        } else {
                            crew.officers.push(p);
                        }
                    }
                    None => problems.push(format!(
                        "{} {}缺少{}：可排的人都已排在前一班、请假或不在名单中",
                        slot.day,
                        slot.kind.label(),
                        if post == 0 {
                            "带班领导"
                        } else {
                            "值班干部"
                        }
                    )),
                }
            }
        }
        last = crew.leader.iter().chain(&crew.officers).copied().collect();
        crews.push(crew);
    }
    (crews, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(t: &str) -> NaiveDate {
        t.parse().unwrap()
    }

    fn ids(n: u128, base: u128) -> Vec<Uuid> {
        (0..n).map(|i| Uuid::from_u128(base + i)).collect()
    }

    #[test]
    fn national_day_has_24_hour_cover_and_a_working_day_two_shifts() {
        let (s, guessed) = slots(
            d("2026-09-30"),
            d("2026-10-10"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        assert!(guessed.is_empty());
        let (_, guessed) = slots(
            d("2026-12-30"),
            d("2027-01-05"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        assert_eq!(guessed, [2027], "a year without a notice is reported");
        let on = |day: &str| {
            s.iter()
                .filter(|x| x.day == d(day))
                .map(|x| x.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(on("2026-09-30"), [ShiftKind::Day, ShiftKind::Night]);
        assert_eq!(on("2026-10-03"), [ShiftKind::Full]);
        assert_eq!(
            on("2026-10-10"),
            [ShiftKind::Day, ShiftKind::Night],
            "a make-up Saturday"
        );
        assert_eq!(
            ShiftSlot {
                day: d("2026-10-03"),
                kind: ShiftKind::Full
            }
            .length(),
            24
        );
    }

    #[test]
    fn the_shift_at_an_instant() {
        let cal = HolidayCalendar::built_in();
        let at = |t: &str| ShiftSlot::at(t.parse().unwrap(), cal);
        assert_eq!(
            at("2026-12-08T09:00:00"),
            ShiftSlot {
                day: d("2026-12-08"),
                kind: ShiftKind::Day
            }
        );
        assert_eq!(
            at("2026-12-08T20:00:00"),
            ShiftSlot {
                day: d("2026-12-08"),
                kind: ShiftKind::Night
            }
        );
        assert_eq!(
            at("2026-12-09T07:00:00"),
            ShiftSlot {
                day: d("2026-12-08"),
                kind: ShiftKind::Night
            }
        );
        assert_eq!(
            at("2026-12-13T07:00:00"),
            ShiftSlot {
                day: d("2026-12-12"),
                kind: ShiftKind::Full
            }
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// Nobody excluded is put on, nobody serves two shifts in a row, every gap is reported, and hours stay
        /// within a day and a night of each other.
        #[test]
        fn shifts_are_fair_and_rested(
            leaders in 2u128..6, officers in 4u128..10, per in 1usize..3,
            away in proptest::collection::vec((0u128..16, 0u64..60, 1u64..5), 0..4),
        ) {
            let pool = ShiftPool { leaders: ids(leaders, 100), officers: ids(officers, 200), officers_per_shift: per };
            let exclusions: Vec<ShiftExclusion> = away.iter().map(|(p, s, n)| ShiftExclusion {
                person_id: Uuid::from_u128(if *p < 8 { 100 + p } else { 200 + p - 8 }),
                from: d("2026-10-01") + Days::new(*s),
                to: d("2026-10-01") + Days::new(s + n - 1),
            }).collect();
            let (s, _) = slots(d("2026-10-01"), d("2026-11-30"), HolidayCalendar::built_in()).unwrap();
            let (crews, problems) = generate(&s, &pool, &exclusions, &[], None);
            let mut previous: Vec<Uuid> = Vec::new();
            for c in &crews {
                let people: Vec<Uuid> = c.leader.iter().chain(&c.officers).copied().collect();
                for p in &people {
                    prop_assert!(!previous.contains(p), "two shifts in a row");
                    prop_assert!(!exclusions.iter().any(|x| x.person_id == *p && x.from <= c.slot.day && c.slot.day <= x.to));
                }
                if c.leader.is_none() || c.officers.len() < per {
                    prop_assert!(!problems.is_empty());
                }
                previous = people;
            }
            // With the rest rule, a pool of two for one post has no choice (they alternate): fairness is
            // asked of pools with a spare member.
            if exclusions.is_empty() && problems.is_empty() && leaders >= 3 && officers as usize > 2 * per {
                let hours = |members: &[Uuid]| members.iter().map(|m| crews.iter()
                    .filter(|c| c.leader == Some(*m) || c.officers.contains(m))
                    .map(|c| u64::from(c.slot.length())).sum::<u64>()).collect::<Vec<_>>();
                for h in [hours(&pool.leaders), hours(&pool.officers)] {
                    prop_assert!(h.iter().max().unwrap() - h.iter().min().unwrap() <= 24 + 15, "{h:?}");
                }
            }
        }
    }
}
