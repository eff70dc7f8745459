// The deadline calculator over every service card, channel and operation in the data.
import { describe, expect, it } from "vitest";
import { astanaParts, fromAstana, isWorkingDay, workingDaysBetween } from "../../domain/calendar.ts";
import { CARDS } from "../../domain/licensing/data/index.ts";
import {
  canComputeDeadlines,
  computeDeadlines,
  type DeadlineResult,
  mainPath,
} from "../../domain/licensing/deadlines.ts";

const at = (y: number, m: number, d: number, h = 12, mi = 0): Date => {
  const date = fromAstana(y, m, d, h, mi);
  if (!date) throw new Error("bad test date");
  return date;
};
const local = (d: Date | null): string | null => {
  if (!d) return null;
  const p = astanaParts(d);
  const z = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${z(p.month)}-${z(p.day)} ${z(p.hour)}:${z(p.minute)}`;
};
const minutesOfDay = (d: Date) => {
  const p = astanaParts(d);
  return p.hour * 60 + p.minute;
};
/** Inside working time, or exactly at the end of a segment (13:00, 18:00). */
const inWorkingTime = (d: Date) => {
  const m = minutesOfDay(d);
  return isWorkingDay(d) && ((m >= 540 && m <= 780) || (m >= 840 && m <= 1080));
};

function compute(cardId: string, op: string, submitted: Date): DeadlineResult {
  const r = computeDeadlines(cardId, op as never, submitted);
  if (!r.ok) throw new Error(`${cardId}/${op}: ${r.error.code}`);
  return r.value;
}

/** Weekdays in working hours, an evening, a weekend, before New Year, before Nauryz, around transfer days. */
const SUBMISSIONS: [string, Date][] = [
  ["weekday morning", at(2026, 6, 2, 10, 30)],
  ["weekday evening", at(2026, 6, 2, 19, 45)],
  ["lunch", at(2026, 6, 3, 13, 20)],
  ["Saturday", at(2026, 6, 6, 11)],
  ["before New Year", at(2026, 12, 25, 10, 30)],
  ["before Nauryz", at(2026, 3, 19, 16)],
  ["before the 2025 transfer Sunday", at(2024, 12, 31, 17)],
  ["on the 2025 transfer Sunday", at(2025, 1, 5, 10)],
  ["before the May 2024 transfer", at(2024, 5, 3, 15)],
];

describe("every card, channel and operation", () => {
  const cases = CARDS.flatMap((c) => c.operations.map((o) => [c.id, o.id] as const));

  it("covers the 16 cards of the data (AKT, NKO, EKO; medical, pharmaceutical, narcotics, PHC)", () => {
    expect(CARDS).toHaveLength(16);
    expect(new Set(CARDS.map((c) => c.service))).toEqual(
      new Set(["medical", "pharmaceutical", "narcotics", "phc"]),
    );
    expect(new Set(CARDS.map((c) => c.channel))).toEqual(new Set(["office", "con", "portal"]));
    expect(cases.length).toBeGreaterThanOrEqual(44);
  });

  for (const [cardId, op] of cases) {
    it(`${cardId} / ${op}: steps in order, staff steps in working time, the stated total to 18:00`, () => {
      for (const [, submitted] of SUBMISSIONS) {
        const r = compute(cardId, op, submitted);
        expect(r.regulation.repealed.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(inWorkingTime(r.acceptedAt)).toBe(true);
        expect(r.steps.map((s) => s.step.n)).toEqual(mainPath(r.operation).map((s) => s.n));
        let prev = submitted.getTime();
        for (const s of r.steps) {
          if (!s.dueAt) continue;
          expect(s.dueAt.getTime()).toBeGreaterThanOrEqual(prev);
          expect(s.dueAt.getTime()).toBeGreaterThanOrEqual(s.startsAt.getTime());
          if (s.clock === "working") expect(inWorkingTime(s.dueAt)).toBe(true);
          prev = s.dueAt.getTime();
        }
        if (r.stated) {
          expect(r.stated.total.unit).toBe("workingDays");
          expect(minutesOfDay(r.stated.dueAt)).toBe(18 * 60);
          expect(isWorkingDay(r.stated.dueAt)).toBe(true);
          expect(workingDaysBetween(r.acceptedAt, r.stated.dueAt)).toBe(r.stated.total.value);
          expect(r.resultDueAt).toEqual(r.stated.dueAt);
        } else if (r.hasTimeline) {
          expect(r.resultDueAt).toEqual(r.chainDueAt);
        }
        if (r.resultDueAt) expect(r.resultWorkingDays).toBe(workingDaysBetween(submitted, r.resultDueAt));
        else expect(cardId).toBe("nko-med-portal");
      }
    });
  }
});

describe("expected values", () => {
  it("NKO office, issue, Friday 25.12.2026 10:30: 2 + 11 working days across New Year → 18.01.2027 13:00", () => {
    const r = compute("nko-med-office", "issue", at(2026, 12, 25, 10, 30));
    expect(r.steps.map((s) => local(s.dueAt))).toEqual([
      "2026-12-25 10:45",
      "2026-12-25 11:45",
      "2026-12-29 11:45", // 3а: 2 working days (Monday, Tuesday)
      "2027-01-18 11:45", // 3б: 11 working days; 1–2, 4 (moved), 7 January are off
      "2027-01-18 12:45",
      "2027-01-18 13:00", // up to 15 minutes, ends at the lunch break
    ]);
    expect(r.stated).toBeNull();
    expect(r.sum).toEqual({ workingDays: 13, minutes: 150 });
    expect(local(r.resultDueAt)).toBe("2027-01-18 13:00");
  });

  it("NKO ЦОН adds the ЦОН steps (1 working day of courier transfer) and counts untimed steps as 0", () => {
    const r = compute("nko-med-con", "duplicate", at(2026, 6, 2, 10));
    expect(r.untimedSteps).toEqual(["Ц1", "Ц3"]);
    // 5 + 5 min, 1 wd, 15 + 60 min, 3 h, 60 + 15 min, 15 min
    expect(r.sum).toEqual({ workingDays: 1, minutes: 355 });
    expect(local(r.resultDueAt)).toBe("2026-06-03 16:55");
  });

  it("AKT portal, issue, Monday 16.03.2026: 15 working days across Nauryz → 09.04.2026 18:00", () => {
    const r = compute("akt-med-portal", "issue", at(2026, 3, 16, 10));
    expect(local(r.stated!.dueAt)).toBe("2026-04-09 18:00");
    expect(r.chainExceedsStated).toBe(false);
    // the applicant's and the systems' steps run in calendar time: 15 s + 1.5 + 1.5 min + 15 s + 1.5 + 1.5 min
    expect(r.steps[0]!.clock).toBe("calendar");
    expect(local(r.steps.at(-2)!.dueAt)).toBe("2026-03-16 10:06");
    expect(r.resultWorkingDays).toBe(15);
  });

  it("AKT ЦОН re-issue and duplicate: 10 and 2 working days", () => {
    expect(local(compute("akt-med-con", "reissue", at(2026, 6, 2, 10)).resultDueAt)).toBe("2026-06-16 18:00");
    expect(local(compute("akt-med-con", "duplicate", at(2026, 6, 2, 10)).resultDueAt)).toBe(
      "2026-06-04 18:00",
    );
  });

  it("EKO ЦОН duplicate handed in on Saturday 04.01.2025 counts from the transfer Sunday → 08.01.2025 18:00", () => {
    const r = compute("eko-med-con", "duplicate", at(2025, 1, 4, 12));
    expect(local(r.acceptedAt)).toBe("2025-01-05 09:00");
    expect(local(r.resultDueAt)).toBe("2025-01-08 18:00"); // 6 and 8 January (7: Christmas)
  });

  it("EKO portal in the evening counts from the next working morning: 30.12.2026 19:00 → 26.01.2027 18:00", () => {
    const r = compute("eko-nar-portal", "issue", at(2026, 12, 30, 19));
    expect(local(r.acceptedAt)).toBe("2026-12-31 09:00");
    expect(r.hasTimeline).toBe(false);
    expect(local(r.resultDueAt)).toBe("2027-01-26 18:00");
  });

  it("EKO office duplicate: 15 + 15 min + 7 h 45 min spills 15 minutes into the next day, then 1 working day", () => {
    const r = compute("eko-pha-office", "duplicate", at(2026, 6, 1, 9));
    expect(r.steps.map((s) => local(s.dueAt))).toEqual([
      "2026-06-01 09:15",
      "2026-06-01 09:30",
      "2026-06-02 09:15",
      "2026-06-03 09:15",
    ]);
    expect(r.sum).toEqual({ workingDays: 1, minutes: 495 });
  });

  it("EKO office issue waits 10 working days for the state body (SES conclusion)", () => {
    const r = compute("eko-med-office", "issue", at(2026, 6, 1, 9));
    const body = r.steps.find((s) => s.step.actorKind === "stateBody")!;
    expect(body.step.duration?.to).toEqual({ value: 10, unit: "workingDays" });
    expect(r.sum.workingDays).toBe(14);
  });

  it("PHC attachment via ПЭП: within one working day of registration", () => {
    const r = compute("akt-phc-portal", "attach", at(2026, 6, 5, 17, 30));
    expect(r.stated).toBeNull();
    expect(local(r.resultDueAt)).toBe("2026-06-08 17:34"); // Friday 17:34 + 8 working hours
  });

  it("NKO portal has no timeline in the source", () => {
    const r = compute("nko-med-portal", "issue", at(2026, 6, 2, 10));
    expect(r.hasTimeline).toBe(false);
    expect(r.stated).toBeNull();
    expect(r.resultDueAt).toBeNull();
  });

  it("carries the calendar years it relied on and `estimated` when any is not official", () => {
    const across = compute("akt-med-portal", "issue", at(2026, 12, 25, 10));
    expect(across.calendar.map((c) => [c.year, c.status])).toEqual([
      [2026, "official"],
      [2027, "estimated"],
    ]);
    expect(across.estimated).toBe(true);
    const within = compute("akt-med-portal", "issue", at(2026, 6, 2, 10));
    expect(within.calendar.map((c) => c.year)).toEqual([2026]);
    expect(within.estimated).toBe(false);
    // a submission on 31 December evening is accepted in the next year: that year counts too
    expect(compute("nko-med-office", "duplicate", at(2025, 12, 31, 19)).calendar.map((c) => c.year)).toEqual([
      2025, 2026,
    ]);
    const unknown = compute("akt-med-portal", "duplicate", at(2031, 6, 2, 10));
    expect(unknown.calendar[0]!.status).toBe("unknown");
    expect(unknown.estimated).toBe(true);
    // no timeline at all: the submission year alone
    expect(compute("nko-med-portal", "issue", at(2027, 2, 1, 10))).toMatchObject({
      calendar: [{ year: 2027, status: "estimated" }],
      estimated: true,
    });
  });

  it("offers the calculator only where the regulation gives a duration or a stated total (not the NKO portal)", () => {
    const without = CARDS.flatMap((c) =>
      c.operations.filter((o) => !canComputeDeadlines(o)).map((o) => `${c.id}/${o.id}`),
    );
    expect(without).toEqual(["nko-med-portal/issue", "nko-med-portal/reissue", "nko-med-portal/duplicate"]);
    for (const card of CARDS) {
      for (const op of card.operations) {
        const r = compute(card.id, op.id, at(2026, 6, 2, 10));
        expect(canComputeDeadlines(op), `${card.id}/${op.id}`).toBe(r.resultDueAt !== null);
      }
    }
  });

  it("rejects an unknown card, an operation the card does not have and an invalid date", () => {
    expect(computeDeadlines("nope", "issue", at(2026, 6, 2))).toEqual({
      ok: false,
      error: { code: "unknown_card" },
    });
    expect(computeDeadlines("akt-phc-portal", "issue", at(2026, 6, 2))).toEqual({
      ok: false,
      error: { code: "unknown_operation" },
    });
    expect(computeDeadlines("akt-med-portal", "issue", new Date(Number.NaN))).toEqual({
      ok: false,
      error: { code: "invalid_date" },
    });
  });
});
