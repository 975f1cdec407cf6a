use std::time::Duration;

use chengguan_core::vocabulary::feed::{Entity, Operation};
use chengguan_store::prelude::*;
use chengguan_store::GridEdit;
use sqlx::postgres::PgListener;

use crate::support::{backends, fresh_pg, with_demo};

#[tokio::test]
async fn change_feed_is_ordered_and_resumable() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let all = store.changes_since(0, 1000).await.expect("feed");
        assert_eq!(
            all.iter().map(|c| c.op).collect::<Vec<_>>(),
            [Operation::Insert, Operation::Load],
            "{}: init then load",
            b.name
        );
        let last = all.last().expect("entries").seq;
        let grid = store.grids().await.expect("grids").remove(0);
        store
            .update_grid(
                &GridEdit {
                    id: grid.id,
                    expected_version: grid.version,
                    name: "新名".into(),
                    party_branch_id: None,
                },
                &chengguan_store::testing::test_audit(),
            )
            .await
            .expect("edit");
        let newer = store.changes_since(last, 1000).await.expect("feed");
        assert_eq!(newer.len(), 1, "{}: one change after the cursor", b.name);
        assert_eq!(
            (newer[0].entity, newer[0].entity_id, newer[0].version),
            (Entity::Grid, Some(grid.id), Some(grid.version + 1)),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn postgres_announces_committed_changes() {
    let b = fresh_pg().await;
    let store = with_demo(&b).await;
    let chengguan_store::Pool::Postgres(pg) = store.pool() else {
        panic!("expected PostgreSQL")
    };
    let mut listener = PgListener::connect_with(pg).await.expect("listener");
    listener.listen("chengguan_changes").await.expect("listen");
    let grid = store.grids().await.expect("grids").remove(0);
    store
        .update_grid(
            &GridEdit {
                id: grid.id,
                expected_version: grid.version,
                name: "通知".into(),
                party_branch_id: None,
            },
            &chengguan_store::testing::test_audit(),
        )
        .await
        .expect("edit");
    let note = tokio::time::timeout(Duration::from_secs(10), listener.recv())
        .await
        .expect("a notification within 10 s")
        .expect("recv");
    let seq: i64 = note.payload().parse().expect("payload is the seq");
    let change = store
        .changes_since(seq - 1, 1)
        .await
        .expect("feed")
        .remove(0);
    assert_eq!(
        change.entity_id,
        Some(grid.id),
        "the announced seq is the grid's change"
    );
}

/// A newer build sharing the server may write entities this build does not know: the feed reads such an entry
/// as "re-read everything" and moves past it, on both databases.
#[tokio::test]
async fn an_unknown_entry_is_read_as_a_reload_and_the_feed_moves_on() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let before = store.latest_change().await.expect("latest");
        let insert = "INSERT INTO changes (at, entity, entity_id, op, version) \
                      VALUES (CURRENT_TIMESTAMP, 'roster', NULL, 'archive', NULL)";
        match store.pool() {
            chengguan_store::Pool::Sqlite(p) => {
                sqlx::query(insert).execute(p).await.expect("write");
            }
            chengguan_store::Pool::Postgres(p) => {
                sqlx::query(insert).execute(p).await.expect("write");
            }
        }
        let grid = store.grids().await.expect("grids").remove(0);
        store
            .update_grid(
                &GridEdit {
                    id: grid.id,
                    expected_version: grid.version,
                    name: "之后".into(),
                    party_branch_id: None,
                },
                &chengguan_store::testing::test_audit(),
            )
            .await
            .expect("edit");
        let newer = store.changes_since(before, 10).await.expect("feed");
        let read: Vec<_> = newer.iter().map(|c| (c.entity, c.op)).collect();
        assert_eq!(
            read,
            [
                (Entity::Town, Operation::Reload),
                (Entity::Grid, Operation::Update)
            ],
            "{}",
            b.name
        );
    }
}
