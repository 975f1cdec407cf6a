//! # chengguan-client
//!
//! A LAN workstation's side of the town's server (`chengguan serve`): the workstation API over HTTPS
//! ([`Client::call`]) and its live updates ([`Client::events`]). The desktop calls it in LAN mode exactly where
//! it calls `chengguan_app::api::dispatch` in local mode, so the UI cannot tell which.
//!
//! The server is trusted one of two ways ([`Trust`]): the town's CA certificate (made by `chengguan server
//! init-tls`, or the county's), or the SHA-256 fingerprint of the server's certificate, read on the server's
//! console and confirmed once on first connection ([`probe`]). Plain HTTP is refused except to a loopback
//! address (tests, the server's own machine). Every failure is the desktop's `{code, message, details}`, in
//! words: the server unreachable, its certificate not trusted, a version that differs.

mod events;
mod tls;

pub use events::{EventStream, ServerEvent};
pub use tls::fingerprint;

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use chengguan_app::api::API_VERSION;
use chengguan_app::dto::ErrorDto;
use serde_json::Value;

/// How the workstation trusts the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The town's CA certificate (PEM): the server's certificate must chain to it and name the address used.
    Ca(PathBuf),
    /// The server certificate's SHA-256 fingerprint (`AB:CD:…`), as its console shows it.
    Fingerprint(String),
    /// Nothing: only for `http://` to a loopback address.
    LoopbackPlain,
}

/// The header a workstation names itself in.
pub const WORKSTATION_HEADER: &str = "x-chengguan-workstation";

/// Longest a call may take before the workstation says the server does not answer (an import of a large file
/// is the slowest).
const CALL_TIMEOUT: Duration = Duration::from_secs(300);

/// A connection to the town's server.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    workstation: String,
}

/// An error as the desktop shows it.
pub fn error(code: &str, message: impl Into<String>) -> ErrorDto {
    ErrorDto {
        code: code.into(),
        message: message.into(),
        details: Vec::new(),
    }
}

/// Checks a server address: `https://HOST[:PORT]`, or `http://` to a loopback address only. Answers it without
/// a trailing slash.
pub fn check_url(url: &str) -> Result<String, ErrorDto> {
    let url = url.trim().trim_end_matches('/');
    let bad = |why: &str| error("server.bad_url", format!("服务器地址 {url:?}：{why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("应以 https:// 开头，如 https://192.168.1.10:8443"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '@']) {
        return Err(bad("只写主机与端口，如 https://192.168.1.10:8443"));
    }
    match scheme {
        "https" => Ok(url.to_string()),
        "http" if is_loopback(rest) => Ok(url.to_string()),
        "http" => Err(bad(
            "局域网内只能经 HTTPS 连接服务器（密码与居民信息不能明文传输）",
        )),
        _ => Err(bad("应以 https:// 开头")),
    }
}

/// True for `localhost`, `127.x.x.x` and `[::1]`, with or without a port.
fn is_loopback(host_port: &str) -> bool {
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Client {
    /// A client of the server at `url` (see [`check_url`]), trusting it by `trust`, naming itself `workstation`.
    pub fn new(url: &str, trust: &Trust, workstation: &str) -> Result<Self, ErrorDto> {
        let base = check_url(url)?;
        let builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            // A redirect could carry a password elsewhere, even to plain HTTP: the server never sends one.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("chengguan-desktop/", env!("CARGO_PKG_VERSION")));
        let builder = match trust {
            Trust::LoopbackPlain if base.starts_with("http://") => builder,
            Trust::LoopbackPlain => {
                return Err(error(
                    "server.no_trust",
                    "未配置服务器证书的信任方式：请提供城镇 CA 证书，或核对服务器指纹",
                ))
            }
            Trust::Ca(path) => builder.use_preconfigured_tls(tls::with_ca(path)?),
            Trust::Fingerprint(f) => builder.use_preconfigured_tls(tls::pinned(f)?),
        };
        let http = builder
            .build()
            .map_err(|e| error("server.client", format!("无法建立连接：{e}")))?;
        Ok(Self {
            http,
            base,
            workstation: workstation.chars().take(60).collect(),
        })
    }

    /// The server's address.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Checks that the server answers and speaks this workstation's API version.
    pub async fn check_version(&self) -> Result<(), ErrorDto> {
        let res = self
            .http
            .get(format!("{}/api/version", self.base))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let body: Value = res.json().await.map_err(|e| self.unreachable(&e))?;
        let server = body["api"].as_u64().unwrap_or(0);
        version_agrees(server, body["server"].as_str().unwrap_or("?"))
    }

    /// Runs the declared call `name` on the server for the session `token`.
    pub async fn call(
        &self,
        token: Option<&str>,
        name: &str,
        args: Value,
    ) -> Result<Value, ErrorDto> {
        let mut req = self
            .http
            .post(format!("{}/api/v{API_VERSION}/{name}", self.base))
            .header(WORKSTATION_HEADER, &self.workstation)
            .timeout(CALL_TIMEOUT)
            .json(&args);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.map_err(|e| self.unreachable(&e))?;
        let status = res.status();
        let body = res.bytes().await.map_err(|e| self.unreachable(&e))?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| error("server.bad_answer", format!("服务器的回答无法读取：{e}")));
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) if v["code"].is_string() => Err(ErrorDto {
                code: v["code"].as_str().unwrap_or_default().into(),
                message: v["message"].as_str().unwrap_or_default().into(),
                details: v["details"]
                    .as_array()
                    .map(|d| d.iter().filter_map(|x| x.as_str().map(Into::into)).collect())
                    .unwrap_or_default(),
            }),
            _ if status.as_u16() == 404 => Err(error(
                "server.version",
                format!("服务器不认识调用 {name}：工作站与服务器版本不一致，请先升级服务器，再升级工作站"),
            )),
            _ => Err(error(
                "server.failed",
                format!("服务器出错（HTTP {status}）"),
            )),
        }
    }

    /// Opens the live updates of the session `token`.
    pub async fn events(&self, token: &str) -> Result<EventStream, ErrorDto> {
        let res = self
            .http
            .get(format!("{}/api/v{API_VERSION}/events", self.base))
            .header(WORKSTATION_HEADER, &self.workstation)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        if !res.status().is_success() {
            let status = res.status();
            let v: Value = res.json().await.unwrap_or(Value::Null);
            return Err(ErrorDto {
                code: v["code"].as_str().unwrap_or("server.failed").into(),
                message: v["message"]
                    .as_str()
                    .map(Into::into)
                    .unwrap_or_else(|| format!("服务器出错（HTTP {status}）")),
                details: Vec::new(),
            });
        }
        Ok(EventStream::new(res))
    }

    /// A transport failure in words: the certificate, or the server not answering.
    fn unreachable(&self, e: &reqwest::Error) -> ErrorDto {
        let chain = error_chain(e);
        if chain.contains("certificate") || chain.contains("Certificate") || chain.contains("证书")
        {
            error(
                "server.certificate",
                format!(
                    "服务器 {} 的证书不受信任（{chain}）：请核对城镇 CA 证书，或在服务器控制台核对指纹",
                    self.base
                ),
            )
        } else if e.is_timeout() {
            error(
                "server.timeout",
                format!("服务器 {} 未在时限内回答", self.base),
            )
        } else {
            error(
                "server.unreachable",
                format!("无法连接城镇服务器 {}（{chain}）", self.base),
            )
        }
    }
}

