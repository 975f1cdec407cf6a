//! The command center in a real window: first start on a fresh data directory loads the demo town and shows the
//! sign-in screen; signed in as a leader (no reveal permission) the map shows the 59 grids, search selects a
//! grid, a click opens its panel with the right name and the grid manager's phone masked; a duty officer reveals
//! it with a reason; the administrator finds that reveal in the audit log.

use std::time::Duration;

use chengguan_core::demo;
use chengguan_core::people::{Role, Scope};
use chengguan_e2e::Desktop;

/// Signs out with the title bar's button.
async fn sign_out(desktop: &Desktop) {
    desktop
        .client
        .execute(
            "document.querySelector('[data-test=sign-out]').click(); return null;",
            vec![],
        )
        .await
        .expect("sign out");
}

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

    // The first screen is the sign-in; nothing of the town is shown before it.
    desktop
        .wait_for_text_containing("[data-test=sign-in]", "请登录", Duration::from_secs(90))
        .await;
    let shapes = desktop
        .client
        .execute(
            "return document.querySelectorAll('path.grid-shape').length;",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(shapes, 0, "no map before signing in");
    let wrong = desktop
        .find("input[data-test=username], [data-test=username] input")
        .await;
    wrong.send_keys("leader").await.expect("type");
    desktop
        .find("input[data-test=password], [data-test=password] input")
        .await
        .send_keys("wrong-password")
        .await
        .expect("type");
    desktop.click("[data-test=sign-in-submit]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=sign-in-error]",
            "用户名或密码错误",
            Duration::from_secs(20),
        )
        .await;
    desktop.screenshot("00-sign-in").await;
    desktop.sign_in("leader").await;

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
    desktop.click("[data-test=fit-town]").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    desktop.click("path.grid-CG-06-04").await;
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
    let reveal_buttons = desktop
        .client
        .execute(
            "return document.querySelectorAll('[data-test=reveal-manager]').length;",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(reveal_buttons, 0, "a leader has no reveal button");
    desktop
        .wait_for_text_containing(
            "[data-test=mask-note]",
            "无权查看明文",
            Duration::from_secs(5),
        )
        .await;
    desktop
        .screenshot("03-click-opens-panel-masked-for-a-leader")
        .await;

    // Settings: only the administrator may test or switch the database; a leader sees why not.
    desktop.click("[data-nav='/settings']").await;
    let disabled = desktop
        .wait_for(
            "the disabled connection test",
            "const b = document.querySelector('[data-test=database-test]'); return b ? b.disabled : null;",
            Duration::from_secs(10),
            |v| v.as_bool().is_some(),
        )
        .await;
    assert_eq!(
        disabled.as_bool(),
        Some(true),
        "a leader cannot test or switch the database"
    );

    // A duty officer reveals the manager's phone, giving a reason.
    sign_out(&desktop).await;
    desktop.sign_in("duty").await;
    desktop.screenshot("05-signed-in-as-duty-officer").await;
    desktop
        .wait_for(
            "the 59 grid shapes",
            "return document.querySelectorAll('path.grid-shape').length;",
            Duration::from_secs(30),
            |v| v.as_u64() == Some(59),
        )
        .await;
    let search = desktop.find("[data-test=grid-search] input").await;
    search.send_keys("CG-06-04").await.expect("type");
    search.send_keys("\u{E007}").await.expect("enter");
    desktop
        .wait_for_text("[data-test=grid-name]", &name, Duration::from_secs(20))
        .await;
    desktop.click("[data-test=reveal-manager]").await;
    desktop
        .find("input[data-test=reveal-reason], [data-test=reveal-reason] input")
        .await
        .send_keys("回访群众诉求")
        .await
        .expect("reason");
    desktop.click("[data-test=reveal-confirm]").await;
    let phone = desktop
        .wait_for(
            "the phone in clear",
            "const e = document.querySelector('[data-test=manager-phone]'); return e ? e.textContent : null;",
            Duration::from_secs(20),
            |v| v.as_str().is_some_and(|t| !t.contains('*') && t.trim().len() == 11),
        )
        .await;
    desktop
        .screenshot("05-duty-officer-reveals-with-a-reason")
        .await;

    // The administrator sees that reveal in the audit log, and the chain verifies.
    sign_out(&desktop).await;
    desktop.sign_in("admin").await;
    // The administrator's connection test names the reason a database cannot be used.
    desktop.click("[data-nav='/settings']").await;
    let url = desktop.find("[data-test=database-url] input").await;
    url.send_keys("postgres://cg:secret@127.0.0.1:1/chengguan")
        .await
        .expect("type URL");
    desktop.click("[data-test=database-test]").await;
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
    desktop
        .wait_for_text_containing("[data-test=log-dir]", "logs", Duration::from_secs(5))
        .await;
    desktop.screenshot("04-settings-connection-test").await;

    desktop.click("[data-nav='/audit']").await;
    desktop
        .wait_for_text_containing(
            "[data-test=audit-view]",
            "person.reveal",
            Duration::from_secs(20),
        )
        .await;
    desktop
        .wait_for_text_containing(
            "[data-test=audit-view]",
            "回访群众诉求",
            Duration::from_secs(5),
        )
        .await;
    desktop.click("[data-test=audit-verify]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=audit-verification]",
            "签名链校验通过",
            Duration::from_secs(20),
        )
        .await;
    let shown = desktop
        .find("[data-test=audit-view]")
        .await
        .text()
        .await
        .expect("audit text");
    assert!(
        !shown.contains(phone.as_str().unwrap_or("-").trim()),
        "the audit log names whose data, not the data itself"
    );
    desktop.click("[data-test=audit-export]").await;
    let exported = desktop
        .wait_for(
            "the export's path",
            "const e = document.querySelector('[data-test=audit-exported]'); return e ? e.textContent : null;",
            Duration::from_secs(20),
            |v| v.as_str().is_some_and(|t| t.contains(".xlsx")),
        )
        .await;
    let text = exported.as_str().unwrap_or_default();
    let path = text[text.find('/').expect("a path")..].trim();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(bytes.starts_with(b"PK"), "an xlsx (zip) file: {path}");
    desktop.screenshot("06-admin-audit-log").await;

    // The administrator's account list holds the five demo accounts.
    desktop.click("[data-nav='/users']").await;
    for user in ["admin", "duty", "leader", "secretary", "grid0101"] {
        desktop
            .wait_for_text_containing("[data-test=users-view]", user, Duration::from_secs(20))
            .await;
    }
    desktop.screenshot("07-admin-users").await;
    desktop.click("[data-nav='/settings']").await;
    desktop
        .wait_for_text_containing("[data-test=sla-card]", "安全隐患", Duration::from_secs(20))
        .await;
    desktop.screenshot("07b-admin-time-limits").await;
    // A category of the town's own: added in Settings, listed at once (the desk and Open311 offer it).
    desktop.fill("category-code", "heating").await;
    desktop.fill("category-name", "供暖").await;
    desktop.click("[data-test=category-add]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=categories-card]",
            "heating",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("07c-admin-categories").await;

    // A petition posted to the Open311 server (another process on the same database file) appears in the duty
    // officer's queue and on the map without a reload.
    let intake = Intake::start(&desktop);
    sign_out(&desktop).await;
    desktop.sign_in("duty").await;
    desktop.click("[data-nav='/petitions']").await;
    desktop
        .wait_for_text_containing("[data-test=petition-total]", "", Duration::from_secs(20))
        .await;
    let number = intake.post();
    desktop
        .wait_for_text_containing(
            "[data-test=petition-table]",
            &number,
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("08-posted-petition-in-the-queue").await;
    // Its detail: the timeline says who registered it; the duty officer accepts it there.
    desktop
        .client
        .execute(
            "const row = [...document.querySelectorAll('[data-test=petition-table] tr')]\
               .find(r => r.textContent.includes(arguments[0])); row.click(); return null;",
            vec![serde_json::json!(number)],
        )
        .await
        .expect("open the petition");
    desktop
        .wait_for_text_containing(
            "[data-test=petition-timeline]",
            "端到端测试",
            Duration::from_secs(10),
        )
        .await;
    desktop.click("[data-test=step-accept]").await;
    desktop.click("[data-test=step-confirm]").await;
    desktop
        .wait_for_text_containing(
            "[data-test=petition-detail]",
            "已受理",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("08b-petition-detail-accepted").await;
    // The duty officer exports the queue: the dialog offers the masked export, or the reporters in clear with a
    // reason that the audit log keeps. (Clicked from script: the toolbar's end is under the new-petition notice.)
    desktop
        .client
        .execute(
            "document.querySelector('[data-test=petition-export]').click(); return null;",
            vec![],
        )
        .await
        .expect("open the export dialog");
    desktop.find("[data-test=export-masked]").await;
    desktop.fill("export-reason", "移交县信访局核查").await;
    desktop.click("[data-test=export-clear]").await;
    desktop
        .wait_for(
            "the confirmation of the export in clear",
            "return document.body.textContent.includes('含反映人明文，已记入审计日志');",
            Duration::from_secs(20),
            |v| v.as_bool() == Some(true),
        )
        .await;
    desktop
        .screenshot("08c-export-in-clear-with-a-reason")
        .await;
    desktop.click("[data-nav='/']").await;
    let marker = format!("return document.querySelectorAll('path.petition-{number}').length;");
    desktop
        .wait_for(
            "the posted petition on the map",
            &marker,
            Duration::from_secs(20),
            |v| v.as_u64() == Some(1),
        )
        .await;
    // Another, while the map is open: its marker comes by itself.
    let second = intake.post();
    let marker = format!("return document.querySelectorAll('path.petition-{second}').length;");
    desktop
        .wait_for(
            "the second petition on the open map",
            &marker,
            Duration::from_secs(10),
            |v| v.as_u64() == Some(1),
        )
        .await;
    desktop.screenshot("09-posted-petitions-on-the-map").await;

    // The analysis views (issue 6), switched in the window, each changing what the map shows.
    analysis_views(&desktop, &intake).await;
    drop(intake);
    desktop.stop().await;
}

/// The distinct fill colours of the grid shapes.
const GRID_FILLS: &str = "return [...new Set([...document.querySelectorAll('path.grid-shape')]\
    .map(p => p.getAttribute('fill')))].sort();";

/// The heat image shown: its `src` once it is visible and the only one, else null.
const HEAT_IMAGE: &str = "const imgs = document.querySelectorAll('img.heat-overlay');\
    return imgs.length === 1 && Number(imgs[0].style.opacity) > 0 ? imgs[0].src : null;";

/// Heat, choropleth and hot spots in turn: the heat image over the town (one image, not one element per
/// petition) redrawn by itself when a petition arrives; grids filled in the choropleth's classes; grids filled in
/// the hot-spot classes, then hexagons; then this week's spike alert (the petitions posted at one spot) flies to
/// its grid.
async fn analysis_views(desktop: &Desktop, intake: &Intake) {
    let fills = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default()
    };
    let community_fills = fills(
        &desktop
            .client
            .execute(GRID_FILLS, vec![])
            .await
            .expect("fills"),
    );

    desktop.click("[data-test=view-heat]").await;
    let first = desktop
        .wait_for("the heat image", HEAT_IMAGE, Duration::from_secs(20), |v| {
            v.as_str()
                .is_some_and(|s| s.starts_with("data:image/png;base64,"))
        })
        .await;
    desktop
        .wait_for_text_containing(
            "[data-test=analysis-legend]",
            "件诉求",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("10-analysis-heat").await;
    // A petition posted now redraws the heat layer without a click.
    intake.post();
    desktop
        .wait_for(
            "the heat image redrawn after a new petition",
            HEAT_IMAGE,
            Duration::from_secs(10),
            |v| {
                v.as_str()
                    .is_some_and(|s| s.starts_with("data:image/png") && *v != first)
            },
        )
        .await;

    desktop.click("[data-test=view-choropleth]").await;
    let choropleth = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
    let shown = desktop
        .wait_for(
            "grids filled in the choropleth's classes",
            GRID_FILLS,
            Duration::from_secs(20),
            |v| {
                let f = fills(v);
                f.len() >= 3 && f.iter().all(|c| choropleth.contains(&c.as_str()))
            },
        )
        .await;
    assert_ne!(fills(&shown), community_fills);
    let heat_images = desktop
        .client
        .execute(
            "return document.querySelectorAll('img.heat-overlay').length;",
            vec![],
        )
        .await
        .expect("images");
    assert_eq!(heat_images, 0, "the heat image goes with its view");
    desktop
        .wait_for_text_containing(
            "[data-test=analysis-legend]",
            "分位数分级",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("11-analysis-choropleth").await;

    desktop.click("[data-test=view-hotspots]").await;
    let hot = ["#d62f27", "#ed7551", "#fab984"];
    let classes = ["#c0ccbe", "#849eba", "#4575b5", "#7d8a99"];
    desktop
        .wait_for(
            "grids filled in the hot-spot classes, some hot",
            GRID_FILLS,
            Duration::from_secs(20),
            |v| {
                let f = fills(v);
                f.iter().any(|c| hot.contains(&c.as_str()))
                    && f.iter()
                        .all(|c| hot.contains(&c.as_str()) || classes.contains(&c.as_str()))
            },
        )
        .await;
    desktop
        .wait_for_text_containing(
            "[data-test=analysis-legend]",
            "Gi*",
            Duration::from_secs(10),
        )
        .await;
    desktop.screenshot("12-analysis-hotspots").await;
    // On 250 m hexagons instead of grids: cells of their own, the grids back to faint community colours.
    desktop
        .click("[data-test=analysis-layout] .el-select__wrapper")
        .await;
    desktop
        .wait_for(
            "the hexagon option",
            "const o = [...document.querySelectorAll('.el-select-dropdown__item')]\
               .find(li => li.textContent.includes('六边形 250')); if (o) o.click(); return !!o;",
            Duration::from_secs(10),
            |v| v.as_bool() == Some(true),
        )
        .await;
    desktop
        .wait_for(
            "hexagon cells, some hot",
            "const c = document.querySelectorAll('path.hotspot-cell');\
             return [c.length, document.querySelectorAll('path.hotspot-hot99, path.hotspot-hot95').length];",
            Duration::from_secs(20),
            |v| v[0].as_u64().unwrap_or(0) > 50 && v[1].as_u64().unwrap_or(0) > 0,
        )
        .await;
    desktop.screenshot("12b-analysis-hotspots-hexagons").await;

    // Four petitions at one spot this week: an alert in the side panel; a click opens its grid.
    for _ in 0..2 {
        intake.post();
    }
    let alert = desktop
        .wait_for(
            "a spike alert",
            "const a = document.querySelector('[data-test^=alert-]');\
             return a ? a.getAttribute('data-test').slice(6) : null;",
            Duration::from_secs(15),
            |v| v.as_str().is_some_and(|c| c.starts_with("CG-")),
        )
        .await;
    let code = alert.as_str().expect("grid code").to_string();
    // The 新诉求 notices over the side panel are closed first, as an officer would.
    desktop
        .client
        .execute(
            "document.querySelectorAll('.el-notification__closeBtn').forEach(b => b.click()); return null;",
            vec![],
        )
        .await
        .expect("close the notices");
    tokio::time::sleep(Duration::from_millis(600)).await;
    desktop.screenshot("13-spike-alert-listed").await;
    desktop.click(&format!("[data-test=alert-{code}]")).await;
    let (name, _) = expected(&code);
    desktop
        .wait_for_text("[data-test=grid-name]", &name, Duration::from_secs(10))
        .await;
}

/// `chengguan serve` on the desktop's database, with an API key made by the administrator through the CLI.
struct Intake {
    server: std::process::Child,
    port: u16,
    key: String,
}

impl Intake {
    fn start(desktop: &Desktop) -> Self {
        let db = desktop.database_url();
        let cli = chengguan_e2e::cli_binary();
        let out = std::process::Command::new(&cli)
            .args([
                "--db",
                &db,
                "--user",
                "admin",
                "apikey",
                "create",
                "--name",
                "端到端测试",
            ])
            .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
            .output()
            .expect("chengguan apikey create");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "apikey create: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = text
            .split_whitespace()
            .find(|w| w.starts_with("cgk_"))
            .expect("the key is printed")
            .to_string();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let server = std::process::Command::new(&cli)
            .args([
                "--db",
                &db,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("chengguan serve");
        let start = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chengguan serve did not listen"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { server, port, key }
    }

    /// Posts a report as the mini-program would (GCJ-02 point) and returns its number.
    fn post(&self) -> String {
        use std::io::{Read, Write};
        let body = format!(
            "api_key={}&service_code=safety_hazard&lat=39.377669566&long=99.817423356&coord_system=gcj02\
             &description=%E6%A5%BC%E9%81%93%E7%94%B5%E5%8A%A8%E8%BD%A6%E5%85%85%E7%94%B5",
            self.key
        );
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("answer");
        assert!(
            answer.starts_with("HTTP/1.1 201"),
            "the post is accepted: {answer}"
        );
        let json: serde_json::Value =
            serde_json::from_str(answer.split("\r\n\r\n").nth(1).expect("body")).expect("json");
        json[0]["service_request_id"]
            .as_str()
            .expect("number")
            .to_string()
    }
}

impl Drop for Intake {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
