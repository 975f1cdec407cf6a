use chengguan_app::grids::{GridImportOptions, TilingCheck};
use chengguan_core::geo::geojson::{read_feature_collection, ReadOptions};
use chengguan_core::geo::measure::distance_m;
use chengguan_core::geo::Crs;
use chengguan_core::town::boundaries::{grid_drafts, BoundaryProperties};

use crate::support::{backends, demo, initialised};

#[tokio::test]
async fn exported_demo_grids_pass_the_geometry_check() {
    for b in backends().await {
        let app = demo(&b).await;
        let export = app
            .export_grids(&crate::support::admin(&app).await, Crs::Wgs84)
            .await
            .expect("export");
        assert_eq!(
            export.geojson["synthetic"], true,
            "{}: the export says it is synthetic",
            b.name
        );
        assert!(
            export.geojson.get("crs").is_none(),
            "{}: RFC 7946 has no crs member",
            b.name
        );
        // Read the file back as any importer would, and check it independently of the store.
        let fc = read_feature_collection(&export.geojson.to_string(), &ReadOptions::default())
            .expect("valid GeoJSON");
        assert!(
            fc.warnings.is_empty(),
            "{}: exported rings follow RFC 7946 winding: {:?}",
            b.name,
            fc.warnings
        );
        let (drafts, _) =
            grid_drafts(&fc.features, &BoundaryProperties::default()).expect("grid drafts");
        let grids: Vec<_> = drafts
            .into_iter()
            .map(|d| (d.code, d.community.expect("community"), d.boundary))
            .collect();
        let check = TilingCheck::of(&grids);
        assert_eq!(check.codes.len(), 59, "{}", b.name);
        assert!(
            check.is_clean(),
            "{}: valid, no overlaps, no holes, contiguous communities: {check:?}",
            b.name
        );
        assert_eq!(check.communities.len(), 8, "{}: eight communities", b.name);
        assert!(
            app.check_grids(&crate::support::admin(&app).await)
                .await
                .expect("check")
                .is_clean(),
            "{}: stored grids check clean",
            b.name
        );
    }
}

#[tokio::test]
async fn export_then_import_round_trips() {
    for b in backends().await {
        let source = demo(&b).await;
        let text = source
            .export_grids(&crate::support::admin(&source).await, Crs::Wgs84)
            .await
            .expect("export")
            .geojson
            .to_string();
        // Into the same database: nothing changes.
        let same = source
            .import_grids(
                &crate::support::admin(&source).await,
                &text,
                &GridImportOptions::default(),
            )
            .await
            .expect("re-import");
        assert!(
            same.grids.iter().all(|g| g.action == "unchanged"),
            "{}: re-importing the export changes nothing",
            b.name
        );
        // Into a fresh database: the same grids and communities.
        let fresh_backend = backends()
            .await
            .into_iter()
            .find(|x| x.name == b.name)
            .expect("same kind");
        let fresh = initialised(&fresh_backend).await;
        let report = fresh
            .import_grids(
                &crate::support::admin(&fresh).await,
                &text,
                &GridImportOptions::default(),
            )
            .await
            .expect("import");
        assert_eq!(
            report
                .written
                .map(|w| (w.grids_created, w.communities_created)),
            Some((59, 8)),
            "{}",
            b.name
        );
        let (a, z) = (
            source
                .list_grids(&crate::support::admin(&source).await)
                .await
                .expect("list"),
            fresh
                .list_grids(&crate::support::admin(&fresh).await)
                .await
                .expect("list"),
        );
        let key = |g: &chengguan_app::grids::GridSummary| {
            (
                g.code.clone(),
                g.name.clone(),
                g.community.clone(),
                (g.area_m2 * 10.0).round() as i64,
            )
        };
        assert_eq!(
            a.iter().map(key).collect::<Vec<_>>(),
            z.iter().map(key).collect::<Vec<_>>(),
            "{}: same grids after the round trip",
            b.name
        );
    }
}

#[tokio::test]
async fn gcj02_export_reimports_to_the_same_place() {
    for b in backends().await {
        let app = demo(&b).await;
        let wgs = app
            .export_grids(&crate::support::admin(&app).await, Crs::Wgs84)
            .await
            .expect("export")
            .geojson;
        let gcj = app
            .export_grids(&crate::support::admin(&app).await, Crs::Gcj02)
            .await
            .expect("export")
            .geojson;
        assert_eq!(
            gcj["coordinate_system"], "gcj02",
            "{}: non-RFC output names its CRS",
            b.name
        );
        let first = |v: &serde_json::Value| {
            let c = &v["features"][0]["geometry"]["coordinates"][0][0];
            geo::Coord {
                x: c[0].as_f64().expect("x"),
                y: c[1].as_f64().expect("y"),
            }
        };
        let shift = distance_m(first(&wgs), first(&gcj));
        assert!(
            (100.0..400.0).contains(&shift),
            "{}: GCJ-02 moves 高台 by ~150 m, got {shift:.1} m",
            b.name
        );
        let options = GridImportOptions {
            crs: Crs::Gcj02,
            dry_run: true,
            ..Default::default()
        };
        let report = app
            .import_grids(
                &crate::support::admin(&app).await,
                &gcj.to_string(),
                &options,
            )
            .await
            .expect("import");
        // Back in WGS-84 within the 7-decimal rounding of the file (≈ 1 cm): same boundaries up to rounding, so
        // the grids count as updated only by sub-centimetre noise — check the distance directly.
        let back = read_feature_collection(
            &gcj.to_string(),
            &ReadOptions {
                crs: Crs::Gcj02,
                ..Default::default()
            },
        )
        .expect("read");
        let geo::Geometry::Polygon(p) = back.features[0].geometry.clone().expect("geometry") else {
            panic!("polygon")
        };
        let err = distance_m(p.exterior().0[0], first(&wgs));
        assert!(
            err < 0.02,
            "{}: GCJ-02 round trip within 2 cm, got {err:.4} m",
            b.name
        );
        assert_eq!(report.grids.len(), 59, "{}", b.name);
    }
}
