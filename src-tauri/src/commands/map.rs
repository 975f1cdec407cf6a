use chengguan_app::map::{GridDetail, TownMap};
use chengguan_app::Crs;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// The grids and community outlines, in the base map's coordinate system.
#[tauri::command]
pub async fn town_map(state: State<'_, AppState>, crs: Crs) -> CommandResult<TownMap> {
    let (app, session) = state.signed_in().await?;
    app.town_map(&session, crs).await.map_err(to_dto)
}

/// One grid's detail panel.
#[tauri::command]
pub async fn grid_detail(state: State<'_, AppState>, code: String) -> CommandResult<GridDetail> {
    let (app, session) = state.signed_in().await?;
    app.grid_detail(&session, &code).await.map_err(to_dto)
}
