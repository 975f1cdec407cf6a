//! The workstation API: every call a desktop makes, declared once.
//!
//! Each line of [`api!`] below names a call, its arguments, what it returns, the [`UseCase`] it is checked
//! against (its row of the role matrix, `tests/app/access.rs`), and the one `App` method it runs. From that one
//! declaration come:
//! - [`dispatch`], which the desktop calls in-process in local mode (its one Tauri command, `api`) and the
//!   town's server calls for `POST /api/v1/{name}` in LAN mode, so the UI cannot tell which it talks to;
//! - [`endpoints`], from which [`typescript`] writes the UI's client functions (`ui/src/bindings/api.ts`,
//!   checked by a test that fails when it is out of date).
//!
//! Arguments travel as one JSON object keyed by the Rust argument names. A missing key reads as `null` (so an
//! optional argument may be left out); a wrong one is refused naming the argument.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::analysis::layers::{AlertList, ChoroplethLayer, HeatLayer, HotspotLayer};
use crate::audit::{AuditQuery, AuditRow, AuditVerification};
use crate::briefing::BriefingView;
use crate::calendar::{HolidayImport, HolidayYear};
use crate::dto::StatusBar;
use crate::duty::export::DutyFormat;
use crate::duty::review::{ActivityView, DutyReview, NewActivity};
use crate::duty::shifts::{HandoverView, ShiftNow, ShiftReport, ShiftView};
use crate::duty::{AllianceView, GenerateReport, RuleView, ScheduleFilter, TurnView};
use crate::map::{GridDetail, TownMap};
use crate::people::PersonField;
use crate::petitions::{
    CategoryInput, ImportReport, NewPetition, PetitionPage, PetitionQuery, PetitionView, SlaRow,
    Step, TimelineEntry,
};
use crate::roster::export::ListKind;
use crate::roster::{
    CoverageView, HouseholdView, PersonProfile, RosterFilter, RosterRow, SearchResults,
};
use crate::users::{NewUser, SignedIn, UserView};
use crate::{App, AppError, Result};

/// The version of this API. A workstation and a server that differ are told so in plain words before anything
/// else is exchanged (the server's `GET /api/version`).
pub const API_VERSION: u32 = 1;

/// Who calls: the session, if signed in, and where from (for the sessions' list and the audit log).
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// The session the call runs for.
    pub session: Option<&'a Session>,
    /// The workstation: `本机` in-process, else the name and address the server saw.
    pub workstation: &'a str,
}

impl Caller<'_> {
    /// The session, or [`AppError::SignInRequired`] naming `use_case`.
    fn signed_in(&self, use_case: UseCase) -> Result<&Session> {
        self.session
            .ok_or(AppError::SignInRequired(use_case.label()))
    }
}

/// What signing in answers on the wire: the session's bearer token and who signed in. The desktop keeps the
/// token and gives the UI only [`SignedIn`]: the UI never holds a token.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignInAnswer {
    /// The session's bearer token.
    pub token: String,
    /// Who signed in.
    pub signed_in: SignedIn,
}

/// A file made for the user (an export): its name and bytes. On the wire the bytes are base64; the desktop
/// saves the file in the user's download folder and gives the UI its path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Download {
    /// The file's name, e.g. `诉求-20261207-091500.xlsx`.
    pub file_name: String,
    /// Its content.
    #[serde(with = "base64_bytes")]
    #[ts(type = "string")]
    pub bytes: Vec<u8>,
}

/// Bytes as base64 text in JSON (a third of the size of an array of numbers).
pub mod base64_bytes {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the bytes as base64.
    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Reads base64 text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

/// A file sent by the user (an import): its name and bytes, base64 on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Upload {
    /// The file's name as chosen (its extension says how to read it).
    pub file_name: String,
    /// Its content.
    #[serde(with = "base64_bytes")]
    #[ts(type = "string")]
    pub bytes: Vec<u8>,
}

/// One declared call, as [`endpoints`] lists it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The call's name, e.g. `petitions_list` (the route is `POST /api/v1/petitions_list`).
    pub name: &'static str,
    /// The use-case it is checked against.
    pub use_case: UseCase,
    /// Its documentation, as written above its declaration.
    pub doc: String,
    /// Its arguments: (Rust name, TypeScript type).
    pub args: Vec<(&'static str, String)>,
    /// What it returns, as a TypeScript type.
    pub returns: String,
}

