//! The 人员 view in the real window: a duty officer searches by pinyin initials, opens a person's card (phone
//! masked, copied only after a reveal with a reason), and switches the map to the coverage layer, whose grids
//! are coloured by their gaps; a grid's panel lists its 1+1+1+N team.

use std::time::Duration;

use chengguan_e2e::Desktop;

#[tokio::test]
async fn a_duty_officer_finds_people_by_initials_and_sees_coverage() {
    let desktop = Desktop::start().await;
    desktop
        .wait_for_text_containing("[data-test=sign-in]", "请登录", Duration::from_secs(120))
        .await;
    desktop.sign_in("duty").await;
    desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(120),
            |v| v.as_u64() == Some(59),
        )
        .await;

    desktop.click("[data-nav='/people']").await;
    desktop
        .wait_for(
            "the roster's rows",
            "return document.querySelectorAll('[data-test=roster-table] tbody tr').length;",
            Duration::from_secs(60),
            |v| v.as_u64().is_some_and(|n| n > 20),
        )
        .await;
    desktop.screenshot("20-people-roster").await;

    // Initials: every hit's name reads z… s… (张三, 周生荣 …), people and residents apart.
    let search = desktop
        .find("input[data-test=people-search], [data-test=people-search] input")
        .await;
    search.send_keys("zs").await.expect("type");
    let hits = desktop
        .wait_for(
            "hits for zs",
            "return [...document.querySelectorAll('[data-test=search-hit]')].map(e => e.textContent.trim());",
            Duration::from_secs(60),
            |v| v.as_array().is_some_and(|a| !a.is_empty()),
        )
        .await;
    let first = hits[0].as_str().expect("a name").to_string();
    let initials: Vec<char> = first
        .chars()
        .filter_map(|c| {
            chengguan_core::people::pinyin::read_name(&c.to_string())
                .first()
                .and_then(|s| s.reading.chars().next())
        })
        .collect();
    assert_eq!(initials.first(), Some(&'z'), "{first}");
    assert_eq!(initials.get(1), Some(&'s'), "{first}");
    desktop
        .wait_for_text_containing(
            "[data-test=search-results]",
            "居民",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("21-people-search-initials").await;

    desktop.click("[data-test=search-hit]").await;
    desktop
        .wait_for_text("[data-test=person-name]", &first, Duration::from_secs(20))
        .await;
    let phone = desktop
        .find("[data-test=person-phone]")
        .await
        .text()
        .await
        .expect("phone");
    assert!(phone.contains("****"), "the phone is masked: {phone}");
    desktop
        .wait_for(
            "the current assignments",
            "const e = document.querySelector('[data-test=current-assignments]'); return e ? e.textContent : null;",
            Duration::from_secs(20),
            |v| v.as_str().is_some_and(|t| t.contains("网格") || t.contains("社区")),
        )
        .await;
    desktop.screenshot("22-person-card").await;
    // Copying the phone asks for a reason first (the reveal is audited).
    desktop.click("[data-test=copy-phone]").await;
    desktop
        .find("[data-test=reveal-reason] input, input[data-test=reveal-reason]")
        .await;
    desktop.screenshot("23-copy-asks-for-a-reason").await;
    desktop
        .client
        .execute(
            "document.querySelector('.el-dialog__headerbtn')?.click();",
            vec![],
        )
        .await
        .expect("close");
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The map's coverage layer: every grid coloured by its gaps; the legend counts them.
    desktop.click("[data-nav='/']").await;
    desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(60),
            |v| v.as_u64() == Some(59),
        )
        .await;
    desktop.click("[data-test=coverage-layer]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=coverage-legend]",
            "包联覆盖",
            Duration::from_secs(30),
        )
        .await;
    let fills = desktop
        .wait_for(
            "coverage colours",
            "return [...new Set([...document.querySelectorAll('path.grid-shape')].map(p => p.getAttribute('fill')))];",
            Duration::from_secs(20),
            |v| v.as_array().is_some_and(|a| a.iter().all(|f| ["#3f9e5a", "#e6a23c", "#f56c6c"].contains(&f.as_str().unwrap_or("")))),
        )
        .await;
    assert!(!fills.as_array().expect("fills").is_empty());
    desktop.screenshot("24-coverage-layer").await;

    // A grid's panel lists its team and its gaps.
    let search = desktop.find("[data-test=grid-search] input").await;
    search.send_keys("CG-04-01").await.expect("type");
    search.send_keys("\u{E007}").await.expect("enter");
    desktop
        .wait_for_text_containing(
            "[data-test=grid-team]",
            "网格管理员 1",
            Duration::from_secs(20),
        )
        .await;
    desktop
        .wait_for_text_containing("[data-test=grid-gaps]", "无空缺", Duration::from_secs(20))
        .await;
    desktop.screenshot("25-grid-team-and-gaps").await;
    desktop.stop().await;
}
