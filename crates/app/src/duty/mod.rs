//! The alliances' rotation (联盟轮值) as secretaries plan it and everyone reads it: the rules, the units'
//! unavailability, generating the future, swaps and reassignments with a reason, and the schedule.
//!
//! Generation never touches a turn that has begun (today's included) or one set by hand: it replaces only the
//! generated turns that start after today, and the generator works around everything it keeps
//! ([`chengguan_core::calendar::rotation`]).

pub mod export;
pub mod review;
pub mod shifts;

use std::collections::HashMap;

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::rotation::{
    self, Conflict, DutyTurn, Period, RotationRule, Turn, Unavailable,
};
use chengguan_store::prelude::*;
use chengguan_store::{AllianceRoster, UnavailableRow};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use crate::access::{Actor, Session, UseCase};
use crate::{App, AppError, Result};

/// The longest span one request may cover: ten years of turns.
pub const MAX_SPAN_DAYS: i64 = 3660;

/// An alliance as the calendars show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AllianceView {
    /// Row.
    pub id: String,
    /// Its community's code (`CG-01`), which names it on the command line.
    pub code: String,
    /// Name.
    pub name: String,
    /// The community.
    pub community: String,
    /// Member units in rotation order.
    pub members: Vec<MemberView>,
    /// Its rule, if it has one.
    pub rule: Option<RuleView>,
}

/// A member unit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberView {
    /// Row.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A rotation rule.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RuleView {
    /// `week` or `month` (`ROTATION_PERIOD`).
    pub period: String,
    /// The first day of the first turn, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Whether the alliance serves through public holidays.
    pub holidays_count: bool,
}

/// One turn on duty.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TurnView {
    /// Row.
    pub id: String,
    /// The alliance's code (`CG-01`).
    pub alliance_code: String,
    /// The alliance's name.
    pub alliance: String,
    /// The unit on duty; empty for an open turn.
    pub organisation_id: String,
    /// The unit's name; empty for an open turn.
    pub organisation: String,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day (included), `YYYY-MM-DD`.
    pub ends_on: String,
    /// Set by hand (a swap or a reassignment).
    pub manual: bool,
    /// The reason given for the last manual change.
    pub reason: String,
    /// Row version, for a swap.
    pub version: i64,
}

/// A conflict the generator could not avoid.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConflictView {
    /// `no_one_available` or `imbalance` (`CONFLICT_KIND`).
    pub kind: String,
    /// In Chinese.
    pub kind_label: String,
    /// The alliance's code.
    pub alliance_code: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// The unit concerned, if one.
    pub organisation: String,
    /// What happened, in plain Chinese.
    pub detail: String,
}

/// What a generation did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GenerateReport {
    /// The first day generated (after today, whatever was asked).
    pub from: String,
    /// The last day.
    pub to: String,
    /// Turns written.
    pub turns: u32,
    /// Generated turns replaced.
    pub replaced: u32,
    /// Turns kept as they were (begun, or set by hand).
    pub kept: u32,
    /// What could not be done as the rules want.
    pub conflicts: Vec<ConflictView>,
}

/// Which part of the schedule.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ScheduleFilter {
    /// An alliance's code (`CG-01`) or name.
    pub alliance: Option<String>,
    /// A member unit's name (or part of it).
    pub unit: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
}

pub(crate) fn day(field: &'static str, text: &str) -> Result<NaiveDate> {
    chengguan_core::time::parse_day(text).map_err(|e| AppError::Invalid {
        field,
        problem: e.to_string(),
    })
}

pub(crate) fn span(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let (from, to) = (day("开始日期", from)?, day("结束日期", to)?);
    if to < from {
        return Err(AppError::Invalid {
            field: "结束日期",
            problem: format!("{to} 早于开始日期 {from}"),
        });
    }
    if (to - from).num_days() > MAX_SPAN_DAYS {
        return Err(AppError::Invalid {
            field: "结束日期",
            problem: format!("一次最多 {MAX_SPAN_DAYS} 天（约十年）"),
        });
    }
    Ok((from, to))
}

