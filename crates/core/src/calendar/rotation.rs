//! The alliances' rotation (联盟成员单位轮值): which member unit is on duty for each week or month.
//!
//! The generator walks the periods of every alliance in date order and gives each to a member unit:
//! 1. not unavailable on any day of the period;
//! 2. not the unit of the alliance's previous turn (when the alliance has more than one unit);
//! 3. not on duty for another alliance on any of those days;
//! 4. among those, the unit with the fewest turns under the rule so far (the kept history included); then
//!    the one whose next unavailability comes soonest (so a unit about to be away serves first); then the
//!    next in the alliance's order after the previous turn's unit.
//!
//! Rules 1–3 are never broken: when no unit satisfies them the turn is left open and a [`Conflict`] says why.
//! Rule 4 keeps every alliance's turn counts within one of each other; when unavailability makes that
//! impossible the imbalance is reported as a conflict too. Nothing is hidden.
//!
//! Turns already fixed (the past, manual swaps) are given to the generator and kept as they are.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::holidays::{CalendarError, HolidayCalendar};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// How long a turn lasts.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Period as "ROTATION_PERIOD" {
        /// Seven days from the rule's start weekday.
        Week = ("week", "每周"),
        /// A calendar month (the first turn runs from the start date to the month's end).
        Month = ("month", "每月"),
    }
}

/// An alliance's rotation rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationRule {
    /// The alliance.
    pub alliance_id: Uuid,
    /// How long a turn lasts.
    pub period: Period,
    /// The member units in the order they take turns.
    pub order: Vec<Uuid>,
    /// The first day of the first turn.
    pub starts_on: NaiveDate,
    /// Whether the alliance serves through public holidays. When not, a period with no working day at all
    /// (a Spring Festival week) has no turn.
    pub holidays_count: bool,
}

/// Days a member unit cannot serve (both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    /// The unit.
    pub organisation_id: Uuid,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// One turn on duty (both days included). `organisation_id` is `None` for a turn nobody could take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// The alliance.
    pub alliance_id: Uuid,
    /// The unit on duty.
    pub organisation_id: Option<Uuid>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
}

/// A turn as kept: with its row, whether a person set it by hand, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyTurn {
    /// Row.
    pub id: Uuid,
    /// The turn.
    pub turn: Turn,
    /// Set by a swap or a reassignment: kept when the future is generated again.
    pub manual: bool,
    /// The reason given for the last manual change.
    pub reason: String,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

impl Turn {
    /// True when the turn covers any day of `from..=to`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.starts_on <= to && from <= self.ends_on
    }
}

vocabulary! {
    /// Why the plan is not as the rules want.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ConflictKind as "CONFLICT_KIND" {
        /// No unit could take the turn: every one was unavailable, had the previous turn, or was on duty for
        /// another alliance. The turn is left open.
        NoOneAvailable = ("no_one_available", "无单位可值班"),
        /// A unit has two or more turns fewer than another in the horizon (it was unavailable too often).
        Imbalance = ("imbalance", "轮次不均"),
    }
}

/// A conflict the generator could not avoid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// What kind.
    pub kind: ConflictKind,
    /// The alliance.
    pub alliance_id: Uuid,
    /// The turn's first day, or the horizon's.
    pub starts_on: NaiveDate,
    /// The turn's last day, or the horizon's.
    pub ends_on: NaiveDate,
    /// The unit concerned, for an imbalance.
    pub organisation_id: Option<Uuid>,
    /// In plain Chinese.
    pub detail: String,
}

/// A generated plan: the new turns, and the conflicts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The generated turns, by start date then alliance.
    pub turns: Vec<Turn>,
    /// What could not be done as the rules want.
    pub conflicts: Vec<Conflict>,
}

/// The most turns one generation may produce: 8 alliances × 10 years of weeks is about 4,200.
pub const MAX_TURNS: usize = 20_000;

