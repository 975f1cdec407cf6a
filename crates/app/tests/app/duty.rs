//! The working calendar and the alliances' rotation on both databases: petition deadlines across the 2026
//! National Day break, imported notices, generation that never rewrites the past, swaps with a reason, the
//! `.ics` read back by a real iCalendar parser (Python `icalendar`) with UIDs that survive a re-export, and
//! hostile input.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chengguan_app::access::{Clock, Session};
use chengguan_app::duty::export::DutyFormat;
use chengguan_app::duty::{RuleView, ScheduleFilter};
use chengguan_app::App;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

#[derive(Debug)]
struct HandClock(Mutex<DateTime<Utc>>);

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Beijing wall time as an instant.
fn beijing(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(serde::Deserialize, Debug)]
struct IcsEvent {
    uid: String,
    start: String,
    end: String,
    all_day: bool,
    summary: String,
    sequence: u32,
}

#[derive(serde::Deserialize, Debug)]
struct IcsFile {
    name: String,
    timezone: String,
    events: Vec<IcsEvent>,
}

/// The file as the Python `icalendar` package reads it.
fn read_ics(bytes: &[u8]) -> IcsFile {
    let python = workspace().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-deps.sh",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duty.ics");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(python)
        .arg(workspace().join("tests/calendar/ics_read.py"))
        .arg(&path)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "icalendar refused the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader's JSON")
}

/// The demo accounts, signed in at the database's own time (sessions are kept by it).
struct Who {
    duty: Session,
    leader: Session,
    secretary: Session,
    worker: Session,
}

/// The demo town with its rotation, run by a clock set to `now`: everyone signs in first (at the database's
/// time), then the clock is set; `now` lies in the past of every run, and the idle timeout is long, so the
/// sessions stay valid whatever day the tests run on.
async fn demo_with_rotation(
    b: &chengguan_store::testing::Backend,
    now: DateTime<Utc>,
) -> (App, Who, Arc<HandClock>) {
    let app = demo(b).await;
    let who = Who {
        duty: sign_in(&app, "duty").await,
        leader: sign_in(&app, "leader").await,
        secretary: sign_in(&app, "secretary").await,
        worker: sign_in(&app, "grid0101").await,
    };
    let clock = Arc::new(HandClock(Mutex::new(now)));
    let app = app
        .with_idle_minutes(60 * 24 * 3650)
        .with_clock(clock.clone());
    assert!(
        app.load_demo_rotation(chengguan_core::demo::DEFAULT_SEED)
            .await
            .expect("rotation")
            > 800,
        "{}",
        b.name
    );
    (app, who, clock)
}

