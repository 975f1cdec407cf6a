use chengguan_app::petitions::{
    CategoryInput, ImportReport, NewPetition, PetitionPage, PetitionQuery, PetitionView, SlaRow,
    Step, TimelineEntry,
};
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// The queue: one page of petitions matching the filters, and the total.
#[tauri::command]
pub async fn petitions_list(
    state: State<'_, AppState>,
    query: PetitionQuery,
) -> CommandResult<PetitionPage> {
    let (app, session) = state.signed_in().await?;
    app.list_petitions(&session, &query).await.map_err(to_dto)
}

/// Registers a petition taken at the desk (duty officer).
#[tauri::command]
pub async fn petition_create(
    state: State<'_, AppState>,
    petition: NewPetition,
) -> CommandResult<PetitionView> {
    let (app, session) = state.signed_in().await?;
    app.create_petition(&session, &petition)
        .await
        .map_err(to_dto)
}

/// A petition's timeline, oldest first.
#[tauri::command]
pub async fn petition_timeline(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<Vec<TimelineEntry>> {
    let (app, session) = state.signed_in().await?;
    app.petition_timeline(&session, &id).await.map_err(to_dto)
}

/// One workflow step on the petition as read at `version` (a stale version is `store.conflict`).
#[tauri::command]
pub async fn petition_act(
    state: State<'_, AppState>,
    id: String,
    version: i64,
    step: Step,
    note: String,
) -> CommandResult<PetitionView> {
    let (app, session) = state.signed_in().await?;
    app.act_on_petition(&session, &id, version, &step, &note)
        .await
        .map_err(to_dto)
}

/// Saves the filtered list as xlsx in the download folder; returns the file's path. Reporters' data in clear
/// only with a reason (and the reveal permission).
#[tauri::command]
pub async fn petitions_export(
    state: State<'_, AppState>,
    query: PetitionQuery,
    reveal_reason: Option<String>,
) -> CommandResult<String> {
    let (app, session) = state.signed_in().await?;
    let folder = chengguan_app::config::exports_dir().map_err(to_dto)?;
    app.export_petitions_to(&session, &query, reveal_reason.as_deref(), &folder)
        .await
        .map_err(to_dto)
}

/// Places the petition in another grid, with a reason (duty officer).
#[tauri::command]
pub async fn petition_regrid(
    state: State<'_, AppState>,
    id: String,
    version: i64,
    grid_code: String,
    reason: String,
) -> CommandResult<PetitionView> {
    let (app, session) = state.signed_in().await?;
    app.override_petition_grid(&session, &id, version, &grid_code, &reason)
        .await
        .map_err(to_dto)
}

/// Imports petitions from an xlsx or CSV file's bytes, or only checks them (administrator).
#[tauri::command]
pub async fn petitions_import(
    state: State<'_, AppState>,
    file_name: String,
    bytes: Vec<u8>,
    dry_run: bool,
) -> CommandResult<ImportReport> {
    let (app, session) = state.signed_in().await?;
    app.import_petitions(&session, &file_name, &bytes, dry_run)
        .await
        .map_err(to_dto)
}

/// The handling time limits per category and level.
#[tauri::command]
pub async fn sla_list(state: State<'_, AppState>) -> CommandResult<Vec<SlaRow>> {
    let (app, session) = state.signed_in().await?;
    app.list_sla(&session).await.map_err(to_dto)
}

/// Sets one limit (`null`: back to the default) (administrator).
#[tauri::command]
pub async fn sla_set(
    state: State<'_, AppState>,
    category: String,
    level: String,
    working_days: Option<u32>,
) -> CommandResult<Vec<SlaRow>> {
    let (app, session) = state.signed_in().await?;
    app.set_sla(&session, &category, &level, working_days)
        .await
        .map_err(to_dto)
}

/// The town's petition categories, retired ones included.
#[tauri::command]
pub async fn categories_list(state: State<'_, AppState>) -> CommandResult<Vec<CategoryInput>> {
    let (app, session) = state.signed_in().await?;
    app.list_categories(&session).await.map_err(to_dto)
}

/// Adds or changes a category (administrator); returns the list.
#[tauri::command]
pub async fn category_save(
    state: State<'_, AppState>,
    category: CategoryInput,
) -> CommandResult<Vec<CategoryInput>> {
    let (app, session) = state.signed_in().await?;
    app.save_category(&session, &category).await.map_err(to_dto)
}
