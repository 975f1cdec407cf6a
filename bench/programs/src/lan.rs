//! LAN-mode figures (issue 13), each measured side by side with its in-process reference in one run: the same
//! `App`, called in-process through `chengguan_app::api::dispatch` and over loopback HTTPS through
//! `chengguan-client`, as a LAN workstation calls the town server.
//!
//! - `lan-reads`: a typical read (the queue's first page, a grid's panel), p50/p95 in-process and over HTTPS;
//! - `lan-heat`: the heat layer over N imported petitions (default 1,000,000), in-process and over HTTPS;
//! - `lan-live`: from an Open311 POST (over HTTPS) to the event of a workstation listening on the server;
//! - `lan-load`: 20 simulated workstations at a duty officer's pace (a call every 2 s each: the queue, a grid, a
//!   timeline, and now and then accepting a petition), each with its event stream, while the intake takes
//!   500 POST/s over HTTPS, for S seconds: errors, and p50/p95/p99 of each call.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chengguan_app::access::Session;
use chengguan_app::api::{self, Caller};
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::{App, DatabaseUrl};
use chengguan_client::{Client, Trust};
use serde_json::{json, Value};

use crate::{kind, percentile};

/// A TLS server on loopback for `app` (a fresh town CA), and a workstation's client of it.
struct Lan {
    client: Client,
    base: String,
    ca: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn lan(app: &App) -> Lan {
    let dir = tempfile::tempdir().expect("dir");
    let files = chengguan_server::tls::init_tls(
        dir.path(),
        &["localhost".into()],
        &["127.0.0.1".parse().expect("ip")],
    )
    .expect("tls");
    let (config, _) =
        chengguan_server::tls::server_config(&files.cert, &files.key).expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app_for_server = app.clone();
    // The intake's per-address and per-key rates are lifted: the load comes from one address and one key.
    let limits = chengguan_server::Limits {
        rate_per_address: 1e6,
        rate_per_key: 1e6,
        max_connections: 4096,
        per_address: 4096,
        ..Default::default()
    };
    tokio::spawn(async move {
        if let Err(e) =
            chengguan_server::serve_tls(Arc::new(app_for_server), listener, limits, Some(config))
                .await
        {
            panic!("the server stopped: {e}");
        }
    });
    let base = format!("https://127.0.0.1:{port}");
    let client = Client::new(&base, &Trust::Ca(files.ca_cert.clone()), "bench").expect("client");
    client.check_version().await.expect("version");
    Lan {
        client,
        base,
        ca: files.ca_cert,
        _dir: dir,
    }
}

async fn token(client: &Client, user: &str) -> String {
    let answer = client
        .call(
            None,
            "sign_in",
            json!({"username": user, "password": DEMO_PASSWORD}),
        )
        .await
        .expect("sign in");
    answer["token"].as_str().expect("token").to_string()
}

fn queue() -> Value {
    json!({"query": {
        "statuses": [], "categories": [], "channels": [], "levels": [], "grid_code": null,
        "community_code": null, "overdue_only": false, "by_deadline": false, "received_from": null,
        "received_to": null, "offset": 0, "limit": 200, "display_crs": null
    }})
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "p50 {:.2} ms | p95 {:.2} ms | p99 {:.2} ms | n {}",
        percentile(times, 0.50).as_secs_f64() * 1000.0,
        percentile(times, 0.95).as_secs_f64() * 1000.0,
        percentile(times, 0.99).as_secs_f64() * 1000.0,
        times.len()
    )
}

