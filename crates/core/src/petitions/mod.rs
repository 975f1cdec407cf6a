//! Residents' petitions and reports (诉求): how they arrive, how they are numbered, and the handling workflow
//! (网格发现、社区呼叫、分级响应、协同处置; residents see progress and rate the result).
//!
//! - [`workflow`]: the states, the actions, and which action is legal in which state.
//! - [`sla`]: deadlines in working days per category and level, and the on-time rate.
//! - [`taxonomy`]: the default categories with their stable codes.

mod locate;
pub mod sla;
pub mod taxonomy;
pub mod workflow;

use crate::vocabulary::vocabulary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use locate::{grid_of, GridIndex};
use workflow::{Level, Status};

/// A petition as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Petition {
    /// Identifier.
    pub id: Uuid,
    /// Its number (assigned by the store when the petition is first written).
    pub number: PetitionNumber,
    /// How it arrived.
    pub channel: Channel,
    /// Category code (see [`taxonomy`]).
    pub category: String,
    /// What the resident reports.
    pub description: String,
    /// Where, WGS-84 `[lon, lat]`, if a point was given.
    pub location: Option<[f64; 2]>,
    /// The coordinate system the point arrived in (`wgs84`, `gcj02`, `bd09`).
    pub arrived_crs: String,
    /// Address as given.
    pub address: String,
    /// The grid found by point-in-grid (or set by a duty officer).
    pub grid_code: Option<String>,
    /// The reason a duty officer gave for setting the grid by hand.
    pub grid_override_reason: Option<String>,
    /// Reporter's name (personal data).
    pub reporter_name: String,
    /// Reporter's phone (personal data).
    pub reporter_phone: String,
    /// Workflow status.
    pub status: Status,
    /// Level it is handled at, once assigned.
    pub level: Option<Level>,
    /// Who handles it (a person, an organisation or an alliance member unit), as text.
    pub assignee: Option<String>,
    /// Deadline.
    pub deadline: DateTime<Utc>,
    /// The resident's rating, 1–5.
    pub rating: Option<u8>,
    /// The resident's comment with the rating.
    pub rating_comment: Option<String>,
    /// The petition a duplicate was merged into.
    pub merged_into: Option<Uuid>,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// When it was resolved, refused or merged.
    pub closed_at: Option<DateTime<Utc>>,
    /// Row version for optimistic concurrency.
    pub version: i64,
    /// A photo or recording sent with it (the mini-program's `media_url`).
    pub media_url: Option<String>,
    /// When it last changed (registered, or its latest step).
    pub updated_at: DateTime<Utc>,
    /// Reporter's e-mail address, if one was sent (personal data; never shown to the public).
    pub reporter_email: String,
    /// The sending device's id, if the mini-program sent one (personal data).
    pub reporter_device: String,
}

/// One step of a petition's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PetitionEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (user name).
    pub actor: String,
    /// What, in Chinese (e.g. `受理`).
    pub action: String,
    /// The status after it.
    pub status_after: String,
    /// The note given.
    pub note: String,
}

vocabulary! {
    /// How a petition arrived.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Channel as "CHANNEL" {
        /// 随手拍: a photo report from the "惠民高台" mini-program.
        MiniprogramPhoto = ("miniprogram_photo", "随手拍"),
        /// 一键呼叫: the mini-program's one-key call.
        OneKeyCall = ("one_key_call", "一键呼叫"),
        /// 12345热线.
        Hotline = ("hotline", "12345热线"),
        /// 网格发现: found by a grid worker on patrol.
        GridPatrol = ("grid_patrol", "网格发现"),
        /// 来访: a walk-in at the community or the command center.
        WalkIn = ("walk_in", "来访"),
        /// 社工委/议事会: raised at the social-work committee or a residents' council.
        Council = ("council", "社工委/议事会"),
        /// 周五说事日: the Friday talk day.
        FridayTalk = ("friday_talk", "周五说事日"),
    }
}

impl Channel {
    /// The channels a duty officer registers at the desk (the others arrive through the intake or an import).
    pub const AT_THE_DESK: [Channel; 4] = [
        Channel::Hotline,
        Channel::WalkIn,
        Channel::GridPatrol,
        Channel::OneKeyCall,
    ];
}

/// A petition's number as read over the phone: `GT-2026-000123` (county prefix, year, sequence in the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PetitionNumber {
    /// The year it was received.
    pub year: i32,
    /// Its sequence within the year, from 1.
    pub sequence: u32,
}

/// The prefix of every number: 高台 (GaoTai).
pub const NUMBER_PREFIX: &str = "GT";

impl std::fmt::Display for PetitionNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{NUMBER_PREFIX}-{:04}-{:06}", self.year, self.sequence)
    }
}

impl std::str::FromStr for PetitionNumber {
    type Err = String;

    /// Reads `GT-2026-000123`, also typed in lower case or without the zeros (`gt-2026-123`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad =
            || format!("诉求编号「{s}」无效，应为 {NUMBER_PREFIX}-年份-序号，如 GT-2026-000123");
        let mut parts = s.trim().split('-');
        let (Some(prefix), Some(year), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if !prefix.eq_ignore_ascii_case(NUMBER_PREFIX) || year.len() != 4 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let sequence: u32 = seq.parse().map_err(|_| bad())?;
        if sequence == 0 || sequence > 999_999 {
            return Err(bad());
        }
        Ok(Self { year, sequence })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_and_parse() {
        let n = PetitionNumber {
            year: 2026,
            sequence: 123,
        };
        assert_eq!(n.to_string(), "GT-2026-000123");
        assert_eq!("GT-2026-000123".parse::<PetitionNumber>(), Ok(n));
        assert_eq!(" gt-2026-123 ".parse::<PetitionNumber>(), Ok(n));
        for bad in [
            "GT-26-1",
            "XX-2026-000001",
            "GT-2026-000000",
            "GT-2026",
            "GT-2026-1-2",
            "GT-2026-abc",
        ] {
            assert!(bad.parse::<PetitionNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn channel_codes_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
    }
}
