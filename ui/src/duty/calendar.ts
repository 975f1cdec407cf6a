import type { HolidayDay } from "../bindings/HolidayDay";
import type { TurnView } from "../bindings/TurnView";

/**
 * The calendars' arithmetic on `YYYY-MM-DD` texts (Beijing calendar days, as the API sends them): no Date
 * objects cross a time zone here, so a day is the same day on every workstation.
 */

/** `YYYY-MM-DD` of a year, month (1–12) and day. */
export function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The day `n` days after `day` (UTC arithmetic on the date alone). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 for Monday … 6 for Sunday. */
export function weekday(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  return addDays(day, -weekday(day));
}

/** The weeks (Monday first) that show month `m` of year `y`: 4 to 6 rows of 7 days. */
export function monthWeeks(y: number, m: number): string[][] {
  const first = ymd(y, m, 1);
  const next = m === 12 ? ymd(y + 1, 1, 1) : ymd(y, m + 1, 1);
  const weeks: string[][] = [];
  for (let monday = mondayOf(first); monday < next; monday = addDays(monday, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));
  }
  return weeks;
}

/** The turn covering `day`, if any. */
export function turnOn(turns: TurnView[], day: string): TurnView | undefined {
  return turns.find((t) => t.starts_on <= day && day <= t.ends_on);
}

/** What a notice says of each day it names, by day. */
export function noticeByDay(days: HolidayDay[]): Map<string, HolidayDay> {
  return new Map(days.map((d) => [d.date, d]));
}

/** Whether a day is a working day: a notice's word first, else Monday–Friday. */
export function isWorking(day: string, notices: Map<string, HolidayDay>): boolean {
  const n = notices.get(day);
  if (n) return n.kind === "make_up_workday";
  return weekday(day) < 5;
}

const BEIJING_DAY = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric" });

/**
 * Today in Beijing, `YYYY-MM-DD`, whatever the workstation's time zone. Built from the parts: a locale's own
 * layout (en-CA's `YYYY-MM-DD`) is not shipped by every WebKit.
 */
export function beijingToday(at: Date = new Date()): string {
  const p = Object.fromEntries(BEIJING_DAY.formatToParts(at).map((x) => [x.type, x.value]));
  return ymd(Number(p.year), Number(p.month), Number(p.day));
}
