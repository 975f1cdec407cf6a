//! The desktop's state: the open database, replaceable at run time (Settings → 数据库).

use std::sync::Arc;

use chengguan_app::access::Session;
use chengguan_app::config::{Config, ConfigSources};
use chengguan_app::dto::ErrorDto;
use chengguan_app::{App, AppError};
use tokio::sync::RwLock;

/// The open application, or why there is none (the UI then shows the reason and the settings).
pub struct AppState {
    app: Arc<RwLock<Result<App, ErrorDto>>>,
    /// Bumped each time a database is opened or switched to (the live feed follows it).
    generation: Arc<tokio::sync::watch::Sender<u64>>,
    session: std::sync::RwLock<Option<Session>>,
}

impl AppState {
    /// Starts opening the configured database in the background (on first start, an empty database also gets
    /// the demo town, marked 演示数据), so that the window and the web view start meanwhile. Commands wait
    /// for the opening to finish.
    pub fn start() -> Self {
        let app = Arc::new(RwLock::new(Err(ErrorDto {
            code: "app.starting".into(),
            message: "正在打开数据库".into(),
            details: Vec::new(),
        })));
        let mut opening = Arc::clone(&app)
            .try_write_owned()
            .expect("a new lock is free");
        let generation = Arc::new(tokio::sync::watch::Sender::new(0));
        let opened = Arc::clone(&generation);
        tauri::async_runtime::spawn(async move {
            *opening = open_configured().await;
            if let Ok(app) = &*opening {
                warm(app);
            }
            drop(opening);
            opened.send_modify(|g| *g += 1);
        });
        Self {
            app,
            generation,
            session: std::sync::RwLock::new(None),
        }
    }

    /// The open application, or the error that kept it from opening.
    pub async fn app(&self) -> Result<App, ErrorDto> {
        self.app.read().await.clone()
    }

    /// The open application; if there is none, the configured database is tried once more first (it may have
    /// been unreachable only for a while), and used from now on if it opens.
    pub async fn app_or_retry(&self) -> Result<App, ErrorDto> {
        if let Ok(app) = self.app().await {
            return Ok(app);
        }
        let app = open_configured().await?;
        self.replace(app.clone()).await;
        Ok(app)
    }

    /// Replaces the open application (after a database switch); whoever was signed in is signed out, since
    /// the other database has its own accounts.
    pub async fn replace(&self, app: App) {
        warm(&app);
        *self.app.write().await = Ok(app);
        self.set_session(None);
        self.generation.send_modify(|g| *g += 1);
    }

    /// The open application and the signed-in session, or `auth.sign_in_required`.
    pub async fn signed_in(&self) -> Result<(App, Session), ErrorDto> {
        let app = self.app().await?;
        let session = self
            .session
            .read()
            .expect("session lock")
            .clone()
            .ok_or_else(|| ErrorDto::from(&AppError::SignInRequired("继续")))?;
        Ok((app, session))
    }

    /// Wakes when another database is opened.
    pub fn generations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// The session, if someone is signed in.
    pub fn session(&self) -> Option<Session> {
        self.session.read().expect("session lock").clone()
    }

    /// Signs in or out on this workstation.
    pub fn set_session(&self, session: Option<Session>) {
        *self.session.write().expect("session lock") = session;
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

async fn open_configured() -> Result<App, ErrorDto> {
    async {
        let config = Config::resolve(&ConfigSources::from_env(None))?;
        App::open_workstation(&config).await
    }
    .await
    .map_err(|e| {
        tracing::error!("cannot open the database: {e}");
        ErrorDto::from(&e)
    })
}
