//! The one command behind every declared call of the workstation API (`chengguan_app::api`): the UI's generated
//! client (`ui/src/bindings/api.ts`) sends the call's name and arguments, and the desktop runs it for the
//! signed-in session. What the UI must not hold or cannot do itself happens here: the session's token is kept
//! and never handed to the UI, and an export is saved in the user's download folder.

use chengguan_app::api::{self, Download};
use serde_json::Value;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::AppState;

/// Runs the declared call `name` with `args`.
#[tauri::command]
pub async fn api(state: State<'_, AppState>, name: String, args: Value) -> CommandResult<Value> {
    let app = state.app().await?;
    let session = state.session();
    let caller = api::Caller {
        session: session.as_ref(),
        workstation: chengguan_app::users::LOCAL_WORKSTATION,
    };
    if name == "sign_out" {
        state.set_session(None);
    }
    let answer = api::dispatch(&app, caller, &name, args)
        .await
        .map_err(to_dto)?;
    match name.as_str() {
        "sign_in" | "resume" => {
            let token = answer["token"].as_str().unwrap_or_default();
            let session = app.session(token).await.map_err(to_dto)?;
            state.set_session(Some(session));
            Ok(answer["signed_in"].clone())
        }
        _ if api::returns_download(&name) => {
            let download: Download = serde_json::from_value(answer)
                .map_err(|e| to_dto(chengguan_app::AppError::Internal(e.to_string())))?;
            let folder = chengguan_app::config::exports_dir().map_err(to_dto)?;
            let path = chengguan_app::files::save_download(&folder, &download).map_err(to_dto)?;
            Ok(Value::String(path))
        }
        _ => Ok(answer),
    }
}
