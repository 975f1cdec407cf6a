//! API keys of the Open311 intake server, their own aggregate.

use async_trait::async_trait;
use chengguan_core::access::ApiKey;
use chengguan_core::audit::AuditDraft;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::sql::query;
use crate::{audit, AnyStore, Result, StoreError};

/// Storage of the intake server's API keys.
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
struct ApiKeyRow {
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

const API_KEY_COLUMNS: &str =
    "id, name, prefix, key_hash, created_at, created_by, revoked_at, can_read";

#[async_trait]
impl ApiKeyStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn insert_api_key(&self, k: &ApiKey, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let taken: i64 =
            query("SELECT COUNT(*) FROM api_keys WHERE name = $1 AND revoked_at IS NULL")
                .bind(&k.name)
                .scalar(&mut tx)
                .await?;
        if taken > 0 {
            return Err(StoreError::Duplicate {
                entity: "接口密钥",
                key: k.name.clone(),
            });
        }
        query(format!(
            "INSERT INTO api_keys ({API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(k.id)
        .bind(&k.name)
        .bind(&k.prefix)
        .bind(&k.key_hash)
        .bind(k.created_at)
        .bind(&k.created_by)
        .bind(k.revoked_at)
        .bind(k.can_read)
        .execute(&mut tx)
        .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err)]
    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows: Vec<ApiKeyRow> = query(format!(
            "SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, name"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn api_key_in_force(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let row: Option<ApiKeyRow> = query(format!(
            "SELECT {API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
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
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = query(
            "UPDATE api_keys SET revoked_at = $1, version = version + 1 \
             WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(name)
        .execute(&mut tx)
        .await?;
        if done == 0 {
            return Ok(false);
        }
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await?;
        Ok(true)
    }
}
