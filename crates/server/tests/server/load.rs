//! Issue 11: the intake on a real socket under idle, flooding and fast clients (loopback only, bounded in count
//! and time). Times here are liveness bounds on a hang, not performance assertions (docs/benchmarks.md has the
//! figures).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chengguan_app::App;
use chengguan_server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{backends, demo_with_key};

/// Serves `app` under `limits` on a free loopback port.
async fn serving(app: Arc<App>, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(chengguan_server::serve_with(app, listener, limits));
    addr
}

/// One HTTP/1.1 exchange on a new connection: the status and the whole answer (headers and body).
async fn exchange(addr: SocketAddr, method: &str, path: &str, form: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let body = form.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: intake\r\nConnection: close\r\n{}Content-Length: {}\r\n\r\n",
        if form.is_some() {
            "Content-Type: application/x-www-form-urlencoded\r\n"
        } else {
            ""
        },
        body.len()
    );
    s.write_all(head.as_bytes()).await.expect("write");
    s.write_all(body.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.expect("read");
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn post_form(key: &str, n: usize) -> String {
    format!("api_key={key}&service_code=sanitation&lat=39.3770&long=99.8160&description=load{n}")
}

/// `within` as a bound on a hang: the exchange must end at all.
async fn bounded<T>(what: &str, within: Duration, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(within, f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {within:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_two_thousand_idle_sockets_do_not_shut_out_a_post() {
    let mut servers = Vec::new();
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        servers.push((b, serving(app, Limits::default()).await, key));
    }
    // 2,000 sockets per server that connect and never send a byte, held 30 s (three header timeouts).
    let mut idle = Vec::new();
    for (_, addr, _) in &servers {
        for _ in 0..2_000 {
            idle.push(
                TcpStream::connect(addr)
                    .await
                    .expect("connect an idle socket"),
            );
        }
    }
    tokio::time::sleep(Duration::from_secs(30)).await;
    for (b, addr, key) in &servers {
        let (status, answer) = bounded(
            "a post after the idle flood",
            Duration::from_secs(5),
            exchange(
                *addr,
                "POST",
                "/open311/v2/requests.json",
                Some(&post_form(key, 0)),
            ),
        )
        .await;
        assert_eq!(status, 201, "{}: {answer}", b.name);
    }
    // The server closed them: past the caps at once, the rest after the header timeout.
    let mut closed = 0;
    for s in idle.iter_mut().take(100) {
        let mut byte = [0u8; 1];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(100), s.read(&mut byte)).await
        {
            closed += 1;
        }
    }
    assert_eq!(closed, 100, "idle sockets are closed by the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_a_client_past_its_rate_gets_429_with_retry_after() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let by_address = serving(
            app.clone(),
            Limits {
                rate_per_address: 5.0,
                ..Limits::default()
            },
        )
        .await;
        let mut refused = 0;
        for _ in 0..30 {
            let (status, answer) =
                exchange(by_address, "GET", "/open311/v2/services.json", None).await;
            if status == 429 {
                refused += 1;
                assert!(
                    answer.to_lowercase().contains("retry-after: 1"),
                    "{}: {answer}",
                    b.name
                );
            } else {
                assert_eq!(status, 200, "{}: {answer}", b.name);
            }
        }
        assert!(
            refused >= 15,
            "{}: 30 quick requests at 5/s: {refused} refused",
            b.name
        );

        let by_key = serving(
            app.clone(),
            Limits {
                rate_per_key: 5.0,
                ..Limits::default()
            },
        )
        .await;
        let mut refused = 0;
        for n in 0..30 {
            let (status, answer) = exchange(
                by_key,
                "POST",
                "/open311/v2/requests.json",
                Some(&post_form(&key, n)),
            )
            .await;
            match status {
                429 => refused += 1,
                201 => {}
                other => panic!("{}: {other}: {answer}", b.name),
            }
        }
        assert!(
            refused >= 15,
            "{}: one key at 5/s: {refused} refused",
            b.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_a_flood_of_reads_does_not_starve_the_posts() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let addr = serving(
            app,
            Limits {
                rate_per_address: 1_000_000.0,
                rate_per_key: 1_000_000.0,
                ..Limits::default()
            },
        )
        .await;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let readers: Vec<_> = (0..24)
            .map(|_| {
                let (stop, key) = (stop.clone(), key.clone());
                tokio::spawn(async move {
                    let path = format!("/open311/v2/requests.json?api_key={key}");
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        exchange(addr, "GET", &path, None).await;
                    }
                })
            })
            .collect();
        for n in 0..10 {
            let (status, answer) = bounded(
                "a post during the read flood",
                Duration::from_secs(30),
                exchange(
                    addr,
                    "POST",
                    "/open311/v2/requests.json",
                    Some(&post_form(&key, n)),
                ),
            )
            .await;
            assert_eq!(status, 201, "{}: post {n}: {answer}", b.name);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for r in readers {
            r.await.expect("reader");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_one_address_cannot_take_every_connection() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let addr = serving(
            app,
            Limits {
                per_address: 4,
                ..Limits::default()
            },
        )
        .await;
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(TcpStream::connect(addr).await.expect("connect"));
        }
        // The fifth is closed at once: the answer is empty.
        let mut fifth = TcpStream::connect(addr).await.expect("connect");
        let mut buf = Vec::new();
        let n = bounded(
            "the fifth connection's close",
            Duration::from_secs(5),
            fifth.read_to_end(&mut buf),
        )
        .await
        .unwrap_or(0);
        assert_eq!(n, 0, "{}: past the cap the connection is closed", b.name);
        drop(held);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (status, answer) = exchange(
            addr,
            "POST",
            "/open311/v2/requests.json",
            Some(&post_form(&key, 1)),
        )
        .await;
        assert_eq!(
            status, 201,
            "{}: once they leave, a post gets in: {answer}",
            b.name
        );
    }
}

/// A TCP relay to the PostgreSQL server that the test can cut (every connection dropped at once, new ones
/// refused) and restore, as a server restart or a pulled cable would.
struct Relay {
    addr: SocketAddr,
    up: Arc<std::sync::atomic::AtomicBool>,
    cuts: tokio::sync::broadcast::Sender<()>,
}

impl Relay {
    async fn to(target: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let up = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let (cuts, _) = tokio::sync::broadcast::channel(4);
        let (target, up2, cuts2) = (target.to_string(), up.clone(), cuts.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !up2.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let (target, mut cut) = (target.clone(), cuts2.subscribe());
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.recv() => {} // both sockets dropped
                    }
                });
            }
        });
        Self { addr, up, cuts }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        let _ = self.cuts.send(());
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_a_database_that_went_away_is_a_503_with_retry_after_never_a_500() {
    let pg = chengguan_store::testing::fresh_pg().await;
    let direct = pg.url.expose().to_string();
    let (head, rest) = direct.split_once('@').expect("user@host");
    let (host, db) = rest.split_once('/').expect("host/db");
    let relay = Relay::to(host).await;
    let via_relay =
        chengguan_store::DatabaseUrl::parse(&format!("{head}@{}/{db}", relay.addr)).expect("url");
    let app = App::open(&via_relay, chengguan_store::testing::audit_key())
        .await
        .expect("open through the relay");
    app.load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .expect("demo");
    let (admin, _) = app
        .sign_in("admin", chengguan_app::users::DEMO_PASSWORD)
        .await
        .expect("admin");
    let (_, key) = app
        .create_api_key(&admin, "断线测试", false)
        .await
        .expect("key");
    let addr = serving(Arc::new(app), Limits::default()).await;
    let (status, answer) = exchange(
        addr,
        "POST",
        "/open311/v2/requests.json",
        Some(&post_form(&key, 1)),
    )
    .await;
    assert_eq!(status, 201, "{answer}");

    relay.cut();
    // The relay's tasks drop their sockets as soon as they run.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for n in 2..5 {
        let (status, answer) = bounded(
            "a post while the database is gone",
            Duration::from_secs(30),
            exchange(
                addr,
                "POST",
                "/open311/v2/requests.json",
                Some(&post_form(&key, n)),
            ),
        )
        .await;
        assert_eq!(status, 503, "post {n} while the database is gone: {answer}");
        assert!(answer.to_lowercase().contains("retry-after: 5"), "{answer}");
    }

    relay.restore();
    let mut back = 0;
    for n in 5..20 {
        let (status, answer) = exchange(
            addr,
            "POST",
            "/open311/v2/requests.json",
            Some(&post_form(&key, n)),
        )
        .await;
        assert!(matches!(status, 201 | 503), "never a 500: {answer}");
        if status == 201 {
            back += 1;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(
        back, 1,
        "posts are accepted again once the database is back"
    );
}

#[tokio::test]
async fn r13_two_servers_on_one_postgresql_database_share_the_rate_limits() {
    let b = chengguan_store::testing::fresh_pg().await;
    let (app, key) = demo_with_key(&b).await;
    assert!(
        app.shares_rate_limits(),
        "PostgreSQL may be shared by several servers"
    );
    let other = Arc::new(
        App::open(&b.url, chengguan_store::testing::audit_key())
            .await
            .expect("a second server's app"),
    );
    // One request a second per key (bursts to two), counted in the database.
    let limits = Limits {
        rate_per_key: 1.0,
        ..Default::default()
    };
    let first = serving(app, limits.clone()).await;
    let second = serving(other, limits).await;
    let path = "/open311/v2/requests.json";
    let mut statuses = Vec::new();
    for (n, addr) in [first, second, first, second].into_iter().enumerate() {
        statuses.push(
            exchange(addr, "POST", path, Some(&post_form(&key, n)))
                .await
                .0,
        );
    }
    assert_eq!(
        &statuses[..3],
        &[201, 201, 429],
        "the burst of two is spent across both servers: {statuses:?}"
    );
    // SQLite is one machine's: its buckets stay in memory.
    let local = &backends().await[0];
    let (app, _) = demo_with_key(local).await;
    assert!(!app.shares_rate_limits());
}
