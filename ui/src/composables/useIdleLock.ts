import { onMounted, onUnmounted } from "vue";

/** Input events that count as activity. */
const ACTIVITY = ["pointerdown", "keydown", "wheel", "pointermove"] as const;

/** Input is reported to the backend at most this often (its idle timeout is counted in minutes). */
export const REPORT_EVERY_MS = 60_000;

/**
 * Calls `lock` once no input has happened for `minutes()` minutes (checked every `checkMs`), so that a screen
 * left alone hides what it shows. The backend enforces the same timeout on every call and renews a session
 * only when told of input: `report` is called on input, at most once every {@link REPORT_EVERY_MS}.
 */
export function useIdleLock(
  minutes: () => number | null,
  lock: () => void,
  report: () => void = () => undefined,
  checkMs = 15_000,
) {
  let last = Date.now();
  let reported = 0;
  const touch = () => {
    last = Date.now();
    if (last - reported >= REPORT_EVERY_MS) {
      reported = last;
      report();
    }
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    ACTIVITY.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    timer = setInterval(() => {
      const m = minutes();
      if (m !== null && Date.now() - last > m * 60_000) lock();
    }, checkMs);
  });
  onUnmounted(() => {
    ACTIVITY.forEach((e) => window.removeEventListener(e, touch));
    clearInterval(timer);
  });
  return { touch };
}
