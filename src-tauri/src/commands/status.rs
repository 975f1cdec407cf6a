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

/// The UI reports that a stage of start-up is on screen (e.g. `map`: the first map painted). Logged under the
/// `startup` target, which `bench/startup.py` reads to measure time to first map.
#[tauri::command]
pub fn ui_ready(stage: String) {
    tracing::info!(target: "startup", stage = %stage, "ui ready");
}
