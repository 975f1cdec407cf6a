//! # chengguan-server
//!
//! The command center's HTTP intake: Open311 GeoReport v2 at `/open311/v2/` over [`chengguan_app::App`]. This
//! crate only reads parameters and writes answers (JSON or XML); what a request means, what is valid and what is
//! stored is decided in `chengguan_app::petitions::open311`.
//!
//! Every malformed request, whatever is wrong with it (method, content type, encoding, fields), is answered
//! with the spec's `[{code, description}]` and a 4xx status, never a 500, and stores nothing.

mod format;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chengguan_app::petitions::{Open311Error, Open311Post, Open311Search};
use chengguan_app::App;
use tokio::net::TcpListener;

use crate::format::{answer, error, split_format, Format};

/// The path prefix of the GeoReport v2 endpoints.
pub const OPEN311_ROOT: &str = "/open311/v2";

/// Largest POST body accepted (a request's fields; photos travel as `media_url`).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The routes of the intake server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            &format!("{OPEN311_ROOT}/{{file}}"),
            get(top_level).post(post_request),
        )
        .route(
            &format!("{OPEN311_ROOT}/services/{{file}}"),
            get(service_definition),
        )
        .route(
            &format!("{OPEN311_ROOT}/requests/{{file}}"),
            get(one_request),
        )
        .route(
            &format!("{OPEN311_ROOT}/request/{{file}}"),
            get(one_request),
        )
        .route(&format!("{OPEN311_ROOT}/tokens/{{file}}"), get(token))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}

