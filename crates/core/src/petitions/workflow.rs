//! The handling workflow. A petition moves 待受理 → 已受理 → 办理中 → 已办结 → 已评价, or is refused (不予受理),
//! sent back for redoing (退回重办), escalated one level (升级), transferred (转办) or merged into another (合并).
//! [`apply`] is the only way to move: an action that is not legal in the current state is refused and nothing
//! changes.

use crate::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where a petition stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status as "STATUS" {
        /// 待受理: arrived, not yet looked at.
        Received = ("received", "待受理"),
        /// 已受理: classified, to be assigned.
        Accepted = ("accepted", "已受理"),
        /// 办理中: assigned at a level.
        InProgress = ("in_progress", "办理中"),
        /// 已办结: the assignee reports it done.
        Resolved = ("resolved", "已办结"),
        /// 已评价: the resident rated the result.
        Rated = ("rated", "已评价"),
        /// 不予受理: refused, with a reason.
        Rejected = ("rejected", "不予受理"),
        /// 已合并: a duplicate, merged into another petition.
        Merged = ("merged", "已合并"),
    }
}

impl Status {
    /// True while someone still has to act (the deadline runs).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Accepted | Status::InProgress
        )
    }
}

vocabulary! {
    /// The level a petition is handled at (分级响应).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Level as "LEVEL" {
        /// 网格.
        Grid = ("grid", "网格"),
        /// 社区.
        Community = ("community", "社区"),
        /// 镇.
        Town = ("town", "镇"),
        /// 县.
        County = ("county", "县"),
    }
}

impl Level {
    /// One level up, if there is one.
    pub fn up(self) -> Option<Level> {
        match self {
            Level::Grid => Some(Level::Community),
            Level::Community => Some(Level::Town),
            Level::Town => Some(Level::County),
            Level::County => None,
        }
    }
}

/// The part of a petition the workflow moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Status.
    pub status: Status,
    /// The level it is handled at, once assigned.
    pub level: Option<Level>,
    /// The resident's rating (1–5), once rated.
    pub rating: Option<u8>,
}

impl Stage {
    /// A petition just received.
    pub fn received() -> Self {
        Self {
            status: Status::Received,
            level: None,
            rating: None,
        }
    }
}

/// A rating at or below this sends the petition back for redoing if the duty officer reopens it.
pub const POOR_RATING: u8 = 2;

/// What someone does to a petition. Assignees and notes travel beside the action; the workflow needs only
/// what decides legality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 受理: classify and take on.
    Accept,
    /// 不予受理, with a reason (required).
    Reject {
        /// Why.
        reason: String,
    },
    /// 分级响应: assign at a level.
    Assign {
        /// The level.
        level: Level,
    },
    /// 转办: another assignee at the same level.
    Transfer,
    /// 升级: one level up.
    Escalate,
    /// 办结.
    Resolve,
    /// 评价: the resident's 1–5.
    Rate {
        /// Stars, 1–5.
        stars: u8,
    },
    /// 退回重办: from resolved, or from a poor rating.
    Reopen,
    /// 合并: a duplicate into another petition.
    Merge,
}

vocabulary! {
    /// The kinds of step a duty officer takes on a petition (an [`Action`] without its details).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum StepKind as "STEP" {
        /// 受理.
        Accept = ("accept", "受理"),
        /// 不予受理.
        Reject = ("reject", "不予受理"),
        /// 分级交办.
        Assign = ("assign", "分级交办"),
        /// 转办.
        Transfer = ("transfer", "转办"),
        /// 升级.
        Escalate = ("escalate", "升级"),
        /// 办结.
        Resolve = ("resolve", "办结"),
        /// 评价.
        Rate = ("rate", "评价"),
        /// 退回重办.
        Reopen = ("reopen", "退回重办"),
        /// 合并.
        Merge = ("merge", "合并"),
    }
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Action::Accept => StepKind::Accept,
            Action::Reject { .. } => StepKind::Reject,
            Action::Assign { .. } => StepKind::Assign,
            Action::Transfer => StepKind::Transfer,
            Action::Escalate => StepKind::Escalate,
            Action::Resolve => StepKind::Resolve,
            Action::Rate { .. } => StepKind::Rate,
            Action::Reopen => StepKind::Reopen,
            Action::Merge => StepKind::Merge,
        }
    }

    /// Chinese name, for messages and the timeline.
    pub fn label(&self) -> &'static str {
        self.kind().label()
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("不能对“{}”状态的诉求执行“{action}”：{why}", status.label())]
pub struct Refused {
    /// The state it was in.
    pub status: Status,
    /// The action, in Chinese.
    pub action: &'static str,
    /// Why, in Chinese.
    pub why: String,
}

