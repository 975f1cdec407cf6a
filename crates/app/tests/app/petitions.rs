//! Petitions through the app, on SQLite and PostgreSQL: numbering, point-in-grid from a GCJ-02 point, the
//! workflow with refusals that change nothing, conflicts on a stale version, the grid worker's scope.

use chengguan_app::petitions::{NewPetition, PetitionQuery, Step};
use chengguan_core::geo::Crs;

use crate::support::{backends, demo, sign_in};

/// A hotline call placed at the label point of grid `code`, sent in GCJ-02 as the mini-program would.
pub async fn call_in(app: &chengguan_app::App, code: &str) -> NewPetition {
    let duty = sign_in(app, "duty").await;
    let map = app.town_map(&duty, Crs::Gcj02).await.expect("map");
    let g = map.grids.iter().find(|g| g.code == code).expect("grid");
    NewPetition {
        channel: "hotline".into(),
        category: "sanitation".into(),
        description: "楼道堆放杂物，堵塞消防通道".into(),
        lon: Some(g.label_at[0]),
        lat: Some(g.label_at[1]),
        crs: Some("gcj02".into()),
        address: "解放街 12 号".into(),
        reporter_name: "王某".into(),
        reporter_phone: "13812345678".into(),
        media_url: None,
    }
}

#[tokio::test]
async fn a_call_is_numbered_placed_in_its_grid_and_handled_to_the_rating() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let first = app
            .create_petition(&duty, &call_in(&app, "CG-03-07").await)
            .await
            .expect("create");
        let second = app
            .create_petition(&duty, &call_in(&app, "CG-06-04").await)
            .await
            .expect("create");
        // After the demo town's year of petitions, numbered on in the same year.
        let year = chrono::Utc::now().format("%Y").to_string();
        let seq = |n: &str| n.rsplit('-').next().unwrap().parse::<u32>().unwrap();
        assert!(
            first.number.starts_with(&format!("GT-{year}-")),
            "{}",
            first.number
        );
        assert!(
            seq(&first.number) > 150,
            "{}: after the demo's petitions",
            b.name
        );
        assert_eq!(seq(&second.number), seq(&first.number) + 1, "{}", b.name);
        assert_eq!(
            first.grid_code.as_deref(),
            Some("CG-03-07"),
            "{}: the GCJ-02 point lands in its grid",
            b.name
        );
        assert_eq!(first.reporter_phone, "138******78", "{}", b.name);
        assert_eq!(
            (first.status.as_str(), first.overdue),
            ("received", false),
            "{}",
            b.name
        );

        let mut p = first;
        for (step, status) in [
            (
                Step::Accept {
                    category: Some("property".into()),
                },
                "accepted",
            ),
            (
                Step::Assign {
                    level: "grid".into(),
                    assignee: "网格员 张三".into(),
                },
                "in_progress",
            ),
            (Step::Escalate, "in_progress"),
            (Step::Resolve, "resolved"),
            (
                Step::Rate {
                    stars: 2,
                    comment: Some("清理不彻底".into()),
                },
                "rated",
            ),
            (Step::Reopen, "in_progress"),
        ] {
            p = app
                .act_on_petition(&duty, &p.id, p.version, &step, "")
                .await
                .unwrap_or_else(|e| panic!("{step:?}: {e}"));
            assert_eq!(p.status, status, "{}: after {step:?}", b.name);
        }
        assert_eq!(
            (p.level.as_deref(), p.category.as_str()),
            (Some("community"), "property"),
            "{}",
            b.name
        );
        let timeline = app.petition_timeline(&duty, &p.id).await.expect("timeline");
        let actions: Vec<&str> = timeline.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "登记",
                "受理",
                "分级交办",
                "升级",
                "办结",
                "评价",
                "退回重办"
            ],
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn an_illegal_step_is_refused_and_changes_nothing() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("create");
        let refused = app
            .act_on_petition(&duty, &p.id, p.version, &Step::Resolve, "")
            .await
            .expect_err("illegal");
        assert_eq!(refused.code(), "petition.illegal_step", "{}", b.name);
        assert!(
            refused.to_string().contains("待受理"),
            "{}: {refused}",
            b.name
        );
        let after = app
            .list_petitions(&duty, &PetitionQuery::default())
            .await
            .map(|p| p.items)
            .expect("list");
        assert_eq!(
            (after[0].status.as_str(), after[0].version),
            ("received", p.version),
            "{}",
            b.name
        );
        assert_eq!(
            app.petition_timeline(&duty, &p.id)
                .await
                .expect("timeline")
                .len(),
            1,
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn the_second_of_two_workstations_gets_a_conflict() {
    for b in backends().await {
        let app = demo(&b).await;
        let one = sign_in(&app, "duty").await;
        let p = app
            .create_petition(&one, &call_in(&app, "CG-02-03").await)
            .await
            .expect("create");
        app.act_on_petition(&one, &p.id, p.version, &Step::Accept { category: None }, "")
            .await
            .expect("first");
        let stale = app
            .act_on_petition(
                &one,
                &p.id,
                p.version,
                &Step::Reject {
                    reason: "重复".into(),
                },
                "",
            )
            .await
            .expect_err("stale");
        assert_eq!(stale.code(), "store.conflict", "{}", b.name);
        let now = app
            .list_petitions(&one, &PetitionQuery::default())
            .await
            .map(|p| p.items)
            .expect("list");
        assert_eq!(
            now[0].status, "accepted",
            "{}: the first step stands, the second wrote nothing",
            b.name
        );
    }
}

#[tokio::test]
async fn a_grid_worker_sees_only_their_grid_s_petitions() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let own = app
            .create_petition(&duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("own");
        let other = app
            .create_petition(&duty, &call_in(&app, "CG-08-02").await)
            .await
            .expect("other");
        let worker = sign_in(&app, "grid0101").await;
        let listed = app
            .list_petitions(&worker, &PetitionQuery::default())
            .await
            .map(|p| p.items)
            .expect("list");
        assert!(listed.iter().any(|p| p.number == own.number), "{}", b.name);
        assert!(
            !listed.iter().any(|p| p.number == other.number),
            "{}",
            b.name
        );
        assert!(
            listed
                .iter()
                .all(|p| p.grid_code.as_deref() == Some("CG-01-01")),
            "{}: only their grid",
            b.name
        );
        let e = app
            .petition_timeline(&worker, &other.id)
            .await
            .expect_err("scope");
        assert_eq!(e.code(), "auth.out_of_scope", "{}", b.name);
    }
}