/// The alliances and their members, with lookups by code, name and unit.
pub(crate) struct Alliances {
    pub(crate) list: Vec<AllianceRoster>,
}

impl Alliances {
    pub(crate) fn find(&self, key: &str) -> Result<&AllianceRoster> {
        let key = key.trim();
        self.list
            .iter()
            .find(|a| a.community_code.eq_ignore_ascii_case(key) || a.name == key)
            .or_else(|| {
                let matching: Vec<_> = self
                    .list
                    .iter()
                    .filter(|a| {
                        !key.is_empty() && (a.name.contains(key) || a.community_name.contains(key))
                    })
                    .collect();
                (matching.len() == 1).then(|| matching[0])
            })
            .ok_or_else(|| AppError::NotFound {
                entity: "联盟",
                key: key.to_string(),
            })
    }

    fn code_of(&self, id: Uuid) -> String {
        self.by_id(id)
            .map(|a| a.community_code.clone())
            .unwrap_or_default()
    }

    pub(crate) fn by_id(&self, id: Uuid) -> Option<&AllianceRoster> {
        self.list.iter().find(|a| a.id == id)
    }

    pub(crate) fn unit_name(&self, id: Uuid) -> Option<&str> {
        self.list
            .iter()
            .flat_map(|a| a.members.iter())
            .find(|m| m.0 == id)
            .map(|m| m.1.as_str())
    }

