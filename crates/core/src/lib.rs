//! # chengguan-core
//!
//! The domain of the 城关镇智慧治理指挥中心 and its algorithms. Pure: no database, no files, no network.
//!
//! A tour:
//! - [`town`]: the five-level chain town → community → grid → party branch → compound (小区) → building (楼栋)
//!   → unit (单元), the organisations of the "1+X" alliances and the service points.
//! - [`people`]: people and the role assignments that tie them to the level they serve.
//! - [`geo`]: coordinate systems (WGS-84, GCJ-02, BD-09), GeoJSON reading and writing (RFC 7946), and the
//!   tiling check (overlaps, gaps, contiguity) used on grid boundaries.
//! - [`demo`]: the deterministic synthetic demo town that reproduces the numbers of the seed report.
//! - [`calendar`]: the State Council's holidays and make-up workdays, working-day arithmetic, the alliances'
//!   rotation and its iCalendar export.
//! - [`census`]: the counts that `chengguan status` reports; [`figures`]: the key figures of a period, defined
//!   once for the briefing screen, the pack and the overview.
//! - [`petitions`]: residents' petitions: channels, numbers, the handling workflow, deadlines, categories.
//! - [`backup`]: which automatic backups to keep (7 daily, 4 weekly, 12 monthly).
//! - [`access`]: user roles, permissions and the password policy; [`audit`]: the hash-chained audit log.
//! - [`text`]: limits and allowed characters of typed text, XML-safe text, contacts blanked for the public.
//! - [`time`]: Beijing time and the range of dates a person may type (1900–2200).

pub mod access;
pub mod analysis;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod census;
pub mod demo;
pub mod figures;
pub mod geo;
pub mod people;
pub mod petitions;
pub mod text;
pub mod time;
pub mod town;
pub mod vocabulary;

pub use uuid::Uuid;

/// A new time-ordered identifier (UUID v7), as every row of the town uses.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
