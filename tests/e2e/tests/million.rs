//! How the map feels with many petitions (run by bench/map_million.sh, not by `make test`): on the database named
//! by `CHENGGUAN_E2E_DB` (else a fresh demo town), the time from a click on each analysis view to its layer on
//! screen, and the frames the window paints while the map zooms in and out over the heat layer and the open
//! petitions' markers. Prints figures for docs/benchmarks.md; asserts only that each layer appears.
#![allow(clippy::print_stdout)]

use std::time::Duration;

use chengguan_e2e::Desktop;

/// Clicks `view` and resolves with the milliseconds until `ready` (a JS expression) holds (the page's CSP allows
/// no `eval`, so the expression is written into the script).
fn switch_script(view: &str, ready: &str) -> String {
    format!(
        "return (async () => {{\
            const t0 = performance.now();\
            document.querySelector('[data-test={view}]').click();\
            while (!({ready})) {{\
                if (performance.now() - t0 > 120000) return -1;\
                await new Promise(r => setTimeout(r, 10));\
            }}\
            return performance.now() - t0;\
        }})();"
    )
}

/// Zooms in and out six times (Leaflet's animated zoom) and reports the frames painted meanwhile.
const ZOOMING: &str = "return (async () => {\
    const zoomIn = document.querySelector('.leaflet-control-zoom-in');\
    const zoomOut = document.querySelector('.leaflet-control-zoom-out');\
    const gaps = []; let last = performance.now(); let running = true;\
    const tick = (t) => { gaps.push(t - last); last = t; if (running) requestAnimationFrame(tick); };\
    requestAnimationFrame(tick);\
    const t0 = performance.now();\
    for (let i = 0; i < 6; i++) { (i % 2 ? zoomOut : zoomIn).click(); await new Promise(r => setTimeout(r, 500)); }\
    running = false;\
    const seconds = (performance.now() - t0) / 1000;\
    gaps.sort((a, b) => a - b);\
    return { fps: gaps.length / seconds, p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1] };\
})();";

#[tokio::test]
#[ignore = "a benchmark: bench/map_million.sh runs it"]
async fn the_map_with_many_petitions() {
    let db = std::env::var("CHENGGUAN_E2E_DB").ok();
    let desktop = Desktop::start_on(db.as_deref()).await;
    desktop.sign_in("leader").await;
    desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(120),
            |v| v.as_u64() == Some(59),
        )
        .await;
    // Let the background warm-up finish before measuring what a duty officer sees all day.
    tokio::time::sleep(Duration::from_secs(20)).await;
    let open = desktop
        .wait_for(
            "the open petitions' count",
            "const e = document.querySelector('[data-test=open-petitions]'); return e ? e.textContent.trim() : '';",
            Duration::from_secs(60),
            |v| v.as_str().is_some_and(|t| t.chars().any(|c| c.is_ascii_digit())),
        )
        .await;
    let heat_shown = "(() => { const i = document.querySelectorAll('img.heat-overlay'); \
                      return i.length === 1 && Number(i[0].style.opacity) > 0; })()";
    let fills_in = |colours: &str| {
        format!("[...document.querySelectorAll('path.grid-shape')].every(p => {colours}.includes(p.getAttribute('fill')))")
    };
    let mut figures = Vec::new();
    for (label, view, ready) in [
        ("热力图", "view-heat", heat_shown.to_string()),
        (
            "分级图",
            "view-choropleth",
            fills_in("['#ffffb2','#fecc5c','#fd8d3c','#f03b20','#bd0026','#3a4656']"),
        ),
        (
            "热点分析",
            "view-hotspots",
            fills_in("['#d62f27','#ed7551','#fab984','#7d8a99','#c0ccbe','#849eba','#4575b5']"),
        ),
        ("热力图（再次）", "view-heat", heat_shown.to_string()),
    ] {
        let ms = desktop
            .client
            .execute(&switch_script(view, &ready), vec![])
            .await
            .expect("switch");
        let ms = ms.as_f64().unwrap_or(-1.0);
        assert!(ms >= 0.0, "{label}: the layer did not appear");
        figures.push(format!("{label} {ms:.0} ms"));
    }
    desktop.screenshot("million-heat").await;
    let zoom = desktop
        .client
        .execute(ZOOMING, vec![])
        .await
        .expect("zooming");
    println!(
        "map | {} | {} | click → layer: {} | zooming over the heat layer: {:.0} frames/s, p95 frame {:.0} ms, longest {:.0} ms",
        db.as_deref().unwrap_or("fresh demo town"),
        open.as_str().unwrap_or_default(),
        figures.join(", "),
        zoom["fps"].as_f64().unwrap_or(0.0),
        zoom["p95"].as_f64().unwrap_or(0.0),
        zoom["max"].as_f64().unwrap_or(0.0),
    );
    desktop.stop().await;
}
