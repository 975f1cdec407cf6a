//! User accounts: signing in (with lockout), the first administrator, and account management.

use chengguan_core::access::{
    check_password_policy, grants, valid_username, Permission, UserAccount, UserRole,
    LOCK_AFTER_FAILURES, LOCK_MINUTES,
};
use chengguan_core::audit::AuditDraft;
use chengguan_store::prelude::*;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::access::password::{hash_password, verify_password, verify_password_off_thread};
use crate::access::{role_labels, Session, UseCase};
use crate::{App, AppError, Result};

/// The demo town's accounts, one per role: (user name, name shown, role, own grid). Their password is
/// [`DEMO_PASSWORD`]; they exist only in a database loaded with the demo town (docs/demo-accounts.md).
pub const DEMO_ACCOUNTS: [(&str, &str, UserRole, Option<&str>); 5] = [
    ("admin", "演示管理员", UserRole::Admin, None),
    ("duty", "演示值班员", UserRole::DutyOfficer, None),
    ("leader", "演示领导", UserRole::Leader, None),
    ("secretary", "演示书记", UserRole::PartySecretary, None),
    (
        "grid0101",
        "演示网格员",
        UserRole::GridWorker,
        Some("CG-01-01"),
    ),
];

/// Where a session made in this process is from, in the sessions' list.
pub const LOCAL_WORKSTATION: &str = "本机";

/// The demo accounts' password (documented; a real database never has these accounts).
pub const DEMO_PASSWORD: &str = "Chengguan@2026";

/// Who is signed in, as the front ends show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignedIn {
    /// User name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role codes.
    pub roles: Vec<String>,
    /// Roles in Chinese, e.g. `值班员`.
    pub role_labels: String,
    /// A grid worker's own grid.
    pub grid_code: Option<String>,
    /// Permission codes held (the UI hides what is not allowed; the app enforces it regardless).
    pub permissions: Vec<String>,
    /// Minutes of inactivity after which the password is asked again.
    pub idle_minutes: i64,
    /// The password was reset by an administrator and should be changed now.
    pub must_change_password: bool,
}

/// An account as the administrator's list shows it (no password hash).
#[derive(Debug, Clone, Serialize, TS)]
pub struct UserView {
    /// User name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role codes.
    pub roles: Vec<String>,
    /// Roles in Chinese.
    pub role_labels: String,
    /// A grid worker's own grid.
    pub grid_code: Option<String>,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Locked until (RFC 3339), after too many failed sign-ins.
    pub locked_until: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
}

/// A new account, as the administrator enters it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewUser {
    /// User name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Initial password (policy-checked).
    pub password: String,
    /// Role codes.
    pub roles: Vec<String>,
    /// Own grid (required for a grid worker).
    pub grid_code: Option<String>,
}

/// What the audit log records as the actor of a sign-in with a name no account has.
pub const UNKNOWN_USER: &str = "未知用户";

/// One argon2 verification against a fixed hash, so that a refused sign-in costs what a wrong password costs.
async fn verify_nothing(password: &str) {
    static HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        hash_password("no account has this password").unwrap_or_default()
    });
    let _ = verify_password_off_thread(password, &HASH).await;
}

