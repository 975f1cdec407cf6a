//! Beijing time (UTC+8, no daylight saving), the time every screen, deadline and petition number uses.

use chrono::{DateTime, Datelike, FixedOffset, Utc};

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
}
