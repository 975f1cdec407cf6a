//! Petitions (诉求): registering one (at the desk, or from the Open311 intake), listing them, and moving them
//! through the workflow. Every step is checked by `chengguan_core::petitions::workflow::apply`, stored with its
//! timeline entry and audit entry in one transaction, and refused on a stale version.

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::HolidayCalendar;
use chengguan_core::geo::Crs;
use chengguan_core::people::mask_phone;
use chengguan_core::petitions::sla::{deadline, SlaTable};
use chengguan_core::petitions::taxonomy::Taxonomy;
use chengguan_core::petitions::workflow::{apply, Action, Level, Stage, Status};
use chengguan_core::petitions::{grid_of, Channel, Petition, PetitionEvent, PetitionNumber};
use chengguan_core::text;
use chengguan_store::prelude::*;
use chengguan_store::PetitionUpdate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use crate::access::{Actor, Session, UseCase};
use crate::{App, AppError, Result};

mod categories;
pub(crate) mod import;
mod limits;
mod open311;
mod query;
mod writer;

pub(crate) use writer::PetitionWriter;

pub use categories::CategoryInput;
pub use import::{ImportReport, RowProblem};
pub use limits::SlaRow;
pub use open311::*;
pub use query::{PetitionPage, PetitionQuery};

/// A petition as the desk enters it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewPetition {
    /// Channel code, e.g. `hotline`.
    pub channel: String,
    /// Category code, e.g. `sanitation`.
    pub category: String,
    /// What the resident reports.
    pub description: String,
    /// Longitude, if a point was picked or sent.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// The point's coordinate system: `wgs84` (default), `gcj02`, `bd09`.
    pub crs: Option<String>,
    /// Address as given.
    pub address: String,
    /// Caller's name.
    pub reporter_name: String,
    /// Caller's phone.
    pub reporter_phone: String,
    /// A photo or recording sent with it (URL).
    pub media_url: Option<String>,
}

/// What the intake may know of a reporter besides the desk's name and phone (personal data, never public).
#[derive(Debug, Clone, Default)]
pub(crate) struct Contact {
    /// E-mail address.
    pub email: String,
    /// The sending device's id.
    pub device: String,
}

/// A petition as lists show it: the reporter's phone masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PetitionView {
    /// Identifier.
    pub id: String,
    /// Number, e.g. `GT-2026-000123`.
    pub number: String,
    /// Channel code.
    pub channel: String,
    /// Channel in Chinese.
    pub channel_label: String,
    /// Category code.
    pub category: String,
    /// Category in Chinese.
    pub category_label: String,
    /// Description.
    pub description: String,
    /// `[lon, lat]` in WGS-84 (in a list: in the query's display coordinate system).
    pub location: Option<[f64; 2]>,
    /// Address.
    pub address: String,
    /// Grid code.
    pub grid_code: Option<String>,
    /// Why a duty officer placed it in this grid rather than the one its point fell in.
    pub grid_override_reason: Option<String>,
    /// Reporter's name.
    pub reporter_name: String,
    /// Reporter's phone, masked.
    pub reporter_phone: String,
    /// Status code.
    pub status: String,
    /// Status in Chinese.
    pub status_label: String,
    /// Level code.
    pub level: Option<String>,
    /// Assignee.
    pub assignee: Option<String>,
    /// Deadline (RFC 3339).
    pub deadline: String,
    /// Open and past its deadline.
    pub overdue: bool,
    /// Rating 1–5.
    pub rating: Option<u8>,
    /// Received (RFC 3339).
    pub received_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// Photo or recording (URL).
    pub media_url: Option<String>,
    /// Row version (send it back with the next step).
    pub version: i64,
    /// The steps its state allows now (`accept`, `reject`, `assign`, …), as the workflow decides.
    pub allowed_steps: Vec<String>,
}

/// One entry of a petition's timeline, as front ends show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineEntry {
    /// When (RFC 3339).
    pub at: String,
    /// Who (a user name, or `apikey:NAME` for the intake).
    pub actor: String,
    /// What, in Chinese (登记, 受理, …).
    pub action: String,
    /// The status after it, in Chinese.
    pub status_after: String,
    /// The note given.
    pub note: String,
}

impl From<PetitionEvent> for TimelineEntry {
    fn from(e: PetitionEvent) -> Self {
        TimelineEntry {
            at: e.at.to_rfc3339(),
            actor: e.actor,
            action: e.action,
            status_after: e.status_after,
            note: e.note,
        }
    }
}

