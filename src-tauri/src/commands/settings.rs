use chengguan_app::dto::StatusBar;
use chengguan_app::settings::{self, Basemap, ConnectionCheck, DesktopSettings};
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

/// Tests a database URL without switching to it.
#[tauri::command]
pub async fn database_test(url: String) -> ConnectionCheck {
    settings::check_connection(&url).await
}

/// Switches to another database, saves the choice, and returns the new status bar.
#[tauri::command]
pub async fn database_switch(state: State<'_, AppState>, url: String) -> CommandResult<StatusBar> {
    let (app, status) = settings::switch_database(&url).await.map_err(to_dto)?;
    state.replace(app).await;
    Ok(status)
}
