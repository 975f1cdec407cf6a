//! Sessions of signed-in users (`sessions`), kept in the database rather than in one process's memory, so that
//! every server instance behind a load balancer honours a session made on another, and a sign-out or a password
//! reset ends it everywhere. A session is found by the SHA-256 of its token: the token itself, a bearer secret,
//! is never stored.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::sql::query;
use crate::{AnyStore, Result};

/// One stored session.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SessionRow {
    /// SHA-256 of the token (hex).
    pub token_hash: String,
    /// The account signed in.
    pub username: String,
    /// Where it was made: the workstation's name as it gave it, for the administrator's list.
    pub workstation: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The last input of a person (the idle timeout counts from here).
    pub last_active: DateTime<Utc>,
    /// When the account's password was set, as the session stands on it: a reset since then ends the session.
    pub password_set_at: DateTime<Utc>,
}

/// Storage of sessions.
#[async_trait]
pub trait SessionStore {
    /// Stores a new session.
    async fn insert_session(&self, session: &SessionRow) -> Result<()>;

    /// The session whose token has this hash, if it has not ended.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>>;

    /// A person used the session at `at`.
    async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()>;

    /// The user changed the password in this session: it now stands on `at`.
    async fn session_password_set(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()>;

    /// Ends the session (signing out); false when there was none.
    async fn end_session(&self, token_hash: &str) -> Result<bool>;

    /// Ends every session idle since before `before`; returns how many.
    async fn end_idle_sessions(&self, before: DateTime<Utc>) -> Result<u64>;

    /// Sessions not ended, newest activity first.
    async fn sessions(&self) -> Result<Vec<SessionRow>>;
}

const SESSION_COLUMNS: &str =
    "token_hash, username, workstation, created_at, last_active, password_set_at";

#[async_trait]
impl SessionStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn insert_session(&self, s: &SessionRow) -> Result<()> {
        query(format!(
            "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&s.token_hash)
        .bind(&s.username)
        .bind(&s.workstation)
        .bind(s.created_at)
        .bind(s.last_active)
        .bind(s.password_set_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        query(format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    #[tracing::instrument(skip_all, err)]
    async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        query("UPDATE sessions SET last_active = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn session_password_set(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        query("UPDATE sessions SET password_set_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    async fn end_session(&self, token_hash: &str) -> Result<bool> {
        let n = query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all, err)]
    async fn end_idle_sessions(&self, before: DateTime<Utc>) -> Result<u64> {
        let n = query("DELETE FROM sessions WHERE last_active < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(n)
    }

    #[tracing::instrument(skip_all, err)]
    async fn sessions(&self) -> Result<Vec<SessionRow>> {
        query(format!(
            "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY last_active DESC"
        ))
        .fetch_all(&self.pool)
        .await
    }
}
