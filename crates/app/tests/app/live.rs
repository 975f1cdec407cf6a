//! Live updates between two workstations on one database (SQLite file in WAL, PostgreSQL LISTEN/NOTIFY): a
//! petition registered on one wakes the other's feed, and the feed resumes after a lost connection's gap.

use std::time::Duration;

use chengguan_app::App;

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

#[tokio::test]
async fn a_petition_registered_on_one_workstation_reaches_the_other() {
    for b in backends().await {
        let one = demo(&b).await;
        let other = App::open(&b.url, chengguan_store::testing::audit_key())
            .await
            .expect("second workstation");
        let mut feed = other.change_feed().await.expect("feed");

        let duty = sign_in(&one, "duty").await;
        let new = call_in(&one, "CG-02-01").await;
        let p = one.create_petition(&duty, &new).await.expect("create");

        let notice = tokio::time::timeout(Duration::from_secs(5), feed.next())
            .await
            .unwrap_or_else(|_| panic!("{}: no wake-up within 5 s", b.name))
            .expect("feed");
        assert!(
            notice.entities.contains(&"petition".to_string()),
            "{}: {notice:?}",
            b.name
        );
        assert_eq!(notice.new_petitions, vec![p.id.clone()], "{}", b.name);

        // Two more while nobody reads: the next read has both, in one notice or two, nothing lost.
        let a = one.create_petition(&duty, &new).await.expect("a");
        let c = one.create_petition(&duty, &new).await.expect("c");
        let mut seen = Vec::new();
        while seen.len() < 2 {
            let n = tokio::time::timeout(Duration::from_secs(5), feed.next())
                .await
                .expect("in time")
                .expect("feed");
            seen.extend(n.new_petitions);
        }
        assert_eq!(seen, vec![a.id, c.id], "{}", b.name);
    }
}

#[tokio::test]
async fn the_feed_comes_back_by_itself_after_the_server_drops_its_connection() {
    for b in backends().await {
        if b.name != "postgres" {
            continue;
        }
        let one = demo(&b).await;
        let other = App::open(&b.url, chengguan_store::testing::audit_key())
            .await
            .expect("second workstation");
        let mut feed = other.change_feed().await.expect("feed");
        // The server ends every listening session (as a restart or a dropped LAN link would).
        b.raw_sql(&["SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE pid <> pg_backend_pid() AND datname = current_database() AND query ILIKE 'LISTEN%'"])
            .await;
        let duty = sign_in(&one, "duty").await;
        let p = one
            .create_petition(&duty, &call_in(&one, "CG-04-01").await)
            .await
            .expect("create");
        let mut seen = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !seen.contains(&p.id) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{}: the feed did not come back",
                b.name
            );
            // An error is the lost connection being reported; the next call reconnects.
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), feed.next()).await {
                seen.extend(n.new_petitions);
            }
        }
    }
}
