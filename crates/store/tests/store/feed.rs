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
