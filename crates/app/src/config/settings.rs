//! What the desktop lets a user set: the base map under the grids and the database to use, kept in the config
//! file (see [`crate::config`]); and the connection test that explains why a database cannot be used.

use std::path::{Path, PathBuf};

use chengguan_core::audit::{AuditDraft, AuditKey};
use chengguan_core::geo::Crs;
use chengguan_store::prelude::*;
use chengguan_store::DatabaseUrl;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// An optional base map: an XYZ tile URL template (a local folder or a LAN tile server) and its system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Basemap {
    /// e.g. `http://192.168.1.10/tiles/{z}/{x}/{y}.png` or `file:///data/tiles/{z}/{x}/{y}.png`.
    pub url_template: String,
    /// `wgs84` (天地图, CGCS2000) or `gcj02` (高德, 腾讯).
    pub crs: String,
}

impl Basemap {
    /// Checks the template and the system; the message names the field.
    pub fn validate(&self) -> Result<Crs> {
        let t = self.url_template.trim();
        if !(t.contains("{z}") && t.contains("{x}") && t.contains("{y}")) {
            return Err(AppError::Config(format!(
                "底图地址须含 {{z}}、{{x}}、{{y}} 占位符：{t}"
            )));
        }
        match Crs::from_code(&self.crs) {
            Some(crs @ (Crs::Wgs84 | Crs::Gcj02)) => Ok(crs),
            _ => Err(AppError::Config(format!(
                "底图坐标系须为 wgs84 或 gcj02，而不是 {}",
                self.crs
            ))),
        }
    }
}

/// The settings file's contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// `[database]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseSetting>,
    /// `[basemap]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basemap: Option<Basemap>,
    /// `[session]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionSetting>,
    /// `[open311]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open311: Option<Open311Setting>,
    /// `[audit]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSetting>,
    /// `[server]`: a LAN workstation's town server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerSetting>,
}

/// `[server]`: the town's server a LAN workstation works through (`chengguan serve`), and how its certificate
/// is trusted: the town's CA certificate (`ca_file`), or the fingerprint confirmed on first connection. Set, it
/// takes the place of `[database]` on the desktop: a workstation never holds a database credential.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSetting {
    /// `https://HOST:PORT`.
    pub url: Option<String>,
    /// The town CA's certificate (PEM).
    pub ca_file: Option<String>,
    /// The server certificate's SHA-256 fingerprint, `AB:CD:…`.
    pub fingerprint: Option<String>,
}

/// `[audit] key_file = "/etc/chengguan/audit.key"`: where the audit chain's key is (default `audit.key` beside
/// the config file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSetting {
    /// The key file's path.
    pub key_file: Option<String>,
}

/// `[open311] public_read = true`: the intake answers `GET requests` without a key, with the public fields only
/// (number, service, status, dates, grid, the point rounded to about 100 m, the description with contacts
/// blanked). Off by default: reading needs a key made with `chengguan apikey create --read`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open311Setting {
    /// Publish the public fields to anyone.
    pub public_read: Option<bool>,
}

/// `[session] idle_minutes = 30`: minutes without activity after which the desktop asks for the password again
/// (5–240).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSetting {
    /// Minutes.
    pub idle_minutes: Option<i64>,
}

/// `[database] url = …`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSetting {
    /// The database URL.
    pub url: Option<String>,
}

impl SettingsFile {
    /// Reads `path`; a missing file is empty settings.
    pub fn read(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| AppError::Config(format!("{}：{e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(AppError::File {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes `path` through a temporary file, so a failure never leaves it half-written.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| AppError::Config(e.to_string()))?;
        crate::files::write_atomically(path, text.as_bytes())
    }

    /// The default settings file, or an error when the platform has none.
    pub fn default_path() -> Result<PathBuf> {
        crate::config::default_config_file()
            .ok_or_else(|| AppError::Config("找不到用户配置目录".into()))
    }
}

/// The result of testing a database URL.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionCheck {
    /// True when the database can be used.
    pub ok: bool,
    /// `sqlite` or `postgres`, when the URL parsed.
    pub kind: Option<String>,
    /// The URL with the password masked.
    pub url: String,
    /// Stable code of the failure (`store.connect`, `store.schema_too_new`, …), if any.
    pub code: Option<String>,
    /// What happened, in Chinese.
    pub message: String,
}

/// The kind of a database URL as the UI names it.
pub fn kind_code(url: &DatabaseUrl) -> &'static str {
    match url.kind() {
        chengguan_store::DatabaseKind::Sqlite => "sqlite",
        chengguan_store::DatabaseKind::Postgres => "postgres",
    }
}

