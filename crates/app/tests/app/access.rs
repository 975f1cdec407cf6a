//! Roles × use-cases, sign-in lockout, idle timeout, grid-worker scope, masking and reveals — each against
//! SQLite and PostgreSQL.

use std::sync::{Arc, Mutex};

use chengguan_app::access::{Access, Clock, Session, UseCase};
use chengguan_app::audit::AuditFilter;
use chengguan_app::config::settings::Basemap;
use chengguan_app::people::PersonField;
use chengguan_app::petitions::CategoryInput;
use chengguan_app::petitions::PetitionQuery;
use chengguan_app::users::{NewUser, DEMO_PASSWORD};
use chengguan_app::{App, AppError};
use chengguan_core::access::UserRole;
use chengguan_core::geo::Crs;
use chrono::{DateTime, Duration, Utc};

use crate::support::{backends, demo, sign_in};

/// The expected matrix, written out by hand: which demo accounts may run each use-case. `ALL_ROLES` for
/// public and signed-in use-cases. A use-case missing here fails the test.
fn expected(use_case: UseCase) -> &'static [&'static str] {
    const ALL_ROLES: &[&str] = &["admin", "duty", "leader", "secretary", "grid0101"];
    const TOWN_READERS: &[&str] = &["admin", "duty", "leader", "secretary"];
    match use_case {
        UseCase::StatusBar | UseCase::Ping | UseCase::SignIn | UseCase::SignOut => ALL_ROLES,
        UseCase::SetupAdministrator | UseCase::InitTown | UseCase::LoadDemoIntoEmpty => ALL_ROLES,
        UseCase::ChangeOwnPassword | UseCase::RecordActivity => ALL_ROLES,
        UseCase::ListGrids | UseCase::TownMap | UseCase::GridDetail => ALL_ROLES,
        UseCase::Status | UseCase::CheckGrids => TOWN_READERS,
        UseCase::ExportGrids => &["admin", "duty", "leader"],
        UseCase::LoadDemoOverData
        | UseCase::ImportGrids
        | UseCase::SaveBasemap
        | UseCase::SwitchDatabase => &["admin"],
        UseCase::ListUsers
        | UseCase::AddUser
        | UseCase::SetUserDisabled
        | UseCase::ResetPassword => &["admin"],
        UseCase::ListAudit | UseCase::VerifyAudit | UseCase::ExportAudit => &["admin"],
        UseCase::RevealPersonField | UseCase::ExportPetitionsInClear => &["duty", "grid0101"],
        UseCase::ExportPeople => &["duty"],
        UseCase::CreatePetition | UseCase::ActOnPetition => &["duty"],
        UseCase::ListPetitions | UseCase::PetitionTimeline | UseCase::WatchChanges => ALL_ROLES,
        UseCase::CreateApiKey | UseCase::ListApiKeys | UseCase::RevokeApiKey => &["admin"],
        UseCase::ImportPetitions => &["admin"],
        UseCase::ListSla | UseCase::Analyse => TOWN_READERS,
        UseCase::SetSla | UseCase::SaveCategory => &["admin"],
        UseCase::ListCategories => ALL_ROLES,
        UseCase::SearchPeople
        | UseCase::ListRoster
        | UseCase::PersonCard
        | UseCase::ExportRoster
        | UseCase::RosterCoverage
        | UseCase::ListTemplate => ALL_ROLES,
        // Residents: everyone but the leader (a party secretary sees the party members among them).
        UseCase::ViewHousehold | UseCase::ExportResidents => {
            &["admin", "duty", "secretary", "grid0101"]
        }
        UseCase::RevealResidentField => &["duty", "grid0101"],
        UseCase::ExportResidentsInClear => &["duty"],
        UseCase::ImportRoster | UseCase::ImportResidents => &["admin"],
        // The calendars: everyone reads; the administrator loads a year's notice; secretaries plan the rotation
        // (and the administrator, who sets the alliances up).
        UseCase::ListHolidays | UseCase::ViewDuty | UseCase::ExportDuty => ALL_ROLES,
        UseCase::ImportHolidays => &["admin"],
        UseCase::PlanDuty | UseCase::SwapDuty | UseCase::LogActivity => &["admin", "secretary"],
        UseCase::ReviewDuty => TOWN_READERS,
        UseCase::PlanShifts => &["admin"],
        UseCase::RecordHandover => &["duty"],
        // Town-wide figures and the pack: whoever reads the whole town (reporters are masked in the pack).
        UseCase::ViewFigures | UseCase::BriefingPack => TOWN_READERS,
        UseCase::Backup => &["admin"],
    }
}

