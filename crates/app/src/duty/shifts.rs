//! The command center's own shifts (领导带班、干部值班) and the handover log (交接班记录), as the office plans them
//! and duty officers keep them: generated fairly from the pool ([`chengguan_core::calendar::shifts`]), edited
//! with a reason, the shift on now with its open handover items.

use std::collections::HashMap;

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::shifts::{self, ShiftCrew, ShiftExclusion, ShiftPool, ShiftSlot};
use chengguan_core::people::Person;
use chengguan_store::prelude::*;
use chengguan_store::{Handover, StoredShift};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use super::span;
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// Duty officers per shift, besides the leader.
pub const OFFICERS_PER_SHIFT: usize = 2;

/// A shift as lists show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShiftView {
    /// Row.
    pub id: String,
    /// The day it starts.
    pub day: String,
    /// `day`, `night` or `full` (`SHIFT_KIND`).
    pub kind: String,
    /// 白班, 夜班 or 全天.
    pub kind_label: String,
    /// `2026-12-08 08:30`.
    pub starts_at: String,
    /// `2026-12-08 17:30`.
    pub ends_at: String,
    /// The leader's name; empty when unfilled.
    pub leader: String,
    /// The officers' names.
    pub officers: Vec<String>,
    /// Changed by hand.
    pub manual: bool,
    /// Why.
    pub reason: String,
    /// Row version.
    pub version: i64,
}

/// An item of the handover log.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HandoverView {
    /// Row.
    pub id: String,
    /// What is to be followed up.
    pub item: String,
    /// Written by, and on which shift (`2026-12-08 白班`).
    pub written_by: String,
    /// The shift it was written on.
    pub shift: String,
    /// When (`2026-12-08 09:15`, Beijing).
    pub written_at: String,
    /// Open until closed.
    pub open: bool,
    /// How it ended.
    pub closing_note: String,
}

/// The shift on now with the handover items it carries.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShiftNow {
    /// The shift, if one was planned.
    pub shift: Option<ShiftView>,
    /// `白班` … for the status bar even when none was planned.
    pub kind_label: String,
    /// Open items (carried over until closed), then those closed during this shift.
    pub handovers: Vec<HandoverView>,
}

/// What a generation did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShiftReport {
    /// First day written (after today).
    pub from: String,
    /// Last day.
    pub to: String,
    /// Shifts written.
    pub shifts: u32,
    /// Generated shifts replaced.
    pub replaced: u32,
    /// Shifts that could not be filled, in plain Chinese.
    pub problems: Vec<String>,
}