#[tokio::test]
async fn bad_input_names_the_field() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let good = call_in(&app, "CG-01-01").await;
        let before = app
            .list_petitions(&duty, &PetitionQuery::default())
            .await
            .expect("list")
            .total;
        for (bad, field) in [
            (
                NewPetition {
                    category: "ufo".into(),
                    ..good.clone()
                },
                "类别",
            ),
            (
                NewPetition {
                    channel: "pigeon".into(),
                    ..good.clone()
                },
                "渠道",
            ),
            (
                NewPetition {
                    description: " ".into(),
                    ..good.clone()
                },
                "诉求内容",
            ),
            (
                NewPetition {
                    reporter_phone: "call me".into(),
                    ..good.clone()
                },
                "联系电话",
            ),
            (
                NewPetition {
                    lon: good.lat,
                    lat: good.lon,
                    ..good.clone()
                },
                "位置",
            ),
            (
                NewPetition {
                    lat: None,
                    ..good.clone()
                },
                "位置",
            ),
        ] {
            let e = app.create_petition(&duty, &bad).await.expect_err(field);
            assert!(e.to_string().starts_with(field), "{}: {e}", b.name);
        }
        assert_eq!(
            app.list_petitions(&duty, &PetitionQuery::default())
                .await
                .expect("list")
                .total,
            before,
            "{}: nothing written",
            b.name
        );
    }
}

#[tokio::test]
async fn a_filtered_list_exports_to_xlsx_with_phones_masked() {
    use calamine::Reader;
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let call = call_in(&app, "CG-01-01").await;
        app.create_petition(&duty, &call).await.expect("one");
        let mine = app
            .create_petition(
                &duty,
                &NewPetition {
                    category: "dispute".into(),
                    ..call.clone()
                },
            )
            .await
            .expect("two");
        let query = PetitionQuery {
            categories: vec!["dispute".into()],
            ..Default::default()
        };
        let bytes = app
            .export_petitions(&duty, &query, None)
            .await
            .expect("export");
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
        let sheet = book.worksheet_range("诉求").expect("sheet");
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let disputes = app.list_petitions(&duty, &query).await.expect("list").total;
        assert_eq!(
            rows.len() as i64,
            disputes + 1,
            "{}: header + every dispute",
            b.name
        );
        assert!(rows[1..].iter().all(|r| r[3] == "矛盾纠纷"), "{}", b.name);
        let row = rows
            .iter()
            .find(|r| r[0] == mine.number)
            .expect("the new one");
        assert_eq!(row[8], "138******78", "{}: the phone is masked", b.name);
        assert!(
            rows[1..].iter().all(|r| r[8].contains("****")),
            "{}: all masked",
            b.name
        );
        let bad = PetitionQuery {
            statuses: vec!["lost".into()],
            ..Default::default()
        };
        let e = app
            .export_petitions(&duty, &bad, None)
            .await
            .expect_err("unknown status");
        assert!(e.to_string().contains("状态"), "{e}");
    }
}

