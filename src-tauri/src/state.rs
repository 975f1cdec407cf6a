//! The desktop's state: the open database, replaceable at run time (Settings → 数据库).

use chengguan_app::config::{Config, ConfigSources};
use chengguan_app::dto::ErrorDto;
use chengguan_app::App;
use tokio::sync::RwLock;

/// The open application, or why there is none (the UI then shows the reason and the settings).
pub struct AppState {
    app: RwLock<Result<App, ErrorDto>>,
}

impl AppState {
    /// Opens the configured database; on first start (an empty database) loads the demo town, marked 演示数据.
    pub async fn start() -> Self {
        let opened = async {
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
        });
        Self {
            app: RwLock::new(opened),
        }
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
