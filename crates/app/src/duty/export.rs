//! The schedule as files: `.ics` (RFC 5545, [`chengguan_core::calendar::ics`]) for calendar clients, and
//! xlsx for print and filing.

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::ics::{self, DutyEvent};
use chengguan_store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::ScheduleFilter;
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The file formats of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DutyFormat {
    /// iCalendar.
    Ics,
    /// Excel.
    Xlsx,
}

impl DutyFormat {
    /// From `ics` or `xlsx`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "ics" => Ok(Self::Ics),
            "xlsx" => Ok(Self::Xlsx),
            other => Err(AppError::Invalid {
                field: "格式",
                problem: format!("「{other}」应为 ics 或 xlsx"),
            }),
        }
    }
}

impl App {
    /// The schedule as filtered, as `.ics` or xlsx bytes (audited: who took the rotation away, and which part).
    #[tracing::instrument(skip_all, err)]
    pub async fn export_duty(
        &self,
        session: &Session,
        filter: &ScheduleFilter,
        format: DutyFormat,
    ) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::ExportDuty).await?;
        let (index, views, turns) = self.schedule_turns(filter).await?;
        let bytes = match format {
            DutyFormat::Ics => {
                let events: Vec<DutyEvent> = turns
                    .iter()
                    .zip(&views)
                    .map(|(t, v)| DutyEvent {
                        alliance_id: t.turn.alliance_id,
                        starts_on: t.turn.starts_on,
                        ends_on: t.turn.ends_on,
                        summary: if v.organisation.is_empty() {
                            format!("轮值待定（{}）", v.alliance)
                        } else {
                            format!("{}值班（{}）", v.organisation, v.alliance)
                        },
                        description: format!(
                            "{}“1+X”联盟轮值：{} 至 {}{}",
                            v.alliance_code,
                            v.starts_on,
                            v.ends_on,
                            if v.manual && !v.reason.is_empty() {
                                format!("；调整理由：{}", v.reason)
                            } else {
                                String::new()
                            }
                        ),
                        sequence: u32::try_from(t.version.max(1) - 1).unwrap_or(0),
                    })
                    .collect();
                let name = match (&filter.alliance, &filter.unit) {
                    (_, Some(u)) if !u.trim().is_empty() => format!("{}轮值", u.trim()),
                    (Some(a), _) if !a.trim().is_empty() => {
                        format!("{}轮值", index.find(a)?.name)
                    }
                    _ => "城关镇联盟轮值".to_string(),
                };
                ics::write(&name, &events, self.clock.now()).into_bytes()
            }
            DutyFormat::Xlsx => crate::xlsx::workbook(
                "联盟轮值",
                &[
                    "联盟编码",
                    "联盟",
                    "值班单位",
                    "开始日期",
                    "结束日期",
                    "人工调整",
                    "理由",
                ],
                views.iter().map(|v| {
                    vec![
                        v.alliance_code.clone(),
                        v.alliance.clone(),
                        if v.organisation.is_empty() {
                            "（待定）".into()
                        } else {
                            v.organisation.clone()
                        },
                        v.starts_on.clone(),
                        v.ends_on.clone(),
                        if v.manual { "是" } else { "" }.into(),
                        v.reason.clone(),
                    ]
                }),
            )?,
        };
        self.store
            .append_audit(&AuditDraft::new(
                &actor.username,
                "duty.export",
                "duty_turns",
                json!({ "format": format, "from": filter.from, "to": filter.to,
                        "alliance": filter.alliance, "unit": filter.unit, "turns": views.len() }),
            ))
            .await?;
        Ok(bytes)
    }

    /// [`App::export_duty`] as a download.
    pub async fn duty_download(
        &self,
        session: &Session,
        filter: &ScheduleFilter,
        format: DutyFormat,
    ) -> Result<crate::api::Download> {
        let bytes = self.export_duty(session, filter, format).await?;
        Ok(crate::api::Download {
            file_name: format!(
                "联盟轮值-{}.{}",
                self.file_stamp(),
                match format {
                    DutyFormat::Ics => "ics",
                    DutyFormat::Xlsx => "xlsx",
                }
            ),
            bytes,
        })
    }
}
