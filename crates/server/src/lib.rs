//! # chengguan-server
//!
//! The command center's HTTP intake: Open311 GeoReport v2 at `/open311/v2/` over [`chengguan_app::App`]. This
//! crate only reads parameters and writes answers (JSON or XML); what a request means, what is valid and what is
//! stored is decided in `chengguan_app::petitions::open311`.
//!
//! Every malformed request, whatever is wrong with it (method, content type, encoding, fields), is answered
//! with the spec's `[{code, description}]` and a 4xx status, never a 500, and stores nothing. While the
//! database cannot be reached the answer is 503 with `Retry-After`; a client past its rate gets 429 with
//! `Retry-After`. [`serve_with`] bounds connections and the time a client may take ([`Limits`]); every request is
//! logged (method, path, status, duration; never the query, which may hold a key, nor the body).

mod events;
mod format;
pub(crate) mod limits;
pub mod tls;
pub mod workstation;

pub use limits::Limits;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chengguan_app::petitions::{Open311Error, Open311Post, Open311Search};
use chengguan_app::App;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::limits::RateTable;

use crate::format::{answer, error, error_with_status, split_format, Format};

/// The path prefix of the GeoReport v2 endpoints.
pub const OPEN311_ROOT: &str = "/open311/v2";

/// Largest POST body accepted (a request's fields; photos travel as `media_url`).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every handler shares: the app and the limits with their counters.
struct Intake {
    app: Arc<App>,
    limits: Limits,
    per_address: RateTable<IpAddr>,
    per_key: RateTable<String>,
    read_slots: Semaphore,
    /// Takes from the shared buckets, for their occasional clean-up.
    shared_takes: std::sync::atomic::AtomicU64,
}

/// The routes of the intake server, with the default [`Limits`].
pub fn router(app: Arc<App>) -> Router {
    router_with(app, Limits::default())
}

/// The routes of the intake server under `limits`.
pub fn router_with(app: Arc<App>, limits: Limits) -> Router {
    let intake = Arc::new(Intake {
        app: app.clone(),
        per_address: RateTable::new(limits.rate_per_address),
        per_key: RateTable::new(limits.rate_per_key),
        read_slots: Semaphore::new(limits.read_slots),
        shared_takes: Default::default(),
        limits,
    });
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
        .layer(axum::middleware::from_fn_with_state(
            intake.clone(),
            guard_and_log,
        ))
        .with_state(intake)
        // The workstation API: not under the intake's per-address rate (the briefing screen and a busy desk call
        // often); its sign-in is guarded by the account lockout.
        .merge(workstation::router(app))
}

/// Serves the intake on `listener` with the default [`Limits`] until Ctrl-C (or the process ends).
pub async fn serve(app: Arc<App>, listener: TcpListener) -> std::io::Result<()> {
    serve_with(app, listener, Limits::default()).await
}

/// Serves the intake on `listener` under `limits` until Ctrl-C. Connections past the caps are closed at once;
/// a client that sends no complete header within the header timeout is disconnected, and every connection is
/// closed (after its current request) once it reaches its maximum age.
pub async fn serve_with(
    app: Arc<App>,
    listener: TcpListener,
    limits: Limits,
) -> std::io::Result<()> {
    serve_tls(app, listener, limits, None).await
}

/// [`serve_with`], over HTTPS when `tls` is given. Without it, the workstation API answers only on a loopback
/// address (tests, a server's own tools): elsewhere it refuses with `api.tls_required`, and the intake alone is
/// served in plain HTTP.
pub async fn serve_tls(
    app: Arc<App>,
    listener: TcpListener,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    if let Some(problem) = limits.problem() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            problem,
        ));
    }
    let addr: Option<SocketAddr> = listener.local_addr().ok();
    let transport = workstation::Transport {
        secure: tls.is_some() || addr.is_some_and(|a| a.ip().is_loopback()),
        tls: tls.is_some(),
    };
    tracing::info!(?addr, ?limits, tls = tls.is_some(), "server listening");
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let router = router_with(app, limits.clone());
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let per_address: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    let refusals = RefusalLog::default();
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            refusals.refused(peer, "the server's connection cap is reached");
            continue;
        };
        let Some(slot) = AddressSlot::take(&per_address, client_of(peer.ip()), limits.per_address)
        else {
            refusals.refused(peer, "an address holds its connection cap");
            continue;
        };
        let router = router.clone();
        let limits = limits.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                None => serve_connection(stream, peer, router, &limits, transport).await,
                Some(acceptor) => {
                    // The handshake is bounded like a request's header: a client that stalls it is dropped.
                    match tokio::time::timeout(limits.header_timeout, acceptor.accept(stream)).await
                    {
                        Ok(Ok(stream)) => {
                            serve_connection(stream, peer, router, &limits, transport).await
                        }
                        Ok(Err(e)) => tracing::info!(%peer, "TLS handshake refused: {e}"),
                        Err(_) => tracing::info!(%peer, "TLS handshake timed out"),
                    }
                }
            }
            drop((permit, slot));
        });
    }
}