/// A workflow step as a front end sends it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// 受理, optionally reclassifying.
    Accept {
        /// New category code.
        category: Option<String>,
    },
    /// 不予受理.
    Reject {
        /// Why.
        reason: String,
    },
    /// 分级交办.
    Assign {
        /// `grid`, `community`, `town` or `county`.
        level: String,
        /// Who handles it.
        assignee: String,
    },
    /// 转办.
    Transfer {
        /// The new assignee.
        assignee: String,
    },
    /// 升级.
    Escalate,
    /// 办结.
    Resolve,
    /// 评价.
    Rate {
        /// 1–5.
        stars: u8,
        /// Comment.
        comment: Option<String>,
    },
    /// 退回重办.
    Reopen,
    /// 合并 into another petition.
    Merge {
        /// Its number.
        into: String,
    },
}

impl App {
    /// Registers a petition taken at the desk: checks it, converts its point to WGS-84, finds its grid, sets its
    /// deadline at the grid level, numbers it; recorded in the timeline and the audit log.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_petition(
        &self,
        session: &Session,
        new: &NewPetition,
    ) -> Result<PetitionView> {
        let actor = self
            .authorize(Some(session), UseCase::CreatePetition)
            .await?;
        let stored = self
            .register(&actor.username, new, true, Contact::default())
            .await?;
        Ok(view(&stored, self.clock.now(), &*self.taxonomy().await?))
    }

    /// Checks and stores a new petition in the name of `registrar` (a user, or an intake key's `apikey:NAME`).
    /// `phone_required`: the desk always asks the caller's phone; a report from the mini-program may be anonymous.
    /// `contact`: what else the intake was told about the reporter (kept as personal data). Returns the petition
    /// as stored; each front end shapes its own answer from it.
    pub(crate) async fn register(
        &self,
        registrar: &str,
        new: &NewPetition,
        phone_required: bool,
        contact: Contact,
    ) -> Result<Petition> {
        let invalid = |field: &'static str, problem: String| AppError::Invalid { field, problem };
        let channel = Channel::from_code(new.channel.trim())
            .ok_or_else(|| invalid("渠道", format!("未知渠道「{}」", new.channel)))?;
        let taxonomy = self.taxonomy().await?;
        let cat = taxonomy
            .usable(new.category.trim())
            .ok_or_else(|| invalid("类别", format!("未知或已停用的类别「{}」", new.category)))?;
        let description = new.description.trim();
        if description.is_empty() {
            return Err(invalid("诉求内容", "不能为空".into()));
        }
        AppError::check_text("诉求内容", description, text::DESCRIPTION_MAX, true)?;
        AppError::check_text("反映人", &new.reporter_name, text::NAME_MAX, false)?;
        AppError::check_text("地址", &new.address, text::ADDRESS_MAX, false)?;
        AppError::check_text("联系电话", &new.reporter_phone, text::SHORT_MAX, false)?;
        if let Some(url) = &new.media_url {
            AppError::check_text("照片或录音地址", url, text::URL_MAX, false)?;
        }
        if phone_required && new.reporter_name.trim().is_empty() {
            return Err(invalid("反映人", "不能为空".into()));
        }
        let phone = new.reporter_phone.trim();
        if (phone_required || !phone.is_empty())
            && !(phone.len() >= 7
                && phone.len() <= 15
                && phone.chars().all(|c| c.is_ascii_digit() || c == '-'))
        {
            // The number itself is not repeated: this message reaches the logs.
            return Err(invalid(
                "联系电话",
                "不是电话号码（应为 7–15 位数字，可含连字符）".into(),
            ));
        }
        let crs_code = new.crs.clone().unwrap_or_else(|| "wgs84".into());
        let crs = Crs::from_code(&crs_code)
            .ok_or_else(|| invalid("坐标系", format!("未知坐标系「{crs_code}」")))?;
        let location = match (new.lon, new.lat) {
            (Some(lon), Some(lat)) => {
                if !(73.0..=136.0).contains(&lon) || !(3.0..=54.0).contains(&lat) {
                    return Err(invalid(
                        "位置",
                        format!("({lon}, {lat}) 不在中国境内（经纬度是否写反？）"),
                    ));
                }
                let w = crs.to_wgs84(geo::Coord { x: lon, y: lat });
                Some([w.x, w.y])
            }
            (None, None) => None,
            _ => return Err(invalid("位置", "经度和纬度须同时填写".into())),
        };
        if location.is_none() && new.address.trim().is_empty() {
            return Err(invalid("位置", "请在地图上选点或填写地址".into()));
        }
        let grids = self.cached_grids().await?;
        let grid_code = location
            .and_then(|p| grid_of(p, &grids))
            .map(|g| g.code.clone());
        let now = self.clock.now();
        let petition = Petition {
            id: chengguan_core::new_id(),
            // The store gives the sequence number within the Beijing year of receipt.
            number: PetitionNumber {
                year: chengguan_core::time::beijing_year(now),
                sequence: 0,
            },
            channel,
            category: cat.code.clone(),
            description: description.into(),
            location,
            arrived_crs: crs.code().into(),
            address: new.address.trim().into(),
            grid_code,
            grid_override_reason: None,
            reporter_name: new.reporter_name.trim().into(),
            reporter_phone: phone.into(),
            status: Status::Received,
            level: None,
            assignee: None,
            deadline: sla_deadline(
                &*self.sla_table().await?,
                &*self.holiday_calendar().await?,
                now,
                &cat.code,
                Level::Grid,
            ),
            rating: None,
            rating_comment: None,
            merged_into: None,
            received_at: now,
            closed_at: None,
            version: 1,
            media_url: new.media_url.clone().filter(|u| !u.trim().is_empty()),
            updated_at: now,
            reporter_email: contact.email,
            reporter_device: contact.device,
        };
        let event = PetitionEvent {
            at: now,
            actor: registrar.into(),
            action: "登记".into(),
            status_after: Status::Received.label().into(),
            note: format!("{}：{}", channel.label(), cat.name),
        };
        let audit = AuditDraft::new(
            registrar,
            "petition.create",
            "petition",
            json!({"channel": channel.code(), "category": cat.code, "grid": petition.grid_code}),
        );
        Ok(self
            .caches
            .petition_writer(&self.store)
            .insert((petition, event, audit))
            .await?)
    }

    /// A petition's timeline, oldest first.
    pub async fn petition_timeline(
        &self,
        session: &Session,
        id: &str,
    ) -> Result<Vec<TimelineEntry>> {
        let actor = self
            .authorize(Some(session), UseCase::PetitionTimeline)
            .await?;
        let petition = self.require_petition(id).await?;
        require_scope(&actor, &petition)?;
        Ok(self
            .store
            .petition_events(petition.id)
            .await?
            .into_iter()
            .map(TimelineEntry::from)
            .collect())
    }

    /// One workflow step on the petition `id` as read at `expected_version`. An illegal step is refused with
    /// the reason and changes nothing; a stale version is a conflict carrying the stored version.
    #[tracing::instrument(skip_all, err)]
    pub async fn act_on_petition(
        &self,
        session: &Session,
        id: &str,
        expected_version: i64,
        step: &Step,
        note: &str,
    ) -> Result<PetitionView> {
        let actor = self
            .authorize(Some(session), UseCase::ActOnPetition)
            .await?;
        let before = self.require_petition(id).await?;
        require_scope(&actor, &before)?;
        let action = match step {
            Step::Accept { .. } => Action::Accept,
            Step::Reject { reason } => Action::Reject {
                reason: reason.clone(),
            },
            Step::Assign { level, .. } => Action::Assign {
                level: Level::from_code(level).ok_or_else(|| AppError::Invalid {
                    field: "办理层级",
                    problem: format!("未知层级「{level}」，可选 {}", level_codes()),
                })?,
            },
            Step::Transfer { .. } => Action::Transfer,
            Step::Escalate => Action::Escalate,
            Step::Resolve => Action::Resolve,
            Step::Rate { stars, .. } => Action::Rate { stars: *stars },
            Step::Reopen => Action::Reopen,
            Step::Merge { .. } => Action::Merge,
        };
        let stage = Stage {
            status: before.status,
            level: before.level,
            rating: before.rating,
        };
        AppError::check_text("备注", note, text::REASON_MAX, true)?;
        match step {
            Step::Reject { reason } => {
                AppError::check_text("不予受理理由", reason, text::REASON_MAX, true)?
            }
            Step::Assign { assignee, .. } | Step::Transfer { assignee } => {
                AppError::check_text("承办人", assignee, text::NAME_MAX, false)?
            }
            Step::Rate {
                comment: Some(c), ..
            } => AppError::check_text("评价", c, text::REASON_MAX, true)?,
            _ => {}
        }
        let after = apply(&stage, &action).map_err(AppError::Workflow)?;
        let now = self.clock.now();
        let mut p = Petition {
            status: after.status,
            level: after.level,
            rating: after.rating,
            version: expected_version,
            updated_at: now,
            ..before.clone()
        };
        match step {
            Step::Accept { category: Some(c) } => {
                p.category = self
                    .taxonomy()
                    .await?
                    .usable(c)
                    .ok_or_else(|| AppError::Invalid {
                        field: "类别",
                        problem: format!("未知或已停用的类别「{c}」"),
                    })?
                    .code
                    .clone();
            }
            Step::Assign { assignee, .. } | Step::Transfer { assignee } => {
                if assignee.trim().is_empty() {
                    return Err(AppError::Invalid {
                        field: "承办人",
                        problem: "不能为空".into(),
                    });
                }
                p.assignee = Some(assignee.trim().into());
            }
            Step::Rate { comment, .. } => p.rating_comment = comment.clone(),
            Step::Merge { into } => {
                let number: PetitionNumber = into.parse().map_err(|problem| AppError::Invalid {
                    field: "合并到",
                    problem,
                })?;
                let target = self.petition_numbered(number).await?;
                if target.id == p.id {
                    return Err(AppError::Invalid {
                        field: "合并到",
                        problem: "不能合并到自身".into(),
                    });
                }
                p.merged_into = Some(target.id);
            }
            _ => {}
        }
        // The clock restarts at a new level or when sent back; a step that ends the work closes it.
        if matches!(step, Step::Assign { .. } | Step::Escalate | Step::Reopen) {
            p.deadline = sla_deadline(
                &*self.sla_table().await?,
                &*self.holiday_calendar().await?,
                now,
                &p.category,
                p.level.unwrap_or(Level::Grid),
            );
        }
        p.closed_at = match p.status {
            Status::Resolved | Status::Rated | Status::Rejected | Status::Merged => {
                before.closed_at.or(Some(now))
            }
            _ => None,
        };
        let event = PetitionEvent {
            at: now,
            actor: actor.username.clone(),
            action: action.label().into(),
            status_after: p.status.label().into(),
            note: note.trim().into(),
        };
        let audit = AuditDraft::new(
            &actor.username,
            &format!("petition.{}", action.kind().code()),
            format!("petition:{}", before.number),
            json!({
                "before": {"status": before.status.code(), "level": before.level.map(|l| l.code()), "assignee": before.assignee},
                "after": {"status": p.status.code(), "level": p.level.map(|l| l.code()), "assignee": p.assignee},
            }),
        );
        let stored = self
            .store
            .update_petition(&PetitionUpdate { petition: p, event }, &audit)
            .await?;
        Ok(view(&stored, now, &*self.taxonomy().await?))
    }

    /// Places the petition `id` (as read at `expected_version`) in another grid than the one its point fell in
    /// (a duty officer's correction, e.g. a point on a road between grids); the reason is required and recorded
    /// in the timeline and the audit log. The workflow's state does not change.
    #[tracing::instrument(skip_all, err)]
    pub async fn override_petition_grid(
        &self,
        session: &Session,
        id: &str,
        expected_version: i64,
        grid_code: &str,
        reason: &str,
    ) -> Result<PetitionView> {
        let actor = self
            .authorize(Some(session), UseCase::ActOnPetition)
            .await?;
        let before = self.require_petition(id).await?;
        require_scope(&actor, &before)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid {
                field: "理由",
                problem: "改派网格须说明理由".into(),
            });
        }
        AppError::check_text("理由", reason, text::REASON_MAX, true)?;
        let grid_code = grid_code.trim();
        if !self
            .cached_grids()
            .await?
            .iter()
            .any(|g| g.code == grid_code)
        {
            return Err(AppError::GridNotFound(grid_code.into()));
        }
        let now = self.clock.now();
        let from = before.grid_code.clone().unwrap_or_else(|| "未定位".into());
        let p = Petition {
            grid_code: Some(grid_code.into()),
            grid_override_reason: Some(reason.into()),
            version: expected_version,
            updated_at: now,
            ..before.clone()
        };
        let event = PetitionEvent {
            at: now,
            actor: actor.username.clone(),
            action: "改派网格".into(),
            status_after: p.status.label().into(),
            note: format!("{from} → {grid_code}：{reason}"),
        };
        let audit = AuditDraft::new(
            &actor.username,
            "petition.regrid",
            format!("petition:{}", before.number),
            json!({"from": before.grid_code, "to": grid_code}),
        )
        .with_reason(reason);
        let stored = self
            .store
            .update_petition(&PetitionUpdate { petition: p, event }, &audit)
            .await?;
        Ok(view(&stored, now, &*self.taxonomy().await?))
    }

    /// A petition by its number (`GT-2026-000123`) or identifier, as the user may see it.
    pub async fn find_petition(
        &self,
        session: &Session,
        number_or_id: &str,
    ) -> Result<PetitionView> {
        let actor = self
            .authorize(Some(session), UseCase::ListPetitions)
            .await?;
        let petition = match number_or_id.parse::<PetitionNumber>() {
            Ok(number) => self.petition_numbered(number).await?,
            Err(_) => self.require_petition(number_or_id).await?,
        };
        require_scope(&actor, &petition)?;
        Ok(view(&petition, self.clock.now(), &*self.taxonomy().await?))
    }

    /// The petition with `number`; an unknown one is [`AppError::NotFound`].
    pub(crate) async fn petition_numbered(&self, number: PetitionNumber) -> Result<Petition> {
        self.store
            .petition_by_number(i64::from(number.year), i64::from(number.sequence))
            .await?
            .ok_or_else(|| AppError::NotFound {
                entity: "诉求",
                key: number.to_string(),
            })
    }

    async fn require_petition(&self, id: &str) -> Result<Petition> {
        let not_found = || AppError::NotFound {
            entity: "诉求",
            key: id.to_string(),
        };
        let uuid = Uuid::parse_str(id).map_err(|_| not_found())?;
        self.store.petition(uuid).await?.ok_or_else(not_found)
    }
}

