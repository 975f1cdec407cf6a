//! The analysis's petitions in memory select exactly what the store's query selects, for every kind of filter,
//! and stay equal as petitions arrive, move through the workflow and change grid — on this workstation or on
//! another one sharing the database — on both databases.

use chengguan_app::petitions::Step;
use chengguan_app::App;
use chengguan_store::prelude::*;
use chengguan_store::PetitionFilter;
use chrono::{TimeZone, Utc};

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

/// The selection as comparable rows: point, grid, arrival.
async fn from_memory(app: &App, f: &PetitionFilter) -> Vec<(String, Option<String>, i64)> {
    let s = app.analysis_points(f).await.expect("analysis points");
    let mut rows: Vec<_> = s
        .points
        .iter()
        .map(|p| {
            (
                format!("{:.9},{:.9}", p.lon, p.lat),
                s.grid_of(p).map(str::to_string),
                p.received_us,
            )
        })
        .collect();
    rows.sort();
    rows
}

async fn from_store(
    store: &chengguan_store::AnyStore,
    f: &PetitionFilter,
) -> Vec<(String, Option<String>, i64)> {
    let mut rows: Vec<_> = store
        .petition_points(f)
        .await
        .expect("store points")
        .into_iter()
        .map(|p| {
            (
                format!("{:.9},{:.9}", p.lon, p.lat),
                p.grid_code,
                p.received_at.timestamp_micros(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn filters() -> Vec<PetitionFilter> {
    let t = |m, d| Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        PetitionFilter::default(),
        PetitionFilter {
            statuses: s(&["received", "accepted", "in_progress"]),
            ..Default::default()
        },
        PetitionFilter {
            categories: s(&["sanitation", "dispute"]),
            ..Default::default()
        },
        PetitionFilter {
            channels: s(&["council"]),
            ..Default::default()
        },
        PetitionFilter {
            levels: s(&["community", "town"]),
            ..Default::default()
        },
        PetitionFilter {
            grid_codes: s(&["CG-03-04", "CG-06-03", "CG-99-99"]),
            ..Default::default()
        },
        PetitionFilter {
            grid_code: Some("CG-03-04".into()),
            ..Default::default()
        },
        PetitionFilter {
            grid_code: Some("CG-03-04".into()),
            grid_codes: s(&["CG-06-03"]),
            ..Default::default()
        },
        PetitionFilter {
            received_from: Some(t(6, 1)),
            received_before: Some(t(9, 1)),
            ..Default::default()
        },
        PetitionFilter {
            deadline_before: Some(t(11, 15)),
            statuses: s(&["received", "in_progress"]),
            ..Default::default()
        },
        PetitionFilter {
            categories: s(&["unknown_code"]),
            ..Default::default()
        },
    ]
}

#[tokio::test]
async fn memory_selects_what_the_store_selects_and_follows_every_change() {
    for b in backends().await {
        let app = demo(&b).await;
        let store = chengguan_store::open(&b.url, chengguan_store::testing::audit_key())
            .await
            .expect("store");
        // Before warming, analysis reads the database; after, memory: the same either way.
        let cold = from_memory(&app, &PetitionFilter::default()).await;
        let held = app.warm_analysis().await.expect("warm");
        assert_eq!(held, cold.len(), "{}", b.name);
        for f in filters() {
            let (mem, db) = (from_memory(&app, &f).await, from_store(&store, &f).await);
            assert_eq!(mem, db, "{}: {f:?}", b.name);
        }
        assert!(from_memory(&app, &PetitionFilter::default()).await.len() > 190);

        // Changes here and on another workstation: a new petition, workflow steps, a new grid.
        let other = App::open(&b.url, chengguan_store::testing::audit_key())
            .await
            .expect("second workstation");
        let duty = sign_in(&app, "duty").await;
        let elsewhere = sign_in(&other, "duty").await;
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-02-02").await)
            .await
            .expect("create");
        let q = other
            .create_petition(&elsewhere, &call_in(&other, "CG-07-03").await)
            .await
            .expect("create elsewhere");
        let p = app
            .act_on_petition(
                &duty,
                &p.id,
                p.version,
                &Step::Accept {
                    category: Some("dispute".into()),
                },
                "",
            )
            .await
            .expect("accept");
        other
            .override_petition_grid(
                &elsewhere,
                &q.id,
                q.version,
                "CG-07-04",
                "来电人说明实际位置在隔壁网格",
            )
            .await
            .expect("regrid");
        for f in filters() {
            let (mem, db) = (from_memory(&app, &f).await, from_store(&store, &f).await);
            assert_eq!(mem, db, "{}: after the changes, {f:?}", b.name);
        }
        let accepted = PetitionFilter {
            statuses: vec!["accepted".into()],
            categories: vec!["dispute".into()],
            ..Default::default()
        };
        assert!(
            !from_memory(&app, &accepted).await.is_empty(),
            "{}: {}",
            b.name,
            p.id
        );
    }
}
