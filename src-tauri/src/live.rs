//! Turns the changes committed anywhere into Tauri events for the views: `db-changes` (a `ChangeNotice`) and
//! `db-connection` (`{ok, message}`) when the connection is lost or back (the views then re-read what they
//! show). In local mode the source is the database's change feed; in LAN mode the town server's event stream of
//! the signed-in session, reconnected with backoff (1 s, 2 s, 4 s … up to 30 s). Follows a switch of backend and
//! signing in and out.

use std::time::Duration;

use chengguan_app::live::{ChangeNotice, ConnectionEvent};
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, Backend, Held};

/// How long to wait before reconnecting after the local database was lost.
const RETRY: Duration = Duration::from_secs(2);

/// The longest wait between two attempts to reach the town server.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Runs for the life of the window.
pub fn spawn(handle: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        let mut generations = state.generations();
        let mut lost = false;
        let mut backoff = Duration::from_secs(1);
        loop {
            match state.backend().await {
                Err(_) => {
                    // Still opening (or what is configured failed): wait for the next backend.
                    let _ = generations.changed().await;
                }
                Ok(Backend::Local(app)) => {
                    let mut feed = match app.change_feed().await {
                        Ok(feed) => feed,
                        Err(e) => {
                            announce(&handle, &mut lost, Some(e.to_string()));
                            tokio::select! {
                                _ = tokio::time::sleep(RETRY) => {}
                                _ = generations.changed() => {}
                            }
                            continue;
                        }
                    };
                    announce(&handle, &mut lost, None);
                    loop {
                        tokio::select! {
                            next = feed.next() => match next {
                                Ok(notice) => emit_changes(&handle, &notice),
                                Err(e) => {
                                    announce(&handle, &mut lost, Some(e.to_string()));
                                    tokio::time::sleep(RETRY).await;
                                    break;
                                }
                            },
                            changed = generations.changed() => {
                                // Signing in or out changes nothing for the local feed.
                                if changed.is_err() || !matches!(state.backend().await, Ok(Backend::Local(_))) {
                                    break;
                                }
                            }
                        }
                    }
                }
                Ok(Backend::Remote(client)) => {
                    let Some(Held::Remote { token, .. }) = state.held() else {
                        // Nobody signed in: the server sends nothing to a workstation without a session.
                        let _ = generations.changed().await;
                        continue;
                    };
                    let mut events = match client.events(&token).await {
                        Ok(events) => events,
                        Err(e) if e.code.starts_with("auth.") => {
                            // The session is over; the views hear it from their next call.
                            let _ = generations.changed().await;
                            continue;
                        }
                        Err(e) => {
                            announce(&handle, &mut lost, Some(e.message));
                            tokio::select! {
                                _ = tokio::time::sleep(backoff) => {}
                                _ = generations.changed() => {}
                            }
                            backoff = (backoff * 2).min(MAX_BACKOFF);
                            continue;
                        }
                    };
                    // Back (or connected): the views re-read, since changes meanwhile were not announced.
                    announce(&handle, &mut lost, None);
                    backoff = Duration::from_secs(1);
                    loop {
                        tokio::select! {
                            next = events.next() => match next {
                                Some(Ok(e)) if e.event == "change" => emit_value(&handle, "db-changes", &e.data),
                                Some(Ok(e)) if e.event == "connection" => emit_value(&handle, "db-connection", &e.data),
                                Some(Ok(_)) | None => break, // the session ended, or the server closed
                                Some(Err(e)) => {
                                    announce(&handle, &mut lost, Some(e.message));
                                    break;
                                }
                            },
                            _ = generations.changed() => break,
                        }
                    }
                }
            }
        }
    });
}

fn emit_changes(handle: &AppHandle, notice: &ChangeNotice) {
    if let Err(e) = handle.emit("db-changes", notice) {
        tracing::warn!("cannot emit db-changes: {e}");
    }
}

fn emit_value(handle: &AppHandle, event: &str, data: &Value) {
    if let Err(e) = handle.emit(event, data) {
        tracing::warn!("cannot emit {event}: {e}");
    }
}

/// Tells the views when the connection is lost (`Some(reason)`) or back (`None`), once per change of state.
fn announce(handle: &AppHandle, lost: &mut bool, problem: Option<String>) {
    let now_lost = problem.is_some();
    if now_lost == *lost {
        return;
    }
    *lost = now_lost;
    let event = ConnectionEvent {
        ok: !now_lost,
        message: problem.unwrap_or_default(),
    };
    if let Err(e) = handle.emit("db-connection", event) {
        tracing::warn!("cannot emit db-connection: {e}");
    }
}