pub(crate) fn require_scope(actor: &Actor, p: &Petition) -> Result<()> {
    match (&actor.only_grid, &p.grid_code) {
        (Some(own), grid) if grid.as_deref() != Some(own.as_str()) => Err(AppError::OutOfScope {
            own: own.clone(),
            asked: p.number.to_string(),
        }),
        _ => Ok(()),
    }
}

/// The deadline of a petition of `category` handled at `level` from `from`, by the limits in `table`, counted
/// in the working days of `calendar`.
fn sla_deadline(
    table: &SlaTable,
    calendar: &HolidayCalendar,
    from: chrono::DateTime<chrono::Utc>,
    category: &str,
    level: Level,
) -> chrono::DateTime<chrono::Utc> {
    deadline(from, table.days(category, level), calendar)
}

pub(crate) fn view(
    p: &Petition,
    now: chrono::DateTime<chrono::Utc>,
    taxonomy: &Taxonomy,
) -> PetitionView {
    PetitionView {
        id: p.id.to_string(),
        number: p.number.to_string(),
        channel: p.channel.code().into(),
        channel_label: p.channel.label().into(),
        category: p.category.clone(),
        category_label: taxonomy.name_of(&p.category),
        description: p.description.clone(),
        location: p.location,
        address: p.address.clone(),
        grid_code: p.grid_code.clone(),
        grid_override_reason: p.grid_override_reason.clone(),
        reporter_name: p.reporter_name.clone(),
        reporter_phone: mask_phone(&p.reporter_phone),
        status: p.status.code().into(),
        status_label: p.status.label().into(),
        level: p.level.map(|l| l.code().into()),
        assignee: p.assignee.clone(),
        deadline: p.deadline.to_rfc3339(),
        overdue: chengguan_core::petitions::sla::is_overdue(p.status.is_open(), p.deadline, now),
        rating: p.rating,
        received_at: p.received_at.to_rfc3339(),
        updated_at: p.updated_at.to_rfc3339(),
        media_url: p.media_url.clone(),
        version: p.version,
        allowed_steps: allowed_steps(p),
    }
}

/// The steps [`apply`] accepts from `p`'s stage (arguments that do not decide legality are representative).
fn allowed_steps(p: &Petition) -> Vec<String> {
    let stage = Stage {
        status: p.status,
        level: p.level,
        rating: p.rating,
    };
    [
        Action::Accept,
        Action::Reject { reason: "-".into() },
        Action::Assign { level: Level::Grid },
        Action::Transfer,
        Action::Escalate,
        Action::Resolve,
        Action::Rate { stars: 5 },
        Action::Reopen,
        Action::Merge,
    ]
    .into_iter()
    .filter(|a| apply(&stage, a).is_ok())
    .map(|a| a.kind().code().to_string())
    .collect()
}

/// The handling levels' codes, for messages: `grid、community、town、county`.
pub(crate) fn level_codes() -> String {
    Level::ALL.map(Level::code).join("、")
}
