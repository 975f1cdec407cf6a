//! Heat maps, hot spots and spike alerts over the demo town's year of petitions, on both databases.

use chengguan_app::analysis::{heat_json, heat_png, HeatRequest, HotspotLayout};
use chengguan_app::petitions::PetitionQuery;
use chengguan_core::analysis::hotspots::Confidence;

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

#[tokio::test]
async fn the_heat_map_holds_every_petition_and_renders() {
    for b in backends().await {
        let app = demo(&b).await;
        let leader = sign_in(&app, "leader").await;
        let req = HeatRequest {
            query: PetitionQuery::default(),
            bbox: None,
            size: (256, 256),
            bandwidth_m: 150.0,
        };
        let (raster, points) = app.heatmap(&leader, &req).await.expect("heat map");
        assert!(points > 190, "{}: {points}", b.name);
        let kept = raster.mass() / points as f64;
        assert!(
            (0.9..=1.0001).contains(&kept),
            "{}: the raster holds {kept} of the petitions",
            b.name
        );
        let json = heat_json(&raster, points);
        assert_eq!((json.values.len(), json.values[0].len()), (256, 256));
        let png = heat_png(&raster).expect("png");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("a PNG");
        assert_eq!((reader.info().width, reader.info().height), (256, 256));
        assert_eq!(reader.info().color_type, png::ColorType::Rgba);

        let sanitation = HeatRequest {
            query: PetitionQuery {
                categories: vec!["sanitation".into()],
                ..Default::default()
            },
            ..req.clone()
        };
        let (_, fewer) = app.heatmap(&leader, &sanitation).await.expect("filtered");
        assert!(fewer < points && fewer > 0, "{}", b.name);
        for bad in [
            HeatRequest {
                size: (8, 8),
                ..req.clone()
            },
            HeatRequest {
                bandwidth_m: 1.0,
                ..req.clone()
            },
            HeatRequest {
                bbox: Some([99.9, 39.4, 99.8, 39.3]),
                ..req.clone()
            },
        ] {
            assert_eq!(
                app.heatmap(&leader, &bad).await.unwrap_err().code(),
                "input.invalid"
            );
        }
        let worker = sign_in(&app, "grid0101").await;
        assert_eq!(
            app.heatmap(&worker, &req).await.unwrap_err().code(),
            "auth.forbidden"
        );
    }
}

#[tokio::test]
async fn hot_spots_per_grid_and_on_a_lattice_account_for_every_petition() {
    for b in backends().await {
        let app = demo(&b).await;
        let leader = sign_in(&app, "leader").await;
        let all = PetitionQuery::default();
        let grids = app
            .hotspots(&leader, &all, HotspotLayout::Grids, None)
            .await
            .expect("grids");
        assert_eq!(grids.features.len(), 59, "{}", b.name);
        let counted: f64 = grids.features.iter().map(|f| f.count).sum();
        assert!(counted > 190.0, "{}: {counted}", b.name);
        assert!(
            grids.features.iter().any(|f| matches!(
                f.confidence,
                Confidence::Hot90 | Confidence::Hot95 | Confidence::Hot99
            )),
            "{}: the demo's clusters show as hot spots",
            b.name
        );
        // A petition placed in another grid by a duty officer counts there, unless the past is re-aggregated
        // under today's boundaries by its point.
        let duty = sign_in(&app, "duty").await;
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-02-02").await)
            .await
            .expect("create");
        app.override_petition_grid(&duty, &p.id, p.version, "CG-07-07", "测试改派")
            .await
            .expect("regrid");
        let count = |h: &chengguan_app::analysis::Hotspots, code: &str| {
            h.features
                .iter()
                .find(|f| f.id == code)
                .map(|f| f.count)
                .unwrap_or(-1.0)
        };
        let reported = app
            .hotspots(&leader, &all, HotspotLayout::Grids, None)
            .await
            .expect("reported");
        let current = app
            .hotspots(&leader, &all, HotspotLayout::CurrentGrids, None)
            .await
            .expect("current");
        assert_eq!(
            count(&reported, "CG-07-07") - count(&current, "CG-07-07"),
            1.0,
            "{}",
            b.name
        );
        assert_eq!(
            count(&current, "CG-02-02") - count(&reported, "CG-02-02"),
            1.0,
            "{}",
            b.name
        );
        let hex: HotspotLayout = "hex:250".parse().expect("layout");
        let cells = app.hotspots(&leader, &all, hex, None).await.expect("hex");
        assert!(cells.features.len() > 59);
        assert_eq!(
            cells.features.iter().map(|f| f.count).sum::<f64>(),
            counted + 1.0,
            "{}: every petition in a cell",
            b.name
        );
        assert_eq!(cells.band_m, 375.0);
        for bad in ["hex", "hex:10", "circle:100", "square:abc"] {
            assert!(bad.parse::<HotspotLayout>().is_err(), "{bad}");
        }
    }
}

