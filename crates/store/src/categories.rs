//! The town's petition categories (`petition_categories`): read in display order, added or changed by the
//! administrator, never deleted (a category is retired instead); and the handling time limits per category and
//! level (`sla_rules`).

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::vocabulary::feed::{Entity, Operation};

use chrono::Utc;

use crate::changes::record;
use crate::sql::query;
use crate::{audit, AnyStore, Result};

/// One stored category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredCategory {
    /// Stable code.
    pub code: String,
    /// Chinese name (unique).
    pub name: String,
    /// What belongs here.
    pub description: String,
    /// Whether new petitions may use it.
    pub active: bool,
}

/// Storage of the categories.
#[async_trait]
pub trait CategoryStore {
    /// Every category in display order.
    async fn categories(&self) -> Result<Vec<StoredCategory>>;

    /// Adds `c` at the end, or changes the category with its code (name, description, active; its place stays),
    /// with its audit entry. The database refuses a name another category has.
    async fn save_category(&self, c: &StoredCategory, by: &str, audit: &AuditDraft) -> Result<()>;
}

#[async_trait]
impl CategoryStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn categories(&self) -> Result<Vec<StoredCategory>> {
        query(
            "SELECT code, name, description, active FROM petition_categories \
             ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await
    }

    #[tracing::instrument(skip_all, err)]
    async fn save_category(&self, c: &StoredCategory, by: &str, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        query(
            "INSERT INTO petition_categories (code, name, description, active, position, updated_at, \
             updated_by) VALUES ($1, $2, $3, $4, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM petition_categories), $5, $6) \
             ON CONFLICT (code) DO UPDATE SET name = $2, description = $3, active = $4, \
             updated_at = $5, updated_by = $6",
        )
        .bind(&c.code)
        .bind(&c.name)
        .bind(&c.description)
        .bind(c.active)
        .bind(Utc::now())
        .bind(by)
        .execute(&mut tx)
        .await?;
        record(&mut tx, Entity::Category, None, Operation::Update, None).await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }
}

/// One stored limit: category code, level code, working days.
pub type SlaRule = (String, String, i64);

/// Storage of the handling time limits (`sla_rules`): per category and level, in working days.
#[async_trait]
pub trait SlaStore {
    /// Every stored limit.
    async fn sla_rules(&self) -> Result<Vec<SlaRule>>;

    /// Sets the limit for `category` at `level` (`None`: back to the built-in default), with its audit entry.
    async fn set_sla_rule(
        &self,
        category: &str,
        level: &str,
        working_days: Option<i64>,
        by: &str,
        audit: &AuditDraft,
    ) -> Result<()>;
}

#[async_trait]
impl SlaStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn sla_rules(&self) -> Result<Vec<SlaRule>> {
        query("SELECT category, level, working_days FROM sla_rules ORDER BY category, level")
            .fetch_all(&self.pool)
            .await
    }

    #[tracing::instrument(skip_all, err)]
    async fn set_sla_rule(
        &self,
        category: &str,
        level: &str,
        working_days: Option<i64>,
        by: &str,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        match working_days {
            Some(days) => {
                query(
                    "INSERT INTO sla_rules (category, level, working_days, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category, level) DO UPDATE SET \
                     working_days = $3, updated_at = $4, updated_by = $5",
                )
                .bind(category)
                .bind(level)
                .bind(days)
                .bind(Utc::now())
                .bind(by)
                .execute(&mut tx)
                .await?;
            }
            None => {
                query("DELETE FROM sla_rules WHERE category = $1 AND level = $2")
                    .bind(category)
                    .bind(level)
                    .execute(&mut tx)
                    .await?;
            }
        }
        record(&mut tx, Entity::SlaRule, None, Operation::Update, None).await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }
}
