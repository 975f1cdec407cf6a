//! The one command behind every declared call of the workstation API (`chengguan_app::api`): the UI's generated
//! client (`ui/src/bindings/api.ts`) sends the call's name and arguments, and the desktop runs it in-process
//! (local mode) or on the town's server (LAN mode), for whoever is signed in. What the UI must not hold or
//! cannot do itself happens here, the same in both modes: the session's token is kept and never handed to the
//! UI, and an export is saved in the user's download folder.

use chengguan_app::api::{self, Download};
use chengguan_app::AppError;
use serde_json::Value;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::{AppState, Backend, Held};

/// Runs the declared call `name` with `args`.
#[tauri::command]
pub async fn api(state: State<'_, AppState>, name: String, args: Value) -> CommandResult<Value> {
    let backend = state.backend().await?;
    let held = state.held();
    if name == "sign_out" {
        state.set_held(None);
    }
    let answer = match &backend {
        Backend::Local(app) => {
            let session = match &held {
                Some(Held::Local(s)) => Some(s),
                _ => None,
            };
            let caller = api::Caller {
                session,
                workstation: chengguan_app::users::LOCAL_WORKSTATION,
            };
            api::dispatch(app, caller, &name, args)
                .await
                .map_err(to_dto)?
        }
        Backend::Remote(client) => {
            let token = match &held {
                Some(Held::Remote { token, .. }) => Some(token.as_str()),
                _ => None,
            };
            let answer = client.call(token, &name, args).await?;
            if name == "status_bar" {
                crate::state::remote_status(client, answer)
            } else {
                answer
            }
        }
    };
    match name.as_str() {
        "sign_in" | "resume" => {
            let token = answer["token"].as_str().unwrap_or_default().to_string();
            let who = answer["signed_in"].clone();
            let held = match &backend {
                Backend::Local(app) => Held::Local(app.session(&token).await.map_err(to_dto)?),
                Backend::Remote(_) => Held::Remote {
                    token,
                    username: who["username"].as_str().unwrap_or_default().to_string(),
                    permissions: serde_json::from_value(who["permissions"].clone())
                        .unwrap_or_default(),
                },
            };
            state.set_held(Some(held));
            Ok(who)
        }
        _ if api::returns_download(&name) => {
            let download: Download = serde_json::from_value(answer)
                .map_err(|e| to_dto(AppError::Internal(e.to_string())))?;
            let folder = chengguan_app::config::exports_dir().map_err(to_dto)?;
            let path = chengguan_app::files::save_download(&folder, &download).map_err(to_dto)?;
            Ok(Value::String(path))
        }
        _ => Ok(answer),
    }
}
