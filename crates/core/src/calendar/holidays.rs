//! The Chinese working calendar: public holidays (放假) and make-up workdays (调休上班) as the State Council
//! General Office announces them each year, and working-day arithmetic over them.
//!
//! A working day is Monday–Friday unless the year's notice gives it off, or Saturday/Sunday when the notice
//! makes it a make-up workday. The notices for 2020–2026 are built in (`crates/core/data/holidays.csv`); a new
//! year's notice is added as data ([`parse_notices`], [`parse_ics`]) without a new release.
//!
//! A year whose notice is not loaded is *unknown*: [`HolidayCalendar::day`] and the arithmetic return
//! [`CalendarError::MissingYear`] rather than guessing. Only deadlines, which must be computed whenever a
//! petition arrives, fall back to Monday–Friday for such a year ([`WorkCalendar`] impl); the app reports the
//! missing year wherever deadlines are shown.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::petitions::sla::WorkCalendar;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// What a notice says of a day.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NoticeKind as "NOTICE_KIND" {
        /// A day off of a public holiday (放假), weekends within the holiday included.
        DayOff = ("day_off", "休"),
        /// A make-up workday (调休上班) on a Saturday or Sunday.
        MakeUpWorkday = ("make_up_workday", "班"),
    }
}

/// One day named by a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDay {
    /// The day.
    pub date: NaiveDate,
    /// The year of the notice that names it (2022-12-31 belongs to the 2023 notice's 元旦).
    pub year: i32,
    /// Day off or make-up workday.
    pub kind: NoticeKind,
    /// The festival, e.g. `国庆节` or `国庆节、中秋节`.
    pub festival: String,
}

/// Why the calendar cannot answer, or a notice cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No notice is loaded for the year: its days off are unknown, never silently taken as working days.
    #[error("{0} 年的放假安排尚未导入：请用 `chengguan calendar holidays import` 导入国务院办公厅当年的通知")]
    MissingYear(i32),
    /// A line of a notice file is malformed; `line` counts from 1.
    #[error("第 {line} 行：{problem}")]
    Line {
        /// The line, from 1.
        line: usize,
        /// What is wrong, in Chinese.
        problem: String,
    },
    /// The file as a whole cannot be used.
    #[error("{0}")]
    File(String),
}

/// The years a person may load: from the first notices of this form to a generous future.
const YEARS: std::ops::RangeInclusive<i32> = 1999..=2200;

/// The most days a notice period may span: the longest real one (2020's extended Spring Festival) is 10.
const LONGEST_PERIOD: i64 = 31;

/// Public holidays and make-up workdays, by day, for the years whose notices are loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, NoticeDay>,
    years: BTreeSet<i32>,
}

/// One day as the calendar sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay<'a> {
    /// Whether it is a working day.
    pub working: bool,
    /// What the notice says of it, if it names it.
    pub notice: Option<&'a NoticeDay>,
}