/// Says whether the database at `raw` can be used and why not, by a read-only probe: nothing is created or
/// migrated, so a mistyped path leaves no file behind and an empty server stays empty.
pub async fn check_connection(raw: &str) -> ConnectionCheck {
    let url = match DatabaseUrl::parse(raw) {
        Ok(url) => url,
        Err(e) => {
            return ConnectionCheck {
                ok: false,
                kind: None,
                url: raw.into(),
                code: Some(e.code().into()),
                message: e.to_string(),
            }
        }
    };
    match chengguan_store::probe(&url).await {
        Ok(found) => ConnectionCheck {
            ok: true,
            kind: Some(kind_code(&url).into()),
            url: url.to_string(),
            code: None,
            message: match (found.has_town, found.schema_version < found.supported) {
                (true, false) => format!("连接成功（结构版本 {}）", found.schema_version),
                (true, true) => format!(
                    "连接成功（结构版本 {}，切换时将升级到 {}）",
                    found.schema_version, found.supported
                ),
                (false, _) => {
                    "连接成功，但库中尚无城镇数据（请先在该库运行 chengguan init 或 chengguan demo）".into()
                }
            },
        },
        Err(e) => ConnectionCheck {
            ok: false,
            kind: Some(kind_code(&url).into()),
            url: url.to_string(),
            code: Some(e.code().into()),
            message: e.to_string(),
        },
    }
}

/// The settings the desktop shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DesktopSettings {
    /// The base map, if one is configured.
    pub basemap: Option<Basemap>,
    /// The database URL saved in the settings (password masked), if any.
    pub database_url: Option<String>,
    /// The folder of this workstation's log files.
    pub log_dir: Option<String>,
    /// The town server saved in the settings (LAN mode), if any.
    pub server_url: Option<String>,
    /// How its certificate is trusted, in words: `城镇 CA 证书 PATH` or `指纹 AB:CD:…`.
    pub server_trust: Option<String>,
}

fn desktop_settings(file: &SettingsFile) -> DesktopSettings {
    DesktopSettings {
        basemap: file.basemap.clone(),
        database_url: file
            .database
            .as_ref()
            .and_then(|d| d.url.as_deref())
            .map(|u| {
                DatabaseUrl::parse(u)
                    .map(|p| p.to_string())
                    .unwrap_or_else(|_| u.to_string())
            }),
        log_dir: crate::config::log_dir().map(|d| d.display().to_string()),
        server_url: file.server.as_ref().and_then(|s| s.url.clone()),
        server_trust: file.server.as_ref().and_then(|s| {
            s.ca_file
                .as_ref()
                .map(|ca| format!("城镇 CA 证书 {ca}"))
                .or_else(|| s.fingerprint.as_ref().map(|f| format!("指纹 {f}")))
        }),
    }
}

/// Checks and saves (or with `None` removes) this workstation's base map. The caller has checked who may: the
/// app for a local session ([`App::save_basemap`]), the desktop from the server's answer in LAN mode.
pub fn write_basemap(basemap: Option<Basemap>) -> Result<DesktopSettings> {
    if let Some(b) = &basemap {
        b.validate()?;
    }
    let path = SettingsFile::default_path()?;
    let mut file = SettingsFile::read(&path)?;
    file.basemap = basemap;
    file.write(&path)?;
    Ok(desktop_settings(&file))
}

/// Saves `server` as this workstation's town server (LAN mode from the next start, or at once by the desktop).
pub fn save_server(server: ServerSetting) -> Result<()> {
    let path = SettingsFile::default_path()?;
    let mut file = SettingsFile::read(&path)?;
    file.server = Some(server);
    file.write(&path)
}

