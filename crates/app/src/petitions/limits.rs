//! The handling time limits per category and level (working days), as the administrator sets them.

use chengguan_core::audit::AuditDraft;
use chengguan_core::petitions::sla::SlaTable;
use chengguan_core::petitions::workflow::Level;
use chengguan_store::prelude::*;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// Most working days a limit may be.
pub const MAX_WORKING_DAYS: u32 = 60;

/// One limit as lists show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SlaRow {
    /// Category code.
    pub category: String,
    /// Category name.
    pub category_label: String,
    /// Level code.
    pub level: String,
    /// Level in Chinese.
    pub level_label: String,
    /// Working days in force.
    pub working_days: u32,
    /// The built-in default.
    pub default_days: u32,
}

impl App {
    /// Every category × level with the limit in force and the default.
    pub async fn list_sla(&self, session: &Session) -> Result<Vec<SlaRow>> {
        self.authorize(Some(session), UseCase::ListSla).await?;
        let table = self.sla_table().await?;
        let taxonomy = self.taxonomy().await?;
        let defaults = SlaTable::default();
        Ok(taxonomy
            .active()
            .flat_map(|c| {
                let (table, defaults) = (&table, &defaults);
                Level::ALL.iter().map(move |l| SlaRow {
                    category: c.code.clone(),
                    category_label: c.name.clone(),
                    level: l.code().into(),
                    level_label: l.label().into(),
                    working_days: table.days(&c.code, *l),
                    default_days: defaults.days(&c.code, *l),
                })
            })
            .collect())
    }

    /// Sets the limit for `category` at `level` to `working_days` (1–60), or back to the default (`None`).
    /// Applies to petitions registered or moved to a level from now on.
    pub async fn set_sla(
        &self,
        session: &Session,
        category_code: &str,
        level: &str,
        working_days: Option<u32>,
    ) -> Result<Vec<SlaRow>> {
        let actor = self.authorize(Some(session), UseCase::SetSla).await?;
        let taxonomy = self.taxonomy().await?;
        let cat = taxonomy
            .get(category_code)
            .ok_or_else(|| AppError::Invalid {
                field: "类别",
                problem: format!("未知类别「{category_code}」"),
            })?;
        let lvl = Level::from_code(level).ok_or_else(|| AppError::Invalid {
            field: "办理层级",
            problem: format!("未知层级「{level}」，可选 {}", super::level_codes()),
        })?;
        if let Some(days) = working_days {
            if !(1..=MAX_WORKING_DAYS).contains(&days) {
                return Err(AppError::Invalid {
                    field: "办理时限",
                    problem: format!("{days} 个工作日不在 1–{MAX_WORKING_DAYS} 之内"),
                });
            }
        }
        let before = self.sla_table().await?.days(&cat.code, lvl);
        let audit = AuditDraft::new(
            &actor.username,
            "sla.set",
            format!("sla:{}:{}", cat.code, lvl.code()),
            json!({"before": before, "after": working_days}),
        );
        self.store
            .set_sla_rule(
                &cat.code,
                lvl.code(),
                working_days.map(i64::from),
                &actor.username,
                &audit,
            )
            .await?;
        self.forget_sla();
        self.list_sla(session).await
    }
}
