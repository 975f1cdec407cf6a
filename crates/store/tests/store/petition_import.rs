//! Bulk import of petitions on both databases: numbered per year after the existing ones, timelines kept,
//! one change and one audit entry; a failing batch leaves nothing behind.

use chengguan_core::demo;
use chengguan_store::prelude::*;
use chengguan_store::PetitionFilter;
use chrono::TimeZone;

use crate::support::{backends, test_audit, with_demo};

#[tokio::test]
async fn a_batch_is_numbered_on_and_all_or_nothing() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let data = demo::generate(demo::DEFAULT_SEED);
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap();
        let year = demo::petitions::petitions(&data, demo::DEFAULT_SEED, now);
        let first = store
            .import_petitions(&year[..10], &test_audit())
            .await
            .expect("first batch");
        assert_eq!(
            first.iter().map(|n| n.sequence).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<_>>(),
            "{}",
            b.name
        );
        let changes_before = store.latest_change().await.unwrap();
        let rest = store
            .import_petitions(&year[10..], &test_audit())
            .await
            .expect("the rest");
        assert_eq!(rest[0].sequence, 11, "{}: numbered on", b.name);
        assert_eq!(
            rest.last().unwrap().sequence as usize,
            year.len(),
            "{}",
            b.name
        );
        let feed = store.changes_since(changes_before, 10).await.unwrap();
        assert_eq!(feed.len(), 1, "{}: one change for the batch", b.name);
        assert_eq!(
            feed[0].op,
            chengguan_core::vocabulary::feed::Operation::Import
        );

        let all = PetitionFilter {
            limit: 10_000,
            ..Default::default()
        };
        assert_eq!(
            store.count_petitions(&all).await.unwrap() as usize,
            year.len(),
            "{}",
            b.name
        );
        let (p, events) = &year[20];
        let stored = store.petition(p.id).await.unwrap().expect("stored");
        assert_eq!(stored.number.sequence, 21);
        assert_eq!(stored.status, p.status);
        assert_eq!(
            store.petition_events(p.id).await.unwrap().len(),
            events.len(),
            "{}: timeline",
            b.name
        );

        // The same rows again collide on their ids: the whole batch is refused and nothing is added.
        assert!(
            store
                .import_petitions(&year[..5], &test_audit())
                .await
                .is_err(),
            "{}",
            b.name
        );
        assert_eq!(
            store.count_petitions(&all).await.unwrap() as usize,
            year.len(),
            "{}",
            b.name
        );
        let next = store.import_petitions(&[], &test_audit()).await.unwrap();
        assert!(next.is_empty());
    }
}

/// The SQLite import runs with a large page cache and without checkpointing in its commit; every connection in
/// the pool (the import's among them) afterwards has SQLite's defaults again, after a failed batch too.
#[tokio::test]
async fn the_sqlite_import_gives_its_connection_back_with_the_defaults() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let chengguan_store::Pool::Sqlite(sqlite) = store.pool() else {
            continue;
        };
        let data = demo::generate(demo::DEFAULT_SEED);
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap();
        let year = demo::petitions::petitions(&data, demo::DEFAULT_SEED, now);
        store
            .import_petitions(&year, &test_audit())
            .await
            .expect("import");
        assert!(store
            .import_petitions(&year[..3], &test_audit())
            .await
            .is_err());
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut c = sqlite.acquire().await.expect("a connection");
            let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let auto: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            assert_eq!((cache, auto), (-2000, 1000));
            held.push(c);
        }
    }
}
