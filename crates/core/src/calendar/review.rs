//! The secretaries' review of the member units (评星定级): what each unit did on its turns, and a star rating
//! from a transparent 100-point score whose every part is shown (docs/calendars.md, "The review").
//!
//! | part | points | full marks when |
//! |---|---|---|
//! | 履职 turns fulfilled | 40 × fulfilled ÷ turns ended | every ended turn has an activity |
//! | 活动 activities | 20 × min(1, activities ÷ (2 × turns ended)) | two activities a turn |
//! | 时长 hours | 15 × min(1, hours ÷ (8 × turns ended)) | eight hours a turn |
//! | 诉求 petitions handled | 10 × min(1, petitions ÷ turns ended) | one petition a turn |
//! | 满意 satisfaction | 15 × share of the rated petitions rated 4–5 | all rated 4–5 (none rated: 0) |
//!
//! Stars: 90 and above ★★★★★, 75 ★★★★, 60 ★★★, 40 ★★, above 0 ★; a unit with no ended turn is not rated.

use serde::{Deserialize, Serialize};

use crate::vocabulary::vocabulary;

vocabulary! {
    /// What an alliance activity was: the four "联" of the alliances' work.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ActivityKind as "ACTIVITY_KIND" {
        /// 组织联建: joint party organisation building (joint meetings, party lessons).
        JointBuilding = ("joint_building", "组织联建"),
        /// 活动联办: activities held together (festivals, clean-ups).
        JointActivity = ("joint_activity", "活动联办"),
        /// 资源联用: resources shared (rooms, vehicles, funds).
        SharedResources = ("shared_resources", "资源联用"),
        /// 服务联做: services to residents (repairs, visits, consultations).
        JointService = ("joint_service", "服务联做"),
    }
}

/// What one unit did in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// Turns that have ended in the period.
    pub turns_ended: u32,
    /// Of those, the turns with at least one activity.
    pub fulfilled: u32,
    /// Activities logged.
    pub activities: u32,
    /// Hours of service, summed over activities.
    pub hours: f64,
    /// Distinct petitions handled.
    pub petitions: u32,
    /// Of those, rated by the resident.
    pub rated: u32,
    /// Of those rated, rated 4 or 5.
    pub satisfied: u32,
}

/// One part of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorePart {
    /// Its name, e.g. `履职`.
    pub name: String,
    /// Points earned (one decimal).
    pub points: f64,
    /// Points possible.
    pub max: f64,
    /// How it was reckoned, in Chinese, e.g. `12 个轮次中 11 个有活动`.
    pub how: String,
}

/// A unit's score and stars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The parts, in the table's order.
    pub parts: Vec<ScorePart>,
    /// Their sum, 0–100 (one decimal).
    pub total: f64,
    /// 0–5; 0 with no ended turn (not rated).
    pub stars: u8,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The score of `r` (see the module's table).
pub fn score(r: &UnitRecord) -> Score {
    let turns = f64::from(r.turns_ended);
    let part = |name: &str, max: f64, ratio: f64, how: String| ScorePart {
        name: name.into(),
        points: round1(max * ratio.clamp(0.0, 1.0)),
        max,
        how,
    };
    if r.turns_ended == 0 {
        return Score {
            parts: Vec::new(),
            total: 0.0,
            stars: 0,
        };
    }
    let parts = vec![
        part(
            "履职",
            40.0,
            f64::from(r.fulfilled) / turns,
            format!("{} 个已结束轮次中 {} 个有活动", r.turns_ended, r.fulfilled),
        ),
        part(
            "活动",
            20.0,
            f64::from(r.activities) / (2.0 * turns),
            format!("活动 {} 次（满分需每轮 2 次）", r.activities),
        ),
        part(
            "时长",
            15.0,
            r.hours / (8.0 * turns),
            format!("服务 {:.1} 小时（满分需每轮 8 小时）", r.hours),
        ),
        part(
            "诉求",
            10.0,
            f64::from(r.petitions) / turns,
            format!("办理诉求 {} 件（满分需每轮 1 件）", r.petitions),
        ),
        part(
            "满意",
            15.0,
            if r.rated == 0 {
                0.0
            } else {
                f64::from(r.satisfied) / f64::from(r.rated)
            },
            if r.rated == 0 {
                "办理的诉求尚无居民评价，不得分".to_string()
            } else {
                format!("{} 件有评价，{} 件 4–5 星", r.rated, r.satisfied)
            },
        ),
    ];
    let total = round1(parts.iter().map(|p| p.points).sum());
    let stars = match total {
        t if t >= 90.0 => 5,
        t if t >= 75.0 => 4,
        t if t >= 60.0 => 3,
        t if t >= 40.0 => 2,
        t if t > 0.0 => 1,
        _ => 0,
    };
    Score {
        parts,
        total,
        stars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_that_did_everything_gets_five_stars() {
        let s = score(&UnitRecord {
            turns_ended: 4,
            fulfilled: 4,
            activities: 8,
            hours: 40.0,
            petitions: 5,
            rated: 4,
            satisfied: 4,
        });
        assert_eq!((s.total, s.stars), (100.0, 5));
    }

    #[test]
    fn each_part_shows_how_it_was_earned() {
        let s = score(&UnitRecord {
            turns_ended: 4,
            fulfilled: 3,
            activities: 3,
            hours: 12.0,
            petitions: 1,
            rated: 1,
            satisfied: 0,
        });
        let points: Vec<f64> = s.parts.iter().map(|p| p.points).collect();
        assert_eq!(points, [30.0, 7.5, 5.6, 2.5, 0.0]);
        assert_eq!((s.total, s.stars), (45.6, 2));
        assert!(s.parts[0].how.contains("4 个已结束轮次中 3 个"));
    }

    #[test]
    fn no_turn_no_rating_and_nothing_done_no_star() {
        assert_eq!(score(&UnitRecord::default()).stars, 0);
        let idle = score(&UnitRecord {
            turns_ended: 3,
            ..Default::default()
        });
        assert_eq!((idle.total, idle.stars), (0.0, 0));
    }
}