/// Serves HTTP/1.1 on one connection (plain or TLS) until it closes or reaches its maximum age.
async fn serve_connection<S>(
    stream: S,
    peer: SocketAddr,
    router: Router,
    limits: &Limits,
    transport: workstation::Transport,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(transport);
        let router = router.clone();
        async move {
            use tower::ServiceExt;
            router.oneshot(req.map(Body::new)).await
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::pin!(conn);
    let age = tokio::time::sleep(limits.max_connection_age);
    tokio::pin!(age);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = &mut age => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(limits.body_timeout, conn.as_mut()).await;
        }
    }
}

/// The client an address stands for: an IPv4 address, or an IPv6 address's /64 (one host or home network gets a
/// whole /64, so counting single IPv6 addresses would let one client be thousands).
fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Logs refused connections at most once every 10 s (a flood of them must not flood the log too).
#[derive(Default)]
struct RefusalLog {
    state: Mutex<(Option<Instant>, u64)>,
}

impl RefusalLog {
    fn refused(&self, peer: SocketAddr, why: &'static str) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.1 += 1;
        let now = Instant::now();
        if s.0
            .is_none_or(|at| now.duration_since(at) >= std::time::Duration::from_secs(10))
        {
            tracing::warn!(%peer, refused = s.1, "connections closed: {why}");
            *s = (Some(now), 0);
        }
    }
}

