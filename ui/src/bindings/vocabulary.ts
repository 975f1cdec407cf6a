// Generated from chengguan-core's vocabularies by chengguan-app (crates/app/src/vocabulary.rs); do not
// edit: change the Rust declaration and run UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings.

export const STATUS = [
  { code: "received", label: "待受理" },
  { code: "accepted", label: "已受理" },
  { code: "in_progress", label: "办理中" },
  { code: "resolved", label: "已办结" },
  { code: "rated", label: "已评价" },
  { code: "rejected", label: "不予受理" },
  { code: "merged", label: "已合并" },
] as const;
export type StatusCode = (typeof STATUS)[number]["code"];
export const STATUS_LABEL: Readonly<Record<string, string>> = {
  received: "待受理",
  accepted: "已受理",
  in_progress: "办理中",
  resolved: "已办结",
  rated: "已评价",
  rejected: "不予受理",
  merged: "已合并",
} satisfies Record<StatusCode, string>;
/** Statuses in which someone still has to act (the deadline runs). */
export const OPEN_STATUSES: readonly StatusCode[] = ["received", "accepted", "in_progress"];

export const STEP = [
  { code: "accept", label: "受理" },
  { code: "reject", label: "不予受理" },
  { code: "assign", label: "分级交办" },
  { code: "transfer", label: "转办" },
  { code: "escalate", label: "升级" },
  { code: "resolve", label: "办结" },
  { code: "rate", label: "评价" },
  { code: "reopen", label: "退回重办" },
  { code: "merge", label: "合并" },
] as const;
export type StepCode = (typeof STEP)[number]["code"];
export const STEP_LABEL: Readonly<Record<string, string>> = {
  accept: "受理",
  reject: "不予受理",
  assign: "分级交办",
  transfer: "转办",
  escalate: "升级",
  resolve: "办结",
  rate: "评价",
  reopen: "退回重办",
  merge: "合并",
} satisfies Record<StepCode, string>;

export const LEVEL = [
  { code: "grid", label: "网格" },
  { code: "community", label: "社区" },
  { code: "town", label: "镇" },
  { code: "county", label: "县" },
] as const;
export type LevelCode = (typeof LEVEL)[number]["code"];
export const LEVEL_LABEL: Readonly<Record<string, string>> = {
  grid: "网格",
  community: "社区",
  town: "镇",
  county: "县",
} satisfies Record<LevelCode, string>;

export const CHANNEL = [
  { code: "miniprogram_photo", label: "随手拍" },
  { code: "one_key_call", label: "一键呼叫" },
  { code: "hotline", label: "12345热线" },
  { code: "grid_patrol", label: "网格发现" },
  { code: "walk_in", label: "来访" },
  { code: "council", label: "社工委/议事会" },
  { code: "friday_talk", label: "周五说事日" },
] as const;
export type ChannelCode = (typeof CHANNEL)[number]["code"];
export const CHANNEL_LABEL: Readonly<Record<string, string>> = {
  miniprogram_photo: "随手拍",
  one_key_call: "一键呼叫",
  hotline: "12345热线",
  grid_patrol: "网格发现",
  walk_in: "来访",
  council: "社工委/议事会",
  friday_talk: "周五说事日",
} satisfies Record<ChannelCode, string>;
/** The channels a duty officer registers at the desk. */
export const DESK_CHANNELS: readonly ChannelCode[] = ["hotline", "walk_in", "grid_patrol", "one_key_call"];

export const USER_ROLE = [
  { code: "admin", label: "管理员" },
  { code: "duty_officer", label: "值班员" },
  { code: "leader", label: "领导" },
  { code: "party_secretary", label: "书记" },
  { code: "grid_worker", label: "网格员" },
] as const;
export type UserRoleCode = (typeof USER_ROLE)[number]["code"];
export const USER_ROLE_LABEL: Readonly<Record<string, string>> = {
  admin: "管理员",
  duty_officer: "值班员",
  leader: "领导",
  party_secretary: "书记",
  grid_worker: "网格员",
} satisfies Record<UserRoleCode, string>;

export const PEOPLE_ROLE = [
  { code: "grid_manager", label: "网格管理员" },
  { code: "area_police", label: "片区民警" },
  { code: "patrol", label: "治安巡逻员" },
  { code: "building_head", label: "楼栋长" },
  { code: "unit_head", label: "单元长" },
  { code: "community_worker", label: "社区工作者" },
  { code: "mediator", label: "调解员" },
  { code: "party_member", label: "在职党员" },
  { code: "volunteer", label: "志愿者" },
  { code: "cadre", label: "包联干部" },
] as const;
export type PeopleRoleCode = (typeof PEOPLE_ROLE)[number]["code"];
export const PEOPLE_ROLE_LABEL: Readonly<Record<string, string>> = {
  grid_manager: "网格管理员",
  area_police: "片区民警",
  patrol: "治安巡逻员",
  building_head: "楼栋长",
  unit_head: "单元长",
  community_worker: "社区工作者",
  mediator: "调解员",
  party_member: "在职党员",
  volunteer: "志愿者",
  cadre: "包联干部",
} satisfies Record<PeopleRoleCode, string>;