/// An identifier no row has.
const NIL: &str = "00000000-0000-0000-0000-000000000000";

/// Runs the use-case as `session` and tells whether the permission check let it through (a later, non-permission
/// error such as "no such grid" counts as allowed). Every use-case is called through its real `App` method.
async fn attempt(app: &App, s: &Session, use_case: UseCase, person: &str) -> bool {
    let result: Result<(), AppError> = match use_case {
        // Public ones take no session; what is checked is that they are public.
        UseCase::StatusBar
        | UseCase::Ping
        | UseCase::SignIn
        | UseCase::SignOut
        | UseCase::SetupAdministrator
        | UseCase::InitTown
        | UseCase::LoadDemoIntoEmpty => {
            return use_case.access() == Access::Public;
        }
        UseCase::ChangeOwnPassword => {
            app.change_own_password(s, "wrong-current", "Whatever#2026x")
                .await
        }
        UseCase::RecordActivity => app.record_activity(s).await,
        UseCase::WatchChanges => app
            .notice_for(
                s,
                &chengguan_app::live::ChangeNotice {
                    seq: 1,
                    entities: vec!["petition".into()],
                    new_petitions: Vec::new(),
                },
            )
            .await
            .map(drop),
        UseCase::LoadDemoOverData => app.load_demo(Some(s), 7, false).await.map(drop),
        UseCase::Status => app.status(s).await.map(drop),
        UseCase::ListGrids => app.list_grids(s).await.map(drop),
        UseCase::CheckGrids => app.check_grids(s).await.map(drop),
        UseCase::ImportGrids => app
            .import_grids(s, "not json", &Default::default())
            .await
            .map(drop),
        UseCase::ExportGrids => app.export_grids(s, Crs::Wgs84).await.map(drop),
        UseCase::TownMap => app.town_map(s, Crs::Wgs84).await.map(drop),
        UseCase::GridDetail => app.grid_detail(s, "CG-01-01").await.map(drop),
        UseCase::SaveBasemap => app
            .save_basemap(
                s,
                Some(Basemap {
                    url_template: "not a template".into(),
                    crs: "wgs84".into(),
                }),
            )
            .await
            .map(drop),
        // A URL that does not parse: the administrator gets that error, everyone else a refusal first.
        UseCase::SwitchDatabase => app
            .switch_database(
                s,
                "not a url",
                std::path::Path::new("/nonexistent/config.toml"),
            )
            .await
            .map(drop),
        UseCase::ListUsers => app.list_users(s).await.map(drop),
        UseCase::AddUser => app
            .add_user(
                s,
                &NewUser {
                    username: "x".into(),
                    display_name: String::new(),
                    password: String::new(),
                    roles: vec![],
                    grid_code: None,
                },
            )
            .await
            .map(drop),
        UseCase::SetUserDisabled => app
            .set_user_disabled(s, "nobody-here", true)
            .await
            .map(drop),
        UseCase::ResetPassword => app
            .reset_password(s, "nobody-here", "short")
            .await
            .map(drop),
        UseCase::RevealPersonField => app
            .reveal_person_field(s, person, PersonField::Phone, "回访核实")
            .await
            .map(drop),
        UseCase::ExportPeople => app.export_people(s, "").await.map(drop),
        UseCase::ExportPetitionsInClear => app
            .export_petitions(s, &Default::default(), Some(""))
            .await
            .map(drop),
        UseCase::ListAudit => app
            .audit_list(
                s,
                &AuditFilter {
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        UseCase::VerifyAudit => app.audit_verify(s, None).await.map(drop),
        UseCase::ExportAudit => app
            .audit_export(
                s,
                &AuditFilter {
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        UseCase::CreatePetition => app.create_petition(s, &Default::default()).await.map(drop),
        UseCase::ListPetitions => app
            .list_petitions(s, &PetitionQuery::default())
            .await
            .map(drop),
        UseCase::PetitionTimeline => app.petition_timeline(s, "no-such-petition").await.map(drop),
        UseCase::ActOnPetition => app
            .act_on_petition(
                s,
                "no-such-petition",
                1,
                &chengguan_app::petitions::Step::Resolve,
                "",
            )
            .await
            .map(drop),
        UseCase::CreateApiKey => app.create_api_key(s, "", false).await.map(drop),
        UseCase::ListSla => app.list_sla(s).await.map(drop),
        UseCase::Analyse => app.alerts(s, None).await.map(drop),
        UseCase::SetSla => app.set_sla(s, "ufo", "grid", Some(3)).await.map(drop),
        UseCase::ListCategories => app.list_categories(s).await.map(drop),
        UseCase::SaveCategory => app
            .save_category(s, &CategoryInput::default())
            .await
            .map(drop),
        UseCase::ImportPetitions => app
            .import_petitions(s, "empty.csv", b"", true)
            .await
            .map(drop),
        UseCase::ListApiKeys => app.list_api_keys(s).await.map(drop),
        UseCase::RevokeApiKey => app.revoke_api_key(s, "no-such-key").await.map(drop),
        UseCase::SearchPeople => app.search_roster(s, "zs").await.map(drop),
        UseCase::ListRoster => app.list_roster(s, Default::default()).await.map(drop),
        UseCase::PersonCard => app.person_card(s, person).await.map(drop),
        UseCase::ExportRoster => app
            .export_roster(s, Default::default(), None)
            .await
            .map(drop),
        UseCase::RosterCoverage => app.roster_coverage(s, None).await.map(drop),
        UseCase::ListTemplate => app
            .list_template(s, chengguan_app::roster::export::ListKind::Roster)
            .await
            .map(drop),
        UseCase::ViewHousehold => app.household(s, NIL).await.map(drop),
        UseCase::ExportResidents => app.export_residents(s, None, None).await.map(drop),
        UseCase::RevealResidentField => app
            .reveal_resident_field(s, NIL, PersonField::Phone, "回访核实")
            .await
            .map(drop),
        UseCase::ExportResidentsInClear => app
            .export_residents(s, None, Some("回访核实"))
            .await
            .map(drop),
        UseCase::ImportRoster => app
            .import_roster(s, "empty.csv", b"", true, false)
            .await
            .map(drop),
        UseCase::ImportResidents => app
            .import_residents(s, "empty.csv", b"", true, false)
            .await
            .map(drop),
        UseCase::ListHolidays => app.holidays(s, 2026).await.map(drop),
        UseCase::ImportHolidays => app.import_holidays(s, "empty.csv", b"").await.map(drop),
        UseCase::ViewDuty => app.duty_today(s).await.map(drop),
        UseCase::ExportDuty => app
            .export_duty(
                s,
                &chengguan_app::duty::ScheduleFilter {
                    from: "2026-01-01".into(),
                    to: "2026-01-31".into(),
                    ..Default::default()
                },
                chengguan_app::duty::export::DutyFormat::Xlsx,
            )
            .await
            .map(drop),
        UseCase::PlanDuty => app
            .generate_duty(s, None, "2026-01-01", "2026-01-31")
            .await
            .map(drop),
        UseCase::SwapDuty => app.swap_duty(s, NIL, 1, NIL, 1, "测试调换").await.map(drop),
        UseCase::LogActivity => app.log_activity(s, &Default::default()).await.map(drop),
        UseCase::ReviewDuty => app
            .duty_review(s, "2026-01-01", "2026-12-31")
            .await
            .map(drop),
        UseCase::PlanShifts => app
            .generate_shifts(s, "2026-01-01", "2026-01-31")
            .await
            .map(drop),
        UseCase::RecordHandover => app.close_handover(s, NIL, "已办结").await.map(drop),
        // A reversed period: refused for its input once the role has passed.
        UseCase::ViewFigures => app
            .report_figures(s, "2026-02-01", "2026-01-01")
            .await
            .map(drop),
        UseCase::BriefingPack => app
            .briefing_pdf(s, "2026-02-01", "2026-01-01")
            .await
            .map(drop),
        // A file that is not there: checked (and refused) once the role has passed.
        UseCase::Backup => app
            .verify_backup(s, std::path::Path::new("/nonexistent/备份.zip"))
            .await
            .map(drop),
    };
    match result {
        Err(AppError::Forbidden { .. }) => false,
        Err(AppError::SignInRequired(_))
        | Err(AppError::SessionExpired)
        | Err(AppError::AccountGone) => {
            panic!("{use_case:?}: the session itself failed: {result:?}")
        }
        _ => true,
    }
}

#[tokio::test]
async fn every_use_case_against_every_role() {
    for b in backends().await {
        let app = demo(&b).await;
        // A person of grid CG-01-01, so that the grid worker's reveal is inside their scope.
        let detail = app
            .grid_detail(&sign_in(&app, "duty").await, "CG-01-01")
            .await
            .expect("detail");
        let person = detail.manager.expect("grid manager").person_id;
        let mut mismatches = Vec::new();
        for user in ["admin", "duty", "leader", "secretary", "grid0101"] {
            let session = sign_in(&app, user).await;
            for &use_case in UseCase::ALL {
                let allowed = attempt(&app, &session, use_case, &person).await;
                let want = expected(use_case).contains(&user);
                if allowed != want {
                    mismatches.push(format!(
                        "{user} × {use_case:?}: allowed {allowed}, expected {want}"
                    ));
                }
            }
        }
        assert!(mismatches.is_empty(), "{}: {mismatches:#?}", b.name);
    }
}

#[test]
fn the_use_case_list_is_complete() {
    // `UseCase::ALL` is generated with the enum (every variant, once); `expected` and `attempt` match
    // exhaustively, so a new use-case does not compile here until its row of the matrix is written.
    let mut seen = std::collections::HashSet::new();
    for &u in UseCase::ALL {
        assert!(seen.insert(u), "{u:?} listed twice");
        assert!(!u.label().is_empty());
    }
}

#[tokio::test]
async fn grid_workers_see_only_their_grid_everywhere() {
    for b in backends().await {
        let app = demo(&b).await;
        let worker = sign_in(&app, "grid0101").await;
        let map = app.town_map(&worker, Crs::Wgs84).await.expect("map");
        assert_eq!(
            map.grids
                .iter()
                .map(|g| g.code.as_str())
                .collect::<Vec<_>>(),
            ["CG-01-01"],
            "{}",
            b.name
        );
        assert_eq!(map.communities.len(), 1, "{}", b.name);
        assert_eq!(
            app.list_grids(&worker).await.expect("list").len(),
            1,
            "{}",
            b.name
        );
        let other = app
            .grid_detail(&worker, "CG-06-04")
            .await
            .expect_err("another grid");
        assert_eq!(other.code(), "auth.out_of_scope", "{}", b.name);
        // A person of another grid cannot be revealed either.
        let duty = sign_in(&app, "duty").await;
        let stranger = app
            .grid_detail(&duty, "CG-06-04")
            .await
            .expect("detail")
            .manager
            .expect("manager");
        let refused = app
            .reveal_person_field(&worker, &stranger.person_id, PersonField::Phone, "核实")
            .await
            .expect_err("out of scope");
        assert_eq!(refused.code(), "auth.out_of_scope", "{}", b.name);
    }
}

#[tokio::test]
async fn phones_are_masked_and_a_reveal_needs_a_reason_and_is_audited() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let manager = app
            .grid_detail(&duty, "CG-03-07")
            .await
            .expect("detail")
            .manager
            .expect("manager");
        assert!(
            manager.phone.contains("****"),
            "{}: {}",
            b.name,
            manager.phone
        );
        let no_reason = app
            .reveal_person_field(&duty, &manager.person_id, PersonField::Phone, " ")
            .await;
        assert_eq!(
            no_reason.expect_err("reason").code(),
            "input.invalid",
            "{}",
            b.name
        );
        let phone = app
            .reveal_person_field(
                &duty,
                &manager.person_id,
                PersonField::Phone,
                "回访群众诉求",
            )
            .await
            .expect("reveal");
        assert_eq!(phone.len(), 11, "{}: {phone}", b.name);
        assert_eq!(
            chengguan_core::people::mask_phone(&phone),
            manager.phone,
            "{}",
            b.name
        );
        let admin = sign_in(&app, "admin").await;
        let filter = AuditFilter {
            action_prefix: Some("person.reveal".into()),
            limit: 10,
            ..Default::default()
        };
        let entries = app.audit_list(&admin, &filter).await.expect("audit");
        assert_eq!(
            entries.len(),
            1,
            "{}: only the reveal with a reason is recorded",
            b.name
        );
        let e = &entries[0];
        assert_eq!(
            (e.actor.as_str(), e.reason.as_deref()),
            ("duty", Some("回访群众诉求")),
            "{}",
            b.name
        );
        assert_eq!(
            e.target,
            format!("person:{}", manager.person_id),
            "{}",
            b.name
        );
        assert!(
            e.detail.contains(&manager.name),
            "{}: names whose data: {}",
            b.name,
            e.detail
        );
    }
}

/// A clock the test sets by hand.
#[derive(Debug)]
struct HandClock(Mutex<DateTime<Utc>>);

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl HandClock {
    fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    for b in backends().await {
        let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
        let app = demo(&b).await.with_clock(clock.clone());
        for attempt in 1..=4 {
            let e = app
                .sign_in("leader", "wrong")
                .await
                .expect_err("wrong password");
            assert_eq!(
                e.code(),
                "auth.bad_credentials",
                "{}: attempt {attempt}",
                b.name
            );
        }
        // The fifth failure locks the account, but says nothing a guesser could use: locked, wrong and unknown
        // all get the same code and the same words.
        let fifth = app.sign_in("leader", "wrong").await.expect_err("locks");
        let right = app
            .sign_in("leader", DEMO_PASSWORD)
            .await
            .expect_err("locked even with the right password");
        let unknown = app.sign_in("nobody", "x").await.expect_err("unknown");
        let mut unknown_after_six = None;
        for _ in 0..6 {
            unknown_after_six = app.sign_in("nobody", "x").await.err();
        }
        for (what, e) in [
            ("fifth failure", &fifth),
            ("locked, right password", &right),
            ("unknown name", &unknown),
            (
                "unknown name, seventh try",
                &unknown_after_six.expect("refused"),
            ),
        ] {
            assert_eq!(e.code(), "auth.bad_credentials", "{}: {what}", b.name);
            assert_eq!(
                e.to_string(),
                fifth.to_string(),
                "{}: {what}: same words",
                b.name
            );
        }
        clock.advance(Duration::minutes(14));
        assert_eq!(
            app.sign_in("leader", DEMO_PASSWORD)
                .await
                .expect_err("still locked at 14 minutes")
                .code(),
            "auth.bad_credentials"
        );
        clock.advance(Duration::minutes(2));
        app.sign_in("leader", DEMO_PASSWORD)
            .await
            .expect("unlocked after 15 minutes");
    }
}

#[tokio::test]
async fn r11_sign_in_records_only_names_that_exist() {
    for b in backends().await {
        let app = demo(&b).await;
        let typed = "Secret#Pass2026";
        app.sign_in(typed, "x").await.expect_err("no such user");
        app.sign_in("leader", "wrong")
            .await
            .expect_err("wrong password");
        let (admin, _) = app.sign_in("admin", DEMO_PASSWORD).await.expect("admin");
        let filter = chengguan_app::audit::AuditQuery::default()
            .to_filter(1000)
            .expect("filter");
        let log = app.audit_list(&admin, &filter).await.expect("audit log");
        let text = serde_json::to_string(&log).expect("json");
        assert!(
            !text.contains(typed),
            "{}: a password typed as a user name must not be logged",
            b.name
        );
        assert!(
            text.contains(chengguan_app::users::UNKNOWN_USER),
            "{}: an unknown name is recorded as 未知用户",
            b.name
        );
        assert!(
            text.contains("user:leader"),
            "{}: a known name is recorded",
            b.name
        );
    }
}

#[tokio::test]
async fn an_idle_session_asks_for_the_password_again() {
    for b in backends().await {
        let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
        let app = demo(&b)
            .await
            .with_clock(clock.clone())
            .with_idle_minutes(30);
        let (session, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("sign in");
        clock.advance(Duration::minutes(29));
        app.record_activity(&session)
            .await
            .expect("still active; input renews the timer");
        clock.advance(Duration::minutes(29));
        app.list_grids(&session).await.expect("active again");
        app.record_activity(&session).await.expect("input again");
        clock.advance(Duration::minutes(31));
        let e = app.list_grids(&session).await.expect_err("idle too long");
        assert_eq!(e.code(), "auth.session_expired", "{}", b.name);
        let (resumed, _) = app
            .resume(&session, DEMO_PASSWORD)
            .await
            .expect("password again");
        app.list_grids(&resumed).await.expect("resumed");
    }
}

#[tokio::test]
async fn a_disabled_account_loses_access_at_once_and_roles_change_rights() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let new = NewUser {
            username: "wang.wu".into(),
            display_name: "王五".into(),
            password: "Wangwu#2026x".into(),
            roles: vec!["leader".into()],
            grid_code: None,
        };
        app.add_user(&admin, &new).await.expect("add");
        let again = app.add_user(&admin, &new).await.expect_err("duplicate");
        assert_eq!(again.code(), "store.duplicate", "{}", b.name);
        let weak = NewUser {
            username: "li.si".into(),
            password: "password".into(),
            ..new.clone()
        };
        assert_eq!(
            app.add_user(&admin, &weak).await.expect_err("weak").code(),
            "auth.password_policy"
        );
        let (wang, who) = app
            .sign_in("wang.wu", "Wangwu#2026x")
            .await
            .expect("sign in");
        assert_eq!(who.roles, [UserRole::Leader.code()], "{}", b.name);
        app.town_map(&wang, Crs::Wgs84)
            .await
            .expect("a leader reads the map");
        app.set_user_disabled(&admin, "wang.wu", true)
            .await
            .expect("disable");
        let gone = app.town_map(&wang, Crs::Wgs84).await.expect_err("disabled");
        assert_eq!(gone.code(), "auth.account_gone", "{}", b.name);
        let me = app
            .set_user_disabled(&admin, "admin", true)
            .await
            .expect_err("not oneself");
        assert_eq!(me.code(), "input.invalid", "{}", b.name);
    }
}

#[tokio::test]
async fn a_new_database_asks_for_its_administrator_once() {
    for b in backends().await {
        let app = crate::support::initialised(&b).await;
        assert!(
            app.needs_administrator().await.expect("count"),
            "{}",
            b.name
        );
        let weak = app
            .setup_administrator("chief", "主任", "chief12345")
            .await
            .expect_err("weak password");
        assert_eq!(weak.code(), "auth.password_policy", "{}: {weak}", b.name);
        let bad_name = app
            .setup_administrator("Chief Admin", "主任", "Strong#Pass2026")
            .await
            .expect_err("bad name");
        assert_eq!(bad_name.code(), "user.bad_username", "{}", b.name);
        app.setup_administrator("chief", "主任", "Strong#Pass2026")
            .await
            .expect("first administrator");
        let again = app
            .setup_administrator("other", "另一人", "Strong#Pass2026")
            .await
            .expect_err("only once");
        assert_eq!(again.code(), "auth.already_set_up", "{}", b.name);
        let (_, who) = app
            .sign_in("chief", "Strong#Pass2026")
            .await
            .expect("sign in");
        assert_eq!(who.roles, ["admin"], "{}", b.name);
        // The demo accounts are not added to a database that has its own.
        assert!(!app.needs_administrator().await.expect("count"));
    }
}

#[tokio::test]
async fn the_roster_export_is_in_clear_needs_a_reason_and_is_audited() {
    use calamine::{Reader, Xlsx};
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let none = app
            .export_people(&duty, "")
            .await
            .expect_err("a reason is required");
        assert_eq!(none.code(), "input.invalid", "{}", b.name);
        let bytes = app
            .export_people(&duty, "年度人员核对")
            .await
            .expect("export");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
        let sheet = book.worksheet_range("网格人员名册").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows[0][4].to_string(), "电话", "{}", b.name);
        // 59 managers + 90 patrol members + 8 area police counted once per grid of their community.
        assert!(rows.len() > 59 + 90, "{}: {} rows", b.name, rows.len());
        assert!(
            rows[1..].iter().all(|r| !r[4].to_string().contains('*')),
            "{}: phones in clear",
            b.name
        );
        let admin = sign_in(&app, "admin").await;
        let filter = AuditFilter {
            action_prefix: Some("person.export".into()),
            limit: 5,
            ..Default::default()
        };
        let log = app.audit_list(&admin, &filter).await.expect("audit");
        assert_eq!(log.len(), 1, "{}", b.name);
        assert_eq!(
            (log[0].actor.as_str(), log[0].reason.as_deref()),
            ("duty", Some("年度人员核对"))
        );
    }
}

