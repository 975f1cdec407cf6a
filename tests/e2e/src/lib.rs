//! A harness for end-to-end tests in the real desktop window: a virtual display (Xvfb, unless one is given),
//! tauri-driver in front of WebKitWebDriver, a fresh data directory, and a WebDriver session on the built app.
//!
//! A test never passes by skipping: a missing display server, tauri-driver or app binary fails it with the reason.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// The `chengguan` command line of the same build: `CHENGGUAN_CLI_BIN`, else `target/debug/chengguan`.
pub fn cli_binary() -> PathBuf {
    let path = std::env::var_os("CHENGGUAN_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            [
                env!("CARGO_MANIFEST_DIR"),
                "..",
                "..",
                "target",
                "debug",
                "chengguan",
            ]
            .iter()
            .collect()
        });
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (make test does)",
        path.display()
    );
    path
}

/// The desktop binary under test: `CHENGGUAN_DESKTOP_BIN`, else `target/debug/chengguan-desktop`.
pub fn desktop_binary() -> PathBuf {
    let path = std::env::var_os("CHENGGUAN_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            [
                env!("CARGO_MANIFEST_DIR"),
                "..",
                "..",
                "target",
                "debug",
                "chengguan-desktop",
            ]
            .iter()
            .collect()
        });
    let path = path.canonicalize().unwrap_or_else(|e| {
        panic!(
            "the desktop binary {} is missing ({e}); build it first: cargo build --workspace",
            path.display()
        )
    });
    path
}

/// Where screenshots go: `target/e2e-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "target",
        "e2e-screenshots",
    ]
    .iter()
    .collect();
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// A running desktop under WebDriver; everything it started is stopped on drop.
pub struct Desktop {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
    xvfb: Option<Child>,
    /// The fresh data and config directory the app runs with.
    pub home: tempfile::TempDir,
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

fn free_port_pair() -> u16 {
    (4700..4900)
        .step_by(2)
        .find(|&p| !port_open(p) && !port_open(p + 1))
        .expect("two free ports for tauri-driver")
}

/// The virtual screen's size unless a test asks for another (the office's common 1600×900).
pub const SCREEN: (u32, u32) = (1600, 900);

fn start_xvfb(screen: (u32, u32)) -> (String, Child) {
    let display = (90..120)
        .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .expect("a free display");
    let child = Command::new("Xvfb")
        .args([
            format!(":{display}"),
            "-screen".into(),
            "0".into(),
            format!("{}x{}x24", screen.0, screen.1),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("no display and Xvfb cannot start ({e}): install xvfb (make test does)")
        });
    let socket = format!("/tmp/.X11-unix/X{display}");
    let start = Instant::now();
    while !Path::new(&socket).exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "Xvfb :{display} did not come up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (format!(":{display}"), child)
}

impl Desktop {
    /// Starts the app on a fresh data directory and opens a WebDriver session on it.
    pub async fn start() -> Self {
        Self::start_on(None).await
    }

    /// Starts the app on a fresh data directory, on the database `url` if given (else its default file there),
    /// and opens a WebDriver session on it.
    pub async fn start_on(url: Option<&str>) -> Self {
        Self::start_with(&[("CHENGGUAN_DB", url.unwrap_or_default())]).await
    }

    /// Starts the app on a fresh data directory as a LAN workstation of the town server at `server`, trusting
    /// the town CA certificate `ca`, and opens a WebDriver session on it.
    pub async fn start_lan(server: &str, ca: &Path) -> Self {
        Self::start_with(&[
            ("CHENGGUAN_DB", ""),
            ("CHENGGUAN_SERVER", server),
            ("CHENGGUAN_SERVER_CA", &ca.display().to_string()),
        ])
        .await
    }

    /// Starts the app on a fresh data directory with `env` set, and opens a WebDriver session on it.
    pub async fn start_with(env: &[(&str, &str)]) -> Self {
        Self::start_on_screen(env, SCREEN).await
    }