/// The periods of `rule` that overlap `from..=to`, the first starting no earlier than `from` (a period under
/// way at `from` is cut to begin there); the last runs to its natural end, which may be after `to`. Periods
/// with no working day are skipped when holidays do not count.
pub fn periods(
    rule: &RotationRule,
    from: NaiveDate,
    to: NaiveDate,
    calendar: &HolidayCalendar,
) -> Result<Vec<(NaiveDate, NaiveDate)>, CalendarError> {
    let mut out = Vec::new();
    let mut start = rule.starts_on;
    while start <= to {
        let end = match rule.period {
            Period::Week => start.checked_add_days(Days::new(6)),
            Period::Month => start
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(1)))
                .and_then(|d| d.pred_opt()),
        }
        .ok_or(CalendarError::MissingYear(start.year() + 1))?;
        if end >= from {
            let start = start.max(from);
            let serves = rule.holidays_count || {
                let mut any = false;
                for d in start.iter_days().take_while(|d| *d <= end) {
                    if calendar.is_working(d)? {
                        any = true;
                        break;
                    }
                }
                any
            };
            if serves {
                out.push((start, end));
            }
            if out.len() > MAX_TURNS {
                return Err(CalendarError::File(format!(
                    "一次最多生成 {MAX_TURNS} 个轮次，请缩短时间范围"
                )));
            }
        }
        start = end
            .succ_opt()
            .ok_or(CalendarError::MissingYear(end.year() + 1))?;
    }
    Ok(out)
}

/// Generates the turns of `rules` for their periods overlapping `from..=to` (see [`periods`]). `fixed` are
/// the turns that stay (the past, manual swaps, turns beyond the span): the days they cover are not
/// generated again, so a period they cover in part yields the pieces they leave (a kept week at the start
/// of a new monthly rule's first month shortens that month). Every day of a served period in the span ends
/// up covered by exactly one turn of the alliance.
pub fn generate(
    rules: &[RotationRule],
    unavailable: &[Unavailable],
    fixed: &[Turn],
    from: NaiveDate,
    to: NaiveDate,
    calendar: &HolidayCalendar,
) -> Result<Plan, CalendarError> {
    let mut slots: Vec<(NaiveDate, NaiveDate, usize)> = Vec::new();
    for (r, rule) in rules.iter().enumerate() {
        let kept: Vec<&Turn> = fixed
            .iter()
            .filter(|t| t.alliance_id == rule.alliance_id)
            .collect();
        for (s, e) in periods(rule, from, to, calendar)? {
            for (s, e) in uncovered(s, e, &kept) {
                slots.push((s, e, r));
            }
        }
        if slots.len() > MAX_TURNS {
            return Err(CalendarError::File(format!(
                "一次最多生成 {MAX_TURNS} 个轮次，请缩短时间范围"
            )));
        }
    }
    slots.sort();

    let mut away: HashMap<Uuid, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for u in unavailable {
        away.entry(u.organisation_id)
            .or_default()
            .push((u.from, u.to));
    }
    for spans in away.values_mut() {
        spans.sort();
    }
    let is_away = |org: &Uuid, s: NaiveDate, e: NaiveDate| {
        away.get(org)
            .is_some_and(|v| v.iter().any(|(f, t)| *f <= e && s <= *t))
    };
    let next_away = |org: &Uuid, after: NaiveDate| {
        away.get(org)
            .and_then(|v| v.iter().map(|(f, _)| *f).find(|f| *f > after))
            .unwrap_or(NaiveDate::MAX)
    };

    // Indexes over every turn so far, fixed and generated: each alliance's turns by start (its previous
    // and next turn), and each unit's days on duty (for "on duty elsewhere").
    let mut by_alliance: HashMap<Uuid, BTreeMap<NaiveDate, Option<Uuid>>> = HashMap::new();
    let mut on_duty: HashMap<Uuid, Vec<(NaiveDate, NaiveDate, Uuid)>> = HashMap::new();
    for t in fixed {
        by_alliance
            .entry(t.alliance_id)
            .or_default()
            .insert(t.starts_on, t.organisation_id);
        if let Some(org) = t.organisation_id {
            on_duty
                .entry(org)
                .or_default()
                .push((t.starts_on, t.ends_on, t.alliance_id));
        }
    }
    // Counts start from the turns kept under each rule (history included), so that a regenerated future
    // continues the rotation where it stands; a unit more than one turn behind (new, or back from a long
    // absence) is lifted to one behind, so that it rejoins the rotation instead of serving every other turn.
    let mut counts: HashMap<(Uuid, Uuid), usize> = HashMap::new();
    for rule in rules {
        for t in fixed
            .iter()
            .filter(|t| t.alliance_id == rule.alliance_id && t.starts_on >= rule.starts_on)
        {
            if let Some(org) = t.organisation_id.filter(|o| rule.order.contains(o)) {
                *counts.entry((t.alliance_id, org)).or_default() += 1;
            }
        }
        let most = rule
            .order
            .iter()
            .map(|o| counts.get(&(rule.alliance_id, *o)).copied().unwrap_or(0))
            .max()
            .unwrap_or(0);
        for o in &rule.order {
            let c = counts.entry((rule.alliance_id, *o)).or_default();
            *c = (*c).max(most.saturating_sub(1));
        }
    }
    let mut plan = Plan::default();
    for (s, e, r) in slots {
        let rule = &rules[r];
        let turns = by_alliance.entry(rule.alliance_id).or_default();
        let previous = turns.range(..s).next_back().and_then(|(_, o)| *o);
        let next = turns
            .range(e.succ_opt().unwrap_or(e)..)
            .next()
            .and_then(|(_, o)| *o);
        let position = |org: &Uuid| rule.order.iter().position(|o| o == org);
        let after = previous.and_then(|p| position(&p)).map_or(0, |p| p + 1);
        let n = rule.order.len().max(1);
        let choice = rule
            .order
            .iter()
            .filter(|org| !is_away(org, s, e))
            .filter(|org| rule.order.len() < 2 || (Some(**org) != previous && Some(**org) != next))
            .filter(|org| {
                !on_duty.get(org).is_some_and(|v| {
                    v.iter()
                        .any(|(f, t, a)| *a != rule.alliance_id && *f <= e && s <= *t)
                })
            })
            .min_by_key(|org| {
                let count = counts.get(&(rule.alliance_id, **org)).copied().unwrap_or(0);
                let cyclic = (position(org).unwrap_or(0) + n - after % n) % n;
                (count, next_away(org, e), cyclic)
            })
            .copied();
        if let Some(org) = choice {
            *counts.entry((rule.alliance_id, org)).or_default() += 1;
            on_duty
                .entry(org)
                .or_default()
                .push((s, e, rule.alliance_id));
        } else {
            plan.conflicts.push(Conflict {
                kind: ConflictKind::NoOneAvailable,
                alliance_id: rule.alliance_id,
                starts_on: s,
                ends_on: e,
                organisation_id: None,
                detail: format!(
                    "{s} 至 {e} 没有可值班的单位：成员单位都不可用、与前后轮次相同或正在别的联盟值班"
                ),
            });
        }
        turns.insert(s, choice);
        plan.turns.push(Turn {
            alliance_id: rule.alliance_id,
            organisation_id: choice,
            starts_on: s,
            ends_on: e,
        });
    }

    for rule in rules {
        let count = |org: &Uuid| counts.get(&(rule.alliance_id, *org)).copied().unwrap_or(0);
        let Some(most) = rule.order.iter().map(count).max() else {
            continue;
        };
        for org in &rule.order {
            if most - count(org) > 1 {
                plan.conflicts.push(Conflict {
                    kind: ConflictKind::Imbalance,
                    alliance_id: rule.alliance_id,
                    starts_on: from,
                    ends_on: to,
                    organisation_id: Some(*org),
                    detail: format!(
                        "截至 {to} 该单位值班 {} 次，比最多的单位少 {} 次（不可用或与其他联盟冲突）",
                        count(org),
                        most - count(org)
                    ),
                });
            }
        }
    }
    Ok(plan)
}

