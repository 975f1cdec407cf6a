use chengguan_app::config::settings::{Basemap, SettingsFile};
use chengguan_app::AppError;
use chengguan_core::geo::measure::distance_m;
use chengguan_core::geo::Crs;

use crate::support::{backends, demo};

#[tokio::test]
async fn town_map_has_the_59_grids_and_converts_for_a_gcj02_base_map() {
    for b in backends().await {
        let app = demo(&b).await;
        let wgs = app
            .town_map(&crate::support::admin(&app).await, Crs::Wgs84)
            .await
            .expect("map");
        assert_eq!(
            (wgs.grids.len(), wgs.communities.len()),
            (59, 8),
            "{}",
            b.name
        );
        assert!(
            wgs.synthetic,
            "{}: the map says the demo is synthetic",
            b.name
        );
        let gcj = app
            .town_map(&crate::support::admin(&app).await, Crs::Gcj02)
            .await
            .expect("map");
        let at = |m: &chengguan_app::map::TownMap| geo::Coord {
            x: m.grids[0].label_at[0],
            y: m.grids[0].label_at[1],
        };
        let shift = distance_m(at(&wgs), at(&gcj));
        assert!(
            (100.0..400.0).contains(&shift),
            "{}: GCJ-02 display moves labels ~150 m, got {shift:.0} m",
            b.name
        );
        let [w, s, e, n] = wgs.bounds;
        assert!(
            w < 99.815 && 99.815 < e && s < 39.376 && 39.376 < n,
            "{}: the town surrounds the county seat",
            b.name
        );
    }
}

#[tokio::test]
async fn grid_detail_counts_add_up_and_phones_are_masked() {
    for b in backends().await {
        let app = demo(&b).await;
        let grids = app
            .list_grids(&crate::support::admin(&app).await)
            .await
            .expect("grids");
        let (mut buildings, mut units) = (0, 0);
        for g in &grids {
            let d = app
                .grid_detail(&crate::support::admin(&app).await, &g.code)
                .await
                .expect("detail");
            buildings += d.buildings;
            units += d.units;
            let manager = d
                .manager
                .as_ref()
                .unwrap_or_else(|| panic!("{}: {} has a grid manager", b.name, g.code));
            assert!(
                manager.phone.contains("****") && manager.phone.len() == 11,
                "{}: masked phone {}",
                b.name,
                manager.phone
            );
            assert!(
                d.people.iter().any(|p| p.role == "area_police"),
                "{}: {} shows its community's police",
                b.name,
                g.code
            );
            assert!(
                d.people.iter().any(|p| p.role == "patrol"),
                "{}: {} has a patrol member",
                b.name,
                g.code
            );
        }
        assert_eq!(
            (buildings, units),
            (528, 1599),
            "{}: per-grid counts add up to the town",
            b.name
        );
        let missing = app
            .grid_detail(&crate::support::admin(&app).await, "NO-SUCH")
            .await;
        assert!(
            matches!(missing, Err(AppError::GridNotFound(_))),
            "{}: {missing:?}",
            b.name
        );
    }
}

#[test]
fn basemap_settings_are_checked_and_kept() {
    let ok = Basemap {
        url_template: "http://10.0.0.5/tiles/{z}/{x}/{y}.png".into(),
        crs: "gcj02".into(),
    };
    assert_eq!(ok.validate().expect("valid"), Crs::Gcj02);
    let no_xyz = Basemap {
        url_template: "http://10.0.0.5/tiles.png".into(),
        crs: "wgs84".into(),
    };
    assert!(
        no_xyz
            .validate()
            .expect_err("needs {z}/{x}/{y}")
            .to_string()
            .contains("{z}"),
        "the message names the placeholders"
    );
    let baidu = Basemap {
        crs: "bd09".into(),
        ..ok.clone()
    };
    assert!(
        baidu.validate().is_err(),
        "BD-09 base maps are not supported for display"
    );
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("config.toml");
    assert_eq!(
        SettingsFile::read(&path).expect("missing file is empty"),
        SettingsFile::default()
    );
    let file = SettingsFile {
        basemap: Some(ok),
        ..Default::default()
    };
    file.write(&path).expect("write");
    assert_eq!(
        SettingsFile::read(&path).expect("read"),
        file,
        "settings round-trip through the file"
    );
}