impl App {
    /// Signs in on this machine (the desktop in local mode, the command line): [`App::sign_in_from`] here.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<(Session, SignedIn)> {
        self.sign_in_from(username, password, LOCAL_WORKSTATION)
            .await
    }

    /// Signs in from `workstation` (a LAN workstation's name and address, as the server saw it). Five wrong
    /// passwords in a row lock the account for 15 minutes; every attempt is audited. An unknown name and a
    /// wrong password get the same answer.
    #[tracing::instrument(skip_all, err(level = tracing::Level::INFO), fields(username))]
    pub async fn sign_in_from(
        &self,
        username: &str,
        password: &str,
        workstation: &str,
    ) -> Result<(Session, SignedIn)> {
        self.authorize(None, UseCase::SignIn).await?;
        let now = self.clock.now();
        // Whatever the cause, a refused sign-in spends one argon2 verification and gets the same answer, so that
        // neither the time taken nor the words tell a guesser whether the name exists or is locked.
        let Some(account) = self.store.user_by_username(username).await? else {
            verify_nothing(password).await;
            // The name field may hold a password typed into the wrong box: only names of accounts are recorded.
            let audit = AuditDraft::new(
                UNKNOWN_USER,
                "user.sign_in_failed",
                format!("user:{UNKNOWN_USER}"),
                json!({"cause": "unknown_user", "workstation": workstation}),
            );
            self.store.append_audit(&audit).await?;
            return Err(AppError::BadCredentials);
        };
        let target = format!("user:{username}");
        if account.locked_until.is_some_and(|u| u > now) {
            verify_nothing(password).await;
            let audit = AuditDraft::new(
                username,
                "user.sign_in_refused",
                target,
                json!({"cause": "locked", "workstation": workstation}),
            );
            self.store.append_audit(&audit).await?;
            return Err(AppError::BadCredentials);
        }
        if !verify_password_off_thread(password, &account.password_hash).await {
            // After a lock has run out, counting starts again.
            let restart = account.locked_until.is_some_and(|u| u <= now);
            let attempt = if restart {
                1
            } else {
                account.failed_attempts + 1
            };
            let audit = AuditDraft::new(
                username,
                "user.sign_in_failed",
                target,
                json!({"cause": "bad_password", "attempt": attempt, "workstation": workstation}),
            );
            self.store
                .sign_in_failed(
                    account.id,
                    restart,
                    LOCK_AFTER_FAILURES,
                    now + Duration::minutes(LOCK_MINUTES),
                    &audit,
                )
                .await?;
            return Err(AppError::BadCredentials);
        }
        if account.disabled {
            let audit = AuditDraft::new(
                username,
                "user.sign_in_refused",
                target,
                json!({"cause": "disabled", "workstation": workstation}),
            );
            self.store.append_audit(&audit).await?;
            return Err(AppError::AccountGone);
        }
        // Where from: `本机`, or the workstation's name and the address the town server saw.
        let audit = AuditDraft::new(
            username,
            "user.sign_in",
            target,
            json!({"workstation": workstation}),
        );
        self.store.sign_in_succeeded(account.id, &audit).await?;
        let session = self.start_session(&account, workstation).await?;
        Ok((session, self.signed_in(&account)))
    }

    /// Unlocks a session that was idle too long, with the same user's password (audited like a sign-in).
    pub async fn resume(&self, session: &Session, password: &str) -> Result<(Session, SignedIn)> {
        self.resume_from(session, password, LOCAL_WORKSTATION).await
    }

    /// [`App::resume`] from `workstation`: the new session replaces the idle one, which ends.
    pub async fn resume_from(
        &self,
        session: &Session,
        password: &str,
        workstation: &str,
    ) -> Result<(Session, SignedIn)> {
        let resumed = self
            .sign_in_from(session.username(), password, workstation)
            .await?;
        self.end_session(session).await?;
        Ok(resumed)
    }

    /// Ends the session everywhere and records the sign-out.
    pub async fn sign_out(&self, session: &Session) -> Result<()> {
        self.end_session(session).await?;
        let audit = AuditDraft::new(
            session.username(),
            "user.sign_out",
            format!("user:{}", session.username()),
            json!({}),
        );
        self.store.append_audit(&audit).await?;
        Ok(())
    }

    /// True if the database has no accounts yet (the first start then asks for the administrator).
    pub async fn needs_administrator(&self) -> Result<bool> {
        Ok(self.store.user_count().await? == 0)
    }

    /// Creates the first administrator of a database that has no accounts; refused once any account exists.
    #[tracing::instrument(skip_all, err)]
    pub async fn setup_administrator(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<()> {
        self.authorize(None, UseCase::SetupAdministrator).await?;
        if !self.needs_administrator().await? {
            return Err(AppError::AlreadySetUp);
        }
        let account = self.new_account(
            username,
            display_name,
            password,
            vec![UserRole::Admin],
            None,
        )?;
        let audit = AuditDraft::new(
            "-",
            "user.setup_administrator",
            format!("user:{username}"),
            json!({"roles": ["admin"]}),
        );
        if !self.store.insert_first_user(&account, &audit).await? {
            return Err(AppError::AlreadySetUp);
        }
        Ok(())
    }

    /// Every account, by user name.
    pub async fn list_users(&self, session: &Session) -> Result<Vec<UserView>> {
        self.authorize(Some(session), UseCase::ListUsers).await?;
        Ok(self.store.users().await?.iter().map(user_view).collect())
    }

    /// Creates an account.
    #[tracing::instrument(skip_all, err)]
    pub async fn add_user(&self, session: &Session, new: &NewUser) -> Result<UserView> {
        let actor = self.authorize(Some(session), UseCase::AddUser).await?;
        let roles = parse_roles(&new.roles)?;
        let grid_code = new
            .grid_code
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty());
        if let Some(code) = grid_code {
            if !self.store.grids().await?.iter().any(|g| g.code == code) {
                return Err(AppError::GridNotFound(code.into()));
            }
        } else if roles.contains(&UserRole::GridWorker) && !grants(&roles, Permission::ViewTown) {
            return Err(AppError::Invalid {
                field: "所属网格",
                problem: "网格员须指定本人负责的网格".into(),
            });
        }
        let account = self.new_account(
            &new.username,
            &new.display_name,
            &new.password,
            roles,
            grid_code.map(Into::into),
        )?;
        let audit = AuditDraft::new(
            &actor.username,
            "user.add",
            format!("user:{}", account.username),
            json!({"after": user_view(&account)}),
        );
        self.store.insert_user(&account, &audit).await?;
        Ok(user_view(&account))
    }

    /// Disables (or enables again) an account; one cannot disable oneself.
    pub async fn set_user_disabled(
        &self,
        session: &Session,
        username: &str,
        disabled: bool,
    ) -> Result<UserView> {
        let actor = self
            .authorize(Some(session), UseCase::SetUserDisabled)
            .await?;
        if disabled && username == actor.username {
            return Err(AppError::Invalid {
                field: "用户",
                problem: "不能停用自己的账号".into(),
            });
        }
        let before = self.require_user(username).await?;
        let after = UserAccount {
            disabled,
            ..before.clone()
        };
        let audit = AuditDraft::new(
            &actor.username,
            if disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            format!("user:{username}"),
            json!({"before": {"disabled": before.disabled}, "after": {"disabled": disabled}}),
        );
        Ok(user_view(&self.store.update_user(&after, &audit).await?))
    }

    /// Sets a new password for another user (who must change it at next sign-in) and lifts a lock.
    pub async fn reset_password(
        &self,
        session: &Session,
        username: &str,
        password: &str,
    ) -> Result<UserView> {
        let actor = self
            .authorize(Some(session), UseCase::ResetPassword)
            .await?;
        check_password_policy(username, password)?;
        let before = self.require_user(username).await?;
        let after = UserAccount {
            password_hash: hash_password(password)?,
            must_change_password: true,
            failed_attempts: 0,
            locked_until: None,
            password_changed_at: self.clock.now(),
            ..before.clone()
        };
        let audit = AuditDraft::new(
            &actor.username,
            "user.reset_password",
            format!("user:{username}"),
            json!({"before": {"locked_until": before.locked_until}, "after": {"must_change_password": true}}),
        );
        Ok(user_view(&self.store.update_user(&after, &audit).await?))
    }

    /// Changes one's own password, given the current one.
    pub async fn change_own_password(
        &self,
        session: &Session,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let actor = self
            .authorize(Some(session), UseCase::ChangeOwnPassword)
            .await?;
        let before = self.require_user(&actor.username).await?;
        if !verify_password(current, &before.password_hash) {
            return Err(AppError::BadCredentials);
        }
        check_password_policy(&actor.username, new)?;
        let after = UserAccount {
            password_hash: hash_password(new)?,
            must_change_password: false,
            password_changed_at: self.clock.now(),
            ..before
        };
        let audit = AuditDraft::new(
            &actor.username,
            "user.change_password",
            format!("user:{}", actor.username),
            json!({}),
        );
        let stored = self.store.update_user(&after, &audit).await?;
        self.session_password_changed(session, stored.password_changed_at)
            .await?;
        Ok(())
    }

    /// Creates the demo accounts if the database has none; true when created.
    /// `must_change`: the database held a real town before the demo came (the password is public).
    pub(crate) async fn create_demo_accounts(&self, must_change: bool) -> Result<bool> {
        if !self.needs_administrator().await? {
            return Ok(false);
        }
        let hash = hash_password(DEMO_PASSWORD)?;
        for (username, display_name, role, grid) in DEMO_ACCOUNTS {
            let account = UserAccount {
                password_hash: hash.clone(),
                must_change_password: must_change,
                ..self.account_skeleton(username, display_name, vec![role], grid.map(Into::into))
            };
            let audit = AuditDraft::new(
                "-",
                "user.add_demo",
                format!("user:{username}"),
                json!({"roles": [role.code()]}),
            );
            self.store.insert_user(&account, &audit).await?;
        }
        Ok(true)
    }

    fn new_account(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
        roles: Vec<UserRole>,
        grid_code: Option<String>,
    ) -> Result<UserAccount> {
        if !valid_username(username) {
            return Err(AppError::BadUsername(username.into()));
        }
        if display_name.trim().is_empty() {
            return Err(AppError::Invalid {
                field: "姓名",
                problem: "不能为空".into(),
            });
        }
        check_password_policy(username, password)?;
        Ok(UserAccount {
            password_hash: hash_password(password)?,
            ..self.account_skeleton(username, display_name.trim(), roles, grid_code)
        })
    }

    fn account_skeleton(
        &self,
        username: &str,
        display_name: &str,
        mut roles: Vec<UserRole>,
        grid_code: Option<String>,
    ) -> UserAccount {
        roles.sort();
        roles.dedup();
        let now = self.clock.now();
        UserAccount {
            id: chengguan_core::new_id(),
            username: username.into(),
            display_name: display_name.into(),
            password_hash: String::new(),
            roles,
            grid_code,
            disabled: false,
            failed_attempts: 0,
            locked_until: None,
            must_change_password: false,
            created_at: now,
            password_changed_at: now,
            version: 1,
        }
    }

    async fn require_user(&self, username: &str) -> Result<UserAccount> {
        self.store
            .user_by_username(username)
            .await?
            .ok_or_else(|| AppError::UserNotFound(username.into()))
    }

    fn signed_in(&self, account: &UserAccount) -> SignedIn {
        let mut permissions: Vec<String> = account
            .roles
            .iter()
            .flat_map(|r| r.permissions())
            .map(|p| {
                serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .collect();
        permissions.sort();
        permissions.dedup();
        SignedIn {
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            roles: account.roles.iter().map(|r| r.code().to_string()).collect(),
            role_labels: role_labels(&account.roles),
            grid_code: account.grid_code.clone(),
            permissions,
            idle_minutes: self.idle_timeout.num_minutes(),
            must_change_password: account.must_change_password,
        }
    }
}

fn parse_roles(codes: &[String]) -> Result<Vec<UserRole>> {
    if codes.is_empty() {
        return Err(AppError::Invalid {
            field: "角色",
            problem: "至少选择一个角色".into(),
        });
    }
    codes
        .iter()
        .map(|c| {
            UserRole::from_code(c.trim()).ok_or_else(|| AppError::Invalid {
                field: "角色",
                problem: format!(
                    "未知角色「{c}」，可选：{}",
                    UserRole::ALL
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            })
        })
        .collect()
}

fn user_view(a: &UserAccount) -> UserView {
    UserView {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        roles: a.roles.iter().map(|r| r.code().to_string()).collect(),
        role_labels: role_labels(&a.roles),
        grid_code: a.grid_code.clone(),
        disabled: a.disabled,
        locked_until: a.locked_until.map(|t| t.to_rfc3339()),
        created_at: a.created_at.to_rfc3339(),
    }
}
