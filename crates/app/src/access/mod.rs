//! Who is signed in and what they may do: sessions, the use-case permission table, and the check every
//! use-case makes first ([`App::authorize`]).
//!
//! Every use-case of the app is listed in [`UseCase`] with the access it needs ([`UseCase::access`]); the
//! front ends (desktop, CLI, server) cannot skip the check because the use-cases make it themselves.

pub mod password;

use std::sync::Arc;

use chengguan_core::access::{grants, Permission, UserAccount, UserRole};
use chengguan_store::prelude::*;
use chengguan_store::SessionRow;
use chrono::{DateTime, Duration, Utc};

use crate::{App, AppError, Result};

/// The clock sessions are timed by (tests use a hand-set one).
pub trait Clock: std::fmt::Debug + Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How long a session may stay idle before it asks for the password again (default 30 minutes).
pub const DEFAULT_IDLE_MINUTES: i64 = 30;

/// The longest a session lives however active it is (a duty shift and then some): a token that leaked cannot be
/// kept alive for ever by reporting activity.
pub const MAX_SESSION_HOURS: i64 = 14;

/// What a use-case needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone at the workstation, signed in or not (e.g. the status bar, signing in).
    Public,
    /// Anyone signed in (e.g. changing one's own password).
    SignedIn,
    /// A signed-in user holding the permission.
    Requires(Permission),
}

/// Declares [`UseCase`] and [`UseCase::ALL`] from one list, so that the list can never miss a variant.
macro_rules! use_cases {
    ($($variant:ident),* $(,)?) => {
        /// Every use-case of the app. Adding one means adding it here with its access, and to the role ×
        /// use-case matrix test (`tests/app/access.rs`), whose exhaustive matches fail to compile until it is
        /// listed there.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // the variants are named after the `App` methods they guard
        pub enum UseCase {
            $($variant),*
        }

        impl UseCase {
            /// Every use-case, in declaration order.
            pub const ALL: &'static [UseCase] = &[$(UseCase::$variant),*];
        }
    };
}

use_cases!(
    StatusBar,
    Ping,
    SignIn,
    SignOut,
    SetupAdministrator,
    InitTown,
    LoadDemoIntoEmpty,
    LoadDemoOverData,
    Status,
    ListGrids,
    CheckGrids,
    ImportGrids,
    ExportGrids,
    TownMap,
    GridDetail,
    SaveBasemap,
    ChangeOwnPassword,
    ListUsers,
    AddUser,
    SetUserDisabled,
    ResetPassword,
    RevealPersonField,
    ExportPeople,
    ListAudit,
    VerifyAudit,
    ExportAudit,
    CreatePetition,
    ListPetitions,
    PetitionTimeline,
    ActOnPetition,
    ImportPetitions,
    ListSla,
    Analyse,
    SetSla,
    ListCategories,
    SaveCategory,
    CreateApiKey,
    ListApiKeys,
    RevokeApiKey,
    SwitchDatabase,
    ExportPetitionsInClear,
    RecordActivity,
    WatchChanges,
    SearchPeople,
    ListRoster,
    PersonCard,
    RosterCoverage,
    ViewHousehold,
    RevealResidentField,
    ImportRoster,
    ImportResidents,
    ExportRoster,
    ExportResidents,
    ExportResidentsInClear,
    ListTemplate,
    ListHolidays,
    ImportHolidays,
    ViewDuty,
    PlanDuty,
    SwapDuty,
    ExportDuty,
    LogActivity,
    ReviewDuty,
    PlanShifts,
    RecordHandover,
    ViewFigures,
    BriefingPack,
    Backup,
);

