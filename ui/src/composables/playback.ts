/** Time playback: the windows a range is stepped through, one day or one ISO week (Monday to Sunday) at a time. */

export type PlaybackStep = "day" | "week";

/** One frame: the first and last day it shows (`YYYY-MM-DD`, both included). */
export interface PlaybackFrame {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

function parse(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The frames from `from` to `to` (calendar days, both included): days, or weeks starting on the Monday on or
 * before `from`, the last one cut at `to`. At most `limit` frames (the latest ones), so a mistaken range cannot
 * freeze the window. Empty when `to` is before `from`.
 */
export function playbackFrames(from: string, to: string, step: PlaybackStep, limit = 400): PlaybackFrame[] {
  let start = parse(from);
  const end = parse(to);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return [];
  const width = step === "day" ? 1 : 7;
  if (step === "week") start -= ((new Date(start).getUTCDay() + 6) % 7) * DAY_MS;
  const frames: PlaybackFrame[] = [];
  for (let t = start; t <= end; t += width * DAY_MS) {
    frames.push({ from: format(Math.max(t, parse(from))), to: format(Math.min(t + (width - 1) * DAY_MS, end)) });
  }
  return frames.slice(-limit);
}
