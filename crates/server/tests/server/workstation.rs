//! The workstation API over HTTP: every declared call, for every demo role, gives the same answer through the
//! server as in-process; and the role matrix is enforced on the server, where the data is.

use std::sync::Arc;

use chengguan_app::access::{Access, UseCase};
use chengguan_app::api::{self, Caller};
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::App;
use serde_json::{json, Value};

use crate::support::{backends, demo_with_key};

const ROLES: [&str; 5] = ["admin", "duty", "leader", "secretary", "grid0101"];

/// Arguments of each declared call that read correctly; a call missing here fails the test.
fn sample(name: &str) -> Option<Value> {
    let query = json!({
        "statuses": [], "categories": [], "channels": [], "levels": [], "grid_code": null,
        "community_code": null, "overdue_only": false, "by_deadline": false, "received_from": null,
        "received_to": null, "offset": 0, "limit": 5, "display_crs": null
    });
    let csv = "number,received_at,category,channel,description\n";
    Some(match name {
        "status_bar"
        | "ping"
        | "needs_administrator"
        | "session_activity"
        | "audit_verify"
        | "users_list"
        | "sla_list"
        | "categories_list" => json!({}),
        "setup_administrator" => {
            json!({"username": "chief", "display_name": "主任", "password": "Strong#Pass2026"})
        }
        "sign_in" => json!({"username": "nobody", "password": "wrong"}),
        "resume" => json!({"password": "wrong"}),
        "sign_out" => return None,
        "change_own_password" => {
            json!({"current": "wrong-current", "new_password": "Whatever#2026x"})
        }
        "reveal_person_field" => {
            json!({"person_id": "0192f0d2-0000-7000-8000-000000000000", "field": "phone", "reason": "核实身份"})
        }
        "audit_list" | "audit_export" => {
            json!({"query": {"from": null, "to": null, "actor": null, "action": "user."}})
        }
        "user_add" => {
            json!({"user": {"username": "matrix.user", "display_name": "矩阵", "password": "Strong#Pass2026", "roles": ["leader"], "grid_code": null}})
        }
        "user_set_disabled" => json!({"username": "sample.user", "disabled": true}),
        "user_reset_password" => json!({"username": "sample.user", "password": "Reset#Pass2026"}),
        "town_map" => json!({"crs": "wgs84"}),
        "grid_detail" => json!({"code": "CG-01-01"}),
        "petitions_list" => json!({"query": query}),
        "petition_create" => {
            json!({"petition": {"channel": "phone", "category": "no_such_category", "description": "",
            "lon": null, "lat": null, "crs": null, "address": "", "reporter_name": "", "reporter_phone": "", "media_url": null}})
        }
        "petition_timeline" => json!({"id": "GT-2026-000001"}),
        "petition_act" => {
            json!({"id": "GT-2099-999999", "version": 1, "step": {"kind": "resolve"}, "note": ""})
        }
        "petition_regrid" => {
            json!({"id": "GT-2099-999999", "version": 1, "grid_code": "CG-01-01", "reason": "位置有误"})
        }
        "petitions_export" => json!({"query": query, "reveal_reason": null}),
        "petitions_import" => {
            use base64::Engine;
            json!({"file": {"file_name": "a.csv", "bytes": base64::engine::general_purpose::STANDARD.encode(csv)}, "dry_run": true})
        }
        "sla_set" => json!({"category": "no_such", "level": "town", "working_days": 3}),
        "category_save" => {
            json!({"category": {"code": "matrix_cat", "name": "矩阵类别", "description": "", "active": true}})
        }
        "analysis_heat" => json!({"query": query, "bandwidth_m": 300.0}),
        "analysis_choropleth" => json!({"query": query, "measure": "count"}),
        "analysis_hotspots" => json!({"query": query, "layout": "grid"}),
        "analysis_alerts" => json!({"day": null}),
        "roster_search" => json!({"query": "zs"}),
        "roster_list" => {
            json!({"filter": {"role": null, "community": null, "grid": "CG-01-01", "limit": 5}})
        }
        "person_card" => json!({"person_id": "0192f0d2-0000-7000-8000-000000000000"}),
        "roster_coverage" => json!({"overload": null}),
        "household" => json!({"household_id": "0192f0d2-0000-7000-8000-000000000000"}),
        "reveal_resident_field" => {
            json!({"resident_id": "0192f0d2-0000-7000-8000-000000000000", "field": "phone", "reason": "核实身份"})
        }
        "roster_import" | "residents_import" => {
            use base64::Engine;
            json!({"file": {"file_name": "a.csv", "bytes": base64::engine::general_purpose::STANDARD.encode("姓名,身份证号\n")}, "dry_run": true, "skip_invalid": false})
        }
        "roster_export" => {
            json!({"filter": {"role": null, "community": null, "grid": "CG-01-01", "limit": 5}, "reveal_reason": null})
        }
        "residents_export" => json!({"grid": "CG-01-01", "reveal_reason": null}),
        "list_template" => json!({"kind": "roster"}),
        "holidays" => json!({"year": 2026}),
        "holidays_import" => {
            use base64::Engine;
            json!({"file": {"file_name": "a.csv", "bytes": base64::engine::general_purpose::STANDARD.encode("年份,节日,类型,开始,结束\n")}})
        }
        "alliances" | "duty_today" => json!({}),
        "duty_rule_set" => {
            json!({"alliance": "CG-99", "rule": {"period": "week", "starts_on": "2027-01-04", "holidays_count": true}, "order": []})
        }
        "duty_unavailable_add" => {
            json!({"unit": "不存在的单位", "from": "2027-01-01", "to": "2027-01-02", "reason": "测试"})
        }
        "duty_generate" => json!({"alliance": null, "from": "2027-01-01", "to": "2027-01-31"}),
        "duty_schedule" => {
            json!({"filter": {"alliance": null, "unit": null, "from": "2026-12-01", "to": "2026-12-31"}})
        }
        "duty_swap" => {
            json!({"first": "0192f0d2-0000-7000-8000-000000000000", "first_version": 1, "second": "0192f0d2-0000-7000-8000-000000000001", "second_version": 1, "reason": "测试调换"})
        }
        "duty_reassign" => {
            json!({"turn": "0192f0d2-0000-7000-8000-000000000000", "version": 1, "unit": "不存在的单位", "reason": "测试改派"})
        }
        "duty_export" => {
            json!({"filter": {"alliance": null, "unit": null, "from": "2026-12-01", "to": "2026-12-31"}, "format": "xlsx"})
        }
        "duty_activity_add" => {
            json!({"activity": {"turn": "0192f0d2-0000-7000-8000-000000000000", "kind": "joint_service", "title": "义诊", "place": "广场", "held_on": "2026-12-01", "participants": 5, "hours": 10.0, "photos": [], "petitions": []}})
        }
        "shift_now" => json!({}),
        "shift_pool_set" => json!({"leaders": ["不存在的人"], "officers": []}),
        "shift_exclusion_add" => {
            json!({"person": "不存在的人", "from": "2027-01-01", "to": "2027-01-02", "reason": "休假"})
        }
        "shift_edit" => {
            json!({"id": "0192f0d2-0000-7000-8000-000000000000", "version": 1, "leader": "", "officers": [], "reason": "调整"})
        }
        "handover_add" => json!({"item": "测试交接事项"}),
        "handover_close" => {
            json!({"id": "0192f0d2-0000-7000-8000-000000000000", "note": "已办结"})
        }
        // A reversed period: refused for its input once the role has passed (no pack is made).
        "briefing" | "briefing_pdf" | "briefing_xlsx" => {
            json!({"from": "2026-02-01", "to": "2026-01-01"})
        }
        "duty_activities" | "duty_review" | "duty_review_export" | "shifts" | "shifts_generate" => {
            json!({"from": "2026-01-01", "to": "2026-12-31"})
        }
        _ => return None,
    })
}

