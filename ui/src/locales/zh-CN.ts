/** The navigation rail, in order. `upcoming` sections arrive with later releases. */
export interface NavItem {
  path: string;
  label: string;
  icon: string;
  upcoming?: boolean;
  summary?: string;
}

export const NAV_ITEMS: NavItem[] = [
  { path: "/", label: "总览/地图", icon: "MapLocation" },
  { path: "/petitions", label: "诉求", icon: "ChatLineSquare", upcoming: true, summary: "群众诉求的受理、分级响应、协同处置与评价，以及实时热力图。" },
  { path: "/duty", label: "值班与轮值", icon: "Calendar", upcoming: true, summary: "指挥中心值班表与党建联盟成员单位轮值日历。" },
  { path: "/people", label: "人员", icon: "User", upcoming: true, summary: "网格员、片区民警、巡逻员、楼栋长、单元长等人员名册与覆盖情况。" },
  { path: "/alliances", label: "联盟", icon: "Connection", upcoming: true, summary: "8 个“1+X”区域化党建联盟、成员单位、活动与评星定级。" },
  { path: "/mobilise", label: "动员", icon: "Bell", upcoming: true, summary: "应急状态一键动员：短信通知与响应跟踪。" },
  { path: "/briefing", label: "简报", icon: "Document", upcoming: true, summary: "领导简报：关键指标、热点网格与导出材料。" },
  { path: "/settings", label: "设置", icon: "Setting" },
];

export const DATABASE_KIND_LABEL: Record<string, string> = {
  sqlite: "本地",
  postgres: "局域网",
};

export const CRS_LABEL: Record<string, string> = {
  wgs84: "WGS-84 / CGCS2000（天地图）",
  gcj02: "GCJ-02（高德、腾讯）",
};
