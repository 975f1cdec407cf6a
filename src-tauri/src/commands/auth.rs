use chengguan_app::dto::AuthState;
use serde_json::json;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::{AppState, Backend};

/// Whether an administrator must be created first, and who is signed in.
#[tauri::command]
pub async fn auth_state(state: State<'_, AppState>) -> CommandResult<AuthState> {
    let needs_administrator = match state.backend().await? {
        Backend::Local(app) => app.needs_administrator().await.map_err(to_dto)?,
        Backend::Remote(client) => client
            .call(None, "needs_administrator", json!({}))
            .await?
            .as_bool()
            .unwrap_or(false),
    };
    Ok(AuthState {
        needs_administrator,
        signed_in: state.held().map(|h| h.username().to_string()),
    })
}
