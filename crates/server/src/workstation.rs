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

/// Largest request body of an import: the file, base64-encoded (a third larger than the file).
pub const MAX_API_BODY: usize = 96 * 1024 * 1024;

/// Largest request body of any other call (a form, a query).
pub const MAX_CALL_BODY: usize = 1024 * 1024;

/// Sign-in attempts per second from one address (bursts to twice that): a guesser is slowed before the account
/// lockout, and cannot keep every account locked or fill the audit log at network speed.
pub const SIGN_IN_RATE: f64 = 1.0;

/// The header a workstation names itself in (for the sessions' list and the sign-in's audit entry).
pub const WORKSTATION_HEADER: &str = "x-chengguan-workstation";

/// How a request reached the server: over TLS or on a loopback address (`secure`), or in plain HTTP from the
/// network. Set by the server on every request; a router driven without one (tests) counts as secure.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    /// TLS, or loopback.
    pub secure: bool,
    /// TLS.
    pub tls: bool,
}

/// The routes of the workstation API.
pub fn router(app: Arc<App>) -> Router {
    let app = Arc::new((*app).clone().serving());
    let broadcaster = Arc::new(crate::events::Broadcaster::default());
    let sign_ins = Arc::new(crate::limits::RateTable::<std::net::IpAddr>::new(
        SIGN_IN_RATE,
    ));
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
        .route(
            &format!("{API_ROOT}/{{name}}"),
            post(
                move |State(app): State<Arc<App>>, Path(name): Path<String>, req: Request| {
                    let sign_ins = sign_ins.clone();
                    async move { call(app, name, req, &sign_ins).await }
                },
            ),
        )
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
/// The refusal of a request that came in plain HTTP from the network, or through a proxy to a plain loopback
/// listener (which would make the network's requests look local): passwords and residents' data never cross
/// the network in clear.
pub(crate) fn insecure(req: &Request) -> Option<Response> {
    let transport = req.extensions().get::<Transport>().copied();
    let proxied = transport.is_some_and(|t| !t.tls)
        && ["forwarded", "x-forwarded-for", "x-real-ip"]
            .iter()
            .any(|h| req.headers().contains_key(*h));
    if transport.is_none_or(|t| t.secure) && !proxied {
        return None;
    }
    Some(refusal(
        StatusCode::FORBIDDEN,
        "api.tls_required",
        "工作站接口只能通过 HTTPS 直接访问（不经未加密的代理）：请为服务器配置证书（chengguan server init-tls）",
    ))
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let dto = ErrorDto {
        code: code.into(),
        message: message.into(),
        details: Vec::new(),
    };
    (status, Json(dto)).into_response()
}

/// Runs one call: who may is settled before the body is read, so a large body is only ever read for someone
/// allowed to send it.
async fn call(
    app: Arc<App>,
    name: String,
    req: Request,
    sign_ins: &crate::limits::RateTable<std::net::IpAddr>,
) -> Response {
    if let Some(refused) = insecure(&req) {
        return refused;
    }
    let Some(use_case) = api::use_case_of(&name) else {
        return failure(&AppError::Invalid {
            field: "调用",
            problem: format!("没有名为 {name:?} 的调用（工作站与服务器版本不一致？）"),
        });
    };
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if name == "setup_administrator" && peer.is_some_and(|p| !p.ip().is_loopback()) {
        // Between `chengguan init` and the first account, anyone on the LAN could otherwise make themselves
        // the administrator.
        return refusal(
            StatusCode::FORBIDDEN,
            "api.local_only",
            "初始管理员只能在服务器上创建：chengguan user add 用户名 --role admin",
        );
    }
    if matches!(name.as_str(), "sign_in" | "resume") {
        // The server's own machine (its tools, a local load test) is not slowed.
        if let Some(ip) = peer.map(|p| p.ip()).filter(|ip| !ip.is_loopback()) {
            if let Err(wait) = sign_ins.take(&ip, std::time::Instant::now()) {
                let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                let mut r = refusal(
                    StatusCode::TOO_MANY_REQUESTS,
                    "auth.too_many_attempts",
                    &format!("登录尝试过于频繁，请 {secs} 秒后再试"),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
                return r;
            }
        }
    }
    let (parts, body) = req.into_parts();
    let headers = parts.headers;
    let public = use_case.access() == chengguan_app::access::Access::Public;
    let session = match bearer(&headers) {
        None => None,
        Some(token) => match app.session(token).await {
            Ok(s) => Some(s),
            // A session that ended still lets the public calls through (signing in again, the status bar).
            Err(_) if public => None,
            Err(e) => return failure(&e),
        },
    };
    if !public {
        if let Err(e) = app.authorize(session.as_ref(), use_case).await {
            return failure(&e);
        }
    }
    let (limit, within) = if name == "petitions_import" {
        (MAX_API_BODY, std::time::Duration::from_secs(300))
    } else {
        (MAX_CALL_BODY, std::time::Duration::from_secs(10))
    };
    let body = match tokio::time::timeout(within, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        _ => {
            return failure(&AppError::Invalid {
                field: "请求体",
                problem: format!(
                    "超过 {} MB 或未在 {} 秒内完整收到",
                    (limit / 1024 / 1024).max(1),
                    within.as_secs()
                ),
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

/// The error as the desktop receives it, with its HTTP status. What the database or the program says when they
/// fail stays in the server's log: a workstation learns the kind, not the server's internals.
pub(crate) fn failure(e: &AppError) -> Response {
    let mut dto = ErrorDto::from(e);
    let status = status_of(&dto.code);
    if status.is_server_error() {
        tracing::error!(code = %dto.code, "{e}");
        dto.message = match dto.code.as_str() {
            "store.connect" | "store.database" => "服务器暂时无法访问数据库，请稍后再试".into(),
            _ => "服务器内部错误（详情已记入服务器日志）".into(),
        };
        dto.details.clear();
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
