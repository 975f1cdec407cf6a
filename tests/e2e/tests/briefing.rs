//! The leaders' briefing in the real window, on the briefing room's 1920×1080 screen: a leader opens 简报, makes
//! the pack (PDF and xlsx saved to the download folder), enters the big screen with F11, sees a petition
//! registered elsewhere counted within seconds, pauses the rotation, and leaves with Esc.

use std::time::Duration;

use chengguan_e2e::Desktop;

/// The value shown for one KPI on the big screen.
const RECEIVED: &str = "const e = document.querySelector('[data-test=big-screen] [data-kpi=received] b'); return e ? e.textContent.trim() : null;";

#[tokio::test]
async fn a_leader_makes_the_pack_and_runs_the_big_screen_at_1920x1080() {
    let desktop = Desktop::start_on_screen(&[("CHENGGUAN_DB", "")], (1920, 1080)).await;
    desktop
        .client
        .set_window_rect(0, 0, 1920, 1080)
        .await
        .expect("window size");
    desktop.sign_in("leader").await;

    desktop.click("[data-nav='/briefing']").await;
    desktop
        .wait_for(
            "the nine key figures",
            "return document.querySelectorAll('[data-test=briefing-kpis] [data-kpi]').length;",
            Duration::from_secs(120),
            |v| v.as_u64() == Some(9),
        )
        .await;
    desktop
        .wait_for(
            "the charts",
            "return document.querySelectorAll('.briefing-view__charts img').length;",
            Duration::from_secs(60),
            |v| v.as_u64() == Some(6),
        )
        .await;
    desktop.screenshot("33-briefing-window").await;

    // The pack: both files saved, named in the notice.
    desktop.click("[data-test=briefing-pack]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=briefing-made]",
            ".pdf",
            Duration::from_secs(120),
        )
        .await;
    desktop
        .wait_for_text_containing("[data-test=briefing-made]", ".xlsx", Duration::from_secs(5))
        .await;

    // F11: the big screen.
    desktop
        .client
        .execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F11' })); return null;",
            vec![],
        )
        .await
        .expect("F11");
    let before = desktop
        .wait_for(
            "the big screen's figures",
            RECEIVED,
            Duration::from_secs(60),
            |v| v.as_str().is_some_and(|t| t.parse::<u32>().is_ok()),
        )
        .await;
    let before: u32 = before.as_str().unwrap().parse().unwrap();
    desktop
        .wait_for(
            "the heat map panel",
            "return !!document.querySelector('[data-test=big-screen] [data-panel=map] .leaflet-container');",
            Duration::from_secs(30),
            |v| v.as_bool() == Some(true),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    desktop.screenshot("34-briefing-big-screen-1920x1080").await;
    let size = desktop
        .client
        .execute(
            "const r = document.querySelector('[data-test=big-screen]').getBoundingClientRect(); return [r.width, r.height];",
            vec![],
        )
        .await
        .expect("size");
    assert_eq!(
        size,
        serde_json::json!([1920, 1080]),
        "the big screen fills 1920×1080"
    );

    // A petition registered at another workstation (the command line, on the same database) is counted.
    let out = std::process::Command::new(chengguan_e2e::cli_binary())
        .args([
            "--db",
            &desktop.database_url(),
            "--user",
            "duty",
            "petitions",
            "add",
            "--channel",
            "hotline",
            "--category",
            "sanitation",
            "--description",
            "简报大屏实时更新测试",
            "--name",
            "测试",
            "--phone",
            "13800001111",
            "--address",
            "城关镇东关社区",
        ])
        .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
        .output()
        .expect("chengguan petitions add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = (before + 1).to_string();
    desktop
        .wait_for(
            "the new petition counted",
            RECEIVED,
            Duration::from_secs(30),
            |v| v.as_str() == Some(expected.as_str()),
        )
        .await;

    // The rotation pauses, and the arrows still move it by hand.
    desktop.click("[data-test=big-screen-pause]").await;
    desktop
        .wait_for_text(
            "[data-test=big-screen-pause]",
            "继续轮播",
            Duration::from_secs(5),
        )
        .await;
    desktop
        .client
        .execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' })); return null;",
            vec![],
        )
        .await
        .expect("arrow");
    desktop
        .wait_for(
            "the grid ranking",
            "const p = document.querySelector('[data-test=big-screen] [data-panel]'); return p ? p.dataset.panel : null;",
            Duration::from_secs(5),
            |v| v.as_str() == Some("grids"),
        )
        .await;
    desktop.screenshot("35-briefing-big-screen-grids").await;

    // Esc leaves it.
    desktop
        .client
        .execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })); return null;",
            vec![],
        )
        .await
        .expect("Esc");
    desktop
        .wait_for(
            "the big screen gone",
            "return !document.querySelector('[data-test=big-screen]');",
            Duration::from_secs(5),
            |v| v.as_bool() == Some(true),
        )
        .await;
    desktop.stop().await;
}
