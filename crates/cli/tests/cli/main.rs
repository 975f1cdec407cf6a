//! The `chengguan` binary as an administrator runs it, against SQLite and a real PostgreSQL server.

use std::process::{Command, Output};

use chengguan_store::testing::{assert_includes, backends, seed_numbers, Backend};

/// The binary, keeping the audit chains of this suite's databases with the suite's own key, never the user's.
fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chengguan"));
    c.env(
        "CHENGGUAN_AUDIT_KEY_FILE",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/cli-audit.key"),
    );
    c
}

fn chengguan(b: &Backend, args: &[&str]) -> Output {
    let out = command()
        .arg("--db")
        .arg(b.url.expose())
        .args(args)
        .env_remove("CHENGGUAN_DB")
        // The demo's administrator (or the one `first_admin` creates) with the documented demo password.
        .env("CHENGGUAN_USER", "admin")
        .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
        .env("CHENGGUAN_NEW_PASSWORD", "Chengguan@2026")
        .output()
        .expect("run chengguan");
    out
}

fn ok(b: &Backend, args: &[&str]) -> String {
    let out = chengguan(b, args);
    assert!(
        out.status.success(),
        "{}: chengguan {args:?} failed: {}",
        b.name,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn reference(name: &str) -> String {
    format!(
        "{}/../../../shared/reference-data/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test]
async fn init_demo_status_prints_the_seed_numbers() {
    for b in backends().await {
        ok(&b, &["init"]);
        ok(&b, &["demo"]);
        let status: serde_json::Value =
            serde_json::from_str(&ok(&b, &["status", "--json"])).expect("status --json is JSON");
        assert_includes(
            &status,
            &seed_numbers(),
            &format!("{}: status --json", b.name),
        );
        assert_eq!(
            status["synthetic"], true,
            "{}: status says the demo is synthetic",
            b.name
        );
        let human = ok(&b, &["status"]);
        assert!(
            human.contains("演示数据"),
            "{}: the human status labels the demo: {human}",
            b.name
        );
    }
}

#[tokio::test]
async fn errors_exit_1_with_a_code_and_usage_errors_exit_2() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let again = chengguan(&b, &["demo"]);
        assert_eq!(
            again.status.code(),
            Some(1),
            "{}: demo over data is an error",
            b.name
        );
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(
            stderr.contains("[demo.not_empty]") && stderr.contains("--force"),
            "{}: {stderr}",
            b.name
        );
        ok(&b, &["demo", "--force"]);
        let kept = ok(&b, &["demo", "--if-empty"]);
        assert!(
            kept.contains("已有城镇数据"),
            "{}: --if-empty leaves existing data alone: {kept}",
            b.name
        );
        let usage = chengguan(&b, &["grids", "import"]);
        assert_eq!(
            usage.status.code(),
            Some(2),
            "{}: a missing argument is a usage error",
            b.name
        );
        let bad_crs = chengguan(&b, &["grids", "import", "x.json", "--crs", "mars"]);
        assert_eq!(
            bad_crs.status.code(),
            Some(2),
            "{}: an unknown CRS is a usage error",
            b.name
        );
        let bad = chengguan(
            &b,
            &[
                "grids",
                "import",
                &reference("geojson-cases/unclosed_ring.geojson"),
            ],
        );
        assert_eq!(bad.status.code(), Some(1), "{}", b.name);
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(
            stderr.contains("features[0]") && stderr.contains("geojson.unclosed_ring"),
            "{}: {stderr}",
            b.name
        );
        let missing = chengguan(&b, &["grids", "import", "/no/such/file.geojson"]);
        assert!(
            String::from_utf8_lossy(&missing.stderr).contains("[file.io]"),
            "{}: a missing file is named",
            b.name
        );
    }
}

#[tokio::test]
async fn export_check_and_reimport() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("grids.geojson");
        let file = file.to_str().expect("path");
        ok(&b, &["grids", "export", "--out", file]);
        let check = ok(&b, &["grids", "check"]);
        assert!(
            check.contains("重叠：无") && check.contains("缝隙：无"),
            "{}: {check}",
            b.name
        );
        let report: serde_json::Value =
            serde_json::from_str(&ok(&b, &["grids", "import", file, "--dry-run", "--json"]))
                .expect("json report");
        assert_eq!(
            report["grids"].as_array().map(Vec::len),
            Some(59),
            "{}",
            b.name
        );
        assert!(
            report["grids"]
                .as_array()
                .expect("grids")
                .iter()
                .all(|g| g["action"] == "unchanged"),
            "{}: round trip",
            b.name
        );
        let list: serde_json::Value =
            serde_json::from_str(&ok(&b, &["grids", "list", "--json"])).expect("json list");
        assert_eq!(
            list[0]["code"], "CG-01-01",
            "{}: grids listed by code",
            b.name
        );
    }
}

