import { createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";

import MapView from "../views/MapView.vue";
import { NAV_ITEMS } from "../locales/zh-CN";

// The map is the first screen and is bundled with the shell; other views load when first opened.
const SettingsView = () => import("../views/SettingsView.vue");
const ComingSoon = () => import("../views/ComingSoon.vue");
const AuditView = () => import("../views/AuditView.vue");
const UsersView = () => import("../views/UsersView.vue");
const PetitionsView = () => import("../views/PetitionsView.vue");
const PeopleView = () => import("../views/PeopleView.vue");
const DutyView = () => import("../views/DutyView.vue");
const DutyPrintView = () => import("../views/DutyPrintView.vue");
const AlliancesView = () => import("../views/AlliancesView.vue");
const BriefingView = () => import("../views/BriefingView.vue");

/** Sections that later issues fill in show what they will hold instead of an empty page. */
const upcoming: RouteRecordRaw[] = NAV_ITEMS.filter((item) => item.upcoming).map((item) => ({
  path: item.path,
  component: ComingSoon,
  meta: { title: item.label, summary: item.summary },
}));

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: "/", component: MapView, meta: { title: "总览/地图" } },
    { path: "/settings", component: SettingsView, meta: { title: "设置" } },
    { path: "/audit", component: AuditView, meta: { title: "审计日志" } },
    { path: "/users", component: UsersView, meta: { title: "用户与角色" } },
    { path: "/petitions", component: PetitionsView, meta: { title: "诉求" } },
    { path: "/people", component: PeopleView, meta: { title: "人员" } },
    { path: "/duty", component: DutyView, meta: { title: "值班与轮值" } },
    { path: "/duty/print/:alliance/:month", component: DutyPrintView, meta: { title: "轮值表（打印）" } },
    { path: "/alliances", component: AlliancesView, meta: { title: "联盟" } },
    { path: "/briefing", component: BriefingView, meta: { title: "简报" } },
    ...upcoming,
  ],
});
