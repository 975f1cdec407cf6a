use chengguan_app::analysis::layers::{AlertList, ChoroplethLayer, HeatLayer, HotspotLayer};
use chengguan_app::petitions::PetitionQuery;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// The heat layer of the petitions `query` selects, kernel bandwidth in metres.
#[tauri::command]
pub async fn analysis_heat(
    state: State<'_, AppState>,
    query: PetitionQuery,
    bandwidth_m: f64,
) -> CommandResult<HeatLayer> {
    let (app, session) = state.signed_in().await?;
    app.heat_layer(&session, &query, bandwidth_m)
        .await
        .map_err(to_dto)
}

/// Petitions per grid under `measure` (`count`, `per_1000_households`, `per_km2`) with class breaks.
#[tauri::command]
pub async fn analysis_choropleth(
    state: State<'_, AppState>,
    query: PetitionQuery,
    measure: String,
) -> CommandResult<ChoroplethLayer> {
    let (app, session) = state.signed_in().await?;
    app.choropleth_layer(&session, &query, &measure)
        .await
        .map_err(to_dto)
}

/// Gi* hot spots per grid or on a lattice (`grid`, `hex:250`, …).
#[tauri::command]
pub async fn analysis_hotspots(
    state: State<'_, AppState>,
    query: PetitionQuery,
    layout: String,
) -> CommandResult<HotspotLayer> {
    let (app, session) = state.signed_in().await?;
    app.hotspot_layer(&session, &query, &layout)
        .await
        .map_err(to_dto)
}

/// The spike alerts of the week holding `day` (`YYYY-MM-DD`; none: this week).
#[tauri::command]
pub async fn analysis_alerts(
    state: State<'_, AppState>,
    day: Option<String>,
) -> CommandResult<AlertList> {
    let (app, session) = state.signed_in().await?;
    app.alert_list(&session, day.as_deref())
        .await
        .map_err(to_dto)
}
