use chengguan_store::prelude::*;
use chengguan_store::{GridEdit, PersonEdit, StoreError};

use crate::support::{backends, with_demo};

#[tokio::test]
async fn stale_grid_edit_is_a_conflict_and_changes_nothing() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let grid = store.grids().await.expect("grids").remove(0);
        let feed_before = store.changes_since(0, 10_000).await.expect("feed").len();
        let first = GridEdit {
            id: grid.id,
            expected_version: grid.version,
            name: "第一次改名".into(),
            party_branch_id: grid.party_branch_id,
        };
        let saved = store
            .update_grid(&first, &chengguan_store::testing::test_audit())
            .await
            .unwrap_or_else(|e| panic!("{}: first edit: {e}", b.name));
        assert_eq!(
            saved.version,
            grid.version + 1,
            "{}: version increments",
            b.name
        );
        // A second workstation still holds the old version.
        let stale = GridEdit {
            name: "第二次改名".into(),
            ..first.clone()
        };
        match store
            .update_grid(&stale, &chengguan_store::testing::test_audit())
            .await
        {
            Err(StoreError::Conflict {
                expected, actual, ..
            }) => {
                assert_eq!(
                    (expected, actual),
                    (grid.version, grid.version + 1),
                    "{}: conflict reports both versions",
                    b.name
                )
            }
            other => panic!("{}: a stale edit must conflict, got {other:?}", b.name),
        }
        let now = store
            .grids()
            .await
            .expect("grids")
            .into_iter()
            .find(|g| g.id == grid.id)
            .expect("grid");
        assert_eq!(
            now.name, "第一次改名",
            "{}: the stale edit must not overwrite",
            b.name
        );
        let feed_after = store.changes_since(0, 10_000).await.expect("feed").len();
        assert_eq!(
            feed_after,
            feed_before + 1,
            "{}: only the successful edit is in the change feed",
            b.name
        );
    }
}

#[tokio::test]
async fn stale_person_edit_is_a_conflict() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let id = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED).people[0].id;
        let person = store
            .person(id)
            .await
            .expect("read")
            .expect("person exists");
        let edit = PersonEdit {
            id,
            expected_version: person.version,
            name: person.name.clone(),
            phone: "13900000000".into(),
            party_member: true,
        };
        store
            .update_person(&edit, &chengguan_store::testing::test_audit())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", b.name));
        let again = store
            .update_person(
                &PersonEdit {
                    phone: "13911111111".into(),
                    ..edit
                },
                &chengguan_store::testing::test_audit(),
            )
            .await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{}: got {again:?}",
            b.name
        );
        assert_eq!(
            store.person(id).await.expect("read").expect("person").phone,
            "13900000000",
            "{}: unchanged",
            b.name
        );
    }
}

#[tokio::test]
async fn editing_a_missing_row_is_not_found() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let edit = GridEdit {
            id: uuid::Uuid::now_v7(),
            expected_version: 1,
            name: "x".into(),
            party_branch_id: None,
        };
        let result = store
            .update_grid(&edit, &chengguan_store::testing::test_audit())
            .await;
        assert!(
            matches!(result, Err(StoreError::NotFound { entity: "grid", .. })),
            "{}: got {result:?}",
            b.name
        );
    }
}
