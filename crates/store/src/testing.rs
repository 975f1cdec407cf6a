//! Test databases for the suites of every crate (feature `test-support`): a fresh SQLite file and a fresh
//! PostgreSQL database per test, so that every test runs against both.

use crate::prelude::*;
use crate::{open, AnyStore, DatabaseUrl};
use chengguan_core::town::Town;
use sqlx::Connection;

/// The environment variable naming the PostgreSQL server used by the tests.
pub const PG_ENV: &str = "CHENGGUAN_TEST_PG";

/// One backend under test.
pub struct Backend {
    /// `sqlite` or `postgres`, for assertion messages.
    pub name: &'static str,
    /// Its URL.
    pub url: DatabaseUrl,
    /// Keeps the SQLite file's folder alive.
    pub dir: Option<tempfile::TempDir>,
}

impl Backend {
    /// Opens the store (running migrations).
    pub async fn open(&self) -> AnyStore {
        open(&self.url, audit_key())
            .await
            .unwrap_or_else(|e| panic!("{}: cannot open {}: {e}", self.name, self.url))
    }
}

/// The audit key of every test database (tests that check the key itself make their own).
pub fn audit_key() -> chengguan_core::audit::AuditKey {
    chengguan_core::audit::AuditKey::from_bytes(*b"chengguan test audit key 32 byte")
}

/// The admin URL of the test server; a missing one fails the test rather than skipping PostgreSQL.
pub fn pg_admin_url() -> String {
    std::env::var(PG_ENV).unwrap_or_else(|_| {
        panic!("{PG_ENV} is not set: the store suite must also run against PostgreSQL (run `make test`, or scripts/pg-start.sh and set {PG_ENV}=postgres://chengguan:chengguan@127.0.0.1:5432/chengguan)")
    })
}

/// A fresh, empty SQLite file and a fresh, empty PostgreSQL database.
pub async fn backends() -> Vec<Backend> {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Backend {
        name: "sqlite",
        url: DatabaseUrl::sqlite(dir.path().join("town.db")),
        dir: Some(dir),
    };
    vec![sqlite, fresh_pg().await]
}

/// A fresh PostgreSQL database on the test server.
pub async fn fresh_pg() -> Backend {
    let admin = pg_admin_url();
    let name = format!("cg_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach {PG_ENV}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    conn.close().await.ok();
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("admin URL has a database part");
    Backend {
        name: "postgres",
        url: DatabaseUrl::parse(&format!("{base}/{name}")).expect("url"),
        dir: None,
    }
}

/// Opens the backend and initialises it with a town.
pub async fn initialised(b: &Backend) -> AnyStore {
    let store = b.open().await;
    store
        .init_town(&town())
        .await
        .unwrap_or_else(|e| panic!("{}: init: {e}", b.name));
    store
}

/// Opens the backend, initialises it and loads the demo town.
pub async fn with_demo(b: &Backend) -> AnyStore {
    let store = initialised(b).await;
    store
        .load_town_data(
            &chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED),
            true,
            false,
            &test_audit(),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: load demo: {e}", b.name));
    store
}

/// The town row used by the tests.
pub fn town() -> Town {
    Town {
        id: uuid::Uuid::now_v7(),
        code: "620724100".into(),
        name: "城关镇".into(),
        synthetic: false,
        created_at: chrono::Utc::now(),
    }
}

/// The numbers `chengguan status --json` must show for the demo town (the seed report, MISSION.md).
pub fn seed_numbers() -> serde_json::Value {
    serde_json::json!({
        "communities": 8, "grids": 59, "party_branches": 28, "buildings": 528, "units": 1599, "alliances": 8,
        "organisations": {"member_unit": 263, "owners_committee": 166, "property_company": 22},
        "people_by_role": {"grid_manager": 59, "area_police": 8, "patrol": 90, "building_head": 528, "unit_head": 1599,
            "community_worker": 130, "cadre": 728},
        "service_points": {"governance_center": 9, "mediation_studio": 9, "community_square": 5, "red_committee_site": 17}
    })
}

/// Asserts that every member of `expected` (recursively) has the same value in `actual`.
pub fn assert_includes(actual: &serde_json::Value, expected: &serde_json::Value, context: &str) {
    match expected.as_object() {
        Some(members) => {
            for (key, value) in members {
                assert_includes(&actual[key], value, &format!("{context}.{key}"));
            }
        }
        None => assert_eq!(actual, expected, "{context}"),
    }
}

/// An audit entry for writes made by tests.
pub fn test_audit() -> chengguan_core::audit::AuditDraft {
    chengguan_core::audit::AuditDraft::new("test", "test.write", "-", serde_json::json!({}))
}

impl Backend {
    /// Runs raw SQL as the database owner (e.g. an intruder with direct access tampering with the audit log,
    /// who first has to get past its triggers).
    pub async fn raw_sql(&self, statements: &[&str]) {
        match self.name {
            "sqlite" => {
                let mut conn = sqlx::SqliteConnection::connect(self.url.expose())
                    .await
                    .expect("sqlite");
                for s in statements {
                    sqlx::query(s)
                        .execute(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("{s}: {e}"));
                }
            }
            _ => {
                let mut conn = sqlx::PgConnection::connect(self.url.expose())
                    .await
                    .expect("postgres");
                for s in statements {
                    sqlx::query(s)
                        .execute(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("{s}: {e}"));
                }
            }
        }
    }

    /// Like [`Backend::raw_sql`] for one statement, returning its error instead of failing.
    pub async fn try_sql(&self, statement: &str) -> Result<(), String> {
        let r = match self.name {
            "sqlite" => {
                let mut conn = sqlx::SqliteConnection::connect(self.url.expose())
                    .await
                    .expect("sqlite");
                sqlx::query(statement).execute(&mut conn).await.map(drop)
            }
            _ => {
                let mut conn = sqlx::PgConnection::connect(self.url.expose())
                    .await
                    .expect("postgres");
                sqlx::query(statement).execute(&mut conn).await.map(drop)
            }
        };
        r.map_err(|e| e.to_string())
    }
}
