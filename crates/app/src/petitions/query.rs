//! The queue's filters: a [`PetitionQuery`] as a front end sends it, checked and turned into the store's filter.

use chengguan_core::geo::Crs;
use chengguan_core::petitions::workflow::{Level, Status};
use chengguan_core::petitions::Channel;
use chengguan_store::prelude::*;
use chengguan_store::PetitionFilter;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{view, PetitionView};
use crate::access::{Session, UseCase};
use crate::days::beijing_day_start;
use crate::{App, AppError, Result};

/// The queue's filters. Empty lists mean "all"; dates are Beijing calendar days, both ends included.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PetitionQuery {
    /// Status codes (`received`, `in_progress`, …).
    pub statuses: Vec<String>,
    /// Category codes.
    pub categories: Vec<String>,
    /// Channel codes.
    pub channels: Vec<String>,
    /// Handling levels (`grid`, `community`, `town`, `county`).
    pub levels: Vec<String>,
    /// One grid, by code.
    pub grid_code: Option<String>,
    /// One community, by code.
    pub community_code: Option<String>,
    /// Only open petitions past their deadline.
    pub overdue_only: bool,
    /// Soonest deadline first (default: newest first).
    pub by_deadline: bool,
    /// Received on or after this day (`YYYY-MM-DD`).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    /// Skip this many.
    pub offset: i64,
    /// At most this many (1–10,000; 0 means 200).
    pub limit: i64,
    /// Coordinate system of the returned locations, for the map's base map: `wgs84` (default) or `gcj02`.
    pub display_crs: Option<String>,
}

/// One page of the queue and how many match in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PetitionPage {
    /// Matching petitions in all.
    pub total: i64,
    /// This page.
    pub items: Vec<PetitionView>,
}

impl PetitionQuery {
    /// The coordinate system locations are returned in (`display_crs`, default WGS-84).
    pub(crate) fn crs(&self) -> Result<Crs> {
        let code = self
            .display_crs
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or("wgs84");
        Crs::from_code(code).ok_or_else(|| AppError::Invalid {
            field: "坐标系",
            problem: format!("未知坐标系「{code}」"),
        })
    }
}

impl App {
    /// The petitions matching `query` (a grid worker: only their grid's), one page of them and the total.
    pub async fn list_petitions(
        &self,
        session: &Session,
        query: &PetitionQuery,
    ) -> Result<PetitionPage> {
        let actor = self
            .authorize(Some(session), UseCase::ListPetitions)
            .await?;
        let now = self.clock.now();
        let mut filter = self.petition_filter(query, now).await?;
        filter.grid_code = actor.only_grid.clone();
        let crs = query.crs()?;
        let total = self.store.count_petitions(&filter).await?;
        let taxonomy = self.taxonomy().await?;
        let items = self
            .store
            .petitions(&filter)
            .await?
            .iter()
            .map(|p| {
                let mut v = view(p, now, &taxonomy);
                v.location = p.location.map(|[x, y]| {
                    let c = crs.from_wgs84(geo::Coord { x, y });
                    [c.x, c.y]
                });
                v
            })
            .collect();
        Ok(PetitionPage { total, items })
    }

