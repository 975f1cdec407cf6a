use chengguan_core::demo;
use chengguan_store::prelude::*;
use chengguan_store::StoreError;

use crate::support::{assert_includes, backends, initialised, seed_numbers, with_demo};

#[tokio::test]
async fn demo_town_loads_with_the_seed_numbers_and_reads_back_unchanged() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let census = serde_json::to_value(store.census().await.expect("census")).expect("json");
        assert_includes(&census, &seed_numbers(), &format!("{}: census", b.name));
        for role in chengguan_core::people::Role::ALL {
            assert!(
                census["people_by_role"][role.code()].is_number(),
                "{}: every role is listed, {} too",
                b.name,
                role.code()
            );
        }
        let expected = demo::generate(demo::DEFAULT_SEED);
        let mut want = expected.grids.clone();
        want.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(
            store.grids().await.expect("grids"),
            want,
            "{}: grids must read back exactly as loaded",
            b.name
        );
        assert!(
            store.town().await.expect("town").expect("a town").synthetic,
            "{}: the demo is marked synthetic",
            b.name
        );
    }
}

#[tokio::test]
async fn init_twice_is_refused() {
    for b in backends().await {
        let store = initialised(&b).await;
        let again = store.init_town(&crate::support::town()).await;
        assert!(
            matches!(again, Err(StoreError::AlreadyInitialised)),
            "{}: second init must fail, got {again:?}",
            b.name
        );
    }
}

#[tokio::test]
async fn loading_over_data_needs_replace_and_failure_changes_nothing() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let other = demo::generate(99);
        let refused = store
            .load_town_data(&other, true, false, &chengguan_store::testing::test_audit())
            .await;
        assert!(
            matches!(refused, Err(StoreError::NotEmpty)),
            "{}: load over data must be refused, got {refused:?}",
            b.name
        );
        let grids = store.grids().await.expect("grids");
        assert_eq!(
            grids[0].id,
            demo::generate(demo::DEFAULT_SEED)
                .grids
                .iter()
                .find(|g| g.code == grids[0].code)
                .expect("same code")
                .id,
            "{}: a refused load must leave the old town in place",
            b.name
        );
        store
            .load_town_data(&other, true, true, &chengguan_store::testing::test_audit())
            .await
            .unwrap_or_else(|e| panic!("{}: replace: {e}", b.name));
        assert_eq!(
            store.census().await.expect("census").units,
            1599,
            "{}: replaced town has the same numbers",
            b.name
        );
        let ids: Vec<_> = store
            .grids()
            .await
            .expect("grids")
            .iter()
            .map(|g| g.id)
            .collect();
        assert!(
            other.grids.iter().all(|g| ids.contains(&g.id)),
            "{}: the replacement's grids are stored",
            b.name
        );
    }
}

#[tokio::test]
async fn load_without_init_is_refused() {
    for b in backends().await {
        let store = b.open().await;
        let result = store
            .load_town_data(
                &demo::generate(1),
                true,
                false,
                &chengguan_store::testing::test_audit(),
            )
            .await;
        assert!(
            matches!(result, Err(StoreError::NotInitialised)),
            "{}: got {result:?}",
            b.name
        );
        assert!(
            !store.has_town_data().await.expect("has data"),
            "{}: nothing written",
            b.name
        );
    }
}
