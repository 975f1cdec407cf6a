//! The key figures of a period, defined once: the briefing screen, the briefing pack, the duty officer's overview
//! and `chengguan report figures` all read them from here, so they can never disagree. Definitions, with
//! examples, are in docs/figures.md; in short:
//!
//! - **The period** is `from..=to`, Beijing calendar days. Figures describe the petitions *received* in it (its
//!   cohort), as they stood at its end, or now if the period has not ended (`as_of`). A duplicate merged into
//!   another petition is not counted: the petition it was merged into is.
//! - **收到** received; **不予受理** rejected; **办结** resolved (已办结 or 已评价 at `as_of`); **在办** open.
//! - **办结率** = 办结 ÷ (收到 − 不予受理).
//! - **按时办结率** = resolved by the deadline ÷ (办结 + open and past the deadline at `as_of`): an open petition
//!   already late counts as late; one still within its deadline is not yet judged.
//! - **办理时长** in working days (the State Council's calendar, [`crate::calendar`]): the working days after the
//!   day received up to and including the day resolved (the same day is 0); mean and median over 办结.
//! - **满意率** = ratings of 4–5 stars ÷ ratings, over the cohort's petitions rated by `as_of`; and the mean rating.
//! - **重办** petitions sent back (退回重办) at least once by `as_of`.
//! - **环比** against the period of equal length just before; **同比** against the same days a year earlier.
//! - **轮值履职率** = alliance turns ended in the period with at least one activity ÷ turns ended (the calendars'
//!   review); **名册缺口** the gaps of today's rosters (not of the period: rosters have no history).
//!
//! Rates are percentages rounded to one decimal and times to one decimal, here, once: every front end prints
//! [`Kpi::value`], the same text.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::petitions::sla::WorkCalendar;
use crate::petitions::workflow::Status;
use crate::time::{beijing, beijing_day_start};

/// How many categories and grids a ranking chart names (the figures keep them all).
pub const TOP: usize = 10;

/// One step of a petition's timeline, as figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// When.
    pub at: DateTime<Utc>,
    /// The status after it.
    pub status: Status,
    /// Whether the step sent the petition back for redoing (退回重办).
    pub reopen: bool,
}

/// What figures need of one petition.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionRecord {
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// Category code.
    pub category: String,
    /// Grid code, if placed.
    pub grid: Option<String>,
    /// The resident's rating (1–5), if rated.
    pub rating: Option<u8>,
    /// Its timeline after registration, oldest first.
    pub steps: Vec<Step>,
}

/// A petition as it stood at an instant.
struct Stood {
    status: Status,
    resolved_at: Option<DateTime<Utc>>,
    rated: bool,
    reopened: bool,
}

impl PetitionRecord {
    fn at(&self, as_of: DateTime<Utc>) -> Stood {
        let mut s = Stood {
            status: Status::Received,
            resolved_at: None,
            rated: false,
            reopened: false,
        };
        for step in self.steps.iter().take_while(|st| st.at <= as_of) {
            let done = matches!(step.status, Status::Resolved | Status::Rated);
            if done && s.resolved_at.is_none() {
                s.resolved_at = Some(step.at);
            }
            if !done {
                s.resolved_at = None;
            }
            // A rating holds only while the petition stays rated: sending it back clears the rating.
            s.rated = step.status == Status::Rated;
            s.reopened |= step.reopen;
            s.status = step.status;
        }
        s
    }
}

/// One alliance's turns that ended in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceRecord {
    /// The alliance's name.
    pub name: String,
    /// Turns that ended.
    pub turns_ended: u32,
    /// Of those, turns with at least one activity.
    pub fulfilled: u32,
    /// Activities logged.
    pub activities: u32,
    /// Hours of service.
    pub hours: f64,
}

/// Everything figures are computed from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// First day of the period (Beijing).
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// Now.
    pub now: DateTime<Utc>,
    /// Every petition received from a year before the comparison periods to the period's end (more is ignored).
    pub petitions: &'a [PetitionRecord],
    /// Category names by code.
    pub category_names: &'a HashMap<String, String>,
    /// Grid names by code.
    pub grid_names: &'a HashMap<String, String>,
    /// The alliances' turns ended in the period.
    pub alliances: Vec<AllianceRecord>,
    /// Today's roster gaps: (label of the kind, count).
    pub roster_gaps: Vec<(String, u32)>,
}

