// Generated from the API's declaration (crates/app/src/api.rs) by
// `UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings`. Do not edit.

import { call } from "../api/invoke";
import type { ActivityView } from "./ActivityView";
import type { AlertList } from "./AlertList";
import type { AllianceView } from "./AllianceView";
import type { AuditQuery } from "./AuditQuery";
import type { AuditRow } from "./AuditRow";
import type { AuditVerification } from "./AuditVerification";
import type { BriefingView } from "./BriefingView";
import type { CategoryInput } from "./CategoryInput";
import type { ChoroplethLayer } from "./ChoroplethLayer";
import type { CoverageView } from "./CoverageView";
import type { DutyFormat } from "./DutyFormat";
import type { DutyReview } from "./DutyReview";
import type { GenerateReport } from "./GenerateReport";
import type { GridDetail } from "./GridDetail";
import type { HandoverView } from "./HandoverView";
import type { HeatLayer } from "./HeatLayer";
import type { HolidayImport } from "./HolidayImport";
import type { HolidayYear } from "./HolidayYear";
import type { HotspotLayer } from "./HotspotLayer";
import type { HouseholdView } from "./HouseholdView";
import type { ImportReport } from "./ImportReport";
import type { ListKind } from "./ListKind";
import type { NewActivity } from "./NewActivity";
import type { NewPetition } from "./NewPetition";
import type { NewUser } from "./NewUser";
import type { PersonField } from "./PersonField";
import type { PersonProfile } from "./PersonProfile";
import type { PetitionPage } from "./PetitionPage";
import type { PetitionQuery } from "./PetitionQuery";
import type { PetitionView } from "./PetitionView";
import type { RosterFilter } from "./RosterFilter";
import type { RosterRow } from "./RosterRow";
import type { RuleView } from "./RuleView";
import type { ScheduleFilter } from "./ScheduleFilter";
import type { SearchResults } from "./SearchResults";
import type { ShiftNow } from "./ShiftNow";
import type { ShiftReport } from "./ShiftReport";
import type { ShiftView } from "./ShiftView";
import type { SignedIn } from "./SignedIn";
import type { SlaRow } from "./SlaRow";
import type { StatusBar } from "./StatusBar";
import type { Step } from "./Step";
import type { TimelineEntry } from "./TimelineEntry";
import type { TownMap } from "./TownMap";
import type { TurnView } from "./TurnView";
import type { Upload } from "./Upload";
import type { UserView } from "./UserView";

/** The town and database shown in the status bar. */
export const statusBar = () =>
  call<StatusBar>("status_bar");
/** Whether the database still answers (the status bar's connection light). */
export const ping = () =>
  call<void>("ping");
/** Whether the database has no accounts yet (the first start then asks for the administrator). */
export const needsAdministrator = () =>
  call<boolean>("needs_administrator");
/** Creates the first administrator of a database that has no accounts. */
export const setupAdministrator = (username: string, displayName: string, password: string) =>
  call<void>("setup_administrator", { username: username, display_name: displayName, password: password });
/** Signs in: the answer carries the session's token, which the desktop keeps. */
export const signIn = (username: string, password: string) =>
  call<SignedIn>("sign_in", { username: username, password: password });
/** Unlocks a session after the idle timeout, with the same user's password (a new session replaces it). */
export const resume = (password: string) =>
  call<SignedIn>("resume", { password: password });
/** The person used the screen: the session's idle timer starts again. */
export const sessionActivity = () =>
  call<void>("session_activity");
/** Signs out: the session ends on every server. */
export const signOut = () =>
  call<void>("sign_out");
/** Changes the signed-in user's own password. */
export const changeOwnPassword = (current: string, newPassword: string) =>
  call<void>("change_own_password", { current: current, new_password: newPassword });
/** One masked field of a person in clear, for a reason (audited). */
export const revealPersonField = (personId: string, field: PersonField, reason: string) =>
  call<string>("reveal_person_field", { person_id: personId, field: field, reason: reason });
