//! API keys of the Open311 intake server, kept apart from the town's [`crate::Store`] as their own concept.

use async_trait::async_trait;
use chengguan_core::access::ApiKey;
use chengguan_core::audit::AuditDraft;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Result;

/// Storage of the intake server's API keys. Implemented by both stores and by [`crate::AnyStore`].
#[async_trait]
pub trait ApiKeyStore {
    /// Stores a new key; a key in force with the same name is [`crate::StoreError::Duplicate`].
    async fn insert_api_key(&self, key: &ApiKey, audit: &AuditDraft) -> Result<()>;

    /// Every key, revoked ones included, oldest first.
    async fn api_keys(&self) -> Result<Vec<ApiKey>>;

    /// The key in force whose hash is `key_hash`, if any.
    async fn api_key_in_force(&self, key_hash: &str) -> Result<Option<ApiKey>>;

    /// Revokes the key in force named `name` at `at`; false when there is none.
    async fn revoke_api_key(
        &self,
        name: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<bool>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiKeyRow {
    id: Uuid,
    name: String,
    prefix: String,
    key_hash: String,
    created_at: DateTime<Utc>,
    created_by: String,
    revoked_at: Option<DateTime<Utc>>,
    can_read: bool,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(r: ApiKeyRow) -> Self {
        ApiKey {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            key_hash: r.key_hash,
            created_at: r.created_at,
            created_by: r.created_by,
            revoked_at: r.revoked_at,
            can_read: r.can_read,
        }
    }
}

pub(crate) const API_KEY_COLUMNS: &str =
    "id, name, prefix, key_hash, created_at, created_by, revoked_at, can_read";

/// Implements [`ApiKeyStore`] for `$store` (which has a `pool: sqlx::Pool<$db>` and the `audit` helper).
macro_rules! api_key_store_impl {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::ApiKeyStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn insert_api_key(
                &self,
                k: &chengguan_core::access::ApiKey,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let taken: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM api_keys WHERE name = $1 AND revoked_at IS NULL",
                )
                .bind(&k.name)
                .fetch_one(&mut *tx)
                .await?;
                if taken > 0 {
                    return Err($crate::StoreError::Duplicate {
                        entity: "接口密钥",
                        key: k.name.clone(),
                    });
                }
                sqlx::query(&format!(
                    "INSERT INTO api_keys ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    $crate::api_keys::API_KEY_COLUMNS
                ))
                .bind(k.id)
                .bind(&k.name)
                .bind(&k.prefix)
                .bind(&k.key_hash)
                .bind(k.created_at)
                .bind(&k.created_by)
                .bind(k.revoked_at)
                .bind(k.can_read)
                .execute(&mut *tx)
                .await?;
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn api_keys(&self) -> $crate::Result<Vec<chengguan_core::access::ApiKey>> {
                let rows: Vec<$crate::api_keys::ApiKeyRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM api_keys ORDER BY created_at, name",
                    $crate::api_keys::API_KEY_COLUMNS
                ))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn api_key_in_force(
                &self,
                key_hash: &str,
            ) -> $crate::Result<Option<chengguan_core::access::ApiKey>> {
                let row: Option<$crate::api_keys::ApiKeyRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
                    $crate::api_keys::API_KEY_COLUMNS
                ))
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(Into::into))
            }

            #[tracing::instrument(skip_all, err)]
            async fn revoke_api_key(
                &self,
                name: &str,
                at: chrono::DateTime<chrono::Utc>,
                audit: &chengguan_core::audit::AuditDraft,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE api_keys SET revoked_at = $1, version = version + 1 \
                     WHERE name = $2 AND revoked_at IS NULL",
                )
                .bind(at)
                .bind(name)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use api_key_store_impl;

#[async_trait]
impl ApiKeyStore for crate::AnyStore {
    async fn insert_api_key(&self, key: &ApiKey, audit: &AuditDraft) -> Result<()> {
        crate::any::delegate!(self.insert_api_key(key, audit))
    }
    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        crate::any::delegate!(self.api_keys())
    }
    async fn api_key_in_force(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        crate::any::delegate!(self.api_key_in_force(key_hash))
    }
    async fn revoke_api_key(
        &self,
        name: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<bool> {
        crate::any::delegate!(self.revoke_api_key(name, at, audit))
    }
}
