import { describe, expect, it } from "vitest";

import { addDays, beijingToday, isWorking, monthWeeks, mondayOf, noticeByDay, turnOn, weekday } from "../src/duty/calendar";

describe("the duty calendars' day arithmetic", () => {
  it("lays out October 2026 as five Monday-first weeks", () => {
    const weeks = monthWeeks(2026, 10);
    expect(weeks.length).toBe(5);
    expect(weeks[0][0]).toBe("2026-09-28"); // 2026-10-01 is a Thursday
    expect(weeks[4][6]).toBe("2026-11-01");
    expect(weeks.flat().filter((d) => d.startsWith("2026-10")).length).toBe(31);
  });

  it("crosses months, years and leap days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(weekday("2026-12-07")).toBe(0);
    expect(mondayOf("2026-12-13")).toBe("2026-12-07");
    expect(monthWeeks(2027, 2).length).toBe(4); // February 2027 starts on a Monday
  });

  it("reads the notice's days off and make-up workdays before the weekday", () => {
    const notices = noticeByDay([
      { date: "2026-10-05", kind: "day_off", kind_label: "休", festival: "国庆节", weekday: "周一" },
      { date: "2026-10-10", kind: "make_up_workday", kind_label: "班", festival: "国庆节", weekday: "周六" },
    ]);
    expect(isWorking("2026-10-05", notices)).toBe(false);
    expect(isWorking("2026-10-10", notices)).toBe(true);
    expect(isWorking("2026-10-11", notices)).toBe(false);
    expect(isWorking("2026-10-12", notices)).toBe(true);
  });

  it("tells Beijing's day whatever the workstation's zone", () => {
    expect(beijingToday(new Date("2026-12-07T16:30:00Z"))).toBe("2026-12-08");
    expect(beijingToday(new Date("2026-12-07T15:59:59Z"))).toBe("2026-12-07");
  });

  it("finds the turn covering a day", () => {
    const turn = (id: string, starts_on: string, ends_on: string) => ({
      id, alliance_code: "CG-01", alliance: "", organisation_id: "", organisation: id, starts_on, ends_on,
      manual: false, reason: "", version: 1,
    });
    const turns = [turn("a", "2026-12-07", "2026-12-13"), turn("b", "2026-12-14", "2026-12-20")];
    expect(turnOn(turns as never, "2026-12-13")?.id).toBe("a");
    expect(turnOn(turns as never, "2026-12-14")?.id).toBe("b");
    expect(turnOn(turns as never, "2026-12-21")).toBeUndefined();
  });
});
