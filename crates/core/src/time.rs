//! Beijing time (UTC+8, no daylight saving), the time every screen, deadline and petition number uses.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// The first year a typed date may name. Petitions, duty days and audit entries all fall well inside
/// 1900–2200; anything outside is a typing error, refused before it reaches date arithmetic (chrono panics on
/// overflow near its own limits, year ±262,143).
pub const FIRST_YEAR: i32 = 1900;
/// The last year a typed date may name.
pub const LAST_YEAR: i32 = 2200;

/// Why a typed day was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DayError {
    /// Not `YYYY-MM-DD`, or no such day (`2026-02-30`).
    #[error("「{0}」无效，应为 YYYY-MM-DD")]
    Malformed(String),
    /// A real day, but outside [`FIRST_YEAR`]–[`LAST_YEAR`].
    #[error("「{0}」超出范围，年份应在 1900–2200 之间")]
    OutOfRange(String),
}

/// A typed calendar day, `YYYY-MM-DD`, within [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn parse_day(text: &str) -> Result<NaiveDate, DayError> {
    let text = text.trim();
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| DayError::Malformed(text.to_string()))?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        return Err(DayError::OutOfRange(text.to_string()));
    }
    Ok(day)
}

/// True when `at` falls within the Beijing years [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn in_range(at: DateTime<Utc>) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&beijing_year(at))
}

/// The instant (UTC) Beijing day `day` begins. Total: there is no daylight saving in UTC+8, and days from
/// [`parse_day`] are far from chrono's limits.
pub fn beijing_day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .checked_sub_signed(chrono::TimeDelta::hours(8))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The UTC+8 offset.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The Beijing calendar year of an instant (a petition received at 2026-12-31 17:00 UTC is a 2027 petition).
pub fn beijing_year(at: DateTime<Utc>) -> i32 {
    at.with_timezone(&beijing()).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_turns_at_beijing_midnight() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(beijing_year(t("2026-12-31T15:59:59Z")), 2026);
        assert_eq!(beijing_year(t("2026-12-31T16:00:00Z")), 2027);
    }

    #[test]
    fn r11_days_outside_1900_to_2200_are_refused() {
        assert!(parse_day("2026-12-07").is_ok());
        assert!(
            parse_day(" 1900-01-01 ").is_ok(),
            "the first year is allowed"
        );
        assert!(parse_day("2200-12-31").is_ok(), "the last year is allowed");
        for far in [
            "+262142-12-31",
            "-262143-01-01",
            "1899-12-31",
            "2201-01-01",
            "99999-01-01",
        ] {
            assert!(
                matches!(
                    parse_day(far),
                    Err(DayError::OutOfRange(_) | DayError::Malformed(_))
                ),
                "{far} must be refused"
            );
        }
        assert_eq!(
            parse_day("2201-01-01"),
            Err(DayError::OutOfRange("2201-01-01".into()))
        );
        assert_eq!(
            parse_day("2026-02-30"),
            Err(DayError::Malformed("2026-02-30".into()))
        );
        assert!(
            parse_day("2026-01-01\0").is_err(),
            "a NUL byte is not a day"
        );
    }

    #[test]
    fn a_beijing_day_begins_at_16_utc_the_day_before() {
        let day = parse_day("2027-01-01").unwrap();
        assert_eq!(
            beijing_day_start(day).to_rfc3339(),
            "2026-12-31T16:00:00+00:00"
        );
        assert_eq!(beijing_year(beijing_day_start(day)), 2027);
    }
}