/** Audit entries matching the filters, newest first (at most 500). */
export const auditList = (query: AuditQuery) =>
  call<Array<AuditRow>>("audit_list", { query: query });
/** Verifies the audit log's keyed chain; against an anchor kept on paper (`序号:签名`), if given. */
export const auditVerify = (anchor: string | null) =>
  call<AuditVerification>("audit_verify", { anchor: anchor });
/** The filtered audit log as an xlsx file. */
export const auditExport = (query: AuditQuery) =>
  call<string>("audit_export", { query: query });
/** Every account. */
export const usersList = () =>
  call<Array<UserView>>("users_list");
/** Creates an account. */
export const userAdd = (user: NewUser) =>
  call<UserView>("user_add", { user: user });
/** Disables or enables an account. */
export const userSetDisabled = (username: string, disabled: boolean) =>
  call<UserView>("user_set_disabled", { username: username, disabled: disabled });
/** Sets a new password for an account, which must change it at next sign-in. */
export const userResetPassword = (username: string, password: string) =>
  call<UserView>("user_reset_password", { username: username, password: password });
/** The grids and community outlines, in the base map's coordinate system (`wgs84` or `gcj02`). */
export const townMap = (crs: string) =>
  call<TownMap>("town_map", { crs: crs });
/** One grid's detail panel. */
export const gridDetail = (code: string) =>
  call<GridDetail>("grid_detail", { code: code });
/** The queue: one page of petitions matching the filters, and the total. */
export const petitionsList = (query: PetitionQuery) =>
  call<PetitionPage>("petitions_list", { query: query });
/** Registers a petition taken at the desk. */
export const petitionCreate = (petition: NewPetition) =>
  call<PetitionView>("petition_create", { petition: petition });
/** A petition's timeline, oldest first. */
export const petitionTimeline = (id: string) =>
  call<Array<TimelineEntry>>("petition_timeline", { id: id });
/** One workflow step on the petition as read at `version` (a stale version is `store.conflict`). */
export const petitionAct = (id: string, version: number, step: Step, note: string) =>
  call<PetitionView>("petition_act", { id: id, version: version, step: step, note: note });
/** Places the petition in another grid, with a reason. */
export const petitionRegrid = (id: string, version: number, gridCode: string, reason: string) =>
  call<PetitionView>("petition_regrid", { id: id, version: version, grid_code: gridCode, reason: reason });
/** The filtered list as an xlsx file; reporters' data in clear only with a reason (and the permission). */
export const petitionsExport = (query: PetitionQuery, revealReason: string | null) =>
  call<string>("petitions_export", { query: query, reveal_reason: revealReason });
/** Imports petitions from an xlsx or CSV file, or only checks them (`dry_run`). */
export const petitionsImport = (file: Upload, dryRun: boolean) =>
  call<ImportReport>("petitions_import", { file: file, dry_run: dryRun });
/** The handling time limits per category and level. */
export const slaList = () =>
  call<Array<SlaRow>>("sla_list");
/** Sets one limit in working days (`null`: back to the default). */
export const slaSet = (category: string, level: string, workingDays: number | null) =>
  call<Array<SlaRow>>("sla_set", { category: category, level: level, working_days: workingDays });
/** The town's petition categories, retired ones included. */
export const categoriesList = () =>
  call<Array<CategoryInput>>("categories_list");
/** Adds or changes a category; returns the list. */
export const categorySave = (category: CategoryInput) =>
  call<Array<CategoryInput>>("category_save", { category: category });
/** The heat layer of the petitions `query` selects, kernel bandwidth in metres. */
export const analysisHeat = (query: PetitionQuery, bandwidthM: number) =>
  call<HeatLayer>("analysis_heat", { query: query, bandwidth_m: bandwidthM });
/** Petitions per grid under `measure` (`count`, `per_1000_households`, `per_km2`) with class breaks. */
export const analysisChoropleth = (query: PetitionQuery, measure: string) =>
  call<ChoroplethLayer>("analysis_choropleth", { query: query, measure: measure });