export const SCOPE_LEVEL = [
  { code: "town", label: "全镇" },
  { code: "community", label: "社区" },
  { code: "grid", label: "网格" },
  { code: "building", label: "楼栋" },
  { code: "unit", label: "单元" },
] as const;
export type ScopeLevelCode = (typeof SCOPE_LEVEL)[number]["code"];
export const SCOPE_LEVEL_LABEL: Readonly<Record<string, string>> = {
  town: "全镇",
  community: "社区",
  grid: "网格",
  building: "楼栋",
  unit: "单元",
} satisfies Record<ScopeLevelCode, string>;

export const GENDER = [
  { code: "male", label: "男" },
  { code: "female", label: "女" },
] as const;
export type GenderCode = (typeof GENDER)[number]["code"];
export const GENDER_LABEL: Readonly<Record<string, string>> = {
  male: "男",
  female: "女",
} satisfies Record<GenderCode, string>;

export const POLITICAL_STATUS = [
  { code: "party_member", label: "中共党员" },
  { code: "probationary", label: "中共预备党员" },
  { code: "league", label: "共青团员" },
  { code: "democratic", label: "民主党派" },
  { code: "masses", label: "群众" },
] as const;
export type PoliticalStatusCode = (typeof POLITICAL_STATUS)[number]["code"];
export const POLITICAL_STATUS_LABEL: Readonly<Record<string, string>> = {
  party_member: "中共党员",
  probationary: "中共预备党员",
  league: "共青团员",
  democratic: "民主党派",
  masses: "群众",
} satisfies Record<PoliticalStatusCode, string>;

export const RELATION = [
  { code: "householder", label: "户主" },
  { code: "spouse", label: "配偶" },
  { code: "child", label: "子女" },
  { code: "parent", label: "父母" },
  { code: "grandchild", label: "孙子女" },
  { code: "sibling", label: "兄弟姐妹" },
  { code: "other", label: "其他" },
] as const;
export type RelationCode = (typeof RELATION)[number]["code"];
export const RELATION_LABEL: Readonly<Record<string, string>> = {
  householder: "户主",
  spouse: "配偶",
  child: "子女",
  parent: "父母",
  grandchild: "孙子女",
  sibling: "兄弟姐妹",
  other: "其他",
} satisfies Record<RelationCode, string>;

export const GAP_KIND = [
  { code: "no_grid_manager", label: "缺网格管理员" },
  { code: "no_police", label: "缺片区民警" },
  { code: "no_patrol", label: "缺治安巡逻员" },
  { code: "no_volunteers", label: "缺志愿者与党员" },
  { code: "no_building_head", label: "楼栋缺楼栋长" },
  { code: "no_unit_head", label: "单元缺单元长" },
  { code: "overload", label: "一人包联单元过多" },
] as const;
export type GapKindCode = (typeof GAP_KIND)[number]["code"];
export const GAP_KIND_LABEL: Readonly<Record<string, string>> = {
  no_grid_manager: "缺网格管理员",
  no_police: "缺片区民警",
  no_patrol: "缺治安巡逻员",
  no_volunteers: "缺志愿者与党员",
  no_building_head: "楼栋缺楼栋长",
  no_unit_head: "单元缺单元长",
  overload: "一人包联单元过多",
} satisfies Record<GapKindCode, string>;

export const ORGANISATION_KIND = [
  { code: "member_unit", label: "联盟成员单位" },
  { code: "owners_committee", label: "业主委员会" },
  { code: "property_company", label: "物业公司" },
] as const;
export type OrganisationKindCode = (typeof ORGANISATION_KIND)[number]["code"];
export const ORGANISATION_KIND_LABEL: Readonly<Record<string, string>> = {
  member_unit: "联盟成员单位",
  owners_committee: "业主委员会",
  property_company: "物业公司",
} satisfies Record<OrganisationKindCode, string>;

export const SERVICE_POINT_KIND = [
  { code: "governance_center", label: "综治中心" },
  { code: "mediation_studio", label: "调解工作室" },
  { code: "community_square", label: "社区广场" },
  { code: "red_committee_site", label: "红色业委会示范点" },
] as const;
export type ServicePointKindCode = (typeof SERVICE_POINT_KIND)[number]["code"];
export const SERVICE_POINT_KIND_LABEL: Readonly<Record<string, string>> = {
  governance_center: "综治中心",
  mediation_studio: "调解工作室",
  community_square: "社区广场",
  red_committee_site: "红色业委会示范点",
} satisfies Record<ServicePointKindCode, string>;

