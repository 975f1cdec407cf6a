//! Rosters and residents on both databases: the import's checks on a workbook with known bad rows (ID numbers
//! checked by an implementation of the test's own), the community office's reference workbook, search (pinyin,
//! polyphone surnames, one character, digits), scope and masking, coverage and overload, history, exports read
//! back by calamine.

use std::collections::BTreeSet;

use calamine::{Reader, Xlsx};
use chengguan_app::petitions::ImportReport;
use chengguan_app::roster::RosterFilter;
use chengguan_app::App;
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

use crate::support::{backends, demo, sign_in};

/// The check character of 17 digits, written independently of chengguan-core: weights as powers of two mod
/// 11, and the character that makes the weighted sum (with X = 10 at weight 1) ≡ 1 (mod 11).
fn check(first17: &str) -> char {
    let sum: u64 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| u64::from(c.to_digit(10).unwrap()) * (1u64 << (17 - i)) % 11)
        .sum();
    let c = (0..11u64).find(|c| (sum + c) % 11 == 1).unwrap();
    if c == 10 {
        'X'
    } else {
        char::from_digit(c as u32, 10).unwrap()
    }
}

/// A valid ID: 高台县 (622225 before 2003), born on `birth`, sequence `seq` (odd for men).
fn id(birth: &str, seq: u32) -> String {
    let region = if birth < "20030101" {
        "622225"
    } else {
        "620724"
    };
    let first = format!("{region}{birth}{seq:03}");
    format!("{first}{}", check(&first))
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn problem_rows(r: &ImportReport) -> BTreeSet<usize> {
    r.problems.iter().map(|p| p.row).collect()
}

/// (compound, building, unit number, grid code) of the demo town's units, in a stable order.
async fn units(_app: &App) -> Vec<(String, String, i32, String)> {
    let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
    let mut out = Vec::new();
    for u in &town.units {
        let b = town
            .buildings
            .iter()
            .find(|b| b.id == u.building_id)
            .unwrap();
        let c = town
            .compounds
            .iter()
            .find(|c| c.id == b.compound_id)
            .unwrap();
        let g = town.grids.iter().find(|g| g.id == b.grid_id).unwrap();
        out.push((c.name.clone(), b.name.clone(), u.number, g.code.clone()));
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_bad_workbook_reports_exactly_its_bad_rows_and_skip_invalid_imports_the_rest() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let units = units(&app).await;
        // Compounds whose names are unique in the town (the file names no grid).
        let unique: Vec<_> = units
            .iter()
            .filter(|(c, ..)| {
                units
                    .iter()
                    .filter(|u| &u.0 == c)
                    .map(|u| &u.3)
                    .collect::<BTreeSet<_>>()
                    .len()
                    == 1
            })
            .cloned()
            .collect();
        let mut rows = vec![
            vec!["城关镇人员名册".to_string()],
            [
                "序号",
                "姓名",
                "性别",
                "身份证号",
                "手机号",
                "职务",
                "网格",
                "小区",
                "楼栋",
                "单元",
            ]
            .map(String::from)
            .to_vec(),
        ];
        let mut bad = BTreeSet::new();
        for i in 0..2000u32 {
            let line = rows.len() + 1;
            let male = i % 2 == 1;
            let birth = format!("{}{:02}{:02}", 1950 + i % 50, 1 + i % 12, 1 + i % 28);
            let mut idn = id(&birth, (i % 500) * 2 + u32::from(male));
            let mut gender = if male { "男" } else { "女" }.to_string();
            let mut phone = format!("139{:08}", 10_000_000 + i);
            let u = &unique[i as usize % unique.len()];
            let (mut compound, building, unit, grid) =
                (u.0.clone(), u.1.clone(), u.2.to_string(), u.3.clone());
            let role = if i % 4 == 0 { "单元长" } else { "志愿者" };
            match i % 97 {
                1 => {
                    // Wrong check digit.
                    let last = idn.pop().unwrap();
                    idn.push(if last == '0' { '1' } else { '0' });
                }
                2 => idn.replace_range(10..14, "0230"), // 30 February
                3 => gender = if male { "女" } else { "男" }.into(),
                4 => phone = "1381234567".into(),
                5 => compound = "不存在小区".into(), // unknown for a volunteer's grid too
                6 => idn = rows[rows.len() - 1][3].clone(), // the row above, again
                _ => {}
            }
            if (1..=6).contains(&(i % 97)) {
                bad.insert(line);
            }
            // Row 6's duplicate needs the same role and place as the row above to be a duplicate.
            let (role, grid, compound, building, unit) = if i % 97 == 6 {
                let above = &rows[rows.len() - 1];
                (
                    above[5].clone(),
                    above[6].clone(),
                    above[7].clone(),
                    above[8].clone(),
                    above[9].clone(),
                )
            } else {
                (role.to_string(), grid, compound, building, unit)
            };
            if i % 97 == 6 {
                gender = rows[rows.len() - 1][2].clone();
            }
            rows.push(vec![
                (i + 1).to_string(),
                format!("测{}", char::from_u32(0x4e00 + i).unwrap()),
                gender,
                idn,
                phone,
                role,
                grid,
                compound,
                building,
                unit,
            ]);
        }
        rows.push(vec!["合计".into(), "2000人".into()]);
        let file = xlsx(&rows);
        let dry = app
            .import_roster(&admin, "名册.xlsx", &file, true, false)
            .await
            .expect("dry run");
        assert_eq!(dry.rows, 2000, "{}", b.name);
        assert_eq!(problem_rows(&dry), bad, "{}: exactly the bad rows", b.name);
        assert_eq!(dry.imported, 0);
        let all = app
            .import_roster(&admin, "名册.xlsx", &file, false, false)
            .await
            .expect("all or nothing");
        assert_eq!(
            all.imported, 0,
            "{}: nothing without --skip-invalid",
            b.name
        );
        let some = app
            .import_roster(&admin, "名册.xlsx", &file, false, true)
            .await
            .expect("skip invalid");
        assert_eq!(some.imported, 2000 - bad.len(), "{}", b.name);
        let again = app
            .import_roster(&admin, "名册.xlsx", &file, true, false)
            .await
            .expect("again");
        assert!(
            again
                .problems
                .iter()
                .filter(|p| !bad.contains(&p.row))
                .all(|p| p.problem.contains("已在名册中")),
            "{}: a second import finds the rows in the database",
            b.name
        );

        // History: the unit heads replaced on import are kept, closed the day before.
        let duty = sign_in(&app, "duty").await;
        let first = &rows[2];
        let place = format!("{} {} {}单元", first[7], first[8], first[9]);
        let today = app.today();
        let now = app.held_at(&duty, &place, today).await.expect("held now");
        assert!(
            now.iter()
                .any(|r| r.name == first[1] && r.role == "unit_head"),
            "{}: {now:?}",
            b.name
        );
        let before = app
            .held_at(&duty, &place, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .await
            .expect("held before");
        assert!(
            before
                .iter()
                .any(|r| r.role == "unit_head" && r.name != first[1]),
            "{}: last year's head is still on record: {before:?}",
            b.name
        );
    }
}

#[tokio::test]
async fn the_community_office_workbook_is_read_as_laid_out() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference-data/rosters/楼栋长花名册-东关社区-样例.xlsx");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let r = app
            .import_roster(&admin, "楼栋长花名册.xlsx", &bytes, true, false)
            .await
            .expect("dry run");
        assert_eq!(
            r.rows, 40,
            "{}: 40 people, the totals row and footer skipped",
            b.name
        );
        let of = |row: usize| -> Vec<String> {
            r.problems
                .iter()
                .filter(|p| p.row == row)
                .map(|p| format!("{}：{}", p.column, p.problem))
                .collect()
        };
        for row in [16, 17] {
            assert!(
                of(row).iter().any(|p| p.contains("Excel 存成了数字")),
                "{}: row {row}: {:?}",
                b.name,
                of(row)
            );
        }
        assert!(of(27).iter().any(|p| p.contains("校验位")), "{:?}", of(27));
        assert!(of(32).iter().any(|p| p.starts_with("性别")), "{:?}", of(32));
        // The demo town has other compounds: every other problem is a place it does not have.
        for p in &r.problems {
            if ![16, 17, 27, 32].contains(&p.row) {
                assert!(
                    p.column == "住址"
                        || p.column == "小区"
                        || p.column == "楼栋"
                        || p.problem.contains("小区"),
                    "{}: row {} has an unexpected problem: {} {}",
                    b.name,
                    p.row,
                    p.column,
                    p.problem
                );
            }
        }
        for row in [8, 12, 20, 35] {
            assert!(
                of(row).iter().all(|p| p.contains("小区")),
                "{}: row {row} is valid but for its place: {:?}",
                b.name,
                of(row)
            );
        }
    }
}

