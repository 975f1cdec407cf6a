use chengguan_app::AppError;

use chengguan_store::testing::{assert_includes, seed_numbers};

use crate::support::{app, backends, demo};

#[tokio::test]
async fn demo_refuses_existing_data_unless_forced() {
    for b in backends().await {
        let app = demo(&b).await;
        let again = app.load_demo(None, 1, false).await;
        assert!(
            matches!(again, Err(AppError::DemoOverData)),
            "{}: got {again:?}",
            b.name
        );
        assert_eq!(again.expect_err("refused").code(), "demo.not_empty");
        let anonymous = app
            .load_demo(None, 1, true)
            .await
            .expect_err("replacing needs a user");
        assert_eq!(anonymous.code(), "auth.sign_in_required", "{}", b.name);
        let leader = crate::support::sign_in(&app, "leader").await;
        let refused = app
            .load_demo(Some(&leader), 1, true)
            .await
            .expect_err("a leader cannot");
        assert_eq!(refused.code(), "auth.forbidden", "{}", b.name);
        let forced = app
            .load_demo(Some(&crate::support::admin(&app).await), 1, true)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", b.name));
        assert!(
            forced.replaced && !forced.initialised,
            "{}: {forced:?}",
            b.name
        );
        let status = app
            .status(&crate::support::admin(&app).await)
            .await
            .expect("status");
        assert!(
            status.synthetic,
            "{}: the demo is labelled synthetic",
            b.name
        );
        assert_eq!(
            (status.census.grids, status.census.units),
            (59, 1599),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn demo_initialises_a_fresh_database_and_status_reports_the_seed_numbers() {
    for b in backends().await {
        let app = app(&b).await;
        let admin = crate::support::admin(&app).await;
        let before = app.status(&admin).await.expect("status");
        assert!(
            before.town.is_none(),
            "{}: fresh database has no town",
            b.name
        );
        let loaded = app
            .load_demo(Some(&admin), chengguan_core::demo::DEFAULT_SEED, false)
            .await
            .expect("demo");
        assert!(
            loaded.initialised,
            "{}: demo initialised the database",
            b.name
        );
        let json = serde_json::to_value(
            app.status(&crate::support::admin(&app).await)
                .await
                .expect("status"),
        )
        .expect("json");
        assert_includes(&json, &seed_numbers(), &format!("{}: status", b.name));
    }
}
