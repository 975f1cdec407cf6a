use chengguan_app::dto::AuthState;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// Whether an administrator must be created first, and who is signed in.
#[tauri::command]
pub async fn auth_state(state: State<'_, AppState>) -> CommandResult<AuthState> {
    let app = state.app().await?;
    Ok(AuthState {
        needs_administrator: app.needs_administrator().await.map_err(to_dto)?,
        signed_in: state.session().map(|s| s.username().to_string()),
    })
}