/// Declares the calls: see the module's documentation.
macro_rules! api {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty, $use_case:ident
            = |$app:ident, $caller:ident| $body:expr;
    )*) => {
        /// Every declared call, in declaration order.
        pub fn endpoints() -> Vec<Endpoint> {
            vec![$(Endpoint {
                name: stringify!($name),
                use_case: UseCase::$use_case,
                doc: [$($doc.trim()),*].join("\n"),
                args: vec![$((stringify!($arg), <$ty as TS>::name(&ts_config()))),*],
                returns: <$ret as TS>::name(&ts_config()),
            }),*]
        }

        /// Runs the call `name` with `args` (a JSON object) for `caller`, and answers with its result as JSON.
        /// An unknown name, or arguments that do not read, is [`AppError::Invalid`] naming what is wrong.
        pub async fn dispatch(app: &App, caller: Caller<'_>, name: &str, args: Value) -> Result<Value> {
            let mut args = match args {
                Value::Object(map) => map,
                Value::Null => Map::new(),
                _ => return Err(AppError::Invalid {
                    field: "参数",
                    problem: "应为 JSON 对象".into(),
                }),
            };
            match name {
                $(stringify!($name) => {
                    $(let $arg: $ty = take(&mut args, stringify!($arg))?;)*
                    let $app = app;
                    let $caller = caller;
                    let out: $ret = $body.await?;
                    serde_json::to_value(out).map_err(|e| AppError::Internal(e.to_string()))
                })*
                _ => Err(AppError::Invalid {
                    field: "调用",
                    problem: format!("没有名为 {name:?} 的调用（工作站与服务器版本不一致？）"),
                }),
            }
        }
    };
}

/// True when the call `name` answers with a [`Download`] (the desktop then saves it).
pub fn returns_download(name: &str) -> bool {
    DECLARED
        .iter()
        .any(|e| e.name == name && e.returns == "Download")
}

/// The use-case the declared call `name` is checked against; `None` for a name not declared.
pub fn use_case_of(name: &str) -> Option<UseCase> {
    DECLARED.iter().find(|e| e.name == name).map(|e| e.use_case)
}

/// [`endpoints`], made once.
static DECLARED: std::sync::LazyLock<Vec<Endpoint>> = std::sync::LazyLock::new(endpoints);

/// The bindings' settings (as `tests/app/bindings.rs` writes the types): counts are plain numbers.
fn ts_config() -> ts_rs::Config {
    ts_rs::Config::new().with_large_int("number")
}

/// Reads argument `name` out of `args` (a missing one as `null`).
fn take<T: serde::de::DeserializeOwned>(
    args: &mut Map<String, Value>,
    name: &'static str,
) -> Result<T> {
    let value = args.remove(name).unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| AppError::Invalid {
        field: name,
        problem: format!("无法读取：{e}"),
    })
}

