use uuid::Uuid;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not `sqlite://PATH` or `postgres://…`.
    #[error("数据库地址无效：{0}（应为 sqlite://路径 或 postgres://用户@主机/库名）")]
    BadUrl(String),
    /// The database cannot be reached or opened; the reason says why in words for people.
    #[error("无法连接数据库：{reason}")]
    Connect {
        /// Why, e.g. host unreachable, bad password, database missing.
        reason: String,
        /// The underlying error.
        #[source]
        source: sqlx::Error,
    },
    /// The database was written by a newer version of the program (it has migrations this one does not know).
    #[error("数据库结构版本 {found} 比本程序支持的 {supported} 新，请升级程序")]
    SchemaTooNew {
        /// Latest migration applied to the database.
        found: i64,
        /// Latest migration this program knows.
        supported: i64,
    },
    /// Running the migrations failed.
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row was changed by someone else since it was read (optimistic concurrency); nothing was written.
    #[error(
        "{entity} {id} 已被他人修改（读取时版本 {expected}，当前版本 {actual}），本次修改未保存"
    )]
    Conflict {
        /// Kind of row, e.g. `grid`.
        entity: &'static str,
        /// Its identifier.
        id: Uuid,
        /// The version the writer read.
        expected: i64,
        /// The version now stored.
        actual: i64,
    },
    /// A row that should exist does not.
    #[error("{entity} {id} 不存在")]
    NotFound {
        /// Kind of row.
        entity: &'static str,
        /// Its identifier.
        id: Uuid,
    },
    /// The database has no town yet (`chengguan init` first).
    #[error("数据库尚未初始化（请先运行 chengguan init）")]
    NotInitialised,
    /// The database already has a town.
    #[error("数据库已初始化")]
    AlreadyInitialised,
    /// The database already holds town data and the operation needs an empty one.
    #[error("数据库中已有城镇数据")]
    NotEmpty,
    /// A row with the same unique key (e.g. a user name) exists.
    #[error("{entity}「{key}」已存在")]
    Duplicate {
        /// Kind of row.
        entity: &'static str,
        /// The taken key.
        key: String,
    },
    /// A stored value cannot be read back into the domain (e.g. an unknown role code); names the row.
    #[error("数据库中的数据无效：{0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    /// The operation does not apply to this kind of database (a SQLite snapshot of a PostgreSQL database).
    #[error("此操作不适用于该数据库：{0}")]
    Unsupported(&'static str),
}

impl StoreError {
    /// True when the database is unreachable or busy for the moment (the server down or restarting, the pool
    /// exhausted, SQLite locked past its busy timeout): the same request may succeed later, so the intake
    /// answers 503 with `Retry-After` rather than 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Connect { .. } => true,
            Self::Database(e) => match e {
                // A connection cut mid-answer shows as an I/O or a protocol error.
                sqlx::Error::Io(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Tls(_) => true,
                sqlx::Error::Database(db) => {
                    let code = db.code().unwrap_or_default();
                    // PostgreSQL: 08xxx connection exceptions, 57P0x shutdown and start-up; SQLite: BUSY and
                    // LOCKED with their extended codes.
                    code.starts_with("08")
                        || code.starts_with("57P")
                        || matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// A stable English code for programs and logs, e.g. `store.conflict`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUrl(_) => "store.bad_url",
            Self::Connect { .. } => "store.connect",
            Self::SchemaTooNew { .. } => "store.schema_too_new",
            Self::Migrate(_) => "store.migrate",
            Self::Conflict { .. } => "store.conflict",
            Self::NotFound { .. } => "store.not_found",
            Self::NotInitialised => "store.not_initialised",
            Self::AlreadyInitialised => "store.already_initialised",
            Self::NotEmpty => "store.not_empty",
            Self::Duplicate { .. } => "store.duplicate",
            Self::Corrupt(_) => "store.corrupt",
            Self::Database(_) => "store.database",
            Self::Unsupported(_) => "store.unsupported",
        }
    }

    /// Wraps a connection error, explaining the common causes in words.
    pub(crate) fn connect(source: sqlx::Error) -> Self {
        let reason = match &source {
            sqlx::Error::Io(e) => format!("主机不可达或拒绝连接（{e}）"),
            sqlx::Error::PoolTimedOut => "连接超时：服务器不可达".into(),
            sqlx::Error::Tls(e) => format!("TLS 握手失败（{e}）"),
            sqlx::Error::Database(db) => match db.code().as_deref() {
                Some("28P01") | Some("28000") => format!("用户名或密码错误（{}）", db.message()),
                Some("3D000") => format!("数据库不存在（{}）", db.message()),
                Some("14") => format!("无法打开数据库文件（{}）", db.message()),
                _ => db.message().to_string(),
            },
            other => other.to_string(),
        };
        Self::Connect { reason, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_an_unreachable_or_busy_database_is_unavailable_not_an_error() {
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(StoreError::Database(sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        )))
        .is_unavailable());
        assert!(!StoreError::NotInitialised.is_unavailable());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_unavailable());
    }
}
