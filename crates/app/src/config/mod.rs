//! Where the database is: a `--db` flag beats the `CHENGGUAN_DB` environment variable, which beats
//! `[database] url` in the config file (`config.toml` in the platform config folder), which beats the default:
//! an SQLite file `chengguan.db` in the platform data folder (on Linux `~/.local/share/chengguan/`). What the
//! desktop and the administrator change (the base map, the database to switch to) is in [`settings`], which writes
//! the same file.

pub mod audit_key;
pub mod settings;

use std::path::PathBuf;

use chengguan_store::DatabaseUrl;

use crate::{AppError, Result};
use settings::SettingsFile;

/// The environment variable naming the database.
pub const DB_ENV: &str = "CHENGGUAN_DB";

/// The environment variables of a LAN workstation's server: its address, and the CA file or the fingerprint.
pub const SERVER_ENV: [&str; 3] = [
    "CHENGGUAN_SERVER",
    "CHENGGUAN_SERVER_CA",
    "CHENGGUAN_SERVER_FINGERPRINT",
];

/// The raw inputs, before validation.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    /// `--db` on the command line.
    pub flag_db: Option<String>,
    /// `CHENGGUAN_DB`.
    pub env_db: Option<String>,
    /// `CHENGGUAN_AUDIT_KEY_FILE`.
    pub env_audit_key: Option<String>,
    /// `CHENGGUAN_SERVER`, `CHENGGUAN_SERVER_CA`, `CHENGGUAN_SERVER_FINGERPRINT`.
    pub env_server: [Option<String>; 3],
    /// The config file to read; `None` for the platform default.
    pub file: Option<PathBuf>,
}

impl ConfigSources {
    /// The sources of this process: the given flag, the environment, the default config file.
    pub fn from_env(flag_db: Option<String>) -> Self {
        Self {
            flag_db,
            env_db: std::env::var(DB_ENV).ok().filter(|v| !v.is_empty()),
            env_audit_key: std::env::var(audit_key::AUDIT_KEY_ENV)
                .ok()
                .filter(|v| !v.is_empty()),
            env_server: SERVER_ENV.map(|v| std::env::var(v).ok().filter(|v| !v.is_empty())),
            file: None,
        }
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database to open.
    pub database: DatabaseUrl,
    /// Idle minutes before a session asks for the password again.
    pub idle_minutes: i64,
    /// `[open311] public_read`: the intake's `GET requests` answers clients without a reading key, with the
    /// public fields only (default false: reading needs a key with the read scope).
    pub open311_public_read: bool,
    /// The audit chain's key file: `CHENGGUAN_AUDIT_KEY_FILE`, else `[audit] key_file`, else `audit.key` in
    /// the platform config folder (see [`audit_key`]).
    pub audit_key_file: PathBuf,
    /// A LAN workstation's town server: `CHENGGUAN_SERVER…`, else `[server]` (the desktop then works through
    /// it and ignores the database).
    pub server: Option<ServerConfig>,
}

/// A LAN workstation's town server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// `https://HOST:PORT`.
    pub url: String,
    /// How its certificate is trusted.
    pub trust: ServerTrust,
}

/// How a LAN workstation trusts its server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerTrust {
    /// The town's CA certificate (PEM file).
    CaFile(PathBuf),
    /// The server certificate's SHA-256 fingerprint.
    Fingerprint(String),
    /// None given (acceptable only for `http://` to a loopback address, which the client checks).
    Nothing,
}

impl Config {
    /// Resolves the layers into a configuration.
    pub fn resolve(sources: &ConfigSources) -> Result<Self> {
        let file = sources.file.clone().or_else(default_config_file);
        let settings = match &file {
            Some(path) => SettingsFile::read(path)?,
            _ => SettingsFile::default(),
        };
        let open311_public_read = settings
            .open311
            .as_ref()
            .and_then(|o| o.public_read)
            .unwrap_or(false);
        let audit_key_file = match sources
            .env_audit_key
            .clone()
            .or_else(|| settings.audit.as_ref().and_then(|a| a.key_file.clone()))
        {
            Some(path) => PathBuf::from(path),
            None => default_audit_key_file()?,
        };
        let file_server = settings.server.clone().unwrap_or_default();
        let [env_url, env_ca, env_fingerprint] = sources.env_server.clone();
        let server = env_url.or(file_server.url).map(|url| ServerConfig {
            url,
            trust: match (
                env_ca.or(file_server.ca_file),
                env_fingerprint.or(file_server.fingerprint),
            ) {
                (Some(ca), _) => ServerTrust::CaFile(PathBuf::from(ca)),
                (None, Some(f)) => ServerTrust::Fingerprint(f),
                (None, None) => ServerTrust::Nothing,
            },
        });
        let from_file = settings.database.and_then(|d| d.url);
        let idle_minutes = settings
            .session
            .and_then(|s| s.idle_minutes)
            .unwrap_or(crate::access::DEFAULT_IDLE_MINUTES);
        if !(5..=240).contains(&idle_minutes) {
            return Err(AppError::Config(format!(
                "[session] idle_minutes = {idle_minutes}：应在 5 到 240 分钟之间"
            )));
        }
        let chosen = sources
            .flag_db
            .clone()
            .or_else(|| sources.env_db.clone())
            .or(from_file);
        let database = match chosen {
            Some(raw) => DatabaseUrl::parse(&raw)
                .map_err(|e| AppError::Config(format!("数据库地址：{e}")))?,
            None => DatabaseUrl::sqlite(default_database_file()?),
        };
        Ok(Self {
            database,
            idle_minutes,
            open311_public_read,
            audit_key_file,
            server,
        })
    }