#[tokio::test]
async fn county_file_imports_with_gcj02() {
    for b in backends().await {
        ok(&b, &["init"]);
        ok(
            &b,
            &[
                "user",
                "add",
                "admin",
                "--name",
                "管理员",
                "--role",
                "admin",
            ],
        );
        let out = ok(
            &b,
            &[
                "grids",
                "import",
                &reference("anzhou99_GeoJsons_620700_full.json"),
                "--crs",
                "gcj02",
                "--code-property",
                "adcode",
            ],
        );
        assert!(
            out.contains("已写入") && out.contains("新建 6 个"),
            "{}: {out}",
            b.name
        );
        assert!(
            out.contains("顺时针"),
            "{}: clockwise rings are reported: {out}",
            b.name
        );
    }
}

#[tokio::test]
async fn users_act_within_their_roles_and_the_audit_log_verifies() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let dir = tempfile::tempdir().expect("dir");
        let empty = dir.path().join("empty.geojson");
        std::fs::write(&empty, "{}").expect("write");
        let as_leader = command()
            .args([
                "--db",
                b.url.expose(),
                "--user",
                "leader",
                "grids",
                "export",
                "--out",
                dir.path().join("map.geojson").to_str().expect("utf-8"),
            ])
            .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
            .output()
            .expect("run");
        assert!(
            as_leader.status.success(),
            "{}: a leader may export the map",
            b.name
        );
        let import = command()
            .args([
                "--db",
                b.url.expose(),
                "--user",
                "leader",
                "grids",
                "import",
                empty.to_str().expect("utf-8"),
            ])
            .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
            .output()
            .expect("run");
        assert_eq!(import.status.code(), Some(1), "{}", b.name);
        assert!(
            String::from_utf8_lossy(&import.stderr).contains("[auth.forbidden]"),
            "{}",
            b.name
        );
        let anonymous = command()
            .args(["--db", b.url.expose(), "grids", "list"])
            .env_remove("CHENGGUAN_USER")
            .env_remove("CHENGGUAN_PASSWORD")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        assert_eq!(
            anonymous.status.code(),
            Some(1),
            "{}: no --user, no access",
            b.name
        );
        ok(
            &b,
            &[
                "user",
                "add",
                "zhao.liu",
                "--name",
                "赵六",
                "--role",
                "grid_worker",
                "--grid",
                "CG-02-03",
            ],
        );
        let users = ok(&b, &["user", "list"]);
        assert!(
            users.contains("zhao.liu") && users.contains("网格员（网格 CG-02-03）"),
            "{}: {users}",
            b.name
        );
        ok(&b, &["user", "disable", "zhao.liu"]);
        let log = ok(&b, &["audit", "list", "--action", "user."]);
        assert!(
            log.contains("user.disable") && log.contains("user.add"),
            "{}: {log}",
            b.name
        );
        let verified = ok(&b, &["audit", "verify"]);
        assert!(
            verified.contains("签名链校验通过"),
            "{}: {verified}",
            b.name
        );
        // The head kept on paper, and checked against later.
        let anchor = ok(&b, &["audit", "anchor"]);
        let anchor = anchor.trim();
        let (seq, hash) = anchor.split_once(':').expect("SEQ:HASH");
        assert!(
            seq.parse::<i64>().is_ok()
                && hash.len() == 64
                && hash.bytes().all(|c| c.is_ascii_hexdigit()),
            "{}: {anchor}",
            b.name
        );
        let verified = ok(&b, &["audit", "verify", "--anchor", anchor]);
        assert!(verified.contains("与锚点相符"), "{}: {verified}", b.name);
        let wrong = format!("{seq}:{}", "0".repeat(64));
        let refused = chengguan(&b, &["audit", "verify", "--anchor", &wrong]);
        assert_eq!(refused.status.code(), Some(1), "{}", b.name);
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("锚点"),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn a_duty_officer_registers_and_handles_a_petition_and_a_leader_cannot() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let as_duty = |args: &[&str]| {
            let mut all = vec!["--user", "duty"];
            all.extend_from_slice(args);
            ok(&b, &all)
        };
        let added = as_duty(&[
            "petitions",
            "add",
            "--channel",
            "hotline",
            "--category",
            "sanitation",
            "--description",
            "楼道堆放杂物",
            "--address",
            "解放街12号",
            "--name",
            "王某",
            "--phone",
            "13812345678",
        ]);
        assert!(added.contains("已登记 GT-"), "{}: {added}", b.name);
        let at = added.find("GT-").expect("a number");
        let number = added[at..at + "GT-2026-000001".len()].to_string();
        let illegal = chengguan(
            &b,
            &["--user", "duty", "petitions", "act", &number, "resolve"],
        );
        assert_eq!(illegal.status.code(), Some(1), "{}", b.name);
        assert!(
            String::from_utf8_lossy(&illegal.stderr).contains("[petition.illegal_step]"),
            "{}",
            b.name
        );
        as_duty(&["petitions", "act", &number, "accept"]);
        as_duty(&[
            "petitions",
            "act",
            &number,
            "assign",
            "--level",
            "community",
            "--assignee",
            "社区 李四",
        ]);
        let done = as_duty(&["petitions", "act", &number, "resolve", "--note", "已清理"]);
        assert!(done.contains("已办结"), "{}: {done}", b.name);
        let leader = chengguan(
            &b,
            &["--user", "leader", "petitions", "act", &number, "reopen"],
        );
        assert!(
            String::from_utf8_lossy(&leader.stderr).contains("[auth.forbidden]"),
            "{}",
            b.name
        );
        let listed: serde_json::Value = serde_json::from_str(&ok(
            &b,
            &["--user", "leader", "petitions", "list", "--json"],
        ))
        .expect("json");
        assert_eq!(listed[0]["status"], "resolved", "{}", b.name);
        assert_eq!(
            listed[0]["reporter_phone"], "138******78",
            "{}: masked",
            b.name
        );
    }
}