#[tokio::test]
async fn a_duty_officer_places_a_petition_in_another_grid_with_a_reason() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let p = app
            .create_petition(&duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("create");
        let no_reason = app
            .override_petition_grid(&duty, &p.id, p.version, "CG-01-02", " ")
            .await
            .expect_err("reason");
        assert!(no_reason.to_string().starts_with("理由"), "{no_reason}");
        let unknown = app
            .override_petition_grid(&duty, &p.id, p.version, "CG-99-99", "路口")
            .await
            .expect_err("grid");
        assert!(unknown.to_string().contains("CG-99-99"), "{unknown}");
        let moved = app
            .override_petition_grid(
                &duty,
                &p.id,
                p.version,
                "CG-01-02",
                "点位落在道路上，实为对面小区",
            )
            .await
            .expect("override");
        assert_eq!(moved.grid_code.as_deref(), Some("CG-01-02"), "{}", b.name);
        assert_eq!(
            moved.status, p.status,
            "{}: the workflow does not move",
            b.name
        );
        assert_eq!(moved.version, p.version + 1);
        let stale = app
            .override_petition_grid(&duty, &p.id, p.version, "CG-01-03", "再改")
            .await
            .expect_err("stale");
        assert_eq!(stale.code(), "store.conflict", "{}", b.name);
        let timeline = app.petition_timeline(&duty, &p.id).await.expect("timeline");
        let last = timeline.last().unwrap();
        assert_eq!(last.action, "改派网格");
        assert!(last.note.contains("CG-01-01 → CG-01-02"), "{}", last.note);
        let leader = sign_in(&app, "leader").await;
        let refused = app
            .override_petition_grid(&leader, &p.id, moved.version, "CG-01-03", "试试")
            .await
            .expect_err("leader");
        assert_eq!(refused.code(), "auth.forbidden");
    }
}

#[tokio::test]
async fn the_administrator_s_time_limits_set_new_deadlines() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let before = app
            .create_petition(&duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("before");
        let rows = app
            .set_sla(&admin, "sanitation", "grid", Some(8))
            .await
            .expect("set");
        let row = rows
            .iter()
            .find(|r| r.category == "sanitation" && r.level == "grid")
            .unwrap();
        assert_eq!((row.working_days, row.default_days), (8, 3), "{}", b.name);
        let after = app
            .create_petition(&duty, &call_in(&app, "CG-01-01").await)
            .await
            .expect("after");
        let deadline = |v: &chengguan_app::petitions::PetitionView| {
            chrono::DateTime::parse_from_rfc3339(&v.deadline).unwrap()
        };
        // (Both registered within the same second: the same day, unless this runs across midnight.) Between
        // the two last days lie five working days of the State Council's calendar.
        let last_day = |v: &chengguan_app::petitions::PetitionView| {
            deadline(v)
                .with_timezone(&chengguan_core::time::beijing())
                .date_naive()
                .pred_opt()
                .unwrap()
        };
        let calendar = chengguan_core::petitions::sla::working_calendar();
        let working = last_day(&before)
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= last_day(&after))
            .filter(|d| chengguan_core::petitions::sla::WorkCalendar::is_working_day(calendar, *d))
            .count();
        assert_eq!(working, 5, "{}: 8 working days instead of 3", b.name);
        for (days, field) in [(Some(0), "办理时限"), (Some(61), "办理时限")] {
            let e = app
                .set_sla(&admin, "sanitation", "grid", days)
                .await
                .expect_err("range");
            assert!(e.to_string().starts_with(field), "{e}");
        }
        assert!(app.set_sla(&admin, "ufo", "grid", Some(3)).await.is_err());
        assert!(app
            .set_sla(&admin, "sanitation", "village", Some(3))
            .await
            .is_err());
        let reset = app
            .set_sla(&admin, "sanitation", "grid", None)
            .await
            .expect("reset");
        let row = reset
            .iter()
            .find(|r| r.category == "sanitation" && r.level == "grid")
            .unwrap();
        assert_eq!(row.working_days, 3, "{}: back to the default", b.name);
        assert_eq!(
            app.set_sla(&duty, "sanitation", "grid", Some(4))
                .await
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        let audit = app
            .audit_list(
                &admin,
                &chengguan_app::audit::AuditFilter {
                    action_prefix: Some("sla.".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 2, "{}: set and reset are audited", b.name);
    }
}