/// The parts of `s..=e` that no turn of `kept` covers, in order.
fn uncovered(s: NaiveDate, e: NaiveDate, kept: &[&Turn]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut covering: Vec<(NaiveDate, NaiveDate)> = kept
        .iter()
        .filter(|t| t.overlaps(s, e))
        .map(|t| (t.starts_on, t.ends_on))
        .collect();
    covering.sort();
    let mut out = Vec::new();
    let mut at = Some(s);
    for (f, t) in covering {
        let Some(start) = at else { break };
        if f > start {
            out.push((start, f.pred_opt().unwrap_or(f).min(e)));
        }
        if t >= start {
            at = t.succ_opt().filter(|d| *d <= e);
        }
    }
    if let Some(start) = at {
        out.push((start, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn ids(n: u128, base: u128) -> Vec<Uuid> {
        (0..n).map(|i| Uuid::from_u128(base + i)).collect()
    }

    fn rule(alliance: u128, order: Vec<Uuid>, period: Period) -> RotationRule {
        RotationRule {
            alliance_id: Uuid::from_u128(alliance),
            period,
            order,
            starts_on: d("2027-01-04"),
            holidays_count: true,
        }
    }

    #[test]
    fn a_plain_rotation_follows_the_order() {
        let units = ids(3, 100);
        let plan = generate(
            &[rule(1, units.clone(), Period::Week)],
            &[],
            &[],
            d("2027-01-04"),
            d("2027-02-14"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        let who: Vec<_> = plan
            .turns
            .iter()
            .map(|t| t.organisation_id.unwrap())
            .collect();
        assert_eq!(who, [0, 1, 2, 0, 1, 2].map(|i| units[i]));
        assert_eq!(plan.turns[0].ends_on, d("2027-01-10"));
        assert!(plan.conflicts.is_empty());
    }

    #[test]
    fn months_run_to_the_month_end() {
        let mut r = rule(1, ids(2, 100), Period::Month);
        r.starts_on = d("2026-01-15");
        let p = periods(
            &r,
            d("2026-01-01"),
            d("2026-03-31"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        assert_eq!(
            p,
            [
                (d("2026-01-15"), d("2026-01-31")),
                (d("2026-02-01"), d("2026-02-28")),
                (d("2026-03-01"), d("2026-03-31"))
            ]
        );
    }

    #[test]
    fn a_week_with_no_working_day_has_no_turn_when_holidays_do_not_count() {
        let mut r = rule(1, ids(2, 100), Period::Week);
        r.starts_on = d("2026-02-09");
        r.holidays_count = false;
        let p = periods(
            &r,
            d("2026-02-09"),
            d("2026-03-01"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        // 2026-02-16..22 is all Spring Festival.
        assert_eq!(
            p.iter().map(|x| x.0).collect::<Vec<_>>(),
            [d("2026-02-09"), d("2026-02-23")]
        );
        r.holidays_count = true;
        assert_eq!(
            periods(
                &r,
                d("2026-02-09"),
                d("2026-03-01"),
                HolidayCalendar::built_in()
            )
            .unwrap()
            .len(),
            3
        );
    }

    #[test]
    fn a_unit_about_to_be_away_serves_first() {
        let units = ids(3, 100);
        let away = [Unavailable {
            organisation_id: units[2],
            from: d("2027-01-18"),
            to: d("2027-01-31"),
        }];
        let plan = generate(
            &[rule(1, units.clone(), Period::Week)],
            &away,
            &[],
            d("2027-01-04"),
            d("2027-01-31"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        let who: Vec<_> = plan.turns.iter().map(|t| t.organisation_id).collect();
        assert_eq!(
            who[0],
            Some(units[2]),
            "the unit away from the 18th serves first"
        );
        assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
    }

    #[test]
    fn an_impossible_turn_is_left_open_and_reported() {
        let units = ids(1, 100);
        let away = [Unavailable {
            organisation_id: units[0],
            from: d("2027-01-11"),
            to: d("2027-01-17"),
        }];
        let plan = generate(
            &[rule(1, units, Period::Week)],
            &away,
            &[],
            d("2027-01-04"),
            d("2027-01-24"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        assert_eq!(plan.turns[1].organisation_id, None);
        assert_eq!(plan.conflicts[0].kind, ConflictKind::NoOneAvailable);
    }

    #[test]
    fn fixed_turns_are_kept_and_the_rotation_continues_after_them() {
        let units = ids(3, 100);
        let past = Turn {
            alliance_id: Uuid::from_u128(1),
            organisation_id: Some(units[0]),
            starts_on: d("2027-01-04"),
            ends_on: d("2027-01-10"),
        };
        let plan = generate(
            &[rule(1, units.clone(), Period::Week)],
            &[],
            std::slice::from_ref(&past),
            d("2027-01-04"),
            d("2027-01-24"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        assert_eq!(plan.turns.len(), 2, "the fixed week is not generated again");
        assert_eq!(plan.turns[0].organisation_id, Some(units[1]));
    }

    #[test]
    fn a_period_partly_kept_is_shortened_to_the_days_left() {
        let units = ids(3, 100);
        let mut r = rule(1, units.clone(), Period::Month);
        r.starts_on = d("2027-01-01");
        let kept = Turn {
            alliance_id: Uuid::from_u128(1),
            organisation_id: Some(units[0]),
            starts_on: d("2026-12-28"),
            ends_on: d("2027-01-03"),
        };
        let plan = generate(
            &[r],
            &[],
            &[kept],
            d("2027-01-01"),
            d("2027-02-28"),
            HolidayCalendar::built_in(),
        )
        .unwrap();
        let spans: Vec<_> = plan
            .turns
            .iter()
            .map(|t| (t.starts_on, t.ends_on))
            .collect();
        assert_eq!(
            spans,
            [
                (d("2027-01-04"), d("2027-01-31")),
                (d("2027-02-01"), d("2027-02-28"))
            ]
        );
        assert_ne!(
            plan.turns[0].organisation_id,
            Some(units[0]),
            "not twice in a row"
        );
    }

    #[derive(Debug, Clone)]
    struct Case {
        rules: Vec<RotationRule>,
        away: Vec<Unavailable>,
    }

    /// 1–4 alliances of 1–7 units drawn from a pool of 10 (so some units belong to two alliances), weeks or
    /// months, and up to 6 unavailable spans of 1–40 days in 2027.
    fn cases(shared: bool, with_away: bool) -> impl Strategy<Value = Case> {
        let pool = ids(if shared { 10 } else { 40 }, 1000);
        let rules = proptest::collection::vec(
            (
                proptest::sample::subsequence(pool.clone(), 1..=7),
                any::<bool>(),
                0u32..60,
            ),
            1..=4,
        );
        let away = proptest::collection::vec(
            (proptest::sample::select(pool), 0u64..330, 1u64..40),
            0..=if with_away { 6 } else { 0 },
        );
        (rules, away).prop_map(|(rules, away)| Case {
            rules: rules
                .into_iter()
                .enumerate()
                .map(|(i, (mut order, monthly, offset))| {
                    let len = order.len();
                    order.rotate_left(offset as usize % len);
                    RotationRule {
                        alliance_id: Uuid::from_u128(i as u128 + 1),
                        period: if monthly { Period::Month } else { Period::Week },
                        order,
                        starts_on: d("2027-01-01") + Days::new(u64::from(offset)),
                        holidays_count: true,
                    }
                })
                .collect(),
            away: away
                .into_iter()
                .map(|(org, start, len)| Unavailable {
                    organisation_id: org,
                    from: d("2027-01-01") + Days::new(start),
                    to: d("2027-01-01") + Days::new(start + len - 1),
                })
                .collect(),
        })
    }

    fn check_hard_rules(case: &Case, plan: &Plan) -> Result<(), TestCaseError> {
        for rule in &case.rules {
            let turns: Vec<&Turn> = plan
                .turns
                .iter()
                .filter(|t| t.alliance_id == rule.alliance_id)
                .collect();
            for pair in turns.windows(2) {
                if rule.order.len() > 1 && pair[0].organisation_id.is_some() {
                    prop_assert_ne!(
                        pair[0].organisation_id,
                        pair[1].organisation_id,
                        "two turns in a row"
                    );
                }
            }
        }
        for (i, a) in plan.turns.iter().enumerate() {
            let Some(org) = a.organisation_id else {
                continue;
            };
            for u in case.away.iter().filter(|u| u.organisation_id == org) {
                prop_assert!(!a.overlaps(u.from, u.to), "on duty while unavailable");
            }
            for b in &plan.turns[i + 1..] {
                if b.organisation_id == Some(org) && b.alliance_id != a.alliance_id {
                    prop_assert!(
                        !a.overlaps(b.starts_on, b.ends_on),
                        "on duty for two alliances at once"
                    );
                }
            }
        }
        for t in plan.turns.iter().filter(|t| t.organisation_id.is_none()) {
            prop_assert!(plan
                .conflicts
                .iter()
                .any(|c| c.kind == ConflictKind::NoOneAvailable
                    && c.alliance_id == t.alliance_id
                    && c.starts_on == t.starts_on));
        }
        Ok(())
    }

    fn counts(rule: &RotationRule, plan: &Plan) -> Vec<usize> {
        rule.order
            .iter()
            .map(|o| {
                plan.turns
                    .iter()
                    .filter(|t| t.alliance_id == rule.alliance_id && t.organisation_id == Some(*o))
                    .count()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the rules and unavailability: the hard rules hold, and any imbalance is reported.
        #[test]
        fn hard_rules_always_hold_and_imbalance_is_reported(case in cases(true, true)) {
            let (from, to) = (d("2027-01-01"), d("2027-12-31"));
            let plan = generate(&case.rules, &case.away, &[], from, to, HolidayCalendar::built_in()).unwrap();
            check_hard_rules(&case, &plan)?;
            for rule in &case.rules {
                let c = counts(rule, &plan);
                let (lo, hi) = (*c.iter().min().unwrap(), *c.iter().max().unwrap());
                if hi - lo > 1 {
                    prop_assert!(plan.conflicts.iter().any(|x| x.kind == ConflictKind::Imbalance && x.alliance_id == rule.alliance_id));
                }
            }
        }

        /// With turns kept at random (manual swaps, misaligned old turns), every day of the span is covered by
        /// exactly one turn of each alliance, the kept ones are left alone, and the hard rules still hold.
        #[test]
        fn kept_turns_are_worked_around_without_gaps_or_overlaps(
            case in cases(true, true),
            kept in proptest::collection::vec((0usize..4, 0u64..300, 1u64..40, 0usize..7), 0..8),
        ) {
            let (from, to) = (d("2027-01-01"), d("2027-12-31"));
            let mut fixed: Vec<Turn> = Vec::new();
            for (r, start, len, unit) in kept {
                let Some(rule) = case.rules.get(r) else { continue };
                let t = Turn {
                    alliance_id: rule.alliance_id,
                    organisation_id: rule.order.get(unit % rule.order.len()).copied(),
                    starts_on: from + Days::new(start),
                    ends_on: from + Days::new(start + len - 1),
                };
                if !fixed.iter().any(|f| f.alliance_id == t.alliance_id && f.overlaps(t.starts_on, t.ends_on)) {
                    fixed.push(t);
                }
            }
            let plan = generate(&case.rules, &case.away, &fixed, from, to, HolidayCalendar::built_in()).unwrap();
            for rule in &case.rules {
                let first = rule.starts_on.max(from);
                for day in first.iter_days().take_while(|x| *x <= to) {
                    let covering = fixed.iter().chain(&plan.turns)
                        .filter(|t| t.alliance_id == rule.alliance_id && t.overlaps(day, day))
                        .count();
                    prop_assert_eq!(covering, 1, "{} on {}", rule.alliance_id, day);
                }
            }
            for t in &plan.turns {
                prop_assert!(t.starts_on >= from && t.starts_on <= to);
            }
        }

        /// Without unavailability and with each unit in one alliance, the rotation is exactly fair.
        #[test]
        fn without_obstacles_the_rotation_is_fair(case in cases(false, false)) {
            // Alliances drawn from a pool of 40 may still share units: give each its own.
            let mut case = case;
            for (i, rule) in case.rules.iter_mut().enumerate() {
                for (j, org) in rule.order.iter_mut().enumerate() {
                    *org = Uuid::from_u128(10_000 * (i as u128 + 1) + j as u128);
                }
            }
            let plan = generate(&case.rules, &[], &[], d("2027-01-01"), d("2027-12-31"), HolidayCalendar::built_in()).unwrap();
            check_hard_rules(&case, &plan)?;
            for rule in &case.rules {
                let c = counts(rule, &plan);
                prop_assert!(c.iter().max().unwrap() - c.iter().min().unwrap() <= 1, "{c:?}");
            }
            let single = case.rules.iter().filter(|r| r.order.len() == 1).count();
            prop_assert_eq!(plan.conflicts.len(), 0, "single-unit alliances: {}", single);
        }

        /// Unavailability in a large enough alliance is worked around: fair, and no conflict.
        #[test]
        fn sparse_unavailability_is_worked_around(
            case in cases(false, true).prop_filter("one alliance of 4+", |c| c.rules.len() == 1 && c.rules[0].order.len() >= 4)
        ) {
            // At most one span per unit, each shorter than one period: there is always someone else.
            let mut seen = std::collections::HashSet::new();
            let away: Vec<Unavailable> = case.away.iter()
                .filter(|u| case.rules[0].order.contains(&u.organisation_id) && seen.insert(u.organisation_id))
                .map(|u| Unavailable { to: u.from + Days::new((u.to - u.from).num_days().min(5) as u64), ..u.clone() })
                .collect();
            let case = Case { away, ..case };
            let plan = generate(&case.rules, &case.away, &[], d("2027-01-01"), d("2027-12-31"), HolidayCalendar::built_in()).unwrap();
            check_hard_rules(&case, &plan)?;
            prop_assert!(plan.turns.iter().all(|t| t.organisation_id.is_some()));
        }
    }
}
