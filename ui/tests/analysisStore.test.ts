import { describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { nextTick } from "vue";

// The backend bridge: each heat call is recorded with its query and answered when the test says so.
const bridge = vi.hoisted(() => ({
  calls: [] as { cmd: string; args: Record<string, unknown>; answer: (v: unknown) => void }[],
}));
vi.mock("@tauri-apps/api/core", () => ({
  // The workstation API's calls arrive as `api` with the call's name and arguments.
  invoke: (cmd: string, args: { name: string; args: Record<string, unknown> }) =>
    new Promise((resolve) => bridge.calls.push({ cmd: args.name, args: args.args, answer: resolve })),
}));

import { useAnalysisLayers } from "../src/composables/useAnalysisLayers";
import { PLAYBACK_FRAME_MS, useAnalysisStore } from "../src/stores/analysis";

const heat = (image: string) => ({ image, bounds: [0, 0, 1, 1], peak_per_km2: 1, ramp: [], points: 1, bandwidth_m: 150 });
const query = (i: number) => bridge.calls[i].args.query as { received_from: string | null; received_to: string | null };

async function settle() {
  for (let i = 0; i < 5; i++) await nextTick();
}

describe("the analysis store", () => {
  it("asks for the view's layer with the filters and keeps only the newest answer", async () => {
    setActivePinia(createPinia());
    bridge.calls.length = 0;
    const a = useAnalysisStore();
    a.view = "heat";
    await settle();
    expect(bridge.calls.map((c) => c.cmd)).toEqual(["analysis_heat"]);
    a.categories = ["sanitation"];
    await settle();
    expect(bridge.calls).toHaveLength(2);
    expect((bridge.calls[1].args.query as { categories: string[] }).categories).toEqual(["sanitation"]);
    // The newer answer arrives first; the older one, arriving late, must not paint over it.
    bridge.calls[1].answer(heat("new"));
    await settle();
    bridge.calls[0].answer(heat("old"));
    await settle();
    expect(a.heat?.image).toBe("new");
  });

  it("plays a range week by week, one frame after the other, and stops at the end", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    setActivePinia(createPinia());
    bridge.calls.length = 0;
    const a = useAnalysisStore();
    a.view = "choropleth";
    a.range = ["2026-11-04", "2026-11-20"];
    await settle();
    bridge.calls.forEach((c) => c.answer({ measure: "count", unit: "件", rows: [], breaks: [], total: 0 }));
    bridge.calls.length = 0;
    expect(a.frames).toHaveLength(3);
    a.play();
    const seen: [string | null, string | null][] = [];
    for (let frame = 0; frame < 3; frame++) {
      await settle();
      expect(bridge.calls).toHaveLength(frame + 1);
      seen.push([query(frame).received_from, query(frame).received_to]);
      // The next frame waits for this one's layer.
      vi.advanceTimersByTime(3 * PLAYBACK_FRAME_MS);
      await settle();
      expect(bridge.calls).toHaveLength(frame + 1);
      bridge.calls[frame].answer({ measure: "count", unit: "件", rows: [], breaks: [], total: frame });
      await settle();
      vi.advanceTimersByTime(PLAYBACK_FRAME_MS);
    }
    expect(seen).toEqual([
      ["2026-11-04", "2026-11-08"],
      ["2026-11-09", "2026-11-15"],
      ["2026-11-16", "2026-11-20"],
    ]);
    await settle();
    expect(a.playing).toBe(false);
    expect(a.frame).toBe(2);
    expect(bridge.calls).toHaveLength(3);
    vi.useRealTimers();
  });
});

describe("the analysis layers drawn on the map", () => {
  it("tints grids by class, draws hexagons as cells, and nothing once cleared", async () => {
    setActivePinia(createPinia());
    const a = useAnalysisStore();
    const layers = useAnalysisLayers();
    const row = (code: string, count: number, households: number) => ({
      grid_code: code, name: code, count, households, area_km2: 1, per_1000_households: households ? (count * 1000) / households : null, per_km2: count,
    });
    a.view = "choropleth";
    a.choropleth = { measure: "per_1000_households", unit: "件/千户", rows: [row("A", 1, 100), row("B", 9, 100), row("C", 3, 0)], breaks: [10, 90], total: 13 };
    expect(layers.tints.value?.A.fill).toBe("#ffffb2");
    expect(layers.tints.value?.B.fill).toBe("#bd0026");
    expect(layers.tints.value?.C.note).toBe("无住户数据");
    expect(layers.heat.value).toBeNull();

    a.view = "hotspots";
    a.hotspots = {
      layout: "hex:250", band_m: 375,
      cells: [{ id: "0,0", outline: [[1, 2], [3, 4], [5, 6]], count: 4, z: 3.1, p: 0.002, confidence: "hot99", label: "热点（99% 置信）" }],
    };
    expect(layers.tints.value).toBeNull();
    expect(layers.cells.value?.[0]).toMatchObject({ fill: "#d62f27", className: "hotspot-cell hotspot-hot99" });

    a.clear();
    await settle();
    expect([a.view, layers.tints.value, layers.cells.value, layers.heat.value]).toEqual(["none", null, null, null]);
  });
});