/// The stage after `action`, or why the action is not legal now.
pub fn apply(stage: &Stage, action: &Action) -> Result<Stage, Refused> {
    use Status::*;
    let refuse = |why: &str| Refused {
        status: stage.status,
        action: action.label(),
        why: why.to_string(),
    };
    let to = |status: Status| Stage {
        status,
        ..stage.clone()
    };
    match (stage.status, action) {
        (Received, Action::Accept) => Ok(to(Accepted)),
        (Received | Accepted, Action::Reject { reason }) => {
            if reason.trim().is_empty() {
                Err(refuse("须填写不予受理的理由"))
            } else {
                Ok(to(Rejected))
            }
        }
        (Accepted, Action::Assign { level }) => Ok(Stage {
            status: InProgress,
            level: Some(*level),
            rating: None,
        }),
        (InProgress, Action::Transfer) => Ok(to(InProgress)),
        (InProgress, Action::Escalate) => match stage.level.and_then(Level::up) {
            Some(up) => Ok(Stage {
                level: Some(up),
                ..stage.clone()
            }),
            None => Err(refuse("已在县级办理，无法再升级")),
        },
        (InProgress, Action::Resolve) => Ok(to(Resolved)),
        (Resolved, Action::Rate { stars }) => {
            if (1..=5).contains(stars) {
                Ok(Stage {
                    status: Rated,
                    rating: Some(*stars),
                    ..stage.clone()
                })
            } else {
                Err(refuse("评价须为 1 到 5 星"))
            }
        }
        (Resolved, Action::Reopen) => Ok(Stage {
            status: InProgress,
            rating: None,
            ..stage.clone()
        }),
        (Rated, Action::Reopen) => match stage.rating {
            Some(stars) if stars <= POOR_RATING => Ok(Stage {
                status: InProgress,
                rating: None,
                ..stage.clone()
            }),
            _ => Err(refuse("群众评价满意（3 星及以上），不能退回重办")),
        },
        (Received | Accepted | InProgress, Action::Merge) => Ok(to(Merged)),
        (Rejected | Merged | Rated, _) => Err(refuse("该诉求已结束")),
        (Received, _) => Err(refuse("请先受理")),
        (Accepted, _) => Err(refuse("请先分级交办")),
        (InProgress, _) => Err(refuse("正在办理，尚未办结")),
        (Resolved, _) => Err(refuse("已办结，只能评价或退回重办")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(actions: &[Action]) -> Result<Stage, Refused> {
        actions
            .iter()
            .try_fold(Stage::received(), |s, a| apply(&s, a))
    }

    #[test]
    fn the_usual_path_ends_rated() {
        let end = run(&[
            Action::Accept,
            Action::Assign { level: Level::Grid },
            Action::Escalate,
            Action::Transfer,
            Action::Resolve,
            Action::Rate { stars: 5 },
        ])
        .unwrap();
        assert_eq!(
            end,
            Stage {
                status: Status::Rated,
                level: Some(Level::Community),
                rating: Some(5)
            }
        );
    }

    #[test]
    fn a_poor_rating_may_be_reopened_a_good_one_not() {
        let poor = run(&[
            Action::Accept,
            Action::Assign { level: Level::Town },
            Action::Resolve,
            Action::Rate { stars: 2 },
        ])
        .unwrap();
        let reopened = apply(&poor, &Action::Reopen).unwrap();
        assert_eq!(
            (reopened.status, reopened.rating),
            (Status::InProgress, None)
        );
        let good = Stage {
            rating: Some(4),
            ..poor
        };
        assert!(apply(&good, &Action::Reopen).is_err());
    }

    #[test]
    fn illegal_actions_are_refused_with_a_reason() {
        let e = apply(&Stage::received(), &Action::Resolve).unwrap_err();
        assert_eq!(
            e.to_string(),
            "不能对“待受理”状态的诉求执行“办结”：请先受理"
        );
        let county = Stage {
            status: Status::InProgress,
            level: Some(Level::County),
            rating: None,
        };
        assert!(apply(&county, &Action::Escalate)
            .unwrap_err()
            .why
            .contains("县级"));
        assert!(apply(
            &Stage::received(),
            &Action::Reject {
                reason: "  ".into()
            }
        )
        .is_err());
        let resolved = run(&[
            Action::Accept,
            Action::Assign { level: Level::Grid },
            Action::Resolve,
        ])
        .unwrap();
        assert!(apply(&resolved, &Action::Rate { stars: 6 }).is_err());
        let merged = apply(&Stage::received(), &Action::Merge).unwrap();
        assert!(apply(&merged, &Action::Accept).is_err());
    }

    #[test]
    fn every_state_action_pair_is_decided() {
        // Exhaustive over states × actions: legal pairs move, others are refused; nothing panics.
        let states = [
            Status::Received,
            Status::Accepted,
            Status::InProgress,
            Status::Resolved,
            Status::Rated,
            Status::Rejected,
            Status::Merged,
        ];
        let actions = [
            Action::Accept,
            Action::Reject {
                reason: "重复".into(),
            },
            Action::Assign { level: Level::Grid },
            Action::Transfer,
            Action::Escalate,
            Action::Resolve,
            Action::Rate { stars: 3 },
            Action::Reopen,
            Action::Merge,
        ];
        let mut legal = 0;
        for s in states {
            for a in &actions {
                let stage = Stage {
                    status: s,
                    level: Some(Level::Grid),
                    rating: Some(1),
                };
                if apply(&stage, a).is_ok() {
                    legal += 1;
                }
            }
        }
        // Received: accept, reject, merge; Accepted: reject, assign, merge; InProgress: transfer, escalate,
        // resolve, merge; Resolved: rate, reopen; Rated (1 star): reopen.
        assert_eq!(legal, 3 + 3 + 4 + 2 + 1);
    }
}