impl UseCase {
    /// The access the use-case needs.
    pub fn access(self) -> Access {
        use Access::*;
        use Permission::*;
        match self {
            // Before anyone can sign in: the bootstrap of a new database (each refuses once it is past).
            UseCase::StatusBar | UseCase::Ping | UseCase::SignIn | UseCase::SignOut => Public,
            UseCase::SetupAdministrator | UseCase::InitTown | UseCase::LoadDemoIntoEmpty => Public,
            UseCase::ChangeOwnPassword | UseCase::RecordActivity => SignedIn,
            UseCase::LoadDemoOverData | UseCase::ImportGrids | UseCase::ImportPetitions => {
                Requires(ImportData)
            }
            UseCase::Status | UseCase::CheckGrids | UseCase::ListSla | UseCase::Analyse => {
                Requires(ViewTown)
            }
            UseCase::SetSla | UseCase::SaveCategory => Requires(ManageSettings),
            UseCase::ListCategories => Requires(ViewOwnGrid),
            UseCase::ListGrids | UseCase::TownMap | UseCase::GridDetail => Requires(ViewOwnGrid),
            UseCase::ExportGrids => Requires(ExportGeodata),
            UseCase::SaveBasemap => Requires(ManageSettings),
            UseCase::CreateApiKey | UseCase::ListApiKeys | UseCase::RevokeApiKey => {
                Requires(ManageSettings)
            }
            // Every petition typed afterwards goes to the other database: the administrator's decision.
            UseCase::SwitchDatabase => Requires(ManageSettings),
            UseCase::ListUsers
            | UseCase::AddUser
            | UseCase::SetUserDisabled
            | UseCase::ResetPassword => Requires(ManageUsers),
            UseCase::RevealPersonField | UseCase::ExportPetitionsInClear => {
                Requires(RevealPersonal)
            }
            UseCase::ExportPeople => Requires(ExportPersonal),
            UseCase::ListAudit | UseCase::VerifyAudit | UseCase::ExportAudit => Requires(ViewAudit),
            UseCase::CreatePetition | UseCase::ActOnPetition => Requires(HandlePetitions),
            UseCase::ListPetitions | UseCase::PetitionTimeline => Requires(ViewOwnGrid),
            UseCase::WatchChanges => Requires(ViewOwnGrid),
            UseCase::SearchPeople
            | UseCase::ListRoster
            | UseCase::PersonCard
            | UseCase::ExportRoster => Requires(ViewPeople),
            UseCase::RosterCoverage => Requires(ViewOwnGrid),
            // Party secretaries see the party members among the residents; the rest see all (in their scope).
            UseCase::ViewHousehold | UseCase::ExportResidents => Requires(ViewPartyMembers),
            UseCase::RevealResidentField => Requires(RevealPersonal),
            UseCase::ImportRoster | UseCase::ImportResidents => Requires(ImportData),
            UseCase::ExportResidentsInClear => Requires(ExportPersonal),
            UseCase::ListTemplate => SignedIn,
            UseCase::ListHolidays => SignedIn,
            UseCase::ImportHolidays => Requires(ImportData),
            // Duty officers and grid workers read the rotation ("who is on duty today"); secretaries plan it.
            UseCase::ViewDuty | UseCase::ExportDuty => Requires(ViewOwnGrid),
            UseCase::PlanDuty | UseCase::SwapDuty | UseCase::LogActivity => {
                Requires(Permission::PlanDuty)
            }
            // Leaders see what the alliances did at briefings; the review reads no personal data.
            UseCase::ReviewDuty => Requires(ViewTown),
            UseCase::PlanShifts => Requires(Permission::PlanShifts),
            // The handover log is the duty officers' own.
            UseCase::RecordHandover => Requires(HandlePetitions),
            // Town-wide figures and the pack (reporters masked): whoever reads the whole town.
            UseCase::ViewFigures | UseCase::BriefingPack => Requires(ViewTown),
            // A backup holds everyone's personal data in clear: the administrator's.
            UseCase::Backup => Requires(ManageSettings),
        }
    }

