//! Petition figures for docs/benchmarks.md (run in release, see bench/petitions.sh):
//!
//! - `intake`: Open311 POST throughput and latency on loopback — C keep-alive connections post for S seconds;
//!   then the number of petitions in the database must equal the number of 201 answers.
//! - `live`: from a POST to the change feed of a second `App` on the same database (what the desktop turns into
//!   its `db-changes` event) — one post every 20 ms, latency per petition.
//! - `import`: rows per second of `import_petitions` on an analysts' CSV of N rows (parse, check, place, store).
//!
//! - `layers`: the desktop's map layers (heat, choropleth, hot spots by grid and by hexagon, spike alerts, the open
//!   petitions' markers) over a database holding N imported petitions besides the demo's: what a duty officer
//!   waits for when switching views or when a new petition refreshes the layer.
//!
//! - `lan-reads`, `lan-heat`, `lan-live`, `lan-load`: LAN mode through the town server over HTTPS, each beside its
//!   in-process reference (see `lan.rs`).
//!
//! Usage: petitions_bench intake|live|import|layers|lan-… [--db URL] [--seconds S] [--connections C] [--rows N]
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

mod lan;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chengguan_app::access::Session;
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::App;
use chengguan_app::{DatabaseKind, DatabaseUrl};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    mode: String,
    db: Option<String>,
    seconds: u64,
    connections: usize,
    rows: usize,
}

fn args() -> Args {
    let mut a = Args {
        mode: String::new(),
        db: None,
        seconds: 10,
        connections: 16,
        rows: 100_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--db" => a.db = it.next(),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "--connections" => a.connections = it.next().and_then(|v| v.parse().ok()).unwrap_or(16),
            "--rows" => a.rows = it.next().and_then(|v| v.parse().ok()).unwrap_or(100_000),
            mode => a.mode = mode.to_string(),
        }
    }
    a
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let url =
        a.db.clone()
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let url = DatabaseUrl::parse(&url).expect("database URL");
    let app = App::open(&url, bench_key()).await.expect("open");
    if !app.has_town_data().await.expect("town") {
        app.load_demo(None, chengguan_app::DEMO_SEED, false)
            .await
            .expect("demo");
    }
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
    match a.mode.as_str() {
        "intake" => intake(app, &admin, &url, a.seconds, a.connections).await,
        "live" => live(app, &admin, &url).await,
        "import" => import(&app, &admin, &url, a.rows).await,
        "layers" => layers(&app, &admin, &url, a.rows).await,
        "lan-reads" => lan::reads(&app, &url).await,
        "lan-heat" => lan::heat(&app, &admin, &url, a.rows).await,
        "lan-live" => lan::live(&app, &admin, &url).await,
        "lan-load" => lan::load(&app, &admin, &url, a.seconds).await,
        other => panic!(
            "unknown mode {other:?}: intake, live, import, layers, lan-reads, lan-heat, lan-live or lan-load"
        ),
    }
}

async fn serve(app: App) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(chengguan_server::serve(Arc::new(app), listener));
    addr
}

async fn new_key(app: &App, admin: &Session) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!("bench-{}-{nanos}", std::process::id());
    app.create_api_key(admin, &name, false)
        .await
        .expect("key")
        .1
}

