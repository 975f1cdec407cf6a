//! The alliances' calendars in the real window: a party secretary opens an alliance's month (days off and
//! make-up workdays marked, today's units on duty), swaps two future weeks by dragging one onto the other and
//! giving a reason, logs an activity on this week's turn, and sees the review (评星定级) count it. The week view,
//! the review and the A4 print sheet are photographed.

use std::time::Duration;

use chengguan_e2e::Desktop;

/// The text of the turn shown on `day` in the month grid.
fn turn_on(day: &str) -> String {
    format!(
        "const c = document.querySelector('[data-day=\"{day}\"] .duty-cal__turn'); return c ? c.textContent.trim() : null;"
    )
}

/// Beijing's today, the Mondays one and two weeks on, and last week's Monday, as the UI computes them.
const WEEKS: &str = "const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date()).map(x => [x.type, x.value])); \
    const [y, m, d] = [Number(p.year), Number(p.month), Number(p.day)]; \
    const t = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10); \
    const base = new Date(Date.UTC(y, m - 1, d)); const wd = (base.getUTCDay() + 6) % 7; \
    const day = (n) => new Date(Date.UTC(y, m - 1, d - wd + n)).toISOString().slice(0, 10); \
    return [t, day(7), day(14), day(-7)];";

#[tokio::test]
async fn a_secretary_swaps_two_weeks_logs_an_activity_and_sees_the_review_change() {
    let desktop = Desktop::start().await;
    desktop.sign_in("secretary").await;
    // Today's shift in the status bar and on the overview.
    desktop
        .wait_for_text_containing("[data-test=shift-now]", "带班", Duration::from_secs(90))
        .await;
    desktop
        .wait_for_text_containing("[data-test=today-duty]", "CG-08", Duration::from_secs(60))
        .await;
    desktop.screenshot("25b-overview-today-duty").await;

    // The review before: this week's unit of the first alliance.
    desktop.click("[data-nav='/duty']").await;
    desktop
        .wait_for(
            "today's eight units on duty",
            "return document.querySelectorAll('[data-test=duty-today] .duty-view__chip').length;",
            Duration::from_secs(90),
            |v| v.as_u64() == Some(8),
        )
        .await;
    let days = desktop
        .wait_for("the weeks", WEEKS, Duration::from_secs(5), |v| v.is_array())
        .await;
    let day = |i: usize| days[i].as_str().expect("a day").to_string();
    let (today, next, after, last) = (day(0), day(1), day(2), day(3));
    desktop
        .wait_for(
            "this month's turns",
            "return document.querySelectorAll('.duty-cal__turn').length;",
            Duration::from_secs(60),
            |v| v.as_u64().is_some_and(|n| n >= 28),
        )
        .await;
    // Days off and make-up workdays are marked from the State Council's calendar (December has weekends at
    // least).
    let off = desktop
        .wait_for(
            "days off",
            "return document.querySelectorAll('.duty-cal__day--off').length;",
            Duration::from_secs(10),
            |v| v.as_u64().is_some_and(|n| n >= 8),
        )
        .await;
    assert!(off.as_u64().unwrap() >= 8);
    let this_week_unit = desktop
        .wait_for(
            "today's turn",
            &turn_on(&today),
            Duration::from_secs(10),
            |v| v.is_string(),
        )
        .await
        .as_str()
        .unwrap()
        .trim_end_matches('●')
        .trim()
        .to_string();
    desktop.screenshot("26-duty-month").await;

    // Last week's turn has ended: an activity logged on it counts in the review (early in a month it shows
    // in the month before).
    let show = |day: String| {
        format!("return !!document.querySelector('[data-day=\"{day}\"] .duty-cal__turn');")
    };
    if desktop
        .client
        .execute(&show(last.clone()), vec![])
        .await
        .expect("query")
        != serde_json::json!(true)
    {
        desktop.click("[data-test=prev]").await;
    }
    let reviewed_unit = desktop
        .wait_for(
            "last week's turn",
            &turn_on(&last),
            Duration::from_secs(20),
            |v| v.is_string(),
        )
        .await
        .as_str()
        .unwrap()
        .trim_end_matches('●')
        .trim()
        .to_string();
    desktop.click("[data-test=today]").await;

    // The review of that unit before the activity.
    desktop.click("[data-nav='/alliances']").await;
    let count_script = format!(
        "const r = [...document.querySelectorAll('[data-test=review-table] tbody tr')]\
         .find(tr => tr.textContent.includes({reviewed_unit:?})); \
         return r ? r.querySelectorAll('td')[4].textContent.trim() : null;"
    );
    let before: u64 = desktop
        .wait_for(
            "the unit's review row",
            &count_script,
            Duration::from_secs(60),
            |v| v.is_string(),
        )
        .await
        .as_str()
        .unwrap()
        .parse()
        .expect("a count");

    // Swap next week and the week after by dragging one onto the other; a reason is asked. (Late in a month
    // the week after shows only in the next month.)
    desktop.click("[data-nav='/duty']").await;
    desktop
        .wait_for(
            "today's turn",
            &turn_on(&today),
            Duration::from_secs(60),
            |v| v.is_string(),
        )
        .await;
    let shown =
        format!("return !!document.querySelector('[data-day=\"{after}\"] .duty-cal__turn');");
    if desktop.client.execute(&shown, vec![]).await.expect("query") != serde_json::json!(true) {
        desktop.click("[data-test=next]").await;
    }
    let (a, b) = (
        desktop
            .wait_for(
                "next week's turn",
                &turn_on(&next),
                Duration::from_secs(60),
                |v| v.is_string(),
            )
            .await,
        desktop
            .wait_for(
                "the week after's turn",
                &turn_on(&after),
                Duration::from_secs(10),
                |v| v.is_string(),
            )
            .await,
    );
    let drag = format!(
        "const dt = new DataTransfer(); \
         const from = document.querySelector('[data-day=\"{next}\"]'); const to = document.querySelector('[data-day=\"{after}\"]'); \
         from.dispatchEvent(new DragEvent('dragstart', {{ bubbles: true, dataTransfer: dt }})); \
         to.dispatchEvent(new DragEvent('dragover', {{ bubbles: true, cancelable: true, dataTransfer: dt }})); \
         to.dispatchEvent(new DragEvent('drop', {{ bubbles: true, cancelable: true, dataTransfer: dt }})); return true;"
    );
    desktop.client.execute(&drag, vec![]).await.expect("drag");
    desktop
        .wait_for_text_containing("[data-test=swap-summary]", "互换", Duration::from_secs(10))
        .await;
    desktop.fill("swap-reason", "原定单位年终会议冲突").await;
    desktop.screenshot("27-duty-swap-reason").await;
    desktop.click("[data-test=swap-confirm]").await;
    desktop
        .wait_for("the swap", &turn_on(&next), Duration::from_secs(20), |v| {
            *v == b
        })
        .await;
    desktop
        .wait_for("the swap", &turn_on(&after), Duration::from_secs(5), |v| {
            *v == a
        })
        .await;

    // Log an activity on last week's turn.
    desktop.click("[data-test=today]").await;
    desktop
        .wait_for(
            "today's turn",
            &turn_on(&today),
            Duration::from_secs(20),
            |v| v.is_string(),
        )
        .await;
    if desktop
        .client
        .execute(&show(last.clone()), vec![])
        .await
        .expect("query")
        != serde_json::json!(true)
    {
        desktop.click("[data-test=prev]").await;
    }
    desktop
        .wait_for(
            "last week's turn",
            &turn_on(&last),
            Duration::from_secs(20),
            |v| v.is_string(),
        )
        .await;
    desktop.click(&format!("[data-day='{last}']")).await;
    desktop.click("[data-test=log-activity]").await;
    desktop.fill("activity-title", "义诊与健康咨询进小区").await;
    desktop.fill("activity-place", "社区党群服务中心").await;
    desktop.screenshot("28-duty-activity-form").await;
    desktop.click("[data-test=activity-save]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=turn-activities]",
            "义诊与健康咨询进小区",
            Duration::from_secs(20),
        )
        .await;
    desktop.screenshot("29-duty-turn-activities").await;

    // The review counts it.
    desktop.click("[data-nav='/alliances']").await;
    desktop
        .wait_for(
            "the review to count the activity",
            &count_script,
            Duration::from_secs(60),
            |v| v.as_str().and_then(|s| s.parse::<u64>().ok()) == Some(before + 1),
        )
        .await;
    desktop.screenshot("30-alliances-review").await;

    // Every alliance's week, and the A4 sheet.
    desktop.click("[data-nav='/duty']").await;
    desktop.click("[data-test=mode-week]").await;
    desktop
        .wait_for(
            "the dates, the command center's shifts and eight alliances' rows",
            "return document.querySelectorAll('.duty-cal--week .duty-cal__week').length;",
            Duration::from_secs(30),
            |v| v.as_u64() == Some(10),
        )
        .await;
    desktop
        .wait_for(
            "a week of shifts",
            "return document.querySelectorAll('[data-test=shift-row] .duty-cal__shift').length;",
            Duration::from_secs(20),
            |v| v.as_u64().is_some_and(|n| n >= 8),
        )
        .await;
    desktop.screenshot("31-duty-week").await;
    desktop.click("[data-test=mode-month]").await;
    desktop.click("[data-test=today]").await;
    desktop.click("[data-test=print]").await;
    desktop
        .wait_for(
            "the print sheet's days",
            "return document.querySelectorAll('[data-test=print-sheet] tbody td').length;",
            Duration::from_secs(30),
            |v| v.as_u64().is_some_and(|n| n >= 28),
        )
        .await;
    desktop
        .wait_for_text_containing(
            "[data-test=print-sheet]",
            &this_week_unit,
            Duration::from_secs(20),
        )
        .await;
    desktop.screenshot("32-duty-print-sheet").await;
    desktop.stop().await;
}
