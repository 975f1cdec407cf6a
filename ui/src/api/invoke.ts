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

/** Calls a backend command; every failure becomes an {@link ApiError}. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isErrorDto(e)) throw new ApiError(e.code, e.message, e.details ?? []);
    throw new ApiError("ipc.failed", typeof e === "string" ? e : String(e));
  }
}
