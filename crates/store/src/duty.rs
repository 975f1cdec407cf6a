//! The calendars: imported holiday notices (`holidays`), and the alliances' rotation (`duty_rules`,
//! `alliance_members.position`, `duty_unavailable`, `duty_turns`). Every write is one transaction with its
//! audit entry and a change-feed row, so other workstations see it.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::holidays::{NoticeDay, NoticeKind};
use chengguan_core::calendar::review::ActivityKind;
use chengguan_core::calendar::rotation::{DutyTurn, Period, RotationRule, Turn, Unavailable};
use chengguan_core::petitions::PetitionNumber;
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::changes::{record, versioned_update};
use crate::sql::{insert_rows, query};
use crate::{audit, AnyStore, Result, StoreError};

/// An alliance with its community and member units in rotation order.
#[derive(Debug, Clone, PartialEq)]
pub struct AllianceRoster {
    /// The alliance.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The community whose 大党委 leads it: its code (`CG-01`) names the alliance on the command line.
    pub community_code: String,
    /// The community's name.
    pub community_name: String,
    /// Member units `(id, name)`, in rotation order (then in the order they were added: the same on both
    /// databases, whose collations sort Chinese names differently).
    pub members: Vec<(Uuid, String)>,
}

/// A unit's unavailability with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct UnavailableRow {
    /// Row.
    pub id: Uuid,
    /// The span.
    pub span: Unavailable,
    /// Why.
    pub reason: String,
}

/// A petition an activity handled, with the resident's rating.
#[derive(Debug, Clone, PartialEq)]
pub struct HandledPetition {
    /// Row.
    pub id: Uuid,
    /// Its number.
    pub number: PetitionNumber,
    /// The resident's rating, 1–5, once given.
    pub rating: Option<u8>,
}

/// An activity logged against a turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// Row.
    pub id: Uuid,
    /// The turn.
    pub turn_id: Uuid,
    /// The unit on duty when it was logged.
    pub organisation_id: Option<Uuid>,
    /// Which of the four kinds.
    pub kind: ActivityKind,
    /// What was done.
    pub title: String,
    /// Where.
    pub place: String,
    /// The day it was held (within the turn).
    pub held_on: NaiveDate,
    /// How many took part.
    pub participants: i64,
    /// Hours of service, summed over the participants.
    pub hours: f64,
    /// Photo references (file names or archive numbers).
    pub photos: Vec<String>,
    /// The petitions it handled.
    pub petitions: Vec<HandledPetition>,
    /// Who logged it.
    pub logged_by: String,
    /// When.
    pub logged_at: DateTime<Utc>,
}