/// Serves the intake on `listener` until Ctrl-C (or the process ends).
pub async fn serve(app: Arc<App>, listener: TcpListener) -> std::io::Result<()> {
    let addr: Option<SocketAddr> = listener.local_addr().ok();
    tracing::info!(?addr, "open311 intake listening");
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

type Shared = State<Arc<App>>;

/// A handler's answer: `Err` carries a finished error response, so that `?` ends the handler.
type Reply = Result<Response, Response>;

/// The name and format of a path's last segment; an unknown format is answered in JSON.
#[allow(clippy::result_large_err)] // the error is the finished answer, returned at once (axum's idiom)
fn named(file: &str) -> Result<(&str, Format), Response> {
    split_format(file).map_err(|e| error(Format::Json, &e))
}

/// `Ok` when `jurisdiction_id` (if given) is the town's code.
async fn in_jurisdiction(
    app: &App,
    params: &HashMap<String, String>,
    fmt: Format,
) -> Result<(), Response> {
    app.open311_jurisdiction(params.get("jurisdiction_id").map(String::as_str))
        .await
        .map_err(|e| error(fmt, &e))
}

/// `value` as the answer, or its error.
fn reply<T: serde::Serialize>(
    fmt: Format,
    root: &str,
    item: &str,
    value: Result<T, Open311Error>,
) -> Response {
    match value {
        Ok(v) => answer(fmt, root, item, &v),
        Err(e) => error(fmt, &e),
    }
}

/// `GET discovery`, `GET services`, `GET requests`.
async fn top_level(
    State(app): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let (name, fmt) = named(&file)?;
    let params = params(query.as_deref().unwrap_or(""));
    Ok(match name {
        "discovery" => answer(fmt, "discovery", "endpoint", &discovery()),
        "services" => {
            in_jurisdiction(&app, &params, fmt).await?;
            reply(fmt, "services", "service", app.open311_services().await)
        }
        "requests" => {
            let take = |k: &str| params.get(k).cloned();
            let search = Open311Search {
                api_key: take("api_key"),
                jurisdiction_id: take("jurisdiction_id"),
                service_request_id: take("service_request_id"),
                service_code: take("service_code"),
                start_date: take("start_date"),
                end_date: take("end_date"),
                status: take("status"),
                page: take("page"),
                page_size: take("page_size"),
                extensions: take("extensions"),
            };
            reply(
                fmt,
                "service_requests",
                "request",
                app.open311_search(&search).await,
            )
        }
        other => error(fmt, &Open311Error::not_found(format!("没有「{other}」"))),
    })
}

/// `POST requests`: form-encoded fields; anything else is a 400 naming what is wrong.
async fn post_request(
    State(app): Shared,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    let (name, fmt) = named(&file)?;
    let refuse = |e: Open311Error| error(fmt, &e);
    if name != "requests" {
        return Err(refuse(Open311Error {
            code: 405,
            description: format!("「{name}」不接受 POST"),
        }));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(refuse(Open311Error::bad_request(format!(
            "请求体须为 application/x-www-form-urlencoded（收到「{content_type}」）"
        ))));
    }
    let body = body.map_err(|e| {
        refuse(Open311Error::bad_request(format!(
            "无法读取请求体（最大 {MAX_BODY_BYTES} 字节）：{e}"
        )))
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| refuse(Open311Error::bad_request("请求体不是 UTF-8 编码")))?;
    let fields = params(text);
    let take = |k: &str| fields.get(k).cloned();
    let post = Open311Post {
        api_key: take("api_key"),
        jurisdiction_id: take("jurisdiction_id"),
        service_code: take("service_code"),
        lat: take("lat"),
        long: take("long"),
        coord_system: take("coord_system"),
        address_string: take("address_string"),
        address_id: take("address_id"),
        first_name: take("first_name"),
        last_name: take("last_name"),
        phone: take("phone"),
        email: take("email"),
        device_id: take("device_id"),
        description: take("description"),
        media_url: take("media_url"),
        channel: take("channel"),
    };
    let created = app.open311_post(&post).await.map_err(refuse)?;
    let mut r = answer(fmt, "service_requests", "request", &[created]);
    *r.status_mut() = StatusCode::CREATED;
    Ok(r)
}

/// `GET services/{code}`: the service definition.
async fn service_definition(
    State(app): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let (code, fmt) = named(&file)?;
    in_jurisdiction(&app, &params(query.as_deref().unwrap_or("")), fmt).await?;
    Ok(reply(
        fmt,
        "service_definition",
        "attribute",
        app.open311_service_definition(code).await,
    ))
}

/// `GET requests/{id}`: a list of one, as the spec has it.
async fn one_request(
    State(app): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let (id, fmt) = named(&file)?;
    let params = params(query.as_deref().unwrap_or(""));
    in_jurisdiction(&app, &params, fmt).await?;
    let found = app
        .open311_request(
            id,
            params.get("extensions").map(String::as_str),
            params.get("api_key").map(String::as_str),
        )
        .await;
    Ok(reply(
        fmt,
        "service_requests",
        "request",
        found.map(|r| [r]),
    ))
}

/// `GET tokens/{token}`.
async fn token(State(app): Shared, Path(file): Path<String>) -> Reply {
    let (token, fmt) = named(&file)?;
    Ok(reply(
        fmt,
        "service_requests",
        "request",
        app.open311_token(token).await.map(|t| [t]),
    ))
}

async fn not_found() -> Response {
    error(
        Format::Json,
        &Open311Error::not_found(format!("没有此接口；GeoReport v2 位于 {OPEN311_ROOT}/")),
    )
}

async fn method_not_allowed() -> Response {
    error(
        Format::Json,
        &Open311Error {
            code: 405,
            description: "不支持此请求方法".into(),
        },
    )
}

/// The discovery document.
fn discovery() -> serde_json::Value {
    serde_json::json!({
        "changeset": "2026-11-30T00:00:00Z",
        "contact": "高台县城关镇综合指挥中心",
        "key_service": "向城关镇指挥中心管理员申请 api_key",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": OPEN311_ROOT,
            "changeset": "2026-11-30T00:00:00Z",
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    })
}

/// Form or query fields; the first of a repeated name wins, empty names are skipped.
fn params(encoded: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(encoded.as_bytes()) {
        if !k.is_empty() {
            map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
    }
    map
}
