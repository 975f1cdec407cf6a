import { defineStore } from "pinia";
import { ref } from "vue";

import { ApiError } from "../api/invoke";
import { ping, statusBar } from "../api/status";
import type { StatusBar } from "../bindings/StatusBar";

/** The database the window works on and whether it answers (shown in the status bar). */
export const useSessionStore = defineStore("session", () => {
  const status = ref<StatusBar | null>(null);
  const connected = ref(false);
  const error = ref<ApiError | null>(null);

  async function refresh() {
    try {
      status.value = await statusBar();
      connected.value = true;
      error.value = null;
    } catch (e) {
      connected.value = false;
      error.value = e instanceof ApiError ? e : new ApiError("ui.unknown", String(e));
    }
  }

  async function check() {
    try {
      await ping();
      connected.value = true;
    } catch {
      connected.value = false;
    }
  }

  return { status, connected, error, refresh, check };
});
