//! Activities logged against turns, and the secretaries' review of the member units (评星定级) with the
//! transparent score of [`chengguan_core::calendar::review`].

use std::collections::{BTreeSet, HashMap};

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::review::{score, ActivityKind, ScorePart, UnitRecord};
use chengguan_core::petitions::PetitionNumber;
use chengguan_store::prelude::*;
use chengguan_store::{Activity, HandledPetition};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use super::{day, span};
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// Most petitions one activity may name, and most photo references.
pub const MAX_ACTIVITY_ITEMS: usize = 50;

/// An activity as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewActivity {
    /// The turn's row.
    pub turn: String,
    /// `joint_building`, `joint_activity`, `shared_resources` or `joint_service` (`ACTIVITY_KIND`).
    pub kind: String,
    /// What was done.
    pub title: String,
    /// Where.
    pub place: String,
    /// The day held, `YYYY-MM-DD`, within the turn and not after today.
    pub held_on: String,
    /// How many took part (1–10,000).
    pub participants: i64,
    /// Hours of service, summed over the participants (0–100,000).
    pub hours: f64,
    /// Photo references (file names or archive numbers).
    pub photos: Vec<String>,
    /// Numbers of the petitions handled (`GT-2026-000123`).
    pub petitions: Vec<String>,
}

/// An activity as lists show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActivityView {
    /// Row.
    pub id: String,
    /// The turn's row.
    pub turn: String,
    /// The alliance's code.
    pub alliance_code: String,
    /// The unit on duty.
    pub organisation: String,
    /// Kind code.
    pub kind: String,
    /// Kind in Chinese.
    pub kind_label: String,
    /// What was done.
    pub title: String,
    /// Where.
    pub place: String,
    /// Day held.
    pub held_on: String,
    /// Participants.
    pub participants: i64,
    /// Hours.
    pub hours: f64,
    /// Photo references.
    pub photos: Vec<String>,
    /// Petitions handled, by number.
    pub petitions: Vec<String>,
    /// Who logged it.
    pub logged_by: String,
}

/// One part of a unit's score.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScorePartView {
    /// `履职`, `活动`, `时长`, `诉求` or `满意`.
    pub name: String,
    /// Points earned.
    pub points: f64,
    /// Points possible.
    pub max: f64,
    /// How it was reckoned.
    pub how: String,
}

/// A member unit's review for the period.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewRow {
    /// The alliance's code.
    pub alliance_code: String,
    /// The alliance.
    pub alliance: String,
    /// The unit.
    pub organisation: String,
    /// Turns starting in the period.
    pub turns: u32,
    /// Of those, ended by today.
    pub turns_ended: u32,
    /// Ended turns with an activity.
    pub fulfilled: u32,
    /// Ended turns without any (`YYYY-MM-DD 至 YYYY-MM-DD`).
    pub unfulfilled: Vec<String>,
    /// Activities.
    pub activities: u32,
    /// Hours of service.
    pub hours: f64,
    /// Participants, summed.
    pub participants: i64,
    /// Petitions handled.
    pub petitions: u32,
    /// Of those, rated.
    pub rated: u32,
    /// The average rating of those rated.
    pub average_rating: Option<f64>,
    /// Share of the rated ones rated 4–5.
    pub satisfied_share: Option<f64>,
    /// The score's parts.
    pub parts: Vec<ScorePartView>,
    /// The score, 0–100.
    pub score: f64,
    /// 0–5; 0 with no ended turn (`未轮值`).
    pub stars: u8,
}

/// The review of a period.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DutyReview {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// One row per member unit, by alliance then stars (best first) then name.
    pub rows: Vec<ReviewRow>,
}

fn check_count(field: &'static str, n: usize) -> Result<()> {
    if n > MAX_ACTIVITY_ITEMS {
        return Err(AppError::Invalid {
            field,
            problem: format!("最多 {MAX_ACTIVITY_ITEMS} 项，实有 {n} 项"),
        });
    }
    Ok(())
}

