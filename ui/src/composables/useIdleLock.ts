import { onMounted, onUnmounted } from "vue";

/** Input events that count as activity. */
const ACTIVITY = ["pointerdown", "keydown", "wheel", "pointermove"] as const;

/**
 * Calls `lock` once no input has happened for `minutes()` minutes (checked every `checkMs`), so that a screen
 * left alone hides what it shows. The backend enforces the same timeout on every call.
 */
export function useIdleLock(minutes: () => number | null, lock: () => void, checkMs = 15_000) {
  let last = Date.now();
  const touch = () => {
    last = Date.now();
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
