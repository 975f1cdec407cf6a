//! Issue 11: what a hostile or careless client could do to the intake, on both databases.

use std::sync::Arc;

use axum::http::Method;
use chengguan_app::App;
use chengguan_core::demo::TOWN_CODE;
use chengguan_store::prelude::*;
use chengguan_store::PetitionFilter;

use crate::support::{backends, call, demo_with_key, get, petition_count, post, read};

/// A good post with `extra` fields added (or replacing those of the same name).
fn form<'a>(key: &'a str, extra: &[(&'static str, &'a str)]) -> Vec<(&'static str, &'a str)> {
    let mut f: Vec<(&'static str, &'a str)> = vec![
        ("api_key", key),
        ("jurisdiction_id", TOWN_CODE),
        ("service_code", "sanitation"),
        ("lat", "39.377669566"),
        ("long", "99.817423356"),
        ("coord_system", "gcj02"),
        ("description", "小区门口垃圾桶满溢"),
        ("last_name", "李"),
        ("first_name", "某"),
        ("phone", "13900001111"),
    ];
    for (k, v) in extra {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

/// The number the post answered with.
fn number_of(a: &crate::support::Answer) -> String {
    assert_eq!(a.status, 201, "the post should be accepted: {}", a.body);
    a.json()[0]["service_request_id"]
        .as_str()
        .expect("a number")
        .to_string()
}

/// A submit-only key.
async fn submit_only_key(app: &App) -> String {
    let (admin, _) = app
        .sign_in("admin", chengguan_app::users::DEMO_PASSWORD)
        .await
        .expect("admin");
    app.create_api_key(&admin, "便民热线转办", false)
        .await
        .expect("key")
        .1
}

#[tokio::test]
async fn r11_open311_reads_need_a_key_with_the_read_scope() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let number = number_of(&post(&app, &form(&key, &[])).await);
        let submit = submit_only_key(&app).await;
        for uri in [
            "/open311/v2/requests.json".to_string(),
            "/open311/v2/requests.xml".to_string(),
            format!("/open311/v2/requests/{number}.json"),
            format!("/open311/v2/requests.json?service_request_id={number}"),
        ] {
            let keyless = get(&app, &uri).await;
            assert_eq!(
                keyless.status, 403,
                "{}: {uri} without a key: {}",
                b.name, keyless.body
            );
            assert!(
                !keyless.body.contains(&number),
                "{}: a refused read shows nothing",
                b.name
            );
            let submit_only = read(&app, &submit, &uri).await;
            assert_eq!(
                submit_only.status, 403,
                "{}: {uri} with a submit-only key",
                b.name
            );
            let wrong = read(&app, "cgk_0000", &uri).await;
            assert_eq!(wrong.status, 403, "{}: {uri} with an unknown key", b.name);
            let keyed = read(&app, &key, &uri).await;
            assert_eq!(
                keyed.status, 200,
                "{}: {uri} with a reading key: {}",
                b.name, keyed.body
            );
            assert!(
                keyed.body.contains(&number),
                "{}: {uri} shows the petition",
                b.name
            );
        }
        assert_eq!(
            post(&app, &form(&submit, &[])).await.status,
            201,
            "{}: a submit-only key still submits",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_contact_data_goes_into_the_reporter_fields_never_the_description() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let number = number_of(
            &post(
                &app,
                &form(
                    &key,
                    &[
                        ("email", "li.mou@example.com"),
                        ("device_id", "wx-device-42"),
                    ],
                ),
            )
            .await,
        );
        let n: chengguan_core::petitions::PetitionNumber = number.parse().expect("number");
        let store = b.open().await;
        let p = store
            .petition_by_number(i64::from(n.year), i64::from(n.sequence))
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(
            p.description, "小区门口垃圾桶满溢",
            "{}: the description is the resident's words only",
            b.name
        );
        assert_eq!(p.reporter_email, "li.mou@example.com", "{}", b.name);
        assert_eq!(p.reporter_device, "wx-device-42", "{}", b.name);
        let keyed = read(&app, &key, "/open311/v2/requests.json?extensions=true").await;
        assert!(
            !keyed.body.contains("li.mou")
                && !keyed.body.contains("wx-device")
                && !keyed.body.contains("13900001111"),
            "{}: even a reading key sees no contact data: {}",
            b.name,
            keyed.body
        );
    }
}

#[tokio::test]
async fn r11_public_read_shows_the_public_fields_without_contacts() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let public = Arc::new((*app).clone().with_open311_public_read(true));
        let description =
            "井盖丢失，电话 13812345678，身份证 62072419900101123X，邮箱 zhang@example.com";
        let number = number_of(
            &post(
                &public,
                &form(
                    &key,
                    &[
                        ("description", description),
                        ("email", "li.mou@example.com"),
                        ("address_string", "东关社区3号楼2单元502室"),
                    ],
                ),
            )
            .await,
        );
        for uri in [
            "/open311/v2/requests.json?extensions=true".to_string(),
            "/open311/v2/requests.xml?extensions=true".to_string(),
            format!("/open311/v2/requests/{number}.json"),
            format!("/open311/v2/requests/{number}.xml"),
        ] {
            let a = get(&public, &uri).await;
            assert_eq!(a.status, 200, "{}: {uri}: {}", b.name, a.body);
            assert!(
                a.body.contains(&number),
                "{}: {uri} lists the petition",
                b.name
            );
            for secret in [
                "13812345678",
                "62072419900101123X",
                "zhang@example.com",
                "li.mou",
                "13900001111",
                "502室",
                "李某",
            ] {
                assert!(
                    !a.body.contains(secret),
                    "{}: {uri} publishes {secret}: {}",
                    b.name,
                    a.body
                );
            }
            assert!(
                a.body.contains("[号码已隐去]"),
                "{}: {uri}: the blanks show",
                b.name
            );
        }
        let one = get(&public, &format!("/open311/v2/requests/{number}.json"))
            .await
            .json();
        let lat = one[0]["lat"].as_f64().expect("lat");
        assert!(
            ((lat * 1000.0).round() / 1000.0 - lat).abs() < 1e-12,
            "{}: the point is rounded to 0.001°: {lat}",
            b.name
        );
        let keyed = read(
            &public,
            &key,
            &format!("/open311/v2/requests/{number}.json"),
        )
        .await
        .json();
        assert!(
            keyed[0]["description"]
                .as_str()
                .unwrap_or("")
                .contains("13812345678"),
            "{}: a reading key sees the resident's words as written",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_a_keyless_client_cannot_walk_the_history_by_number() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let public = Arc::new((*app).clone().with_open311_public_read(true));
        let store = b.open().await;
        let old = store
            .petitions(&PetitionFilter {
                received_before: Some(chrono::Utc::now() - chrono::Duration::days(100)),
                limit: 1,
                ..Default::default()
            })
            .await
            .expect("read");
        let old = old
            .first()
            .expect("the demo holds petitions older than 100 days");
        let number = old.number.to_string();
        let keyless = get(&public, &format!("/open311/v2/requests/{number}.json")).await;
        assert_eq!(
            keyless.status, 404,
            "{}: an old petition by number: {}",
            b.name, keyless.body
        );
        let listed = get(
            &public,
            &format!("/open311/v2/requests.json?service_request_id={number}"),
        )
        .await;
        assert_eq!(
            listed.json(),
            serde_json::json!([]),
            "{}: not listed by number either",
            b.name
        );
        let window = get(
            &public,
            "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z",
        )
        .await;
        assert_eq!(
            window.json(),
            serde_json::json!([]),
            "{}: nor by an old window",
            b.name
        );
        let keyed = read(
            &public,
            &key,
            &format!("/open311/v2/requests/{number}.json"),
        )
        .await;
        assert_eq!(
            keyed.status, 200,
            "{}: a reading key sees the history",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_control_characters_nul_and_oversized_fields_are_a_400_naming_the_field() {
    let long_description = "字".repeat(5_001);
    let long_name = "名".repeat(51);
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let before = petition_count(&app).await;
        for (field, value) in [
            ("description", "垃圾\0桶"),
            ("description", "垃圾\u{1}桶"),
            ("description", "\u{1b}[31m红字"),
            ("first_name", "某\0"),
            ("address_string", "东关\u{7}社区"),
            ("email", "a\0@b.cn"),
            ("device_id", "dev\u{0}"),
            ("description", long_description.as_str()),
            ("first_name", long_name.as_str()),
        ] {
            let a = post(&app, &form(&key, &[(field, value)])).await;
            assert_eq!(
                a.status,
                400,
                "{}: {field} = {:?}…: {}",
                b.name,
                value.chars().take(8).collect::<String>(),
                a.body
            );
            assert!(
                a.json()[0]["description"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with(field),
                "{}: the answer names {field}: {}",
                b.name,
                a.body
            );
        }
        assert_eq!(
            petition_count(&app).await,
            before,
            "{}: nothing stored",
            b.name
        );
        let lines = post(&app, &form(&key, &[("description", "第一行\n第二行\t完")])).await;
        assert_eq!(
            lines.status, 201,
            "{}: line breaks and tabs are text: {}",
            b.name, lines.body
        );
    }
}

#[tokio::test]
async fn r11_repeated_status_values_are_one_filter() {
    let statuses = vec!["open"; 11_500].join(",");
    let codes = vec!["sanitation"; 5_000].join(",");
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        number_of(&post(&app, &form(&key, &[])).await);
        for query in [
            format!("status={statuses}"),
            format!("service_code={codes}"),
        ] {
            let a = call(
                &app,
                Method::GET,
                &format!("/open311/v2/requests.json?{query}&api_key={key}"),
                None,
                Vec::new(),
            )
            .await;
            assert_eq!(
                a.status,
                200,
                "{}: {}",
                b.name,
                &a.body[..a.body.len().min(300)]
            );
            assert!(
                !a.json().as_array().expect("a list").is_empty(),
                "{}",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn r11_extreme_dates_are_a_400() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        for query in [
            "start_date=9999-12-31T00:00:00Z",
            "end_date=2201-01-01T00:00:00Z",
            "start_date=1899-12-31T00:00:00Z&end_date=1900-01-02T00:00:00Z",
            "start_date=%2B262142-12-31T00:00:00Z",
        ] {
            let a = read(&app, &key, &format!("/open311/v2/requests.json?{query}")).await;
            assert_eq!(a.status, 400, "{}: {query}: {}", b.name, a.body);
        }
        let future = read(
            &app,
            &key,
            "/open311/v2/requests.json?start_date=2199-01-01T00:00:00Z",
        )
        .await;
        assert_eq!(
            future.status, 200,
            "{}: a future window is empty, not an error: {}",
            b.name, future.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r11_a_bulk_import_and_the_intake_number_side_by_side() {
    const ROWS: usize = 20_000;
    let mut csv = String::from("lon,lat,reported_at,category\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "{:.4},39.3770,2026-11-{:02}T09:00:00+08:00,sanitation\n",
            99.8100 + (i % 97) as f64 * 0.0001,
            1 + i % 28
        ));
    }
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let (admin, _) = app
            .sign_in("admin", chengguan_app::users::DEMO_PASSWORD)
            .await
            .expect("admin");
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let clients: Vec<_> = (0..4)
            .map(|_| {
                let (app, key, done) = (app.clone(), key.clone(), done.clone());
                let name = b.name;
                tokio::spawn(async move {
                    let mut acknowledged = Vec::new();
                    let mut sent = 0;
                    while sent < 10 || !done.load(std::sync::atomic::Ordering::SeqCst) {
                        let a = post(&app, &form(&key, &[])).await;
                        assert_eq!(
                            a.status, 201,
                            "{name}: a post beside the import: {}",
                            a.body
                        );
                        acknowledged.push(number_of(&a));
                        sent += 1;
                    }
                    acknowledged
                })
            })
            .collect();
        let report = app
            .import_petitions(&admin, "hotline.csv", csv.as_bytes(), false)
            .await
            .unwrap_or_else(|e| panic!("{}: the import beside the intake: {e}", b.name));
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(report.imported, ROWS, "{}: the import is complete", b.name);
        let mut acknowledged = Vec::new();
        for c in clients {
            acknowledged.extend(c.await.expect("client"));
        }

        let store = b.open().await;
        let stored = store
            .petitions(&PetitionFilter {
                limit: i64::MAX,
                ..Default::default()
            })
            .await
            .expect("read");
        let mut seqs: Vec<u32> = stored
            .iter()
            .filter(|p| p.number.year == 2026)
            .map(|p| p.number.sequence)
            .collect();
        seqs.sort_unstable();
        let n = seqs.len() as u32;
        assert!(
            seqs.iter().copied().eq(1..=n),
            "{}: the year's numbers are unique and run 1…{n} without a gap",
            b.name
        );
        let numbers: std::collections::HashSet<String> =
            stored.iter().map(|p| p.number.to_string()).collect();
        for a in &acknowledged {
            assert!(
                numbers.contains(a),
                "{}: acknowledged {a} is stored",
                b.name
            );
        }
    }
}
