use chengguan_app::dto::AuthState;
use chengguan_app::people::PersonField;
use chengguan_app::users::SignedIn;
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

/// Signs in on this workstation.
#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CommandResult<SignedIn> {
    let (session, who) = state
        .app()
        .await?
        .sign_in(&username, &password)
        .await
        .map_err(to_dto)?;
    state.set_session(Some(session));
    Ok(who)
}

/// Unlocks the session after the idle timeout, with the signed-in user's password.
#[tauri::command]
pub async fn resume(state: State<'_, AppState>, password: String) -> CommandResult<SignedIn> {
    let (app, session) = state.signed_in().await?;
    let (session, who) = app.resume(&session, &password).await.map_err(to_dto)?;
    state.set_session(Some(session));
    Ok(who)
}

/// The person used the screen: the session's idle timer starts again (the UI reports input at most once a
/// minute; background refreshes do not renew the session).
#[tauri::command]
pub async fn session_activity(state: State<'_, AppState>) -> CommandResult<()> {
    let (app, session) = state.signed_in().await?;
    app.record_activity(&session).await.map_err(to_dto)
}

/// Signs out.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<()> {
    if let Ok((app, session)) = state.signed_in().await {
        state.set_session(None);
        app.sign_out(&session).await.map_err(to_dto)?;
    }
    Ok(())
}

/// Creates the first administrator of a new database.
#[tauri::command]
pub async fn setup_administrator(
    state: State<'_, AppState>,
    username: String,
    display_name: String,
    password: String,
) -> CommandResult<()> {
    state
        .app()
        .await?
        .setup_administrator(&username, &display_name, &password)
        .await
        .map_err(to_dto)
}

/// One masked field of a person in clear, for a reason (audited).
#[tauri::command]
pub async fn reveal_person_field(
    state: State<'_, AppState>,
    person_id: String,
    field: PersonField,
    reason: String,
) -> CommandResult<String> {
    let (app, session) = state.signed_in().await?;
    app.reveal_person_field(&session, &person_id, field, &reason)
        .await
        .map_err(to_dto)
}