#[tokio::test]
async fn a_deadline_across_the_2026_national_day_break_moves_past_it() {
    for b in backends().await {
        // Received on Wednesday 2026-09-30: three working days at the grid are Thursday 10-08, Friday 10-09
        // and the make-up Saturday 10-10; the deadline is the end of 10-10 (Beijing).
        // Sessions are kept by the database's own clock: sign in now, then set the app's clock back.
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let clock = Arc::new(HandClock(Mutex::new(beijing(2026, 9, 30, 10))));
        let app = app.with_clock(clock.clone());
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-03-07").await)
            .await
            .expect("create");
        let deadline: DateTime<Utc> = p.deadline.parse().expect("RFC 3339");
        assert_eq!(
            deadline,
            beijing(2026, 10, 11, 0),
            "{}: {}",
            b.name,
            p.deadline
        );

        // An ordinary week for contrast: Monday 2026-11-02 + 3 = end of Thursday 11-05.
        *clock.0.lock().unwrap() = beijing(2026, 11, 2, 10);
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-03-07").await)
            .await
            .expect("create");
        assert_eq!(
            p.deadline.parse::<DateTime<Utc>>().unwrap(),
            beijing(2026, 11, 6, 0),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn a_new_years_notice_is_imported_whole_and_a_missing_year_is_named() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let e = app
            .holidays(&admin, 2027)
            .await
            .expect_err("no 2027 notice yet");
        assert!(
            e.to_string().contains("2027 年的放假安排尚未导入"),
            "{}: {e}",
            b.name
        );

        let notice = "年份,节日,类型,开始,结束\n2027,元旦,休,2027-01-01,2027-01-03\n\
                      2027,春节,休,2027-02-06,2027-02-12\n2027,春节,班,2027-02-13,2027-02-13\n";
        let done = app
            .import_holidays(&admin, "2027.csv", notice.as_bytes())
            .await
            .expect("import");
        assert_eq!(
            (done.years.clone(), done.days),
            (vec![2027], 11),
            "{}",
            b.name
        );
        let y = app.holidays(&admin, 2027).await.expect("2027");
        assert_eq!(
            (y.days_off, y.make_up_workdays, y.source.as_str()),
            (10, 1, "imported")
        );
        // A corrected notice changes deadlines from then on: with 2025's National Day cut to 10-01..10-03
        // (and no make-up days), three working days from Tuesday 2025-09-30 end on Wednesday 10-08, not on
        // the make-up Saturday 10-11 of the real notice. (A clock in the past of every run; the session is
        // made first, at the database's time.)
        let duty = sign_in(&app, "duty").await;
        let clock = Arc::new(HandClock(Mutex::new(beijing(2025, 9, 30, 10))));
        let past = app
            .clone()
            .with_idle_minutes(60 * 24 * 3650)
            .with_clock(clock);
        let due = |p: &chengguan_app::petitions::PetitionView| {
            p.deadline.parse::<DateTime<Utc>>().unwrap()
        };
        let before = past
            .create_petition(&duty, &call_in(&past, "CG-01-01").await)
            .await
            .expect("create");
        assert_eq!(due(&before), beijing(2025, 10, 12, 0), "{}", b.name);
        app.import_holidays(
            &admin,
            "2025.csv",
            "2025,国庆节,休,2025-10-01,2025-10-03\n".as_bytes(),
        )
        .await
        .expect("corrected 2025");
        let after = past
            .create_petition(&duty, &call_in(&past, "CG-01-01").await)
            .await
            .expect("create");
        assert_eq!(due(&after), beijing(2025, 10, 9, 0), "{}", b.name);
        // The reference .ics of 2026 replaces the built-in 2026 with the same days.
        let before = app.holidays(&admin, 2026).await.unwrap();
        let ics = crate::support::reference("chinese-days_2026.ics");
        app.import_holidays(&admin, "chinese-days_2026.ics", ics.as_bytes())
            .await
            .expect("ics");
        let after = app.holidays(&admin, 2026).await.unwrap();
        assert_eq!(after.source, "imported");
        let dates = |y: &chengguan_app::calendar::HolidayYear| {
            y.days
                .iter()
                .map(|d| (d.date.clone(), d.kind.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(dates(&before), dates(&after), "{}", b.name);

        // Only the administrator imports; a secretary reads.
        let secretary = sign_in(&app, "secretary").await;
        assert_eq!(
            app.import_holidays(&secretary, "2027.csv", notice.as_bytes())
                .await
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        assert!(app.holidays(&secretary, 2026).await.is_ok());
    }
}

#[tokio::test]
async fn hostile_notices_are_refused_naming_the_problem_and_nothing_is_written() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let refuse = |name: &'static str, bytes: Vec<u8>| {
            let app = app.clone();
            let admin = admin.clone();
            async move {
                app.import_holidays(&admin, name, &bytes)
                    .await
                    .unwrap_err()
                    .to_string()
            }
        };
        let big = vec![b'#'; 100 * 1024 * 1024];
        assert!(refuse("big.csv", big).await.contains("超过"), "{}", b.name);
        assert!(refuse(
            "nul.csv",
            b"2027,\0,\xe4\xbc\x91,2027-01-01,2027-01-01".to_vec()
        )
        .await
        .contains("NUL"));
        assert!(refuse(
            "far.csv",
            b"2027,x,\xe4\xbc\x91,262142-01-01,262142-01-01".to_vec()
        )
        .await
        .contains("262142"));
        assert!(refuse("gbk.csv", vec![0xc4, 0xea, 0xb7, 0xdd])
            .await
            .contains("UTF-8"));
        assert!(refuse("bad.ics", b"BEGIN:VCALENDAR\r\nEND".to_vec())
            .await
            .contains("iCalendar"));
        assert!(
            app.holidays(&admin, 2027).await.is_err(),
            "{}: nothing was written",
            b.name
        );
    }
}

#[tokio::test]
async fn generating_again_keeps_the_past_and_hand_made_changes() {
    for b in backends().await {
        // Today is Wednesday 2026-12-02 (Beijing).
        let (app, who, _clock) = demo_with_rotation(&b, beijing(2026, 12, 2, 9)).await;
        let secretary = who.secretary.clone();
        let filter = |from: &str, to: &str| ScheduleFilter {
            alliance: Some("CG-01".into()),
            unit: None,
            from: from.into(),
            to: to.into(),
        };
        let before = app
            .duty_schedule(&secretary, &filter("2026-01-01", "2027-03-31"))
            .await
            .unwrap();
        // Swap two future weeks, with a reason.
        let week = |from: &str| before.iter().find(|t| t.starts_on == from).unwrap().clone();
        let (a, c) = (week("2026-12-21"), week("2026-12-28"));
        let swapped = app
            .swap_duty(
                &secretary,
                &a.id,
                a.version,
                &c.id,
                c.version,
                "年终总结会冲突",
            )
            .await
            .expect("swap");
        assert_eq!(swapped[0].organisation, c.organisation, "{}", b.name);
        assert!(swapped
            .iter()
            .all(|t| t.manual && t.reason == "年终总结会冲突"));
        // A stale version is refused: someone else swapped first.
        let e = app
            .swap_duty(
                &secretary,
                &a.id,
                a.version,
                &c.id,
                c.version + 1,
                "再次调换",
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "store.conflict", "{}: {e}", b.name);

        // The rule changes to monthly from January, and the whole year is asked for from the start.
        app.set_duty_rule(
            &secretary,
            "CG-01",
            &RuleView {
                period: "month".into(),
                starts_on: "2027-01-01".into(),
                holidays_count: true,
            },
            &[],
        )
        .await
        .expect("rule");
        let report = app
            .generate_duty(&secretary, Some("CG-01"), "2026-01-01", "2027-03-31")
            .await
            .expect("generate");
        assert_eq!(report.from, "2026-12-03", "{}: only from tomorrow", b.name);
        let after = app
            .duty_schedule(&secretary, &filter("2026-01-01", "2027-03-31"))
            .await
            .unwrap();
        // Everything that began by today is as it was; so are the swapped weeks.
        let begun = |v: &[chengguan_app::duty::TurnView]| {
            v.iter()
                .filter(|t| t.starts_on.as_str() <= "2026-12-02")
                .map(|t| (t.id.clone(), t.organisation.clone(), t.version))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            begun(&before),
            begun(&after),
            "{}: the past is untouched",
            b.name
        );
        for kept in &swapped {
            assert!(after
                .iter()
                .any(|t| t.id == kept.id && t.organisation == kept.organisation));
        }
        // The kept week 12-28..01-03 shortens January to 01-04..01-31; the old week 03-29..04-04 reaches past
        // the span and stays, shortening March; no two turns in a row for one unit.
        let months: Vec<_> = after
            .iter()
            .filter(|t| t.starts_on.as_str() >= "2027-01-01")
            .collect();
        assert_eq!(
            months
                .iter()
                .map(|t| (t.starts_on.as_str(), t.ends_on.as_str()))
                .collect::<Vec<_>>(),
            [
                ("2027-01-04", "2027-01-31"),
                ("2027-02-01", "2027-02-28"),
                ("2027-03-01", "2027-03-28"),
                ("2027-03-29", "2027-04-04")
            ],
            "{}",
            b.name
        );
        let last_week = after.iter().find(|t| t.starts_on == "2026-12-28").unwrap();
        assert_ne!(last_week.organisation, months[0].organisation, "{}", b.name);
        // The week of 12-14 comes before the new rule begins: it stays as it was (no gap before January),
        // and every day from today to the end of March has exactly one turn.
        assert_eq!(
            after
                .iter()
                .find(|t| t.starts_on == "2026-12-14")
                .map(|t| t.id.clone()),
            before
                .iter()
                .find(|t| t.starts_on == "2026-12-14")
                .map(|t| t.id.clone()),
            "{}",
            b.name
        );
        let first = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for day in first
            .iter_days()
            .take_while(|d| d.to_string().as_str() <= "2027-03-31")
        {
            let d = day.to_string();
            let n = after
                .iter()
                .filter(|t| t.starts_on.as_str() <= d.as_str() && d.as_str() <= t.ends_on.as_str())
                .count();
            assert_eq!(n, 1, "{}: {d} has {n} turns", b.name);
        }
        assert!(
            report.replaced > 0 && report.kept >= 2,
            "{}: {report:?}",
            b.name
        );
    }
}

#[tokio::test]
async fn swaps_respect_unavailability_other_alliances_and_the_past() {
    for b in backends().await {
        let (app, who, _clock) = demo_with_rotation(&b, beijing(2026, 12, 2, 9)).await;
        let secretary = who.secretary.clone();
        let turns = app
            .duty_schedule(
                &secretary,
                &ScheduleFilter {
                    alliance: Some("CG-02".into()),
                    unit: None,
                    from: "2026-11-23".into(),
                    to: "2027-01-10".into(),
                },
            )
            .await
            .unwrap();
        let week = |from: &str| turns.iter().find(|t| t.starts_on == from).unwrap().clone();
        // A week that has begun (ended, or under way) cannot be swapped: its days served stay as they were.
        let (past, next) = (week("2026-11-23"), week("2026-12-14"));
        let current = week("2026-11-30");
        let e = app
            .swap_duty(
                &secretary,
                &current.id,
                current.version,
                &next.id,
                next.version,
                "临时调换",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("已开始"), "{}: {e}", b.name);
        let e = app
            .swap_duty(
                &secretary,
                &past.id,
                past.version,
                &next.id,
                next.version,
                "补登记",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("已开始"), "{}: {e}", b.name);
        // A unit away in January cannot be given a January week.
        let jan = week("2027-01-04");
        app.add_duty_unavailable(
            &secretary,
            &next.organisation,
            "2027-01-01",
            "2027-01-31",
            "年终审计",
        )
        .await
        .expect("unavailable");
        let e = app
            .reassign_duty(
                &secretary,
                &jan.id,
                jan.version,
                &next.organisation,
                "临时改派",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("年终审计"), "{}: {e}", b.name);
        // A unit of another alliance is refused; so is an empty reason, a NUL and a duty officer.
        let other = app.duty_today(&secretary).await.unwrap();
        let foreign = other.iter().find(|t| t.alliance_code == "CG-05").unwrap();
        let e = app
            .reassign_duty(
                &secretary,
                &jan.id,
                jan.version,
                &foreign.organisation,
                "临时改派",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("不是"), "{}: {e}", b.name);
        for reason in ["", " ", "a\0b"] {
            assert_eq!(
                app.swap_duty(
                    &secretary,
                    &next.id,
                    next.version,
                    &jan.id,
                    jan.version,
                    reason
                )
                .await
                .unwrap_err()
                .code(),
                "input.invalid",
                "{}: {reason:?}",
                b.name
            );
        }
        let duty = who.duty.clone();
        assert_eq!(
            app.swap_duty(
                &duty,
                &next.id,
                next.version,
                &jan.id,
                jan.version,
                "值班员调换"
            )
            .await
            .unwrap_err()
            .code(),
            "auth.forbidden"
        );
        // Duty officers read today's duty: one unit for each of the eight alliances.
        assert_eq!(app.duty_today(&duty).await.unwrap().len(), 8, "{}", b.name);
        // Dates out of range and spans too long are refused.
        for (from, to) in [
            ("262142-01-01", "262142-01-02"),
            ("2026-01-01", "2046-01-01"),
            ("2026-02-01", "2026-01-01"),
        ] {
            assert_eq!(
                app.generate_duty(&secretary, Some("CG-02"), from, to)
                    .await
                    .unwrap_err()
                    .code(),
                "input.invalid",
                "{}: {from}..{to}",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn the_ics_reads_in_a_real_parser_and_its_uids_survive_a_re_export() {
    for b in backends().await {
        let (app, who, _clock) = demo_with_rotation(&b, beijing(2026, 12, 2, 9)).await;
        let secretary = who.secretary.clone();
        let filter = ScheduleFilter {
            alliance: Some("CG-04".into()),
            unit: None,
            from: "2026-12-01".into(),
            to: "2027-03-31".into(),
        };
        let first = read_ics(
            &app.export_duty(&secretary, &filter, DutyFormat::Ics)
                .await
                .unwrap(),
        );
        assert_eq!(first.timezone, "Asia/Shanghai", "{}", b.name);
        assert!(first.name.contains("东关"), "{}: {}", b.name, first.name);
        let turns = app.duty_schedule(&secretary, &filter).await.unwrap();
        assert_eq!(first.events.len(), turns.len(), "{}", b.name);
        for (e, t) in first.events.iter().zip(&turns) {
            assert!(e.all_day, "{}: {e:?}", b.name);
            assert_eq!(e.start, t.starts_on);
            // DTEND is exclusive (RFC 5545): the day after the turn's last day.
            let last: NaiveDate = t.ends_on.parse().unwrap();
            assert_eq!(e.end, last.succ_opt().unwrap().to_string());
            assert!(
                e.summary.contains(&t.organisation),
                "{}: {}",
                b.name,
                e.summary
            );
        }

        // Swap two weeks and export again: the same UIDs, the swapped events changed with a higher SEQUENCE.
        let (a, c) = (&turns[3], &turns[4]);
        app.swap_duty(&secretary, &a.id, a.version, &c.id, c.version, "会议冲突")
            .await
            .unwrap();
        let second = read_ics(
            &app.export_duty(&secretary, &filter, DutyFormat::Ics)
                .await
                .unwrap(),
        );
        let uids = |f: &IcsFile| f.events.iter().map(|e| e.uid.clone()).collect::<Vec<_>>();
        assert_eq!(uids(&first), uids(&second), "{}", b.name);
        let unique: std::collections::BTreeSet<_> = uids(&first).into_iter().collect();
        assert_eq!(
            unique.len(),
            first.events.len(),
            "{}: UIDs are unique",
            b.name
        );
        assert!(
            second.events[3].summary.contains(&c.organisation),
            "{}",
            b.name
        );
        assert!(
            second.events[3].sequence > first.events[3].sequence,
            "{}",
            b.name
        );
        assert_eq!(
            second.events[5].summary, first.events[5].summary,
            "{}",
            b.name
        );

        // Per unit: only that unit's turns.
        let unit = ScheduleFilter {
            alliance: None,
            unit: Some(c.organisation.clone()),
            ..filter.clone()
        };
        let mine = read_ics(
            &app.export_duty(&secretary, &unit, DutyFormat::Ics)
                .await
                .unwrap(),
        );
        assert!(!mine.events.is_empty());
        assert!(
            mine.events
                .iter()
                .all(|e| e.summary.contains(&c.organisation)),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn an_activity_on_a_turn_changes_the_review_and_bad_ones_are_refused() {
    for b in backends().await {
        let (app, who, clock) = demo_with_rotation(&b, beijing(2026, 12, 2, 9)).await;
        let secretary = who.secretary.clone();
        let (from, to) = ("2026-01-01", "2026-12-31");
        let before = app.duty_review(&secretary, from, to).await.expect("review");
        // Every member unit of the eight alliances has a row; the demo leaves some turns unfulfilled.
        assert_eq!(before.rows.len(), 263, "{}", b.name);
        assert!(
            before.rows.iter().any(|r| !r.unfulfilled.is_empty()),
            "{}",
            b.name
        );
        for r in &before.rows {
            let sum: f64 = r.parts.iter().map(|p| p.points).sum();
            assert!((sum - r.score).abs() < 0.05, "{}: {r:?}", b.name);
            assert_eq!(
                r.fulfilled as usize + r.unfulfilled.len(),
                r.turns_ended as usize
            );
        }

        // Last week's turn of 东关 (CG-04), 11-23..11-29, has ended: log a service on Wednesday 11-25 that
        // handled a petition the duty officer registered in a 东关 grid on Tuesday. (Only ended turns are
        // reviewed.)
        let turn = app
            .duty_schedule(
                &secretary,
                &ScheduleFilter {
                    alliance: Some("CG-04".into()),
                    unit: None,
                    from: "2026-11-23".into(),
                    to: "2026-11-23".into(),
                },
            )
            .await
            .unwrap()[0]
            .clone();
        *clock.0.lock().unwrap() = beijing(2026, 11, 24, 10);
        let mine = app
            .create_petition(&who.duty, &call_in(&app, "CG-04-02").await)
            .await
            .expect("petition");
        let elsewhere = app
            .create_petition(&who.duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("petition");
        *clock.0.lock().unwrap() = beijing(2026, 12, 2, 9);
        let number = mine.number.clone();
        let good = chengguan_app::duty::review::NewActivity {
            turn: turn.id.clone(),
            kind: "joint_service".into(),
            title: "义诊与健康咨询".into(),
            place: "东关社区广场".into(),
            held_on: "2026-11-25".into(),
            participants: 12,
            hours: 36.0,
            photos: vec!["IMG_0001.jpg".into()],
            petitions: vec![number.clone()],
        };
        let logged = app.log_activity(&secretary, &good).await.expect("log");
        assert_eq!(
            (logged.organisation.as_str(), logged.petitions.clone()),
            (turn.organisation.as_str(), vec![number.clone()])
        );
        let after = app.duty_review(&secretary, from, to).await.unwrap();
        let row = |r: &chengguan_app::duty::review::DutyReview| {
            r.rows
                .iter()
                .find(|x| x.organisation == turn.organisation && x.alliance_code == "CG-04")
                .unwrap()
                .clone()
        };
        assert_eq!(
            row(&after).activities,
            row(&before).activities + 1,
            "{}",
            b.name
        );
        assert_eq!(
            row(&after).petitions,
            row(&before).petitions + 1,
            "{}",
            b.name
        );
        assert!(
            (row(&after).hours - row(&before).hours - 36.0).abs() < 0.01,
            "{}",
            b.name
        );

        // Refused, naming the field: a day outside the turn or after today, a future turn, a petition that
        // does not exist, no participants, a NUL in the title, an unknown kind, too many photos.
        let future = app
            .duty_schedule(
                &secretary,
                &ScheduleFilter {
                    alliance: Some("CG-04".into()),
                    unit: None,
                    from: "2026-12-14".into(),
                    to: "2026-12-20".into(),
                },
            )
            .await
            .unwrap()[0]
            .id
            .clone();
        let cases: Vec<(chengguan_app::duty::review::NewActivity, &str)> = vec![
            (
                chengguan_app::duty::review::NewActivity {
                    held_on: "2026-11-22".into(),
                    ..good.clone()
                },
                "活动日期",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    held_on: "2026-11-30".into(),
                    ..good.clone()
                },
                "活动日期",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    turn: future,
                    held_on: "2026-12-14".into(),
                    ..good.clone()
                },
                "尚未开始",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    petitions: vec!["GT-2026-999999".into()],
                    ..good.clone()
                },
                "GT-2026-999999",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    petitions: vec![elsewhere.number.clone()],
                    ..good.clone()
                },
                "不在本联盟所在社区",
            ),
            (good.clone(), "已记在另一次活动中"),
            (
                chengguan_app::duty::review::NewActivity {
                    participants: 0,
                    ..good.clone()
                },
                "参加人数",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    title: "义\0诊".into(),
                    ..good.clone()
                },
                "活动内容",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    kind: "party".into(),
                    ..good.clone()
                },
                "活动类型",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    hours: f64::NAN,
                    ..good.clone()
                },
                "服务时长",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    photos: vec!["a.jpg".into(); 51],
                    ..good.clone()
                },
                "照片",
            ),
            (
                chengguan_app::duty::review::NewActivity {
                    held_on: "262142-12-08".into(),
                    ..good.clone()
                },
                "活动日期",
            ),
        ];
        for (bad, says) in cases {
            let e = app
                .log_activity(&secretary, &bad)
                .await
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{}: expected {says} in {e}", b.name);
        }
        assert_eq!(
            row(&app.duty_review(&secretary, from, to).await.unwrap()).activities,
            row(&after).activities
        );

        // Leaders and duty officers read the review; a grid worker does not; only secretaries log.
        for (name, s) in [("leader", &who.leader), ("duty", &who.duty)] {
            assert!(
                app.duty_review(s, from, to).await.is_ok(),
                "{}: {name}",
                b.name
            );
            assert_eq!(
                app.log_activity(s, &good).await.unwrap_err().code(),
                "auth.forbidden"
            );
        }
        let worker = who.worker.clone();
        assert_eq!(
            app.duty_review(&worker, from, to).await.unwrap_err().code(),
            "auth.forbidden"
        );

        // The xlsx, read back by calamine: one row per unit, and the activities sum to the review's.
        use calamine::{Reader, Xlsx};
        let bytes = app.export_review(&secretary, from, to).await.unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("评星定级").unwrap();
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 264, "{}: header and 263 units", b.name);
        let col = rows[0].iter().position(|c| *c == "活动次数").unwrap();
        let sum: u32 = rows[1..]
            .iter()
            .map(|r| r[col].to_string().parse::<u32>().unwrap())
            .sum();
        let review = app.duty_review(&secretary, from, to).await.unwrap();
        assert_eq!(
            sum,
            review.rows.iter().map(|r| r.activities).sum::<u32>(),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn shifts_are_fair_and_rested_and_the_handover_log_carries_open_items() {
    for b in backends().await {
        let app = demo(&b).await;
        app.load_demo_rotation(chengguan_core::demo::DEFAULT_SEED)
            .await
            .expect("demo pool");
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let secretary = sign_in(&app, "secretary").await;
        // A fortnight of November 2026 (always in the past of the database's clock, which keeps the sessions).
        let clock = Arc::new(HandClock(Mutex::new(beijing(2026, 11, 15, 10))));
        let app = app
            .with_idle_minutes(60 * 24 * 60)
            .with_clock(clock.clone());
        let set = |y, m, d, h| *clock.0.lock().unwrap() = beijing(y, m, d, h);

        let r = app
            .generate_shifts(&admin, "2026-11-01", "2026-11-30")
            .await
            .expect("generate");
        assert_eq!(r.from, "2026-11-16", "{}: from tomorrow only", b.name);
        // 11 working days × 2 and 4 weekend days × 1 (24 hours).
        assert_eq!((r.shifts, r.problems.len()), (26, 0), "{}: {r:?}", b.name);
        let list = app
            .shift_schedule(&admin, "2026-11-16", "2026-11-30")
            .await
            .unwrap();
        assert_eq!(
            list.iter()
                .filter(|s| s.day == "2026-11-21")
                .map(|s| (s.kind.as_str(), s.starts_at.as_str(), s.ends_at.as_str()))
                .collect::<Vec<_>>(),
            [("full", "2026-11-21 08:30", "2026-11-22 08:30")],
            "{}",
            b.name
        );
        for pair in list.windows(2) {
            let people = |s: &chengguan_app::duty::shifts::ShiftView| {
                let mut v = s.officers.clone();
                v.push(s.leader.clone());
                v
            };
            assert!(
                !pair[0].leader.is_empty() && pair[0].officers.len() == 2,
                "{}: {:?}",
                b.name,
                pair[0]
            );
            for p in people(&pair[0]) {
                assert!(
                    !people(&pair[1]).contains(&p),
                    "{}: {p} on two shifts in a row",
                    b.name
                );
            }
        }

        // An exclusion is respected when generated again; a shift changed by hand is kept.
        let wed = list
            .iter()
            .find(|s| s.day == "2026-11-18" && s.kind == "day")
            .unwrap()
            .clone();
        app.add_shift_exclusion(
            &admin,
            &wed.leader,
            "2026-11-18",
            "2026-11-18",
            "参加县里会议",
        )
        .await
        .expect("exclude");
        let fri = list
            .iter()
            .find(|s| s.day == "2026-11-20" && s.kind == "day")
            .unwrap()
            .clone();
        let edited = app
            .edit_shift(
                &admin,
                &fri.id,
                fri.version,
                &fri.officers[0],
                &[fri.leader.clone(), wed.leader.clone()],
                "带班领导临时外出",
            )
            .await
            .expect("edit");
        assert!(
            edited.manual && edited.leader == fri.officers[0],
            "{}: {edited:?}",
            b.name
        );
        app.generate_shifts(&admin, "2026-11-16", "2026-11-30")
            .await
            .expect("again");
        let again = app
            .shift_schedule(&admin, "2026-11-16", "2026-11-30")
            .await
            .unwrap();
        for s in again.iter().filter(|s| s.day == "2026-11-18") {
            assert!(
                s.leader != wed.leader && !s.officers.contains(&wed.leader),
                "{}: excluded {s:?}",
                b.name
            );
        }
        assert!(
            again
                .iter()
                .any(|s| s.id == edited.id && s.leader == edited.leader),
            "{}",
            b.name
        );

        // The handover log: written on Monday's day shift, carried to the night, closed there, gone the next
        // morning.
        set(2026, 11, 16, 10);
        let item = app
            .add_handover(&duty, "解放街 12 号楼道堆物：已通知网格员，明早回访")
            .await
            .expect("handover");
        assert_eq!(item.shift, "2026-11-16 白班", "{}", b.name);
        set(2026, 11, 16, 20);
        let night = app.shift_now(&duty).await.unwrap();
        assert_eq!(night.kind_label, "夜班", "{}", b.name);
        assert!(
            night.handovers.iter().any(|h| h.id == item.id && h.open),
            "{}: carried over",
            b.name
        );
        app.close_handover(&duty, &item.id, "已清理，回访满意")
            .await
            .expect("close");
        assert!(
            app.close_handover(&duty, &item.id, "再次").await.is_err(),
            "{}: closed once",
            b.name
        );
        let closed = app.shift_now(&duty).await.unwrap();
        assert!(
            closed.handovers.iter().any(|h| h.id == item.id && !h.open),
            "{}",
            b.name
        );
        set(2026, 11, 17, 10);
        let next = app.shift_now(&duty).await.unwrap();
        assert!(next.handovers.iter().all(|h| h.id != item.id), "{}", b.name);

        // Refused: an ended shift, a secretary planning or writing the log, an empty item, a NUL, and a
        // pool too small to rest anyone.
        let monday = again
            .iter()
            .find(|s| s.day == "2026-11-16" && s.kind == "day")
            .unwrap();
        let e = app
            .edit_shift(
                &admin,
                &monday.id,
                monday.version,
                &monday.leader,
                &monday.officers,
                "补录",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("已结束"), "{}: {e}", b.name);
        assert_eq!(
            app.generate_shifts(&secretary, "2026-11-16", "2026-11-30")
                .await
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        assert_eq!(
            app.add_handover(&secretary, "书记交接")
                .await
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        for bad in ["", "a\0b"] {
            assert_eq!(
                app.add_handover(&duty, bad).await.unwrap_err().code(),
                "input.invalid",
                "{}",
                b.name
            );
        }
        let e = app
            .set_shift_pool(
                &admin,
                std::slice::from_ref(&wed.leader),
                std::slice::from_ref(&fri.leader),
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("至少"), "{}: {e}", b.name);

        // Past the built-in years, shifts are still planned, and the missing notice is said.
        set(2026, 11, 28, 10);
        let r = app
            .generate_shifts(&admin, "2026-12-20", "2027-01-10")
            .await
            .expect("into 2027");
        assert!(
            r.problems
                .iter()
                .any(|p| p.contains("2027 年的放假安排尚未导入")),
            "{}: {r:?}",
            b.name
        );
    }
}
