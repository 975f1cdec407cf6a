//! API keys of the Open311 intake server: created by an administrator (the key is shown once), listed, revoked.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chengguan_core::access::{api_key_hash, ApiKey, API_KEY_PREFIX};
use chengguan_core::audit::AuditDraft;
use chengguan_store::prelude::*;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// A key as lists show it (never the key itself).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiKeyView {
    /// Who uses it.
    pub name: String,
    /// Its first characters.
    pub prefix: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// By whom.
    pub created_by: String,
    /// Revoked (RFC 3339), if it is.
    pub revoked_at: Option<String>,
    /// May read petitions back (`GET requests`), besides submitting.
    pub can_read: bool,
}

impl From<&ApiKey> for ApiKeyView {
    fn from(k: &ApiKey) -> Self {
        ApiKeyView {
            name: k.name.clone(),
            prefix: k.prefix.clone(),
            created_at: k.created_at.to_rfc3339(),
            created_by: k.created_by.clone(),
            revoked_at: k.revoked_at.map(|t| t.to_rfc3339()),
            can_read: k.can_read,
        }
    }
}

impl App {
    /// Creates a key for `name` (e.g. `惠民高台小程序`) and returns it with the secret, which is not stored and
    /// cannot be shown again. Every key may submit; `can_read` lets it read petitions back too (give it only to a
    /// system trusted with them: the mini-program's key is shipped inside an app anyone can unpack).
    pub async fn create_api_key(
        &self,
        session: &Session,
        name: &str,
        can_read: bool,
    ) -> Result<(ApiKeyView, String)> {
        let actor = self.authorize(Some(session), UseCase::CreateApiKey).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(AppError::Invalid {
                field: "名称",
                problem: "不能为空，且不超过 64 字".into(),
            });
        }
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret = format!(
            "{API_KEY_PREFIX}{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let key = ApiKey {
            id: chengguan_core::new_id(),
            name: name.into(),
            prefix: secret.chars().take(API_KEY_PREFIX.len() + 6).collect(),
            key_hash: api_key_hash(&secret),
            created_at: self.clock.now(),
            created_by: actor.username.clone(),
            revoked_at: None,
            can_read,
        };
        let audit = AuditDraft::new(
            &actor.username,
            "apikey.create",
            format!("apikey:{name}"),
            json!({"prefix": key.prefix, "can_read": can_read}),
        );
        self.store.insert_api_key(&key, &audit).await?;
        Ok((ApiKeyView::from(&key), secret))
    }

    /// Every key, revoked ones included.
    pub async fn list_api_keys(&self, session: &Session) -> Result<Vec<ApiKeyView>> {
        self.authorize(Some(session), UseCase::ListApiKeys).await?;
        Ok(self
            .store
            .api_keys()
            .await?
            .iter()
            .map(ApiKeyView::from)
            .collect())
    }

    /// Revokes the key in force named `name`; from then on posts with it get 403.
    pub async fn revoke_api_key(&self, session: &Session, name: &str) -> Result<()> {
        let actor = self.authorize(Some(session), UseCase::RevokeApiKey).await?;
        let audit = AuditDraft::new(
            &actor.username,
            "apikey.revoke",
            format!("apikey:{name}"),
            json!({}),
        );
        if self
            .store
            .revoke_api_key(name.trim(), self.clock.now(), &audit)
            .await?
        {
            Ok(())
        } else {
            Err(AppError::Invalid {
                field: "名称",
                problem: format!("没有在用的接口密钥「{name}」"),
            })
        }
    }
}
