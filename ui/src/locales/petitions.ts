/** Petition vocabulary: codes and Chinese labels come from the generated `bindings/vocabulary.ts` (declared once in
 * chengguan-core); only what is the UI's own (tag colours, the countdown's words) is written here. */

import type { StatusCode } from "../bindings/vocabulary";

export { CHANNEL_LABEL, LEVEL_LABEL, STATUS_LABEL, STEP_LABEL } from "../bindings/vocabulary";

export const STATUS_TAG: Record<StatusCode, "danger" | "warning" | "primary" | "success" | "info"> = {
  received: "danger",
  accepted: "warning",
  in_progress: "primary",
  resolved: "success",
  rated: "success",
  rejected: "info",
  merged: "info",
};

/** "剩 2 天 3 小时" / "超期 5 小时" from a deadline, at `now` (ms). */
export function countdown(deadline: string, now: number): { text: string; overdue: boolean } {
  const ms = Date.parse(deadline) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days} 天 ${hours} 小时` : hours > 0 ? `${hours} 小时 ${minutes} 分` : `${minutes} 分钟`;
  return ms >= 0 ? { text: `剩 ${span}`, overdue: false } : { text: `超期 ${span}`, overdue: true };
}
