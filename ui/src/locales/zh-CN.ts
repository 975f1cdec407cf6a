import { STEP_LABEL } from "../bindings/vocabulary";

/** The navigation rail, in order. `upcoming` sections arrive with later releases. */
export interface NavItem {
  path: string;
  label: string;
  icon: string;
  upcoming?: boolean;
  summary?: string;
  /** Shown only to users holding this permission (the backend enforces it regardless). */
  permission?: string;
}

export const NAV_ITEMS: NavItem[] = [
  { path: "/", label: "总览/地图", icon: "MapLocation" },
  { path: "/petitions", label: "诉求", icon: "ChatLineSquare" },
  { path: "/duty", label: "值班与轮值", icon: "Calendar" },
  { path: "/people", label: "人员", icon: "User" },
  { path: "/alliances", label: "联盟", icon: "Connection" },
  { path: "/mobilise", label: "动员", icon: "Bell", upcoming: true, summary: "应急状态一键动员：短信通知与响应跟踪。" },
  { path: "/briefing", label: "简报", icon: "Document", permission: "view_town" },
  { path: "/users", label: "用户", icon: "Avatar", permission: "manage_users" },
  { path: "/audit", label: "审计", icon: "Lock", permission: "view_audit" },
  { path: "/settings", label: "设置", icon: "Setting" },
];

export const DATABASE_KIND_LABEL: Record<string, string> = {
  sqlite: "本地",
  postgres: "局域网",
  server: "局域网",
};

export const CRS_LABEL: Record<string, string> = {
  wgs84: "WGS-84 / CGCS2000（天地图）",
  gcj02: "GCJ-02（高德、腾讯）",
};

/** Audit actions in Chinese (the code stays beside it, as stored). */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  "user.sign_in": "登录",
  "user.sign_in_failed": "登录失败",
  "user.sign_in_refused": "拒绝登录",
  "user.sign_out": "退出",
  "user.setup_administrator": "创建初始管理员",
  "user.add": "新增用户",
  "user.add_demo": "创建演示账号",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
  "user.reset_password": "重置密码",
  "user.change_password": "修改密码",
  "person.reveal": "查看个人信息",
  "person.export": "导出个人信息",
  "person.search_digits": "按电话或身份证号查找",
  "resident.reveal": "查看居民信息",
  "resident.import": "导入居民名单",
  "resident.export": "导出居民名单",
  "resident.export_clear": "导出居民信息明文",
  "resident.demo_load": "载入演示人口库",
  "roster.import": "导入人员名册",
  "holiday.import": "导入放假安排",
  "duty.rule": "设置轮值规则",
  "duty.unavailable": "登记不能值班",
  "duty.generate": "生成联盟轮值",
  "duty.swap": "调换联盟轮值",
  "duty.reassign": "改派联盟轮值",
  "duty.export": "导出联盟轮值",
  "duty.activity": "记录联盟活动",
  "duty.demo_activities": "载入演示联盟活动",
  "duty.review_export": "导出评星定级",
  "shift.pool": "设置值班名单",
  "shift.exclusion": "登记不值班日期",
  "shift.generate": "生成值班表",
  "shift.edit": "调整值班",
  "shift.handover": "记入交接事项",
  "shift.handover_close": "办结交接事项",
  "roster.export": "导出人员名册",
  "roster.export_clear": "导出人员名册明文",
  "grid.import": "导入网格",
  "town.demo_load": "载入演示数据",
  "town.demo_reload": "覆盖演示数据",
  "audit.verify": "校验审计日志",
  "audit.anchor": "记下审计锚点",
  "audit.keyed": "封存启用密钥前的审计记录",
  "audit.export": "导出审计日志",
  "petition.create": "登记诉求",
  "petition.accept": "受理诉求",
  "petition.reject": STEP_LABEL.reject,
  "petition.assign": STEP_LABEL.assign,
  "petition.transfer": STEP_LABEL.transfer,
  "petition.escalate": STEP_LABEL.escalate,
  "petition.resolve": STEP_LABEL.resolve,
  "petition.rate": STEP_LABEL.rate,
  "petition.reopen": STEP_LABEL.reopen,
  "petition.merge": "合并诉求",
  "petition.regrid": "改派网格",
  "petition.export": "导出诉求",
  "petition.import": "导入诉求",
  "petition.demo_load": "载入演示诉求",
  "sla.set": "设置办理时限",
  "category.add": "新增诉求类别",
  "category.update": "修改诉求类别",
  "apikey.create": "新建接口密钥",
  "apikey.revoke": "吊销接口密钥",
};
