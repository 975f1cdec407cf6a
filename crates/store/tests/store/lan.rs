//! The LAN deployment: the least-privilege workstation role of `scripts/pg-workstation-role.sql`, and TLS to
//! PostgreSQL (`sslmode=require`, `verify-full` against the test CA that `scripts/pg-start.sh` installs).

use chengguan_core::audit::{verify_chain, AuditDraft};
use chengguan_store::prelude::*;
use chengguan_store::testing::{fresh_pg, Backend};
use chengguan_store::DatabaseUrl;
use sqlx::{Connection, PgConnection};

/// The test CA made by scripts/pg-start.sh.
const TEST_CA: &str = "/var/lib/postgresql/chengguan-tls/ca.crt";

/// The URL of the same database for another user.
fn as_user(b: &Backend, user: &str, password: &str) -> String {
    let url = b.url.expose().to_string();
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (_, host_and_db) = rest.split_once('@').expect("userinfo");
    format!("{scheme}://{user}:{password}@{host_and_db}")
}

/// Runs scripts/pg-workstation-role.sql as psql would, with its two variables.
async fn create_workstation_role(b: &Backend, role: &str, password: &str) {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/pg-workstation-role.sql"
    ))
    .expect("the role script");
    let mut conn = PgConnection::connect(b.url.expose()).await.expect("owner");
    for line in script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
    {
        let sql = line
            .replace(":\"ws_role\"", &format!("\"{role}\""))
            .replace(":'ws_role'", &format!("'{role}'"));
        let sql = sql.replace(":'ws_password'", &format!("'{password}'"));
        if let Some(query) = sql.strip_suffix("\\gexec") {
            let generated: String = sqlx::query_scalar(query.trim())
                .fetch_one(&mut conn)
                .await
                .expect(query);
            sqlx::query(&generated)
                .execute(&mut conn)
                .await
                .expect("generated grant");
        } else {
            sqlx::query(sql.trim_end_matches(';'))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
}

async fn drop_role(b: &Backend, role: &str) {
    let mut conn = PgConnection::connect(b.url.expose()).await.expect("owner");
    sqlx::query(&format!("DROP OWNED BY \"{role}\""))
        .execute(&mut conn)
        .await
        .ok();
    sqlx::query(&format!("DROP ROLE \"{role}\""))
        .execute(&mut conn)
        .await
        .ok();
}

#[tokio::test]
async fn the_workstation_role_works_but_cannot_touch_the_audit_log_or_the_schema() {
    let b = fresh_pg().await;
    let owner = b.open().await; // the owner runs the migrations
    owner
        .append_audit(&AuditDraft::new(
            "admin",
            "test.owner",
            "-",
            serde_json::json!({}),
        ))
        .await
        .expect("append");
    let role = format!("cg_ws_{}", uuid::Uuid::now_v7().simple());
    create_workstation_role(&b, &role, "Ws-pass-2026").await;

    let url = DatabaseUrl::parse(&as_user(&b, &role, "Ws-pass-2026")).expect("url");
    let ws = chengguan_store::open(&url, chengguan_store::testing::audit_key())
        .await
        .expect("the workstation role opens a current database");
    ws.append_audit(&AuditDraft::new(
        "duty",
        "test.ws",
        "-",
        serde_json::json!({}),
    ))
    .await
    .expect("may append");
    let filter = chengguan_store::AuditFilter {
        limit: 10,
        ..Default::default()
    };
    assert_eq!(ws.audit_entries(&filter).await.expect("may read").len(), 2);

    let mut conn = PgConnection::connect(url.expose())
        .await
        .expect("ws connection");
    for forbidden in [
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "DROP TABLE audit_log",
        "DELETE FROM _sqlx_migrations",
        "CREATE TABLE intruder (x int)",
    ] {
        let e = sqlx::query(forbidden)
            .execute(&mut conn)
            .await
            .expect_err(forbidden);
        let message = e.to_string();
        assert!(
            message.contains("permission denied") || message.contains("must be owner"),
            "{forbidden}: {message}"
        );
    }
    let chain = owner.audit_chain().await.expect("chain");
    assert_eq!(
        verify_chain(
            &chengguan_store::testing::audit_key(),
            &chain.entries,
            Some((chain.head.0, &chain.head.1)),
            chain.keyed_from
        ),
        Ok(2)
    );
    drop(conn);
    drop(ws);
    drop_role(&b, &role).await;
}

#[tokio::test]
async fn tls_is_used_with_sslmode_require_and_verified_with_verify_full() {
    let b = fresh_pg().await;
    b.open().await;
    let with = |params: &str| {
        let url = b.url.expose().replace("@127.0.0.1:", "@localhost:");
        format!("{url}?{params}")
    };
    let mut conn = PgConnection::connect(&with("sslmode=require"))
        .await
        .expect("sslmode=require");
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(&mut conn)
        .await
        .expect("pg_stat_ssl");
    assert!(ssl, "the connection is encrypted");

    let verified = DatabaseUrl::parse(&with(&format!("sslmode=verify-full&sslrootcert={TEST_CA}")))
        .expect("url");
    chengguan_store::open(&verified, chengguan_store::testing::audit_key())
        .await
        .expect("verify-full against the town's CA");

    // Another CA does not vouch for the server: refused, with the TLS reason.
    let dir = tempfile::tempdir().expect("dir");
    let other = dir.path().join("other-ca.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-new",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-days",
            "1",
            "-subj",
            "/CN=other CA",
        ])
        .arg("-keyout")
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let wrong = DatabaseUrl::parse(&with(&format!(
        "sslmode=verify-full&sslrootcert={}",
        other.display()
    )))
    .expect("url");
    let refused = chengguan_store::open(&wrong, chengguan_store::testing::audit_key())
        .await
        .expect_err("an unknown CA is refused");
    assert_eq!(refused.code(), "store.connect", "{refused}");
}
