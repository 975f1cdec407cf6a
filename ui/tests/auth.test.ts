import { describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { createApp, defineComponent, h } from "vue";

const bridge = vi.hoisted(() => ({ reply: (_cmd: string): Promise<unknown> => Promise.resolve(null) }));
vi.mock("@tauri-apps/api/core", () => ({ invoke: (cmd: string) => bridge.reply(cmd) }));

import { call } from "../src/api/invoke";
import { useIdleLock } from "../src/composables/useIdleLock";
import { useAuthStore } from "../src/stores/auth";

const SIGNED_IN = {
  username: "duty", display_name: "演示值班员", roles: ["duty_officer"], role_labels: "值班员", grid_code: null,
  permissions: ["reveal_personal", "view_people", "view_town"], idle_minutes: 30, must_change_password: false,
};

describe("auth store", () => {
  it("locks the screen when the backend says the session expired, and signs out when the account is gone", async () => {
    setActivePinia(createPinia());
    const auth = useAuthStore();
    bridge.reply = () => Promise.resolve(SIGNED_IN);
    await auth.signIn("duty", "pw");
    expect(auth.can("reveal_personal")).toBe(true);
    expect(auth.can("view_audit")).toBe(false);

    bridge.reply = () => Promise.reject({ code: "auth.session_expired", message: "会话已锁定", details: [] });
    await call("town_map").catch(() => undefined);
    expect(auth.locked).toBe(true);
    expect(auth.user?.username).toBe("duty");

    bridge.reply = () => Promise.resolve(SIGNED_IN);
    await auth.unlock("pw");
    expect(auth.locked).toBe(false);

    bridge.reply = () => Promise.reject({ code: "auth.account_gone", message: "账号已停用", details: [] });
    await call("town_map").catch(() => undefined);
    expect(auth.user).toBeNull();
  });

  it("an ordinary refusal leaves the session alone", async () => {
    setActivePinia(createPinia());
    const auth = useAuthStore();
    bridge.reply = () => Promise.resolve(SIGNED_IN);
    await auth.signIn("duty", "pw");
    bridge.reply = () => Promise.reject({ code: "auth.forbidden", message: "无权导入网格", details: [] });
    await call("grids_import").catch(() => undefined);
    expect([auth.user?.username, auth.locked]).toEqual(["duty", false]);
  });
});

describe("useIdleLock", () => {
  it("locks after the idle minutes without input, and input postpones it", async () => {
    vi.useFakeTimers();
    const lock = vi.fn();
    const Host = defineComponent({
      setup() {
        useIdleLock(() => 1, lock, undefined, 1_000);
        return () => h("div");
      },
    });
    const app = createApp(Host);
    app.mount(document.createElement("div"));
    vi.advanceTimersByTime(50_000);
    window.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(50_000);
    expect(lock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15_000);
    expect(lock).toHaveBeenCalled();
    app.unmount();
    vi.useRealTimers();
  });

  it("reports input to the backend at most once a minute, and nothing without input", async () => {
    vi.useFakeTimers();
    const report = vi.fn();
    const Host = defineComponent({
      setup() {
        useIdleLock(() => 30, () => undefined, report, 1_000);
        return () => h("div");
      },
    });
    const app = createApp(Host);
    app.mount(document.createElement("div"));
    vi.advanceTimersByTime(10 * 60_000);
    expect(report).not.toHaveBeenCalled();
    window.dispatchEvent(new Event("keydown"));
    window.dispatchEvent(new Event("pointerdown"));
    vi.advanceTimersByTime(30_000);
    window.dispatchEvent(new Event("wheel"));
    expect(report).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(31_000);
    window.dispatchEvent(new Event("keydown"));
    expect(report).toHaveBeenCalledTimes(2);
    app.unmount();
    vi.useRealTimers();
  });
});