#[tokio::test]
async fn an_analyst_imports_points_and_draws_the_heat_map_hot_spots_and_alerts() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let dir = tempfile::tempdir().expect("temp dir");
        // The analysts' CSV: lon,lat,reported_at,category; a bad row is named and nothing is stored.
        let csv = dir.path().join("points.csv");
        let mut rows = String::from("lon,lat,reported_at,category\n");
        for i in 0..30 {
            rows.push_str(&format!(
                "{:.5},39.3760,2026-10-{:02}T09:00:00+08:00,sanitation\n",
                99.8110 + f64::from(i) * 0.0001,
                1 + i % 28
            ));
        }
        std::fs::write(
            &csv,
            format!("{rows}99.81,north,2026-10-01T09:00:00+08:00,sanitation\n"),
        )
        .unwrap();
        let bad = chengguan(&b, &["petitions", "import", csv.to_str().unwrap()]);
        assert!(!bad.status.success(), "{}", b.name);
        let said = String::from_utf8_lossy(&bad.stdout).to_string()
            + &String::from_utf8_lossy(&bad.stderr);
        assert!(
            said.contains("32"),
            "{}: the bad row (line 32) is named: {said}",
            b.name
        );
        std::fs::write(&csv, &rows).unwrap();
        let imported = ok(&b, &["petitions", "import", csv.to_str().unwrap()]);
        assert!(imported.contains("30"), "{}: {imported}", b.name);

        // PNG: RGBA with the legend scale and georeference inside, and a world file beside it.
        let png_path = dir.path().join("heat.png");
        let said = ok(
            &b,
            &[
                "--user",
                "leader",
                "heatmap",
                "--from",
                "2026-10-01",
                "--to",
                "2026-10-31",
                "--size",
                "200x160",
                "--bandwidth",
                "120",
                "--out",
                png_path.to_str().unwrap(),
            ],
        );
        assert!(said.contains("色标"), "{}: {said}", b.name);
        let reader = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&png_path).unwrap(),
        ))
        .read_info()
        .expect("a PNG");
        let info = reader.info();
        assert_eq!(
            (info.width, info.height, info.color_type),
            (200, 160, png::ColorType::Rgba)
        );
        let text: Vec<(String, String)> = info
            .uncompressed_latin1_text
            .iter()
            .map(|t| (t.keyword.clone(), t.text.clone()))
            .collect();
        let legend = &text
            .iter()
            .find(|(k, _)| k == "Legend")
            .expect("a legend chunk")
            .1;
        assert!(legend.contains("petitions per km2"), "{legend}");
        let world = std::fs::read_to_string(dir.path().join("heat.pgw")).expect("world file");
        let w: Vec<f64> = world
            .lines()
            .map(|l| l.parse().expect("a number"))
            .collect();
        assert_eq!(w.len(), 6);
        assert!(
            w[0] > 0.0 && w[3] < 0.0 && w[1] == 0.0 && w[2] == 0.0,
            "{world}"
        );

        // JSON: the raster row by row with its georeference; the October points are in it.
        let json_path = dir.path().join("heat.json");
        ok(
            &b,
            &[
                "--user",
                "leader",
                "heatmap",
                "--from",
                "2026-10-01",
                "--to",
                "2026-10-31",
                "--bbox",
                "99.80,39.36,99.83,39.39",
                "--size",
                "64x64",
                "--out",
                json_path.to_str().unwrap(),
            ],
        );
        let heat: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        assert_eq!(
            heat["bbox"],
            serde_json::json!([99.80, 39.36, 99.83, 39.39])
        );
        assert_eq!(
            (heat["width"].as_u64(), heat["height"].as_u64()),
            (Some(64), Some(64))
        );
        assert_eq!(heat["values"].as_array().unwrap().len(), 64);
        assert!(heat["points"].as_u64().unwrap() >= 30, "{}", b.name);
        assert!(heat["cell_m"][0].as_f64().unwrap() > 30.0, "{}", b.name);
        let bad_size = chengguan(
            &b,
            &[
                "--user",
                "leader",
                "heatmap",
                "--size",
                "8x8",
                "--out",
                json_path.to_str().unwrap(),
            ],
        );
        assert!(
            String::from_utf8_lossy(&bad_size.stderr).contains("尺寸"),
            "{}",
            b.name
        );

        // Hot spots on hexagons and this week's alerts, as JSON.
        let spots: serde_json::Value = serde_json::from_str(&ok(
            &b,
            &[
                "--user",
                "leader",
                "hotspots",
                "--lattice",
                "hex:250",
                "--json",
            ],
        ))
        .expect("hotspots --json");
        assert_eq!(spots["band_m"].as_f64(), Some(375.0));
        assert!(spots["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["confidence"].as_str().unwrap().starts_with("hot")));
        let alerts: serde_json::Value = serde_json::from_str(&ok(
            &b,
            &[
                "--user",
                "leader",
                "alerts",
                "--week",
                "2026-10-07",
                "--json",
            ],
        ))
        .expect("alerts --json");
        assert_eq!(alerts["week_of"], "2026-10-05", "{}", b.name);
    }
}

