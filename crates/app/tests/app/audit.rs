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
        let v = app.audit_verify(&admin, None).await.expect("verify");
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
        let v = app.audit_verify(&admin, None).await.expect("verify");
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
        let v = app.audit_verify(&admin, None).await.expect("verify");
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
        let v = app.audit_verify(&admin, None).await.expect("verify");
        assert!(v.intact, "{}: {}", b.name, v.message);
    }
}

/// The statements that let an intruder with owner rights update the log, and put its guard back.
fn update_guard(b: &crate::support::Backend) -> (Vec<&'static str>, Vec<&'static str>) {
    match b.name {
        "sqlite" => (
            vec!["DROP TRIGGER audit_log_no_update"],
            vec!["CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"],
        ),
        _ => (
            vec!["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"],
            vec!["ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change"],
        ),
    }
}

/// Rewrites every entry's hashes as `hash(prev, entry)` computes them, after changing entry 1's actor to
/// `first_actor` (what someone with owner rights, and for a keyed hash the key, could do).
async fn rechain(
    b: &crate::support::Backend,
    first_actor: &str,
    hash: impl Fn(&str, &chengguan_core::audit::AuditEntry) -> String,
) {
    use chengguan_store::prelude::*;
    let chain = b.open().await.audit_chain().await.expect("chain");
    let mut prev = chengguan_core::audit::GENESIS.to_string();
    let mut statements = Vec::new();
    for mut e in chain.entries {
        if e.seq == 1 {
            e.draft.actor = first_actor.into();
        }
        let h = hash(&prev, &e);
        statements.push(format!(
            "UPDATE audit_log SET actor = '{}', prev_hash = '{prev}', hash = '{h}' WHERE seq = {}",
            e.draft.actor, e.seq
        ));
        prev = h;
    }
    statements.push(format!(
        "UPDATE audit_head SET hash = '{prev}' WHERE id = 1"
    ));
    let (off, on) = update_guard(b);
    b.raw_sql(&off).await;
    b.raw_sql(&statements.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    b.raw_sql(&on).await;
}

#[tokio::test]
async fn r13_an_entry_written_in_the_database_without_the_key_fails_verification() {
    use chengguan_core::audit::{entry_hash, unkeyed_entry_hash, AuditDraft};
    use chengguan_store::prelude::*;
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let chain = b.open().await.audit_chain().await.expect("chain");
        let last = chain.entries.last().expect("entries").clone();
        let seq = last.seq + 1;
        // Someone with the database's password but not the key makes themselves an administrator's entry,
        // hashed exactly as the chain was hashed before it was keyed, and moves the head on.
        let forged = AuditDraft::new(
            "intruder",
            "user.add",
            "user:intruder",
            serde_json::json!({}),
        );
        let forge = |hash: &str| {
            vec![
                format!(
                    "INSERT INTO audit_log (seq, at, actor, action, target, reason, detail, prev_hash, hash) \
                     SELECT {seq}, at, 'intruder', 'user.add', 'user:intruder', NULL, '{{}}', hash, '{hash}' \
                     FROM audit_log WHERE seq = {}",
                    last.seq
                ),
                format!("UPDATE audit_head SET seq = {seq}, hash = '{hash}' WHERE id = 1"),
            ]
        };
        let plain = unkeyed_entry_hash(&last.hash, seq, last.at, &forged);
        let statements = forge(&plain);
        b.raw_sql(&statements.iter().map(String::as_str).collect::<Vec<_>>())
            .await;
        let v = app.audit_verify(&admin, None).await.expect("verify");
        assert!(
            !v.intact,
            "{}: a row hashed without the key is found",
            b.name
        );
        assert_eq!(v.broken_at, Some(seq), "{}: {}", b.name, v.message);
        assert!(v.message.contains("无密钥"), "{}: {}", b.name, v.message);

        // The same row hashed with the key would have passed: what stops the intruder is the key alone.
        let keyed = entry_hash(
            &chengguan_store::testing::audit_key(),
            &last.hash,
            seq,
            last.at,
            &forged,
        );
        let (off, on) = update_guard(&b);
        b.raw_sql(&off).await;
        b.raw_sql(&[
            format!("UPDATE audit_log SET hash = '{keyed}' WHERE seq = {seq}").as_str(),
            format!("UPDATE audit_head SET hash = '{keyed}' WHERE id = 1").as_str(),
        ])
        .await;
        b.raw_sql(&on).await;
        // (The verification above appended its own entry after the forged one; it now links to a changed
        // hash, which is where the chain breaks.)
        let v = app.audit_verify(&admin, None).await.expect("verify");
        assert_eq!(v.broken_at, Some(seq + 1), "{}: {}", b.name, v.message);
    }
}

