//! The workstation API over HTTP: `POST /api/v1/{name}` runs the declared call `name` of
//! `chengguan_app::api` with the JSON body as its arguments, for the session whose token is in
//! `Authorization: Bearer …`. The checks (session, idle timeout, lockout, role matrix, scope) are the use-cases'
//! own, made here on the server, where the data is: a workstation holds no database credential, only its
//! session's token.
//!
//! Errors are the desktop's `{code, message, details}` with an HTTP status by kind. `GET /api/version` answers
//! the API version, so that a workstation older or newer than the server says so in plain words.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chengguan_app::api::{self, Caller, API_VERSION};
use chengguan_app::dto::ErrorDto;
use chengguan_app::{App, AppError};
use serde_json::{json, Value};

/// The prefix of the workstation API's calls.
pub const API_ROOT: &str = "/api/v1";

/// Largest request body: an import's file, base64-encoded (a third larger than the file).
pub const MAX_API_BODY: usize = 96 * 1024 * 1024;

/// The header a workstation names itself in (for the sessions' list and the sign-in's audit entry).
pub const WORKSTATION_HEADER: &str = "x-chengguan-workstation";

/// How a request reached the server: over TLS or on a loopback address (`secure`), or in plain HTTP from the
/// network. Set by the server on every request; a router driven without one (tests) counts as secure.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    /// TLS, or loopback.
    pub secure: bool,
}

/// The routes of the workstation API.
pub fn router(app: Arc<App>) -> Router {
    let app = Arc::new((*app).clone().serving());
    let broadcaster = Arc::new(crate::events::Broadcaster::default());
    Router::new()
        .route("/api/version", get(version))
        .route(
            &format!("{API_ROOT}/events"),
            get(move |State(app): State<Arc<App>>, req: Request| {
                let broadcaster = broadcaster.clone();
                async move {
                    if let Some(refused) = insecure(&req) {
                        return refused;
                    }
                    crate::events::stream(app, broadcaster, req.headers().clone()).await
                }
            }),
        )
        .route(&format!("{API_ROOT}/{{name}}"), post(call))
        .layer(DefaultBodyLimit::max(MAX_API_BODY))
        .layer(axum::middleware::from_fn(log))
        .with_state(app)
}

async fn version() -> Json<Value> {
    Json(json!({
        "api": API_VERSION,
        "server": env!("CARGO_PKG_VERSION"),
    }))
}

/// Runs one call.
/// The refusal of a request that came in plain HTTP from the network: passwords and residents' data never
/// cross the network in clear.
fn insecure(req: &Request) -> Option<Response> {
    let plain = req
        .extensions()
        .get::<Transport>()
        .is_some_and(|t| !t.secure);
    if !plain {
        return None;
    }
    let dto = ErrorDto {
        code: "api.tls_required".into(),
        message: "工作站接口只能通过 HTTPS 访问：请为服务器配置证书（chengguan server init-tls）"
            .into(),
        details: Vec::new(),
    };
    Some((StatusCode::FORBIDDEN, Json(dto)).into_response())
}

async fn call(State(app): State<Arc<App>>, Path(name): Path<String>, req: Request) -> Response {
    if let Some(refused) = insecure(&req) {
        return refused;
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let (parts, body) = req.into_parts();
    let headers = parts.headers;
    let body = match axum::body::to_bytes(body, MAX_API_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return failure(&AppError::Invalid {
                field: "请求体",
                problem: format!("超过 {} MB 或未完整收到", MAX_API_BODY / 1024 / 1024),
            })
        }
    };
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return failure(&AppError::Invalid {
                    field: "请求体",
                    problem: format!("不是 JSON：{e}"),
                })
            }
        }
    };
    let session = match bearer(&headers) {
        None => None,
        Some(token) => match app.session(token).await {
            Ok(s) => Some(s),
            // A session that ended still lets the public calls through (signing in again, the status bar).
            Err(e) => match api::endpoints().iter().find(|ep| ep.name == name) {
                Some(ep) if ep.use_case.access() == chengguan_app::access::Access::Public => None,
                _ => return failure(&e),
            },
        },
    };
    let workstation = workstation_name(&headers, peer);
    let caller = Caller {
        session: session.as_ref(),
        workstation: &workstation,
    };
    match api::dispatch(&app, caller, &name, args).await {
        Ok(value) => Json(value).into_response(),
        Err(e) => failure(&e),
    }
}

/// The token of `Authorization: Bearer …`, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// `名称 (地址)`: the name the workstation gives (printable, at most 60 characters) and the address the server
/// saw, which the workstation cannot choose.
fn workstation_name(headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    let given: String = headers
        .get(WORKSTATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let address = peer.map(|p| p.ip().to_string()).unwrap_or_default();
    match (given.trim(), address.as_str()) {
        ("", a) => a.to_string(),
        (g, "") => g.to_string(),
        (g, a) => format!("{g} ({a})"),
    }
}

/// The error as the desktop receives it, with its HTTP status.
pub(crate) fn failure(e: &AppError) -> Response {
    let dto = ErrorDto::from(e);
    let status = status_of(&dto.code);
    if status.is_server_error() {
        tracing::error!(code = %dto.code, "{e}");
    }
    (status, Json(dto)).into_response()
}

/// The HTTP status of an error code.
fn status_of(code: &str) -> StatusCode {
    match code {
        "auth.sign_in_required"
        | "auth.session_expired"
        | "auth.session_ended"
        | "auth.account_gone"
        | "auth.bad_credentials" => StatusCode::UNAUTHORIZED,
        "auth.forbidden" | "auth.out_of_scope" | "auth.password_change_required" => {
            StatusCode::FORBIDDEN
        }
        "store.conflict" | "store.duplicate" | "auth.already_set_up" => StatusCode::CONFLICT,
        "store.connect" | "store.database" => StatusCode::SERVICE_UNAVAILABLE,
        "app.internal" | "store.corrupt" | "store.migrate" | "file.io" => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        c if c.ends_with(".not_found") => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Every call is logged: its name, status and duration (never its arguments or answer, which hold personal data).
async fn log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(path, status, ms, "api");
    } else {
        tracing::info!(path, status, ms, "api");
    }
    response
}
