//! The command center in a real window: first start on a fresh data directory loads the demo town, the map
//! shows the 59 grids, search selects a grid, a click opens its panel with the right name and grid manager.

use std::time::Duration;

use chengguan_core::demo;
use chengguan_core::people::{Role, Scope};
use chengguan_e2e::Desktop;

/// The name and grid manager of a demo grid, from the same generator the app used.
fn expected(code: &str) -> (String, String) {
    let town = demo::generate(demo::DEFAULT_SEED);
    let grid = town
        .grids
        .iter()
        .find(|g| g.code == code)
        .unwrap_or_else(|| panic!("demo grid {code}"));
    let manager = town
        .assignments
        .iter()
        .find(|a| a.role == Role::GridManager && a.scope == Scope::Grid(grid.id))
        .and_then(|a| town.people.iter().find(|p| p.id == a.person_id))
        .expect("every demo grid has a manager");
    (grid.name.clone(), manager.name.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_shows_59_grids_and_opens_a_grid() {
    let desktop = Desktop::start().await;
    let title = desktop.client.title().await.expect("title");
    assert_eq!(title, "城关镇智慧治理指挥中心", "the window's title");

    let count = desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(90),
            |v| v.as_u64() == Some(59),
        )
        .await;
    assert_eq!(count, 59, "exactly 59 grid shapes are drawn");
    desktop
        .wait_for_text(
            "[data-test=town-name]",
            "城关镇 演示数据",
            Duration::from_secs(20),
        )
        .await;
    let labels = desktop
        .client
        .execute(
            "return document.querySelectorAll('.grid-label').length;",
            vec![],
        )
        .await
        .expect("labels");
    assert_eq!(labels, 59, "every grid has a label");
    desktop.screenshot("01-town-map").await;

    // Search by code selects the grid and opens its panel.
    let (name, manager) = expected("CG-03-07");
    let search = desktop.find("[data-test=grid-search] input").await;
    search.send_keys("CG-03-07").await.expect("type");
    search.send_keys("\u{E007}").await.expect("enter");
    desktop
        .wait_for_text("[data-test=grid-name]", &name, Duration::from_secs(20))
        .await;
    desktop.screenshot("02-search-selects-grid").await;

    // A click on another grid opens its panel with its manager, phone masked.
    let (name, manager_b) = expected("CG-06-04");
    assert_ne!(manager, manager_b);
    desktop
        .find("[data-test=fit-town]")
        .await
        .click()
        .await
        .expect("fit town");
    tokio::time::sleep(Duration::from_millis(600)).await;
    desktop
        .find("path.grid-CG-06-04")
        .await
        .click()
        .await
        .expect("click the grid");
    desktop
        .wait_for_text("[data-test=grid-name]", &name, Duration::from_secs(20))
        .await;
    let card = desktop
        .find("[data-test=grid-manager]")
        .await
        .text()
        .await
        .expect("manager card");
    assert!(
        card.contains(&manager_b),
        "the panel names the grid manager {manager_b}: {card}"
    );
    assert!(
        card.contains("****"),
        "the manager's phone is masked: {card}"
    );
    desktop.screenshot("03-click-opens-panel").await;

    // Settings: a connection test names the reason a database cannot be used.
    desktop
        .find("[data-nav='/settings']")
        .await
        .click()
        .await
        .expect("open settings");
    let url = desktop.find("[data-test=database-url] input").await;
    url.send_keys("postgres://cg:secret@127.0.0.1:1/chengguan")
        .await
        .expect("type URL");
    desktop
        .find("[data-test=database-test]")
        .await
        .click()
        .await
        .expect("test connection");
    let script = "const e = document.querySelector('[data-test=connection-check]'); return e ? e.textContent : null;";
    let verdict = desktop
        .wait_for(
            "the connection verdict",
            script,
            Duration::from_secs(30),
            |v| v.as_str().is_some_and(|t| t.contains("store.connect")),
        )
        .await;
    let verdict = verdict.as_str().unwrap_or_default();
    assert!(
        verdict.contains("不可达") || verdict.contains("拒绝"),
        "the reason is given: {verdict}"
    );
    assert!(
        !verdict.contains("secret"),
        "the password is never shown: {verdict}"
    );
    desktop.screenshot("04-settings-connection-test").await;
    desktop.stop().await;
}
