import { createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";

import MapView from "../views/MapView.vue";
import SettingsView from "../views/SettingsView.vue";
import ComingSoon from "../views/ComingSoon.vue";
import { NAV_ITEMS } from "../locales/zh-CN";

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
    ...upcoming,
  ],
});