/// Refused for who the caller is (not for what they sent): the role matrix's answer.
fn refused(code: &str) -> bool {
    matches!(code, "auth.forbidden" | "auth.sign_in_required")
}

/// Posts one call to the server; answers the status and the body.
async fn post(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    name: &str,
    args: &Value,
) -> (u16, Value) {
    let mut req = client.post(format!("{base}/api/v1/{name}")).json(args);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn serve(app: Arc<App>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(chengguan_server::serve(app, listener));
    format!("http://{addr}")
}

/// The server over HTTPS with a fresh town CA on loopback, and a client trusting that CA alone.
async fn serve_https(app: Arc<App>, dir: &std::path::Path) -> (String, reqwest::Client) {
    let files =
        chengguan_server::tls::init_tls(dir, &["localhost".to_string()], &[]).expect("init-tls");
    let (config, _) = chengguan_server::tls::server_config(&files.cert, &files.key).expect("tls");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(chengguan_server::serve_tls(
        app,
        listener,
        Default::default(),
        Some(config),
    ));
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&files.ca_cert).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .build()
        .unwrap();
    (format!("https://localhost:{port}"), client)
}

#[tokio::test]
async fn r13_the_role_matrix_gives_the_same_answers_in_process_and_over_https() {
    for b in backends().await {
        let (app, _) = demo_with_key(&b).await;
        let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
        app.add_user(
            &admin,
            &serde_json::from_value(json!({"username": "sample.user", "display_name": "样例", "password": "Strong#Pass2026", "roles": ["leader"], "grid_code": null})).unwrap(),
        )
        .await
        .expect("sample user");
        let dir = tempfile::tempdir().expect("dir");
        let (base, client) = serve_https(app.clone(), dir.path()).await;
        let endpoints = api::endpoints();
        assert!(endpoints.len() >= 30, "the declaration was read");
        let mut checked = 0;
        for role in ROLES {
            let (local, _) = app.sign_in(role, DEMO_PASSWORD).await.expect("sign in");
            let (status, answer) = post(
                &client,
                &base,
                None,
                "sign_in",
                &json!({"username": role, "password": DEMO_PASSWORD}),
            )
            .await;
            assert_eq!(
                status, 200,
                "{}: {role} signs in over HTTP: {answer}",
                b.name
            );
            let token = answer["token"].as_str().expect("a token").to_string();
            let roles = app.session(&token).await.expect("session").roles().to_vec();
            for e in &endpoints {
                let Some(args) = sample(e.name) else {
                    assert_eq!(e.name, "sign_out", "{} has no sample arguments", e.name);
                    continue;
                };
                let caller = Caller {
                    session: Some(&local),
                    workstation: "test",
                };
                let here = api::dispatch(&app, caller, e.name, args.clone()).await;
                let (status, there) = post(&client, &base, Some(&token), e.name, &args).await;
                let here_code = here.as_ref().err().map(|e| e.code().to_string());
                let there_code = there["code"]
                    .as_str()
                    .filter(|_| status != 200)
                    .map(str::to_string);
                let here_refused = here_code.as_deref().is_some_and(refused);
                let there_refused = there_code.as_deref().is_some_and(refused);
                assert_eq!(
                    here_refused, there_refused,
                    "{}: {role} {}: in-process {here_code:?}, over HTTP {status} {there}",
                    b.name, e.name
                );
                if here_refused {
                    assert_eq!(here_code, there_code, "{}: {role} {}", b.name, e.name);
                    assert_eq!(status, 403, "{}: {role} {}: refused as 403", b.name, e.name);
                }
                let allowed = match e.use_case.access() {
                    Access::Public | Access::SignedIn => true,
                    Access::Requires(p) => chengguan_core::access::grants(&roles, p),
                };
                assert_eq!(
                    !here_refused, allowed,
                    "{}: {role} {} ({:?}): the matrix says {allowed}, got {here_code:?}",
                    b.name, e.name, e.use_case
                );
                checked += 1;
            }
            // Signing out over HTTP ends the session on the server: the token is worthless from then on.
            let (status, _) = post(&client, &base, Some(&token), "sign_out", &json!({})).await;
            assert_eq!(status, 200, "{}", b.name);
            let (status, answer) = post(
                &client,
                &base,
                Some(&token),
                "petitions_list",
                &sample("petitions_list").unwrap(),
            )
            .await;
            assert_eq!(
                (status, answer["code"].as_str()),
                (401, Some("auth.session_ended")),
                "{}",
                b.name
            );
        }
        assert!(checked > 150, "{}: {checked} calls compared", b.name);
        let _ = UseCase::ALL;
    }
}