impl App {
    /// Logs an activity on a turn that has begun: what, where, when, who and how long, photo references and
    /// the petitions it handled (each must exist). Audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn log_activity(&self, session: &Session, new: &NewActivity) -> Result<ActivityView> {
        let actor = self.authorize(Some(session), UseCase::LogActivity).await?;
        let kind = ActivityKind::from_code(new.kind.trim()).ok_or_else(|| AppError::Invalid {
            field: "活动类型",
            problem: format!(
                "「{}」应为 {}",
                new.kind.chars().take(40).collect::<String>(),
                ActivityKind::ALL
                    .map(|k| format!("{}（{}）", k.code(), k.label()))
                    .join("、")
            ),
        })?;
        let title = new.title.trim();
        AppError::check_text("活动内容", title, 100, false)?;
        if title.is_empty() {
            return Err(AppError::Invalid {
                field: "活动内容",
                problem: "请写明做了什么".into(),
            });
        }
        let place = new.place.trim();
        AppError::check_text("地点", place, 100, false)?;
        if !(1..=10_000).contains(&new.participants) {
            return Err(AppError::Invalid {
                field: "参加人数",
                problem: format!("{} 不在 1–10000 之内", new.participants),
            });
        }
        if !new.hours.is_finite() || !(0.0..=100_000.0).contains(&new.hours) {
            return Err(AppError::Invalid {
                field: "服务时长",
                problem: "应为 0–100000 小时".into(),
            });
        }
        check_count("照片", new.photos.len())?;
        check_count("诉求编号", new.petitions.len())?;
        let photos: Vec<String> = new
            .photos
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(|p| {
                AppError::check_text("照片", p, 200, false)?;
                Ok(p.to_string())
            })
            .collect::<Result<_>>()?;
        let turn_id = super::parse_id("轮次", &new.turn)?;
        let turn = self
            .store
            .duty_turn(turn_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                entity: "轮次",
                key: turn_id.to_string(),
            })?;
        let held_on = day("活动日期", &new.held_on)?;
        let today = self.today();
        if turn.turn.starts_on > today {
            return Err(AppError::Invalid {
                field: "轮次",
                problem: format!("{} 开始的轮次尚未开始，不能记录活动", turn.turn.starts_on),
            });
        }
        if held_on < turn.turn.starts_on || held_on > turn.turn.ends_on || held_on > today {
            return Err(AppError::Invalid {
                field: "活动日期",
                problem: format!(
                    "{held_on} 应在轮次 {} 至 {} 之内，且不晚于今天",
                    turn.turn.starts_on, turn.turn.ends_on
                ),
            });
        }
        let Some(organisation_id) = turn.turn.organisation_id else {
            return Err(AppError::Invalid {
                field: "轮次",
                problem: "该轮次没有值班单位：请先改派".into(),
            });
        };
        let mut petitions = Vec::new();
        let mut seen = BTreeSet::new();
        for text in new
            .petitions
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            let number: PetitionNumber = text.parse().map_err(|e: String| AppError::Invalid {
                field: "诉求编号",
                problem: e,
            })?;
            if !seen.insert(number) {
                continue;
            }
            let p = self
                .store
                .petition_by_number(i64::from(number.year), i64::from(number.sequence))
                .await?
                .ok_or_else(|| AppError::NotFound {
                    entity: "诉求",
                    key: number.to_string(),
                })?;
            let community = self
                .alliances_index()
                .await?
                .by_id(turn.turn.alliance_id)
                .map(|a| format!("{}-", a.community_code))
                .unwrap_or_default();
            if !p
                .grid_code
                .as_deref()
                .is_some_and(|g| g.starts_with(&community))
            {
                return Err(AppError::Invalid {
                    field: "诉求编号",
                    problem: format!("{number} 不在本联盟所在社区的网格内"),
                });
            }
            let received = p
                .received_at
                .with_timezone(&chengguan_core::time::beijing())
                .date_naive();
            if received > held_on {
                return Err(AppError::Invalid {
                    field: "诉求编号",
                    problem: format!("{number} 在 {received} 才登记，晚于活动日期"),
                });
            }
            petitions.push(HandledPetition {
                id: p.id,
                number,
                rating: p.rating,
            });
        }
        let ids: Vec<Uuid> = petitions.iter().map(|p| p.id).collect();
        if let Some(taken) = self.store.claimed_petitions(&ids).await?.first() {
            let n = petitions
                .iter()
                .find(|p| p.id == *taken)
                .map(|p| p.number.to_string())
                .unwrap_or_default();
            return Err(AppError::Invalid {
                field: "诉求编号",
                problem: format!("{n} 已记在另一次活动中，同一诉求不能重复计入"),
            });
        }
        let activity = Activity {
            id: chengguan_core::new_id(),
            turn_id,
            organisation_id: Some(organisation_id),
            kind,
            title: title.into(),
            place: place.into(),
            held_on,
            participants: new.participants,
            hours: (new.hours * 10.0).round() / 10.0,
            photos,
            petitions,
            logged_by: actor.username.clone(),
            logged_at: self.clock.now(),
        };
        let audit = AuditDraft::new(
            &actor.username,
            "duty.activity",
            format!("duty_turn:{turn_id}"),
            json!({ "kind": kind.code(), "title": title, "held_on": held_on.to_string(),
                    "participants": new.participants, "hours": activity.hours,
                    "petitions": activity.petitions.iter().map(|p| p.number.to_string()).collect::<Vec<_>>() }),
        );
        self.store
            .add_activities(std::slice::from_ref(&activity), &audit)
            .await?;
        let index = self.alliances_index().await?;
        Ok(activity_view(
            &index,
            &activity,
            &HashMap::from([(turn_id, turn.turn.alliance_id)]),
        ))
    }

    /// The activities of the turns within the days given.
    pub async fn list_activities(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<Vec<ActivityView>> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        let (from, to) = span(from, to)?;
        let index = self.alliances_index().await?;
        let turns: HashMap<Uuid, Uuid> = self
            .store
            .duty_turns(from, to, None)
            .await?
            .into_iter()
            .map(|t| (t.id, t.turn.alliance_id))
            .collect();
        Ok(self
            .store
            .activities(from, to)
            .await?
            .iter()
            .map(|a| activity_view(&index, a, &turns))
            .collect())
    }

    /// The review of every member unit over the turns starting within the days given.
    pub async fn duty_review(&self, session: &Session, from: &str, to: &str) -> Result<DutyReview> {
        self.authorize(Some(session), UseCase::ReviewDuty).await?;
        let (from, to) = span(from, to)?;
        self.review_between(from, to).await
    }

    pub(crate) async fn review_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<DutyReview> {
        let today = self.today();
        let index = self.alliances_index().await?;
        let turns: Vec<_> = self
            .store
            .duty_turns(from, to, None)
            .await?
            .into_iter()
            .filter(|t| t.turn.starts_on >= from && t.turn.starts_on <= to)
            .collect();
        let activities = self.store.activities(from, to).await?;
        let mut by_turn: HashMap<Uuid, Vec<&Activity>> = HashMap::new();
        for a in &activities {
            by_turn.entry(a.turn_id).or_default().push(a);
        }
        let mut rows = Vec::new();
        for alliance in &index.list {
            for (org, name) in &alliance.members {
                let mine: Vec<_> = turns
                    .iter()
                    .filter(|t| {
                        t.turn.alliance_id == alliance.id && t.turn.organisation_id == Some(*org)
                    })
                    .collect();
                let mut record = UnitRecord::default();
                let mut unfulfilled = Vec::new();
                let mut participants = 0;
                let mut handled: HashMap<Uuid, Option<u8>> = HashMap::new();
                for t in &mine {
                    let acts = by_turn.get(&t.id).map(Vec::as_slice).unwrap_or_default();
                    if t.turn.ends_on < today {
                        record.turns_ended += 1;
                        if acts.is_empty() {
                            unfulfilled.push(format!("{} 至 {}", t.turn.starts_on, t.turn.ends_on));
                        } else {
                            record.fulfilled += 1;
                        }
                    }
                    // Only ended turns are reviewed: a turn under way is neither fulfilled nor scored yet.
                    if t.turn.ends_on >= today {
                        continue;
                    }
                    for a in acts {
                        record.activities += 1;
                        record.hours += a.hours;
                        participants += a.participants;
                        for p in &a.petitions {
                            handled.insert(p.id, p.rating);
                        }
                    }
                }
                record.petitions = handled.len() as u32;
                let ratings: Vec<u8> = handled.values().flatten().copied().collect();
                record.rated = ratings.len() as u32;
                record.satisfied = ratings.iter().filter(|r| **r >= 4).count() as u32;
                let s = score(&record);
                rows.push(ReviewRow {
                    alliance_code: alliance.community_code.clone(),
                    alliance: alliance.name.clone(),
                    organisation: name.clone(),
                    turns: mine.len() as u32,
                    turns_ended: record.turns_ended,
                    fulfilled: record.fulfilled,
                    unfulfilled,
                    activities: record.activities,
                    hours: (record.hours * 10.0).round() / 10.0,
                    participants,
                    petitions: record.petitions,
                    rated: record.rated,
                    average_rating: (!ratings.is_empty()).then(|| {
                        let sum: u32 = ratings.iter().map(|r| u32::from(*r)).sum();
                        (f64::from(sum) / ratings.len() as f64 * 10.0).round() / 10.0
                    }),
                    satisfied_share: (record.rated > 0)
                        .then(|| f64::from(record.satisfied) / f64::from(record.rated)),
                    parts: s.parts.into_iter().map(part_view).collect(),
                    score: s.total,
                    stars: s.stars,
                });
            }
        }
        rows.sort_by(|a, b| {
            (
                a.alliance_code.as_str(),
                std::cmp::Reverse(a.stars),
                &a.organisation,
            )
                .cmp(&(
                    b.alliance_code.as_str(),
                    std::cmp::Reverse(b.stars),
                    &b.organisation,
                ))
        });
        Ok(DutyReview {
            from: from.to_string(),
            to: to.to_string(),
            rows,
        })
    }

    /// The review as an xlsx workbook (audited).
    pub async fn export_review(&self, session: &Session, from: &str, to: &str) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::ReviewDuty).await?;
        let (from, to) = span(from, to)?;
        let review = self.review_between(from, to).await?;
        let part = |r: &ReviewRow, name: &str| {
            r.parts
                .iter()
                .find(|p| p.name == name)
                .map(|p| format!("{}", p.points))
                .unwrap_or_default()
        };
        let bytes = crate::xlsx::workbook(
            "评星定级",
            &[
                "联盟编码",
                "联盟",
                "成员单位",
                "轮次",
                "已结束",
                "履职",
                "未履职轮次",
                "活动次数",
                "服务时长（小时）",
                "参加人次",
                "办理诉求",
                "已评价",
                "平均评分",
                "履职分",
                "活动分",
                "时长分",
                "诉求分",
                "满意分",
                "总分",
                "星级",
            ],
            review.rows.iter().map(|r| {
                vec![
                    r.alliance_code.clone(),
                    r.alliance.clone(),
                    r.organisation.clone(),
                    r.turns.to_string(),
                    r.turns_ended.to_string(),
                    r.fulfilled.to_string(),
                    r.unfulfilled.join("；"),
                    r.activities.to_string(),
                    format!("{}", r.hours),
                    r.participants.to_string(),
                    r.petitions.to_string(),
                    r.rated.to_string(),
                    r.average_rating.map(|a| format!("{a}")).unwrap_or_default(),
                    part(r, "履职"),
                    part(r, "活动"),
                    part(r, "时长"),
                    part(r, "诉求"),
                    part(r, "满意"),
                    format!("{}", r.score),
                    if r.stars == 0 {
                        "未评".into()
                    } else {
                        "★".repeat(usize::from(r.stars))
                    },
                ]
            }),
        )?;
        self.store
            .append_audit(&AuditDraft::new(
                &actor.username,
                "duty.review_export",
                "duty_review",
                json!({ "from": from.to_string(), "to": to.to_string(), "rows": review.rows.len() }),
            ))
            .await?;
        Ok(bytes)
    }

    /// [`App::export_review`] as a download.
    pub async fn review_download(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<crate::api::Download> {
        let bytes = self.export_review(session, from, to).await?;
        Ok(crate::api::Download {
            file_name: format!("评星定级-{}.xlsx", self.file_stamp()),
            bytes,
        })
    }

    /// The demo town's activities on its ended turns, once (nothing when any activity exists).
    pub(crate) async fn load_demo_activities(&self, seed: u64) -> Result<usize> {
        use chengguan_core::demo::duty::{activities, DemoPetition, DemoTurn};
        let today = self.today();
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
        if !self.store.activities(start, today).await?.is_empty() {
            return Ok(0);
        }
        let index = self.alliances_index().await?;
        let turns: Vec<DemoTurn> = self
            .store
            .duty_turns(start, today, None)
            .await?
            .into_iter()
            .filter_map(|t| {
                Some(DemoTurn {
                    id: t.id,
                    community_code: index.by_id(t.turn.alliance_id)?.community_code.clone(),
                    starts_on: t.turn.starts_on,
                    ends_on: t.turn.ends_on,
                })
            })
            .collect();
        let all = chengguan_store::PetitionFilter {
            limit: 1_000_000,
            ..Default::default()
        };
        let petitions: Vec<DemoPetition> = self
            .store
            .petitions(&all)
            .await?
            .into_iter()
            .filter_map(|p| {
                Some(DemoPetition {
                    id: p.id,
                    grid_code: p.grid_code?,
                    received_at: p.received_at,
                })
            })
            .collect();
        let mut sorted = turns;
        sorted.sort_by(|a, b| {
            (a.starts_on, &a.community_code).cmp(&(b.starts_on, &b.community_code))
        });
        let demo = activities(&sorted, &petitions, today, seed);
        let by_turn: HashMap<Uuid, Option<Uuid>> = self
            .store
            .duty_turns(start, today, None)
            .await?
            .into_iter()
            .map(|t| (t.id, t.turn.organisation_id))
            .collect();
        let now = self.clock.now();
        let rows: Vec<Activity> = demo
            .into_iter()
            .map(|d| Activity {
                id: chengguan_core::new_id(),
                turn_id: d.turn_id,
                organisation_id: by_turn.get(&d.turn_id).copied().flatten(),
                kind: d.kind,
                title: d.title,
                place: d.place,
                held_on: d.held_on,
                participants: d.participants,
                hours: d.hours,
                photos: d.photos,
                petitions: d
                    .petitions
                    .into_iter()
                    .map(|id| HandledPetition {
                        id,
                        number: PetitionNumber {
                            year: 0,
                            sequence: 0,
                        },
                        rating: None,
                    })
                    .collect(),
                logged_by: "demo".into(),
                logged_at: now,
            })
            .collect();
        let audit = AuditDraft::new(
            "-",
            "duty.demo_activities",
            "duty_activities",
            json!({ "seed": seed, "activities": rows.len() }),
        );
        self.store.add_activities(&rows, &audit).await?;
        Ok(rows.len())
    }
}

fn part_view(p: ScorePart) -> ScorePartView {
    ScorePartView {
        name: p.name,
        points: p.points,
        max: p.max,
        how: p.how,
    }
}

fn activity_view(
    index: &super::Alliances,
    a: &Activity,
    alliance_of: &HashMap<Uuid, Uuid>,
) -> ActivityView {
    let alliance = alliance_of.get(&a.turn_id).and_then(|id| index.by_id(*id));
    ActivityView {
        id: a.id.to_string(),
        turn: a.turn_id.to_string(),
        alliance_code: alliance
            .map(|x| x.community_code.clone())
            .unwrap_or_default(),
        organisation: a
            .organisation_id
            .and_then(|o| index.unit_name(o))
            .unwrap_or_default()
            .to_string(),
        kind: a.kind.code().into(),
        kind_label: a.kind.label().into(),
        title: a.title.clone(),
        place: a.place.clone(),
        held_on: a.held_on.to_string(),
        participants: a.participants,
        hours: a.hours,
        photos: a.photos.clone(),
        petitions: a.petitions.iter().map(|p| p.number.to_string()).collect(),
        logged_by: a.logged_by.clone(),
    }
}
