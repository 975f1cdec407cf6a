//! The town's petition categories (`petition_categories`): read in display order, added or changed by the
//! administrator. Never deleted: a category is retired instead.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;

use crate::Result;

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

/// Storage of the categories. Implemented by both stores and by [`crate::AnyStore`].
#[async_trait]
pub trait CategoryStore {
    /// Every category in display order.
    async fn categories(&self) -> Result<Vec<StoredCategory>>;

    /// Adds `c` at the end, or changes the category with its code (name, description, active; its place stays),
    /// with its audit entry. The database refuses a name another category has.
    async fn save_category(&self, c: &StoredCategory, by: &str, audit: &AuditDraft) -> Result<()>;
}

/// Implements [`CategoryStore`] for `$store`.
macro_rules! category_store_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::CategoryStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn categories(&self) -> $crate::Result<Vec<$crate::StoredCategory>> {
                Ok(sqlx::query_as(
                    "SELECT code, name, description, active FROM petition_categories ORDER BY position, code",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn save_category(
                &self,
                c: &$crate::StoredCategory,
                by: &str,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO petition_categories (code, name, description, active, position, updated_at, \
                     updated_by) VALUES ($1, $2, $3, $4, \
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM petition_categories), $5, $6) \
                     ON CONFLICT (code) DO UPDATE SET name = $2, description = $3, active = $4, updated_at = $5, \
                     updated_by = $6",
                )
                .bind(&c.code).bind(&c.name).bind(&c.description).bind(c.active)
                .bind(chrono::Utc::now()).bind(by)
                .execute(&mut *tx)
                .await?;
                Self::record(&mut tx, "category", None, "update", None).await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use category_store_impl;

#[async_trait]
impl CategoryStore for crate::AnyStore {
    async fn categories(&self) -> Result<Vec<StoredCategory>> {
        crate::any::delegate!(self.categories())
    }
    async fn save_category(&self, c: &StoredCategory, by: &str, audit: &AuditDraft) -> Result<()> {
        crate::any::delegate!(self.save_category(c, by, audit))
    }
}