#[tokio::test]
async fn search_finds_pinyin_polyphone_surnames_single_characters_and_digits_within_scope() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let units = units(&app).await;
        let u = units.iter().find(|u| u.3 == "CG-01-01").unwrap().clone();
        let mut rows = vec![["姓名", "性别", "身份证号", "手机号", "职务", "网格"]
            .map(String::from)
            .to_vec()];
        for (i, name) in [
            "单丽",
            "曾伟",
            "解强",
            "仇明",
            "区华",
            "查红",
            "朴树",
            "盖亮",
            "尉迟恭",
        ]
        .iter()
        .enumerate()
        {
            rows.push(vec![
                name.to_string(),
                "男".into(),
                id("19800101", 11 + 2 * i as u32),
                format!("1590936{:04}", 1000 + i),
                "志愿者".into(),
                u.3.clone(),
            ]);
        }
        let r = app
            .import_roster(&admin, "surnames.xlsx", &xlsx(&rows), false, false)
            .await
            .expect("import");
        assert_eq!(r.problem_count, 0, "{}: {:?}", b.name, r.problems);
        let duty = sign_in(&app, "duty").await;
        let names = |r: &chengguan_app::roster::SearchResults| -> Vec<String> {
            r.people.iter().map(|h| h.name.clone()).collect()
        };
        for (q, want) in [
            ("shanli", "单丽"),
            ("sl", "单丽"),
            ("zengwei", "曾伟"),
            ("xieqiang", "解强"),
            ("qiuming", "仇明"),
            ("ouhua", "区华"),
            ("zhahong", "查红"),
            ("piaoshu", "朴树"),
            ("geliang", "盖亮"),
            ("yuchigong", "尉迟恭"),
            ("ycg", "尉迟恭"),
            ("单", "单丽"),
            ("单丽", "单丽"),
            ("单l", "单丽"),
            ("shan l", "单丽"),
        ] {
            let found = app.search_roster(&duty, q).await.expect("search");
            assert!(
                names(&found).contains(&want.to_string()),
                "{}: {q} → {:?}",
                b.name,
                names(&found)
            );
        }
        let exact = app.search_roster(&duty, "单丽").await.unwrap();
        assert_eq!(exact.people[0].name, "单丽", "an exact name first");
        assert!(
            !names(&app.search_roster(&duty, "danli").await.unwrap()).contains(&"单丽".to_string())
        );
        // Digits anywhere in a phone, and an ID's tail; both audited, results masked.
        let by_phone = app.search_roster(&duty, "09361000").await.unwrap();
        assert_eq!(names(&by_phone), ["单丽"], "{}", b.name);
        assert!(by_phone.people[0].phone.contains('*'), "masked");
        let tail: String = rows[1][2].chars().skip(12).collect();
        let by_id = app.search_roster(&duty, &tail).await.unwrap();
        assert!(
            names(&by_id).contains(&"单丽".to_string()),
            "{}: {tail}",
            b.name
        );
        let audit = app
            .audit_list(
                &admin,
                &chengguan_app::audit::AuditFilter {
                    action_prefix: Some("person.search_digits".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 2, "{}: both digit searches audited", b.name);
        // Roles that may not reveal find no one by digits (a few searches would spell out a masked phone).
        for role in ["leader", "secretary", "admin"] {
            let s = sign_in(&app, role).await;
            let r = app.search_roster(&s, "09361000").await.unwrap();
            assert!(
                r.people.is_empty() && r.residents.is_empty(),
                "{}: {role}",
                b.name
            );
        }
        // A grid worker of another grid does not find them; the leader sees no residents.
        let worker = sign_in(&app, "grid0101").await;
        let theirs = app.search_roster(&worker, "单丽").await.unwrap();
        assert_eq!(names(&theirs) == ["单丽"], u.3 == "CG-01-01", "{}", b.name);
    }
}