    /// In Chinese, for refusals: e.g. `导入网格`.
    pub fn label(self) -> &'static str {
        match self {
            UseCase::StatusBar => "查看状态栏",
            UseCase::Ping => "检查连接",
            UseCase::SignIn => "登录",
            UseCase::SignOut => "退出登录",
            UseCase::SetupAdministrator => "创建管理员",
            UseCase::InitTown => "初始化数据库",
            UseCase::LoadDemoIntoEmpty => "加载演示数据",
            UseCase::LoadDemoOverData => "覆盖加载演示数据",
            UseCase::Status => "查看全镇统计",
            UseCase::ListGrids => "查看网格列表",
            UseCase::CheckGrids => "检查网格边界",
            UseCase::ImportGrids => "导入网格",
            UseCase::ExportGrids => "导出网格",
            UseCase::TownMap => "查看地图",
            UseCase::GridDetail => "查看网格详情",
            UseCase::SaveBasemap => "设置底图",
            UseCase::ChangeOwnPassword => "修改本人密码",
            UseCase::ListUsers => "查看用户",
            UseCase::AddUser => "新增用户",
            UseCase::SetUserDisabled => "停用或启用用户",
            UseCase::ResetPassword => "重置密码",
            UseCase::RevealPersonField => "查看个人信息明文",
            UseCase::ExportPeople => "导出个人信息",
            UseCase::ListAudit => "查看审计日志",
            UseCase::VerifyAudit => "校验审计日志",
            UseCase::ExportAudit => "导出审计日志",
            UseCase::CreatePetition => "登记诉求",
            UseCase::ListPetitions => "查看诉求",
            UseCase::PetitionTimeline => "查看诉求办理过程",
            UseCase::ActOnPetition => "办理诉求",
            UseCase::ImportPetitions => "批量导入诉求",
            UseCase::ListSla => "查看办理时限",
            UseCase::Analyse => "查看热力与热点分析",
            UseCase::SetSla => "设置办理时限",
            UseCase::ListCategories => "查看诉求类别",
            UseCase::SaveCategory => "设置诉求类别",
            UseCase::CreateApiKey => "创建接口密钥",
            UseCase::ListApiKeys => "查看接口密钥",
            UseCase::RevokeApiKey => "吊销接口密钥",
            UseCase::SwitchDatabase => "测试或切换数据库",
            UseCase::ExportPetitionsInClear => "导出反映人信息明文",
            UseCase::RecordActivity => "记录操作",
            UseCase::WatchChanges => "接收实时更新",
            UseCase::SearchPeople => "查找人员与居民",
            UseCase::ListRoster => "查看人员名册",
            UseCase::PersonCard => "查看人员卡片",
            UseCase::RosterCoverage => "查看包联覆盖",
            UseCase::ViewHousehold => "查看住户",
            UseCase::RevealResidentField => "查看居民信息明文",
            UseCase::ImportRoster => "导入人员名册",
            UseCase::ImportResidents => "导入居民名单",
            UseCase::ExportRoster => "导出人员名册",
            UseCase::ExportResidents => "导出居民名单",
            UseCase::ExportResidentsInClear => "导出居民信息明文",
            UseCase::ListTemplate => "下载导入模板",
            UseCase::ListHolidays => "查看放假安排",
            UseCase::ImportHolidays => "导入放假安排",
            UseCase::ViewDuty => "查看联盟轮值",
            UseCase::PlanDuty => "安排联盟轮值",
            UseCase::SwapDuty => "调换联盟轮值",
            UseCase::ExportDuty => "导出联盟轮值",
            UseCase::LogActivity => "记录联盟活动",
            UseCase::ReviewDuty => "查看评星定级",
            UseCase::PlanShifts => "安排指挥中心值班",
            UseCase::RecordHandover => "记录交接班事项",
            UseCase::ViewFigures => "查看简报指标",
            UseCase::BriefingPack => "生成简报材料",
            UseCase::Backup => "备份与校验数据库",
        }
    }
}