#[tokio::test]
async fn a_burst_in_one_grid_this_week_is_a_spike_alert() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let call = call_in(&app, "CG-05-05").await;
        for _ in 0..8 {
            app.create_petition(&duty, &call).await.expect("burst");
        }
        let leader = sign_in(&app, "leader").await;
        let alerts = app.alerts(&leader, None).await.expect("alerts");
        let spike = alerts
            .spikes
            .iter()
            .find(|s| s.grid_code == "CG-05-05")
            .expect("CG-05-05 is an alert");
        assert!(
            spike.observed >= 8 && spike.p < 0.01,
            "{}: {spike:?}",
            b.name
        );
        let long_ago = app
            .alerts(&leader, Some("2026-01-07"))
            .await
            .expect("January");
        assert!(
            long_ago.spikes.iter().all(|s| s.grid_code != "CG-05-05"),
            "{}",
            b.name
        );
        assert_eq!(long_ago.week_of, "2026-01-05");
        assert_eq!(
            app.alerts(&leader, Some("7 January"))
                .await
                .unwrap_err()
                .code(),
            "input.invalid"
        );
    }
}

#[tokio::test]
async fn the_choropleth_normalises_by_households_and_area() {
    for b in backends().await {
        let app = demo(&b).await;
        let leader = sign_in(&app, "leader").await;
        let rows = app
            .choropleth(&leader, &PetitionQuery::default())
            .await
            .expect("choropleth");
        assert_eq!(rows.len(), 59, "{}", b.name);
        let total: u32 = rows.iter().map(|r| r.count).sum();
        assert!(total > 190, "{}: {total}", b.name);
        for r in &rows {
            assert!(r.area_km2 > 0.0 && r.households > 0, "{}: {r:?}", b.name);
            let per_household = r.per_1000_households.expect("households");
            assert!(
                (per_household - f64::from(r.count) * 1000.0 / r.households as f64).abs() < 1e-9
            );
            assert!((r.per_km2 * r.area_km2 - f64::from(r.count)).abs() < 1e-9);
        }
        let grids = app
            .hotspots(
                &leader,
                &PetitionQuery::default(),
                HotspotLayout::Grids,
                None,
            )
            .await
            .unwrap();
        for r in &rows {
            let same = grids.features.iter().find(|f| f.id == r.grid_code).unwrap();
            assert_eq!(
                same.count,
                f64::from(r.count),
                "{}: the same counts as the hot spots",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn the_desktop_layers_are_drawn_in_the_base_maps_coordinates() {
    for b in backends().await {
        let app = demo(&b).await;
        let leader = sign_in(&app, "leader").await;
        let wgs = PetitionQuery::default();
        let gcj = PetitionQuery {
            display_crs: Some("gcj02".into()),
            ..Default::default()
        };

        // Heat: a PNG data URL over the town, the GCJ-02 image shifted by the usual few hundred metres.
        let heat = app.heat_layer(&leader, &wgs, 150.0).await.expect("heat");
        let png = heat
            .image
            .strip_prefix("data:image/png;base64,")
            .expect("a PNG data URL");
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png)
            .expect("base64");
        let reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("a PNG");
        assert_eq!(reader.info().width.max(reader.info().height), 640);
        assert!(heat.points > 190 && heat.peak_per_km2 > 0.0, "{}", b.name);
        assert_eq!(heat.ramp.len(), 9);
        let shifted = app.heat_layer(&leader, &gcj, 150.0).await.expect("gcj");
        let dx = (shifted.bounds[0] - heat.bounds[0]) * 86_000.0;
        assert!((100.0..1000.0).contains(&dx.abs()), "{}: {dx} m", b.name);

        // Choropleth: quantile breaks over the chosen measure; an unknown measure names the field.
        let per_km2 = app
            .choropleth_layer(&leader, &wgs, "per_km2")
            .await
            .expect("choropleth");
        assert_eq!(per_km2.rows.len(), 59);
        assert!(per_km2.breaks.len() >= 3 && per_km2.breaks.len() <= 5);
        let top = per_km2.rows.iter().map(|r| r.per_km2).fold(0.0, f64::max);
        assert_eq!(*per_km2.breaks.last().unwrap(), top);
        assert_eq!(per_km2.total, heat.points, "{}", b.name);
        let err = app
            .choropleth_layer(&leader, &wgs, "per_person")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("分级指标"), "{err}");

        // Hot spots: grids carry no outline; hexagons carry six corners near their centre.
        let grids = app
            .hotspot_layer(&leader, &wgs, "grid")
            .await
            .expect("grid");
        assert_eq!(grids.cells.len(), 59);
        assert!(grids.cells.iter().all(|c| c.outline.is_none()));
        let hexes = app
            .hotspot_layer(&leader, &wgs, "hex:250")
            .await
            .expect("hex");
        assert!(hexes
            .cells
            .iter()
            .all(|c| c.outline.as_ref().unwrap().len() == 6));
        assert!(hexes.cells.iter().any(|c| c.confidence.starts_with("hot")));
        assert!(hexes.cells.iter().all(|c| [
            "hot99",
            "hot95",
            "hot90",
            "not_significant",
            "cold90",
            "cold95",
            "cold99"
        ]
        .contains(&c.confidence.as_str())));

        // Alerts carry the grid's name.
        let duty = sign_in(&app, "duty").await;
        let call = call_in(&app, "CG-05-05").await;
        for _ in 0..8 {
            app.create_petition(&duty, &call).await.expect("burst");
        }
        let alerts = app.alert_list(&leader, None).await.expect("alerts");
        let row = alerts
            .alerts
            .iter()
            .find(|a| a.grid_code == "CG-05-05")
            .expect("the burst");
        assert!(row.grid_name.contains("网格"), "{}: {row:?}", b.name);
    }
}