/** Gi* hot spots per grid or on a lattice (`grid`, `hex:250`, …). */
export const analysisHotspots = (query: PetitionQuery, layout: string) =>
  call<HotspotLayer>("analysis_hotspots", { query: query, layout: layout });
/** The spike alerts of the week holding `day` (`YYYY-MM-DD`; none: this week). */
export const analysisAlerts = (day: string | null) =>
  call<AlertList>("analysis_alerts", { day: day });
/** People and residents matching what is typed (name, pinyin, phone digits, ID tail, place), masked. */
export const rosterSearch = (query: string) =>
  call<SearchResults>("roster_search", { query: query });
/** The roster as filtered (role, community, grid), masked. */
export const rosterList = (filter: RosterFilter) =>
  call<Array<RosterRow>>("roster_list", { filter: filter });
/** A person's card: details masked, assignments now and before. */
export const personCard = (personId: string) =>
  call<PersonProfile>("person_card", { person_id: personId });
/** Coverage of every grid (the 1+1+1+N, building and unit heads) with the gaps named. */
export const rosterCoverage = (overload: number | null) =>
  call<CoverageView>("roster_coverage", { overload: overload });
/** A household and its members, masked. */
export const household = (householdId: string) =>
  call<HouseholdView>("household", { household_id: householdId });
/** One masked field of a resident in clear, for a reason (audited). */
export const revealResidentField = (residentId: string, field: PersonField, reason: string) =>
  call<string>("reveal_resident_field", { resident_id: residentId, field: field, reason: reason });
/** Imports a roster workbook, or only checks it (`dry_run`); `skip_invalid` stores the good rows. */
export const rosterImport = (file: Upload, dryRun: boolean, skipInvalid: boolean) =>
  call<ImportReport>("roster_import", { file: file, dry_run: dryRun, skip_invalid: skipInvalid });
/** Imports a residents' list, or only checks it (`dry_run`); `skip_invalid` stores the good rows. */
export const residentsImport = (file: Upload, dryRun: boolean, skipInvalid: boolean) =>
  call<ImportReport>("residents_import", { file: file, dry_run: dryRun, skip_invalid: skipInvalid });
/** The filtered roster as xlsx: masked, or in clear with a reason (audited). */
export const rosterExport = (filter: RosterFilter, revealReason: string | null) =>
  call<string>("roster_export", { filter: filter, reveal_reason: revealReason });
/** The residents (of a grid) as xlsx: masked, or in clear with a reason (audited). */
export const residentsExport = (grid: string | null, revealReason: string | null) =>
  call<string>("residents_export", { grid: grid, reveal_reason: revealReason });
/** A blank import template. */
export const listTemplate = (kind: ListKind) =>
  call<string>("list_template", { kind: kind });
/** A year's days off and make-up workdays (an error names a year whose notice is not loaded). */
export const holidays = (year: number) =>
  call<HolidayYear>("holidays", { year: year });
/** Imports a year's holiday notice (CSV as documented, or .ics). */
export const holidaysImport = (file: Upload) =>
  call<HolidayImport>("holidays_import", { file: file });
/** The alliances with their members and rotation rules. */
export const alliances = () =>
  call<Array<AllianceView>>("alliances");
/** Sets an alliance's rotation rule; `order` names every member unit in order, or is empty to keep it. */
export const dutyRuleSet = (alliance: string, rule: RuleView, order: Array<string>) =>
  call<RuleView>("duty_rule_set", { alliance: alliance, rule: rule, order: order });
/** Records days a member unit cannot serve, with the reason; answers the turns it already holds then. */
export const dutyUnavailableAdd = (unit: string, from: string, to: string, reason: string) =>
  call<Array<TurnView>>("duty_unavailable_add", { unit: unit, from: from, to: to, reason: reason });