/// The fingerprint of the certificate the server at `url` presents, and its API version, before it is trusted:
/// shown to the person setting up the workstation, who compares it with the server's console.
pub async fn probe(url: &str) -> Result<String, ErrorDto> {
    let base = check_url(url)?;
    let (config, seen) = tls::recording();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .use_preconfigured_tls(config)
        .build()
        .map_err(|e| error("server.client", format!("无法建立连接：{e}")))?;
    let res = http
        .get(format!("{base}/api/version"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| {
            error(
                "server.unreachable",
                format!("无法连接城镇服务器 {base}（{}）", error_chain(&e)),
            )
        })?;
    let body: Value = res.json().await.unwrap_or(Value::Null);
    version_agrees(
        body["api"].as_u64().unwrap_or(0),
        body["server"].as_str().unwrap_or("?"),
    )?;
    let fingerprint = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    fingerprint.ok_or_else(|| error("server.certificate", "服务器未出示证书"))
}

fn version_agrees(server: u64, server_version: &str) -> Result<(), ErrorDto> {
    match server.cmp(&u64::from(API_VERSION)) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less => Err(error(
            "server.version",
            format!(
                "城镇服务器（{server_version}，接口第 {server} 版）比本工作站（接口第 {API_VERSION} 版）旧：请先升级服务器"
            ),
        )),
        std::cmp::Ordering::Greater => Err(error(
            "server.version",
            format!(
                "城镇服务器（{server_version}，接口第 {server} 版）比本工作站（接口第 {API_VERSION} 版）新：请升级本工作站"
            ),
        )),
    }
}

/// An error and its causes, joined (reqwest's own message hides the cause, e.g. a refused certificate).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push('：');
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_https_except_to_loopback() {
        assert_eq!(
            check_url("https://192.168.1.10:8443/").unwrap(),
            "https://192.168.1.10:8443"
        );
        assert!(check_url("http://127.0.0.1:8311").is_ok());
        assert!(check_url("http://localhost:8311").is_ok());
        assert!(check_url("http://[::1]:8311").is_ok());
        for bad in [
            "http://192.168.1.10:8443",
            "http://127.0.0.1.evil.example",
            "ftp://x",
            "192.168.1.10",
            "https://x/path",
            "https://user@x",
            "",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let e = check_url("http://192.168.1.10").unwrap_err();
        assert!(e.message.contains("HTTPS"), "{}", e.message);
    }

    #[test]
    fn versions_are_compared_in_words() {
        assert!(version_agrees(u64::from(API_VERSION), "0.1.0").is_ok());
        assert!(version_agrees(0, "0.0.9")
            .unwrap_err()
            .message
            .contains("升级服务器"));
        assert!(version_agrees(99, "9.0")
            .unwrap_err()
            .message
            .contains("升级本工作站"));
    }
}