#[tokio::test]
async fn the_administrator_keeps_the_categories() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let saved = ok(
            &b,
            &[
                "categories",
                "save",
                "--code",
                "heating",
                "--name",
                "供暖",
                "--description",
                "供暖不热",
            ],
        );
        assert!(saved.contains("heating\t供暖"), "{}: {saved}", b.name);
        let retired = ok(&b, &["categories", "retire", "heating"]);
        assert!(retired.contains("供暖（已停用）"), "{}: {retired}", b.name);
        let list: serde_json::Value =
            serde_json::from_str(&ok(&b, &["categories", "list", "--json"])).unwrap();
        let heating = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "heating")
            .expect("listed");
        assert_eq!(heating["active"], false);
        ok(&b, &["categories", "restore", "heating"]);
        let duty = chengguan(
            &b,
            &[
                "--user",
                "duty",
                "categories",
                "save",
                "--code",
                "x1",
                "--name",
                "某类",
            ],
        );
        assert!(!duty.status.success(), "{}", b.name);
        let unknown = chengguan(&b, &["categories", "retire", "nosuch"]);
        assert!(
            String::from_utf8_lossy(&unknown.stderr).contains("nosuch"),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_extreme_dates_are_a_clear_error_not_a_panic() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let dir = tempfile::tempdir().expect("temp dir");
        let png = dir.path().join("heat.png");
        let png = png.to_str().expect("utf-8 path");
        for args in [
            vec!["--user", "leader", "alerts", "--week", "+262142-12-31"],
            vec![
                "--user",
                "leader",
                "heatmap",
                "--to",
                "+262142-12-31",
                "--out",
                png,
            ],
            vec![
                "--user",
                "leader",
                "heatmap",
                "--from=-262143-01-01",
                "--out",
                png,
            ],
            vec!["--user", "leader", "hotspots", "--to", "2201-01-01"],
            vec!["audit", "list", "--from", "+262142-01-01"],
        ] {
            let out = chengguan(&b, &args);
            let code = out.status.code();
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(code, Some(1) | Some(2)),
                "{}: chengguan {args:?} must exit 1 or 2 with words, not {code:?}: {said}",
                b.name
            );
            assert!(
                said.contains("1900") || said.contains("YYYY-MM-DD") || said.contains("无效"),
                "{}: chengguan {args:?} says what is wrong: {said}",
                b.name
            );
            assert!(!said.contains("panicked"), "{}: {args:?}: {said}", b.name);
        }
    }
}

