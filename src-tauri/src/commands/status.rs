use chengguan_app::dto::StatusBar;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// The town and database shown in the status bar.
#[tauri::command]
pub async fn status_bar(state: State<'_, AppState>) -> CommandResult<StatusBar> {
    state.app().await?.status_bar().await.map_err(to_dto)
}

/// Whether the database still answers (the status bar's connection light).
#[tauri::command]
pub async fn ping(state: State<'_, AppState>) -> CommandResult<()> {
    state.app().await?.ping().await.map_err(to_dto)
}
