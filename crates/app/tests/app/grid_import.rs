use chengguan_app::grids::GridImportOptions;
use chengguan_app::AppError;
use chengguan_core::geo::crs::gcj02_to_wgs84;
use chengguan_core::geo::Crs;
use chengguan_core::town::boundaries::BoundaryProperties;
use geo::Contains;
use rstest::rstest;

use crate::support::{backends, demo, initialised, reference};

/// Each invalid reference case is refused with the expected problem, naming the feature, and writes nothing.
#[rstest]
#[case::bad_type("bad_type.geojson", "geojson.bad_geometry_type", Some(0))]
#[case::bare_array(
    "bare_array_of_features.geojson",
    "geojson.not_feature_collection",
    None
)]
#[case::bowtie(
    "bowtie_self_intersection.geojson",
    "geojson.self_intersection",
    Some(0)
)]
#[case::swapped("latlng_swapped_out_of_range.geojson", "geojson.out_of_range", Some(0))]
#[case::missing_properties(
    "missing_properties_member.geojson",
    "geojson.missing_properties",
    Some(0)
)]
#[case::string_coordinates("string_coordinates.geojson", "geojson.bad_coordinates", Some(0))]
#[case::unclosed("unclosed_ring.geojson", "geojson.unclosed_ring", Some(0))]
#[case::point_is_not_a_grid("ok_point_fc.geojson", "grid.not_polygon", Some(0))]
#[tokio::test]
async fn invalid_cases_are_refused_naming_feature_and_problem(
    #[case] file: &str,
    #[case] code: &str,
    #[case] feature: Option<usize>,
) {
    for b in backends().await {
        let app = demo(&b).await;
        let result = app
            .import_grids(
                &crate::support::admin(&app).await,
                &reference(&format!("geojson-cases/{file}")),
                &GridImportOptions::default(),
            )
            .await;
        let Err(AppError::GeoJson(problems)) = result else {
            panic!("{}: {file} must be refused, got {result:?}", b.name)
        };
        assert_eq!(problems.len(), 1, "{}: {file}: {problems:?}", b.name);
        assert_eq!(
            problems[0].code, code,
            "{}: {file}: {}",
            b.name, problems[0]
        );
        assert_eq!(
            problems[0].feature.as_ref().map(|f| f.index),
            feature,
            "{}: {file} names the feature",
            b.name
        );
        assert!(
            !problems[0].message.is_empty(),
            "{}: {file} explains the problem",
            b.name
        );
        assert_eq!(
            app.list_grids(&crate::support::admin(&app).await)
                .await
                .expect("list")
                .len(),
            59,
            "{}: {file}: nothing written",
            b.name
        );
    }
}

#[tokio::test]
async fn swapped_coordinates_say_so_and_point_names_the_feature() {
    let b = &backends().await[0];
    let app = demo(b).await;
    let swapped = app
        .import_grids(
            &crate::support::admin(&app).await,
            &reference("geojson-cases/latlng_swapped_out_of_range.geojson"),
            &Default::default(),
        )
        .await;
    assert!(
        swapped.expect_err("refused").problems()[0]
            .message
            .contains("写反"),
        "the message suggests the swap"
    );
    let point = app
        .import_grids(
            &crate::support::admin(&app).await,
            &reference("geojson-cases/ok_point_fc.geojson"),
            &Default::default(),
        )
        .await;
    assert!(
        point.expect_err("refused").problems()[0]
            .to_string()
            .contains("「高台」"),
        "the feature's name is shown"
    );
}

#[tokio::test]
async fn clockwise_rings_are_reoriented_with_a_warning() {
    for b in backends().await {
        let app = initialised(&b).await;
        let cw = app
            .import_grids(
                &crate::support::admin(&app).await,
                &reference("geojson-cases/cw_polygon_rfc7946_winding.geojson"),
                &Default::default(),
            )
            .await
            .expect("accepted");
        assert!(
            cw.warnings
                .iter()
                .any(|w| w.code == "geojson.reoriented_ring"
                    && w.feature.as_ref().map(|f| f.index) == Some(0)),
            "{}: a warning names the reoriented feature: {:?}",
            b.name,
            cw.warnings
        );
        let ccw = app
            .import_grids(
                &crate::support::admin(&app).await,
                &reference("geojson-cases/ok_ccw_polygon.geojson"),
                &GridImportOptions {
                    dry_run: true,
                    ..Default::default()
                },
            )
            .await
            .expect("accepted");
        assert!(
            ccw.warnings
                .iter()
                .all(|w| w.code != "geojson.reoriented_ring"),
            "{}: a CCW ring needs no repair",
            b.name
        );
    }
}