#[tokio::test]
async fn r11_the_server_logs_requests_not_residents_data() {
    use std::io::{BufRead, BufReader, Read, Write};
    for b in backends().await {
        ok(&b, &["demo"]);
        let created = ok(&b, &["apikey", "create", "--name", "日志测试", "--read"]);
        let key = created
            .lines()
            .find(|l| l.starts_with("cgk_"))
            .expect("the key is printed")
            .to_string();
        let data = tempfile::tempdir().expect("data folder");
        let mut server = command()
            .args(["--db", b.url.expose(), "serve", "--listen", "127.0.0.1:0"])
            .env_remove("RUST_LOG")
            .env("XDG_DATA_HOME", data.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start chengguan serve");
        let mut first = String::new();
        BufReader::new(server.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("the listening line");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("the address")
            .to_string();
        let exchange = |request: String| {
            let mut s = std::net::TcpStream::connect(&addr).expect("connect");
            s.write_all(request.as_bytes()).expect("write");
            let mut answer = String::new();
            s.read_to_string(&mut answer).expect("read");
            answer
        };
        let body = format!("api_key={key}&service_code=sanitation&lat=39.377&long=99.816&phone=13912345678&description=%E6%BC%8F%E6%B0%B4");
        let posted = exchange(format!(
            "POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
        assert!(posted.starts_with("HTTP/1.1 201"), "{}: {posted}", b.name);
        let listed = exchange(format!(
            "GET /open311/v2/requests.json?api_key={key} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ));
        assert!(listed.starts_with("HTTP/1.1 200"), "{}: {listed}", b.name);
        // The file writer runs on a thread of its own: a moment for it before the server is stopped hard.
        std::thread::sleep(std::time::Duration::from_millis(300));
        server.kill().expect("stop the server");
        let mut log = String::new();
        server
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut log)
            .expect("read the log");
        server.wait().expect("wait");
        for line in [
            "POST",
            "GET",
            "/open311/v2/requests.json",
            "status=201",
            "status=200",
        ] {
            assert!(
                log.contains(line),
                "{}: the log names {line}:\n{log}",
                b.name
            );
        }
        for secret in ["13912345678", key.as_str(), "api_key"] {
            assert!(
                !log.contains(secret),
                "{}: the log holds {secret}:\n{log}",
                b.name
            );
        }
        // The same lines in the day's log file in the data folder.
        let logs = data.path().join("chengguan").join("logs");
        let file = std::fs::read_dir(&logs)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", b.name, logs.display()))
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("server."))
            })
            .unwrap_or_else(|| panic!("{}: no server log file in {}", b.name, logs.display()));
        let written = std::fs::read_to_string(&file).expect("read the log file");
        assert!(
            written.contains("status=201") && !written.contains("13912345678"),
            "{}: {}:\n{written}",
            b.name,
            file.display()
        );
    }
}

/// A backup killed with SIGKILL at any moment leaves no file under its name that `backup verify` accepts (either
/// none, or a whole one), and the live database stays sound; a completed one verifies from the command line.
#[tokio::test]
async fn a_backup_killed_midway_leaves_nothing_that_verifies_and_the_database_sound() {
    for b in backends().await {
        ok(&b, &["demo"]);
        let dir = tempfile::tempdir().unwrap();
        for (i, delay_ms) in [5u64, 40, 120, 400].into_iter().enumerate() {
            let file = dir.path().join(format!("killed-{i}.cgbak"));
            let mut child = command()
                .arg("--db")
                .arg(b.url.expose())
                .args(["backup", "--out"])
                .arg(&file)
                .env_remove("CHENGGUAN_DB")
                .env("CHENGGUAN_USER", "admin")
                .env("CHENGGUAN_PASSWORD", "Chengguan@2026")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("chengguan backup");
            std::thread::sleep(std::time::Duration::from_millis(delay_ms));
            let _ = child.kill();
            let _ = child.wait();
            if file.exists() {
                // It finished before the kill: then it is whole.
                let out = chengguan(&b, &["backup", "verify", file.to_str().unwrap()]);
                assert!(
                    out.status.success(),
                    "{}: a file under the backup's name that does not verify",
                    b.name
                );
            }
        }
        // The live database is untouched and usable.
        let status: serde_json::Value =
            serde_json::from_str(&ok(&b, &["status", "--json"])).unwrap();
        assert_includes(
            &status,
            &seed_numbers(),
            &format!("{}: status after the kills", b.name),
        );
        let file = dir.path().join("whole.cgbak");
        ok(&b, &["backup", "--out", file.to_str().unwrap()]);
        let text = ok(&b, &["backup", "verify", file.to_str().unwrap()]);
        assert!(text.contains("备份校验通过"), "{}: {text}", b.name);
    }
}
