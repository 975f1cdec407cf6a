import { describe, expect, it } from "vitest";

import type { MapGrid } from "../src/bindings/MapGrid";
import { formatBeijingTime } from "../src/composables/useBeijingClock";
import { searchGrids } from "../src/composables/useGridSearch";

const grid = (code: string, name: string, community: string): MapGrid => ({
  code,
  name,
  community,
  community_code: code.slice(0, 5),
  label_at: [0, 0],
  boundary: null,
});

const GRIDS = [
  grid("CG-02-03", "南关社区第3网格", "南关社区"),
  grid("CG-03-07", "解放街社区第7网格", "解放街社区"),
  grid("CG-03-01", "解放街社区第1网格", "解放街社区"),
];

describe("searchGrids", () => {
  it("puts an exact code first", () => {
    expect(searchGrids(GRIDS, "cg-03-07")[0].code).toBe("CG-03-07");
  });
  it("finds two-character Chinese names", () => {
    expect(searchGrids(GRIDS, "南关").map((g) => g.code)).toEqual(["CG-02-03"]);
  });
  it("orders code-prefix matches by code and ignores blank queries", () => {
    expect(searchGrids(GRIDS, "CG-03").map((g) => g.code)).toEqual(["CG-03-01", "CG-03-07"]);
    expect(searchGrids(GRIDS, "  ")).toEqual([]);
  });
});

describe("formatBeijingTime", () => {
  it("shows UTC+8 whatever the workstation's zone", () => {
    // 2026-11-29 23:30:05 UTC is 2026-11-30 07:30:05 in Beijing, a Monday.
    expect(formatBeijingTime(new Date(Date.UTC(2026, 10, 29, 23, 30, 5)))).toBe("2026-11-30 周一 07:30:05");
  });
});
