//! Issue 11: what a role may not do, and what a careless click must not do, on both databases.

use chengguan_app::audit::AuditQuery;
use chengguan_app::config::settings::check_connection;
use chengguan_app::App;
use chengguan_store::testing::{fresh_pg, Backend};
use chengguan_store::DatabaseUrl;

use crate::support::{backends, demo, sign_in};

/// Another database of the same kind as `b`, with the demo town.
async fn other_like(b: &Backend, dir: &std::path::Path) -> (App, DatabaseUrl) {
    let url = match b.name {
        "sqlite" => DatabaseUrl::sqlite(dir.join("other.db")),
        _ => fresh_pg().await.url,
    };
    let app = App::open(&url, chengguan_store::testing::audit_key())
        .await
        .expect("open the other database");
    app.load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .expect("demo");
    (app, url)
}

/// The actions of the audit entries starting with `prefix`, as the administrator reads them.
async fn audited(app: &App, prefix: &str) -> Vec<(String, String)> {
    let admin = sign_in(app, "admin").await;
    let filter = AuditQuery {
        action: Some(prefix.into()),
        ..Default::default()
    }
    .to_filter(100)
    .expect("filter");
    app.audit_list(&admin, &filter)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.actor, r.action))
        .collect()
}

#[tokio::test]
async fn r11_switching_the_database_needs_the_administrator_and_is_audited_on_both() {
    for b in backends().await {
        let app = demo(&b).await;
        let dir = tempfile::tempdir().expect("dir");
        let (other, other_url) = other_like(&b, dir.path()).await;
        let settings = dir.path().join("config.toml");
        for user in ["duty", "leader", "secretary", "grid0101"] {
            let session = sign_in(&app, user).await;
            let e = app
                .switch_database(&session, other_url.expose(), &settings)
                .await
                .map(drop)
                .expect_err("refused");
            assert_eq!(e.code(), "auth.forbidden", "{}: {user}", b.name);
            let t = app
                .test_database(&session, other_url.expose())
                .await
                .expect_err("refused");
            assert_eq!(
                t.code(),
                "auth.forbidden",
                "{}: {user} may not test either",
                b.name
            );
        }
        assert!(
            !settings.exists(),
            "{}: nothing saved for a refused switch",
            b.name
        );
        let admin = sign_in(&app, "admin").await;
        let (switched, status) = app
            .switch_database(&admin, other_url.expose(), &settings)
            .await
            .expect("the administrator switches");
        assert_eq!(switched.url(), &other_url, "{}", b.name);
        assert!(status.synthetic, "{}: the other demo town", b.name);
        let saved = std::fs::read_to_string(&settings).expect("settings saved");
        assert!(saved.contains("[database]"), "{}: {saved}", b.name);
        assert_eq!(
            audited(&app, "database.").await,
            [("admin".to_string(), "database.switch_out".to_string())],
            "{}: audited in the old database",
            b.name
        );
        assert_eq!(
            audited(&other, "database.").await,
            [("admin".to_string(), "database.switch_in".to_string())],
            "{}: audited in the new database",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_the_connection_test_creates_and_migrates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("no-such-folder").join("town.db");
    let check = check_connection(&format!("sqlite://{}", missing.display())).await;
    assert!(!check.ok, "a missing file cannot be used: {check:?}");
    assert_eq!(check.code.as_deref(), Some("store.connect"), "{check:?}");
    assert!(
        !dir.path().join("no-such-folder").exists(),
        "testing a path creates neither the file nor its folder"
    );

    let empty = fresh_pg().await;
    let check = check_connection(empty.url.expose()).await;
    assert!(check.ok, "an empty server answers: {check:?}");
    assert!(check.message.contains("尚无城镇数据"), "{check:?}");
    let store = sqlx::PgPool::connect(empty.url.expose())
        .await
        .expect("connect");
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&store)
    .await
    .expect("count");
    assert_eq!(
        tables, 0,
        "the test created or migrated nothing on the server"
    );

    for b in backends().await {
        demo(&b).await;
        let check = check_connection(b.url.expose()).await;
        assert!(
            check.ok && check.message.contains("连接成功"),
            "{}: {check:?}",
            b.name
        );
    }
}

/// The rows of an exported workbook's first sheet.
fn rows_of(bytes: Vec<u8>) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("诉求").expect("sheet");
    sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn r11_exporting_reporters_in_clear_needs_the_reveal_permission_and_a_reason() {
    use chengguan_app::petitions::PetitionQuery;
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let mut call = crate::petitions::call_in(&app, "CG-03-07").await;
        call.description = "楼道堆放杂物，请回电 13900002222".into();
        let mine = app.create_petition(&duty, &call).await.expect("registered");
        let query = PetitionQuery {
            grid_code: Some("CG-03-07".into()),
            ..Default::default()
        };
        let row_of = |rows: &[Vec<String>]| {
            rows.iter()
                .find(|r| r[0] == mine.number)
                .cloned()
                .expect("the new petition is exported")
        };

        let leader = sign_in(&app, "leader").await;
        let masked = row_of(&rows_of(
            app.export_petitions(&leader, &query, None)
                .await
                .expect("a leader exports masked"),
        ));
        assert_eq!(masked[7], "王*", "{}: the name is masked", b.name);
        assert_eq!(masked[8], "138******78", "{}: the phone is masked", b.name);
        assert!(
            !masked[6].contains("13900002222"),
            "{}: numbers in the description are blanked: {}",
            b.name,
            masked[6]
        );
        let refused = app
            .export_petitions(&leader, &query, Some("领导要看"))
            .await
            .expect_err("a leader may not export in clear");
        assert_eq!(refused.code(), "auth.forbidden", "{}", b.name);
        let no_reason = app
            .export_petitions(&duty, &query, Some("x"))
            .await
            .expect_err("a one-character reason");
        assert_eq!(no_reason.code(), "input.invalid", "{}", b.name);

        let clear = row_of(&rows_of(
            app.export_petitions(&duty, &query, Some("移交县信访局核查"))
                .await
                .expect("the duty officer exports in clear"),
        ));
        assert_eq!(clear[7], "王某", "{}", b.name);
        assert_eq!(clear[8], "13812345678", "{}", b.name);
        assert!(clear[6].contains("13900002222"), "{}", b.name);

        let admin = sign_in(&app, "admin").await;
        let filter = AuditQuery {
            action: Some("petition.export".into()),
            ..Default::default()
        }
        .to_filter(10)
        .expect("filter");
        let entries = app.audit_list(&admin, &filter).await.expect("audit");
        assert_eq!(
            entries.len(),
            2,
            "{}: two exports made, two recorded",
            b.name
        );
        let clear_entry = &entries[0];
        assert_eq!(clear_entry.actor, "duty", "{}", b.name);
        assert_eq!(
            clear_entry.reason.as_deref(),
            Some("移交县信访局核查"),
            "{}",
            b.name
        );
        let detail: serde_json::Value = serde_json::from_str(&clear_entry.detail).expect("json");
        assert_eq!(detail["in_clear"], true, "{}", b.name);
        assert_eq!(
            detail["query"]["grid_code"], "CG-03-07",
            "{}: every filter recorded",
            b.name
        );
        let masked_entry: serde_json::Value =
            serde_json::from_str(&entries[1].detail).expect("json");
        assert_eq!(masked_entry["in_clear"], false, "{}", b.name);
    }
}