/** Generates the future turns of one alliance (or all) within the days given. */
export const dutyGenerate = (alliance: string | null, from: string, to: string) =>
  call<GenerateReport>("duty_generate", { alliance: alliance, from: from, to: to });
/** The turns within the filter's days. */
export const dutySchedule = (filter: ScheduleFilter) =>
  call<Array<TurnView>>("duty_schedule", { filter: filter });
/** Today's unit on duty for each alliance. */
export const dutyToday = () =>
  call<Array<TurnView>>("duty_today");
/** Swaps the units of two turns of one alliance, with a reason. */
export const dutySwap = (first: string, firstVersion: number, second: string, secondVersion: number, reason: string) =>
  call<Array<TurnView>>("duty_swap", { first: first, first_version: firstVersion, second: second, second_version: secondVersion, reason: reason });
/** Gives a turn to another member unit of its alliance, with a reason. */
export const dutyReassign = (turn: string, version: number, unit: string, reason: string) =>
  call<Array<TurnView>>("duty_reassign", { turn: turn, version: version, unit: unit, reason: reason });
/** The schedule as filtered, as .ics or xlsx. */
export const dutyExport = (filter: ScheduleFilter, format: DutyFormat) =>
  call<string>("duty_export", { filter: filter, format: format });
/** Logs an activity on a turn that has begun. */
export const dutyActivityAdd = (activity: NewActivity) =>
  call<ActivityView>("duty_activity_add", { activity: activity });
/** The activities of the turns within the days given. */
export const dutyActivities = (from: string, to: string) =>
  call<Array<ActivityView>>("duty_activities", { from: from, to: to });
/** The review of every member unit (评星定级) over the turns starting within the days given. */
export const dutyReview = (from: string, to: string) =>
  call<DutyReview>("duty_review", { from: from, to: to });
/** The review as xlsx. */
export const dutyReviewExport = (from: string, to: string) =>
  call<string>("duty_review_export", { from: from, to: to });
/** The command center's shifts starting within the days given. */
export const shifts = (from: string, to: string) =>
  call<Array<ShiftView>>("shifts", { from: from, to: to });
/** The shift on now, with the open handover items. */
export const shiftNow = () =>
  call<ShiftNow>("shift_now");
/** Sets who may be put on shifts (names or ids, in order). */
export const shiftPoolSet = (leaders: Array<string>, officers: Array<string>) =>
  call<void>("shift_pool_set", { leaders: leaders, officers: officers });
/** Records days a person cannot be on shift, with the reason; answers the shifts they already hold then. */
export const shiftExclusionAdd = (person: string, from: string, to: string, reason: string) =>
  call<Array<ShiftView>>("shift_exclusion_add", { person: person, from: from, to: to, reason: reason });
/** Generates the shifts of the days given, from tomorrow on. */
export const shiftsGenerate = (from: string, to: string) =>
  call<ShiftReport>("shifts_generate", { from: from, to: to });
/** Changes a shift's leader and officers by hand, with a reason. */
export const shiftEdit = (id: string, version: number, leader: string, officers: Array<string>, reason: string) =>
  call<ShiftView>("shift_edit", { id: id, version: version, leader: leader, officers: officers, reason: reason });
/** Writes an item into the handover log of the shift on now. */
export const handoverAdd = (item: string) =>
  call<HandoverView>("handover_add", { item: item });
/** Closes an open handover item. */
export const handoverClose = (id: string, note: string) =>
  call<void>("handover_close", { id: id, note: note });
/** The big screen's figures and charts of a period (default the last 30 days). */
export const briefing = (from: string | null, to: string | null) =>
  call<BriefingView>("briefing", { from: from, to: to });
/** The briefing pack's PDF (audited). */
export const briefingPdf = (from: string, to: string) =>
  call<string>("briefing_pdf", { from: from, to: to });
/** The tables behind the pack's figures and charts, as xlsx (audited). */
export const briefingXlsx = (from: string, to: string) =>
  call<string>("briefing_xlsx", { from: from, to: to });
