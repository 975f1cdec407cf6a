import { invoke } from "@tauri-apps/api/core";
import type { ErrorDto } from "../bindings/ErrorDto";

/** A failed command: the UI switches on `code`, shows `message`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function isErrorDto(value: unknown): value is ErrorDto {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

/** Error codes that concern the session as a whole (handled once, by the auth store), not the call. */
const SESSION_CODES = new Set([
  "auth.session_expired",
  "auth.sign_in_required",
  "auth.account_gone",
  "auth.session_ended",
  "auth.password_change_required",
]);
let sessionListener: ((e: ApiError) => void) | null = null;

/** Registers who hears of a lost or expired session (the auth store: it locks the screen or signs out). */
export function onSessionError(listener: (e: ApiError) => void) {
  sessionListener = listener;
}

/**
 * Calls the workstation API (`chengguan_app::api`, whose generated client is `bindings/api.ts`): the desktop runs
 * it in-process (local mode) or sends it to the town's server (LAN mode); the UI cannot tell which. Every failure
 * becomes an {@link ApiError}.
 */
export function call<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
  return shell<T>("api", { name, args });
}

/** Calls one of the desktop's own commands (its settings, its database); every failure becomes an {@link ApiError}. */
export async function shell<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  let error: ApiError;
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    error = isErrorDto(e)
      ? new ApiError(e.code, e.message, e.details ?? [])
      : new ApiError("ipc.failed", typeof e === "string" ? e : String(e));
  }
  if (SESSION_CODES.has(error.code)) sessionListener?.(error);
  throw error;
}

/** Bytes as base64, as the API carries files (`Upload`). */
export function toBase64(bytes: Uint8Array): string {
  let text = "";
  // In slices: String.fromCharCode takes at most some 100,000 arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
