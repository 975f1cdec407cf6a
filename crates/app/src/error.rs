use chengguan_core::geo::geojson::Problem;
use chengguan_store::StoreError;

/// What a use-case can fail with. Every variant has a stable English [`code`](Self::code) for programs and a
/// message in Chinese for people.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The database failed or refused (conflict, connection, schema…).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("无法读写文件 {path}：{source}")]
    File {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A GeoJSON file was refused; every problem names its feature.
    #[error("GeoJSON 文件未通过检查，未写入任何数据（{} 个问题）", .0.len())]
    GeoJson(Vec<Problem>),
    /// The demo town was asked for over existing data without `force`.
    #[error("数据库中已有城镇数据，未加载演示数据；如确需覆盖请加 --force（将删除现有数据）")]
    DemoOverData,
    /// The database has no town yet.
    #[error("数据库尚未初始化，请先运行 chengguan init")]
    NotInitialised,
    /// No grid has this code.
    #[error("没有编码为 {0} 的网格")]
    GridNotFound(String),
    /// The configuration is invalid; the message names the setting.
    #[error("配置无效：{0}")]
    Config(String),
    /// The use-case needs a signed-in user.
    #[error("请先登录再{0}")]
    SignInRequired(&'static str),
    /// The session was idle longer than the timeout; the password is asked again.
    #[error("长时间未操作，会话已锁定，请重新输入密码")]
    SessionExpired,
    /// The account's password was reset (or changed elsewhere) since this session signed in.
    #[error("密码已被重置或更改，请重新登录")]
    SessionEnded,
    /// The password was reset by an administrator (or is the public demo password in a real town's database):
    /// nothing but changing it is allowed until it is.
    #[error("须先修改密码（管理员重置的或公开的演示密码）再继续")]
    PasswordChangeRequired,
    /// The signed-in account was disabled or removed meanwhile.
    #[error("账号已停用或不存在，请重新登录")]
    AccountGone,
    /// None of the user's roles grants the use-case.
    #[error("无权{use_case}（当前角色：{roles}）")]
    Forbidden {
        /// The use-case, in Chinese.
        use_case: &'static str,
        /// The user's roles, in Chinese.
        roles: String,
    },
    /// Wrong user name or password, or an account locked after too many failures: which one is not told, so
    /// that a guesser cannot tell an existing account from a missing one.
    #[error("用户名或密码错误；连续错误 5 次，账号将锁定 15 分钟")]
    BadCredentials,
    /// A new password breaks the policy.
    #[error("密码不符合要求：{0}")]
    PasswordPolicy(#[from] chengguan_core::access::PasswordProblem),
    /// A user name breaks the naming rule.
    #[error("用户名「{0}」无效：应为 3–32 位小写字母、数字、点、下划线或连字符，以字母开头")]
    BadUsername(String),
    /// A field is missing or invalid; the message names it.
    #[error("{field}：{problem}")]
    Invalid {
        /// The field, in Chinese.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The first administrator exists already.
    #[error("已有用户账号，不能再创建初始管理员；请由管理员登录后新增用户")]
    AlreadySetUp,
    /// No user has this name.
    #[error("没有用户名为 {0} 的用户")]
    UserNotFound(String),
    /// No person has this identifier.
    #[error("没有编号为 {0} 的人员")]
    PersonNotFound(String),
    /// A record asked for by its number or identifier does not exist (a petition, …).
    #[error("没有{entity}「{key}」")]
    NotFound {
        /// What was looked for, in Chinese (`诉求`).
        entity: &'static str,
        /// The number or identifier given.
        key: String,
    },
    /// The program failed at something no input can cause (encoding a PNG or an xlsx, hashing a password); the
    /// message says what, for the log and the report.
    #[error("程序内部错误：{0}")]
    Internal(String),
    /// A workflow step not legal in the petition's state; nothing changed.
    #[error("{0}")]
    Workflow(chengguan_core::petitions::workflow::Refused),
    /// A chart or the briefing pack could not be made: no Chinese font on this machine (`report.font_missing`,
    /// the message says how to install one), or a drawing or typesetting failure.
    #[error(transparent)]
    Report(#[from] chengguan_report::ReportError),
    /// A grid worker asked for something outside their own grid.
    #[error("只能查看本人负责的网格（{own}），无权查看 {asked}")]
    OutOfScope {
        /// Their grid.
        own: String,
        /// What was asked for.
        asked: String,
    },
}

impl AppError {
    /// A stable English code, e.g. `geojson.invalid` or `store.conflict`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::File { .. } => "file.io",
            Self::GeoJson(_) => "geojson.invalid",
            Self::DemoOverData => "demo.not_empty",
            Self::NotInitialised => "town.not_initialised",
            Self::GridNotFound(_) => "grid.not_found",
            Self::Config(_) => "config.invalid",
            Self::SignInRequired(_) => "auth.sign_in_required",
            Self::SessionExpired => "auth.session_expired",
            Self::AccountGone => "auth.account_gone",
            Self::SessionEnded => "auth.session_ended",
            Self::PasswordChangeRequired => "auth.password_change_required",
            Self::Forbidden { .. } => "auth.forbidden",
            Self::BadCredentials => "auth.bad_credentials",
            Self::PasswordPolicy(_) => "auth.password_policy",
            Self::BadUsername(_) => "user.bad_username",
            Self::Invalid { .. } => "input.invalid",
            Self::AlreadySetUp => "auth.already_set_up",
            Self::UserNotFound(_) => "user.not_found",
            Self::PersonNotFound(_) => "person.not_found",
            Self::OutOfScope { .. } => "auth.out_of_scope",
            Self::Workflow(_) => "petition.illegal_step",
            Self::NotFound { .. } => "record.not_found",
            Self::Internal(_) => "app.internal",
            Self::Report(chengguan_report::ReportError::FontMissing { .. }) => {
                "report.font_missing"
            }
            Self::Report(chengguan_report::ReportError::FontUnreadable { .. }) => {
                "report.font_unusable"
            }
            Self::Report(_) => "report.failed",
        }
    }

    /// `Ok` when `text` keeps the field's limit and holds no control character (tab and line breaks only when
    /// `multiline`); else [`AppError::Invalid`] naming `field`.
    pub(crate) fn check_text(
        field: &'static str,
        text: &str,
        max: usize,
        multiline: bool,
    ) -> Result<(), AppError> {
        chengguan_core::text::check(text, max, multiline).map_err(|e| AppError::Invalid {
            field,
            problem: e.to_string(),
        })
    }

    /// The detailed problems of a refused file (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::GeoJson(p) => p,
            _ => &[],
        }
    }
}
