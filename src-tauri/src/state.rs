//! The desktop's state: what it works on, replaceable at run time (Settings → 连接方式), and who is signed in.
//!
//! A workstation works on one [`Backend`]: its own SQLite file (local mode, the app in-process), or the town's
//! server over HTTPS (LAN mode, `chengguan-client`). It never holds a database credential in LAN mode: a
//! `postgres://` address on the desktop is refused with the way to switch. Who is signed in is held in memory
//! only, and forgotten on sign-out.

use std::sync::Arc;

use chengguan_app::access::Session;
use chengguan_app::config::{Config, ConfigSources, ServerTrust};
use chengguan_app::dto::ErrorDto;
use chengguan_app::{App, AppError, DatabaseKind};
use tokio::sync::RwLock;

/// What the workstation works on.
#[derive(Clone)]
pub enum Backend {
    /// Local mode: the app in-process over this workstation's database.
    Local(App),
    /// LAN mode: the town's server.
    Remote(chengguan_client::Client),
}

/// Who is signed in.
#[derive(Clone)]
pub enum Held {
    /// On the local database.
    Local(Session),
    /// On the town's server: the session's token and what the server said of the user.
    Remote {
        /// The bearer token (in memory only).
        token: String,
        /// User name.
        username: String,
        /// Permission codes.
        permissions: Vec<String>,
    },
}

impl Held {
    /// Whether the user may change this workstation's settings, as the server said at sign-in (LAN mode; the
    /// local app checks its own sessions itself).
    pub fn remote_may_manage_settings(&self) -> bool {
        matches!(self, Held::Remote { permissions, .. } if permissions.iter().any(|p| p == "manage_settings"))
    }

    /// The user name.
    pub fn username(&self) -> &str {
        match self {
            Held::Local(s) => s.username(),
            Held::Remote { username, .. } => username,
        }
    }
}

/// The open backend, or why there is none (the UI then shows the reason and the settings).
pub struct AppState {
    backend: Arc<RwLock<Result<Backend, ErrorDto>>>,
    /// Bumped each time a backend is opened or switched to, or someone signs in or out (the live feed follows).
    generation: Arc<tokio::sync::watch::Sender<u64>>,
    held: std::sync::RwLock<Option<Held>>,
}

impl AppState {
    /// Starts opening the configured backend in the background (on first start, an empty local database also
    /// gets the demo town, marked 演示数据), so that the window and the web view start meanwhile. Commands wait
    /// for the opening to finish.
    pub fn start() -> Self {
        let backend = Arc::new(RwLock::new(Err(ErrorDto {
            code: "app.starting".into(),
            message: "正在打开数据库".into(),
            details: Vec::new(),
        })));
        let mut opening = Arc::clone(&backend)
            .try_write_owned()
            .expect("a new lock is free");
        let generation = Arc::new(tokio::sync::watch::Sender::new(0));
        let opened = Arc::clone(&generation);
        tauri::async_runtime::spawn(async move {
            *opening = open_configured().await;
            if let Ok(Backend::Local(app)) = &*opening {
                warm(app);
            }
            drop(opening);
            opened.send_modify(|g| *g += 1);
        });
        Self {
            backend,
            generation,
            held: std::sync::RwLock::new(None),
        }
    }

    /// The open backend, or the error that kept it from opening.
    pub async fn backend(&self) -> Result<Backend, ErrorDto> {
        self.backend.read().await.clone()
    }

    /// The open local app; in LAN mode [`lan_only`]'s refusal.
    pub async fn app(&self) -> Result<App, ErrorDto> {
        match self.backend().await? {
            Backend::Local(app) => Ok(app),
            Backend::Remote(_) => Err(lan_only()),
        }
    }

    /// The open backend; if there is none, the configured one is tried once more first (it may have been
    /// unreachable only for a while), and used from now on if it opens.
    pub async fn backend_or_retry(&self) -> Result<Backend, ErrorDto> {
        if let Ok(b) = self.backend().await {
            return Ok(b);
        }
        let backend = open_configured().await?;
        self.replace(backend.clone()).await;
        Ok(backend)
    }