/// A ranked row: a category or a grid and its petitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Petitions received.
    pub count: u32,
}

/// The same counts in another period, and the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// Petitions received then.
    pub received: u32,
    /// Change of received, percent, one decimal (none when nothing was received then).
    pub change: Option<f64>,
}

/// Petitions received in one week of the period, per top category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// The Monday (the first week may start before the period; only its days within count).
    pub monday: NaiveDate,
    /// All categories.
    pub total: u32,
    /// Per category of the first five of [`Figures::categories`], in that order.
    pub by_category: Vec<u32>,
}

/// The key figures of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The instant the petitions were looked at: the end of `to`, or now.
    pub as_of: DateTime<Utc>,
    /// 收到.
    pub received: u32,
    /// 不予受理.
    pub rejected: u32,
    /// 办结.
    pub resolved: u32,
    /// 在办.
    pub open: u32,
    /// 办结率, percent.
    pub resolution_rate: Option<f64>,
    /// Resolved by the deadline.
    pub on_time: u32,
    /// Resolved late, or open past the deadline.
    pub late: u32,
    /// 按时办结率, percent.
    pub on_time_rate: Option<f64>,
    /// Mean handling time, working days.
    pub handling_days_mean: Option<f64>,
    /// Median handling time, working days.
    pub handling_days_median: Option<f64>,
    /// Rated petitions.
    pub rated: u32,
    /// Rated 4–5.
    pub satisfied: u32,
    /// 满意率, percent.
    pub satisfaction_rate: Option<f64>,
    /// Mean rating, 1–5.
    pub rating_mean: Option<f64>,
    /// Ratings of 1 to 5 stars.
    pub ratings: [u32; 5],
    /// 重办.
    pub reopened: u32,
    /// Every category with petitions, most first.
    pub categories: Vec<Ranked>,
    /// Every grid with petitions, most first.
    pub grids: Vec<Ranked>,
    /// Petitions placed in no grid (without a location).
    pub no_grid: u32,
    /// 环比.
    pub previous: Comparison,
    /// 同比.
    pub year_ago: Comparison,
    /// Week by week.
    pub weeks: Vec<Week>,
    /// The alliances' turns.
    pub alliances: Vec<AllianceRecord>,
    /// Turns ended, all alliances.
    pub turns_ended: u32,
    /// Turns fulfilled, all alliances.
    pub turns_fulfilled: u32,
    /// 轮值履职率, percent.
    pub duty_rate: Option<f64>,
    /// Today's roster gaps by kind.
    pub roster_gaps: Vec<(String, u32)>,
    /// All roster gaps.
    pub roster_gap_total: u32,
}

/// A headline figure as every front end prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    /// Stable code (`received`, `resolution_rate`, …).
    pub code: &'static str,
    /// Its name in Chinese.
    pub label: &'static str,
    /// The value as printed (`87.5%`, `1,234`, `2.4 个工作日`, `—` when undefined).
    pub value: String,
    /// How it is reckoned, in a line.
    pub note: String,
}

/// `part ÷ whole` as a percentage with one decimal.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round1(f64::from(part) * 100.0 / f64::from(whole)))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A percentage as printed.
pub fn show_percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1}%"))
}

/// A change as printed, with its sign (`+12.5%`, `-3.0%`).
pub fn show_change(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:+.1}%"))
}

/// A count as printed.
pub fn show_count(n: u32) -> String {
    n.to_string()
}

fn in_days(at: DateTime<Utc>, from: NaiveDate, to: NaiveDate) -> bool {
    at >= beijing_day_start(from) && at < beijing_day_start(to + Duration::days(1))
}

/// Working days after the day of `from` up to and including the day of `to` (Beijing).
pub fn working_days_between(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    calendar: &impl WorkCalendar,
) -> u32 {
    let (a, b) = (
        from.with_timezone(&beijing()).date_naive(),
        to.with_timezone(&beijing()).date_naive(),
    );
    a.iter_days()
        .skip(1)
        .take_while(|d| *d <= b)
        .filter(|d| calendar.is_working_day(*d))
        .count() as u32
}

fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}

/// Petitions received in `from..=to` and not merged, each as it stood at the end of that span (or `now`).
fn received_between(
    petitions: &[PetitionRecord],
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> u32 {
    let as_of = now.min(beijing_day_start(to + Duration::days(1)));
    petitions
        .iter()
        .filter(|p| in_days(p.received_at, from, to) && p.at(as_of).status != Status::Merged)
        .count() as u32
}

/// The same day a year earlier; 29 February falls back to the 28th.
pub fn year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        .unwrap_or(d - Duration::days(365))
}

