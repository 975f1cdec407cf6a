//! Turns the database's change feed into Tauri events for the views: `db-changes` (a [`ChangeNotice`]) and
//! `db-connection` (`{ok, message}`) when the database is lost or back. Restarts on its own after a lost
//! connection and follows a database switch.

use std::time::Duration;

use chengguan_app::live::{ChangeNotice, ConnectionEvent};
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// How long to wait before reconnecting after the database was lost.
const RETRY: Duration = Duration::from_secs(2);

/// Runs for the life of the window.
pub fn spawn(handle: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        let mut generations = state.generations();
        let mut lost = false;
        loop {
            let Ok(app) = state.app().await else {
                // Still opening (or the configured database failed): wait for the next database.
                let _ = generations.changed().await;
                continue;
            };
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
                    _ = generations.changed() => break,
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
