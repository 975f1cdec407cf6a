//! Live updates for LAN workstations: `GET /api/v1/events`, a Server-Sent Events stream per signed-in
//! workstation (`Authorization: Bearer …`), fed by one reader of the database's change feed per server process.
//!
//! Each notice is passed through `App::notice_for` for the stream's session, so a user hears only of what they
//! may see, and a stream ends when its session ends or expires (`event: session` says why). Events:
//! - `change`: a `ChangeNotice` (JSON);
//! - `connection`: a `ConnectionEvent` when the server loses or regains its database;
//! - `session`: `{code, message}` just before the stream closes for the session's sake.
//!
//! A comment line goes out every [`KEEPALIVE`], so a workstation notices a dead connection within a few of them.
//! SSE is written by hand (a few lines of text per event) rather than through axum's `sse` module, to keep
//! the server's dependencies to what it already builds.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chengguan_app::dto::ErrorDto;
use chengguan_app::live::{ChangeNotice, ConnectionEvent};
use chengguan_app::App;
use tokio::sync::{broadcast, mpsc};

/// How often an idle stream carries a keep-alive comment.
pub const KEEPALIVE: Duration = Duration::from_secs(15);

/// What the feed reader broadcasts.
#[derive(Debug, Clone)]
enum Event {
    Change(ChangeNotice),
    Connection(ConnectionEvent),
}

/// The one reader of the change feed, started with the first stream.
#[derive(Default)]
pub struct Broadcaster {
    sender: Mutex<Option<broadcast::Sender<Event>>>,
}

impl Broadcaster {
    fn subscribe(&self, app: &Arc<App>) -> broadcast::Receiver<Event> {
        let mut sender = self.sender.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = sender.as_ref() {
            return s.subscribe();
        }
        let (tx, rx) = broadcast::channel(256);
        *sender = Some(tx.clone());
        tokio::spawn(read_feed(app.clone(), tx));
        rx
    }
}

/// Reads the change feed for ever, reconnecting after a lost database.
async fn read_feed(app: Arc<App>, tx: broadcast::Sender<Event>) {
    let mut lost = false;
    loop {
        let mut feed = match app.change_feed().await {
            Ok(feed) => feed,
            Err(e) => {
                if !lost {
                    lost = true;
                    let _ = tx.send(Event::Connection(ConnectionEvent {
                        ok: false,
                        message: e.to_string(),
                    }));
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        if lost {
            lost = false;
            let _ = tx.send(Event::Connection(ConnectionEvent {
                ok: true,
                message: String::new(),
            }));
        }
        loop {
            match feed.next().await {
                Ok(notice) => {
                    let _ = tx.send(Event::Change(notice));
                }
                Err(e) => {
                    tracing::warn!("change feed lost: {e}");
                    break;
                }
            }
        }
    }
}

/// `GET /api/v1/events`.
pub async fn stream(app: Arc<App>, broadcaster: Arc<Broadcaster>, headers: HeaderMap) -> Response {
    let Some(token) = crate::workstation::bearer(&headers) else {
        return crate::workstation::failure(&chengguan_app::AppError::SignInRequired(
            "接收实时更新",
        ));
    };
    let session = match app.session(token).await {
        Ok(s) => s,
        Err(e) => return crate::workstation::failure(&e),
    };
    // Refused at once, before the stream opens, when the session may not watch.
    let probe = ChangeNotice {
        seq: 0,
        entities: Vec::new(),
        new_petitions: Vec::new(),
    };
    if let Err(e) = app.notice_for(&session, &probe).await {
        return crate::workstation::failure(&e);
    }
    let mut events = broadcaster.subscribe(&app);
    let (tx, rx) = mpsc::channel::<Bytes>(16);
    tokio::spawn(async move {
        let _ = tx.send(Bytes::from_static(b": connected\n\n")).await;
        let mut keepalive = tokio::time::interval(KEEPALIVE);
        keepalive.tick().await;
        loop {
            let text = tokio::select! {
                // The keep-alive also checks the session: a sign-out or an expiry ends the stream even when
                // nothing changes.
                _ = keepalive.tick() => match app.notice_for(&session, &probe).await {
                    Ok(_) => ": keepalive\n\n".to_string(),
                    Err(e) => {
                        let _ = tx.send(Bytes::from(frame("session", &ErrorDto::from(&e)))).await;
                        return;
                    }
                },
                got = events.recv() => match got {
                    Ok(Event::Change(notice)) => match app.notice_for(&session, &notice).await {
                        Ok(Some(n)) => frame("change", &n),
                        Ok(None) => continue,
                        Err(e) => {
                            let _ = tx.send(Bytes::from(frame("session", &ErrorDto::from(&e)))).await;
                            return;
                        }
                    },
                    Ok(Event::Connection(c)) => frame("connection", &c),
                    // Too slow to keep up: everything is re-read.
                    Err(broadcast::error::RecvError::Lagged(_)) => frame(
                        "change",
                        &ChangeNotice { seq: 0, entities: vec!["town".into()], new_petitions: Vec::new() },
                    ),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            };
            if tx.send(Bytes::from(text)).await.is_err() {
                return; // the workstation went away
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx))
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

fn frame<T: serde::Serialize>(event: &str, data: &T) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    format!("event: {event}\ndata: {json}\n\n")
}
