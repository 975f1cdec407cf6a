//! The LAN deployment's database: the shared workstation role of earlier versions retired (no workstation
//! connects to PostgreSQL any more, docs/deployment.md), and TLS from the town server to PostgreSQL
//! (`sslmode=require`, `verify-full` against the test CA that `scripts/pg-start.sh` installs).

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

/// What earlier LAN deployments gave every workstation (their `scripts/pg-workstation-role.sql`): a login role
/// that could read and write the town's data, whose password sat in each workstation's config.toml.
const EARLIER_WORKSTATION_ROLE: [&str; 5] = [
    "CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'",
    "GRANT CONNECT ON DATABASE \"{db}\" TO \"{role}\"",
    "GRANT USAGE ON SCHEMA public TO \"{role}\"",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\"",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \"{role}\"",
];

/// Runs `scripts/pg-retire-workstation-role.sql` as psql would, with its variable.
async fn retire(b: &Backend, role: &str) {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/pg-retire-workstation-role.sql"
    ))
    .expect("the retirement script");
    let mut conn = PgConnection::connect(b.url.expose()).await.expect("owner");
    for line in script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
    {
        let sql = line
            .replace(":\"ws_role\"", &format!("\"{role}\""))
            .replace(":'ws_role'", &format!("'{role}'"));
        if let Some(query) = sql.strip_suffix("\\gexec") {
            let generated: String = sqlx::query_scalar(query.trim())
                .fetch_one(&mut conn)
                .await
                .expect(query);
            sqlx::query(&generated)
                .execute(&mut conn)
                .await
                .expect("generated statement");
        } else {
            sqlx::query(sql.trim_end_matches(';'))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
}

#[tokio::test]
async fn r13_a_role_a_workstation_could_know_is_refused_once_retired() {
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
    let password = "Ws-pass-2026";
    let db = b.url.expose().rsplit('/').next().expect("db").to_string();
    let mut conn = PgConnection::connect(b.url.expose()).await.expect("owner");
    for statement in EARLIER_WORKSTATION_ROLE {
        let sql = statement
            .replace("{role}", &role)
            .replace("{password}", password)
            .replace("{db}", &db);
        sqlx::query(&sql).execute(&mut conn).await.expect("grant");
    }
    drop(conn);
    // Before: anyone with a copy of a workstation's config.toml could read every resident's ID number.
    let url = as_user(&b, &role, password);
    let mut ws = PgConnection::connect(&url)
        .await
        .expect("the earlier role connects");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut ws)
        .await
        .expect("and reads the accounts");
    assert!(n >= 0);
    drop(ws);

    retire(&b, &role).await;
    let refused = PgConnection::connect(&url).await.map(drop);
    let message = refused
        .expect_err("the retired role is refused")
        .to_string();
    assert!(
        message.contains("password authentication failed") || message.contains("does not exist"),
        "{message}"
    );
    // The store says so in words, too.
    let e = chengguan_store::open(
        &DatabaseUrl::parse(&url).expect("url"),
        chengguan_store::testing::audit_key(),
    )
    .await
    .map(drop)
    .expect_err("refused");
    assert!(e.to_string().contains("密码"), "{e}");
    // The chain the owner wrote is intact.
    let chain = owner.audit_chain().await.expect("chain");
    assert_eq!(
        verify_chain(
            &chengguan_store::testing::audit_key(),
            &chain.entries,
            Some((chain.head.0, &chain.head.1)),
            chain.keyed_from
        ),
        Ok(1)
    );
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
