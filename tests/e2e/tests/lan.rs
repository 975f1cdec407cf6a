//! The command center as a LAN workstation, in a real window: the town server (`chengguan serve` over HTTPS with
//! a town CA from `chengguan server init-tls`) on loopback, the desktop set up with the server's address and the
//! CA certificate. Signed in, the duty officer sees the map and the queue, and a resident's petition posted to the
//! server appears by itself. Signed out, nothing the workstation keeps on disk holds a database credential or a
//! session token.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chengguan_e2e::{cli_binary, Desktop};

/// The town server and its files.
struct Server {
    process: Child,
    port: u16,
    ca: PathBuf,
    key: String,
    _dir: tempfile::TempDir,
}

/// Runs the command line on the server's side (its database, its audit key).
fn cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(cli_binary())
        .args(args)
        .env("CHENGGUAN_AUDIT_KEY_FILE", dir.join("audit.key"))
        .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
        .env_remove("CHENGGUAN_DB")
        .output()
        .expect("run chengguan");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "chengguan {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("server directory");
        let db = format!("sqlite://{}", dir.path().join("town.db").display());
        cli(dir.path(), &["--db", &db, "demo"]);
        let created = cli(
            dir.path(),
            &[
                "--db",
                &db,
                "--user",
                "admin",
                "apikey",
                "create",
                "--name",
                "惠民高台小程序",
            ],
        );
        let key = created
            .split_whitespace()
            .find(|w| w.starts_with("cgk_"))
            .expect("the key is printed")
            .to_string();
        let tls = dir.path().join("tls");
        let tls_arg = tls.display().to_string();
        let made = cli(
            dir.path(),
            &[
                "server",
                "init-tls",
                "--dir",
                &tls_arg,
                "--name",
                "localhost",
                "--ip",
                "127.0.0.1",
            ],
        );
        assert!(made.contains("指纹"), "{made}");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let cert = tls.join("server.crt").display().to_string();
        let tls_key = tls.join("server.key").display().to_string();
        let process = Command::new(cli_binary())
            .args([
                "--db",
                &db,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--tls-cert",
                &cert,
                "--tls-key",
                &tls_key,
            ])
            .env("CHENGGUAN_AUDIT_KEY_FILE", dir.path().join("audit.key"))
            .stdout(Stdio::null())
            .spawn()
            .expect("chengguan serve");
        let start = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chengguan serve did not listen"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            process,
            port,
            ca: tls.join("town-ca.crt"),
            key,
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// Posts a resident's report over HTTPS as the mini-program would; returns its number.
    async fn post(&self) -> String {
        let ca = reqwest::Certificate::from_pem(&std::fs::read(&self.ca).unwrap()).unwrap();
        let client = reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .build()
            .unwrap();
        let res = client
            .post(format!("{}/open311/v2/requests.json", self.url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "api_key={}&service_code=safety_hazard&lat=39.377669566&long=99.817423356&coord_system=gcj02\
                 &description=%E5%B1%80%E5%9F%9F%E7%BD%91%E6%B5%8B%E8%AF%95",
                self.key
            ))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 201, "the post is accepted");
        let json: serde_json::Value = res.json().await.expect("json");
        json[0]["service_request_id"]
            .as_str()
            .expect("number")
            .to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Every file under `dir`, as (path, bytes).
fn files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lan_workstation_works_through_the_town_server_and_keeps_no_credential() {
    let server = Server::start();
    let desktop = Desktop::start_lan(&server.url(), &server.ca).await;
    desktop.sign_in("duty").await;
    let count = desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(90),
            |v| v.as_u64() == Some(59),
        )
        .await;
    assert_eq!(count, 59, "the map comes from the server");
    desktop
        .wait_for_text_containing(
            "[data-test=db-mode]",
            &server.url(),
            Duration::from_secs(20),
        )
        .await;
    desktop
        .wait_for_text_containing("[data-test=db-mode]", "局域网", Duration::from_secs(20))
        .await;
    desktop.screenshot("lan-01-map-through-the-server").await;

    desktop.click("[data-nav='/petitions']").await;
    desktop
        .wait_for_text_containing("[data-test=petition-total]", "", Duration::from_secs(20))
        .await;
    // A resident's petition reaches the server; the queue shows it by itself (the server's event stream).
    let number = server.post().await;
    desktop
        .wait_for_text_containing(
            "[data-test=petition-table]",
            &number,
            Duration::from_secs(20),
        )
        .await;
    desktop
        .screenshot("lan-02-live-petition-in-the-queue")
        .await;

    // Settings say how this workstation works.
    desktop.click("[data-nav='/settings']").await;
    desktop
        .wait_for_text_containing(
            "[data-test=connection-mode]",
            "局域网",
            Duration::from_secs(20),
        )
        .await;
    desktop.screenshot("lan-03-settings-connection").await;

    desktop
        .client
        .execute(
            "document.querySelector('[data-test=sign-out]').click(); return null;",
            vec![],
        )
        .await
        .expect("sign out");
    desktop
        .wait_for(
            "the sign-in screen",
            "return !!document.querySelector('[data-test=sign-in]');",
            Duration::from_secs(20),
            |v| v.as_bool() == Some(true),
        )
        .await;

    // Everything the workstation keeps (its config and data folders): no database address or password, no
    // session token, no database of its own.
    let mut kept = Vec::new();
    files(desktop.home.path(), &mut kept);
    for (path, bytes) in &kept {
        let text = String::from_utf8_lossy(bytes);
        for secret in ["postgres://", "sqlite://", "cgs_", "Chengguan@2026"] {
            assert!(
                !text.contains(secret),
                "{} holds {secret:?}",
                path.display()
            );
        }
        assert!(
            !path.to_string_lossy().ends_with(".db"),
            "a LAN workstation keeps no database: {}",
            path.display()
        );
    }
    desktop.stop().await;
}