/// `lan-reads`.
pub async fn reads(app: &App, url: &DatabaseUrl) {
    let lan = lan(app).await;
    let (duty, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("duty");
    let remote = token(&lan.client, "duty").await;
    for (name, args) in [
        ("petitions_list", queue()),
        ("grid_detail", json!({"code": "CG-03-07"})),
    ] {
        let (mut here, mut there) = (Vec::new(), Vec::new());
        // Interleaved, so that both meet the same machine at the same moment; the first 20 warm up.
        for i in 0..520 {
            let t = Instant::now();
            let caller = Caller {
                session: Some(&duty),
                workstation: "bench",
            };
            api::dispatch(app, caller, name, args.clone())
                .await
                .expect("in-process");
            let a = t.elapsed();
            let t = Instant::now();
            lan.client
                .call(Some(&remote), name, args.clone())
                .await
                .expect("https");
            let b = t.elapsed();
            if i >= 20 {
                here.push(a);
                there.push(b);
            }
        }
        println!(
            "lan {} | {name} in-process | {}",
            kind(url),
            summary(&mut here)
        );
        println!(
            "lan {} | {name} over HTTPS | {}",
            kind(url),
            summary(&mut there)
        );
        println!(
            "lan {} | {name} | p95 added by HTTPS {:.2} ms",
            kind(url),
            (percentile(&there, 0.95).as_secs_f64() - percentile(&here, 0.95).as_secs_f64())
                * 1000.0
        );
    }
}

/// `lan-heat`.
pub async fn heat(app: &App, admin: &Session, url: &DatabaseUrl, rows: usize) {
    let csv = crate::clustered_csv(rows);
    let imported = crate::import_in_parts(app, admin, &csv).await;
    assert_eq!(imported, rows);
    app.warm_analysis().await.expect("warm");
    let lan = lan(app).await;
    let (leader, _) = app.sign_in("leader", DEMO_PASSWORD).await.expect("leader");
    let remote = token(&lan.client, "leader").await;
    let args = json!({"query": queue()["query"], "bandwidth_m": 150.0});
    let (mut here, mut there) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for i in 0..12 {
        let t = Instant::now();
        let caller = Caller {
            session: Some(&leader),
            workstation: "bench",
        };
        api::dispatch(app, caller, "analysis_heat", args.clone())
            .await
            .expect("in-process");
        let a = t.elapsed();
        let t = Instant::now();
        let layer = lan
            .client
            .call(Some(&remote), "analysis_heat", args.clone())
            .await
            .expect("https");
        let b = t.elapsed();
        bytes = layer.to_string().len();
        if i >= 2 {
            here.push(a);
            there.push(b);
        }
    }
    here.sort();
    there.sort();
    let (a, b) = (percentile(&here, 0.5), percentile(&there, 0.5));
    println!(
        "lan {} | heat layer, {rows} petitions | in-process median {:.1} ms | over HTTPS median {:.1} ms ({} KB of JSON) | ratio {:.2}",
        kind(url),
        a.as_secs_f64() * 1000.0,
        b.as_secs_f64() * 1000.0,
        bytes / 1024,
        b.as_secs_f64() / a.as_secs_f64()
    );
}

/// The intake's POST over HTTPS; answers the petition's id.
async fn post(http: &reqwest::Client, base: &str, key: &str, n: usize) -> Result<String, String> {
    let res = http
        .post(format!("{base}/open311/v2/requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(crate::body(key, n))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if res.status().as_u16() != 201 {
        return Err(format!("HTTP {}", res.status()));
    }
    let v: Value = res.json().await.map_err(|e| e.to_string())?;
    Ok(v[0]["token"].as_str().unwrap_or_default().to_string())
}

fn https(ca: &std::path::Path) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(ca).expect("ca")).expect("ca");
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .pool_max_idle_per_host(64)
        .build()
        .expect("client")
}

