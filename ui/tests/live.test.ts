import { describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { createApp, defineComponent, h } from "vue";

// The backend bridge: every command answers an empty queue; events are delivered by hand.
const bridge = vi.hoisted(() => ({
  calls: [] as string[],
  handlers: new Map<string, (e: { payload: unknown }) => void>(),
}));
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (_: string, args: { name: string }) => {
    const cmd = args.name;
    bridge.calls.push(cmd);
    return Promise.resolve(cmd === "petitions_list" ? { total: 0, items: [] } : null);
  },
}));
vi.mock("@tauri-apps/api/event", () => ({
  listen: (name: string, handler: (e: { payload: unknown }) => void) => {
    bridge.handlers.set(name, handler);
    return Promise.resolve(() => bridge.handlers.delete(name));
  },
}));
vi.mock("element-plus", () => ({ ElNotification: vi.fn() }));

import { REFRESH_DEBOUNCE_MS, useLiveUpdates } from "../src/composables/useLiveUpdates";
import { useAuthStore } from "../src/stores/auth";

async function mounted() {
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = { username: "duty" } as never;
  const app = createApp(defineComponent({ setup: () => (useLiveUpdates(), () => h("div")) }));
  app.use(pinia).mount(document.createElement("div"));
  await vi.waitFor(() => expect(bridge.handlers.has("db-connection")).toBe(true));
  return app;
}

const emit = (name: string, payload: unknown) => bridge.handlers.get(name)?.({ payload });
const lists = () => bridge.calls.filter((c) => c === "petitions_list").length;

describe("useLiveUpdates", () => {
  it("re-reads once per burst of petition changes, and not for other changes", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const app = await mounted();
    bridge.calls.length = 0;
    for (let i = 0; i < 20; i++) emit("db-changes", { seq: i, entities: ["petition"], new_petitions: [`p${i}`] });
    emit("db-changes", { seq: 99, entities: ["user"], new_petitions: [] });
    expect(lists()).toBe(0);
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    // The queue and the map's petitions: one read each for the whole burst.
    expect(lists()).toBe(2);
    vi.advanceTimersByTime(10 * REFRESH_DEBOUNCE_MS);
    expect(lists()).toBe(2);
    app.unmount();
    vi.useRealTimers();
  });

  it("re-reads after the database comes back, since changes meanwhile were not announced", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const app = await mounted();
    bridge.calls.length = 0;
    emit("db-connection", { ok: false, message: "连接中断" });
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(lists()).toBe(0);
    emit("db-connection", { ok: true, message: "" });
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(lists()).toBe(2);
    app.unmount();
    vi.useRealTimers();
  });
});
