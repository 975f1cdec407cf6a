use chengguan_store::{open, DatabaseUrl, StoreError};
use sqlx::Connection;

use crate::support::{backends, pg_admin_url};

fn reason(result: Result<chengguan_store::AnyStore, StoreError>) -> String {
    match result {
        Err(StoreError::Connect { reason, .. }) => reason,
        Err(other) => panic!("expected a connection error, got {other:?}"),
        Ok(_) => panic!("expected a connection error, got a store"),
    }
}

#[tokio::test]
async fn connection_failures_say_why() {
    let admin = pg_admin_url();
    let (base, _) = admin.rsplit_once('/').expect("db part");
    let wrong_password = base.replacen(":chengguan@", ":wrong@", 1);
    let r = reason(
        open(
            &DatabaseUrl::parse(&format!("{wrong_password}/chengguan")).expect("url"),
            chengguan_store::testing::audit_key(),
        )
        .await,
    );
    assert!(r.contains("密码"), "a bad password is named as such: {r}");
    let r = reason(
        open(
            &DatabaseUrl::parse(&format!("{base}/no_such_db_cg")).expect("url"),
            chengguan_store::testing::audit_key(),
        )
        .await,
    );
    assert!(
        r.contains("数据库不存在"),
        "a missing database is named as such: {r}"
    );
    let r = reason(
        open(
            &DatabaseUrl::parse("postgres://cg:x@127.0.0.1:1/cg").expect("url"),
            chengguan_store::testing::audit_key(),
        )
        .await,
    );
    assert!(
        r.contains("不可达") || r.contains("拒绝"),
        "an unreachable host is named as such: {r}"
    );
}

#[tokio::test]
async fn a_database_from_a_newer_program_is_refused() {
    for b in backends().await {
        drop(b.open().await);
        let future = 99_991_231_000_000_i64;
        let insert = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                      VALUES ($1, 'from the future', TRUE, $2, 0)";
        match b.name {
            "sqlite" => {
                let mut c = sqlx::SqliteConnection::connect(b.url.expose())
                    .await
                    .expect("connect");
                sqlx::query(insert)
                    .bind(future)
                    .bind(vec![0u8; 48])
                    .execute(&mut c)
                    .await
                    .expect("insert");
            }
            _ => {
                let mut c = sqlx::PgConnection::connect(b.url.expose())
                    .await
                    .expect("connect");
                sqlx::query(insert)
                    .bind(future)
                    .bind(vec![0u8; 48])
                    .execute(&mut c)
                    .await
                    .expect("insert");
            }
        }
        match open(&b.url, chengguan_store::testing::audit_key()).await {
            Err(StoreError::SchemaTooNew { found, .. }) => assert_eq!(found, future, "{}", b.name),
            Err(other) => panic!("{}: expected SchemaTooNew, got {other:?}", b.name),
            Ok(s) => panic!(
                "{}: a newer schema must be refused, opened at {:?}",
                b.name,
                s.schema_version().await
            ),
        }
    }
}

#[tokio::test]
async fn r11_acknowledged_means_synced() {
    let dir = tempfile::tempdir().expect("dir");
    let url = chengguan_store::DatabaseUrl::sqlite(dir.path().join("town.db"));
    let store = chengguan_store::open(&url, chengguan_store::testing::audit_key())
        .await
        .expect("open");
    let chengguan_store::Pool::Sqlite(pool) = store.pool() else {
        panic!("a SQLite URL opens SQLite")
    };
    // Every pooled connection, not just the first one handed out.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(pool.acquire().await.expect("connection"));
    }
    for conn in held.iter_mut() {
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut **conn)
            .await
            .expect("pragma");
        assert_eq!(
            level, 2,
            "synchronous = FULL (2) on every connection: a commit is on disk when it returns"
        );
    }
}