#[tokio::test]
async fn r13_calls_without_a_session_or_with_a_bad_body_are_refused_in_words() {
    for b in backends().await {
        let (app, _) = demo_with_key(&b).await;
        let base = serve(app).await;
        let client = reqwest::Client::new();
        let (status, answer) = post(
            &client,
            &base,
            None,
            "petitions_list",
            &json!({"query": sample("petitions_list").unwrap()["query"]}),
        )
        .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (401, Some("auth.sign_in_required")),
            "{}: {answer}",
            b.name
        );
        let (status, answer) = post(
            &client,
            &base,
            Some("cgs_made_up"),
            "petitions_list",
            &json!({}),
        )
        .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (401, Some("auth.session_ended")),
            "{}: {answer}",
            b.name
        );
        let (status, answer) = post(&client, &base, None, "no_such_call", &json!({})).await;
        assert_eq!(status, 400, "{}: {answer}", b.name);
        assert!(
            answer["message"].as_str().unwrap().contains("no_such_call"),
            "{answer}"
        );
        let res = client
            .post(format!("{base}/api/v1/sign_in"))
            .body("{not json\u{0}")
            .send()
            .await
            .expect("send");
        assert_eq!(res.status().as_u16(), 400, "{}", b.name);
        let answer: Value = res.json().await.expect("json");
        assert!(
            answer["message"].as_str().unwrap().contains("JSON"),
            "{answer}"
        );
        let (status, answer) = post(&client, &base, None, "sign_in", &json!({"username": 7})).await;
        assert_eq!(status, 400, "{}: {answer}", b.name);
        assert!(
            answer["message"].as_str().unwrap().contains("username"),
            "{answer}"
        );
        let version: Value = client
            .get(format!("{base}/api/version"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(version["api"], api::API_VERSION, "{}", b.name);
    }
}