/// The saved settings.
pub fn load_desktop_settings() -> Result<DesktopSettings> {
    Ok(desktop_settings(&SettingsFile::read(
        &SettingsFile::default_path()?,
    )?))
}

impl App {
    /// Saves (or with `None` removes) this workstation's base map; the template and system are checked first.
    pub async fn save_basemap(
        &self,
        session: &Session,
        basemap: Option<Basemap>,
    ) -> Result<DesktopSettings> {
        self.authorize(Some(session), UseCase::SaveBasemap).await?;
        write_basemap(basemap)
    }

    /// Tests the database at `raw` for the administrator (a read-only probe, see [`check_connection`]).
    pub async fn test_database(&self, session: &Session, raw: &str) -> Result<ConnectionCheck> {
        self.authorize(Some(session), UseCase::SwitchDatabase)
            .await?;
        Ok(check_connection(raw).await)
    }

    /// Switches this workstation to the database at `raw` (which must hold a town) and saves it in `settings`:
    /// for the administrator only, since every petition typed afterwards goes there. Audited in both databases:
    /// `database.switch_out` here, `database.switch_in` there.
    pub async fn switch_database(
        &self,
        session: &Session,
        raw: &str,
        settings: &Path,
    ) -> Result<(App, crate::dto::StatusBar)> {
        let actor = self
            .authorize(Some(session), UseCase::SwitchDatabase)
            .await?;
        let key = self.store.audit_key().clone();
        let (next, status) = switch_in(
            raw,
            key,
            &actor.username,
            json!({"from": self.url.to_string()}),
        )
        .await?;
        self.store
            .append_audit(&AuditDraft::new(
                &actor.username,
                "database.switch_out",
                "database",
                json!({"to": next.url.to_string()}),
            ))
            .await?;
        save_database(settings, raw)?;
        // The workstation's own settings (clock, idle timeout) stay; the database and its caches change.
        let next = App {
            store: next.store,
            url: next.url,
            caches: next.caches,
            ..self.clone()
        };
        Ok((next, status))
    }

    /// Checks that the database still answers (for the status bar's connection light).
    pub async fn ping(&self) -> Result<()> {
        self.store.schema_version().await?;
        Ok(())
    }
}

/// Opens the database at `raw`, which must hold a town, and saves it in `settings` as the database to use from
/// now on. Only for a workstation whose own database cannot be opened at all (no one can sign in there); once
/// a database is open, switching is [`App::switch_database`], for the administrator.
pub async fn switch_database_unopened(
    raw: &str,
    settings: &Path,
    audit_key: AuditKey,
) -> Result<(App, crate::dto::StatusBar)> {
    let switched = switch_in(
        raw,
        audit_key,
        "-",
        json!({"from": null, "cause": "本机数据库无法打开"}),
    )
    .await?;
    save_database(settings, raw)?;
    Ok(switched)
}

/// Opens the database at `raw` once a read-only look found a town there (switching never creates a file or
/// migrates a database that is not the town's), and records there who switched to it.
async fn switch_in(
    raw: &str,
    audit_key: AuditKey,
    actor: &str,
    detail: serde_json::Value,
) -> Result<(App, crate::dto::StatusBar)> {
    let url = DatabaseUrl::parse(raw)?;
    if !chengguan_store::probe(&url).await?.has_town {
        return Err(AppError::Invalid {
            field: "数据库",
            problem: format!(
                "{url} 中尚无城镇数据（请先在该库运行 chengguan init 或 chengguan demo）"
            ),
        });
    }
    let app = App::open(&url, audit_key).await?;
    let status = app.status_bar().await?;
    app.store
        .append_audit(&AuditDraft::new(
            actor,
            "database.switch_in",
            "database",
            detail,
        ))
        .await?;
    Ok((app, status))
}

fn save_database(settings: &Path, raw: &str) -> Result<()> {
    let mut file = SettingsFile::read(settings)?;
    file.database = Some(DatabaseSetting {
        url: Some(raw.to_string()),
    });
    file.write(settings)
}