#[tokio::test]
async fn r13_an_anchor_kept_on_paper_catches_a_rewrite_even_by_the_key_holder() {
    use chengguan_core::audit::entry_hash;
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let anchor = app.audit_anchor(&admin).await.expect("anchor");
        let text = anchor.to_string();
        assert!(text.starts_with(&format!("{}:", anchor.seq)), "{text}");
        let v = app
            .audit_verify(&admin, Some(&anchor))
            .await
            .expect("verify");
        assert!(v.intact, "{}: {}", b.name, v.message);
        assert!(v.message.contains("锚点"), "{}", v.message);

        // An anchor past the end: the log was cut short.
        let ahead: chengguan_app::Anchor = format!("{}:{}", anchor.seq + 1_000, anchor.hash)
            .parse()
            .expect("anchor");
        let v = app
            .audit_verify(&admin, Some(&ahead))
            .await
            .expect("verify");
        assert!(
            !v.intact && v.message.contains("截短"),
            "{}: {}",
            b.name,
            v.message
        );

        // Whoever holds the key rewrites the first entry and re-signs everything after it: the chain verifies
        // again, but not against the anchor.
        let key = chengguan_store::testing::audit_key();
        rechain(&b, "rewritten", |prev, e| {
            entry_hash(&key, prev, e.seq, e.at, &e.draft)
        })
        .await;
        let v = app.audit_verify(&admin, None).await.expect("verify");
        assert!(
            v.intact,
            "{}: the key holder's rewrite verifies: {}",
            b.name, v.message
        );
        let v = app
            .audit_verify(&admin, Some(&anchor))
            .await
            .expect("verify");
        assert!(!v.intact, "{}: but not against the anchor", b.name);
        assert_eq!(v.broken_at, Some(anchor.seq), "{}: {}", b.name, v.message);
    }
}