    /// The member units whose name is `name`, or the one whose name contains it.
    pub(crate) fn unit(&self, name: &str) -> Result<Uuid> {
        let name = name.trim();
        let all: Vec<&(Uuid, String)> = self.list.iter().flat_map(|a| a.members.iter()).collect();
        if let Some(m) = all.iter().find(|m| m.1 == name) {
            return Ok(m.0);
        }
        let mut matching: Vec<&&(Uuid, String)> = all
            .iter()
            .filter(|m| !name.is_empty() && m.1.contains(name))
            .collect();
        matching.dedup_by_key(|m| m.0);
        match matching.as_slice() {
            [one] => Ok(one.0),
            [] => Err(AppError::NotFound {
                entity: "成员单位",
                key: name.to_string(),
            }),
            many => Err(AppError::Invalid {
                field: "成员单位",
                problem: format!(
                    "「{name}」对应 {} 个单位（{}…），请写全称",
                    many.len(),
                    many.iter()
                        .take(3)
                        .map(|m| m.1.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            }),
        }
    }

    pub(crate) fn view(&self, t: &DutyTurn) -> TurnView {
        let alliance = self.by_id(t.turn.alliance_id);
        TurnView {
            id: t.id.to_string(),
            alliance_code: alliance
                .map(|a| a.community_code.clone())
                .unwrap_or_default(),
            alliance: alliance.map(|a| a.name.clone()).unwrap_or_default(),
            organisation_id: t
                .turn
                .organisation_id
                .map(|o| o.to_string())
                .unwrap_or_default(),
            organisation: t
                .turn
                .organisation_id
                .and_then(|o| self.unit_name(o))
                .unwrap_or_default()
                .to_string(),
            starts_on: t.turn.starts_on.to_string(),
            ends_on: t.turn.ends_on.to_string(),
            manual: t.manual,
            reason: t.reason.clone(),
            version: t.version,
        }
    }

    fn conflict(&self, c: &Conflict) -> ConflictView {
        ConflictView {
            kind: c.kind.code().into(),
            kind_label: c.kind.label().into(),
            alliance_code: self
                .by_id(c.alliance_id)
                .map(|a| a.community_code.clone())
                .unwrap_or_default(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            organisation: c
                .organisation_id
                .and_then(|o| self.unit_name(o))
                .unwrap_or_default()
                .to_string(),
            detail: c.detail.clone(),
        }
    }
}

pub(crate) fn parse_id(field: &'static str, text: &str) -> Result<Uuid> {
    text.trim().parse().map_err(|_| AppError::Invalid {
        field,
        problem: format!(
            "「{}」不是有效的编号",
            text.chars().take(40).collect::<String>()
        ),
    })
}

impl App {
    pub(crate) async fn alliances_index(&self) -> Result<Alliances> {
        Ok(Alliances {
            list: self.store.alliance_rosters().await?,
        })
    }

    /// The alliances with their members and rules.
    pub async fn alliances(&self, session: &Session) -> Result<Vec<AllianceView>> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        let rules = self.store.duty_rules().await?;
        Ok(self
            .alliances_index()
            .await?
            .list
            .into_iter()
            .map(|a| AllianceView {
                id: a.id.to_string(),
                rule: rules
                    .iter()
                    .find(|r| r.alliance_id == a.id)
                    .map(|r| RuleView {
                        period: r.period.code().into(),
                        starts_on: r.starts_on.to_string(),
                        holidays_count: r.holidays_count,
                    }),
                code: a.community_code,
                name: a.name,
                community: a.community_name,
                members: a
                    .members
                    .into_iter()
                    .map(|(id, name)| MemberView {
                        id: id.to_string(),
                        name,
                    })
                    .collect(),
            })
            .collect())
    }

    /// Sets an alliance's rule. `order` lists every member unit by name in the new order, or keeps the
    /// present order when empty.
    pub async fn set_duty_rule(
        &self,
        session: &Session,
        alliance: &str,
        rule: &RuleView,
        order: &[String],
    ) -> Result<RuleView> {
        let actor = self.authorize(Some(session), UseCase::PlanDuty).await?;
        let index = self.alliances_index().await?;
        let a = index.find(alliance)?;
        let period = Period::from_code(rule.period.trim()).ok_or_else(|| AppError::Invalid {
            field: "轮值周期",
            problem: format!("「{}」应为 week（每周）或 month（每月）", rule.period),
        })?;
        let starts_on = day("起始日期", &rule.starts_on)?;
        let order: Vec<Uuid> = if order.is_empty() {
            a.members.iter().map(|m| m.0).collect()
        } else {
            let mut ids = Vec::new();
            for name in order {
                let m = a
                    .members
                    .iter()
                    .find(|m| m.1 == name.trim())
                    .ok_or_else(|| AppError::Invalid {
                        field: "轮值顺序",
                        problem: format!("「{name}」不是{}的成员单位", a.name),
                    })?;
                if ids.contains(&m.0) {
                    return Err(AppError::Invalid {
                        field: "轮值顺序",
                        problem: format!("「{name}」出现了两次"),
                    });
                }
                ids.push(m.0);
            }
            if ids.len() != a.members.len() {
                return Err(AppError::Invalid {
                    field: "轮值顺序",
                    problem: format!(
                        "应列出全部 {} 个成员单位，只列了 {} 个",
                        a.members.len(),
                        ids.len()
                    ),
                });
            }
            ids
        };
        let rule = RotationRule {
            alliance_id: a.id,
            period,
            order,
            starts_on,
            holidays_count: rule.holidays_count,
        };
        let audit = AuditDraft::new(
            &actor.username,
            "duty.rule",
            format!("alliance:{}", a.community_code),
            json!({ "period": period.code(), "starts_on": starts_on.to_string(),
                    "holidays_count": rule.holidays_count, "members": rule.order.len() }),
        );
        self.store.save_duty_rule(&rule, &audit).await?;
        Ok(RuleView {
            period: period.code().into(),
            starts_on: starts_on.to_string(),
            holidays_count: rule.holidays_count,
        })
    }

    /// Records that a member unit cannot serve from `from` to `to` (both included), with the reason. Returns
    /// the turns the unit already holds then: generation works around the unit from now on, but those turns
    /// need a swap or a reassignment.
    pub async fn add_duty_unavailable(
        &self,
        session: &Session,
        unit: &str,
        from: &str,
        to: &str,
        reason: &str,
    ) -> Result<Vec<TurnView>> {
        let actor = self.authorize(Some(session), UseCase::PlanDuty).await?;
        let index = self.alliances_index().await?;
        let organisation_id = index.unit(unit)?;
        let (from, to) = span(from, to)?;
        let reason = crate::audit::require_reason_for(reason, "登记不能值班的日期")?;
        let row = UnavailableRow {
            id: chengguan_core::new_id(),
            span: Unavailable {
                organisation_id,
                from,
                to,
            },
            reason: reason.into(),
        };
        let audit = AuditDraft::new(
            &actor.username,
            "duty.unavailable",
            format!("organisation:{organisation_id}"),
            json!({ "from": from.to_string(), "to": to.to_string() }),
        )
        .with_reason(reason);
        self.store.add_unavailable(&row, &audit).await?;
        Ok(self
            .store
            .duty_turns(from, to, None)
            .await?
            .iter()
            .filter(|t| t.turn.organisation_id == Some(organisation_id))
            .map(|t| index.view(t))
            .collect())
    }

    /// Generates the turns of one alliance (or all with a rule) for `from..=to`. Only the future is written:
    /// days up to today are kept whatever `from` says, and so are turns set by hand.
    pub async fn generate_duty(
        &self,
        session: &Session,
        alliance: Option<&str>,
        from: &str,
        to: &str,
    ) -> Result<GenerateReport> {
        let actor = self.authorize(Some(session), UseCase::PlanDuty).await?;
        let (from, to) = span(from, to)?;
        let tomorrow = self.today() + Days::new(1);
        self.generate_turns(&actor, alliance, from.max(tomorrow), to)
            .await
    }

    /// Generation from `from` (the caller keeps it after today, or a demo load has no past).
    pub(crate) async fn generate_turns(
        &self,
        actor: &Actor,
        alliance: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<GenerateReport> {
        let index = self.alliances_index().await?;
        let all_rules = self.store.duty_rules().await?;
        let rules: Vec<RotationRule> = match alliance {
            Some(key) => {
                let a = index.find(key)?;
                let rule = all_rules
                    .iter()
                    .find(|r| r.alliance_id == a.id)
                    .cloned()
                    .ok_or_else(|| AppError::Invalid {
                        field: "轮值规则",
                        problem: format!("{}还没有轮值规则：请先设置周期和起始日期", a.name),
                    })?;
                vec![rule]
            }
            None => all_rules,
        };
        if rules.is_empty() {
            return Err(AppError::Invalid {
                field: "轮值规则",
                problem: "还没有任何联盟设置轮值规则".into(),
            });
        }
        let calendar = self.holiday_calendar().await?;
        let unavailable: Vec<Unavailable> = self
            .store
            .unavailable()
            .await?
            .into_iter()
            .map(|u| u.span)
            .collect();
        if from > to {
            return Ok(GenerateReport {
                from: from.to_string(),
                to: to.to_string(),
                turns: 0,
                replaced: 0,
                kept: 0,
                conflicts: Vec::new(),
            });
        }
        // How far each rule's periods reach: the last one runs to its natural end, past `to`.
        let mut reach: HashMap<Uuid, (NaiveDate, NaiveDate)> = HashMap::new();
        for rule in &rules {
            let last = rotation::periods(rule, from, to, &calendar)?
                .last()
                .map_or(to, |p| p.1)
                .max(to);
            reach.insert(rule.alliance_id, (from.max(rule.starts_on), last));
        }
        let end = reach.values().map(|r| r.1).max().unwrap_or(to);
        // Everything that stays: all alliances' turns since the earliest rule began (the history the counts
        // continue from), less the generated turns of these alliances that lie wholly within their reach
        // (they are generated again). Turns begun, set by hand, or reaching beyond stay, and are worked around.
        let since = rules
            .iter()
            .map(|r| r.starts_on)
            .min()
            .unwrap_or(from)
            .min(from);
        let existing = self.store.duty_turns(since, end, None).await?;
        let replaceable = |t: &DutyTurn| {
            !t.manual
                && reach.get(&t.turn.alliance_id).is_some_and(|(first, last)| {
                    t.turn.starts_on >= *first && t.turn.ends_on <= *last
                })
        };
        let (replaced, kept): (Vec<&DutyTurn>, Vec<&DutyTurn>) =
            existing.iter().partition(|t| replaceable(t));
        let fixed: Vec<Turn> = kept.iter().map(|t| t.turn.clone()).collect();
        let kept_here = kept
            .iter()
            .filter(|t| reach.contains_key(&t.turn.alliance_id) && t.turn.overlaps(from, to))
            .count();
        let plan = rotation::generate(&rules, &unavailable, &fixed, from, to, &calendar)?;
        // A new turn on the same days as one it replaces keeps that row (its id, and its UID in calendars): the
        // same unit leaves it untouched; another unit updates it, with a higher version (SEQUENCE).
        let mut old: HashMap<(Uuid, NaiveDate), &DutyTurn> = replaced
            .iter()
            .map(|t| ((t.turn.alliance_id, t.turn.starts_on), *t))
            .collect();
        let (mut updates, mut inserts, mut unchanged) = (Vec::new(), Vec::new(), 0);
        for t in &plan.turns {
            match old.remove(&(t.alliance_id, t.starts_on)) {
                Some(o) if o.turn == *t => unchanged += 1,
                Some(o) => updates.push((o.id, o.version, t.clone())),
                None => inserts.push(t.clone()),
            }
        }
        let deletes: Vec<(Uuid, i64)> = old.values().map(|t| (t.id, t.version)).collect();
        let audit = AuditDraft::new(
            &actor.username,
            "duty.generate",
            match alliance {
                Some(a) => format!("alliance:{}", index.find(a)?.community_code),
                None => "alliances".into(),
            },
            json!({ "from": from.to_string(), "to": to.to_string(), "turns": plan.turns.len(),
                    "inserted": inserts.len(), "updated": updates.len(), "unchanged": unchanged,
                    "deleted": deletes.len(), "conflicts": plan.conflicts.len() }),
        );
        self.store
            .write_generation(&deletes, &updates, &inserts, &audit)
            .await?;
        Ok(GenerateReport {
            from: from.to_string(),
            to: end.to_string(),
            turns: plan.turns.len() as u32,
            replaced: (updates.len() + deletes.len()) as u32,
            kept: kept_here as u32,
            conflicts: plan.conflicts.iter().map(|c| index.conflict(c)).collect(),
        })
    }

    /// The turns that overlap the filter's days, by start then alliance.
    pub async fn duty_schedule(
        &self,
        session: &Session,
        filter: &ScheduleFilter,
    ) -> Result<Vec<TurnView>> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        Ok(self.schedule_turns(filter).await?.1)
    }

    pub(crate) async fn schedule_turns(
        &self,
        filter: &ScheduleFilter,
    ) -> Result<(Alliances, Vec<TurnView>, Vec<DutyTurn>)> {
        let (from, to) = span(&filter.from, &filter.to)?;
        let index = self.alliances_index().await?;
        let alliance = filter
            .alliance
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map(|a| index.find(a).map(|a| a.id))
            .transpose()?;
        let unit = filter
            .unit
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| index.unit(u))
            .transpose()?;
        let turns: Vec<DutyTurn> = self
            .store
            .duty_turns(from, to, alliance)
            .await?
            .into_iter()
            .filter(|t| unit.is_none() || t.turn.organisation_id == unit)
            .collect();
        let mut turns = turns;
        turns.sort_by_cached_key(|t| (t.turn.starts_on, index.code_of(t.turn.alliance_id)));
        let views = turns.iter().map(|t| index.view(t)).collect();
        Ok((index, views, turns))
    }

    /// Today's turns: which unit of each alliance is on duty.
    pub async fn duty_today(&self, session: &Session) -> Result<Vec<TurnView>> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        let today = self.today();
        let index = self.alliances_index().await?;
        let mut views: Vec<TurnView> = self
            .store
            .duty_turns(today, today, None)
            .await?
            .iter()
            .map(|t| index.view(t))
            .collect();
        views.sort_by(|a, b| a.alliance_code.cmp(&b.alliance_code));
        Ok(views)
    }