async fn total(app: &App, admin: &Session) -> i64 {
    let _ = admin;
    let (duty, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("duty");
    app.list_petitions(&duty, &Default::default())
        .await
        .expect("count")
        .total
}

fn body(key: &str, n: usize) -> String {
    // Points spread over the town (GCJ-02, as the mini-program sends them).
    let lon = 99.806 + (n % 97) as f64 * 0.0002;
    let lat = 39.368 + (n % 89) as f64 * 0.0002;
    format!(
        "api_key={key}&service_code=sanitation&lat={lat:.6}&long={lon:.6}&coord_system=gcj02\
         &description=%E5%9E%83%E5%9C%BE%E6%9C%AA%E6%B8%85%E8%BF%90&phone=13800001111"
    )
}

/// One POST on a keep-alive connection; returns the status and the body.
async fn post(
    stream: &mut BufReader<TcpStream>,
    addr: std::net::SocketAddr,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let req = format!(
        "POST /open311/v2/requests.json HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut buf = vec![0; length];
    stream.read_exact(&mut buf).await?;
    Ok((status, String::from_utf8_lossy(&buf).into_owned()))
}

fn kind(url: &DatabaseUrl) -> &'static str {
    match url.kind() {
        DatabaseKind::Sqlite => "SQLite",
        DatabaseKind::Postgres => "PostgreSQL",
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn intake(app: App, admin: &Session, url: &DatabaseUrl, seconds: u64, connections: usize) {
    let key = new_key(&app, admin).await;
    let before = total(&app, admin).await;
    let addr = serve(app.clone()).await;
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut stream = BufReader::new(TcpStream::connect(addr).await.expect("connect"));
            let (mut ok, mut failed, mut lat) = (0usize, 0usize, Vec::new());
            let mut n = c * 1_000_000;
            while Instant::now() < until {
                let start = Instant::now();
                match post(&mut stream, addr, &body(&key, n)).await {
                    Ok((201, _)) => ok += 1,
                    Ok((status, text)) => {
                        failed += 1;
                        if failed < 3 {
                            eprintln!("{status}: {text}");
                        }
                    }
                    Err(e) => panic!("connection: {e}"),
                }
                lat.push(start.elapsed());
                n += 1;
            }
            (ok, failed, lat)
        }));
    }
    let (mut ok, mut failed, mut lat) = (0, 0, Vec::new());
    for t in tasks {
        let (o, f, l) = t.await.expect("task");
        ok += o;
        failed += f;
        lat.extend(l);
    }
    lat.sort();
    let stored = total(&app, admin).await - before;
    println!(
        "intake {} | {connections} connections, {seconds} s | {:.0} accepted POST/s | p50 {:.1} ms | p99 {:.1} ms | \
         acknowledged {ok}, stored {stored}, failed {failed} | {}",
        kind(url),
        ok as f64 / seconds as f64,
        percentile(&lat, 0.5).as_secs_f64() * 1e3,
        percentile(&lat, 0.99).as_secs_f64() * 1e3,
        if stored == ok as i64 { "nothing lost" } else { "MISMATCH" }
    );
    assert_eq!(stored, ok as i64, "every acknowledged petition is stored");
}