#[tokio::test]
async fn r11_two_first_administrators_cannot_both_be_set_up() {
    for b in backends().await {
        let app = crate::support::initialised(&b).await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    app.setup_administrator(&format!("chief{i}"), "主任", "Strong#Pass2026")
                        .await
                })
            })
            .collect();
        let mut succeeded = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(()) => succeeded += 1,
                Err(e) => assert_eq!(
                    e.code(),
                    "auth.already_set_up",
                    "{}: the others are told it is done: {e}",
                    b.name
                ),
            }
        }
        assert_eq!(succeeded, 1, "{}: exactly one first administrator", b.name);
        assert!(
            !app.needs_administrator().await.expect("count"),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn r11_background_reads_do_not_keep_a_locked_session_alive() {
    for b in backends().await {
        let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
        let app = demo(&b)
            .await
            .with_clock(clock.clone())
            .with_idle_minutes(30);
        let (session, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("sign in");
        // The locked screen's live updates re-read the queue every few minutes; nobody touches the screen.
        for minute in (5..=30).step_by(5) {
            clock.advance(Duration::minutes(5));
            app.list_grids(&session).await.unwrap_or_else(|e| {
                panic!(
                    "{}: a read at minute {minute} is still allowed: {e}",
                    b.name
                )
            });
        }
        clock.advance(Duration::minutes(1));
        let e = app
            .list_grids(&session)
            .await
            .expect_err("31 minutes without input");
        assert_eq!(
            e.code(),
            "auth.session_expired",
            "{}: reads did not renew it",
            b.name
        );
        let e = app
            .record_activity(&session)
            .await
            .expect_err("an expired session cannot renew itself");
        assert_eq!(e.code(), "auth.session_expired", "{}", b.name);
    }
}

#[tokio::test]
async fn r11_a_reset_password_must_be_changed_and_ends_live_sessions() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let (duty, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("sign in");
        app.list_grids(&duty).await.expect("working");
        app.reset_password(&admin, "duty", "Reset#Pass2026")
            .await
            .expect("reset");
        let ended = app
            .list_grids(&duty)
            .await
            .expect_err("the live session ends");
        assert_eq!(ended.code(), "auth.session_ended", "{}", b.name);

        let (again, who) = app
            .sign_in("duty", "Reset#Pass2026")
            .await
            .expect("sign in with the new password");
        assert!(who.must_change_password, "{}", b.name);
        for (what, e) in [
            ("list", app.list_grids(&again).await.map(drop)),
            ("status", app.status(&again).await.map(drop)),
            (
                "petitions",
                app.list_petitions(&again, &Default::default())
                    .await
                    .map(drop),
            ),
        ] {
            assert_eq!(
                e.expect_err("refused until changed").code(),
                "auth.password_change_required",
                "{}: {what}",
                b.name
            );
        }
        app.change_own_password(&again, "Reset#Pass2026", "Mine#Pass2026x")
            .await
            .expect("change");
        app.list_grids(&again)
            .await
            .expect("the same session goes on after the change");

        app.set_user_disabled(&admin, "duty", true)
            .await
            .expect("disable");
        assert_eq!(
            app.list_grids(&again).await.expect_err("disabled").code(),
            "auth.account_gone",
            "{}: disabling ends the session at once",
            b.name
        );
    }
}

#[tokio::test]
async fn r13_a_session_lives_in_the_database_shared_by_every_process_and_ends_everywhere() {
    use chengguan_app::access::UseCase;
    use chengguan_store::prelude::*;
    for b in backends().await {
        let first = demo(&b).await;
        let second = crate::support::app(&b).await;
        let (session, _) = first
            .sign_in("duty", chengguan_app::users::DEMO_PASSWORD)
            .await
            .expect("sign in");
        assert!(session.token().starts_with("cgs_"), "{}", b.name);
        assert!(
            !format!("{session:?}").contains(session.token()),
            "{}: no token in logs",
            b.name
        );
        // Another process on the same database honours it, from the token alone.
        let there = second.session(session.token()).await.expect("found");
        assert_eq!(there.username(), "duty");
        second
            .authorize(Some(&there), UseCase::ListPetitions)
            .await
            .expect("honoured");
        // Only the token's hash is stored.
        let rows = b.open().await.sessions().await.expect("sessions");
        assert!(rows
            .iter()
            .all(|r| r.token_hash != session.token() && r.token_hash.len() == 64));
        // Signing out on one ends it on the other, and the token finds nothing any more.
        first.sign_out(&session).await.expect("sign out");
        let e = second
            .authorize(Some(&there), UseCase::ListPetitions)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "auth.session_ended", "{}", b.name);
        assert_eq!(
            second.session(session.token()).await.unwrap_err().code(),
            "auth.session_ended",
            "{}",
            b.name
        );
        assert!(second.session("cgs_made_up").await.is_err(), "{}", b.name);
    }
}

#[tokio::test]
async fn r13_review_a_session_ends_after_its_longest_life_however_active() {
    let b = &backends().await[0];
    let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
    let app = demo(b)
        .await
        .with_clock(clock.clone())
        .with_idle_minutes(30);
    let (session, _) = app.sign_in("duty", DEMO_PASSWORD).await.expect("sign in");
    // Someone (or a leaked token) reports activity every 20 minutes, all night.
    let max = chengguan_app::access::MAX_SESSION_HOURS;
    for _ in 0..(max * 3 - 1) {
        clock.advance(Duration::minutes(20));
        app.record_activity(&session)
            .await
            .expect("still within its life");
    }
    clock.advance(Duration::minutes(21));
    let e = app.record_activity(&session).await.unwrap_err();
    assert_eq!(e.code(), "auth.session_expired");
}