#[tokio::test]
async fn r13_the_api_is_served_over_https_with_the_town_ca_and_never_in_clear_on_the_network() {
    let b = &backends().await[0];
    let (app, _) = demo_with_key(b).await;
    let dir = tempfile::tempdir().expect("dir");
    let files = chengguan_server::tls::init_tls(
        dir.path(),
        &["localhost".to_string()],
        &["127.0.0.1".parse().unwrap()],
    )
    .expect("init-tls");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files.key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the server's key is its user's alone");
    }
    let (config, fingerprint) =
        chengguan_server::tls::server_config(&files.cert, &files.key).expect("config");
    assert_eq!(fingerprint, files.fingerprint);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(chengguan_server::serve_tls(
        app.clone(),
        listener,
        Default::default(),
        Some(config),
    ));
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&files.ca_cert).unwrap()).expect("ca");
    let trusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .build()
        .unwrap();
    for host in ["localhost", "127.0.0.1"] {
        let version: Value = trusting
            .get(format!("https://{host}:{port}/api/version"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{host}: {e:?}"))
            .json()
            .await
            .unwrap();
        assert_eq!(version["api"], api::API_VERSION);
    }
    let (status, answer) = post(
        &trusting,
        &format!("https://localhost:{port}"),
        None,
        "sign_in",
        &json!({"username": "duty", "password": DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    // A client that does not know the town's CA refuses the server.
    let stranger = reqwest::Client::builder()
        .tls_built_in_root_certs(true)
        .build()
        .unwrap();
    assert!(stranger
        .get(format!("https://localhost:{port}/api/version"))
        .send()
        .await
        .is_err());

    // Reissuing keeps the CA: the workstations' copy stays valid.
    let ca_before = std::fs::read(&files.ca_cert).unwrap();
    let again =
        chengguan_server::tls::init_tls(dir.path(), &["localhost".to_string()], &[]).unwrap();
    assert_eq!(std::fs::read(&again.ca_cert).unwrap(), ca_before);
    assert_ne!(again.fingerprint, files.fingerprint);

    // Plain HTTP on a network address: the intake answers, the workstation API refuses.
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0")
        .await
        .expect("bind");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(chengguan_server::serve(app, listener));
    let plain = reqwest::Client::new();
    let (status, answer) = post(
        &plain,
        &format!("http://127.0.0.1:{port}"),
        None,
        "sign_in",
        &json!({"username": "duty", "password": DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("api.tls_required")),
        "{answer}"
    );
    let services = plain
        .get(format!("http://127.0.0.1:{port}/open311/v2/services.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(services.status().as_u16(), 200);
}

/// One call through the real router with the connection facts the server sets (peer address, transport) and
/// extra headers.
async fn through_router(
    router: &axum::Router,
    name: &str,
    peer: &str,
    tls: bool,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, Value) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/{name}"))
        .header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body)).unwrap();
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    req.extensions_mut()
        .insert(chengguan_server::workstation::Transport { secure: true, tls });
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn r13_review_the_api_refuses_before_reading_and_keeps_its_internals() {
    let b = &backends().await[0];
    let (app, _) = demo_with_key(b).await;
    let router = chengguan_server::router(app.clone());
    let lan = "192.168.1.20:50000";
    // The first administrator is made on the server only.
    let (status, answer) = through_router(
        &router,
        "setup_administrator",
        lan,
        true,
        &[],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("api.local_only")),
        "{answer}"
    );
    // A proxy in front of a plain loopback listener would make the network's requests look local.
    let (status, answer) = through_router(
        &router,
        "status_bar",
        "127.0.0.1:50000",
        false,
        &[("x-forwarded-for", "203.0.113.7")],
        Vec::new(),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("api.tls_required")),
        "{answer}"
    );
    // A large body is refused for who sends it before it is read: no session, no reading.
    let big = format!("[{}0]", "0,".repeat(1_500_000)).into_bytes();
    let (status, answer) =
        through_router(&router, "petitions_list", lan, true, &[], big.clone()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (401, Some("auth.sign_in_required")),
        "{answer}"
    );
    // With a session, a body past the call's limit (1 MB but for imports) is refused in words.
    let (_, token) = {
        let (s, _) = app.sign_in("duty", DEMO_PASSWORD).await.unwrap();
        (s.clone(), s.token().to_string())
    };
    let bearer = format!("Bearer {token}");
    let (status, answer) = through_router(
        &router,
        "petitions_list",
        lan,
        true,
        &[("authorization", &bearer)],
        big,
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("超过"),
        "{answer}"
    );
    // Sign-in attempts from one address are slowed (bursts of two a second), before the account's lockout.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, _) = through_router(
            &router,
            "sign_in",
            "192.168.1.30:50000",
            true,
            &[],
            br#"{"username": "leader", "password": "wrong"}"#.to_vec(),
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    // The failures are recorded with the address the server saw (not one the caller could choose).
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.unwrap();
    let failed = app
        .audit_list(
            &admin,
            &chengguan_app::audit::AuditFilter {
                action_prefix: Some("user.sign_in_failed".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        failed.iter().any(|e| e.detail.contains("192.168.1.30")),
        "{failed:?}"
    );
}