async fn live(app: App, admin: &Session, url: &DatabaseUrl) {
    let key = new_key(&app, admin).await;
    let addr = serve(app.clone()).await;
    let desktop = App::open(url, bench_key()).await.expect("second app");
    let mut feed = desktop.change_feed().await.expect("feed");
    let seen: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let seen_in = Arc::clone(&seen);
    let watcher = tokio::spawn(async move {
        loop {
            let notice = feed.next().await.expect("feed");
            let now = Instant::now();
            let mut seen = seen_in.lock().expect("lock");
            for id in notice.new_petitions {
                seen.entry(id).or_insert(now);
            }
        }
    });
    let mut stream = BufReader::new(TcpStream::connect(addr).await.expect("connect"));
    let mut sent = Vec::new();
    for n in 0..300 {
        let start = Instant::now();
        let (status, text) = post(&mut stream, addr, &body(&key, n)).await.expect("post");
        assert_eq!(status, 201, "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        sent.push((json[0]["token"].as_str().expect("token").to_string(), start));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    watcher.abort();
    let seen = seen.lock().expect("lock");
    let mut lat: Vec<Duration> = sent
        .iter()
        .filter_map(|(id, t)| seen.get(id).map(|s| s.duration_since(*t)))
        .collect();
    lat.sort();
    println!(
        "live {} | 300 posts, one every 20 ms | seen {} | p50 {:.1} ms | p95 {:.1} ms | max {:.1} ms",
        kind(url),
        lat.len(),
        percentile(&lat, 0.5).as_secs_f64() * 1e3,
        percentile(&lat, 0.95).as_secs_f64() * 1e3,
        lat.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    assert_eq!(lat.len(), sent.len(), "every petition reached the feed");
}

async fn import(app: &App, admin: &Session, url: &DatabaseUrl, rows: usize) {
    let mut csv = String::from("lon,lat,reported_at,category\n");
    for n in 0..rows {
        let lon = 99.803 + (n % 211) as f64 * 0.0001;
        let lat = 39.366 + (n % 199) as f64 * 0.0001;
        let day = 1 + n % 28;
        csv.push_str(&format!(
            "{lon:.6},{lat:.6},2026-03-{day:02}T08:{:02}:00+08:00,sanitation\n",
            n % 60
        ));
    }
    let start = Instant::now();
    let checked = app
        .import_petitions(admin, "bench.csv", csv.as_bytes(), true)
        .await
        .expect("dry run");
    let check_took = start.elapsed();
    assert_eq!(checked.rows, rows);
    let start = Instant::now();
    let report = app
        .import_petitions(admin, "bench.csv", csv.as_bytes(), false)
        .await
        .expect("import");
    let took = start.elapsed();
    assert_eq!(report.imported, rows, "{:?}", report.problems.first());
    println!(
        "import {} | {} rows | {:.2} s | {:.0} rows/s (of which reading and checking alone, a dry run: {:.2} s)",
        kind(url),
        rows,
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        check_took.as_secs_f64()
    );
}

/// `rows` petitions clustered like real ones (around a few spots of the town, with a wide background) over the
/// year so far, as an analysts' CSV.
/// Imports `csv` in files of 200,000 rows (the import's limit per file); answers how many were imported.
async fn import_in_parts(app: &App, admin: &Session, csv: &str) -> usize {
    let (header, body) = csv.split_once('\n').expect("a header");
    let lines: Vec<&str> = body.lines().collect();
    let mut imported = 0;
    for chunk in lines.chunks(200_000) {
        let part = format!("{header}\n{}\n", chunk.join("\n"));
        let report = app
            .import_petitions(admin, "bench.csv", part.as_bytes(), false)
            .await
            .expect("import");
        assert!(report.problems.is_empty(), "{:?}", report.problems.first());
        imported += report.imported;
    }
    imported
}

fn clustered_csv(rows: usize) -> String {
    const SPOTS: [(f64, f64); 5] = [
        (99.8150, 39.3800),
        (99.8230, 39.3720),
        (99.8080, 39.3690),
        (99.8190, 39.3650),
        (99.8110, 39.3760),
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut uniform = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut csv = String::with_capacity(rows * 64);
    // One in fifty still open (待受理), the rest closed, as in a year's history.
    csv.push_str("lon,lat,reported_at,category,status\n");
    let categories = [
        "sanitation",
        "safety_hazard",
        "dispute",
        "property",
        "infrastructure",
    ];
    for n in 0..rows {
        let (lon, lat) = if n % 3 == 0 {
            (99.800 + uniform() * 0.030, 39.360 + uniform() * 0.026)
        } else {
            let (x, y) = SPOTS[n % SPOTS.len()];
            // Box–Muller: a normal offset of about 250 m.
            let r = (-2.0 * uniform().ln()).sqrt() * 0.0025;
            let t = std::f64::consts::TAU * uniform();
            (x + r * t.cos(), y + r * t.sin() * 0.78)
        };
        let day = 1 + n % 330;
        let date = chrono::NaiveDate::from_yo_opt(2026, day as u32).expect("day of 2026");
        csv.push_str(&format!(
            "{lon:.6},{lat:.6},{date}T{:02}:{:02}:00+08:00,{},{}\n",
            8 + n % 10,
            n % 60,
            categories[n % categories.len()],
            if n % 50 == 0 {
                "待受理"
            } else {
                "已办结"
            }
        ));
    }
    csv
}

async fn layers(app: &App, admin: &Session, url: &DatabaseUrl, rows: usize) {
    use chengguan_app::petitions::PetitionQuery;
    let csv = clustered_csv(rows);
    let start = Instant::now();
    let imported = import_in_parts(app, admin, &csv).await;
    assert_eq!(imported, rows);
    println!(
        "layers {} | {rows} petitions imported in {:.1} s",
        kind(url),
        start.elapsed().as_secs_f64()
    );
    let (leader, _) = app.sign_in("leader", DEMO_PASSWORD).await.expect("leader");
    let all = PetitionQuery::default();
    // Straight from the database (a one-off command, or the desktop while it warms up).
    let t = Instant::now();
    app.heat_layer(&leader, &all, 150.0)
        .await
        .expect("cold heat");
    println!(
        "layers {} | heat before warm-up (from the database) | {:.3} s",
        kind(url),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let held = app.warm_analysis().await.expect("warm");
    println!(
        "layers {} | warm-up: {held} petitions into memory | {:.3} s",
        kind(url),
        t.elapsed().as_secs_f64()
    );
    let november = PetitionQuery {
        received_from: Some("2026-11-01".into()),
        received_to: Some("2026-11-07".into()),
        ..Default::default()
    };
    let open_on_map = PetitionQuery {
        statuses: vec!["received".into(), "accepted".into(), "in_progress".into()],
        limit: 5000,
        ..Default::default()
    };
    macro_rules! timed {
        ($what:expr, $call:expr) => {{
            let mut times = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                let _ = $call.await.expect($what);
                times.push(t.elapsed().as_secs_f64());
            }
            let best = times.iter().copied().fold(f64::INFINITY, f64::min);
            println!(
                "layers {} | {} | first {:.3} s | best of 3 {:.3} s",
                kind(url),
                $what,
                times[0],
                best
            );
        }};
    }
    timed!(
        "heat, all petitions, 150 m",
        app.heat_layer(&leader, &all, 150.0)
    );
    timed!(
        "heat, one week (playback frame)",
        app.heat_layer(&leader, &november, 150.0)
    );
    timed!(
        "choropleth per 1,000 households",
        app.choropleth_layer(&leader, &all, "per_1000_households")
    );
    timed!(
        "hot spots by grid",
        app.hotspot_layer(&leader, &all, "grid")
    );
    timed!(
        "hot spots on 250 m hexagons",
        app.hotspot_layer(&leader, &all, "hex:250")
    );
    timed!("spike alerts", app.alert_list(&leader, None));
    timed!(
        "open petitions for the map (≤ 5,000)",
        app.list_petitions(&leader, &open_on_map)
    );
    // What a live refresh costs: one petition arrives (here, through the intake's path), then the layer again.
    let duty = app.sign_in("duty", DEMO_PASSWORD).await.expect("duty").0;
    let new = chengguan_app::petitions::NewPetition {
        channel: "hotline".into(),
        category: "sanitation".into(),
        description: "楼道堆放杂物".into(),
        lon: Some(99.815),
        lat: Some(39.38),
        crs: Some("wgs84".into()),
        address: "解放街 12 号".into(),
        reporter_name: "王某".into(),
        reporter_phone: "13800138000".into(),
        media_url: None,
    };
    let mut times = Vec::new();
    for _ in 0..5 {
        app.create_petition(&duty, &new)
            .await
            .expect("new petition");
        let t = Instant::now();
        app.heat_layer(&leader, &all, 150.0)
            .await
            .expect("heat after");
        times.push(t.elapsed().as_secs_f64());
    }
    let worst = times.iter().copied().fold(0.0, f64::max);
    println!("layers {} | heat right after a new petition (change log + layer), worst of 5 | {worst:.3} s", kind(url));
}

/// The audit key of the benchmark's throw-away databases.
fn bench_key() -> chengguan_app::AuditKey {
    chengguan_app::AuditKey::from_bytes([0x42; 32])
}
