//! Roster figures through chengguan-app, as the front ends use it (bench/roster.sh):
//!
//! - the import of a residents' workbook of N rows (xlsx; valid people in the demo town's units, whose places are
//!   read from the roster's own export) into a fresh SQLite demo town with its population, in rows per second;
//! - then `App::search_roster` per query kind, as a duty officer, over the roster and every resident: the whole
//!   call (index, scope, masking, grouping; and for phone digits and ID tails the audit entry it writes).
//!
//! The index alone, against SQLite LIKE and FTS5, is `cargo bench -p chengguan-core --bench search`.
// A benchmark reports on its standard output.
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

use std::time::{Duration, Instant};

use calamine::Reader;
use chengguan_app::roster::RosterFilter;
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::{App, AuditKey, DatabaseUrl, DEMO_SEED};

/// The check character of GB 11643 (ISO 7064 MOD 11-2) of 17 digits.
fn check(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run(n));
}

async fn run(n: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .expect("url");
    let app = App::open(&url, AuditKey::from_bytes([0x42; 32]))
        .await
        .expect("open");
    app.load_demo(None, DEMO_SEED, false).await.expect("demo");
    let residents = app
        .load_demo_population(DEMO_SEED)
        .await
        .expect("population");
    let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
    let (duty, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("duty");

    // The units, as the roster's export names them (community, grid, compound, building, unit).
    let units = app
        .export_roster(
            &duty,
            RosterFilter {
                role: Some("unit_head".into()),
                limit: Some(5000),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("units");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(units)).expect("xlsx");
    let places: Vec<Vec<String>> = book
        .worksheet_range("人员名册")
        .expect("sheet")
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();

    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
    ];
    const GIVEN: [&str; 12] = [
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
    ];
    let mut xlsx = rust_xlsxwriter::Workbook::new();
    let ws = xlsx.add_worksheet();
    for (c, h) in [
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
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for i in 0..n {
        let p = &places[i % places.len()];
        let male = i % 2 == 1;
        let birth = format!("{}{:02}{:02}", 1940 + i % 60, 1 + i % 12, 1 + i % 28);
        let region = if birth.as_str() < "20030101" {
            "622225"
        } else {
            "620724"
        };
        // Births repeat every 420 rows; sequences from 900 up, one pair per repeat: the demo's residents draw theirs at random, so a few could collide; the
        // checked import would report those as already in the database.
        let seq = 900 + (i / 420) % 50 * 2 + usize::from(male);
        let first = format!("{region}{birth}{seq:03}");
        let row = [
            format!("{}{}", SURNAMES[i % 12], GIVEN[(i / 12) % 12]),
            if male { "男" } else { "女" }.to_string(),
            format!("{first}{}", check(&first)),
            format!("166{:08}", i),
            "户主".to_string(),
            p[6].clone(),
            p[7].clone(),
            p[8].clone(),
            p[9].clone(),
            format!("9{:03}", i / places.len()),
        ];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).expect("cell");
        }
    }
    let bytes = xlsx.save_to_buffer().expect("xlsx");
    let start = Instant::now();
    let report = app
        .import_residents(&admin, "居民.xlsx", &bytes, false, true)
        .await
        .expect("import");
    let took = start.elapsed();
    println!(
        "residents import: {} of {} rows ({} KB xlsx; {} refused) in {:.2} s = {:.0} rows/s (read, checked, stored on SQLite)",
        report.imported,
        report.rows,
        bytes.len() / 1024,
        report.problem_count,
        took.as_secs_f64(),
        report.imported as f64 / took.as_secs_f64()
    );

    // The whole search call, per kind; the first call builds the index (timed apart).
    let start = Instant::now();
    app.search_roster(&duty, "").await.expect("warm");
    println!(
        "first search (builds the index over the roster and {} residents): {:.0} ms",
        residents + report.imported,
        start.elapsed().as_secs_f64() * 1e3
    );
    println!();
    println!("| query kind (App::search_roster, duty officer) | p50 µs | p99 µs |");
    println!("|---|---|---|");
    let kinds: [(&str, Vec<String>); 6] = [
        (
            "two-character name",
            SURNAMES
                .iter()
                .flat_map(|s| {
                    GIVEN
                        .iter()
                        .map(move |g| format!("{s}{}", g.chars().next().unwrap_or('伟')))
                })
                .collect(),
        ),
        (
            "one character",
            SURNAMES.iter().map(|s| s.to_string()).collect(),
        ),
        (
            "full pinyin",
            [
                "wangwei",
                "lifang",
                "zhangna",
                "liuxiuying",
                "chenmin",
                "yangjing",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "initials",
            ["ww", "lf", "zn", "lxy", "cm", "yj"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "phone fragment (audited)",
            (0..20).map(|i| format!("{:04}", 1000 + i * 37)).collect(),
        ),
        (
            "ID tail (audited)",
            (0..20).map(|i| format!("{:04}", 2000 + i * 41)).collect(),
        ),
    ];
    for (kind, queries) in &kinds {
        let mut times = Vec::new();
        for k in 0..200 {
            let q = &queries[k % queries.len()];
            let s = Instant::now();
            app.search_roster(&duty, q).await.expect("search");
            times.push(s.elapsed());
        }
        let (p50, p99) = percentiles(times);
        println!("| {kind} | {p50:.0} | {p99:.0} |");
    }
}