/// The calendars' rows.
#[async_trait]
pub trait DutyStore {
    /// The holiday notices imported after the release, by day.
    async fn holidays(&self) -> Result<Vec<NoticeDay>>;
    /// Replaces the notices of the years `days` name, with `audit`.
    async fn import_holidays(&self, days: &[NoticeDay], audit: &AuditDraft) -> Result<()>;
    /// Every alliance with its members, by community code.
    async fn alliance_rosters(&self) -> Result<Vec<AllianceRoster>>;
    /// The rotation rules, one per alliance that has one.
    async fn duty_rules(&self) -> Result<Vec<RotationRule>>;
    /// Sets an alliance's rule and its members' order, with `audit`.
    async fn save_duty_rule(&self, rule: &RotationRule, audit: &AuditDraft) -> Result<()>;
    /// Every unavailability.
    async fn unavailable(&self) -> Result<Vec<UnavailableRow>>;
    /// Adds an unavailability, with `audit`.
    async fn add_unavailable(&self, row: &UnavailableRow, audit: &AuditDraft) -> Result<()>;
    /// The turns that overlap `from..=to`, of one alliance or all, by start then alliance.
    async fn duty_turns(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        alliance: Option<Uuid>,
    ) -> Result<Vec<DutyTurn>>;
    /// One turn.
    async fn duty_turn(&self, id: Uuid) -> Result<Option<DutyTurn>>;
    /// Writes a generation, all or none, with `audit`: `deletes` and `updates` are generated turns as read
    /// (id, version), `inserts` the new ones. A turn changed or set by hand since it was read fails the whole
    /// write with [`StoreError::Conflict`]: generate again.
    async fn write_generation(
        &self,
        deletes: &[(Uuid, i64)],
        updates: &[(Uuid, i64, Turn)],
        inserts: &[Turn],
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Logs activities (their petitions by id) in one transaction, with `audit`.
    async fn add_activities(&self, activities: &[Activity], audit: &AuditDraft) -> Result<()>;
    /// Of `petitions`, those an activity already handled.
    async fn claimed_petitions(&self, petitions: &[Uuid]) -> Result<Vec<Uuid>>;
    /// The activities of the turns that overlap `from..=to`, by day held.
    async fn activities(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Activity>>;
    /// Gives turns to other units by hand (a swap is two), each checked against the version read; they
    /// become manual with `reason`. All or none, with `audit`.
    async fn reassign_turns(
        &self,
        changes: &[(Uuid, i64, Option<Uuid>)],
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()>;
}

fn day(text: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("{what} 的日期 {text} 无效")))
}

type TurnTuple = (Uuid, Uuid, Option<Uuid>, String, String, bool, String, i64);

fn turn(t: TurnTuple) -> Result<DutyTurn> {
    Ok(DutyTurn {
        id: t.0,
        turn: Turn {
            alliance_id: t.1,
            organisation_id: t.2,
            starts_on: day(&t.3, "轮值")?,
            ends_on: day(&t.4, "轮值")?,
        },
        manual: t.5,
        reason: t.6,
        version: t.7,
    })
}

const TURN: &str = "id, alliance_id, organisation_id, starts_on, ends_on, manual, reason, version";

#[async_trait]
impl DutyStore for AnyStore {
    async fn holidays(&self) -> Result<Vec<NoticeDay>> {
        let rows: Vec<(String, i64, String, String)> =
            query("SELECT day, year, kind, festival FROM holidays ORDER BY day")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(d, year, kind, festival)| {
                Ok(NoticeDay {
                    date: day(&d, "放假安排")?,
                    year: i32::try_from(year)
                        .map_err(|_| StoreError::Corrupt(format!("放假安排的年份 {year} 无效")))?,
                    kind: NoticeKind::from_code(&kind).ok_or_else(|| {
                        StoreError::Corrupt(format!("放假安排 {d} 的类型 {kind} 未知"))
                    })?,
                    festival,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, err, fields(days = days.len()))]
    async fn import_holidays(&self, days: &[NoticeDay], audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let mut years: Vec<i32> = days.iter().map(|d| d.year).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            query("DELETE FROM holidays WHERE year = $1")
                .bind(i64::from(year))
                .execute(&mut tx)
                .await?;
        }
        for d in days {
            query("DELETE FROM holidays WHERE day = $1")
                .bind(d.date.to_string())
                .execute(&mut tx)
                .await?;
        }
        insert_rows(
            &mut tx,
            "INSERT INTO holidays (day, year, kind, festival)",
            days,
            |v, d| {
                v.bind(d.date.to_string())
                    .bind(i64::from(d.year))
                    .bind(d.kind.code())
                    .bind(&d.festival);
            },
        )
        .await?;
        record(&mut tx, Entity::Holiday, None, Operation::Import, None).await?;
        tx.commit().await
    }

    async fn alliance_rosters(&self) -> Result<Vec<AllianceRoster>> {
        let rows: Vec<(Uuid, String, String, String, Option<Uuid>, Option<String>)> = query(
            "SELECT a.id, a.name, c.code, c.name, o.id, o.name FROM alliances a \
             JOIN communities c ON c.id = a.community_id \
             LEFT JOIN alliance_members m ON m.alliance_id = a.id \
             LEFT JOIN organisations o ON o.id = m.organisation_id \
             ORDER BY c.code, a.id, COALESCE(m.position, 1000000), o.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<AllianceRoster> = Vec::new();
        for (id, name, code, community, org, org_name) in rows {
            if out.last().is_none_or(|a| a.id != id) {
                out.push(AllianceRoster {
                    id,
                    name,
                    community_code: code,
                    community_name: community,
                    members: Vec::new(),
                });
            }
            if let (Some(org), Some(org_name), Some(a)) = (org, org_name, out.last_mut()) {
                a.members.push((org, org_name));
            }
        }
        Ok(out)
    }

    async fn duty_rules(&self) -> Result<Vec<RotationRule>> {
        let rows: Vec<(Uuid, String, String, bool)> =
            query("SELECT alliance_id, period, starts_on, holidays_count FROM duty_rules")
                .fetch_all(&self.pool)
                .await?;
        let rosters = self.alliance_rosters().await?;
        rows.into_iter()
            .map(|(alliance_id, period, starts_on, holidays_count)| {
                Ok(RotationRule {
                    alliance_id,
                    period: Period::from_code(&period).ok_or_else(|| {
                        StoreError::Corrupt(format!("联盟 {alliance_id} 的轮值周期 {period} 未知"))
                    })?,
                    order: rosters
                        .iter()
                        .find(|a| a.id == alliance_id)
                        .map(|a| a.members.iter().map(|m| m.0).collect())
                        .unwrap_or_default(),
                    starts_on: day(&starts_on, "轮值规则")?,
                    holidays_count,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, err, fields(alliance = %rule.alliance_id))]
    async fn save_duty_rule(&self, rule: &RotationRule, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        query(
            "INSERT INTO duty_rules (alliance_id, period, starts_on, holidays_count, version) \
             VALUES ($1, $2, $3, $4, 1) \
             ON CONFLICT (alliance_id) DO UPDATE SET period = excluded.period, \
             starts_on = excluded.starts_on, holidays_count = excluded.holidays_count, \
             version = duty_rules.version + 1",
        )
        .bind(rule.alliance_id)
        .bind(rule.period.code())
        .bind(rule.starts_on.to_string())
        .bind(rule.holidays_count)
        .execute(&mut tx)
        .await?;
        for (position, org) in rule.order.iter().enumerate() {
            let done = query(
                "UPDATE alliance_members SET position = $1 WHERE alliance_id = $2 AND organisation_id = $3",
            )
            .bind(position as i64)
            .bind(rule.alliance_id)
            .bind(*org)
            .execute(&mut tx)
            .await?;
            if done == 0 {
                return Err(StoreError::NotFound {
                    entity: "alliance_member",
                    id: *org,
                });
            }
        }
        record(
            &mut tx,
            Entity::DutyTurn,
            Some(rule.alliance_id),
            Operation::Update,
            None,
        )
        .await?;
        tx.commit().await
    }

    async fn unavailable(&self) -> Result<Vec<UnavailableRow>> {
        let rows: Vec<(Uuid, Uuid, String, String, String)> = query(
            "SELECT id, organisation_id, from_day, to_day, reason FROM duty_unavailable ORDER BY from_day",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, organisation_id, from, to, reason)| {
                Ok(UnavailableRow {
                    id,
                    span: Unavailable {
                        organisation_id,
                        from: day(&from, "不可值班")?,
                        to: day(&to, "不可值班")?,
                    },
                    reason,
                })
            })
            .collect()
    }

    async fn add_unavailable(&self, row: &UnavailableRow, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        query(
            "INSERT INTO duty_unavailable (id, organisation_id, from_day, to_day, reason) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.span.organisation_id)
        .bind(row.span.from.to_string())
        .bind(row.span.to.to_string())
        .bind(&row.reason)
        .execute(&mut tx)
        .await?;
        record(&mut tx, Entity::DutyTurn, None, Operation::Insert, None).await?;
        tx.commit().await
    }

    async fn duty_turns(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        alliance: Option<Uuid>,
    ) -> Result<Vec<DutyTurn>> {
        let rows: Vec<TurnTuple> = query(format!(
            "SELECT {TURN} FROM duty_turns WHERE starts_on <= $1 AND ends_on >= $2 \
             AND ($3 IS NULL OR alliance_id = $3) ORDER BY starts_on, alliance_id"
        ))
        .bind(to.to_string())
        .bind(from.to_string())
        .bind(alliance)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(turn).collect()
    }

    async fn duty_turn(&self, id: Uuid) -> Result<Option<DutyTurn>> {
        let row: Option<TurnTuple> = query(format!("SELECT {TURN} FROM duty_turns WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(turn).transpose()
    }

    #[tracing::instrument(skip_all, err, fields(inserts = inserts.len()))]
    async fn write_generation(
        &self,
        deletes: &[(Uuid, i64)],
        updates: &[(Uuid, i64, Turn)],
        inserts: &[Turn],
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // The audit entry first: it takes the write lock (SQLite) or the chain's head row (PostgreSQL), so
        // generations and swaps are written one at a time.
        audit::append(&mut tx, &self.audit_key, audit).await?;
        for (id, version) in deletes {
            let done =
                query("DELETE FROM duty_turns WHERE id = $1 AND version = $2 AND NOT manual")
                    .bind(*id)
                    .bind(*version)
                    .execute(&mut tx)
                    .await?;
            if done == 0 {
                return Err(crate::changes::stale(
                    &mut tx,
                    Entity::DutyTurn,
                    "duty_turns",
                    *id,
                    *version,
                )
                .await);
            }
        }
        for (id, version, t) in updates {
            let done = query(
                "UPDATE duty_turns SET organisation_id = $1, ends_on = $2, version = version + 1 \
                 WHERE id = $3 AND version = $4 AND NOT manual",
            )
            .bind(t.organisation_id)
            .bind(t.ends_on.to_string())
            .bind(*id)
            .bind(*version)
            .execute(&mut tx)
            .await?;
            if done == 0 {
                return Err(crate::changes::stale(
                    &mut tx,
                    Entity::DutyTurn,
                    "duty_turns",
                    *id,
                    *version,
                )
                .await);
            }
        }
        insert_rows(
            &mut tx,
            "INSERT INTO duty_turns (id, alliance_id, organisation_id, starts_on, ends_on, manual, reason, version)",
            inserts,
            |v, t| {
                v.bind(chengguan_core::new_id())
                    .bind(t.alliance_id)
                    .bind(t.organisation_id)
                    .bind(t.starts_on.to_string())
                    .bind(t.ends_on.to_string())
                    .bind(false)
                    .bind("")
                    .bind(1i64);
            },
        )
        .await?;
        record(&mut tx, Entity::DutyTurn, None, Operation::Import, None).await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err, fields(activities = activities.len()))]
    async fn add_activities(&self, activities: &[Activity], audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO duty_activities (id, turn_id, organisation_id, kind, title, place, held_on, participants, \
             hours, photos, logged_by, logged_at)",
            activities,
            |v, a| {
                v.bind(a.id)
                    .bind(a.turn_id)
                    .bind(a.organisation_id)
                    .bind(a.kind.code())
                    .bind(&a.title)
                    .bind(&a.place)
                    .bind(a.held_on.to_string())
                    .bind(a.participants)
                    .bind(a.hours)
                    .bind(a.photos.join("\n"))
                    .bind(&a.logged_by)
                    .bind(a.logged_at);
            },
        )
        .await?;
        let handled: Vec<(Uuid, Uuid)> = activities
            .iter()
            .flat_map(|a| a.petitions.iter().map(move |p| (a.id, p.id)))
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO duty_activity_petitions (activity_id, petition_id)",
            &handled,
            |v, (a, p)| {
                v.bind(*a).bind(*p);
            },
        )
        .await?;
        let turn = match activities {
            [one] => Some(one.turn_id),
            _ => None,
        };
        record(&mut tx, Entity::DutyTurn, turn, Operation::Insert, None).await?;
        tx.commit().await
    }

    async fn claimed_petitions(&self, petitions: &[Uuid]) -> Result<Vec<Uuid>> {
        let mut out = Vec::new();
        for p in petitions {
            let found: Option<(Uuid,)> =
                query("SELECT petition_id FROM duty_activity_petitions WHERE petition_id = $1")
                    .bind(*p)
                    .fetch_optional(&self.pool)
                    .await?;
            out.extend(found.map(|f| f.0));
        }
        Ok(out)
    }

    async fn activities(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Activity>> {
        type Row = (
            Uuid,
            Uuid,
            Option<Uuid>,
            String,
            String,
            String,
            String,
            i64,
            f64,
            String,
            String,
            DateTime<Utc>,
        );
        let rows: Vec<Row> = query(
            "SELECT a.id, a.turn_id, a.organisation_id, a.kind, a.title, a.place, a.held_on, a.participants, \
             a.hours, a.photos, a.logged_by, a.logged_at FROM duty_activities a \
             JOIN duty_turns t ON t.id = a.turn_id WHERE t.starts_on <= $1 AND t.ends_on >= $2 \
             ORDER BY a.held_on, a.logged_at",
        )
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&self.pool)
        .await?;
        let handled: Vec<(Uuid, Uuid, i64, i64, Option<i64>)> = query(
            "SELECT ap.activity_id, p.id, p.year, p.seq, p.rating FROM duty_activity_petitions ap \
             JOIN petitions p ON p.id = ap.petition_id JOIN duty_activities a ON a.id = ap.activity_id \
             JOIN duty_turns t ON t.id = a.turn_id WHERE t.starts_on <= $1 AND t.ends_on >= $2 \
             ORDER BY p.year, p.seq",
        )
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let kind = ActivityKind::from_code(&r.3).ok_or_else(|| {
                    StoreError::Corrupt(format!("活动 {} 的类型 {} 未知", r.0, r.3))
                })?;
                Ok(Activity {
                    id: r.0,
                    turn_id: r.1,
                    organisation_id: r.2,
                    kind,
                    title: r.4,
                    place: r.5,
                    held_on: day(&r.6, "活动")?,
                    participants: r.7,
                    hours: r.8,
                    photos: r
                        .9
                        .lines()
                        .map(str::to_string)
                        .filter(|p| !p.is_empty())
                        .collect(),
                    petitions: handled
                        .iter()
                        .filter(|h| h.0 == r.0)
                        .map(|h| HandledPetition {
                            id: h.1,
                            number: PetitionNumber {
                                year: i32::try_from(h.2).unwrap_or_default(),
                                sequence: u32::try_from(h.3).unwrap_or_default(),
                            },
                            rating: h.4.and_then(|x| u8::try_from(x).ok()),
                        })
                        .collect(),
                    logged_by: r.10,
                    logged_at: r.11,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, err, fields(turns = changes.len()))]
    async fn reassign_turns(
        &self,
        changes: &[(Uuid, i64, Option<Uuid>)],
        reason: &str,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        for (id, version, org) in changes {
            let done = query(
                "UPDATE duty_turns SET organisation_id = $1, manual = $2, reason = $3, version = version + 1 \
                 WHERE id = $4 AND version = $5",
            )
            .bind(*org)
            .bind(true)
            .bind(reason)
            .bind(*id)
            .bind(*version)
            .execute(&mut tx)
            .await?;
            versioned_update(&mut tx, Entity::DutyTurn, "duty_turns", *id, *version, done).await?;
        }
        // Checked again under the write lock: another secretary may have put the unit on duty elsewhere since.
        let moved: Vec<Uuid> = changes.iter().map(|c| c.0).collect();
        for (id, _, org) in changes {
            let Some(org) = org else { continue };
            let clash: Option<(String, String)> = query(
                "SELECT o.id, o.starts_on, o.ends_on FROM duty_turns t JOIN duty_turns o \
                 ON o.organisation_id = $1 AND o.alliance_id <> t.alliance_id \
                 AND o.starts_on <= t.ends_on AND o.ends_on >= t.starts_on WHERE t.id = $2",
            )
            .bind(*org)
            .bind(*id)
            .fetch_all::<(Uuid, String, String)>(&mut tx)
            .await
            .map(|rows| {
                rows.into_iter()
                    .find(|r| !moved.contains(&r.0))
                    .map(|r| (r.1, r.2))
            })?;
            if let Some((from, to)) = clash {
                return Err(StoreError::Duplicate {
                    entity: "该单位在其他联盟的同期值班",
                    key: format!("{from} 至 {to}"),
                });
            }
        }
        tx.commit().await
    }
}
