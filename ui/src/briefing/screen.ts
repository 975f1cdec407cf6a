/** The big screen's logic, apart from its look (tested in tests/briefing.test.ts). */

import { reactive } from "vue";

/** The panels the main area rotates through, in order. */
export const PANELS = [
  { code: "map", title: "诉求热力与热点" },
  { code: "grids", title: "网格诉求排名" },
  { code: "trend", title: "诉求类别周趋势" },
  { code: "alliances", title: "联盟轮值活动" },
  { code: "satisfaction", title: "群众评价" },
  { code: "categories", title: "诉求类别排名" },
] as const;

/** Seconds each panel stays on screen. */
export const ROTATE_SECONDS = 15;

/** Whether the big screen is shown, and its rotation. */
export const bigScreen = reactive({ on: false, panel: 0, paused: false });

/** The panel after `i` (wrapping). */
export const nextPanel = (i: number, count: number = PANELS.length) => (count > 0 ? (i + 1) % count : 0);

/** One rotation tick: the next panel unless paused. */
export function tick(state: { panel: number; paused: boolean }) {
  if (!state.paused) state.panel = nextPanel(state.panel);
}

/** An SVG document as an image source: shown as a picture, never as markup (its text cannot run). */
export const svgSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** Beijing's today as `YYYY-MM-DD`, `days` days on (built from parts: WebKit lacks some locale formats). */
export function beijingDay(days = 0, now = new Date()): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day) + days)).toISOString().slice(0, 10);
}

/** Enters or leaves the big screen; the window goes full screen with it where the system allows. */
export async function setBigScreen(on: boolean) {
  bigScreen.on = on;
  bigScreen.panel = 0;
  bigScreen.paused = false;
  try {
    const { getCurrentWindow } = await import("@tauri-apps/api/window");
    await getCurrentWindow().setFullscreen(on);
  } catch {
    // Outside the desktop (tests) or a window manager without full screen: the layout still fills the window.
  }
}

/** A figure as printed (`2.6 个工作日`, `87.5%`, `204`) split into its number and its unit, so that the number can
 * be large and the unit small. */
export function splitValue(value: string): { number: string; unit: string } {
  const m = /^([-+]?[\d.,]+%?|—)\s*(.*)$/.exec(value.trim());
  return m ? { number: m[1], unit: m[2] } : { number: value, unit: "" };
}
