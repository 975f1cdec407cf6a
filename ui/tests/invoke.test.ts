import { describe, expect, it, vi } from "vitest";

const bridge = vi.hoisted(() => ({ reply: (): Promise<unknown> => Promise.resolve(null), calls: [] as unknown[][] }));
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => {
    bridge.calls.push(args);
    return bridge.reply();
  },
}));

import { ApiError, call } from "../src/api/invoke";
import { gridDetail, townMap } from "../src/api/map";

describe("call", () => {
  it("passes the command and its arguments through", async () => {
    bridge.calls = [];
    bridge.reply = () => Promise.resolve({ code: "CG-03-07" });
    await gridDetail("CG-03-07");
    await townMap("gcj02");
    // Every call of the workstation API goes through the desktop's one `api` command.
    expect(bridge.calls).toEqual([
      ["api", { name: "grid_detail", args: { code: "CG-03-07" } }],
      ["api", { name: "town_map", args: { crs: "gcj02" } }],
    ]);
  });

  it("turns the backend's {code, message} into an ApiError the UI can switch on", async () => {
    bridge.reply = () => Promise.reject({ code: "grid.not_found", message: "没有编码为 X 的网格", details: [] });
    const error = await call("grid_detail", { code: "X" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).code, (error as ApiError).message]).toEqual(["grid.not_found", "没有编码为 X 的网格"]);
  });

  it("wraps bridge failures that are not ours", async () => {
    bridge.reply = () => Promise.reject("command town_map not allowed");
    const error = await call("town_map").then(
      () => null,
      (e: unknown) => e,
    );
    expect([(error as ApiError).code, (error as ApiError).message]).toEqual(["ipc.failed", "command town_map not allowed"]);
  });
});