export const NOTICE_KIND = [
  { code: "day_off", label: "休" },
  { code: "make_up_workday", label: "班" },
] as const;
export type NoticeKindCode = (typeof NOTICE_KIND)[number]["code"];
export const NOTICE_KIND_LABEL: Readonly<Record<string, string>> = {
  day_off: "休",
  make_up_workday: "班",
} satisfies Record<NoticeKindCode, string>;

export const ROTATION_PERIOD = [
  { code: "week", label: "每周" },
  { code: "month", label: "每月" },
] as const;
export type RotationPeriodCode = (typeof ROTATION_PERIOD)[number]["code"];
export const ROTATION_PERIOD_LABEL: Readonly<Record<string, string>> = {
  week: "每周",
  month: "每月",
} satisfies Record<RotationPeriodCode, string>;

export const CONFLICT_KIND = [
  { code: "no_one_available", label: "无单位可值班" },
  { code: "imbalance", label: "轮次不均" },
] as const;
export type ConflictKindCode = (typeof CONFLICT_KIND)[number]["code"];
export const CONFLICT_KIND_LABEL: Readonly<Record<string, string>> = {
  no_one_available: "无单位可值班",
  imbalance: "轮次不均",
} satisfies Record<ConflictKindCode, string>;

export const ACTIVITY_KIND = [
  { code: "joint_building", label: "组织联建" },
  { code: "joint_activity", label: "活动联办" },
  { code: "shared_resources", label: "资源联用" },
  { code: "joint_service", label: "服务联做" },
] as const;
export type ActivityKindCode = (typeof ACTIVITY_KIND)[number]["code"];
export const ACTIVITY_KIND_LABEL: Readonly<Record<string, string>> = {
  joint_building: "组织联建",
  joint_activity: "活动联办",
  shared_resources: "资源联用",
  joint_service: "服务联做",
} satisfies Record<ActivityKindCode, string>;

export const SHIFT_KIND = [
  { code: "day", label: "白班" },
  { code: "night", label: "夜班" },
  { code: "full", label: "全天" },
] as const;
export type ShiftKindCode = (typeof SHIFT_KIND)[number]["code"];
export const SHIFT_KIND_LABEL: Readonly<Record<string, string>> = {
  day: "白班",
  night: "夜班",
  full: "全天",
} satisfies Record<ShiftKindCode, string>;

export const HOTSPOT_CLASS = [
  { code: "hot99", label: "热点（99% 置信）" },
  { code: "hot95", label: "热点（95% 置信）" },
  { code: "hot90", label: "热点（90% 置信）" },
  { code: "not_significant", label: "不显著" },
  { code: "cold90", label: "冷点（90% 置信）" },
  { code: "cold95", label: "冷点（95% 置信）" },
  { code: "cold99", label: "冷点（99% 置信）" },
] as const;
export type HotspotClassCode = (typeof HOTSPOT_CLASS)[number]["code"];
export const HOTSPOT_CLASS_LABEL: Readonly<Record<string, string>> = {
  hot99: "热点（99% 置信）",
  hot95: "热点（95% 置信）",
  hot90: "热点（90% 置信）",
  not_significant: "不显著",
  cold90: "冷点（90% 置信）",
  cold95: "冷点（95% 置信）",
  cold99: "冷点（99% 置信）",
} satisfies Record<HotspotClassCode, string>;

export const CHANGE_ENTITY = [
  { code: "town", label: "城镇" },
  { code: "community", label: "社区" },
  { code: "grid", label: "网格" },
  { code: "person", label: "人员" },
  { code: "resident", label: "居民" },
  { code: "user", label: "用户" },
  { code: "petition", label: "诉求" },
  { code: "category", label: "诉求类别" },
  { code: "sla_rule", label: "办理时限" },
  { code: "holiday", label: "放假安排" },
  { code: "duty_turn", label: "联盟轮值" },
  { code: "shift", label: "值班班次" },
] as const;
export type ChangeEntityCode = (typeof CHANGE_ENTITY)[number]["code"];
export const CHANGE_ENTITY_LABEL: Readonly<Record<string, string>> = {
  town: "城镇",
  community: "社区",
  grid: "网格",
  person: "人员",
  resident: "居民",
  user: "用户",
  petition: "诉求",
  category: "诉求类别",
  sla_rule: "办理时限",
  holiday: "放假安排",
  duty_turn: "联盟轮值",
  shift: "值班班次",
} satisfies Record<ChangeEntityCode, string>;

export const CHANGE_OPERATION = [
  { code: "insert", label: "新增" },
  { code: "update", label: "修改" },
  { code: "load", label: "载入" },
  { code: "reload", label: "重新载入" },
  { code: "import", label: "批量导入" },
] as const;
export type ChangeOperationCode = (typeof CHANGE_OPERATION)[number]["code"];
export const CHANGE_OPERATION_LABEL: Readonly<Record<string, string>> = {
  insert: "新增",
  update: "修改",
  load: "载入",
  reload: "重新载入",
  import: "批量导入",
} satisfies Record<ChangeOperationCode, string>;