/// A signed-in user: the bearer token of a session stored in the database (see `chengguan_store::SessionStore`),
/// with who it is for display. Cloning shares it. The desktop holds one in memory; the town's server hands the
/// token to a LAN workstation and finds the session again from it on every request ([`App::session`]), in any
/// server instance on the same database. Only the token's SHA-256 is stored.
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

struct SessionInner {
    token: String,
    token_hash: String,
    username: String,
    display_name: String,
    roles: Vec<UserRole>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a bearer secret: never in a log.
        f.debug_struct("Session")
            .field("username", &self.inner.username)
            .finish_non_exhaustive()
    }
}

/// The prefix of session tokens (so that one found in a log or a file is recognised for what it is).
pub const SESSION_TOKEN_PREFIX: &str = "cgs_";

impl Session {
    fn new(token: String, account: &chengguan_core::access::UserAccount) -> Self {
        Self {
            inner: Arc::new(SessionInner {
                token_hash: token_hash(&token),
                token,
                username: account.username.clone(),
                display_name: account.display_name.clone(),
                roles: account.roles.clone(),
            }),
        }
    }

    /// The bearer token (what a LAN workstation sends to the server).
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    pub(crate) fn token_hash(&self) -> &str {
        &self.inner.token_hash
    }

    /// The user name signed in.
    pub fn username(&self) -> &str {
        &self.inner.username
    }

    /// The name shown.
    pub fn display_name(&self) -> &str {
        &self.inner.display_name
    }

    /// The roles held when signing in.
    pub fn roles(&self) -> &[UserRole] {
        &self.inner.roles
    }
}

/// SHA-256 of a token, hex: tokens carry 256 random bits, so a fast hash suffices (no password stretching).
fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Times as the database keeps them (microseconds), for comparing a stored time with one computed here.
fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(6)
}

/// The user a use-case runs for, after the check: who (for the audit log) and how far they see.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// User name, as the audit log records it.
    pub username: String,
    /// Roles held now (read from the database at the check, so a change takes effect at once).
    pub roles: Vec<UserRole>,
    /// Set for a user who may see only their own grid (a grid worker without a town-wide role).
    pub only_grid: Option<String>,
    /// The account's own grid, whatever its other roles (a grid worker's residents stay in it).
    pub grid_code: Option<String>,
}

impl Actor {
    /// The system itself, for the bootstrap steps before any account exists.
    pub(crate) fn system() -> Self {
        Self {
            username: "-".into(),
            roles: Vec::new(),
            only_grid: None,
            grid_code: None,
        }
    }

    /// True if the actor may see grid `code`.
    pub fn sees_grid(&self, code: &str) -> bool {
        self.only_grid.as_deref().is_none_or(|own| own == code)
    }
}

impl App {
    /// The check every use-case makes first: the session is live (not idle longer than the timeout), the
    /// account still exists and is enabled, its password was not reset since signing in, a reset password has
    /// been changed (nothing else is allowed until it is), and one of its roles (as stored now) grants the
    /// use-case. It does not renew the idle timer: background refreshes of a locked screen would keep a session
    /// alive forever; only [`App::record_activity`] (a person's input) renews it.
    pub async fn authorize(&self, session: Option<&Session>, use_case: UseCase) -> Result<Actor> {
        let access = use_case.access();
        let Some(session) = session else {
            return match access {
                Access::Public => Ok(Actor::system()),
                _ => Err(AppError::SignInRequired(use_case.label())),
            };
        };
        let now = self.clock.now();
        let row = self
            .store
            .session(session.token_hash())
            .await?
            .ok_or(AppError::SessionEnded)?;
        if stored(now) - stored(row.last_active) > self.idle_timeout
            || stored(now) - stored(row.created_at) > Duration::hours(MAX_SESSION_HOURS)
        {
            return Err(AppError::SessionExpired);
        }
        let account = self
            .store
            .user_by_username(&row.username)
            .await?
            .filter(|a| !a.disabled)
            .ok_or(AppError::AccountGone)?;
        if stored(account.password_changed_at) != stored(row.password_set_at) {
            return Err(AppError::SessionEnded);
        }
        let may_wait = matches!(
            use_case,
            UseCase::ChangeOwnPassword | UseCase::RecordActivity
        ) || access == Access::Public;
        if account.must_change_password && !may_wait {
            return Err(AppError::PasswordChangeRequired);
        }
        let allowed = match access {
            Access::Public | Access::SignedIn => true,
            Access::Requires(p) => grants(&account.roles, p),
        };
        if !allowed {
            tracing::warn!(user = %account.username, use_case = ?use_case, "refused");
            return Err(AppError::Forbidden {
                use_case: use_case.label(),
                roles: role_labels(&account.roles),
            });
        }
        let only_grid = if grants(&account.roles, Permission::ViewTown) {
            None
        } else {
            Some(account.grid_code.clone().unwrap_or_default())
        };
        Ok(Actor {
            username: account.username,
            roles: account.roles,
            only_grid,
            grid_code: account.grid_code,
        })
    }

