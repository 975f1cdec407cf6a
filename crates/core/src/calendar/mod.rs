//! Calendars: the Chinese working calendar ([`holidays`]), the alliances' rotation ([`rotation`]) and its
//! iCalendar export ([`ics`]).

pub mod holidays;
pub mod ics;
pub mod rotation;

pub use holidays::{CalendarError, HolidayCalendar, NoticeDay, NoticeKind};
