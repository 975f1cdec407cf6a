use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request};
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::App;
pub use chengguan_store::testing::{backends, Backend};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The demo town on `b`, opened through the app, with an intake key named `惠民高台小程序` that may also read.
pub async fn demo_with_key(b: &Backend) -> (Arc<App>, String) {
    let app = App::open(&b.url, chengguan_store::testing::audit_key())
        .await
        .unwrap_or_else(|e| panic!("{}: open: {e}", b.name));
    app.load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .unwrap_or_else(|e| panic!("{}: demo: {e}", b.name));
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
    let (_, key) = app
        .create_api_key(&admin, "惠民高台小程序", true)
        .await
        .expect("api key");
    (Arc::new(app), key)
}

/// An answer: status, content type and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one request through the real router (no socket).
pub async fn call(
    app: &Arc<App>,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let response = chengguan_server::router(app.clone())
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("router never fails");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).expect("utf-8"),
    }
}

/// GET `uri`.
pub async fn get(app: &Arc<App>, uri: &str) -> Answer {
    call(app, Method::GET, uri, None, Vec::new()).await
}

/// GET `uri` with `api_key=key` added to its query.
pub async fn read(app: &Arc<App>, key: &str, uri: &str) -> Answer {
    let join = if uri.contains('?') { '&' } else { '?' };
    get(app, &format!("{uri}{join}api_key={}", encode(key))).await
}

/// POST form `fields` to `requests.json`.
pub async fn post(app: &Arc<App>, fields: &[(&str, &str)]) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    call(
        app,
        Method::POST,
        "/open311/v2/requests.json",
        Some("application/x-www-form-urlencoded"),
        body.into_bytes(),
    )
    .await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How many petitions the database holds (as the duty officer's queue counts them).
pub async fn petition_count(app: &Arc<App>) -> i64 {
    let (duty, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("duty");
    app.list_petitions(&duty, &Default::default())
        .await
        .expect("list")
        .total
}
