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
        let other = App::open(&b.url).await.expect("second workstation");
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
