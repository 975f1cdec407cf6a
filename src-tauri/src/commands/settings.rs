use chengguan_app::config::settings::{self, Basemap, ConnectionCheck, DesktopSettings};
use chengguan_app::dto::StatusBar;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// The saved settings (base map, database).
#[tauri::command]
pub async fn settings_get() -> CommandResult<DesktopSettings> {
    settings::load_desktop_settings().map_err(to_dto)
}

/// Saves (or clears, with `null`) the base map.
#[tauri::command]
pub async fn basemap_save(
    state: State<'_, AppState>,
    basemap: Option<Basemap>,
) -> CommandResult<DesktopSettings> {
    let (app, session) = state.signed_in().await?;
    app.save_basemap(&session, basemap).await.map_err(to_dto)
}

/// Tests a database URL without switching to it (read-only). The administrator's, or anyone's while this
/// workstation's own database cannot be opened (no one can sign in then).
#[tauri::command]
pub async fn database_test(
    state: State<'_, AppState>,
    url: String,
) -> CommandResult<ConnectionCheck> {
    if state.app_or_retry().await.is_err() {
        return Ok(settings::check_connection(&url).await);
    }
    let (app, session) = state.signed_in().await?;
    app.test_database(&session, &url).await.map_err(to_dto)
}

/// Switches to another database, saves the choice, and returns the new status bar. The administrator's, or
/// anyone's while this workstation's own database cannot be opened.
#[tauri::command]
pub async fn database_switch(state: State<'_, AppState>, url: String) -> CommandResult<StatusBar> {
    let file = settings::SettingsFile::default_path().map_err(to_dto)?;
    // Before anyone may switch without signing in, the workstation's own database is tried again: an outage
    // at start-up that has passed must not leave the switch open to everyone.
    let (app, status) = match state.app_or_retry().await {
        Err(_) => {
            let key = chengguan_app::config::Config::resolve(
                &chengguan_app::config::ConfigSources::from_env(None),
            )
            .and_then(|c| c.audit_key())
            .map_err(to_dto)?;
            settings::switch_database_unopened(&url, &file, key).await
        }
        Ok(app) => {
            let (_, session) = state.signed_in().await?;
            app.switch_database(&session, &url, &file).await
        }
    }
    .map_err(to_dto)?;
    state.replace(app).await;
    Ok(status)
}