api! {
    /// The town and database shown in the status bar.
    status_bar() -> StatusBar, StatusBar = |app, _c| app.status_bar();
    /// Whether the database still answers (the status bar's connection light).
    ping() -> (), Ping = |app, _c| app.ping();
    /// Whether the database has no accounts yet (the first start then asks for the administrator).
    needs_administrator() -> bool, SetupAdministrator = |app, _c| app.needs_administrator();
    /// Creates the first administrator of a database that has no accounts.
    setup_administrator(username: String, display_name: String, password: String) -> (), SetupAdministrator
        = |app, _c| app.setup_administrator(&username, &display_name, &password);
    /// Signs in: the answer carries the session's token, which the desktop keeps.
    sign_in(username: String, password: String) -> SignInAnswer, SignIn
        = |app, c| app.sign_in_answer(&username, &password, c.workstation);
    /// Unlocks a session after the idle timeout, with the same user's password (a new session replaces it).
    resume(password: String) -> SignInAnswer, SignIn
        = |app, c| app.resume_answer(c.signed_in(UseCase::SignIn)?, &password, c.workstation);
    /// The person used the screen: the session's idle timer starts again.
    session_activity() -> (), RecordActivity
        = |app, c| app.record_activity(c.signed_in(UseCase::RecordActivity)?);
    /// Signs out: the session ends on every server.
    sign_out() -> (), SignOut = |app, c| app.sign_out_if_signed_in(c.session);
    /// Changes the signed-in user's own password.
    change_own_password(current: String, new_password: String) -> (), ChangeOwnPassword
        = |app, c| app.change_own_password(c.signed_in(UseCase::ChangeOwnPassword)?, &current, &new_password);
    /// One masked field of a person in clear, for a reason (audited).
    reveal_person_field(person_id: String, field: PersonField, reason: String) -> String, RevealPersonField
        = |app, c| app.reveal_person_field(c.signed_in(UseCase::RevealPersonField)?, &person_id, field, &reason);
    /// Audit entries matching the filters, newest first (at most 500).
    audit_list(query: AuditQuery) -> Vec<AuditRow>, ListAudit
        = |app, c| app.audit_list_query(c.signed_in(UseCase::ListAudit)?, &query, 500);
    /// Verifies the audit log's keyed chain; against an anchor kept on paper (`序号:签名`), if given.
    audit_verify(anchor: Option<String>) -> AuditVerification, VerifyAudit
        = |app, c| app.audit_verify_against(c.signed_in(UseCase::VerifyAudit)?, anchor.as_deref());
    /// The filtered audit log as an xlsx file.
    audit_export(query: AuditQuery) -> Download, ExportAudit
        = |app, c| app.audit_download(c.signed_in(UseCase::ExportAudit)?, &query);
    /// Every account.
    users_list() -> Vec<UserView>, ListUsers = |app, c| app.list_users(c.signed_in(UseCase::ListUsers)?);
    /// Creates an account.
    user_add(user: NewUser) -> UserView, AddUser = |app, c| app.add_user(c.signed_in(UseCase::AddUser)?, &user);
    /// Disables or enables an account.
    user_set_disabled(username: String, disabled: bool) -> UserView, SetUserDisabled
        = |app, c| app.set_user_disabled(c.signed_in(UseCase::SetUserDisabled)?, &username, disabled);
    /// Sets a new password for an account, which must change it at next sign-in.
    user_reset_password(username: String, password: String) -> UserView, ResetPassword
        = |app, c| app.reset_password(c.signed_in(UseCase::ResetPassword)?, &username, &password);
    /// The grids and community outlines, in the base map's coordinate system (`wgs84` or `gcj02`).
    town_map(crs: String) -> TownMap, TownMap
        = |app, c| app.town_map_in(c.signed_in(UseCase::TownMap)?, &crs);
    /// One grid's detail panel.
    grid_detail(code: String) -> GridDetail, GridDetail
        = |app, c| app.grid_detail(c.signed_in(UseCase::GridDetail)?, &code);
    /// The queue: one page of petitions matching the filters, and the total.
    petitions_list(query: PetitionQuery) -> PetitionPage, ListPetitions
        = |app, c| app.list_petitions(c.signed_in(UseCase::ListPetitions)?, &query);
    /// Registers a petition taken at the desk.
    petition_create(petition: NewPetition) -> PetitionView, CreatePetition
        = |app, c| app.create_petition(c.signed_in(UseCase::CreatePetition)?, &petition);
    /// A petition's timeline, oldest first.
    petition_timeline(id: String) -> Vec<TimelineEntry>, PetitionTimeline
        = |app, c| app.petition_timeline(c.signed_in(UseCase::PetitionTimeline)?, &id);
    /// One workflow step on the petition as read at `version` (a stale version is `store.conflict`).
    petition_act(id: String, version: i64, step: Step, note: String) -> PetitionView, ActOnPetition
        = |app, c| app.act_on_petition(c.signed_in(UseCase::ActOnPetition)?, &id, version, &step, &note);
    /// Places the petition in another grid, with a reason.
    petition_regrid(id: String, version: i64, grid_code: String, reason: String) -> PetitionView, ActOnPetition
        = |app, c| app.override_petition_grid(c.signed_in(UseCase::ActOnPetition)?, &id, version, &grid_code, &reason);
    /// The filtered list as an xlsx file; reporters' data in clear only with a reason (and the permission).
    petitions_export(query: PetitionQuery, reveal_reason: Option<String>) -> Download, ListPetitions
        = |app, c| app.petitions_download(c.signed_in(UseCase::ListPetitions)?, &query, reveal_reason.as_deref());
    /// Imports petitions from an xlsx or CSV file, or only checks them (`dry_run`).
    petitions_import(file: Upload, dry_run: bool) -> ImportReport, ImportPetitions
        = |app, c| app.import_petitions(c.signed_in(UseCase::ImportPetitions)?, &file.file_name, &file.bytes, dry_run);
    /// The handling time limits per category and level.
    sla_list() -> Vec<SlaRow>, ListSla = |app, c| app.list_sla(c.signed_in(UseCase::ListSla)?);
    /// Sets one limit in working days (`null`: back to the default).
    sla_set(category: String, level: String, working_days: Option<u32>) -> Vec<SlaRow>, SetSla
        = |app, c| app.set_sla(c.signed_in(UseCase::SetSla)?, &category, &level, working_days);
    /// The town's petition categories, retired ones included.
    categories_list() -> Vec<CategoryInput>, ListCategories
        = |app, c| app.list_categories(c.signed_in(UseCase::ListCategories)?);
    /// Adds or changes a category; returns the list.
    category_save(category: CategoryInput) -> Vec<CategoryInput>, SaveCategory
        = |app, c| app.save_category(c.signed_in(UseCase::SaveCategory)?, &category);
    /// The heat layer of the petitions `query` selects, kernel bandwidth in metres.
    analysis_heat(query: PetitionQuery, bandwidth_m: f64) -> HeatLayer, Analyse
        = |app, c| app.heat_layer(c.signed_in(UseCase::Analyse)?, &query, bandwidth_m);
    /// Petitions per grid under `measure` (`count`, `per_1000_households`, `per_km2`) with class breaks.
    analysis_choropleth(query: PetitionQuery, measure: String) -> ChoroplethLayer, Analyse
        = |app, c| app.choropleth_layer(c.signed_in(UseCase::Analyse)?, &query, &measure);
    /// Gi* hot spots per grid or on a lattice (`grid`, `hex:250`, …).
    analysis_hotspots(query: PetitionQuery, layout: String) -> HotspotLayer, Analyse
        = |app, c| app.hotspot_layer(c.signed_in(UseCase::Analyse)?, &query, &layout);
    /// The spike alerts of the week holding `day` (`YYYY-MM-DD`; none: this week).
    analysis_alerts(day: Option<String>) -> AlertList, Analyse
        = |app, c| app.alert_list(c.signed_in(UseCase::Analyse)?, day.as_deref());
    /// People and residents matching what is typed (name, pinyin, phone digits, ID tail, place), masked.
    roster_search(query: String) -> SearchResults, SearchPeople
        = |app, c| app.search_roster(c.signed_in(UseCase::SearchPeople)?, &query);
    /// The roster as filtered (role, community, grid), masked.
    roster_list(filter: RosterFilter) -> Vec<RosterRow>, ListRoster
        = |app, c| app.list_roster(c.signed_in(UseCase::ListRoster)?, filter);
    /// A person's card: details masked, assignments now and before.
    person_card(person_id: String) -> PersonProfile, PersonCard
        = |app, c| app.person_card(c.signed_in(UseCase::PersonCard)?, &person_id);
    /// Coverage of every grid (the 1+1+1+N, building and unit heads) with the gaps named.
    roster_coverage(overload: Option<usize>) -> CoverageView, RosterCoverage
        = |app, c| app.coverage_view(c.signed_in(UseCase::RosterCoverage)?, overload);
    /// A household and its members, masked.
    household(household_id: String) -> HouseholdView, ViewHousehold
        = |app, c| app.household(c.signed_in(UseCase::ViewHousehold)?, &household_id);
    /// One masked field of a resident in clear, for a reason (audited).
    reveal_resident_field(resident_id: String, field: PersonField, reason: String) -> String, RevealResidentField
        = |app, c| app.reveal_resident_field(c.signed_in(UseCase::RevealResidentField)?, &resident_id, field, &reason);
    /// Imports a roster workbook, or only checks it (`dry_run`); `skip_invalid` stores the good rows.
    roster_import(file: Upload, dry_run: bool, skip_invalid: bool) -> ImportReport, ImportRoster
        = |app, c| app.import_roster(c.signed_in(UseCase::ImportRoster)?, &file.file_name, &file.bytes, dry_run, skip_invalid);
    /// Imports a residents' list, or only checks it (`dry_run`); `skip_invalid` stores the good rows.
    residents_import(file: Upload, dry_run: bool, skip_invalid: bool) -> ImportReport, ImportResidents
        = |app, c| app.import_residents(c.signed_in(UseCase::ImportResidents)?, &file.file_name, &file.bytes, dry_run, skip_invalid);
    /// The filtered roster as xlsx: masked, or in clear with a reason (audited).
    roster_export(filter: RosterFilter, reveal_reason: Option<String>) -> Download, ExportRoster
        = |app, c| app.roster_download(c.signed_in(UseCase::ExportRoster)?, filter, reveal_reason.as_deref());
    /// The residents (of a grid) as xlsx: masked, or in clear with a reason (audited).
    residents_export(grid: Option<String>, reveal_reason: Option<String>) -> Download, ExportResidents
        = |app, c| app.residents_download(c.signed_in(UseCase::ExportResidents)?, grid.as_deref(), reveal_reason.as_deref());
    /// A blank import template.
    list_template(kind: ListKind) -> Download, ListTemplate
        = |app, c| app.template_download(c.signed_in(UseCase::ListTemplate)?, kind);
    /// A year's days off and make-up workdays (an error names a year whose notice is not loaded).
    holidays(year: i32) -> HolidayYear, ListHolidays
        = |app, c| app.holidays(c.signed_in(UseCase::ListHolidays)?, year);
    /// Imports a year's holiday notice (CSV as documented, or .ics).
    holidays_import(file: Upload) -> HolidayImport, ImportHolidays
        = |app, c| app.import_holidays(c.signed_in(UseCase::ImportHolidays)?, &file.file_name, &file.bytes);
    /// The alliances with their members and rotation rules.
    alliances() -> Vec<AllianceView>, ViewDuty = |app, c| app.alliances(c.signed_in(UseCase::ViewDuty)?);
    /// Sets an alliance's rotation rule; `order` names every member unit in order, or is empty to keep it.
    duty_rule_set(alliance: String, rule: RuleView, order: Vec<String>) -> RuleView, PlanDuty
        = |app, c| app.set_duty_rule(c.signed_in(UseCase::PlanDuty)?, &alliance, &rule, &order);
    /// Records days a member unit cannot serve, with the reason; answers the turns it already holds then.
    duty_unavailable_add(unit: String, from: String, to: String, reason: String) -> Vec<TurnView>, PlanDuty
        = |app, c| app.add_duty_unavailable(c.signed_in(UseCase::PlanDuty)?, &unit, &from, &to, &reason);
    /// Generates the future turns of one alliance (or all) within the days given.
    duty_generate(alliance: Option<String>, from: String, to: String) -> GenerateReport, PlanDuty
        = |app, c| app.generate_duty(c.signed_in(UseCase::PlanDuty)?, alliance.as_deref(), &from, &to);
    /// The turns within the filter's days.
    duty_schedule(filter: ScheduleFilter) -> Vec<TurnView>, ViewDuty
        = |app, c| app.duty_schedule(c.signed_in(UseCase::ViewDuty)?, &filter);
    /// Today's unit on duty for each alliance.
    duty_today() -> Vec<TurnView>, ViewDuty = |app, c| app.duty_today(c.signed_in(UseCase::ViewDuty)?);
    /// Swaps the units of two turns of one alliance, with a reason.
    duty_swap(first: String, first_version: i64, second: String, second_version: i64, reason: String) -> Vec<TurnView>, SwapDuty
        = |app, c| app.swap_duty(c.signed_in(UseCase::SwapDuty)?, &first, first_version, &second, second_version, &reason);
    /// Gives a turn to another member unit of its alliance, with a reason.
    duty_reassign(turn: String, version: i64, unit: String, reason: String) -> Vec<TurnView>, SwapDuty
        = |app, c| app.reassign_duty(c.signed_in(UseCase::SwapDuty)?, &turn, version, &unit, &reason);
    /// The schedule as filtered, as .ics or xlsx.
    duty_export(filter: ScheduleFilter, format: DutyFormat) -> Download, ExportDuty
        = |app, c| app.duty_download(c.signed_in(UseCase::ExportDuty)?, &filter, format);
    /// Logs an activity on a turn that has begun.
    duty_activity_add(activity: NewActivity) -> ActivityView, LogActivity
        = |app, c| app.log_activity(c.signed_in(UseCase::LogActivity)?, &activity);
    /// The activities of the turns within the days given.
    duty_activities(from: String, to: String) -> Vec<ActivityView>, ViewDuty
        = |app, c| app.list_activities(c.signed_in(UseCase::ViewDuty)?, &from, &to);
    /// The review of every member unit (评星定级) over the turns starting within the days given.
    duty_review(from: String, to: String) -> DutyReview, ReviewDuty
        = |app, c| app.duty_review(c.signed_in(UseCase::ReviewDuty)?, &from, &to);
    /// The review as xlsx.
    duty_review_export(from: String, to: String) -> Download, ReviewDuty
        = |app, c| app.review_download(c.signed_in(UseCase::ReviewDuty)?, &from, &to);
    /// The command center's shifts starting within the days given.
    shifts(from: String, to: String) -> Vec<ShiftView>, ViewDuty
        = |app, c| app.shift_schedule(c.signed_in(UseCase::ViewDuty)?, &from, &to);
    /// The shift on now, with the open handover items.
    shift_now() -> ShiftNow, ViewDuty = |app, c| app.shift_now(c.signed_in(UseCase::ViewDuty)?);
    /// Sets who may be put on shifts (names or ids, in order).
    shift_pool_set(leaders: Vec<String>, officers: Vec<String>) -> (), PlanShifts
        = |app, c| app.set_shift_pool(c.signed_in(UseCase::PlanShifts)?, &leaders, &officers);
    /// Records days a person cannot be on shift, with the reason; answers the shifts they already hold then.
    shift_exclusion_add(person: String, from: String, to: String, reason: String) -> Vec<ShiftView>, PlanShifts
        = |app, c| app.add_shift_exclusion(c.signed_in(UseCase::PlanShifts)?, &person, &from, &to, &reason);
    /// Generates the shifts of the days given, from tomorrow on.
    shifts_generate(from: String, to: String) -> ShiftReport, PlanShifts
        = |app, c| app.generate_shifts(c.signed_in(UseCase::PlanShifts)?, &from, &to);
    /// Changes a shift's leader and officers by hand, with a reason.
    shift_edit(id: String, version: i64, leader: String, officers: Vec<String>, reason: String) -> ShiftView, PlanShifts
        = |app, c| app.edit_shift(c.signed_in(UseCase::PlanShifts)?, &id, version, &leader, &officers, &reason);
    /// Writes an item into the handover log of the shift on now.
    handover_add(item: String) -> HandoverView, RecordHandover
        = |app, c| app.add_handover(c.signed_in(UseCase::RecordHandover)?, &item);
    /// Closes an open handover item.
    handover_close(id: String, note: String) -> (), RecordHandover
        = |app, c| app.close_handover(c.signed_in(UseCase::RecordHandover)?, &id, &note);
    /// The big screen's figures and charts of a period (default the last 30 days).
    briefing(from: Option<String>, to: Option<String>) -> BriefingView, ViewFigures
        = |app, c| app.briefing(c.signed_in(UseCase::ViewFigures)?, from.as_deref(), to.as_deref());
    /// The briefing pack's PDF (audited).
    briefing_pdf(from: String, to: String) -> Download, BriefingPack
        = |app, c| app.briefing_pdf_download(c.signed_in(UseCase::BriefingPack)?, &from, &to);
    /// The tables behind the pack's figures and charts, as xlsx (audited).
    briefing_xlsx(from: String, to: String) -> Download, BriefingPack
        = |app, c| app.briefing_xlsx_download(c.signed_in(UseCase::BriefingPack)?, &from, &to);
}