    /// The audit chain's key, from [`Config::audit_key_file`] (created on first use).
    pub fn audit_key(&self) -> Result<chengguan_core::audit::AuditKey> {
        audit_key::load_or_create(&self.audit_key_file)
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("cn", "chengguan", "chengguan")
}

/// The platform config file, e.g. `~/.config/chengguan/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The default audit key file, e.g. `~/.config/chengguan/audit.key`.
pub fn default_audit_key_file() -> Result<PathBuf> {
    project_dirs()
        .map(|d| d.config_dir().join("audit.key"))
        .ok_or_else(|| {
            AppError::Config(
                "找不到用户配置目录（HOME 未设置？），请用 CHENGGUAN_AUDIT_KEY_FILE 指定审计密钥文件".into(),
            )
        })
}

/// The default SQLite file, e.g. `~/.local/share/chengguan/chengguan.db`.
pub fn default_database_file() -> Result<PathBuf> {
    project_dirs()
        .map(|d| d.data_dir().join("chengguan.db"))
        .ok_or_else(|| {
            AppError::Config("找不到用户数据目录（HOME 未设置？），请用 --db 指定数据库".into())
        })
}

/// Where the desktop and the server write their daily log files (`logs/` in the data folder, 14 days kept).
pub fn log_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("logs"))
}

/// Days of log files kept.
pub const LOG_DAYS_KEPT: usize = 14;

/// The daily log file `PREFIX.YYYY-MM-DD.log` in [`log_dir`], keeping [`LOG_DAYS_KEPT`] days; `None` when the
/// platform has no data folder or it cannot be created (the program then logs to stderr only). The binaries put
/// it under their subscriber.
pub fn log_file(prefix: &str) -> Option<tracing_appender::rolling::RollingFileAppender> {
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(prefix)
        .filename_suffix("log")
        .max_log_files(LOG_DAYS_KEPT)
        .build(log_dir()?)
        .ok()
}

/// Where the desktop saves exports: the user's download folder, else `exports/` in the data folder.
pub fn exports_dir() -> Result<PathBuf> {
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(|d| d.to_path_buf()))
        .or_else(|| project_dirs().map(|d| d.data_dir().join("exports")))
        .ok_or_else(|| AppError::Config("找不到用户目录（HOME 未设置？），无法保存导出文件".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(flag: Option<&str>, env: Option<&str>, file: Option<PathBuf>) -> ConfigSources {
        ConfigSources {
            flag_db: flag.map(Into::into),
            env_db: env.map(Into::into),
            env_audit_key: None,
            env_server: Default::default(),
            file,
        }
    }

    #[test]
    fn layers_in_order_flag_env_file_default() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[database]\nurl = \"sqlite://from-file.db\"\n").expect("write");
        let pick = |s: ConfigSources| Config::resolve(&s).expect("valid").database.to_string();
        assert_eq!(
            pick(sources(
                Some("sqlite://flag.db"),
                Some("sqlite://env.db"),
                Some(file.clone())
            )),
            "sqlite://flag.db"
        );
        assert_eq!(
            pick(sources(None, Some("sqlite://env.db"), Some(file.clone()))),
            "sqlite://env.db"
        );
        assert_eq!(
            pick(sources(None, None, Some(file))),
            "sqlite://from-file.db"
        );
        let default = pick(sources(None, None, Some(dir.path().join("none.toml"))));
        assert!(
            default.ends_with("chengguan.db"),
            "default is the data-folder file, got {default}"
        );
    }

    #[test]
    fn bad_values_name_the_setting() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[database]\nurl = 5\n").expect("write");
        let err =
            Config::resolve(&sources(None, None, Some(file))).expect_err("a number is not a URL");
        assert!(
            err.to_string().contains("config.toml"),
            "the message names the file: {err}"
        );
        let err =
            Config::resolve(&sources(Some("mysql://x"), None, None)).expect_err("unknown scheme");
        assert_eq!(err.code(), "config.invalid");
    }
}
