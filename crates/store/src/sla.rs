//! The administrator's handling time limits (`sla_rules`): per category and level, in working days.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;

use crate::Result;

/// One stored limit: category code, level code, working days.
pub type SlaRule = (String, String, i64);

/// Storage of the handling time limits. Implemented by both stores and by [`crate::AnyStore`].
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

/// Implements [`SlaStore`] for `$store`.
macro_rules! sla_store_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::SlaStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn sla_rules(&self) -> $crate::Result<Vec<$crate::SlaRule>> {
                Ok(sqlx::query_as("SELECT category, level, working_days FROM sla_rules ORDER BY category, level")
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn set_sla_rule(
                &self,
                category: &str,
                level: &str,
                working_days: Option<i64>,
                by: &str,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                match working_days {
                    Some(days) => {
                        sqlx::query(
                            "INSERT INTO sla_rules (category, level, working_days, updated_at, updated_by) \
                             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category, level) DO UPDATE SET \
                             working_days = $3, updated_at = $4, updated_by = $5",
                        )
                        .bind(category).bind(level).bind(days).bind(chrono::Utc::now()).bind(by)
                        .execute(&mut *tx)
                        .await?;
                    }
                    None => {
                        sqlx::query("DELETE FROM sla_rules WHERE category = $1 AND level = $2")
                            .bind(category).bind(level)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                Self::record(&mut tx, "sla_rule", None, "update", None).await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use sla_store_impl;

#[async_trait]
impl SlaStore for crate::AnyStore {
    async fn sla_rules(&self) -> Result<Vec<SlaRule>> {
        crate::any::delegate!(self.sla_rules())
    }
    async fn set_sla_rule(
        &self,
        category: &str,
        level: &str,
        working_days: Option<i64>,
        by: &str,
        audit: &AuditDraft,
    ) -> Result<()> {
        crate::any::delegate!(self.set_sla_rule(category, level, working_days, by, audit))
    }
}
