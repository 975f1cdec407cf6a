import { onMounted, onUnmounted, ref } from "vue";

const FORMAT = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  weekday: "short",
});

/** `2026/11/30 周一 07:05:09`: the time in Beijing (UTC+8), whatever the workstation's time zone. */
export function formatBeijingTime(at: Date): string {
  const parts = Object.fromEntries(FORMAT.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.weekday} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A clock that ticks every second while the component is mounted. */
export function useBeijingClock() {
  const now = ref(formatBeijingTime(new Date()));
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = formatBeijingTime(new Date())), 1000);
  });
  onUnmounted(() => clearInterval(timer));
  return now;
}