    /// A person used the screen (typed, clicked, scrolled): the session's idle timer starts again. Refused like
    /// any call once the session has expired, so a locked screen cannot renew itself.
    pub async fn record_activity(&self, session: &Session) -> Result<()> {
        self.authorize(Some(session), UseCase::RecordActivity)
            .await?;
        self.store
            .touch_session(session.token_hash(), self.clock.now())
            .await?;
        Ok(())
    }

    /// The session whose bearer token is `token` (the town's server, for each request of a LAN workstation):
    /// [`AppError::SessionEnded`] when there is none (signed out, never made, or cleared). Whether it is still
    /// live and what it may do is checked by each use-case, as for any session.
    pub async fn session(&self, token: &str) -> Result<Session> {
        let row = self
            .store
            .session(&token_hash(token))
            .await?
            .ok_or(AppError::SessionEnded)?;
        let account = self
            .store
            .user_by_username(&row.username)
            .await?
            .ok_or(AppError::AccountGone)?;
        Ok(Session::new(token.to_string(), &account))
    }

    /// Makes and stores a session for `account`, signed in now from `workstation`. Sessions idle longer than
    /// the timeout are cleared on the way (they could not be used any more).
    pub(crate) async fn start_session(
        &self,
        account: &UserAccount,
        workstation: &str,
    ) -> Result<Session> {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let now = self.clock.now();
        self.store
            .end_idle_sessions(now - self.idle_timeout)
            .await?;
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token = format!(
            "{SESSION_TOKEN_PREFIX}{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let session = Session::new(token, account);
        self.store
            .insert_session(&SessionRow {
                token_hash: session.token_hash().to_string(),
                username: account.username.clone(),
                workstation: workstation.chars().take(100).collect(),
                created_at: now,
                last_active: now,
                password_set_at: account.password_changed_at,
            })
            .await?;
        Ok(session)
    }

    /// Ends the session in the database (signing out): its token is worthless from now on, on every server.
    pub(crate) async fn end_session(&self, session: &Session) -> Result<()> {
        self.store.end_session(session.token_hash()).await?;
        Ok(())
    }

    /// The user changed the password in this session: the session now stands on the new one.
    pub(crate) async fn session_password_changed(
        &self,
        session: &Session,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.store
            .session_password_set(session.token_hash(), at)
            .await?;
        Ok(())
    }

    /// The idle time after which a session asks for the password again.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// The same app with another idle timeout in minutes (from the workstation's settings).
    pub fn with_idle_minutes(mut self, minutes: i64) -> Self {
        self.idle_timeout = Duration::minutes(minutes);
        self
    }

    /// The same app timed by another clock (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// Role names for messages, e.g. `领导、书记`.
pub(crate) fn role_labels(roles: &[UserRole]) -> String {
    if roles.is_empty() {
        return "无角色".into();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、")
}
