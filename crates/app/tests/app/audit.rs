//! The audit log: append-only, hash-chained, tampering found by `audit verify`; export to xlsx read back with
//! an independent reader (calamine).

use calamine::{Reader, Xlsx};
use chengguan_app::audit::AuditFilter;

use crate::support::{backends, demo, sign_in};

#[tokio::test]
async fn writes_and_sign_ins_are_recorded_and_the_chain_verifies() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let _ = app.sign_in("duty", "wrong").await;
        let v = app.audit_verify(&admin).await.expect("verify");
        assert!(v.intact, "{}: {}", b.name, v.message);
        let all = app
            .audit_list(
                &admin,
                &AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .expect("list");
        let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
        for want in [
            "town.demo_load",
            "user.add_demo",
            "user.sign_in",
            "user.sign_in_failed",
        ] {
            assert!(
                actions.contains(&want),
                "{}: {want} missing from {actions:?}",
                b.name
            );
        }
        // Sequence numbers are contiguous, newest first.
        let seqs: Vec<i64> = all.iter().map(|e| e.seq).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] == w[1] + 1),
            "{}: {seqs:?}",
            b.name
        );
    }
}

#[tokio::test]
async fn the_application_cannot_change_the_log_and_tampering_is_detected() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let _ = app.sign_in("leader", "wrong").await;
        // The triggers refuse updates and deletes.
        let refused = b
            .try_sql("UPDATE audit_log SET actor = 'x' WHERE seq = 3")
            .await;
        assert!(refused.unwrap_err().contains("append-only"), "{}", b.name);
        assert!(
            b.try_sql("DELETE FROM audit_log WHERE seq = 3")
                .await
                .is_err(),
            "{}",
            b.name
        );
        // An intruder with owner rights gets past them and edits row 3.
        let (off, on) = match b.name {
            "sqlite" => (
                vec!["DROP TRIGGER audit_log_no_update"],
                vec!["CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"],
            ),
            _ => (
                vec!["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"],
                vec!["ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change"],
            ),
        };
        b.raw_sql(&off).await;
        b.raw_sql(&["UPDATE audit_log SET actor = 'someone_else' WHERE seq = 3"])
            .await;
        b.raw_sql(&on).await;
        let v = app.audit_verify(&admin).await.expect("verify");
        assert!(!v.intact, "{}: tampering must be found", b.name);
        assert_eq!(v.broken_at, Some(3), "{}: {}", b.name, v.message);
        assert!(v.message.contains("第 3 条"), "{}: {}", b.name, v.message);
    }
}

#[tokio::test]
async fn a_deleted_last_row_is_detected_by_the_head() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let (off, on) = match b.name {
            "sqlite" => (
                "DROP TRIGGER audit_log_no_delete",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            ),
            _ => (
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
                "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change",
            ),
        };
        b.raw_sql(&[
            off,
            "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
            on,
        ])
        .await;
        let v = app.audit_verify(&admin).await.expect("verify");
        assert!(!v.intact, "{}: {}", b.name, v.message);
    }
}

#[tokio::test]
async fn the_export_opens_in_a_spreadsheet_reader_with_every_row() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let filter = AuditFilter {
            limit: 1_000,
            ..Default::default()
        };
        let listed = app.audit_list(&admin, &filter).await.expect("list");
        let bytes = app.audit_export(&admin, &filter).await.expect("export");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
        let sheet = book
            .worksheet_range("审计日志")
            .expect("sheet named 审计日志");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows[0][0].to_string(), "序号", "{}", b.name);
        assert_eq!(
            rows.len(),
            listed.len() + 1,
            "{}: a header and every entry",
            b.name
        );
        assert_eq!(
            rows[1][0].to_string(),
            listed[0].seq.to_string(),
            "{}",
            b.name
        );
        assert_eq!(rows[1][2].to_string(), listed[0].actor, "{}", b.name);
        // The export itself is recorded.
        let last = app
            .audit_list(
                &admin,
                &AuditFilter {
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .expect("list");
        assert_eq!(last[0].action, "audit.export", "{}", b.name);
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..3 {
                    let _ = app.sign_in("leader", "wrong-but-not-locking").await;
                    let _ = app
                        .sign_in("secretary", chengguan_app::users::DEMO_PASSWORD)
                        .await;
                }
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        let v = app.audit_verify(&admin).await.expect("verify");
        assert!(v.intact, "{}: {}", b.name, v.message);
    }
}