/// `lan-live`.
pub async fn live(app: &App, admin: &Session, url: &DatabaseUrl) {
    let key = crate::new_key(app, admin).await;
    let lan = lan(app).await;
    let remote = token(&lan.client, "duty").await;
    let mut events = lan.client.events(&remote).await.expect("events");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let http = https(&lan.ca);
    let posted: Arc<Mutex<std::collections::HashMap<String, Instant>>> = Arc::default();
    let sender = {
        let posted = posted.clone();
        let base = lan.base.clone();
        tokio::spawn(async move {
            for n in 0..200 {
                let at = Instant::now();
                let id = post(&http, &base, &key, n).await.expect("post");
                posted.lock().unwrap().insert(id, at);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let mut latencies = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while latencies.len() < 200 && Instant::now() < deadline {
        let Some(Ok(e)) = events.next().await else {
            break;
        };
        let now = Instant::now();
        for id in e.data["new_petitions"].as_array().into_iter().flatten() {
            if let Some(at) = posted
                .lock()
                .unwrap()
                .remove(id.as_str().unwrap_or_default())
            {
                latencies.push(now - at);
            }
        }
    }
    sender.await.expect("sender");
    println!(
        "lan {} | Open311 POST (HTTPS) → a LAN workstation's event | {}",
        kind(url),
        summary(&mut latencies)
    );
}

/// `lan-load`.
pub async fn load(app: &App, admin: &Session, url: &DatabaseUrl, seconds: u64) {
    let key = crate::new_key(app, admin).await;
    let lan = Arc::new(lan(app).await);
    let until = Instant::now() + Duration::from_secs(seconds);
    let times: Arc<Mutex<std::collections::BTreeMap<&'static str, Vec<Duration>>>> = Arc::default();
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut tasks = Vec::new();
    // The intake: 500 POST/s, in 10 senders of 50/s each.
    let posted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for s in 0..10 {
        let (lan, key, errors, posted) = (lan.clone(), key.clone(), errors.clone(), posted.clone());
        tasks.push(tokio::spawn(async move {
            let http = https(&lan.ca);
            let mut tick = tokio::time::interval(Duration::from_millis(20));
            let mut n = s * 1_000_000;
            while Instant::now() < until {
                tick.tick().await;
                n += 1;
                match post(&http, &lan.base, &key, n).await {
                    Ok(_) => {
                        posted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Err(e) => errors.lock().unwrap().push(format!("POST: {e}")),
                }
            }
        }));
    }
    // 20 workstations, each with its event stream and a call every 2 s.
    for w in 0..20usize {
        let (lan, times, errors) = (lan.clone(), times.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let user = if w % 4 == 0 { "leader" } else { "duty" };
            let token = token(&lan.client, user).await;
            let mut events = lan.client.events(&token).await.expect("events");
            let listener = tokio::spawn(async move { while let Some(Ok(_)) = events.next().await {} });
            let mut tick = tokio::time::interval(Duration::from_millis(2000));
            tick.tick().await;
            tokio::time::sleep(Duration::from_millis(w as u64 * 97)).await;
            let mut round = 0usize;
            while Instant::now() < until {
                tick.tick().await;
                round += 1;
                let grid = format!("CG-0{}-0{}", 1 + (w + round) % 8, 1 + round % 5);
                let (name, args): (&'static str, Value) = match round % 4 {
                    0 => ("grid_detail", json!({"code": grid})),
                    1 | 3 => ("petitions_list", queue()),
                    _ => ("petitions_list", queue()),
                };
                let t = Instant::now();
                let answer = lan.client.call(Some(&token), name, args).await;
                let took = t.elapsed();
                match answer {
                    Ok(page) => {
                        times.lock().unwrap().entry(name).or_default().push(took);
                        // Now and then the duty officer opens the newest petition and accepts it.
                        if name == "petitions_list" && user == "duty" && round % 5 == 0 {
                            if let Some(p) = page["items"].as_array().and_then(|i| {
                                i.iter().find(|p| p["status"] == "received")
                            }) {
                                let id = p["id"].as_str().unwrap_or_default().to_string();
                                let t = Instant::now();
                                let r = lan
                                    .client
                                    .call(Some(&token), "petition_timeline", json!({"id": id}))
                                    .await;
                                times.lock().unwrap().entry("petition_timeline").or_default().push(t.elapsed());
                                if let Err(e) = r {
                                    errors.lock().unwrap().push(format!("timeline: {}", e.message));
                                }
                                let t = Instant::now();
                                let r = lan
                                    .client
                                    .call(
                                        Some(&token),
                                        "petition_act",
                                        json!({"id": id, "version": p["version"], "step": {"kind": "accept", "category": null}, "note": ""}),
                                    )
                                    .await;
                                times.lock().unwrap().entry("petition_act").or_default().push(t.elapsed());
                                // Two officers may accept the same one: the second is told it changed.
                                if let Err(e) = r.as_ref().map_err(|e| &e.code).map_err(|c| c.as_str()) {
                                    if !matches!(e, "store.conflict" | "petition.illegal_step") {
                                        errors.lock().unwrap().push(format!("act: {e}"));
                                    }
                                }
                            }
                        }
                    }
                    Err(e) => errors.lock().unwrap().push(format!("{name}: {}", e.message)),
                }
            }
            listener.abort();
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let errors = errors.lock().unwrap();
    println!(
        "lan {} | 20 workstations for {seconds} s while the intake took {} POST ({:.0}/s) | errors {}{}",
        kind(url),
        posted.load(std::sync::atomic::Ordering::Relaxed),
        posted.load(std::sync::atomic::Ordering::Relaxed) as f64 / seconds as f64,
        errors.len(),
        errors.first().map(|e| format!(" (first: {e})")).unwrap_or_default()
    );
    for (name, list) in times.lock().unwrap().iter_mut() {
        println!("lan {} | load | {name} | {}", kind(url), summary(list));
    }
}
