//! Calendars: the Chinese working calendar ([`holidays`]), the alliances' rotation ([`rotation`]), its
//! iCalendar export ([`ics`]), and the secretaries' review of the member units ([`review`]).

pub mod holidays;
pub mod ics;
pub mod review;
pub mod rotation;
pub mod shifts;

pub use holidays::{CalendarError, HolidayCalendar, NoticeDay, NoticeKind};