impl App {
    /// [`App::sign_in_from`] as the wire answers it.
    async fn sign_in_answer(
        &self,
        username: &str,
        password: &str,
        workstation: &str,
    ) -> Result<SignInAnswer> {
        let (session, signed_in) = self.sign_in_from(username, password, workstation).await?;
        Ok(SignInAnswer {
            token: session.token().to_string(),
            signed_in,
        })
    }

    /// [`App::resume`] as the wire answers it.
    async fn resume_answer(
        &self,
        session: &Session,
        password: &str,
        workstation: &str,
    ) -> Result<SignInAnswer> {
        let (session, signed_in) = self.resume_from(session, password, workstation).await?;
        Ok(SignInAnswer {
            token: session.token().to_string(),
            signed_in,
        })
    }

    /// Signs out if there is a session (signing out twice is no error).
    async fn sign_out_if_signed_in(&self, session: Option<&Session>) -> Result<()> {
        match session {
            Some(s) => self.sign_out(s).await,
            None => Ok(()),
        }
    }

    /// [`App::audit_verify`] with the anchor as typed (blank: none).
    async fn audit_verify_against(
        &self,
        session: &Session,
        anchor: Option<&str>,
    ) -> Result<AuditVerification> {
        let anchor = match anchor.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) => {
                Some(
                    text.parse::<crate::Anchor>()
                        .map_err(|problem| AppError::Invalid {
                            field: "锚点",
                            problem,
                        })?,
                )
            }
        };
        self.audit_verify(session, anchor.as_ref()).await
    }

    /// [`App::town_map`] with the coordinate system by its code.
    async fn town_map_in(&self, session: &Session, crs: &str) -> Result<TownMap> {
        let crs = serde_json::from_value(Value::String(crs.to_string())).map_err(|_| {
            AppError::Invalid {
                field: "crs",
                problem: format!("未知坐标系 {crs:?}（应为 wgs84 或 gcj02）"),
            }
        })?;
        self.town_map(session, crs).await
    }
}

