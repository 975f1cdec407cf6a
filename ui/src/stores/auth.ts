import { defineStore } from "pinia";
import { computed, ref } from "vue";

import * as api from "../api/auth";
import { ApiError, onSessionError } from "../api/invoke";
import type { SignedIn } from "../bindings/SignedIn";
import { router } from "../router";
import { useAnalysisStore } from "./analysis";
import { useMapStore } from "./map";
import { usePetitionsStore } from "./petitions";
import { useTaxonomyStore } from "./taxonomy";

/** Who is signed in on this workstation, and whether the screen is locked after the idle timeout. */
export const useAuthStore = defineStore("auth", () => {
  const user = ref<SignedIn | null>(null);
  const needsAdministrator = ref(false);
  const locked = ref(false);
  const checked = ref(false);
  const startError = ref<ApiError | null>(null);

  const can = (permission: string) => user.value?.permissions.includes(permission) ?? false;
  const signedIn = computed(() => user.value !== null);

  onSessionError((e) => {
    if (e.code === "auth.session_expired") locked.value = true;
    // The password was reset since signing in (the password change dialog shows at once).
    else if (e.code === "auth.password_change_required" && user.value) user.value.must_change_password = true;
    else if (user.value) user.value = null; // signed out elsewhere, the account was disabled, the password reset
  });

  /** Asks the backend whether an administrator must be created first. */
  async function check() {
    try {
      const state = await api.authState();
      needsAdministrator.value = state.needs_administrator;
      startError.value = null;
    } catch (e) {
      startError.value = e instanceof ApiError ? e : new ApiError("ui.unknown", String(e));
    } finally {
      checked.value = true;
    }
  }

  /** What the last user saw (the map, the petitions, the analysis layers) goes when users change. */
  function forgetShownData() {
    useMapStore().clear();
    usePetitionsStore().clear();
    useAnalysisStore().clear();
    useTaxonomyStore().clear();
  }

  async function signIn(username: string, password: string) {
    const who = await api.signIn(username, password);
    forgetShownData();
    user.value = who;
    locked.value = false;
  }

  async function unlock(password: string) {
    user.value = await api.resume(password);
    locked.value = false;
  }

  async function signOut() {
    await api.signOut().catch(() => undefined);
    user.value = null;
    forgetShownData();
    locked.value = false;
    // The next user starts at the map, not on whatever page was left open.
    await router.replace("/");
  }

  async function setupAdministrator(username: string, displayName: string, password: string) {
    await api.setupAdministrator(username, displayName, password);
    needsAdministrator.value = false;
    await signIn(username, password);
  }

  /** Locks the screen (after the idle time with no input); the backend refuses meanwhile anyway. */
  function lock() {
    if (user.value) locked.value = true;
  }

  return { user, needsAdministrator, locked, checked, startError, signedIn, can, check, signIn, unlock, signOut, setupAdministrator, lock };
});
