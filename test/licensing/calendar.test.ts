// The Kazakhstan working-day calendar (domain/calendar.ts + domain/data/kz-calendar.json).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  addWorkingHours,
  astanaDateKey,
  astanaParts,
  calendarBasis,
  calendarYearInfo,
  calendarYearStatus,
  calendarYears,
  describeDay,
  endOfWorkingDay,
  fromAstana,
  isWorkingDay,
  nextWorkingTime,
  workingDayMinutes,
  workingDaysBetween,
  workingDaysDeadline,
} from "../../domain/calendar.ts";
import calendarData from "../../domain/data/kz-calendar.json" with { type: "json" };

/** An Astana wall-clock instant. */
const at = (y: number, m: number, d: number, h = 12, mi = 0): Date => {
  const date = fromAstana(y, m, d, h, mi);
  if (!date) throw new Error("bad test date");
  return date;
};
/** "YYYY-MM-DD HH:MM" in Astana time. */
const local = (d: Date): string => {
  const p = astanaParts(d);
  const z = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${z(p.month)}-${z(p.day)} ${z(p.hour)}:${z(p.minute)}`;
};

function yearCounts(year: number): { working: number; rest: number } {
  let working = 0;
  let rest = 0;
  for (let d = at(year, 1, 1); astanaParts(d).year === year; d = new Date(d.getTime() + 86_400_000)) {
    if (isWorkingDay(d)) working++;
    else rest++;
  }
  return { working, rest };
}

describe("calendar data", () => {
  it("covers 2023–2027, each year official or estimated with its source; other years are unknown", () => {
    expect(calendarYears()).toEqual([2023, 2024, 2025, 2026, 2027]);
    for (const y of calendarYears()) {
      const info = calendarYearInfo(y);
      expect(["official", "estimated"]).toContain(info.status);
      expect(info.status).toBe(calendarYearStatus(y));
      expect(info.source).toBeTruthy();
      // an estimated year says what it waits for; an official one waits for nothing
      if (info.status === "estimated") expect(info.pending.length).toBeGreaterThan(0);
      else expect(info.pending).toEqual([]);
    }
    expect([2023, 2024, 2025, 2026].map(calendarYearStatus)).toEqual([
      "official",
      "official",
      "official",
      "official",
    ]);
    expect(calendarYearInfo(2027)).toMatchObject({
      status: "estimated",
      pending: ["transfers", "kurbanAit"],
    });
    expect(calendarYearStatus(2031)).toBe("unknown");
    expect(calendarYearInfo(2031)).toEqual({ year: 2031, status: "unknown", pending: [], source: null });
  });

  it("gives every holiday that holds only from or until a year its source (DECISIONS 29)", () => {
    const bounded = calendarData.lawHolidays.list.filter((h) => "since" in h || "until" in h);
    expect(bounded.map((h) => [h.md, h.id])).toEqual([
      ["03-15", "constitution_day"],
      ["08-30", "constitution_day"],
    ]);
    for (const h of bounded) expect((h as { source?: string }).source).toMatch(/DECISIONS 29/);
  });

  it("reports the years a computation relied on and whether any is not official", () => {
    expect(calendarBasis(at(2026, 6, 1), at(2026, 7, 1))).toMatchObject({
      years: [{ year: 2026, status: "official" }],
      estimated: false,
    });
    const across = calendarBasis(at(2026, 12, 25), null, at(2027, 1, 20));
    expect(across.years.map((y) => [y.year, y.status])).toEqual([
      [2026, "official"],
      [2027, "estimated"],
    ]);
    expect(across.estimated).toBe(true);
    expect(calendarBasis(at(2031, 6, 2)).estimated).toBe(true); // unknown counts as not official
    expect(calendarBasis(at(2027, 1, 20), at(2025, 12, 31)).years.map((y) => y.year)).toEqual([
      2025, 2026, 2027,
    ]);
  });

  it("lists transfers as a weekday made a day off and a weekend day made a working day, Kurban ait in its year", () => {
    for (const [year, y] of Object.entries(calendarData.years)) {
      expect(y.kurbanAit.startsWith(`${year}-`)).toBe(true);
      for (const t of y.transfers) {
        const off = new Date(`${t.dayOff}T12:00:00+05:00`).getUTCDay();
        const work = new Date(`${t.workingDay}T12:00:00+05:00`).getUTCDay();
        expect([1, 2, 3, 4, 5]).toContain(off);
        expect([0, 6]).toContain(work);
      }
    }
  });

  it("matches the published totals: 2025 has 119 rest days; 2026 the published 246 working days + 31 August (DECISIONS 29)", () => {
    expect(yearCounts(2025).rest).toBe(119);
    // published in 2025: 246 working, 119 rest; DECISIONS 29 returns Monday 31.08.2026 (the moved 30 August)
    expect(yearCounts(2026)).toEqual({ working: 247, rest: 118 });
  });

  it("never reads the clock", () => {
    const src = readFileSync(new URL("../../domain/calendar.ts", import.meta.url), "utf8");
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)/);
  });
});

describe("isWorkingDay", () => {
  it("knows the fixed holidays and the weekend", () => {
    expect(isWorkingDay(at(2026, 1, 1))).toBe(false);
    expect(isWorkingDay(at(2026, 3, 8))).toBe(false); // Sunday + holiday
    expect(isWorkingDay(at(2026, 5, 1))).toBe(false);
    expect(isWorkingDay(at(2026, 12, 16))).toBe(false);
    expect(isWorkingDay(at(2026, 12, 17))).toBe(true); // 17 December is no longer a holiday
    expect(isWorkingDay(at(2026, 12, 26))).toBe(false); // Saturday
  });

  it("moves a holiday falling on a weekend to the next working day (Nauryz 2026: 24 and 25 March off)", () => {
    expect(isWorkingDay(at(2026, 3, 23))).toBe(false);
    expect(isWorkingDay(at(2026, 3, 24))).toBe(false);
    expect(isWorkingDay(at(2026, 3, 25))).toBe(false);
    expect(isWorkingDay(at(2026, 3, 26))).toBe(true);
    expect(describeDay(at(2026, 3, 24))).toMatchObject({ kind: "holiday_moved", holiday: { id: "nauryz" } });
    expect(isWorkingDay(at(2026, 3, 9))).toBe(false); // 8 March on a Sunday
    expect(isWorkingDay(at(2027, 1, 4))).toBe(false); // 2 January 2027 on a Saturday
  });

  it("does not move the religious days (Orthodox Christmas, Kurban ait) off a weekend", () => {
    expect(isWorkingDay(at(2024, 1, 7))).toBe(false); // Sunday
    expect(isWorkingDay(at(2024, 1, 8))).toBe(true);
    expect(isWorkingDay(at(2024, 6, 16))).toBe(false); // Kurban ait on a Sunday
    expect(isWorkingDay(at(2024, 6, 17))).toBe(true);
    expect(describeDay(at(2026, 5, 27))).toMatchObject({ kind: "holiday", holiday: { id: "kurban_ait" } });
    expect(isWorkingDay(at(2026, 5, 27))).toBe(false); // Wednesday
  });

  it("applies the government's transfer days", () => {
    expect(isWorkingDay(at(2025, 1, 3))).toBe(false); // Friday made a day off
    expect(isWorkingDay(at(2025, 1, 5))).toBe(true); // Sunday made a working day
    expect(describeDay(at(2025, 1, 5)).kind).toBe("transfer_working");
    expect(isWorkingDay(at(2024, 5, 8))).toBe(false);
    expect(isWorkingDay(at(2024, 5, 4))).toBe(true);
    expect(isWorkingDay(at(2023, 7, 7))).toBe(false);
    expect(isWorkingDay(at(2023, 7, 1))).toBe(true);
  });

  it("decides by the Astana date of the instant, not the UTC date", () => {
    // 2026-03-23T19:30Z is 24 March 00:30 in Astana (a moved Nauryz day); 2026-03-25T19:30Z is 26 March.
    expect(isWorkingDay(new Date("2026-03-25T18:59:00Z"))).toBe(false);
    expect(isWorkingDay(new Date("2026-03-25T19:00:00Z"))).toBe(true);
  });

  it("uses UTC+6 before 1 March 2024 and UTC+5 since", () => {
    expect(at(2023, 7, 3, 9).toISOString()).toBe("2023-07-03T03:00:00.000Z");
    expect(at(2024, 3, 4, 9).toISOString()).toBe("2024-03-04T04:00:00.000Z");
    expect(astanaDateKey(new Date("2024-02-29T18:30:00Z"))).toBe("2024-02-29"); // 23:30 at +5 after the switch
    expect(fromAstana(2026, 2, 30)).toBeNull();
  });
});

describe("addWorkingDays / workingDaysBetween", () => {
  it("crosses New Year: 31.12.2025 + 1 → 05.01.2026; 31.12.2026 + 1 → 05.01.2027", () => {
    expect(local(addWorkingDays(at(2025, 12, 31, 10), 1))).toBe("2026-01-05 10:00");
    expect(local(addWorkingDays(at(2026, 12, 31, 10), 1))).toBe("2027-01-05 10:00");
    expect(workingDaysBetween(at(2025, 12, 31, 10), at(2026, 1, 5, 10))).toBe(1);
  });

  it("crosses Nauryz: Friday 20.03.2026 + 1 → Thursday 26.03.2026", () => {
    expect(local(addWorkingDays(at(2026, 3, 20, 11, 15), 1))).toBe("2026-03-26 11:15");
    expect(workingDaysBetween(at(2026, 3, 20), at(2026, 3, 31))).toBe(4); // 26, 27, 30, 31
  });

  it("counts a transfer working day: 31.12.2024 + 1 → Sunday 05.01.2025, + 3 → 08.01.2025", () => {
    expect(local(addWorkingDays(at(2024, 12, 31, 15), 1))).toBe("2025-01-05 15:00");
    expect(local(addWorkingDays(at(2024, 12, 31, 15), 2))).toBe("2025-01-06 15:00");
    expect(local(addWorkingDays(at(2024, 12, 31, 15), 3))).toBe("2025-01-08 15:00"); // 7 January: Christmas
    expect(local(addWorkingDays(at(2024, 5, 3, 10), 1))).toBe("2024-05-04 10:00");
    expect(local(addWorkingDays(at(2024, 5, 3, 10), 3))).toBe("2024-05-10 10:00"); // 7, 8 (transfer), 9 off
  });

  it("starts after a weekend or holiday start and goes backwards for negative n", () => {
    expect(local(addWorkingDays(at(2026, 12, 26, 10), 1))).toBe("2026-12-28 10:00"); // Saturday → Monday
    expect(local(addWorkingDays(at(2026, 3, 26, 10), -1))).toBe("2026-03-20 10:00");
    expect(addWorkingDays(at(2026, 6, 1), 0).getTime()).toBe(at(2026, 6, 1).getTime());
    expect(workingDaysBetween(at(2026, 3, 26), at(2026, 3, 20))).toBe(-1);
    expect(workingDaysBetween(at(2026, 6, 1, 9), at(2026, 6, 1, 17))).toBe(0);
    expect(() => addWorkingDays(at(2026, 6, 1), 1.5)).toThrow(RangeError);
  });

  it("are inverse of each other across 2023–2027 (sampled; backwards from a working day)", () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const from = at(2023, 1, 1).getTime();
    const span = at(2027, 10, 1).getTime() - from;
    for (let i = 0; i < 300; i++) {
      const a = new Date(from + Math.floor(rnd() * span));
      const n = Math.floor(rnd() * 30);
      const b = addWorkingDays(a, n);
      expect(workingDaysBetween(a, b)).toBe(n);
      if (n !== 0) expect(isWorkingDay(b)).toBe(true);
      if (isWorkingDay(a)) expect(workingDaysBetween(addWorkingDays(a, -n), a)).toBe(n);
    }
  });
});

describe("addWorkingHours", () => {
  it("skips lunch, evenings, weekends and holidays", () => {
    expect(local(addWorkingHours(at(2026, 6, 2, 12, 30), 1))).toBe("2026-06-02 14:30");
    expect(local(addWorkingHours(at(2026, 6, 5, 17), 2))).toBe("2026-06-08 10:00"); // Friday → Monday
    expect(local(addWorkingHours(at(2026, 6, 6, 10), 1))).toBe("2026-06-08 10:00"); // Saturday start
    expect(local(addWorkingHours(at(2026, 6, 2, 20), 0, 15))).toBe("2026-06-03 09:15");
    expect(local(addWorkingHours(at(2026, 3, 20, 17, 30), 1))).toBe("2026-03-26 09:30"); // Nauryz
    expect(local(addWorkingHours(at(2025, 12, 31, 17), 2))).toBe("2026-01-05 10:00"); // New Year
    expect(local(addWorkingHours(at(2024, 12, 31, 17), 2))).toBe("2025-01-05 10:00"); // transfer Sunday
  });

  it("ends at 13:00 or 18:00 when the time runs out exactly there", () => {
    expect(local(addWorkingHours(at(2026, 6, 2, 9), 8))).toBe("2026-06-02 18:00");
    expect(local(addWorkingHours(at(2026, 6, 2, 9), 4))).toBe("2026-06-02 13:00");
    expect(local(addWorkingHours(at(2026, 6, 2, 9), 7, 45))).toBe("2026-06-02 17:45");
    expect(workingDayMinutes()).toBe(480);
  });

  it("keeps a zero amount and rejects a negative one", () => {
    const s = at(2026, 6, 6, 10);
    expect(addWorkingHours(s, 0).getTime()).toBe(s.getTime());
    expect(() => addWorkingHours(s, -1)).toThrow(RangeError);
  });

  it("takes other working hours (no lunch: a 9-hour day)", () => {
    const noLunch = { start: 9 * 60, end: 18 * 60, lunchStart: null, lunchEnd: null };
    expect(local(addWorkingHours(at(2026, 6, 2, 12, 30), 1, 0, noLunch))).toBe("2026-06-02 13:30");
    expect(workingDayMinutes(noLunch)).toBe(540);
  });
});

describe("deadline helpers", () => {
  it("nextWorkingTime / endOfWorkingDay / workingDaysDeadline", () => {
    expect(local(nextWorkingTime(at(2026, 12, 25, 19)))).toBe("2026-12-28 09:00");
    expect(local(nextWorkingTime(at(2026, 6, 2, 13, 20)))).toBe("2026-06-02 14:00");
    expect(nextWorkingTime(at(2026, 6, 2, 10)).getTime()).toBe(at(2026, 6, 2, 10).getTime());
    expect(local(endOfWorkingDay(at(2026, 6, 2, 10)))).toBe("2026-06-02 18:00");
    // 15 working days from Friday 25.12.2026: the period ends at 18:00 on Wednesday 20.01.2027.
    expect(local(workingDaysDeadline(at(2026, 12, 25, 10, 30), 15))).toBe("2027-01-20 18:00");
    expect(local(workingDaysDeadline(at(2026, 12, 26, 10), 0))).toBe("2026-12-28 18:00");
  });
});

describe("2026 and 2027 (DECISIONS 29)", () => {
  it("from 2026, 30 August is no holiday: Sunday 30.08.2026 moves nothing, Monday 31.08.2026 and Monday 30.08.2027 are working days", () => {
    expect(describeDay(at(2026, 8, 30)).kind).toBe("weekend");
    expect(isWorkingDay(at(2026, 8, 31))).toBe(true);
    expect(describeDay(at(2026, 8, 31)).kind).toBe("working");
    expect(isWorkingDay(at(2027, 8, 30))).toBe(true);
    expect(describeDay(at(2027, 8, 30)).kind).toBe("working");
    // until 2025 it was one: Saturday 30.08.2025 made Monday 01.09.2025 a day off
    expect(describeDay(at(2025, 8, 30))).toMatchObject({
      kind: "holiday",
      holiday: { id: "constitution_day" },
    });
    expect(describeDay(at(2025, 9, 1))).toMatchObject({
      kind: "holiday_moved",
      holiday: { id: "constitution_day" },
    });
    expect(isWorkingDay(at(2024, 8, 30))).toBe(false); // Friday
  });

  it("from 2027, 15 March is Constitution Day; in 2026 it is not (Monday 16.03.2026 is a working day)", () => {
    expect(isWorkingDay(at(2027, 3, 15))).toBe(false);
    expect(describeDay(at(2027, 3, 15))).toMatchObject({
      kind: "holiday",
      holiday: { id: "constitution_day", ru: "День Конституции Республики Казахстан" },
    });
    expect(describeDay(at(2026, 3, 15)).kind).toBe("weekend");
    expect(isWorkingDay(at(2026, 3, 16))).toBe(true);
    expect(isWorkingDay(at(2028, 3, 15))).toBe(false); // Wednesday, by the rule alone
  });

  it("2026 around the holidays: weekends, moved days and the days before and after", () => {
    const days = (y: number, m: number, from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => {
        const d = at(y, m, from + i);
        return `${astanaParts(d).day}:${describeDay(d).kind}`;
      });
    // 1–2 January (Thu–Fri), 3–4 weekend, 7 January (Wednesday)
    expect(days(2026, 1, 1, 8)).toEqual([
      "1:holiday",
      "2:holiday",
      "3:weekend",
      "4:weekend",
      "5:working",
      "6:working",
      "7:holiday",
      "8:working",
    ]);
    // 8 March on a Sunday → Monday 9 March off; Nauryz 21–22 on the weekend → 24 and 25 March off
    expect(days(2026, 3, 7, 10)).toEqual(["7:weekend", "8:holiday", "9:holiday_moved", "10:working"]);
    expect(days(2026, 3, 20, 26)).toEqual([
      "20:working",
      "21:holiday",
      "22:holiday",
      "23:holiday",
      "24:holiday_moved",
      "25:holiday_moved",
      "26:working",
    ]);
    // 9 May on a Saturday → Monday 11 May off; 25 October on a Sunday → Monday 26 October off
    expect(days(2026, 5, 7, 12)).toEqual([
      "7:holiday",
      "8:working",
      "9:holiday",
      "10:weekend",
      "11:holiday_moved",
      "12:working",
    ]);
    expect(days(2026, 10, 24, 27)).toEqual(["24:weekend", "25:holiday", "26:holiday_moved", "27:working"]);
  });

  it("2027 around the holidays: 2 January and 21 March on the weekend, 1 and 9 May on the weekend, no transfers yet", () => {
    const kinds = (...ds: [number, number][]) => ds.map(([m, d]) => describeDay(at(2027, m, d)).kind);
    expect(kinds([1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 7])).toEqual([
      "holiday",
      "holiday",
      "weekend",
      "holiday_moved",
      "working",
      "holiday",
    ]);
    // Nauryz: Sunday 21, Monday 22, Tuesday 23 → Wednesday 24 March off
    expect(kinds([3, 21], [3, 22], [3, 23], [3, 24], [3, 25])).toEqual([
      "holiday",
      "holiday",
      "holiday",
      "holiday_moved",
      "working",
    ]);
    // 1 May Saturday → Monday 3 May; 9 May Sunday → Monday 10 May; Kurban ait (estimate) Sunday 16 May, not moved
    expect(kinds([5, 1], [5, 3], [5, 7], [5, 9], [5, 10], [5, 16], [5, 17])).toEqual([
      "holiday",
      "holiday_moved",
      "holiday",
      "holiday",
      "holiday_moved",
      "holiday",
      "working",
    ]);
    expect(isWorkingDay(at(2027, 7, 6))).toBe(false); // Tuesday
    expect(isWorkingDay(at(2027, 10, 25))).toBe(false); // Monday
    expect(isWorkingDay(at(2027, 12, 16))).toBe(false); // Thursday
    expect(isWorkingDay(at(2027, 12, 17))).toBe(true);
  });

  it("counts working days across the changed days: 13.03.2027 + 1 → 16.03.2027; 28.08.2026 + 1 → 31.08.2026", () => {
    expect(local(addWorkingDays(at(2027, 3, 12, 10), 1))).toBe("2027-03-16 10:00");
    expect(local(addWorkingDays(at(2026, 8, 28, 10), 1))).toBe("2026-08-31 10:00");
    expect(workingDaysBetween(at(2027, 3, 12), at(2027, 3, 31))).toBe(9); // 16–19, 25–26, 29–31; 15 and 22–24 are off
    expect(local(workingDaysDeadline(at(2027, 3, 12, 15), 3))).toBe("2027-03-18 18:00");
  });
});