fn wall(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn beijing(at: chrono::DateTime<chrono::Utc>) -> String {
    wall(
        at.with_timezone(&chengguan_core::time::beijing())
            .naive_local(),
    )
}

impl App {
    async fn people_by_id(&self) -> Result<HashMap<Uuid, Person>> {
        Ok(self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }

    fn shift_view(names: &HashMap<Uuid, Person>, s: &StoredShift) -> ShiftView {
        let name = |p: &Uuid| names.get(p).map(|p| p.name.clone()).unwrap_or_default();
        let (start, end) = s.crew.slot.hours();
        ShiftView {
            id: s.id.to_string(),
            day: s.crew.slot.day.to_string(),
            kind: s.crew.slot.kind.code().into(),
            kind_label: s.crew.slot.kind.label().into(),
            starts_at: wall(start),
            ends_at: wall(end),
            leader: s.crew.leader.as_ref().map(name).unwrap_or_default(),
            officers: s.crew.officers.iter().map(name).collect(),
            manual: s.manual,
            reason: s.reason.clone(),
            version: s.version,
        }
    }

    /// One person of the rosters by exact name or id; a name two people share is refused naming both.
    fn person(&self, key: &str, people: &HashMap<Uuid, Person>) -> Result<Uuid> {
        let key = key.trim();
        if let Ok(id) = key.parse::<Uuid>() {
            if people.contains_key(&id) {
                return Ok(id);
            }
        }
        let found: Vec<&Person> = people.values().filter(|p| p.name == key).collect();
        match found.as_slice() {
            [one] => Ok(one.id),
            [] => Err(AppError::NotFound {
                entity: "人员",
                key: key.chars().take(40).collect(),
            }),
            many => Err(AppError::Invalid {
                field: "人员",
                problem: format!(
                    "「{key}」有 {} 人同名，请写人员编号（{}）",
                    many.len(),
                    many[0].id
                ),
            }),
        }
    }

    /// The shifts starting within the days given.
    pub async fn shift_schedule(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<Vec<ShiftView>> {
        self.authorize(Some(session), UseCase::ViewDuty).await?;
        let (from, to) = span(from, to)?;
        let names = self.people_by_id().await?;
        Ok(self
            .store
            .shifts(from, to)
            .await?
            .iter()
            .map(|s| Self::shift_view(&names, s))
            .collect())
    }

    /// The shift on now (by Beijing time), with the open handover items and those closed during it. The
    /// handover log is the command center's working record and may name residents: a grid worker gets the
    /// shift without it.
    pub async fn shift_now(&self, session: &Session) -> Result<ShiftNow> {
        let actor = self.authorize(Some(session), UseCase::ViewDuty).await?;
        let now = self.clock.now();
        let calendar = self.holiday_calendar().await?;
        let slot = ShiftSlot::at(
            now.with_timezone(&chengguan_core::time::beijing())
                .naive_local(),
            &calendar,
        );
        let names = self.people_by_id().await?;
        let stored = self.store.shifts(slot.day, slot.day).await?;
        let shift = stored.iter().find(|s| s.crew.slot == slot);
        let mut handovers = Vec::new();
        if actor.only_grid.is_none() {
            let since = chengguan_core::time::beijing_day_start(slot.day);
            let mut on: HashMap<Uuid, Option<StoredShift>> = HashMap::new();
            for h in self.store.handovers(since).await? {
                let written_on = match on.get(&h.shift_id) {
                    Some(s) => s.clone(),
                    None => {
                        let s = self.store.shift(h.shift_id).await?;
                        on.insert(h.shift_id, s.clone());
                        s
                    }
                };
                handovers.push(handover_view(&h, written_on.as_ref()));
            }
        }
        Ok(ShiftNow {
            shift: shift.map(|s| Self::shift_view(&names, s)),
            kind_label: slot.kind.label().into(),
            handovers,
        })
    }

    /// Sets who may be put on shifts (names or ids of the rosters' people, in order).
    pub async fn set_shift_pool(
        &self,
        session: &Session,
        leaders: &[String],
        officers: &[String],
    ) -> Result<()> {
        let actor = self.authorize(Some(session), UseCase::PlanShifts).await?;
        let people = self.people_by_id().await?;
        let mut lists = Vec::new();
        for keys in [leaders, officers] {
            let mut out = Vec::new();
            for k in keys.iter().filter(|k| !k.trim().is_empty()) {
                let id = self.person(k, &people)?;
                if out.contains(&id) {
                    return Err(AppError::Invalid {
                        field: "值班名单",
                        problem: format!("「{}」列了两次", k.trim()),
                    });
                }
                out.push(id);
            }
            lists.push(out);
        }
        let (l, o) = (&lists[0], &lists[1]);
        // Whoever was on a shift rests the next, so each post needs twice its crew.
        if l.len() < 2 || o.len() < 2 * OFFICERS_PER_SHIFT {
            return Err(AppError::Invalid {
                field: "值班名单",
                problem: format!(
                    "至少需要 2 名带班领导和 {} 名值班干部（前一班的人下一班轮休）",
                    2 * OFFICERS_PER_SHIFT
                ),
            });
        }
        if let Some(both) = l.iter().find(|p| o.contains(p)) {
            return Err(AppError::Invalid {
                field: "值班名单",
                problem: format!("{} 不能既是带班领导又是值班干部", people[both].name),
            });
        }
        let audit = AuditDraft::new(
            &actor.username,
            "shift.pool",
            "shift_pool",
            json!({ "leaders": l.len(), "officers": o.len() }),
        );
        self.store.set_shift_pool(l, o, &audit).await?;
        Ok(())
    }

    /// Records days a person cannot be on shift, with the reason. Returns the shifts they already hold then:
    /// later generations leave them out, but those need an edit.
    pub async fn add_shift_exclusion(
        &self,
        session: &Session,
        person: &str,
        from: &str,
        to: &str,
        reason: &str,
    ) -> Result<Vec<ShiftView>> {
        let actor = self.authorize(Some(session), UseCase::PlanShifts).await?;
        let people = self.people_by_id().await?;
        let person_id = self.person(person, &people)?;
        let (from, to) = span(from, to)?;
        let reason = crate::audit::require_reason_for(reason, "登记不能值班的日期")?;
        let audit = AuditDraft::new(
            &actor.username,
            "shift.exclusion",
            format!("person:{person_id}"),
            json!({ "from": from.to_string(), "to": to.to_string() }),
        )
        .with_reason(reason);
        let x = ShiftExclusion {
            person_id,
            from,
            to,
        };
        self.store.add_shift_exclusion(&x, reason, &audit).await?;
        Ok(self
            .store
            .shifts(from, to)
            .await?
            .iter()
            .filter(|s| s.crew.leader == Some(person_id) || s.crew.officers.contains(&person_id))
            .map(|s| Self::shift_view(&people, s))
            .collect())
    }

    /// Generates the shifts of `from..=to` from tomorrow on: generated shifts are replaced, those changed by
    /// hand and those already begun stay.
    pub async fn generate_shifts(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<ShiftReport> {
        let actor = self.authorize(Some(session), UseCase::PlanShifts).await?;
        let (from, to) = span(from, to)?;
        let from = from.max(self.today() + Days::new(1));
        self.generate_shifts_between(&actor.username, from, to)
            .await
    }

    pub(crate) async fn generate_shifts_between(
        &self,
        actor: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ShiftReport> {
        let mut pool = ShiftPool {
            officers_per_shift: OFFICERS_PER_SHIFT,
            ..Default::default()
        };
        for (p, post) in self.store.shift_pool().await? {
            if post == "leader" {
                pool.leaders.push(p);
            } else {
                pool.officers.push(p);
            }
        }
        if pool.leaders.is_empty() || pool.officers.is_empty() {
            return Err(AppError::Invalid {
                field: "值班名单",
                problem: "还没有值班名单：请先设置带班领导和值班干部".into(),
            });
        }
        if from > to {
            return Ok(ShiftReport {
                from: from.to_string(),
                to: to.to_string(),
                shifts: 0,
                replaced: 0,
                problems: Vec::new(),
            });
        }
        let calendar = self.holiday_calendar().await?;
        let exclusions: Vec<ShiftExclusion> = self
            .store
            .shift_exclusions()
            .await?
            .into_iter()
            .map(|x| x.0)
            .collect();
        let history_from = from.checked_sub_days(Days::new(92)).unwrap_or(from);
        // One day past `to`, for the crew that must rest before it.
        let existing = self.store.shifts(history_from, to + Days::new(1)).await?;
        let (replaced, kept): (Vec<&StoredShift>, Vec<&StoredShift>) = existing
            .iter()
            .partition(|s| !s.manual && s.crew.slot.day >= from && s.crew.slot.day <= to);
        // A day with a shift kept by hand is left to it whole, even if the calendar now gives it other shifts
        // (a notice imported since): the kept shift is what the duty officers see.
        let kept_days: Vec<NaiveDate> = kept.iter().map(|s| s.crew.slot.day).collect();
        let before: Vec<ShiftCrew> = kept
            .iter()
            .filter(|s| s.crew.slot.day < from)
            .map(|s| s.crew.clone())
            .collect();
        let mut crews = Vec::new();
        let mut problems = Vec::new();
        let (slots, guessed) = shifts::slots(from, to, &calendar)?;
        for y in guessed {
            problems.push(format!(
                "{y} 年的放假安排尚未导入：该年按周一至周五为工作日排班，导入通知后请重新生成"
            ));
        }
        // Runs of slots between kept days, each generated after what precedes it and before what follows.
        let mut history = before;
        let mut run: Vec<ShiftSlot> = Vec::new();
        let mut flush =
            |run: &mut Vec<ShiftSlot>, history: &mut Vec<ShiftCrew>, next: Option<&ShiftCrew>| {
                let (c, p) = shifts::generate(run, &pool, &exclusions, history, next);
                history.extend(c.iter().cloned());
                crews.extend(c);
                problems.extend(p);
                run.clear();
            };
        let mut day_done: Option<NaiveDate> = None;
        for slot in slots {
            if kept_days.contains(&slot.day) {
                if day_done != Some(slot.day) {
                    let mut on_day: Vec<&&StoredShift> = kept
                        .iter()
                        .filter(|k| k.crew.slot.day == slot.day)
                        .collect();
                    on_day.sort_by_key(|k| k.crew.slot);
                    flush(&mut run, &mut history, on_day.first().map(|k| &k.crew));
                    history.extend(on_day.iter().map(|k| k.crew.clone()));
                    day_done = Some(slot.day);
                }
            } else {
                run.push(slot);
            }
        }
        let following = kept
            .iter()
            .filter(|k| k.crew.slot.day > to)
            .min_by_key(|k| k.crew.slot)
            .map(|k| k.crew.clone());
        flush(&mut run, &mut history, following.as_ref());
        let deletes: Vec<(Uuid, i64)> = replaced.iter().map(|s| (s.id, s.version)).collect();
        let audit = AuditDraft::new(
            actor,
            "shift.generate",
            "shifts",
            json!({ "from": from.to_string(), "to": to.to_string(), "shifts": crews.len(),
                    "replaced": deletes.len(), "problems": problems.len() }),
        );
        self.store.write_shifts(&deletes, &crews, &audit).await?;
        Ok(ShiftReport {
            from: from.to_string(),
            to: to.to_string(),
            shifts: crews.len() as u32,
            replaced: deletes.len() as u32,
            problems,
        })
    }

    /// Changes a shift's crew by hand (names or ids), with a reason; a shift that has ended stays as it was.
    #[allow(clippy::too_many_arguments)]
    pub async fn edit_shift(
        &self,
        session: &Session,
        id: &str,
        version: i64,
        leader: &str,
        officers: &[String],
        reason: &str,
    ) -> Result<ShiftView> {
        let actor = self.authorize(Some(session), UseCase::PlanShifts).await?;
        let reason = crate::audit::require_reason_for(reason, "调整值班")?;
        let id = super::parse_id("班次", id)?;
        let people = self.people_by_id().await?;
        let leader = match leader.trim() {
            "" => None,
            l => Some(self.person(l, &people)?),
        };
        let mut crew = Vec::new();
        for o in officers.iter().filter(|o| !o.trim().is_empty()) {
            let p = self.person(o, &people)?;
            if Some(p) == leader || crew.contains(&p) {
                return Err(AppError::Invalid {
                    field: "值班干部",
                    problem: format!("「{}」重复", o.trim()),
                });
            }
            crew.push(p);
        }
        let shift = self
            .store
            .shift(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                entity: "班次",
                key: id.to_string(),
            })?;
        let now = self
            .clock
            .now()
            .with_timezone(&chengguan_core::time::beijing())
            .naive_local();
        if shift.crew.slot.hours().1 <= now {
            return Err(AppError::Invalid {
                field: "班次",
                problem: format!(
                    "{} {}已结束，不能再调整",
                    shift.crew.slot.day,
                    shift.crew.slot.kind.label()
                ),
            });
        }
        let name = |p: &Uuid| people.get(p).map(|x| x.name.clone()).unwrap_or_default();
        let audit = AuditDraft::new(
            &actor.username,
            "shift.edit",
            format!("shift:{id}"),
            json!({ "day": shift.crew.slot.day.to_string(), "kind": shift.crew.slot.kind.code(),
                    "before": { "leader": shift.crew.leader.as_ref().map(name), "officers": shift.crew.officers.iter().map(name).collect::<Vec<_>>() },
                    "after": { "leader": leader.as_ref().map(name), "officers": crew.iter().map(name).collect::<Vec<_>>() } }),
        )
        .with_reason(reason);
        self.store
            .set_shift_crew(id, version, leader, &crew, reason, &audit)
            .await?;
        let s = self
            .store
            .shift(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                entity: "班次",
                key: id.to_string(),
            })?;
        Ok(Self::shift_view(&people, &s))
    }

    /// Writes an item into the handover log of the shift on now; it stays open, shift after shift, until
    /// closed.
    pub async fn add_handover(&self, session: &Session, item: &str) -> Result<HandoverView> {
        let actor = self
            .authorize(Some(session), UseCase::RecordHandover)
            .await?;
        let item = item.trim();
        AppError::check_text("交接事项", item, 500, true)?;
        if item.chars().count() < 2 {
            return Err(AppError::Invalid {
                field: "交接事项",
                problem: "请写明要交接的事项".into(),
            });
        }
        let now = self.clock.now();
        let calendar = self.holiday_calendar().await?;
        let slot = ShiftSlot::at(
            now.with_timezone(&chengguan_core::time::beijing())
                .naive_local(),
            &calendar,
        );
        let shift = self
            .store
            .shifts(slot.day, slot.day)
            .await?
            .into_iter()
            .find(|s| s.crew.slot == slot)
            .ok_or_else(|| AppError::Invalid {
                field: "交接事项",
                problem: format!(
                    "{} {}没有排班，无法记入交接班记录：请先生成值班表",
                    slot.day,
                    slot.kind.label()
                ),
            })?;
        let h = Handover {
            id: chengguan_core::new_id(),
            shift_id: shift.id,
            item: item.into(),
            written_by: actor.username.clone(),
            written_at: now,
            closed_at: None,
            closed_by: None,
            closing_note: String::new(),
        };
        let audit = AuditDraft::new(
            &actor.username,
            "shift.handover",
            format!("shift:{}", shift.id),
            json!({ "item": item }),
        );
        self.store.add_handover(&h, &audit).await?;
        Ok(handover_view(&h, Some(&shift)))
    }

    /// Closes an open handover item with a note of how it ended.
    pub async fn close_handover(&self, session: &Session, id: &str, note: &str) -> Result<()> {
        let actor = self
            .authorize(Some(session), UseCase::RecordHandover)
            .await?;
        let note = note.trim();
        AppError::check_text("办结说明", note, 500, true)?;
        if note.chars().count() < 2 {
            return Err(AppError::Invalid {
                field: "办结说明",
                problem: "请写明事项如何办结（至少 2 个字）".into(),
            });
        }
        let id = super::parse_id("交接事项", id)?;
        let audit = AuditDraft::new(
            &actor.username,
            "shift.handover_close",
            format!("handover:{id}"),
            json!({ "note": note }),
        );
        self.store
            .close_handover(id, &actor.username, note, self.clock.now(), &audit)
            .await?;
        Ok(())
    }

    /// The demo town's shift pool (the first cadres of the rosters) and shifts from the start of this month to
    /// the end of the next three; once.
    pub(crate) async fn load_demo_shifts(&self) -> Result<usize> {
        if !self.store.shift_pool().await?.is_empty() {
            return Ok(0);
        }
        let assignments = self.store.assignments().await?;
        let mut cadres: Vec<Uuid> = assignments
            .iter()
            .filter(|a| a.assignment.role == chengguan_core::people::Role::Cadre)
            .map(|a| a.assignment.person_id)
            .collect();
        cadres.sort();
        cadres.dedup();
        if cadres.len() < 16 {
            return Ok(0);
        }
        let audit = AuditDraft::new("-", "shift.pool", "shift_pool", json!({ "demo": true }));
        self.store
            .set_shift_pool(&cadres[..5], &cadres[5..16], &audit)
            .await?;
        let today = self.today();
        let first = today.with_day0(0).unwrap_or(today);
        let last = first
            .checked_add_months(chrono::Months::new(4))
            .and_then(|d| d.pred_opt())
            .unwrap_or(today);
        Ok(self.generate_shifts_between("-", first, last).await?.shifts as usize)
    }
}

fn handover_view(h: &Handover, shift: Option<&StoredShift>) -> HandoverView {
    HandoverView {
        id: h.id.to_string(),
        item: h.item.clone(),
        written_by: h.written_by.clone(),
        shift: shift
            .map(|s| format!("{} {}", s.crew.slot.day, s.crew.slot.kind.label()))
            .unwrap_or_default(),
        written_at: beijing(h.written_at),
        open: h.closed_at.is_none(),
        closing_note: h.closing_note.clone(),
    }
}
