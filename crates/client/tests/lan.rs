//! A LAN workstation against real town servers: trusted by the town CA or a confirmed fingerprint, live updates
//! filtered per user, and two server processes on one PostgreSQL database honouring one session.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::App;
use chengguan_client::{probe, Client, Trust};
use chengguan_store::testing::{audit_key, backends, fresh_pg, Backend};
use serde_json::{json, Value};

async fn demo(b: &Backend) -> (Arc<App>, String) {
    let app = App::open(&b.url, audit_key()).await.expect("open");
    app.load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .expect("demo");
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
    let (_, key) = app
        .create_api_key(&admin, "热线", false)
        .await
        .expect("key");
    (Arc::new(app), key)
}

/// A TLS server on loopback for `app`, with a fresh town CA; answers its port and the files.
async fn tls_server(
    app: Arc<App>,
    dir: &std::path::Path,
) -> (u16, chengguan_server::tls::TlsFiles) {
    let files = chengguan_server::tls::init_tls(
        dir,
        &["localhost".into()],
        &["127.0.0.1".parse().unwrap()],
    )
    .expect("init-tls");
    let (config, _) = chengguan_server::tls::server_config(&files.cert, &files.key).expect("tls");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(chengguan_server::serve_tls(
        app,
        listener,
        Default::default(),
        Some(config),
    ));
    (port, files)
}

async fn sign_in(client: &Client, user: &str) -> String {
    let answer = client
        .call(
            None,
            "sign_in",
            json!({"username": user, "password": DEMO_PASSWORD}),
        )
        .await
        .unwrap_or_else(|e| panic!("{user} signs in: {}", e.message));
    answer["token"].as_str().expect("token").to_string()
}

fn query() -> Value {
    json!({"query": {
        "statuses": [], "categories": [], "channels": [], "levels": [], "grid_code": null,
        "community_code": null, "overdue_only": false, "by_deadline": false, "received_from": null,
        "received_to": null, "offset": 0, "limit": 5, "display_crs": null
    }})
}

#[tokio::test]
async fn r13_a_workstation_trusts_the_town_ca_or_a_confirmed_fingerprint_and_nothing_else() {
    let b = &backends().await[0];
    let (app, _) = demo(b).await;
    let dir = tempfile::tempdir().unwrap();
    let (port, files) = tls_server(app, dir.path()).await;
    let url = format!("https://localhost:{port}");

    let by_ca = Client::new(&url, &Trust::Ca(files.ca_cert.clone()), "值班室-1").expect("client");
    by_ca.check_version().await.expect("same version");
    let token = sign_in(&by_ca, "duty").await;
    let page = by_ca
        .call(Some(&token), "petitions_list", query())
        .await
        .expect("queue");
    assert!(page["total"].as_i64().unwrap() > 0, "{page}");

    // First connection without the CA: the fingerprint the server presents is the one its console prints.
    let seen = probe(&url).await.expect("probe");
    assert_eq!(seen, files.fingerprint);
    let pinned = Client::new(&url, &Trust::Fingerprint(seen.to_lowercase()), "简报室").unwrap();
    let token = sign_in(&pinned, "leader").await;
    assert!(pinned
        .call(Some(&token), "status_bar", json!({}))
        .await
        .is_ok());

    // Another certificate (a reissue, or someone in the middle) is refused, in words.
    let wrong = Client::new(&url, &Trust::Fingerprint("00".repeat(32)), "x").unwrap();
    let e = wrong.call(None, "status_bar", json!({})).await.unwrap_err();
    assert_eq!(e.code, "server.certificate", "{}", e.message);
    assert!(e.message.contains("指纹"), "{}", e.message);
    let other_dir = tempfile::tempdir().unwrap();
    let other_ca =
        chengguan_server::tls::init_tls(other_dir.path(), &["localhost".into()], &[]).unwrap();
    let stranger = Client::new(&url, &Trust::Ca(other_ca.ca_cert), "x").unwrap();
    let e = stranger
        .call(None, "status_bar", json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.code, "server.certificate", "{}", e.message);
    // A name the certificate does not carry.
    let by_other_name = Client::new(
        &format!("https://127.0.0.2:{port}"),
        &Trust::Ca(files.ca_cert.clone()),
        "x",
    )
    .unwrap();
    assert!(by_other_name
        .call(None, "status_bar", json!({}))
        .await
        .is_err());
    // Plain HTTP to the network is refused before anything is sent.
    let e = Client::new("http://192.168.1.10:8443", &Trust::LoopbackPlain, "x").unwrap_err();
    assert_eq!(e.code, "server.bad_url");
    // A server that does not answer is named.
    let gone = Client::new("https://127.0.0.1:1", &Trust::Ca(files.ca_cert), "x").unwrap();
    let e = gone.call(None, "status_bar", json!({})).await.unwrap_err();
    assert_eq!(e.code, "server.unreachable", "{}", e.message);
}