#[tokio::test]
async fn r13_a_log_from_before_the_key_is_sealed_only_by_the_administrator_or_a_new_key() {
    use chengguan_core::audit::{unkeyed_entry_hash, KEYED_ACTION};
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let before = app
            .audit_list(
                &admin,
                &AuditFilter {
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .expect("list")[0]
            .seq;
        drop(app);
        // The log as the program kept it before keying: plain SHA-256, no keyed start. (The same thing is what
        // someone with the database's password but not the key would write, to have a forged log sealed.)
        rechain(&b, "admin", |prev, e| {
            unkeyed_entry_hash(prev, e.seq, e.at, &e.draft)
        })
        .await;
        b.raw_sql(&["UPDATE audit_head SET keyed_from = NULL WHERE id = 1"])
            .await;
        // Opening it again with the key it already had seals nothing: verify reports it.
        let reopened = crate::support::app(&b).await;
        let admin = sign_in(&reopened, "admin").await;
        let v = reopened.audit_verify(&admin, None).await.expect("verify");
        assert!(!v.intact, "{}: an unsealed plain log is reported", b.name);
        assert!(
            v.message.contains("chengguan audit seal"),
            "{}: {}",
            b.name,
            v.message
        );
        // A duty officer may not seal; the administrator may, once.
        let duty = sign_in(&reopened, "duty").await;
        assert_eq!(
            reopened.audit_seal(&duty).await.unwrap_err().code(),
            "auth.forbidden"
        );
        let sealed = reopened.audit_seal(&admin).await.expect("seal");
        // The plain entries are those from before keying; the sign-ins since were keyed already.
        assert_eq!(sealed, Some(before), "{}", b.name);
        assert_eq!(
            reopened.audit_seal(&admin).await.expect("again"),
            None,
            "{}",
            b.name
        );
        let all = reopened
            .audit_list(
                &admin,
                &AuditFilter {
                    limit: 5_000,
                    ..Default::default()
                },
            )
            .await
            .expect("list");
        let seals: Vec<_> = all.iter().filter(|e| e.action == KEYED_ACTION).collect();
        assert_eq!(seals.len(), 1, "{}: sealed once", b.name);
        assert_eq!(seals[0].actor, "admin", "{}", b.name);
        let v = reopened.audit_verify(&admin, None).await.expect("verify");
        assert!(
            v.intact,
            "{}: the plain part and the keyed part verify: {}",
            b.name, v.message
        );

        // After the seal, rewriting a plain entry (with its plain hash) breaks the first keyed entry's link.
        rechain(&b, "someone_else", |prev, e| {
            if e.seq <= before {
                unkeyed_entry_hash(prev, e.seq, e.at, &e.draft)
            } else {
                e.hash.clone()
            }
        })
        .await;
        let v = reopened.audit_verify(&admin, None).await.expect("verify");
        assert_eq!(v.broken_at, Some(before + 1), "{}: {}", b.name, v.message);
        // Moving the keyed start past the end is caught too.
        b.raw_sql(&["UPDATE audit_head SET keyed_from = 1000000 WHERE id = 1"])
            .await;
        let v = reopened.audit_verify(&admin, None).await.expect("verify");
        assert!(!v.intact, "{}: {}", b.name, v.message);

        // The database opened with another machine's key (a copied file) does not verify.
        let elsewhere =
            chengguan_app::App::open(&b.url, chengguan_app::AuditKey::from_bytes([9; 32]))
                .await
                .expect("open with another key");
        let admin = sign_in(&elsewhere, "admin").await;
        let v = elsewhere.audit_verify(&admin, None).await.expect("verify");
        assert!(!v.intact, "{}: another key", b.name);
    }
}

#[tokio::test]
async fn r13_a_new_key_seals_the_log_it_finds_once() {
    use chengguan_app::config::Config;
    use chengguan_core::audit::{unkeyed_entry_hash, KEYED_ACTION};
    let b = &backends().await[0];
    let app = demo(b).await;
    drop(app);
    rechain(b, "admin", |prev, e| {
        unkeyed_entry_hash(prev, e.seq, e.at, &e.draft)
    })
    .await;
    b.raw_sql(&["UPDATE audit_head SET keyed_from = NULL WHERE id = 1"])
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        database: b.url.clone(),
        idle_minutes: 30,
        open311_public_read: false,
        audit_key_file: dir.path().join("audit.key"),
        server: None,
    };
    // The first start of this version: its key is made now, and the log it finds is sealed by the system.
    let app = chengguan_app::App::open_configured(&config)
        .await
        .expect("open");
    let admin = sign_in(&app, "admin").await;
    let v = app.audit_verify(&admin, None).await.expect("verify");
    assert!(v.intact, "{}", v.message);
    drop(app);
    let again = chengguan_app::App::open_configured(&config)
        .await
        .expect("open");
    let admin = sign_in(&again, "admin").await;
    let all = again
        .audit_list(
            &admin,
            &AuditFilter {
                limit: 5_000,
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(
        all.iter().filter(|e| e.action == KEYED_ACTION).count(),
        1,
        "sealed once"
    );
}

#[tokio::test]
async fn r13_the_desktop_verifies_against_an_anchor_typed_in() {
    use chengguan_app::api::{dispatch, Caller};
    let b = &backends().await[0];
    let app = demo(b).await;
    let admin = sign_in(&app, "admin").await;
    let anchor = app.audit_anchor(&admin).await.expect("anchor").to_string();
    let caller = Caller {
        session: Some(&admin),
        workstation: "test",
    };
    let v = dispatch(
        &app,
        caller,
        "audit_verify",
        serde_json::json!({"anchor": format!(" {anchor} ")}),
    )
    .await
    .expect("verify");
    assert_eq!(v["intact"], true, "{v}");
    assert!(v["message"].as_str().unwrap().contains("锚点"), "{v}");
    let v = dispatch(
        &app,
        caller,
        "audit_verify",
        serde_json::json!({"anchor": ""}),
    )
    .await
    .expect("blank: no anchor");
    assert_eq!(v["intact"], true);
    let e = dispatch(
        &app,
        caller,
        "audit_verify",
        serde_json::json!({"anchor": "12:zz"}),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("锚点"), "{e}");
}