#[tokio::test]
async fn the_county_file_imports_from_gcj02() {
    for b in backends().await {
        let app = initialised(&b).await;
        let text = reference("anzhou99_GeoJsons_620700_full.json");
        let options = GridImportOptions {
            crs: Crs::Gcj02,
            properties: BoundaryProperties {
                code: "adcode".into(),
                ..Default::default()
            },
            dry_run: false,
        };
        let report = app
            .import_grids(&crate::support::admin(&app).await, &text, &options)
            .await
            .unwrap_or_else(|e| panic!("{}: {e} {:?}", b.name, e.problems()));
        assert_eq!(report.grids.len(), 6, "{}: 张掖 has six districts", b.name);
        assert!(
            report
                .warnings
                .iter()
                .filter(|w| w.code == "geojson.reoriented_ring")
                .count()
                >= 6,
            "{}: clockwise rings reported",
            b.name
        );
        assert!(
            report.tiling.report.overlaps.is_empty(),
            "{}: districts do not overlap: {:?}",
            b.name,
            report.tiling.report.overlaps
        );
        let total_km2 = report.tiling.report.union_area_m2 / 1e6;
        assert!(
            (37_000.0..40_000.0).contains(&total_km2),
            "{}: 张掖 is ≈ 38,600 km², got {total_km2:.0}",
            b.name
        );
        // The county seat (DataV's GCJ-02 `center` of 高台县) lies inside the stored WGS-84 boundary of 高台县.
        let seat = gcj02_to_wgs84(geo::Coord {
            x: 99.81665,
            y: 39.376308,
        });
        let export = app
            .export_grids(&crate::support::admin(&app).await, Crs::Wgs84)
            .await
            .expect("export");
        let gaotai = export.geojson["features"]
            .as_array()
            .expect("features")
            .iter()
            .find(|f| f["properties"]["code"] == "620724")
            .expect("高台县");
        assert_eq!(gaotai["properties"]["name"], "高台县");
        let fc = chengguan_core::geo::geojson::read_feature_collection(
            &serde_json::json!({"type": "FeatureCollection", "features": [gaotai]}).to_string(),
            &Default::default(),
        )
        .expect("read");
        let geometry = fc.features[0].geometry.clone().expect("geometry");
        assert!(
            geometry.contains(&geo::Point(seat)),
            "{}: 高台县 contains its county seat",
            b.name
        );
    }
}

#[tokio::test]
async fn overlaps_and_gaps_are_reported_with_grids_and_area() {
    let square = |code: &str, x: f64, y: f64, d: f64| {
        serde_json::json!({
            "type": "Feature", "properties": {"code": code, "name": code, "community": "测试社区"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}
        })
    };
    let d = 0.001;
    let mut features = Vec::new();
    for (i, j) in [
        (0, 0),
        (1, 0),
        (2, 0),
        (0, 1),
        (2, 1),
        (0, 2),
        (1, 2),
        (2, 2),
    ] {
        features.push(square(
            &format!("T-{i}{j}"),
            99.8 + i as f64 * d,
            39.3 + j as f64 * d,
            d,
        ));
    }
    features.push(square("T-OVER", 99.8 + 2.5 * d, 39.3, d));
    let text = serde_json::json!({"type": "FeatureCollection", "features": features}).to_string();
    for b in backends().await {
        let app = initialised(&b).await;
        let report = app
            .import_grids(
                &crate::support::admin(&app).await,
                &text,
                &GridImportOptions {
                    dry_run: true,
                    ..Default::default()
                },
            )
            .await
            .expect("accepted");
        let r = &report.tiling.report;
        assert_eq!(r.gaps.len(), 1, "{}: the missing centre is a gap", b.name);
        assert!(
            (r.gaps[0].area_m2 - 9_570.0).abs() < 100.0,
            "{}: gap ≈ 0.001° square ≈ 9,570 m², got {}",
            b.name,
            r.gaps[0].area_m2
        );
        assert_eq!(r.overlaps.len(), 1, "{}: {:?}", b.name, r.overlaps);
        let pair = [
            report.tiling.codes[r.overlaps[0].a].as_str(),
            report.tiling.codes[r.overlaps[0].b].as_str(),
        ];
        assert_eq!(
            pair,
            ["T-20", "T-OVER"],
            "{}: the overlap names both grids",
            b.name
        );
        assert!(
            report.written.is_none()
                && app
                    .list_grids(&crate::support::admin(&app).await)
                    .await
                    .expect("list")
                    .is_empty(),
            "{}: dry run writes nothing",
            b.name
        );
    }
}

#[tokio::test]
async fn one_bad_feature_refuses_the_whole_file() {
    let text = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A", "name": "好网格"}, "geometry": {"type": "Polygon", "coordinates": [[[99.8, 39.3], [99.81, 39.3], [99.81, 39.31], [99.8, 39.3]]]}},
        {"type": "Feature", "properties": {"code": "B", "name": "坏网格"}, "geometry": {"type": "Polygon", "coordinates": [[[99.8, 39.3], [99.81, 39.3], [99.81, 39.31]]]}},
        {"type": "Feature", "properties": {"code": "A", "name": "重复"}, "geometry": {"type": "Polygon", "coordinates": [[[99.9, 39.3], [99.91, 39.3], [99.91, 39.31], [99.9, 39.3]]]}}
    ]}).to_string();
    for b in backends().await {
        let app = initialised(&b).await;
        let err = app
            .import_grids(
                &crate::support::admin(&app).await,
                &text,
                &Default::default(),
            )
            .await
            .expect_err("refused");
        let problems = err.problems();
        assert_eq!(
            problems.len(),
            1,
            "{}: geometry problems are reported before property problems: {problems:?}",
            b.name
        );
        assert!(
            problems[0].to_string().contains("features[1]「坏网格」"),
            "{}: {}",
            b.name,
            problems[0]
        );
        assert!(
            app.list_grids(&crate::support::admin(&app).await)
                .await
                .expect("list")
                .is_empty(),
            "{}: nothing written",
            b.name
        );
    }
}