/// The UI's client: one function per call, typed by the bindings (`ui/src/bindings/api.ts`). Two calls are
/// answered differently to the UI than on the wire, by the desktop: signing in gives [`SignedIn`] (the desktop
/// keeps the token) and an export gives the saved file's path.
pub fn typescript() -> String {
    let mut types = std::collections::BTreeSet::new();
    let mut out = String::from(
        "// Generated from the API's declaration (crates/app/src/api.rs) by\n\
         // `UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings`. Do not edit.\n\n",
    );
    let mut body = String::new();
    for e in endpoints() {
        let returns = match e.returns.as_str() {
            "SignInAnswer" => "SignedIn".to_string(),
            "Download" => "string".to_string(),
            other => other.to_string(),
        };
        for t in std::iter::once(returns.as_str()).chain(e.args.iter().map(|(_, t)| t.as_str())) {
            for word in t.split(|c: char| !c.is_ascii_alphanumeric() && c != '_') {
                if word.starts_with(|c: char| c.is_ascii_uppercase())
                    && word != "Array"
                    && word != "Record"
                {
                    types.insert(word.to_string());
                }
            }
        }
        let params: Vec<String> = e
            .args
            .iter()
            .map(|(n, t)| format!("{}: {t}", camel(n)))
            .collect();
        let object: Vec<String> = e
            .args
            .iter()
            .map(|(n, _)| format!("{n}: {}", camel(n)))
            .collect();
        let returns = if returns == "null" {
            "void".to_string()
        } else {
            returns
        };
        body.push_str(&format!("/** {} */\n", e.doc.replace('\n', " ")));
        body.push_str(&format!(
            "export const {} = ({}) =>\n  call<{returns}>(\"{}\"{});\n",
            camel(e.name),
            params.join(", "),
            e.name,
            if object.is_empty() {
                String::new()
            } else {
                format!(", {{ {} }}", object.join(", "))
            }
        ));
    }
    out.push_str("import { call } from \"../api/invoke\";\n");
    for t in types {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    out.push('\n');
    out.push_str(&body);
    out
}

/// `petitions_list` → `petitionsList`.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
