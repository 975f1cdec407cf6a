use chengguan_app::audit::{AuditQuery, AuditRow, AuditVerification};
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// Audit entries, newest first (administrator).
#[tauri::command]
pub async fn audit_list(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> CommandResult<Vec<AuditRow>> {
    let (app, session) = state.signed_in().await?;
    let filter = query.to_filter(500).map_err(to_dto)?;
    app.audit_list(&session, &filter).await.map_err(to_dto)
}

/// Verifies the audit log's keyed hash chain (administrator).
#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> CommandResult<AuditVerification> {
    let (app, session) = state.signed_in().await?;
    app.audit_verify(&session, None).await.map_err(to_dto)
}

/// Saves the filtered audit log as xlsx in the download folder (administrator); returns the file's path.
#[tauri::command]
pub async fn audit_export(state: State<'_, AppState>, query: AuditQuery) -> CommandResult<String> {
    let (app, session) = state.signed_in().await?;
    let filter = query.to_filter(i64::MAX).map_err(to_dto)?;
    let folder = chengguan_app::config::exports_dir().map_err(to_dto)?;
    app.audit_export_to(&session, &filter, &folder)
        .await
        .map_err(to_dto)
}