#[tokio::test]
async fn r13_live_updates_reach_a_workstation_filtered_by_what_its_user_may_see() {
    for b in backends().await {
        let (app, key) = demo(&b).await;
        let dir = tempfile::tempdir().unwrap();
        let (port, files) = tls_server(app.clone(), dir.path()).await;
        let client = Client::new(
            &format!("https://localhost:{port}"),
            &Trust::Ca(files.ca_cert),
            "值班室-1",
        )
        .unwrap();
        let duty = sign_in(&client, "duty").await;
        let grid_worker = sign_in(&client, "grid0101").await;
        let mut duty_events = client.events(&duty).await.expect("events");
        let mut grid_events = client.events(&grid_worker).await.expect("events");
        // Give both streams time to subscribe before the petition is posted.
        tokio::time::sleep(Duration::from_millis(300)).await;

        // A resident's petition arrives through the intake, in a grid other than CG-01-01.
        let res = reqwest::Client::builder()
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap()
            .post(format!("https://localhost:{port}/open311/v2/requests.json"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "api_key={key}&service_code=sanitation&lat=39.3770&long=99.8160&description=live"
            ))
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "{}: {}",
            b.name,
            res.text().await.unwrap()
        );
        let event = tokio::time::timeout(Duration::from_secs(20), duty_events.next())
            .await
            .expect("an event in time")
            .expect("open")
            .expect("no error");
        let duty_first = event.clone();
        assert_eq!(event.event, "change", "{}", b.name);
        assert_eq!(
            event.data["new_petitions"].as_array().unwrap().len(),
            1,
            "{}: {event:?}",
            b.name
        );
        let event = tokio::time::timeout(Duration::from_secs(20), grid_events.next())
            .await
            .expect("an event in time")
            .expect("open")
            .expect("no error");
        let id = event_id(&duty_first);
        let page = client
            .call(Some(&duty), "petitions_list", query())
            .await
            .unwrap();
        let grid = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id.as_str())
            .map(|p| p["grid_code"].as_str().unwrap_or("").to_string());
        assert!(
            grid.is_some(),
            "{}: the new petition heads the queue",
            b.name
        );
        if grid.as_deref() != Some("CG-01-01") {
            assert!(
                event.data["new_petitions"].as_array().unwrap().is_empty(),
                "{}: a grid worker does not hear of a petition in {grid:?}: {event:?}",
                b.name
            );
        }

        // Signing out ends the stream, which says why.
        client
            .call(Some(&duty), "sign_out", json!({}))
            .await
            .unwrap();
        app.sign_in("secretary", DEMO_PASSWORD).await.unwrap(); // any change wakes the stream
        let last = loop {
            match tokio::time::timeout(Duration::from_secs(20), duty_events.next()).await {
                Ok(Some(Ok(e))) if e.event == "session" => break e,
                Ok(Some(Ok(_))) => continue,
                other => panic!(
                    "{}: the stream should say the session ended: {other:?}",
                    b.name
                ),
            }
        };
        assert_eq!(last.data["code"], "auth.session_ended", "{}", b.name);
        assert!(client.events(&duty).await.is_err(), "{}", b.name);
    }
}

fn event_id(e: &chengguan_client::ServerEvent) -> String {
    e.data["new_petitions"][0].as_str().unwrap().to_string()
}

/// The `chengguan` binary of this build.
fn cli() -> PathBuf {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "target",
        "debug",
        "chengguan",
    ]
    .iter()
    .collect();
    assert!(
        path.exists(),
        "{} is missing: build the workspace first",
        path.display()
    );
    path
}

/// `chengguan serve` as its own process on `url`'s database, on a free loopback port.
async fn server_process(url: &str, key_file: &std::path::Path) -> (tokio::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(cli())
        .args([
            "--db",
            url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("CHENGGUAN_AUDIT_KEY_FILE", key_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn chengguan serve");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("http://127.0.0.1:{port}/api/version"))
            .send()
            .await
            .is_ok()
        {
            return (child, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chengguan serve did not start on {port}");
}

#[tokio::test]
async fn r13_two_server_processes_on_one_database_share_sessions_and_live_notices() {
    let b = fresh_pg().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("audit.key");
    std::fs::write(&key_file, format!("{}\n", audit_key().to_hex())).unwrap();
    let (app, _) = demo(&b).await;
    drop(app);
    let (_a, port_a) = server_process(b.url.expose(), &key_file).await;
    let (_b, port_b) = server_process(b.url.expose(), &key_file).await;
    let a = Client::new(
        &format!("http://127.0.0.1:{port_a}"),
        &Trust::LoopbackPlain,
        "ws-a",
    )
    .unwrap();
    let bb = Client::new(
        &format!("http://127.0.0.1:{port_b}"),
        &Trust::LoopbackPlain,
        "ws-b",
    )
    .unwrap();

    // A session made on one server is honoured by the other.
    let token = sign_in(&a, "duty").await;
    let page = bb
        .call(Some(&token), "petitions_list", query())
        .await
        .expect("honoured on B");
    assert!(page["total"].as_i64().unwrap() > 0);

    // A petition registered through A reaches a workstation listening on B.
    let mut events = bb.events(&token).await.expect("events on B");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let created = a
        .call(
            Some(&token),
            "petition_create",
            json!({"petition": {"channel": "hotline", "category": "sanitation", "description": "两台服务器",
                "lon": 99.816, "lat": 39.377, "crs": "wgs84", "address": "", "reporter_name": "张三",
                "reporter_phone": "13800000000", "media_url": null}}),
        )
        .await
        .expect("created on A");
    let event = tokio::time::timeout(Duration::from_secs(20), events.next())
        .await
        .expect("in time")
        .expect("open")
        .expect("no error");
    assert_eq!(event.event, "change");
    assert!(
        event.data["new_petitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == &created["id"]),
        "{event:?} {created}"
    );

    // Signed out on B, the session is over on A too.
    bb.call(Some(&token), "sign_out", json!({})).await.unwrap();
    let e = a
        .call(Some(&token), "petitions_list", query())
        .await
        .unwrap_err();
    assert_eq!(e.code, "auth.session_ended");
    // The audit chain both servers wrote verifies with their key.
    let app = App::open(&b.url, audit_key()).await.unwrap();
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.unwrap();
    let v = app.audit_verify(&admin, None).await.unwrap();
    assert!(v.intact, "{}", v.message);
}
