// The working-day cutoffs the reminders query uses agree with the calendar's workingDaysBetween.
import { describe, expect, it } from "vitest";
import { addWorkingDays, fromAstana, workingDaysBetween } from "../../domain/calendar.ts";
import { REMINDER_STAGES, workingDayStarts } from "../../domain/reminders.ts";

describe("workingDayStarts", () => {
  it("an instant has waited more than d working days exactly when it is before element d, and the count of later elements is its working days", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (const now of [
      fromAstana(2026, 1, 5, 9, 30)!, // after the New Year holidays
      fromAstana(2026, 3, 23, 0, 5)!, // Nauryz, just after local midnight
      fromAstana(2025, 12, 31, 23, 59)!,
      new Date("2026-06-14T12:00:00Z"), // a Sunday
    ]) {
      const starts = workingDayStarts(now);
      expect(starts.length).toBeGreaterThan(500);
      for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeLessThan(starts[i - 1]!);
      for (let k = 0; k < 400; k++) {
        const a = new Date(now.getTime() - rnd() * 400 * 86_400_000);
        const days = workingDaysBetween(a, now);
        expect(starts.filter((s) => s > a.getTime()).length).toBe(days);
        for (const d of [0, 1, 2, 5, 10]) expect(a.getTime() < starts[d]!).toBe(days > d);
      }
    }
  });

  it("agrees with addWorkingDays at the thresholds the reminders test uses", () => {
    const start = fromAstana(2026, 2, 10, 15, 0)!;
    for (const n of [2, 3, 5, 6]) {
      const now = addWorkingDays(start, n);
      const starts = workingDayStarts(now);
      expect(start.getTime() < starts[n - 1]!).toBe(true);
      expect(start.getTime() < starts[n]!).toBe(false);
    }
  });

  it("the input table names each waiting status once", () => {
    const statuses = REMINDER_STAGES.map((s) => s.status);
    expect(new Set(statuses).size).toBe(statuses.length);
  });
});
