import { describe, expect, it } from "vitest";

import { playbackFrames } from "../src/composables/playback";
import { choroplethColour, choroplethLegend, classOf, CHOROPLETH_COLOURS, hotspotColour } from "../src/map/analysisColours";

describe("playbackFrames", () => {
  it("steps day by day, both ends included", () => {
    const frames = playbackFrames("2026-02-27", "2026-03-02", "day");
    expect(frames.map((f) => f.from)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(frames.every((f) => f.from === f.to)).toBe(true);
  });

  it("steps in Monday-to-Sunday weeks, cut at the range's ends", () => {
    // 2026-11-04 is a Wednesday; 2026-11-20 a Friday.
    expect(playbackFrames("2026-11-04", "2026-11-20", "week")).toEqual([
      { from: "2026-11-04", to: "2026-11-08" },
      { from: "2026-11-09", to: "2026-11-15" },
      { from: "2026-11-16", to: "2026-11-20" },
    ]);
  });

  it("gives nothing for a reversed or broken range and keeps the latest frames of a huge one", () => {
    expect(playbackFrames("2026-03-02", "2026-03-01", "day")).toEqual([]);
    expect(playbackFrames("", "2026-03-01", "day")).toEqual([]);
    const many = playbackFrames("2000-01-01", "2026-11-30", "day", 10);
    expect(many).toHaveLength(10);
    expect(many[9].to).toBe("2026-11-30");
  });
});

describe("analysis colours", () => {
  it("classes follow the backend's upper bounds", () => {
    const breaks = [2, 4, 6, 8, 10];
    expect([0, 2, 2.1, 10, 99].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 4, 4]);
    expect(choroplethColour(0, breaks)).toBe(CHOROPLETH_COLOURS[0]);
    expect(choroplethColour(10, breaks)).toBe(CHOROPLETH_COLOURS[4]);
  });

  it("fewer classes still run from the lightest to the darkest colour", () => {
    expect(choroplethColour(0, [0, 7])).toBe(CHOROPLETH_COLOURS[0]);
    expect(choroplethColour(7, [0, 7])).toBe(CHOROPLETH_COLOURS[4]);
    expect(choroplethLegend([0, 7], 1).map((r) => r.range)).toEqual(["0 – 0.0", ">0.0 – 7.0"]);
  });

  it("hot spots are red, cold spots blue", () => {
    expect(hotspotColour("hot99")).toBe("#d62f27");
    expect(hotspotColour("cold99")).toBe("#4575b5");
    expect(hotspotColour("unknown")).toBe("#7d8a99");
  });
});
