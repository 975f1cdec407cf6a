use chengguan_core::town::{Community, Grid};
use chengguan_store::prelude::*;
use chengguan_store::{BoundaryUpdate, GridImportPlan, StoreError};
use geo::{MultiPolygon, Translate};

use crate::support::{backends, with_demo};

fn new_community() -> Community {
    Community {
        id: uuid::Uuid::now_v7(),
        code: "IMP-01".into(),
        name: "新建社区".into(),
        version: 1,
    }
}

fn new_grid(community: &Community, like: &Grid) -> Grid {
    Grid {
        id: uuid::Uuid::now_v7(),
        community_id: community.id,
        party_branch_id: None,
        code: "NEW-01".into(),
        name: "新网格".into(),
        boundary: like.boundary.translate(0.05, 0.0),
        boundary_version: 1,
        version: 1,
    }
}

#[tokio::test]
async fn import_creates_updates_and_keeps_boundary_history() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let old = store.grids().await.expect("grids").remove(0);
        let community = new_community();
        let moved: MultiPolygon<f64> = old.boundary.translate(0.0001, 0.0);
        let plan = GridImportPlan {
            new_communities: vec![community.clone()],
            new_grids: vec![new_grid(&community, &old)],
            updates: vec![BoundaryUpdate {
                grid_id: old.id,
                expected_version: old.version,
                name: old.name.clone(),
                community_id: old.community_id,
                boundary: moved,
            }],
        };
        let summary = store
            .apply_grid_import(&plan, &chengguan_store::testing::test_audit())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", b.name));
        assert_eq!(
            (
                summary.communities_created,
                summary.grids_created,
                summary.grids_updated
            ),
            (1, 1, 1),
            "{}",
            b.name
        );
        let grids = store.grids().await.expect("grids");
        assert_eq!(grids.len(), 60, "{}: one grid added", b.name);
        let updated = grids.iter().find(|g| g.id == old.id).expect("grid");
        assert_eq!(
            (updated.boundary_version, updated.version),
            (2, old.version + 1),
            "{}: versions advance",
            b.name
        );
        let history = store.grid_boundary_history(old.id).await.expect("history");
        assert_eq!(history.len(), 1, "{}: the old boundary is kept", b.name);
        assert_eq!(
            (history[0].0, &history[0].1),
            (1, &old.boundary),
            "{}: history holds the old boundary",
            b.name
        );
    }
}

#[tokio::test]
async fn a_stale_update_fails_the_whole_import() {
    for b in backends().await {
        let store = with_demo(&b).await;
        let old = store.grids().await.expect("grids").remove(0);
        let community = new_community();
        let plan = GridImportPlan {
            new_communities: vec![community.clone()],
            new_grids: vec![new_grid(&community, &old)],
            updates: vec![BoundaryUpdate {
                grid_id: old.id,
                expected_version: old.version - 1 + 7,
                name: "x".into(),
                community_id: old.community_id,
                boundary: old.boundary.clone(),
            }],
        };
        let result = store
            .apply_grid_import(&plan, &chengguan_store::testing::test_audit())
            .await;
        assert!(
            matches!(result, Err(StoreError::Conflict { .. })),
            "{}: got {result:?}",
            b.name
        );
        assert_eq!(
            store.grids().await.expect("grids").len(),
            59,
            "{}: nothing of the import is written",
            b.name
        );
        assert_eq!(
            store.communities().await.expect("communities").len(),
            8,
            "{}: no community created",
            b.name
        );
    }
}