    /// Replaces the open backend (after a switch); whoever was signed in is signed out, since the other one has
    /// its own accounts.
    pub async fn replace(&self, backend: Backend) {
        if let Backend::Local(app) = &backend {
            warm(app);
        }
        *self.backend.write().await = Ok(backend);
        self.set_held(None);
    }

    /// The open local app and its signed-in session, or `auth.sign_in_required`.
    pub async fn signed_in(&self) -> Result<(App, Session), ErrorDto> {
        let app = self.app().await?;
        match self.held() {
            Some(Held::Local(session)) => Ok((app, session)),
            _ => Err(ErrorDto::from(&AppError::SignInRequired("继续"))),
        }
    }

    /// Wakes when another backend is opened, or someone signs in or out.
    pub fn generations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// Who is signed in, if anyone.
    pub fn held(&self) -> Option<Held> {
        self.held.read().expect("session lock").clone()
    }

    /// Signs in or out on this workstation.
    pub fn set_held(&self, held: Option<Held>) {
        *self.held.write().expect("session lock") = held;
        self.generation.send_modify(|g| *g += 1);
    }
}

/// True when this workstation is configured to work through a town server (whether or not it answers now).
pub fn server_configured() -> bool {
    Config::resolve(&ConfigSources::from_env(None)).is_ok_and(|c| c.server.is_some())
}

/// What a workstation in LAN mode cannot do itself (the database is the server's).
pub fn lan_only() -> ErrorDto {
    ErrorDto {
        code: "server.managed".into(),
        message:
            "本工作站经城镇服务器工作（局域网模式）：数据库由服务器管理，不能在工作站上测试或切换"
                .into(),
        details: Vec::new(),
    }
}

/// Reads the petitions into memory in the background, for the map's analysis layers (until it is done they are
/// computed from the database, only slower).
fn warm(app: &App) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match app.warm_analysis().await {
            Ok(n) => tracing::info!("analysis: {n} located petitions in memory"),
            Err(e) => tracing::warn!("analysis stays on the database: {e}"),
        }
    });
}

/// The server's status bar as a LAN workstation shows it: the server does not name its database, so the address
/// shown is where the workstation works.
pub fn remote_status(
    client: &chengguan_client::Client,
    mut status: serde_json::Value,
) -> serde_json::Value {
    status["database_url"] = serde_json::Value::String(client.base().to_string());
    status
}

/// The name a workstation gives the server: its host name.
fn workstation_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "工作站".into())
}

/// A client of the configured town server (its version checked).
pub async fn connect(server: &chengguan_app::config::ServerConfig) -> Result<Backend, ErrorDto> {
    let trust = match &server.trust {
        ServerTrust::CaFile(path) => chengguan_client::Trust::Ca(path.clone()),
        ServerTrust::Fingerprint(f) => chengguan_client::Trust::Fingerprint(f.clone()),
        ServerTrust::Nothing => chengguan_client::Trust::LoopbackPlain,
    };
    let client = chengguan_client::Client::new(&server.url, &trust, &workstation_name())?;
    client.check_version().await?;
    Ok(Backend::Remote(client))
}

async fn open_configured() -> Result<Backend, ErrorDto> {
    let config = Config::resolve(&ConfigSources::from_env(None)).map_err(|e| ErrorDto::from(&e))?;
    if let Some(server) = &config.server {
        return connect(server).await.inspect_err(|e| {
            tracing::error!("cannot reach the town server: {}", e.message);
        });
    }
    if config.database.kind() == DatabaseKind::Postgres {
        // The LAN mode of earlier versions: every workstation held the database's password.
        return Err(ErrorDto {
            code: "config.lan_via_server".into(),
            message: format!(
                "局域网模式现经城镇服务器连接，工作站不再直接连接 PostgreSQL（{}）。请在「设置 → 连接方式」填写服务器地址（https://…）与城镇 CA 证书或指纹，并删除配置文件中 [database] 的 postgres 地址；见 docs/deployment.md",
                config.database
            ),
            details: Vec::new(),
        });
    }
    App::open_workstation(&config)
        .await
        .map(Backend::Local)
        .map_err(|e| {
            tracing::error!("cannot open the database: {e}");
            ErrorDto::from(&e)
        })
}
