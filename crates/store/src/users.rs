//! User accounts (`users`) and what signing in changes on them: the failure count and the lock.

use async_trait::async_trait;
use chengguan_core::access::UserAccount;
use chengguan_core::audit::AuditDraft;
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::changes::{record, versioned_update};
use crate::db::Tx;
use crate::rows::{encode_roles, UserRow, USER_COLUMNS};
use crate::sql::query;
use crate::{audit, AnyStore, Result, StoreError};

/// Storage of the user accounts.
#[async_trait]
pub trait UserStore {
    /// How many user accounts exist (none on a new database: the first start asks for the administrator).
    async fn user_count(&self) -> Result<i64>;

    /// A user account by user name.
    async fn user_by_username(&self, username: &str) -> Result<Option<UserAccount>>;

    /// All user accounts, by user name.
    async fn users(&self) -> Result<Vec<UserAccount>>;

    /// Creates an account (a taken user name fails with `Duplicate`), audited in the same transaction.
    async fn insert_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<()>;

    /// Creates the first account, only while there is none: false (nothing written) when one exists. Atomic
    /// against a concurrent call: the check and the insert run under the audit chain's lock.
    async fn insert_first_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<bool>;

    /// Writes an account's mutable fields if its stored version is `user.version`; returns it as stored.
    async fn update_user(&self, user: &UserAccount, audit: &AuditDraft) -> Result<UserAccount>;

    /// Counts a failed sign-in atomically (from 1 again with `restart`, after a lock ran out), locking the
    /// account until `lock_until` when the count reaches `lock_after`; returns the account as stored. Audited in
    /// the same transaction.
    async fn sign_in_failed(
        &self,
        user_id: Uuid,
        restart: bool,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<UserAccount>;

    /// Clears the failure count after a successful sign-in. Audited in the same transaction.
    async fn sign_in_succeeded(&self, user_id: Uuid, audit: &AuditDraft) -> Result<()>;
}

#[async_trait]
impl UserStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn user_count(&self) -> Result<i64> {
        query("SELECT COUNT(*) FROM users").scalar(&self.pool).await
    }

    #[tracing::instrument(skip_all, err)]
    async fn user_by_username(&self, username: &str) -> Result<Option<UserAccount>> {
        let row: Option<UserRow> = query(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(TryInto::try_into).transpose()
    }

    #[tracing::instrument(skip_all, err)]
    async fn users(&self) -> Result<Vec<UserAccount>> {
        let rows: Vec<UserRow> = query(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn insert_user(&self, u: &UserAccount, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let taken: i64 = query("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(&u.username)
            .scalar(&mut tx)
            .await?;
        if taken > 0 {
            return Err(StoreError::Duplicate {
                entity: "用户名",
                key: u.username.clone(),
            });
        }
        insert_user_row(&mut tx, u).await?;
        record(
            &mut tx,
            Entity::User,
            Some(u.id),
            Operation::Insert,
            Some(u.version),
        )
        .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err)]
    async fn insert_first_user(&self, u: &UserAccount, audit: &AuditDraft) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        // The audit entry comes first: its UPDATE of the chain's head takes the write lock (SQLite) or the head's
        // row lock (PostgreSQL), so a concurrent first setup waits here and then sees this account.
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let existing: i64 = query("SELECT COUNT(*) FROM users").scalar(&mut tx).await?;
        if existing > 0 {
            return Ok(false);
        }
        insert_user_row(&mut tx, u).await?;
        record(
            &mut tx,
            Entity::User,
            Some(u.id),
            Operation::Insert,
            Some(u.version),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all, err)]
    async fn update_user(&self, u: &UserAccount, audit: &AuditDraft) -> Result<UserAccount> {
        let mut tx = self.pool.begin().await?;
        let done = query(
            "UPDATE users SET display_name = $1, password_hash = $2, roles = $3, grid_code = $4, \
             disabled = $5, failed_attempts = $6, locked_until = $7, must_change_password = $8, \
             password_changed_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
        )
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(encode_roles(&u.roles))
        .bind(&u.grid_code)
        .bind(u.disabled)
        .bind(u.failed_attempts)
        .bind(u.locked_until)
        .bind(u.must_change_password)
        .bind(u.password_changed_at)
        .bind(u.id)
        .bind(u.version)
        .execute(&mut tx)
        .await?;
        versioned_update(&mut tx, Entity::User, "users", u.id, u.version, done).await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let row = user_row(&mut tx, u.id).await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, err)]
    async fn sign_in_failed(
        &self,
        user_id: Uuid,
        restart: bool,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<UserAccount> {
        let mut tx = self.pool.begin().await?;
        query(
            "UPDATE users SET \
             locked_until = CASE WHEN $1 THEN NULL WHEN failed_attempts + 1 >= $2 THEN $3 \
                            ELSE locked_until END, \
             failed_attempts = CASE WHEN $1 THEN 1 ELSE failed_attempts + 1 END \
             WHERE id = $4",
        )
        .bind(restart)
        .bind(lock_after)
        .bind(lock_until)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let row = user_row(&mut tx, user_id).await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, err)]
    async fn sign_in_succeeded(&self, user_id: Uuid, audit: &AuditDraft) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }
}

/// The account's row as stored, inside `tx`.
async fn user_row(tx: &mut Tx<'_>, id: Uuid) -> Result<UserRow> {
    query(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_one(tx)
        .await
}

/// Writes the row of a new account inside `tx`.
async fn insert_user_row(tx: &mut Tx<'_>, u: &UserAccount) -> Result<()> {
    query(
        "INSERT INTO users (id, username, display_name, password_hash, roles, grid_code, disabled, \
         failed_attempts, locked_until, must_change_password, created_at, password_changed_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(u.id)
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(encode_roles(&u.roles))
    .bind(&u.grid_code)
    .bind(u.disabled)
    .bind(u.failed_attempts)
    .bind(u.locked_until)
    .bind(u.must_change_password)
    .bind(u.created_at)
    .bind(u.password_changed_at)
    .bind(u.version)
    .execute(tx)
    .await?;
    Ok(())
}