    /// Swaps the units of two turns of one alliance, with a reason (audited). Turns that have begun cannot be
    /// swapped; nor can a swap put a unit on duty for two alliances at once or while it is unavailable.
    pub async fn swap_duty(
        &self,
        session: &Session,
        first: &str,
        first_version: i64,
        second: &str,
        second_version: i64,
        reason: &str,
    ) -> Result<Vec<TurnView>> {
        let actor = self.authorize(Some(session), UseCase::SwapDuty).await?;
        let reason = crate::audit::require_reason_for(reason, "调换轮值")?;
        let a = self.turn(first).await?;
        let b = self.turn(second).await?;
        if a.id == b.id {
            return Err(AppError::Invalid {
                field: "调换",
                problem: "不能与同一个轮次调换".into(),
            });
        }
        if a.turn.alliance_id != b.turn.alliance_id {
            return Err(AppError::Invalid {
                field: "调换",
                problem: "只能调换同一联盟的两个轮次".into(),
            });
        }
        let changes = [
            (a.clone(), first_version, b.turn.organisation_id),
            (b.clone(), second_version, a.turn.organisation_id),
        ];
        self.reassign(&actor, &changes, reason, "duty.swap").await
    }

    /// Gives a turn to another member unit of its alliance, with a reason (audited).
    pub async fn reassign_duty(
        &self,
        session: &Session,
        turn: &str,
        version: i64,
        unit: &str,
        reason: &str,
    ) -> Result<Vec<TurnView>> {
        let actor = self.authorize(Some(session), UseCase::SwapDuty).await?;
        let reason = crate::audit::require_reason_for(reason, "改派轮值")?;
        let t = self.turn(turn).await?;
        let index = self.alliances_index().await?;
        let org = index.unit(unit)?;
        let alliance = index
            .by_id(t.turn.alliance_id)
            .ok_or_else(|| AppError::NotFound {
                entity: "联盟",
                key: t.turn.alliance_id.to_string(),
            })?;
        if !alliance.members.iter().any(|m| m.0 == org) {
            return Err(AppError::Invalid {
                field: "成员单位",
                problem: format!("「{}」不是{}的成员单位", unit.trim(), alliance.name),
            });
        }
        self.reassign(&actor, &[(t, version, Some(org))], reason, "duty.reassign")
            .await
    }

