use chengguan_app::users::{NewUser, UserView};
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// Changes the signed-in user's own password.
#[tauri::command]
pub async fn change_own_password(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> CommandResult<()> {
    let (app, session) = state.signed_in().await?;
    app.change_own_password(&session, &current, &new)
        .await
        .map_err(to_dto)
}

/// Every account (administrator).
#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> CommandResult<Vec<UserView>> {
    let (app, session) = state.signed_in().await?;
    app.list_users(&session).await.map_err(to_dto)
}

/// Creates an account (administrator).
#[tauri::command]
pub async fn user_add(state: State<'_, AppState>, user: NewUser) -> CommandResult<UserView> {
    let (app, session) = state.signed_in().await?;
    app.add_user(&session, &user).await.map_err(to_dto)
}

/// Disables or enables an account (administrator).
#[tauri::command]
pub async fn user_set_disabled(
    state: State<'_, AppState>,
    username: String,
    disabled: bool,
) -> CommandResult<UserView> {
    let (app, session) = state.signed_in().await?;
    app.set_user_disabled(&session, &username, disabled)
        .await
        .map_err(to_dto)
}

/// Sets a new password for an account, which must change it at next sign-in (administrator).
#[tauri::command]
pub async fn user_reset_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CommandResult<UserView> {
    let (app, session) = state.signed_in().await?;
    app.reset_password(&session, &username, &password)
        .await
        .map_err(to_dto)
}
