//! The desktop's state: the open database, replaceable at run time (Settings → 数据库).

use std::sync::Arc;

use chengguan_app::config::{Config, ConfigSources};
use chengguan_app::dto::ErrorDto;
use chengguan_app::App;
use tokio::sync::RwLock;

/// The open application, or why there is none (the UI then shows the reason and the settings).
pub struct AppState {
    app: Arc<RwLock<Result<App, ErrorDto>>>,
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
        tauri::async_runtime::spawn(async move {
            *opening = open_configured().await;
        });
        Self { app }
    }

    /// The open application, or the error that kept it from opening.
    pub async fn app(&self) -> Result<App, ErrorDto> {
        self.app.read().await.clone()
    }

    /// Replaces the open application (after a database switch).
    pub async fn replace(&self, app: App) {
        *self.app.write().await = Ok(app);
    }
}

async fn open_configured() -> Result<App, ErrorDto> {
    async {
        let config = Config::resolve(&ConfigSources::from_env(None))?;
        let app = App::open(&config.database).await?;
        app.load_demo_if_empty(chengguan_core::demo::DEFAULT_SEED)
            .await?;
        Ok::<_, chengguan_app::AppError>(app)
    }
    .await
    .map_err(|e| {
        tracing::error!("cannot open the database: {e}");
        ErrorDto::from(&e)
    })
}