impl HolidayCalendar {
    /// The notices built into this release (2020–2026).
    pub fn built_in() -> &'static HolidayCalendar {
        static BUILT_IN: OnceLock<HolidayCalendar> = OnceLock::new();
        BUILT_IN.get_or_init(|| {
            let days = parse_notices(include_str!("../../data/holidays.csv"))
                .expect("the built-in holiday data parses");
            HolidayCalendar::default().with_notices(days)
        })
    }

    /// This calendar with `days` replacing the notices of every year they name: a year's notice is loaded
    /// whole, so a corrected notice removes days the old one had.
    pub fn with_notices(&self, days: Vec<NoticeDay>) -> HolidayCalendar {
        let years: BTreeSet<i32> = days.iter().map(|d| d.year).collect();
        let mut out = self.clone();
        out.days.retain(|_, d| !years.contains(&d.year));
        out.years.extend(years);
        for d in days {
            out.days.insert(d.date, d);
        }
        out
    }

    /// The years whose notices are loaded.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// True when the year's notice is loaded.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The days a year's notice names, in date order.
    pub fn notice(&self, year: i32) -> Result<Vec<&NoticeDay>, CalendarError> {
        if !self.covers(year) {
            return Err(CalendarError::MissingYear(year));
        }
        Ok(self.days.values().filter(|d| d.year == year).collect())
    }

    /// Every day the loaded notices name, in date order.
    pub fn all_days(&self) -> impl Iterator<Item = &NoticeDay> {
        self.days.values()
    }

    /// What the calendar knows of `date`.
    pub fn day(&self, date: NaiveDate) -> Result<CalendarDay<'_>, CalendarError> {
        let notice = self.days.get(&date);
        // A day named by a loaded notice is known even when its calendar year is not (2022-12-31 of the 2023
        // notice); any other day needs its own year's notice.
        if notice.is_none() && !self.covers(date.year()) {
            return Err(CalendarError::MissingYear(date.year()));
        }
        let working = match notice.map(|d| d.kind) {
            Some(NoticeKind::DayOff) => false,
            Some(NoticeKind::MakeUpWorkday) => true,
            None => !is_weekend(date),
        };
        Ok(CalendarDay { working, notice })
    }

    /// True when `date` is a working day.
    pub fn is_working(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day(date)?.working)
    }

    /// The `n`-th working day after `from` (`from` itself does not count; `n = 0` gives `from`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = next_day(day)?;
            if self.is_working(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The working days after `from` up to and including `to`; 0 when `to` is not after `from`.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = next_day(day)?;
            if self.is_working(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// Deadlines must be computed whenever a petition arrives, so a year without a notice counts Monday–Friday
/// here (the one place that guesses); [`HolidayCalendar::covers`] tells the app to say so.
impl WorkCalendar for HolidayCalendar {
    fn is_working_day(&self, day: NaiveDate) -> bool {
        self.is_working(day).unwrap_or(!is_weekend(day))
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(day: NaiveDate) -> Result<NaiveDate, CalendarError> {
    day.checked_add_days(Days::new(1))
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or(CalendarError::MissingYear(day.year() + 1))
}

/// Reads notices in the documented CSV form (docs/calendars.md): a header `年份,节日,类型,开始,结束`, then one
/// period per line, e.g. `2026,国庆节,休,2026-10-01,2026-10-07`; `#` starts a comment line. The type is `休`
/// (or `day_off`) or `班` (or `make_up_workday`); both dates are included.
pub fn parse_notices(text: &str) -> Result<Vec<NoticeDay>, CalendarError> {
    let mut days = Vec::new();
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let bad = |problem: String| CalendarError::Line { line, problem };
        let trimmed = raw.trim_start_matches('\u{feff}').trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.contains('\0') {
            return Err(bad("含有不可见的空字符（NUL）".into()));
        }
        let cells: Vec<&str> = trimmed.split([',', '，', '\t']).map(str::trim).collect();
        if !header_seen {
            header_seen = true;
            if cells.first().is_some_and(|c| *c == "年份" || *c == "year") {
                continue;
            }
        }
        let [year, festival, kind, start, end] = cells[..] else {
            return Err(bad(format!(
                "应有 5 列（年份,节日,类型,开始,结束），实有 {} 列",
                cells.len()
            )));
        };
        let year: i32 = year
            .parse()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or_else(|| bad(format!("年份「{year}」不是 1999–2200 之间的年份")))?;
        if festival.is_empty() || festival.chars().count() > 20 {
            return Err(bad("节日名称应为 1–20 个字".into()));
        }
        let kind = match kind {
            "休" | "放假" => NoticeKind::DayOff,
            "班" | "上班" => NoticeKind::MakeUpWorkday,
            other => NoticeKind::from_code(other)
                .ok_or_else(|| bad(format!("类型「{other}」应为「休」或「班」")))?,
        };
        let date = |text: &str| {
            crate::time::parse_day(text).map_err(|e| bad(format!("日期「{text}」无法识别：{e}")))
        };
        let (start, end) = (date(start)?, date(end)?);
        period(&mut days, year, festival, kind, start, end).map_err(bad)?;
    }
    check_notice(&days)?;
    Ok(days)
}

/// Reads the `.ics` of common Chinese holiday calendars (e.g. the npm package `chinese-days`): all-day events
/// whose summary ends in `(休)` or `(班)`, such as `国庆节(休)`. Each event belongs to the notice of the year
/// its last day falls in. The iCalendar itself is parsed by the `icalendar` crate.
pub fn parse_ics(text: &str) -> Result<Vec<NoticeDay>, CalendarError> {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

    let calendar: Calendar = text
        .parse()
        .map_err(|e| CalendarError::File(format!("不是可读的 iCalendar 文件：{e}")))?;
    let mut events = Vec::new();
    for (n, component) in calendar.components.iter().enumerate() {
        let CalendarComponent::Event(event) = component else {
            continue;
        };
        let bad = |problem: String| CalendarError::File(format!("第 {} 个事件：{problem}", n + 1));
        let summary = event.get_summary().unwrap_or_default().trim();
        let (festival, kind) = if let Some(f) = summary
            .strip_suffix("(休)")
            .or_else(|| summary.strip_suffix("（休）"))
        {
            (f, NoticeKind::DayOff)
        } else if let Some(f) = summary
            .strip_suffix("(班)")
            .or_else(|| summary.strip_suffix("（班）"))
        {
            (f, NoticeKind::MakeUpWorkday)
        } else {
            return Err(bad(format!(
                "标题「{}」应以「(休)」或「(班)」结尾",
                summary.chars().take(40).collect::<String>()
            )));
        };
        let start = match event.get_start() {
            Some(DatePerhapsTime::Date(d)) => d,
            _ => return Err(bad("应为全天事件（DTSTART;VALUE=DATE）".into())),
        };
        // RFC 5545 §3.6.1: an all-day event's DTEND is exclusive; without one it lasts one day.
        let end = match event.get_end() {
            Some(DatePerhapsTime::Date(d)) => d.pred_opt().unwrap_or(d),
            None => start,
            Some(_) => return Err(bad("DTEND 应为日期（VALUE=DATE）".into())),
        };
        for d in [start, end] {
            if !YEARS.contains(&d.year()) {
                return Err(bad(format!("日期 {d} 超出 1999–2200 年")));
            }
        }
        events.push((n, festival.trim().to_string(), kind, start, end));
    }
    // Which notice an event belongs to: a holiday, the year of its last day (元旦 2023 begins on 2022-12-31);
    // a make-up workday, that of the nearest holiday of the same festival (2018-12-29 worked for 元旦 2019).
    let holidays: Vec<(String, NaiveDate)> = events
        .iter()
        .filter(|e| e.2 == NoticeKind::DayOff)
        .map(|e| (e.1.clone(), e.4))
        .collect();
    let mut days = Vec::new();
    for (n, festival, kind, start, end) in &events {
        let year = match kind {
            NoticeKind::DayOff => end.year(),
            NoticeKind::MakeUpWorkday => holidays
                .iter()
                .filter(|(f, _)| f == festival)
                .min_by_key(|(_, last)| (*last - *start).num_days().abs())
                .map_or(end.year(), |(_, last)| last.year()),
        };
        period(&mut days, year, festival, *kind, *start, *end)
            .map_err(|p| CalendarError::File(format!("第 {} 个事件：{p}", n + 1)))?;
    }
    if days.is_empty() {
        return Err(CalendarError::File("文件里没有放假或调休事件".into()));
    }
    check_notice(&days)?;
    Ok(days)
}

fn period(
    days: &mut Vec<NoticeDay>,
    year: i32,
    festival: &str,
    kind: NoticeKind,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<(), String> {
    if festival.is_empty() {
        return Err("节日名称为空".into());
    }
    crate::text::check(festival, 20, false).map_err(|e| {
        format!(
            "节日名称「{}」：{e}",
            festival.chars().take(20).collect::<String>()
        )
    })?;
    if end < start {
        return Err(format!("结束日 {end} 早于开始日 {start}"));
    }
    if (end - start).num_days() >= LONGEST_PERIOD {
        return Err(format!(
            "{start} 至 {end} 超过 {LONGEST_PERIOD} 天，不像一次放假安排"
        ));
    }
    if (start.year() - year).abs() > 1 || (end.year() - year).abs() > 1 {
        return Err(format!("{start} 至 {end} 不在 {year} 年前后"));
    }
    if kind == NoticeKind::MakeUpWorkday {
        if let Some(d) = start
            .iter_days()
            .take_while(|d| *d <= end)
            .find(|d| !is_weekend(*d))
        {
            return Err(format!("调休上班日 {d} 不是周六或周日"));
        }
    }
    for date in start.iter_days().take_while(|d| *d <= end) {
        days.push(NoticeDay {
            date,
            year,
            kind,
            festival: festival.to_string(),
        });
    }
    Ok(())
}

/// A day may be named once: a file that gives one day both off and at work is refused, naming the day.
fn check_notice(days: &[NoticeDay]) -> Result<(), CalendarError> {
    let mut seen: BTreeMap<NaiveDate, &NoticeDay> = BTreeMap::new();
    for d in days {
        if let Some(before) = seen.insert(d.date, d) {
            return Err(CalendarError::File(format!(
                "{} 出现了两次（{}{}、{}{}）",
                d.date,
                before.festival,
                before.kind.label(),
                d.festival,
                d.kind.label()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn national_day_2026_is_off_and_its_saturdays_work() {
        let cal = HolidayCalendar::built_in();
        assert!(!cal.is_working(d("2026-10-05")).unwrap());
        assert!(
            cal.is_working(d("2026-10-10")).unwrap(),
            "a Saturday make-up workday"
        );
        assert!(
            cal.is_working(d("2026-09-20")).unwrap(),
            "a Sunday make-up workday"
        );
        assert!(
            !cal.is_working(d("2026-10-11")).unwrap(),
            "an ordinary Sunday"
        );
        // 2026-09-30 (Wed) + 1 working day skips the whole week to Thursday 10-08.
        assert_eq!(
            cal.add_working_days(d("2026-09-30"), 1).unwrap(),
            d("2026-10-08")
        );
        assert_eq!(
            cal.working_days_between(d("2026-09-30"), d("2026-10-10"))
                .unwrap(),
            3
        );
    }

    #[test]
    fn a_year_without_a_notice_is_reported_not_guessed() {
        let cal = HolidayCalendar::built_in();
        assert_eq!(
            cal.is_working(d("2027-03-01")),
            Err(CalendarError::MissingYear(2027))
        );
        assert_eq!(
            cal.add_working_days(d("2026-12-30"), 5),
            Err(CalendarError::MissingYear(2027))
        );
        assert!(cal.notice(2019).is_err());
        // Deadlines alone fall back to Monday–Friday.
        assert!(WorkCalendar::is_working_day(cal, d("2027-03-01")));
        assert!(!WorkCalendar::is_working_day(cal, d("2027-03-06")));
    }

    #[test]
    fn a_new_notice_replaces_its_year_whole() {
        let cal = HolidayCalendar::built_in().with_notices(
            parse_notices("年份,节日,类型,开始,结束\n2027,元旦,休,2027-01-01,2027-01-01\n")
                .unwrap(),
        );
        assert!(cal.covers(2027));
        assert!(!cal.is_working(d("2027-01-01")).unwrap());
        let corrected =
            cal.with_notices(parse_notices("2026,国庆节,休,2026-10-01,2026-10-03\n").unwrap());
        assert!(
            corrected.is_working(d("2026-10-05")).unwrap(),
            "the old 2026 days are gone"
        );
        assert!(corrected.covers(2027));
    }

    #[test]
    fn malformed_notices_name_the_line() {
        let err = |t: &str| parse_notices(t).unwrap_err().to_string();
        assert!(err("年份,节日,类型,开始,结束\n2027,元旦,休,2027-01-01\n").starts_with("第 2 行"));
        assert!(err("2027,元旦,歇,2027-01-01,2027-01-01").contains("「歇」"));
        assert!(err("2027,元旦,休,2027-01-03,2027-01-01").contains("早于"));
        assert!(err("2027,元旦,班,2027-01-04,2027-01-04").contains("不是周六或周日"));
        assert!(err("262142,元旦,休,2027-01-01,2027-01-01").contains("262142"));
        assert!(err("2027,元旦,休,262142-01-01,262142-01-01").contains("262142"));
        assert!(err("2027,元\0旦,休,2027-01-01,2027-01-01").contains("NUL"));
        assert!(err("2027,元旦,休,2027-01-01,2027-12-31").contains("超过"));
        assert!(
            err("2027,元旦,休,2027-01-02,2027-01-02\n2027,春节,班,2027-01-02,2027-01-02")
                .contains("两次")
        );
    }

    #[test]
    fn the_built_in_years_are_2020_to_2026() {
        let cal = HolidayCalendar::built_in();
        assert_eq!(
            cal.years().collect::<Vec<_>>(),
            (2020..=2026).collect::<Vec<_>>()
        );
        // 2022-12-31 is the 2023 notice's 元旦.
        let nye = cal.day(d("2022-12-31")).unwrap().notice.unwrap();
        assert_eq!((nye.year, nye.festival.as_str()), (2023, "元旦"));
    }
}