#[tokio::test]
async fn coverage_names_overloads_and_exports_read_back() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let before = app.roster_coverage(&duty, None).await.expect("coverage");
        assert_eq!(before.grids.len(), 59);
        assert!(
            before.gaps.is_empty(),
            "{}: the demo town is fully covered: {:?}",
            b.name,
            before.gaps.first()
        );
        // One person made head of seven units: an overload.
        let units = units(&app).await;
        let mut rows = vec![[
            "姓名",
            "性别",
            "身份证号",
            "手机号",
            "职务",
            "小区",
            "楼栋",
            "单元",
            "网格",
        ]
        .map(String::from)
        .to_vec()];
        for u in units.iter().take(7) {
            rows.push(vec![
                "忙碌".into(),
                "女".into(),
                id("19700505", 20),
                "13700001234".into(),
                "单元长".into(),
                u.0.clone(),
                u.1.clone(),
                u.2.to_string(),
                u.3.clone(),
            ]);
        }
        let r = app
            .import_roster(&admin, "busy.xlsx", &xlsx(&rows), false, false)
            .await
            .expect("import");
        assert_eq!(r.problem_count, 0, "{}: {:?}", b.name, r.problems);
        let after = app.roster_coverage(&duty, None).await.expect("coverage");
        let over: Vec<_> = after
            .gaps
            .iter()
            .filter(|g| g.kind == chengguan_core::people::coverage::GapKind::Overload)
            .collect();
        assert_eq!(over.len(), 1, "{}", b.name);
        assert_eq!(
            (over[0].person_name.as_deref(), over[0].units),
            (Some("忙碌"), Some(7))
        );
        // The export in clear carries every digit; the masked one none of the ID's middle.
        let clear = app
            .export_roster(
                &duty,
                RosterFilter {
                    role: Some("unit_head".into()),
                    ..Default::default()
                },
                Some("核对名册"),
            )
            .await
            .expect("export");
        let masked = app
            .export_roster(
                &duty,
                RosterFilter {
                    role: Some("unit_head".into()),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("export");
        let read = |bytes: Vec<u8>| -> Vec<Vec<String>> {
            let mut book: Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let sheet = book.worksheet_range("人员名册").unwrap();
            sheet
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let clear = read(clear);
        let masked = read(masked);
        assert_eq!(
            clear.len(),
            1600 - 7 + 7,
            "{}: header and every unit head",
            b.name
        );
        assert_eq!(clear[0][2], "身份证号");
        assert!(clear.iter().any(|r| r[2] == id("19700505", 20)));
        assert!(
            masked.iter().skip(1).all(|r| r[2].contains("********")),
            "masked"
        );
        // What was exported in clear imports back as already on the rosters.
        let back = app
            .import_roster(&admin, "back.xlsx", &xlsx(&clear), true, false)
            .await
            .expect("re-import");
        let other: Vec<_> = back
            .problems
            .iter()
            .filter(|p| !p.problem.contains("已在名册中"))
            .collect();
        assert!(
            other.is_empty(),
            "{}: {:?}",
            b.name,
            &other[..other.len().min(5)]
        );
    }
}

/// A residents' list of three households in a unit of CG-01-01 and two in another grid; `bad` rows broken.
fn residents_book(
    town: &chengguan_core::town::TownData,
) -> (Vec<Vec<String>>, BTreeSet<usize>, [String; 2]) {
    let place = |code: &str| {
        let g = town.grids.iter().find(|g| g.code == code).unwrap();
        let b = town.buildings.iter().find(|b| b.grid_id == g.id).unwrap();
        let c = town
            .compounds
            .iter()
            .find(|c| c.id == b.compound_id)
            .unwrap();
        (g.code.clone(), c.name.clone(), b.name.clone())
    };
    let mut rows = vec![[
        "姓名",
        "性别",
        "身份证号",
        "手机号",
        "与户主关系",
        "网格",
        "小区",
        "楼栋",
        "单元",
        "门牌号",
        "党员",
        "独居老人",
    ]
    .map(String::from)
    .to_vec()];
    let mut bad = BTreeSet::new();
    let own = place("CG-01-01");
    let other = place("CG-05-03");
    let names = [
        "甲一", "甲二", "甲三", "乙一", "乙二", "丙一", "丁一", "丁二", "戊一", "戊二",
    ];
    for (i, name) in names.iter().enumerate() {
        let (g, c, b) = if i < 6 { &own } else { &other };
        let door = [
            "101", "101", "101", "102", "102", "201", "301", "301", "302", "302",
        ][i];
        let relation = if i == 0 || i == 3 || i == 5 || i == 6 || i == 8 {
            "户主"
        } else {
            "配偶"
        };
        rows.push(vec![
            name.to_string(),
            "男".into(),
            id("19700101", 101 + 2 * i as u32),
            format!("1370000{:04}", i),
            relation.into(),
            g.clone(),
            c.clone(),
            b.clone(),
            "1单元".into(),
            door.into(),
            if i % 2 == 0 { "是" } else { "" }.into(),
            "".into(),
        ]);
    }
    // Broken rows: an unknown relation, no door, a duplicate ID, a mark that is neither 是 nor 否.
    let mut broken = |f: &dyn Fn(&mut Vec<String>)| {
        let mut r = rows[1].clone();
        r[0] = "错行".into();
        r[2] = id("19800101", 1 + 2 * rows.len() as u32);
        f(&mut r);
        rows.push(r);
        bad.insert(rows.len());
    };
    broken(&|r| r[4] = "邻居".into());
    broken(&|r| r[9] = "".into());
    broken(&|r| r[2] = id("19700101", 101));
    broken(&|r| r[11] = "也许".into());
    (rows, bad, [own.0, other.0])
}

#[tokio::test]
async fn residents_are_imported_by_household_and_seen_only_as_each_role_may() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let town = chengguan_core::demo::generate(chengguan_core::demo::DEFAULT_SEED);
        let (rows, bad, [own, _other]) = residents_book(&town);
        let file = xlsx(&rows);
        let dry = app
            .import_residents(&admin, "居民.xlsx", &file, true, false)
            .await
            .expect("dry");
        assert_eq!(problem_rows(&dry), bad, "{}: {:?}", b.name, dry.problems);
        let r = app
            .import_residents(&admin, "居民.xlsx", &file, false, true)
            .await
            .expect("import");
        assert_eq!(r.imported, 10, "{}", b.name);

        let duty = sign_in(&app, "duty").await;
        let found = app.search_roster(&duty, "甲一").await.expect("search");
        let hit = found
            .residents
            .iter()
            .find(|h| h.name == "甲一")
            .expect("a resident");
        assert!(
            hit.id_number.contains("********"),
            "masked: {}",
            hit.id_number
        );
        let home = app
            .household(&duty, hit.household.as_deref().unwrap())
            .await
            .expect("household");
        let members: Vec<&str> = home.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            members,
            ["甲一", "甲二", "甲三"],
            "{}: householder first",
            b.name
        );
        assert_eq!(home.members[0].flags, ["党员"]);
        assert!(home.place.ends_with("101室"), "{}", home.place);

        // A party secretary sees the party members among residents only; a leader sees no residents.
        let secretary = sign_in(&app, "secretary").await;
        let theirs = app.search_roster(&secretary, "甲").await.expect("search");
        let names: Vec<&str> = theirs.residents.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["甲一", "甲三"], "{}", b.name);
        let home = app
            .household(&secretary, hit.household.as_deref().unwrap())
            .await
            .expect("household");
        assert_eq!(home.members.len(), 2);
        let leader = sign_in(&app, "leader").await;
        assert!(app
            .search_roster(&leader, "甲一")
            .await
            .unwrap()
            .residents
            .is_empty());

        // A grid worker: their grid's households only.
        let worker = sign_in(&app, "grid0101").await;
        assert_eq!(own, "CG-01-01");
        assert!(app
            .household(&worker, hit.household.as_deref().unwrap())
            .await
            .is_ok());
        let far = app.search_roster(&duty, "戊一").await.unwrap();
        let far_home = far.residents[0].household.clone().unwrap();
        assert!(
            matches!(
                app.household(&worker, &far_home).await,
                Err(chengguan_app::AppError::NotFound { .. })
            ),
            "{}: another grid's household is not even confirmed to exist",
            b.name
        );
        assert!(app
            .search_roster(&worker, "戊一")
            .await
            .unwrap()
            .residents
            .is_empty());

        // A reveal needs a reason and is audited.
        use chengguan_app::people::PersonField;
        assert!(app
            .reveal_resident_field(&duty, &hit.id, PersonField::Phone, "")
            .await
            .is_err());
        let phone = app
            .reveal_resident_field(&duty, &hit.id, PersonField::Phone, "核实独居老人情况")
            .await
            .expect("reveal");
        assert_eq!(phone, "13700000000");
        let audit = app
            .audit_list(
                &admin,
                &chengguan_app::audit::AuditFilter {
                    action_prefix: Some("resident.reveal".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 1, "{}", b.name);
    }
}

