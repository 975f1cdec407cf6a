//! The built-in holidays against two independent sources:
//! - the Python package `chinesecalendar` (LKI/chinese-calendar, kept from the State Council notices; installed
//!   in `.venv` by scripts/install-deps.sh), day by day for 2020–2026;
//! - `../shared/reference-data/chinese-days_2026.ics` (the npm package `chinese-days`), read by our `.ics`
//!   import.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use chengguan_core::calendar::holidays::{parse_ics, HolidayCalendar, NoticeKind};
use chrono::{Datelike, NaiveDate};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(serde::Deserialize)]
struct Reference {
    working: bool,
    festival: Option<String>,
}

fn chinese(festival: &str) -> &'static str {
    match festival {
        "New Year's Day" => "元旦",
        "Spring Festival" => "春节",
        "Tomb-sweeping Day" => "清明节",
        "Labour Day" => "劳动节",
        "Dragon Boat Festival" => "端午节",
        "Mid-autumn Festival" => "中秋节",
        "National Day" => "国庆节",
        other => panic!("unknown festival {other}"),
    }
}

#[test]
fn every_day_of_2020_to_2026_agrees_with_chinesecalendar() {
    let python = workspace().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-deps.sh (make test does)",
        python.display()
    );
    let out = Command::new(&python)
        .arg(workspace().join("tests/calendar/holidays_reference.py"))
        .args(["2020", "2026"])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference: BTreeMap<NaiveDate, Reference> =
        serde_json::from_slice(&out.stdout).expect("the reference's JSON");
    assert_eq!(reference.len(), 2557, "seven years of days");

    let ours = HolidayCalendar::built_in();
    let mut differences = Vec::new();
    let (mut off_weekdays, mut make_up) = (0, 0);
    for (date, r) in &reference {
        let day = ours.day(*date).expect("a built-in year");
        if day.working != r.working {
            differences.push(format!(
                "{date}: ours working={} reference {}",
                day.working, r.working
            ));
        }
        let weekend = date.weekday().number_from_monday() > 5;
        let notable = day.working == weekend; // a weekday off or a weekend at work
        match (day.notice, &r.festival) {
            (Some(n), Some(f)) if !n.festival.contains(chinese(f)) => {
                differences.push(format!("{date}: ours {} reference {f}", n.festival));
            }
            (Some(n), None) => {
                differences.push(format!("{date}: ours {} reference none", n.festival))
            }
            (None, Some(f)) if notable => {
                differences.push(format!("{date}: ours none reference {f}"))
            }
            _ => {}
        }
        if notable && !weekend {
            off_weekdays += 1;
        }
        if notable && weekend {
            make_up += 1;
            assert_eq!(day.notice.map(|n| n.kind), Some(NoticeKind::MakeUpWorkday));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // Not vacuous: seven years hold well over a hundred weekday holidays and dozens of make-up workdays.
    assert!(
        off_weekdays > 100 && make_up > 40,
        "{off_weekdays} {make_up}"
    );
}

#[test]
fn the_chinese_days_ics_of_2026_reads_as_the_built_in_2026() {
    let data = std::env::var("CHENGGUAN_REFERENCE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("../shared/reference-data"));
    let text =
        std::fs::read_to_string(data.join("chinese-days_2026.ics")).expect("the reference .ics");
    let days = parse_ics(&text).expect("it parses");
    let from_ics = HolidayCalendar::default().with_notices(days);
    let built_in = HolidayCalendar::built_in();
    let key = |cal: &HolidayCalendar| {
        cal.notice(2026)
            .unwrap()
            .into_iter()
            .map(|d| (d.date, d.kind))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&from_ics), key(built_in));
    assert_eq!(
        key(built_in).len(),
        33 + 6,
        "33 days off and 6 make-up workdays in 2026"
    );
}

#[test]
fn an_ics_without_holiday_events_or_with_bad_ones_is_refused() {
    assert!(parse_ics("not a calendar").is_err());
    let event = |summary: &str, start: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:{summary}\r\n\
             DTSTART;VALUE=DATE:{start}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    assert!(parse_ics(&event("生日", "20270101"))
        .unwrap_err()
        .to_string()
        .contains("(休)"));
    assert!(parse_ics(&event("元旦(班)", "20270101"))
        .unwrap_err()
        .to_string()
        .contains("不是周六或周日"));
    assert!(parse_ics(&event("元旦(休)", "20270101")).is_ok());
}

#[test]
fn a_december_make_up_day_belongs_to_the_next_years_notice() {
    // The 2019 notice: 元旦 off 2018-12-30 to 2019-01-01, and Saturday 2018-12-29 worked for it. Imported
    // as 2019, it must not replace (and so wipe) the 2018 notice.
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n\
        BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:元旦(休)\r\nDTSTART;VALUE=DATE:20181230\r\nDTEND;VALUE=DATE:20190102\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:元旦(班)\r\nDTSTART;VALUE=DATE:20181229\r\nDTEND;VALUE=DATE:20181230\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";
    let days = parse_ics(text).expect("parses");
    assert!(days.iter().all(|d| d.year == 2019), "{days:?}");
    let long = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:{}(休)\r\n\
         DTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "节".repeat(30)
    );
    assert!(parse_ics(&long)
        .unwrap_err()
        .to_string()
        .contains("节日名称"));
    let empty = long.replace(&"节".repeat(30), "");
    assert!(parse_ics(&empty)
        .unwrap_err()
        .to_string()
        .contains("节日名称为空"));
}