    /// The petitions matching `query` (all of them, not one page) as an xlsx workbook. Without `reveal_reason`
    /// reporters' names and phones are masked and contact numbers in the descriptions blanked; with one, they are
    /// in clear, which needs the reveal permission and a reason. The export is audited with every filter used.
    pub async fn export_petitions(
        &self,
        session: &Session,
        query: &PetitionQuery,
        reveal_reason: Option<&str>,
    ) -> Result<Vec<u8>> {
        let actor = self
            .authorize(Some(session), UseCase::ListPetitions)
            .await?;
        let in_clear = match reveal_reason {
            None => None,
            Some(reason) => {
                self.authorize(Some(session), UseCase::ExportPetitionsInClear)
                    .await?;
                Some(crate::audit::require_reason(reason)?.to_string())
            }
        };
        let now = self.clock.now();
        let mut filter = self.petition_filter(query, now).await?;
        filter.grid_code = actor.only_grid.clone();
        filter.offset = 0;
        filter.limit = i64::MAX;
        let petitions = self.store.petitions(&filter).await?;
        let taxonomy = self.taxonomy().await?;
        let beijing = chengguan_core::time::beijing();
        let when = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&beijing)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        let rows = petitions.iter().map(|p| {
            let mut v = view(p, now, &taxonomy);
            if in_clear.is_some() {
                v.reporter_phone = p.reporter_phone.clone();
            } else {
                v.reporter_name = chengguan_core::people::mask_name(&p.reporter_name);
                v.description = chengguan_core::text::redact_contacts(&v.description);
            }
            vec![
                v.number,
                when(p.received_at),
                v.channel_label,
                v.category_label,
                v.grid_code.unwrap_or_default(),
                v.address,
                v.description,
                v.reporter_name,
                v.reporter_phone,
                v.status_label,
                v.level.unwrap_or_default(),
                v.assignee.unwrap_or_default(),
                when(p.deadline),
                if v.overdue {
                    "是".into()
                } else {
                    String::new()
                },
                v.rating.map(|r| r.to_string()).unwrap_or_default(),
            ]
        });
        let bytes = crate::xlsx::workbook(
            "诉求",
            &[
                "编号",
                "受理时间",
                "渠道",
                "类别",
                "网格",
                "地址",
                "诉求内容",
                "反映人",
                "联系电话",
                "状态",
                "层级",
                "承办",
                "办理时限",
                "超期",
                "评价",
            ],
            rows,
        )?;
        let mut audit = chengguan_core::audit::AuditDraft::new(
            &actor.username,
            "petition.export",
            "petitions",
            serde_json::json!({
                "rows": petitions.len(),
                "in_clear": in_clear.is_some(),
                "query": query,
                "only_grid": actor.only_grid,
            }),
        );
        if let Some(reason) = &in_clear {
            audit = audit.with_reason(reason);
        }
        self.store.append_audit(&audit).await?;
        Ok(bytes)
    }

    /// [`App::export_petitions`] named `诉求-YYYYMMDD-HHMMSS.xlsx` (Beijing time).
    pub async fn petitions_download(
        &self,
        session: &Session,
        query: &PetitionQuery,
        reveal_reason: Option<&str>,
    ) -> Result<crate::api::Download> {
        let bytes = self.export_petitions(session, query, reveal_reason).await?;
        Ok(crate::api::Download {
            file_name: format!("诉求-{}.xlsx", self.file_stamp()),
            bytes,
        })
    }

    /// Checks every code of `q` (an unknown one names its field) and builds the store's filter.
    pub(crate) async fn petition_filter(
        &self,
        q: &PetitionQuery,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<PetitionFilter> {
        let taxonomy = self.taxonomy().await?;
        let known = |field: &'static str, codes: &[String], ok: &dyn Fn(&str) -> bool| match codes
            .iter()
            .find(|c| !ok(c))
        {
            Some(bad) => Err(AppError::Invalid {
                field,
                problem: format!("未知代码「{bad}」"),
            }),
            None => Ok(codes.to_vec()),
        };
        let mut statuses = known("状态", &q.statuses, &|c| Status::from_code(c).is_some())?;
        if q.overdue_only {
            let open = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.code());
            statuses = if statuses.is_empty() {
                open.map(String::from).collect()
            } else {
                statuses
                    .into_iter()
                    .filter(|s| open.clone().any(|o| o == s))
                    .collect()
            };
            if statuses.is_empty() {
                // Only closed statuses were asked for: none of them can be overdue.
                statuses.push("none".into());
            }
        }
        let mut grid_codes = Vec::new();
        if let Some(code) = q.community_code.as_deref().filter(|c| !c.is_empty()) {
            let community = self
                .store
                .communities()
                .await?
                .into_iter()
                .find(|c| c.code == code)
                .ok_or_else(|| AppError::Invalid {
                    field: "社区",
                    problem: format!("没有社区「{code}」"),
                })?;
            grid_codes = self
                .store
                .grids()
                .await?
                .into_iter()
                .filter(|g| g.community_id == community.id)
                .map(|g| g.code)
                .collect();
        }
        if let Some(code) = q.grid_code.as_deref().filter(|c| !c.is_empty()) {
            if !grid_codes.is_empty() && !grid_codes.iter().any(|g| g == code) {
                grid_codes = vec!["none".into()];
            } else {
                grid_codes = vec![code.to_string()];
            }
        }
        Ok(PetitionFilter {
            statuses,
            categories: known("类别", &q.categories, &|c| taxonomy.get(c).is_some())?,
            channels: known("渠道", &q.channels, &|c| Channel::from_code(c).is_some())?,
            levels: known("办理层级", &q.levels, &|c| {
                Level::from_code(c).is_some()
            })?,
            grid_code: None,
            grid_codes,
            received_from: beijing_day_start(q.received_from.as_deref(), 0)?,
            received_before: beijing_day_start(q.received_to.as_deref(), 1)?,
            deadline_before: q.overdue_only.then_some(now),
            by_deadline: q.by_deadline,
            offset: q.offset.max(0),
            limit: if q.limit == 0 {
                200
            } else {
                q.limit.clamp(1, 10_000)
            },
        })
    }
}
