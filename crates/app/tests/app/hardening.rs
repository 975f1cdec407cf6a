//! Issue 11: what a role may not do, and what a careless click must not do, on both databases.

use chengguan_app::audit::AuditQuery;
use chengguan_app::settings::check_connection;
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
    let app = App::open(&url).await.expect("open the other database");
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
