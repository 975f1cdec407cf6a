import { describe, expect, it } from "vitest";

import { PANELS, beijingDay, nextPanel, splitValue, svgSource, tick } from "../src/briefing/screen";

describe("the big screen's rotation", () => {
  it("goes through every panel and wraps", () => {
    const seen = [0];
    let i = 0;
    for (let n = 0; n < PANELS.length; n++) seen.push((i = nextPanel(i)));
    expect(seen.slice(0, PANELS.length).sort()).toEqual([...PANELS.keys()]);
    expect(i).toBe(0);
  });

  it("stands still while paused and goes on after", () => {
    const state = { panel: 2, paused: true };
    tick(state);
    tick(state);
    expect(state.panel).toBe(2);
    state.paused = false;
    tick(state);
    expect(state.panel).toBe(3);
  });

  it("shows every chart the backend draws and the map", () => {
    expect(PANELS.map((p) => p.code).sort()).toEqual(["alliances", "categories", "grids", "map", "satisfaction", "trend"]);
  });
});

describe("charts as pictures", () => {
  it("carry the SVG as an image source, so that text in it is never markup", () => {
    const src = svgSource('<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;script&gt; 诉求</text></svg>');
    expect(src.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(src).not.toContain("<");
    expect(decodeURIComponent(src.split(",")[1])).toContain("诉求");
  });
});

describe("Beijing days", () => {
  it("are Beijing's calendar day whatever the workstation's zone", () => {
    // 2026-12-31 17:00 UTC is already 2027-01-01 in Beijing.
    const at = new Date(Date.UTC(2026, 11, 31, 17, 0, 0));
    expect(beijingDay(0, at)).toBe("2027-01-01");
    expect(beijingDay(-29, at)).toBe("2026-12-03");
  });
});

describe("figures on the screen", () => {
  it("split into a large number and a small unit", () => {
    expect(splitValue("2.6 个工作日")).toEqual({ number: "2.6", unit: "个工作日" });
    expect(splitValue("87.5%")).toEqual({ number: "87.5%", unit: "" });
    expect(splitValue("204")).toEqual({ number: "204", unit: "" });
    expect(splitValue("—")).toEqual({ number: "—", unit: "" });
  });
});