/// Converts `bytes` (an xlsx file) to CSV with LibreOffice headless and reads it back.
fn libreoffice_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("export.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("soffice is required (scripts/install-deps.sh installs libreoffice-calc-nogui): {e}"));
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read(dir.path().join("export.csv")).expect("the converted CSV");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&csv[..])
        .records()
        .map(|r| r.expect("a CSV row").iter().map(String::from).collect())
        .collect()
}

#[tokio::test]
async fn exports_open_in_libreoffice_with_the_same_cells() {
    let b = backends().await.into_iter().next().expect("a backend");
    let app = demo(&b).await;
    let duty = sign_in(&app, "duty").await;
    for (what, bytes) in [
        (
            "roster",
            app.export_roster(
                &duty,
                RosterFilter {
                    grid: Some("CG-02-03".into()),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap(),
        ),
        (
            "roster in clear",
            app.export_roster(
                &duty,
                RosterFilter {
                    grid: Some("CG-02-03".into()),
                    ..Default::default()
                },
                Some("核对名册"),
            )
            .await
            .unwrap(),
        ),
        (
            "template",
            app.list_template(&duty, chengguan_app::roster::export::ListKind::Residents)
                .await
                .unwrap(),
        ),
    ] {
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let name = book.sheet_names()[0].clone();
        let ours: Vec<Vec<String>> = book
            .worksheet_range(&name)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        // Blank rows (the template's text-formatted cells) are no content to either reader.
        let filled = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter()
                .filter(|r| r.iter().any(|c| !c.is_empty()))
                .collect()
        };
        let ours = filled(ours);
        let theirs = filled(libreoffice_rows(&bytes));
        assert_eq!(theirs.len(), ours.len(), "{what}: rows");
        for (a, b) in theirs.iter().zip(&ours) {
            let trim = |r: &Vec<String>| {
                r.iter()
                    .rev()
                    .skip_while(|c| c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(trim(a), trim(b), "{what}");
        }
        assert!(ours.len() > 1 || what == "template", "{what} has rows");
    }
}

#[tokio::test]
async fn a_first_row_of_party_members_is_data_and_one_post_takes_one_holder() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let units = units(&app).await;
        let u = &units[0];
        let header = [
            "姓名",
            "性别",
            "身份证号",
            "手机号",
            "职务",
            "网格",
            "小区",
            "楼栋",
            "单元",
            "政治面貌",
        ]
        .map(String::from)
        .to_vec();
        let row = |name: &str, seq: u32, role: &str, political: &str| {
            vec![
                name.to_string(),
                "男".into(),
                id("19800202", seq),
                format!("1390000{seq:04}"),
                role.into(),
                u.3.clone(),
                u.0.clone(),
                u.1.clone(),
                u.2.to_string(),
                political.into(),
            ]
        };
        // The first person's 职务 is 党员 and 政治面貌 中共党员: both are also column names, yet the row is data.
        let rows = vec![
            header.clone(),
            row("首行", 11, "党员", "中共党员"),
            row("甲", 13, "单元长", "群众"),
            row("乙", 15, "单元长", "群众"),
        ];
        let r = app
            .import_roster(&admin, "a.xlsx", &xlsx(&rows), true, false)
            .await
            .expect("dry");
        assert_eq!(r.rows, 3, "{}: the first row is counted", b.name);
        assert_eq!(
            problem_rows(&r),
            BTreeSet::from([4]),
            "{}: {:?}",
            b.name,
            r.problems
        );
        assert!(
            r.problems
                .iter()
                .any(|p| p.row == 4 && p.problem.contains("同一职位")),
            "{:?}",
            r.problems
        );
        // A handover dated before the current head took office is refused.
        let mut early = vec![header.clone(), row("丙", 17, "单元长", "群众")];
        early[0].push("任职日期".into());
        early[1].push("2020-01-01".into());
        let r = app
            .import_roster(&admin, "b.xlsx", &xlsx(&early), true, false)
            .await
            .expect("dry");
        assert!(
            r.problems.iter().any(|p| p.problem.contains("交接日期")),
            "{}: {:?}",
            b.name,
            r.problems
        );
    }
}

#[tokio::test]
async fn hostile_input_a_nul_byte_the_year_262142_an_oversized_file_and_a_second_writer() {
    for b in backends().await {
        let app = std::sync::Arc::new(demo(&b).await);
        let admin = sign_in(&app, "admin").await;
        let units = units(&app).await;
        let u = &units[0];
        let header = [
            "姓名",
            "身份证号",
            "手机号",
            "职务",
            "网格",
            "单位",
            "任职日期",
        ]
        .map(String::from)
        .to_vec();
        let row = |name: &str, seq: u32, employer: &str, day: &str| {
            vec![
                name.to_string(),
                id("19810303", seq),
                format!("1370303{seq:04}"),
                "志愿者".into(),
                u.3.clone(),
                employer.into(),
                day.into(),
            ]
        };
        let rows = vec![
            header.clone(),
            row("空\0字", 11, "", ""),
            row("正常", 13, "县\0局", ""),
            row("远年", 15, "", "262142-01-01"),
        ];
        let r = app
            .import_roster(&admin, "bad.xlsx", &xlsx(&rows), true, false)
            .await
            .expect("dry");
        assert_eq!(
            problem_rows(&r),
            BTreeSet::from([2, 3, 4]),
            "{}: {:?}",
            b.name,
            r.problems
        );

        // Over the import limit (100 MB): refused by its size, before it is read.
        let huge = vec![0u8; (chengguan_app::files::IMPORT_MAX_BYTES + 1) as usize];
        let refused = app
            .import_roster(&admin, "huge.xlsx", &huge, true, false)
            .await;
        assert!(
            matches!(
                refused,
                Err(chengguan_app::AppError::Invalid {
                    field: "文件", ..
                })
            ),
            "{}",
            b.name
        );

        // Two administrators import the same new person at once: one person, never two.
        let one = xlsx(&[header.clone(), row("同时", 17, "", "")]);
        let (a, c) = tokio::join!(
            app.import_roster(&admin, "a.xlsx", &one, false, false),
            app.import_roster(&admin, "b.xlsx", &one, false, false)
        );
        let stored = [&a, &c]
            .iter()
            .filter(|r| r.as_ref().is_ok_and(|r| r.imported == 1))
            .count();
        assert!(stored >= 1, "{}: {a:?} {c:?}", b.name);
        let duty = sign_in(&app, "duty").await;
        let found = app.search_roster(&duty, "同时").await.expect("search");
        assert_eq!(
            found.people.iter().filter(|h| h.name == "同时").count(),
            1,
            "{}: a second writer adds no second person",
            b.name
        );
    }
}