#[tokio::test]
async fn r11_hostile_spreadsheets_and_oversized_files_are_refused_before_reading() {
    let sparse = {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "编号").expect("A1");
        sheet.write(1_048_575, 16_383, "x").expect("XFD1048576");
        book.save_to_buffer().expect("xlsx")
    };
    let mut tall = String::from("description\n");
    for i in 0..200_001 {
        tall.push_str(&format!("{i}\n"));
    }
    let wide = (0..101)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    let huge = vec![b' '; 100 * 1024 * 1024 + 1];
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        for (name, bytes, says) in [
            ("sparse.xlsx", sparse.as_slice(), "超出导入上限"),
            ("tall.csv", tall.as_bytes(), "超出导入上限"),
            ("wide.csv", wide.as_bytes(), "超出导入上限"),
            ("huge.csv", huge.as_slice(), "超过导入上限"),
        ] {
            let e = app
                .import_petitions(&admin, name, bytes, true)
                .await
                .expect_err("refused");
            assert_eq!(e.code(), "input.invalid", "{}: {name}: {e}", b.name);
            assert!(e.to_string().contains(says), "{}: {name}: {e}", b.name);
        }
    }
}

#[test]
fn r11_an_import_file_that_is_not_a_regular_file_is_refused_unread() {
    let e = chengguan_app::files::read_import(std::path::Path::new("/dev/zero"))
        .expect_err("a device never ends");
    assert!(e.to_string().contains("不是普通文件"), "{e}");
    let dir = tempfile::tempdir().expect("dir");
    let big = dir.path().join("big.csv");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(101 * 1024 * 1024)
        .expect("a sparse 101 MB file");
    let e = chengguan_app::files::read_import(&big).expect_err("too big");
    assert!(e.to_string().contains("超过导入上限"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r11_concurrent_registrations_are_committed_together_each_numbered_and_audited() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let call = crate::petitions::call_in(&app, "CG-03-07").await;
        let admin = sign_in(&app, "admin").await;
        let creates = AuditQuery {
            action: Some("petition.create".into()),
            ..Default::default()
        }
        .to_filter(10_000)
        .expect("filter");
        let audited_before = app.audit_list(&admin, &creates).await.expect("audit").len();
        let tasks: Vec<_> = (0..300)
            .map(|i| {
                let (app, duty, mut call) = (app.clone(), duty.clone(), call.clone());
                call.description = format!("并发登记 {i}");
                tokio::spawn(async move { app.create_petition(&duty, &call).await })
            })
            .collect();
        let mut numbers = std::collections::HashSet::new();
        for t in tasks {
            let p = t.await.expect("task").expect("registered");
            assert!(
                numbers.insert(p.number.clone()),
                "{}: {} given twice",
                b.name,
                p.number
            );
        }
        for n in &numbers {
            let found = app.find_petition(&duty, n).await.expect("stored");
            assert!(found.description.starts_with("并发登记"), "{}: {n}", b.name);
        }
        let audited = app.audit_list(&admin, &creates).await.expect("audit");
        assert_eq!(
            audited.len(),
            audited_before + 300,
            "{}: one audit entry each",
            b.name
        );
        for n in &numbers {
            assert!(
                audited.iter().any(|e| e.target == format!("petition:{n}")),
                "{}: the audit entry names {n}",
                b.name
            );
        }
        let verified = app.audit_verify(&admin, None).await.expect("verify");
        assert!(
            verified.intact,
            "{}: the chain is intact: {}",
            b.name, verified.message
        );
    }
}

#[tokio::test]
async fn r11_the_demo_is_loaded_by_itself_only_into_the_new_default_file() {
    use chengguan_app::config::Config;
    let dir = tempfile::tempdir().expect("dir");
    let default_file = dir.path().join("data").join("chengguan.db");
    let config = |url: DatabaseUrl| Config {
        database: url,
        idle_minutes: 30,
        open311_public_read: false,
        audit_key_file: dir.path().join("audit.key"),
        server: None,
    };

    let fresh = App::open_workstation_with(
        &config(DatabaseUrl::sqlite(&default_file)),
        Some(&default_file),
    )
    .await
    .expect("the new default file");
    assert!(
        fresh.has_town_data().await.expect("town"),
        "the new default file gets the demo"
    );
    let (_, who) = fresh
        .sign_in("leader", chengguan_app::users::DEMO_PASSWORD)
        .await
        .expect("demo account");
    assert!(
        !who.must_change_password,
        "a synthetic town's demo accounts are for trying out"
    );

    let chosen = dir.path().join("chosen.db");
    let other =
        App::open_workstation_with(&config(DatabaseUrl::sqlite(&chosen)), Some(&default_file))
            .await
            .expect("a chosen file");
    assert!(
        !other.has_town_data().await.expect("town"),
        "a chosen file gets no demo"
    );
    assert!(
        other.needs_administrator().await.expect("users"),
        "and no accounts"
    );

    // A LAN database right after `chengguan init`: a town, no grids, no accounts.
    let lan = fresh_pg().await;
    App::open(&lan.url, chengguan_store::testing::audit_key())
        .await
        .expect("open")
        .init(&Default::default())
        .await
        .expect("init");
    let opened = App::open_workstation_with(&config(lan.url.clone()), Some(&default_file))
        .await
        .expect("the LAN database");
    assert!(
        opened.needs_administrator().await.expect("users"),
        "no demo accounts on the LAN database"
    );

    // An explicit demo over a real (not synthetic) town: its accounts must change the public password.
    opened
        .load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .expect("chengguan demo");
    let (_, who) = opened
        .sign_in("leader", chengguan_app::users::DEMO_PASSWORD)
        .await
        .expect("demo account");
    assert!(
        who.must_change_password,
        "demo accounts in a real town must change the public password"
    );
}

/// Metres between two WGS-84 points (haversine on the mean radius: an independent check of the flat frame).
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let (dla, dlo) = (la2 - la1, (b[0] - a[0]).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

#[tokio::test]
async fn analysis_measures_a_real_town_where_it_is() {
    // A town far south of the demo's (23° N instead of 39° N): four square grids of about 1 km.
    let (x0, y0, d) = (113.26, 23.13, 0.01);
    let square = |i: usize| {
        let (x, y) = (x0 + (i % 2) as f64 * d, y0 + (i / 2) as f64 * d);
        format!(
            r#"{{"type":"Feature","properties":{{"code":"G-{i}","name":"网格{i}","community":"南方社区"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
            x + d,
            x + d,
            y + d,
            y + d
        )
    };
    let geojson = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        (0..4).map(square).collect::<Vec<_>>().join(",")
    );
    let mut csv = String::from("lon,lat,reported_at,category\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "{:.5},{:.5},2026-11-{:02}T09:00:00+08:00,sanitation\n",
            x0 + 0.002 + (i % 8) as f64 * 0.002,
            y0 + 0.002 + (i / 8) as f64 * 0.003,
            1 + i % 28
        ));
    }
    for b in backends().await {
        let app = crate::support::initialised(&b).await;
        app.setup_administrator("chief", "主任", "Strong#Pass2026")
            .await
            .expect("administrator");
        let (admin, _) = app
            .sign_in("chief", "Strong#Pass2026")
            .await
            .expect("sign in");
        app.import_grids(&admin, &geojson, &Default::default())
            .await
            .expect("the town's grids");
        app.import_petitions(&admin, "points.csv", csv.as_bytes(), false)
            .await
            .expect("petitions");
        let layer = app
            .hotspot_layer(&admin, &Default::default(), "hex:200")
            .await
            .expect("hot spots on 200 m hexagons");
        let outline = layer
            .cells
            .iter()
            .find_map(|c| c.outline.clone())
            .expect("a hexagon");
        // A hexagon of 200 m spacing has sides of 200/√3 ≈ 115.5 m whatever the latitude, every one of them.
        for (i, pair) in outline.windows(2).enumerate() {
            let side = metres(pair[0], pair[1]);
            assert!(
                (side - 200.0 / 3f64.sqrt()).abs() < 2.0,
                "{}: side {i} of a hexagon is {side:.1} m on the ground",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn r11_the_desk_refuses_control_characters_and_oversized_text_naming_the_field() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let call = crate::petitions::call_in(&app, "CG-03-07").await;
        let long_name = "名".repeat(51);
        let long_text = "字".repeat(5_001);
        for (field, new) in [
            (
                "诉求内容",
                chengguan_app::petitions::NewPetition {
                    description: "垃圾\0桶".into(),
                    ..call.clone()
                },
            ),
            (
                "诉求内容",
                chengguan_app::petitions::NewPetition {
                    description: long_text.clone(),
                    ..call.clone()
                },
            ),
            (
                "反映人",
                chengguan_app::petitions::NewPetition {
                    reporter_name: long_name.clone(),
                    ..call.clone()
                },
            ),
            (
                "地址",
                chengguan_app::petitions::NewPetition {
                    address: "东关\u{1b}社区".into(),
                    ..call.clone()
                },
            ),
        ] {
            let e = app.create_petition(&duty, &new).await.expect_err("refused");
            assert_eq!(e.code(), "input.invalid", "{}: {field}: {e}", b.name);
            assert!(
                e.to_string().starts_with(field),
                "{}: the message names {field}: {e}",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn r11_the_new_use_cases_refuse_a_nul_byte_with_words() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let e = app
            .export_petitions(&duty, &Default::default(), Some("核查\0理由"))
            .await
            .expect_err("a NUL in the reason");
        assert_eq!(e.code(), "input.invalid", "{}: {e}", b.name);
        let admin = sign_in(&app, "admin").await;
        let dir = tempfile::tempdir().expect("dir");
        let e = app
            .switch_database(
                &admin,
                "sqlite:///tmp/town\0.db",
                &dir.path().join("config.toml"),
            )
            .await
            .map(drop)
            .expect_err("a NUL in the database path");
        assert!(!e.to_string().is_empty(), "{}: said in words", b.name);
        assert!(
            !dir.path().join("config.toml").exists(),
            "{}: nothing saved",
            b.name
        );
        let check = app
            .test_database(&admin, "sqlite:///tmp/town\0.db")
            .await
            .expect("the administrator may test");
        assert!(!check.ok, "{}: {check:?}", b.name);
    }
}