    /// As [`Desktop::start_with`], on a virtual screen of `screen` pixels (when no display is given), e.g. the
    /// briefing room's 1920×1080.
    pub async fn start_on_screen(env: &[(&str, &str)], screen: (u32, u32)) -> Self {
        let app = desktop_binary();
        let (display, xvfb) = match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => (d, None),
            _ => {
                let (d, child) = start_xvfb(screen);
                (d, Some(child))
            }
        };
        let home = tempfile::tempdir().expect("fresh data directory");
        let port = free_port_pair();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("tauri-driver cannot start ({e}): cargo install tauri-driver --locked (make test does)"));
        let start = Instant::now();
        // tauri-driver listens before its WebKitWebDriver child does: wait for both.
        while !(port_open(port) && port_open(port + 1)) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "tauri-driver did not listen on {port} and {}",
                port + 1
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("WebDriver session on {}: {e}", app.display()));
        Self {
            client,
            driver,
            xvfb,
            home,
        }
    }

    /// The SQLite database the desktop opened (its default file in the fresh data directory).
    pub fn database_url(&self) -> String {
        format!(
            "sqlite://{}",
            self.home
                .path()
                .join("data/chengguan/chengguan.db")
                .display()
        )
    }

    /// Polls `script` (a JavaScript expression body returning a value) until `accept` holds, for up to `within`.
    pub async fn wait_for(
        &self,
        what: &str,
        script: &str,
        within: Duration,
        accept: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let value = self
                .client
                .execute(script, vec![])
                .await
                .unwrap_or(serde_json::Value::Null);
            if accept(&value) {
                return value;
            }
            assert!(
                start.elapsed() < within,
                "timed out waiting for {what}; last value {value}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The text of the first element matching `css`, waiting up to `within` for it to equal `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str, within: Duration) {
        let script = format!(
            "const e = document.querySelector({css:?}); return e ? e.textContent.trim() : null;"
        );
        self.wait_for(&format!("{css} to read {expected}"), &script, within, |v| {
            v.as_str() == Some(expected)
        })
        .await;
    }

    /// Waits until the first element matching `css` has text containing `part`.
    pub async fn wait_for_text_containing(&self, css: &str, part: &str, within: Duration) {
        let script =
            format!("const e = document.querySelector({css:?}); return e ? e.textContent : null;");
        self.wait_for(&format!("{css} to contain {part}"), &script, within, |v| {
            v.as_str().is_some_and(|t| t.contains(part))
        })
        .await;
    }

    /// Saves a screenshot of the window after the next two animation frames.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let settle = "return await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));";
        let _ = self.client.execute(settle, vec![]).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Signs in through the sign-in screen as a demo account.
    pub async fn sign_in(&self, username: &str) {
        self.wait_for(
            "the sign-in screen",
            "return !!document.querySelector('[data-test=sign-in]');",
            Duration::from_secs(90),
            |v| v.as_bool() == Some(true),
        )
        .await;
        self.fill("username", username).await;
        self.fill("password", "Chengguan@2026").await;
        self.click("[data-test=sign-in-submit]").await;
        self.wait_for_text_containing(
            "[data-test=signed-in-user]",
            "演示",
            Duration::from_secs(30),
        )
        .await;
    }

    /// Replaces the text of the input marked `data-test=name` (as typing would: Vue hears an input event).
    pub async fn fill(&self, name: &str, value: &str) {
        let script = format!(
            "const e = document.querySelector('input[data-test={name}], [data-test={name}] input'); \
             e.value = {value:?}; e.dispatchEvent(new Event('input', {{ bubbles: true }})); return null;"
        );
        self.client.execute(&script, vec![]).await.expect("fill");
    }

    /// Clicks the element matching `css` as a user would. A dialog that is still fading out or a notice can cover
    /// it for a moment (WebDriver then answers "element click intercepted"), so the click is retried for up to ten
    /// seconds; if something still covers it, the test fails naming what.
    pub async fn click(&self, css: &str) {
        let start = Instant::now();
        loop {
            let error = match self.find(css).await.click().await {
                Ok(_) => return,
                Err(e) => e,
            };
            if start.elapsed() > Duration::from_secs(10) {
                let cover = format!(
                    "const e = document.querySelector({css:?}); const r = e.getBoundingClientRect(); \
                     const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
                     return top ? top.outerHTML.slice(0, 200) : null;"
                );
                let covered_by = self.client.execute(&cover, vec![]).await.ok();
                panic!("click {css}: {error}; covered by {covered_by:?}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Finds an element by CSS.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Ends the session and stops tauri-driver (SIGTERM, so that WebKitWebDriver goes too) and Xvfb.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
        if let Some(x) = self.xvfb.as_mut() {
            terminate(x);
        }
    }
}

fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Desktop {
    fn drop(&mut self) {
        terminate(&mut self.driver);
        if let Some(x) = self.xvfb.as_mut() {
            terminate(x);
        }
    }
}
