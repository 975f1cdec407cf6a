//! The rotation as iCalendar (RFC 5545), for the calendar clients member units already use.
//!
//! Each turn is an all-day event (`DTSTART;VALUE=DATE`, exclusive `DTEND`, RFC 5545 §3.6.1). Its UID names the
//! alliance and the turn's first day, not the unit on duty: a turn swapped to another unit keeps its UID, so a
//! client that imports the re-exported file updates the event instead of adding a second one; `SEQUENCE`
//! carries the turn's version (§3.8.7.4). The calendar says Asia/Shanghai (`X-WR-TIMEZONE`); all-day dates
//! have no time zone of their own. The text is written by the `icalendar` crate (escaping, folding, CRLF).

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use uuid::Uuid;

/// One turn as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyEvent {
    /// The alliance.
    pub alliance_id: Uuid,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day (included).
    pub ends_on: NaiveDate,
    /// The title, e.g. `值班：高台县财政局（东关“1+X”区域化党建联盟）`.
    pub summary: String,
    /// Longer text.
    pub description: String,
    /// The turn's version; a changed turn gets a higher SEQUENCE.
    pub sequence: u32,
}

/// The stable UID of an alliance's turn starting on `starts_on`.
pub fn turn_uid(alliance_id: Uuid, starts_on: NaiveDate) -> String {
    format!(
        "duty-{alliance_id}-{}@chengguan.gaotai",
        starts_on.format("%Y%m%d")
    )
}

/// The events as one iCalendar text; `stamp` is the DTSTAMP of every event (the time of the export).
pub fn write(name: &str, events: &[DutyEvent], stamp: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name).timezone("Asia/Shanghai");
    for e in events {
        let end = e
            .ends_on
            .checked_add_days(Days::new(1))
            .unwrap_or(e.ends_on);
        calendar.push(
            Event::new()
                .uid(&turn_uid(e.alliance_id, e.starts_on))
                .timestamp(stamp)
                .sequence(e.sequence)
                .summary(&e.summary)
                .description(&e.description)
                .starts(e.starts_on)
                .ends(end)
                .add_property("TRANSP", "TRANSPARENT")
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_is_an_all_day_event_with_a_uid_that_ignores_the_unit() {
        let e = DutyEvent {
            alliance_id: Uuid::from_u128(7),
            starts_on: "2027-01-04".parse().unwrap(),
            ends_on: "2027-01-10".parse().unwrap(),
            summary: "值班：高台县财政局".into(),
            description: "东关“1+X”区域化党建联盟, 第1周; 联系人".into(),
            sequence: 2,
        };
        let text = write(
            "东关联盟轮值",
            &[e],
            "2026-12-07T00:00:00Z".parse().unwrap(),
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20270104\r\n"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20270111\r\n"));
        assert!(text
            .contains("UID:duty-00000000-0000-0000-0000-000000000007-20270104@chengguan.gaotai"));
        assert!(text.contains("SEQUENCE:2"));
        assert!(text.contains("X-WR-TIMEZONE:Asia/Shanghai"));
        assert!(text.contains(r"第1周\; 联系人"), "text is escaped: {text}");
    }
}