    /// A turn's version as stored now (the command line reads it just before a swap).
    pub async fn duty_turn_version(&self, session: &Session, id: &str) -> Result<i64> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        Ok(self.turn(id).await?.version)
    }

    async fn turn(&self, id: &str) -> Result<DutyTurn> {
        let id = parse_id("轮次", id)?;
        self.store
            .duty_turn(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                entity: "轮次",
                key: id.to_string(),
            })
    }

    async fn reassign(
        &self,
        actor: &Actor,
        changes: &[(DutyTurn, i64, Option<Uuid>)],
        reason: &str,
        action: &str,
    ) -> Result<Vec<TurnView>> {
        let today = self.today();
        let index = self.alliances_index().await?;
        let unavailable = self.store.unavailable().await?;
        let name = |o: Option<Uuid>| {
            o.and_then(|o| index.unit_name(o))
                .unwrap_or("（空）")
                .to_string()
        };
        let moved: Vec<Uuid> = changes.iter().map(|c| c.0.id).collect();
        for (t, _, org) in changes {
            // A turn under way has days already served (and perhaps activities logged): they stay as they were.
            if t.turn.starts_on <= today {
                return Err(AppError::Invalid {
                    field: "轮次",
                    problem: format!(
                        "{} 至 {} 的轮次已开始，不能调换或改派：已值班的日子不能改写",
                        t.turn.starts_on, t.turn.ends_on
                    ),
                });
            }
            let Some(org) = org else { continue };
            if let Some(u) = unavailable
                .iter()
                .find(|u| u.span.organisation_id == *org && t.turn.overlaps(u.span.from, u.span.to))
            {
                return Err(AppError::Invalid {
                    field: "成员单位",
                    problem: format!(
                        "{} 在 {} 至 {} 不能值班（{}）",
                        name(Some(*org)),
                        u.span.from,
                        u.span.to,
                        u.reason
                    ),
                });
            }
            let elsewhere = self
                .store
                .duty_turns(t.turn.starts_on, t.turn.ends_on, None)
                .await?;
            if let Some(other) = elsewhere.iter().find(|o| {
                o.turn.organisation_id == Some(*org)
                    && o.turn.alliance_id != t.turn.alliance_id
                    && !moved.contains(&o.id)
            }) {
                return Err(AppError::Invalid {
                    field: "成员单位",
                    problem: format!(
                        "{} 在 {} 至 {} 已在{}值班，不能同时在两个联盟值班",
                        name(Some(*org)),
                        other.turn.starts_on,
                        other.turn.ends_on,
                        index
                            .by_id(other.turn.alliance_id)
                            .map_or("", |a| a.name.as_str())
                    ),
                });
            }
        }
        let audit = AuditDraft::new(
            &actor.username,
            action,
            changes
                .iter()
                .map(|c| format!("duty_turn:{}", c.0.id))
                .collect::<Vec<_>>()
                .join(","),
            json!(changes
                .iter()
                .map(|(t, _, org)| json!({
                    "starts_on": t.turn.starts_on.to_string(),
                    "before": name(t.turn.organisation_id),
                    "after": name(*org),
                }))
                .collect::<Vec<_>>()),
        )
        .with_reason(reason);
        let rows: Vec<(Uuid, i64, Option<Uuid>)> =
            changes.iter().map(|(t, v, o)| (t.id, *v, *o)).collect();
        self.store.reassign_turns(&rows, reason, &audit).await?;
        let mut out = Vec::new();
        for (t, _, _) in changes {
            if let Some(now) = self.store.duty_turn(t.id).await? {
                out.push(index.view(&now));
            }
        }
        Ok(out)
    }

    /// Sets up the demo town's rotation once: a weekly rule for every alliance from the first Monday of
    /// 2026, the turns to the end of next year, and activities on most ended turns (deterministic for
    /// `seed`). Nothing when a rule exists or the town is not synthetic. Returns the turns made.
    pub async fn load_demo_rotation(&self, seed: u64) -> Result<usize> {
        let synthetic = self.store.town().await?.is_some_and(|t| t.synthetic);
        if !synthetic || !self.store.duty_rules().await?.is_empty() {
            return Ok(0);
        }
        let actor = Actor::system();
        let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date");
        let end = NaiveDate::from_ymd_opt(self.today().year() + 1, 12, 31).unwrap_or(start);
        for a in self.alliances_index().await?.list {
            let rule = RotationRule {
                alliance_id: a.id,
                period: Period::Week,
                order: a.members.iter().map(|m| m.0).collect(),
                starts_on: start,
                holidays_count: true,
            };
            let audit = AuditDraft::new(
                "-",
                "duty.rule",
                format!("alliance:{}", a.community_code),
                json!({ "demo": true }),
            );
            self.store.save_duty_rule(&rule, &audit).await?;
        }
        let report = self.generate_turns(&actor, None, start, end).await?;
        self.load_demo_activities(seed).await?;
        self.load_demo_shifts().await?;
        Ok(report.turns as usize)
    }
}