/// Computes the figures of `inputs`' period.
pub fn figures(inputs: &Inputs<'_>, calendar: &impl WorkCalendar) -> Figures {
    let (from, to) = (inputs.from, inputs.to);
    let as_of = inputs.now.min(beijing_day_start(to + Duration::days(1)));
    let mut f = Figures {
        from,
        to,
        as_of,
        received: 0,
        rejected: 0,
        resolved: 0,
        open: 0,
        resolution_rate: None,
        on_time: 0,
        late: 0,
        on_time_rate: None,
        handling_days_mean: None,
        handling_days_median: None,
        rated: 0,
        satisfied: 0,
        satisfaction_rate: None,
        rating_mean: None,
        ratings: [0; 5],
        reopened: 0,
        categories: Vec::new(),
        grids: Vec::new(),
        no_grid: 0,
        previous: Comparison {
            from,
            to,
            received: 0,
            change: None,
        },
        year_ago: Comparison {
            from,
            to,
            received: 0,
            change: None,
        },
        weeks: Vec::new(),
        alliances: inputs.alliances.clone(),
        turns_ended: inputs.alliances.iter().map(|a| a.turns_ended).sum(),
        turns_fulfilled: inputs.alliances.iter().map(|a| a.fulfilled).sum(),
        duty_rate: None,
        roster_gaps: inputs.roster_gaps.clone(),
        roster_gap_total: inputs.roster_gaps.iter().map(|g| g.1).sum(),
    };
    f.duty_rate = percent(f.turns_fulfilled, f.turns_ended);

    let mut days = Vec::new();
    let mut rating_sum = 0u32;
    let mut categories: BTreeMap<&str, u32> = BTreeMap::new();
    let mut grids: BTreeMap<&str, u32> = BTreeMap::new();
    let mut cohort = Vec::new();
    for p in inputs
        .petitions
        .iter()
        .filter(|p| in_days(p.received_at, from, to))
    {
        let s = p.at(as_of);
        if s.status == Status::Merged {
            continue;
        }
        cohort.push(p);
        f.received += 1;
        *categories.entry(&p.category).or_default() += 1;
        match &p.grid {
            Some(g) => *grids.entry(g).or_default() += 1,
            None => f.no_grid += 1,
        }
        f.reopened += u32::from(s.reopened);
        match (s.status, s.resolved_at) {
            (Status::Rejected, _) => f.rejected += 1,
            (_, Some(done)) => {
                f.resolved += 1;
                if done <= p.deadline {
                    f.on_time += 1;
                } else {
                    f.late += 1;
                }
                days.push(working_days_between(p.received_at, done, calendar));
            }
            _ => {
                f.open += 1;
                if p.deadline < as_of {
                    f.late += 1;
                }
            }
        }
        if let (true, Some(r @ 1..=5)) = (s.rated, p.rating) {
            f.rated += 1;
            f.ratings[usize::from(r) - 1] += 1;
            rating_sum += u32::from(r);
            f.satisfied += u32::from(r >= 4);
        }
    }
    f.resolution_rate = percent(f.resolved, f.received - f.rejected);
    f.on_time_rate = percent(f.on_time, f.on_time + f.late);
    days.sort_unstable();
    f.handling_days_mean = (!days.is_empty())
        .then(|| round1(days.iter().map(|d| f64::from(*d)).sum::<f64>() / days.len() as f64));
    f.handling_days_median = median(&days);
    f.satisfaction_rate = percent(f.satisfied, f.rated);
    f.rating_mean = (f.rated > 0).then(|| round1(f64::from(rating_sum) / f64::from(f.rated)));

    let rank = |counts: BTreeMap<&str, u32>, names: &HashMap<String, String>| {
        let mut rows: Vec<Ranked> = counts
            .into_iter()
            .map(|(code, count)| Ranked {
                code: code.to_string(),
                name: names.get(code).cloned().unwrap_or_else(|| code.to_string()),
                count,
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        rows
    };
    f.categories = rank(categories, inputs.category_names);
    f.grids = rank(grids, inputs.grid_names);

    let length = (to - from).num_days() + 1;
    let compare = |a: NaiveDate, b: NaiveDate| {
        let received = received_between(inputs.petitions, a, b, inputs.now);
        Comparison {
            from: a,
            to: b,
            received,
            change: (received > 0).then(|| {
                round1((f64::from(f.received) - f64::from(received)) * 100.0 / f64::from(received))
            }),
        }
    };
    f.previous = compare(from - Duration::days(length), from - Duration::days(1));
    f.year_ago = compare(year_before(from), year_before(to));

    let top5: Vec<&str> = f
        .categories
        .iter()
        .take(5)
        .map(|r| r.code.as_str())
        .collect();
    let first_monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let weeks = ((to - first_monday).num_days() / 7 + 1) as usize;
    f.weeks = (0..weeks)
        .map(|w| Week {
            monday: first_monday + Duration::weeks(w as i64),
            total: 0,
            by_category: vec![0; top5.len()],
        })
        .collect();
    // One pass over the cohort into week buckets.
    for p in &cohort {
        let day = p.received_at.with_timezone(&beijing()).date_naive();
        let w = &mut f.weeks[((day - first_monday).num_days() / 7) as usize];
        w.total += 1;
        if let Some(i) = top5.iter().position(|c| *c == p.category) {
            w.by_category[i] += 1;
        }
    }
    f
}

impl Figures {
    /// The headline figures, in the order the screen and the pack show them.
    pub fn kpis(&self) -> Vec<Kpi> {
        let days = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| format!("{v:.1} 个工作日"));
        vec![
            Kpi {
                code: "received",
                label: "收到诉求",
                value: show_count(self.received),
                note: format!(
                    "环比 {}（上期 {}），同比 {}（去年同期 {}）",
                    show_change(self.previous.change),
                    self.previous.received,
                    show_change(self.year_ago.change),
                    self.year_ago.received
                ),
            },
            Kpi {
                code: "resolved",
                label: "已办结",
                value: show_count(self.resolved),
                note: format!("在办 {}，不予受理 {}", self.open, self.rejected),
            },
            Kpi {
                code: "resolution_rate",
                label: "办结率",
                value: show_percent(self.resolution_rate),
                note: format!(
                    "办结 {} ÷（收到 {} − 不予受理 {}）",
                    self.resolved, self.received, self.rejected
                ),
            },
            Kpi {
                code: "on_time_rate",
                label: "按时办结率",
                value: show_percent(self.on_time_rate),
                note: format!("按时 {}，超期 {}（含在办已超期）", self.on_time, self.late),
            },
            Kpi {
                code: "handling_days_mean",
                label: "平均办理时长",
                value: days(self.handling_days_mean),
                note: format!("中位数 {}", days(self.handling_days_median)),
            },
            Kpi {
                code: "satisfaction_rate",
                label: "满意率",
                value: show_percent(self.satisfaction_rate),
                note: format!(
                    "{} 件评价中 4–5 星 {} 件，平均 {} 星",
                    self.rated,
                    self.satisfied,
                    self.rating_mean
                        .map_or_else(|| "—".into(), |v| format!("{v:.1}"))
                ),
            },
            Kpi {
                code: "reopened",
                label: "退回重办",
                value: show_count(self.reopened),
                note: "本期诉求中被退回重办的件数".into(),
            },
            Kpi {
                code: "duty_rate",
                label: "轮值履职率",
                value: show_percent(self.duty_rate),
                note: format!(
                    "已结束轮次 {}，有活动 {}",
                    self.turns_ended, self.turns_fulfilled
                ),
            },
            Kpi {
                code: "roster_gaps",
                label: "名册缺口",
                value: show_count(self.roster_gap_total),
                note: "当前名册中缺岗之处（不随期间变化）".into(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::sla::EveryDay;
    use chrono::TimeZone;

    fn at(d: &str, h: u32) -> DateTime<Utc> {
        let day = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        beijing_day_start(day) + Duration::hours(i64::from(h))
    }

    fn petition(
        received: &str,
        deadline: &str,
        steps: &[(&str, Status)],
        rating: Option<u8>,
    ) -> PetitionRecord {
        PetitionRecord {
            received_at: at(received, 9),
            deadline: at(deadline, 24) - Duration::seconds(1),
            category: "env".into(),
            grid: Some("G1".into()),
            rating,
            steps: steps
                .iter()
                .map(|(d, s)| Step {
                    at: at(d, 10),
                    status: *s,
                    reopen: false,
                })
                .collect(),
        }
    }

    fn run(petitions: &[PetitionRecord], now: DateTime<Utc>) -> Figures {
        let names = HashMap::new();
        figures(
            &Inputs {
                from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(),
                now,
                petitions,
                category_names: &names,
                grid_names: &names,
                alliances: vec![],
                roster_gaps: vec![],
            },
            &EveryDay,
        )
    }

    #[test]
    fn the_period_is_seen_as_it_stood_at_its_end() {
        use Status::*;
        let ps = vec![
            // On time, rated 5.
            petition(
                "2026-11-02",
                "2026-11-05",
                &[
                    ("2026-11-02", Accepted),
                    ("2026-11-03", Resolved),
                    ("2026-11-04", Rated),
                ],
                Some(5),
            ),
            // Resolved late.
            petition(
                "2026-11-02",
                "2026-11-03",
                &[("2026-11-06", Resolved)],
                None,
            ),
            // Open and past its deadline: late.
            petition(
                "2026-11-03",
                "2026-11-04",
                &[("2026-11-03", InProgress)],
                None,
            ),
            // Open within its deadline: not judged.
            petition("2026-11-08", "2026-11-12", &[], None),
            // Resolved only after the period ended: open at its end.
            petition(
                "2026-11-04",
                "2026-11-20",
                &[("2026-11-10", Resolved)],
                None,
            ),
            // Rejected.
            petition(
                "2026-11-05",
                "2026-11-09",
                &[("2026-11-05", Rejected)],
                None,
            ),
            // Merged into another: not counted.
            petition("2026-11-05", "2026-11-09", &[("2026-11-05", Merged)], None),
            // Outside the period: the week before (环比).
            petition("2026-10-30", "2026-11-02", &[], None),
        ];
        let f = run(&ps, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!((f.received, f.rejected, f.resolved, f.open), (6, 1, 2, 3));
        assert_eq!(f.resolution_rate, Some(40.0));
        assert_eq!((f.on_time, f.late), (1, 2));
        assert_eq!(f.on_time_rate, Some(33.3));
        assert_eq!(
            (f.handling_days_mean, f.handling_days_median),
            (Some(2.5), Some(2.5))
        );
        assert_eq!(
            (f.rated, f.satisfied, f.satisfaction_rate),
            (1, 1, Some(100.0))
        );
        assert_eq!(f.previous.received, 1);
        assert_eq!(f.previous.change, Some(500.0));
        assert_eq!(f.year_ago.change, None);
        assert_eq!(f.weeks.len(), 1);
        assert_eq!(f.weeks[0].total, 6);
        let kpis = f.kpis();
        assert_eq!(kpis[2].value, "40.0%");
        assert_eq!(kpis[3].value, "33.3%");
    }

    #[test]
    fn a_reopened_petition_is_resolved_again_only_by_its_last_resolution() {
        use Status::*;
        let mut p = petition(
            "2026-11-02",
            "2026-11-05",
            &[
                ("2026-11-03", Resolved),
                ("2026-11-04", Rated),
                ("2026-11-06", Resolved),
            ],
            Some(2),
        );
        p.steps.insert(
            2,
            Step {
                at: at("2026-11-05", 10),
                status: InProgress,
                reopen: true,
            },
        );
        let f = run(&[p], Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!((f.resolved, f.reopened, f.on_time, f.late), (1, 1, 0, 1));
        assert_eq!(f.handling_days_mean, Some(4.0));
        // Sent back after its rating and resolved again, not yet rated again: not counted as rated.
        assert_eq!((f.rated, f.satisfied), (0, 0));
    }

    #[test]
    fn a_year_before_29_february_is_28_february() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(year_before(d("2028-02-29")), d("2027-02-28"));
        assert_eq!(year_before(d("2026-12-07")), d("2025-12-07"));
    }

    #[test]
    fn working_days_skip_days_off() {
        let cal = crate::petitions::sla::working_calendar();
        // Received Wednesday 2026-09-30, resolved Sunday 2026-10-11: the holiday of 1–7 October is not counted;
        // Thursday 8, Friday 9 and the make-up Saturday 10 October are.
        assert_eq!(
            working_days_between(at("2026-09-30", 9), at("2026-10-11", 9), cal),
            3
        );
        assert_eq!(
            working_days_between(at("2026-11-02", 9), at("2026-11-02", 20), cal),
            0
        );
    }
}