/// One connection counted against its address; given back when dropped.
struct AddressSlot {
    table: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl AddressSlot {
    fn take(table: &Arc<Mutex<HashMap<IpAddr, usize>>>, ip: IpAddr, cap: usize) -> Option<Self> {
        let mut t = table.lock().unwrap_or_else(|p| p.into_inner());
        let held = t.entry(ip).or_default();
        if *held >= cap {
            return None;
        }
        *held += 1;
        Some(Self {
            table: table.clone(),
            ip,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(held) = t.get_mut(&self.ip) {
            *held -= 1;
            if *held == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Every request: the address's rate first (429), then the handler; logged with its status and duration.
async fn guard_and_log(State(intake): State<Arc<Intake>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    // The path only: the query may carry an api_key.
    let path = req.uri().path().to_string();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| client_of(c.0.ip()));
    let fmt = if path.ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    let within = match peer {
        Some(ip) => intake.take_address(ip).await,
        None => Ok(()),
    };
    let response = match within {
        Err(wait) => too_many(fmt, wait),
        Ok(()) => next.run(req).await,
    };
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, path, status, ms, "request");
    } else {
        tracing::info!(%method, path, status, ms, "request");
    }
    response
}

/// 429 with `Retry-After`: the whole seconds until the client has a request again (at least 1).
fn too_many(fmt: Format, wait: std::time::Duration) -> Response {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut r = error_with_status(
        fmt,
        StatusCode::TOO_MANY_REQUESTS,
        &format!("请求过于频繁，请 {secs} 秒后再试"),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    r
}

type Shared = State<Arc<Intake>>;

/// A handler's answer: `Err` carries a finished error response, so that `?` ends the handler.
type Reply = Result<Response, Response>;

/// `Ok` while `key` (if any) is within its rate.
#[allow(clippy::result_large_err)] // the error is the finished answer, returned at once (axum's idiom)
async fn within_key_rate(
    intake: &Intake,
    key: Option<&String>,
    fmt: Format,
) -> Result<(), Response> {
    // A key longer than any real one is refused by the intake itself (400): it gets no bucket, so made-up long
    // keys cannot fill the table's memory.
    match key
        .map(|k| k.trim())
        .filter(|k| !k.is_empty() && k.len() <= chengguan_app::text::SHORT_MAX)
    {
        Some(k) => intake.take_key(k).await.map_err(|wait| too_many(fmt, wait)),
        None => Ok(()),
    }
}

impl Intake {
    /// A request from `ip` within its rate, or how long it must wait.
    async fn take_address(&self, ip: IpAddr) -> Result<(), std::time::Duration> {
        if !self.app.shares_rate_limits() {
            return self.per_address.take(&ip, Instant::now());
        }
        match self
            .take_shared(format!("addr:{ip}"), self.limits.rate_per_address)
            .await
        {
            Some(within) => within,
            None => self.per_address.take(&ip, Instant::now()),
        }
    }

    /// A request with the API key `key` within its rate, or how long it must wait.
    async fn take_key(&self, key: &str) -> Result<(), std::time::Duration> {
        if !self.app.shares_rate_limits() {
            return self.per_key.take(&key.to_string(), Instant::now());
        }
        // The bucket is named by the key's hash: keys are secrets, and the database keeps only their hashes.
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(key.as_bytes())
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        match self
            .take_shared(format!("key:{hash}"), self.limits.rate_per_key)
            .await
        {
            Some(within) => within,
            None => self.per_key.take(&key.to_string(), Instant::now()),
        }
    }

    /// The bucket in the database that every server instance on it shares; `None` when the database does not
    /// answer (the caller then counts in this instance's memory, never not at all).
    async fn take_shared(
        &self,
        bucket: String,
        rate: f64,
    ) -> Option<Result<(), std::time::Duration>> {
        if self
            .shared_takes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % 10_000
            == 9_999
        {
            let app = self.app.clone();
            tokio::spawn(async move {
                if let Err(e) = app.forget_idle_rates().await {
                    tracing::warn!("rate buckets: {e}");
                }
            });
        }
        match self.app.take_rate(&bucket, rate).await {
            Ok(None) => Some(Ok(())),
            Ok(Some(wait)) => Some(Err(wait)),
            Err(e) => {
                tracing::warn!("shared rate limit unavailable: {e}");
                None
            }
        }
    }
}

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
    State(intake): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let app = &intake.app;
    let (name, fmt) = named(&file)?;
    let params = params(query.as_deref().unwrap_or(""));
    Ok(match name {
        "discovery" => answer(fmt, "discovery", "endpoint", &discovery()),
        "services" => {
            in_jurisdiction(app, &params, fmt).await?;
            reply(fmt, "services", "service", app.open311_services().await)
        }
        "requests" => {
            within_key_rate(&intake, params.get("api_key"), fmt).await?;
            let _slot = intake.read_slots.acquire().await;
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
    State(intake): Shared,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let app = &intake.app;
    let (name, fmt) = named(&file)?;
    let refuse = |e: Open311Error| error(fmt, &e);
    if name != "requests" {
        return Err(error_with_status(
            fmt,
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("「{name}」不接受 POST"),
        ));
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
    let body = tokio::time::timeout(
        intake.limits.body_timeout,
        axum::body::to_bytes(body, MAX_BODY_BYTES),
    )
    .await
    .map_err(|_| {
        error_with_status(
            fmt,
            StatusCode::REQUEST_TIMEOUT,
            &format!(
                "请求体未在 {} 秒内传完",
                intake.limits.body_timeout.as_secs()
            ),
        )
    })?
    .map_err(|e| {
        refuse(Open311Error::bad_request(format!(
            "无法读取请求体（最大 {MAX_BODY_BYTES} 字节）：{e}"
        )))
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| refuse(Open311Error::bad_request("请求体不是 UTF-8 编码")))?;
    let fields = params(text);
    within_key_rate(&intake, fields.get("api_key"), fmt).await?;
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
    State(intake): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let app = &intake.app;
    let (code, fmt) = named(&file)?;
    in_jurisdiction(app, &params(query.as_deref().unwrap_or("")), fmt).await?;
    Ok(reply(
        fmt,
        "service_definition",
        "attribute",
        app.open311_service_definition(code).await,
    ))
}

/// `GET requests/{id}`: a list of one, as the spec has it.
async fn one_request(
    State(intake): Shared,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let app = &intake.app;
    let (id, fmt) = named(&file)?;
    let params = params(query.as_deref().unwrap_or(""));
    within_key_rate(&intake, params.get("api_key"), fmt).await?;
    let _slot = intake.read_slots.acquire().await;
    in_jurisdiction(app, &params, fmt).await?;
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
async fn token(State(intake): Shared, Path(file): Path<String>) -> Reply {
    let app = &intake.app;
    let (token, fmt) = named(&file)?;
    let _slot = intake.read_slots.acquire().await;
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
    error_with_status(
        Format::Json,
        StatusCode::METHOD_NOT_ALLOWED,
        "不支持此请求方法",
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
