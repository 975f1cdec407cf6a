//! The town's petition categories as the administrator keeps them: the defaults renamed, new ones added, old ones
//! retired. Codes are stable (the Open311 `service_code`, stored on every petition): a code is given once and
//! never changes or goes away; a retired category stays on its petitions and in filters, and is no longer offered.

use chengguan_core::audit::AuditDraft;
use chengguan_core::petitions::taxonomy::check_code;
use chengguan_store::prelude::*;
use chengguan_store::StoredCategory;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// Longest category name (characters).
pub const MAX_NAME_CHARS: usize = 16;
/// Longest description (characters).
pub const MAX_DESCRIPTION_CHARS: usize = 200;

/// One category as lists and forms show it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct CategoryInput {
    /// Stable code (lower-case letters, digits, `_`); cannot change once saved.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// What belongs here.
    pub description: String,
    /// Offered for new petitions.
    pub active: bool,
}

impl App {
    /// Every category in the town's order, retired ones included (marked inactive).
    pub async fn list_categories(&self, session: &Session) -> Result<Vec<CategoryInput>> {
        self.authorize(Some(session), UseCase::ListCategories)
            .await?;
        Ok(self
            .taxonomy()
            .await?
            .all()
            .iter()
            .map(|c| CategoryInput {
                code: c.code.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                active: c.active,
            })
            .collect())
    }

    /// Adds a category (a new code goes at the end) or renames, re-describes, retires or restores one (the code
    /// stays). Names are unique. Recorded in the audit log with the before and after; returns the list.
    pub async fn save_category(
        &self,
        session: &Session,
        input: &CategoryInput,
    ) -> Result<Vec<CategoryInput>> {
        let actor = self.authorize(Some(session), UseCase::SaveCategory).await?;
        let code = input.code.trim();
        let name = input.name.trim();
        let description = input.description.trim();
        check_code(code).map_err(|problem| AppError::Invalid {
            field: "类别编码",
            problem,
        })?;
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(AppError::Invalid {
                field: "类别名称",
                problem: format!("不能为空，且不超过 {MAX_NAME_CHARS} 字"),
            });
        }
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(AppError::Invalid {
                field: "类别说明",
                problem: format!("不超过 {MAX_DESCRIPTION_CHARS} 字"),
            });
        }
        // Read afresh, not from the copy another workstation's change may have outdated.
        let stored = self.store.categories().await?;
        if let Some(other) = stored.iter().find(|c| c.name == name && c.code != code) {
            return Err(AppError::Invalid {
                field: "类别名称",
                problem: format!("「{name}」已是类别 {} 的名称", other.code),
            });
        }
        let before = stored.iter().find(|c| c.code == code);
        if before.is_none() && !input.active {
            return Err(AppError::Invalid {
                field: "类别",
                problem: "新类别应为启用状态".into(),
            });
        }
        let after = StoredCategory {
            code: code.into(),
            name: name.into(),
            description: description.into(),
            active: input.active,
        };
        let shape = |c: &StoredCategory| json!({"name": c.name, "description": c.description, "active": c.active});
        let audit = AuditDraft::new(
            &actor.username,
            if before.is_some() {
                "category.update"
            } else {
                "category.add"
            },
            format!("category:{code}"),
            json!({"before": before.map(shape), "after": shape(&after)}),
        );
        self.store
            .save_category(&after, &actor.username, &audit)
            .await?;
        self.forget_taxonomy();
        self.list_categories(session).await
    }

    /// Retires (`active` false) or restores the category `code`, keeping its name and description.
    pub async fn set_category_active(
        &self,
        session: &Session,
        code: &str,
        active: bool,
    ) -> Result<Vec<CategoryInput>> {
        let current = self
            .list_categories(session)
            .await?
            .into_iter()
            .find(|c| c.code == code.trim())
            .ok_or_else(|| AppError::Invalid {
                field: "类别编码",
                problem: format!("没有类别「{code}」"),
            })?;
        self.save_category(session, &CategoryInput { active, ..current })
            .await
    }
}
