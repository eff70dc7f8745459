// Stage deadlines in working days (Astana time), the instants the store's SQL uses, and the digest schedule.
import { describe, expect, it } from "vitest";
import { fromAstana, workingDaysBetween } from "../../domain/calendar.ts";
import {
  AGE_BUCKETS,
  ageBucketBounds,
  ageBucketOf,
  branchDigestSlot,
  breachCutoff,
  calendarWindow,
  DECISION_ACTIONS,
  DEFAULT_BRANCH_DIGEST,
  digestEventKey,
  FINAL_DECISION_ACTIONS,
  nextBranchDigest,
  nextStaffDigest,
  periodRange,
  SLA_STAGES,
  STAGE_HOLDER,
  STAGE_OF_STATUS,
  stageClock,
  stageDeadline,
  staffDigestSlot,
  statusesOfStage,
  uniformThresholds,
  validateBranchDigest,
  validateStaffDigest,
  validateThreshold,
  weekBounds,
} from "../../domain/sla.ts";
import { TRANSITIONS } from "../../domain/stateMachine.ts";
import type { Status } from "../../domain/types.ts";

const at = (y: number, m: number, d: number, h = 0, min = 0) => fromAstana(y, m, d, h, min)!;
const five = uniformThresholds(5);
const three = uniformThresholds(3);

// A deterministic pseudo-random sequence (no Math.random in a test that must fail reproducibly).
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const FROM = at(2025, 1, 1).getTime();
const SPAN = at(2027, 1, 1).getTime() - FROM;

describe("stages", () => {
  it("maps each open status to one stage and the stage's holder is the role that moves it on in the transition table", () => {
    for (const [status, stage] of Object.entries(STAGE_OF_STATUS) as [
      Status,
      (typeof SLA_STAGES)[number],
    ][]) {
      const moves = TRANSITIONS.filter((r) => r.from === status && r.to !== status);
      expect(moves.length, status).toBeGreaterThan(0);
      // the head's stage is moved on by its signer (the head, or an attorney where the row allows it): shown as the head
      for (const r of moves)
        expect(
          r.roles.map((x) => (x === "SIGNER" ? "HEAD" : x)),
          `${status} ${r.id}`,
        ).toEqual([STAGE_HOLDER[stage]]);
    }
    expect(SLA_STAGES.flatMap(statusesOfStage).sort()).toEqual(Object.keys(STAGE_OF_STATUS).sort());
    expect(statusesOfStage("CHECK")).toEqual(["AGREED_CHECK", "REJECTED_CHECK"]);
  });

  it("counts as staff decisions exactly the status-changing transitions of reviewer, checker and approver", () => {
    expect(DECISION_ACTIONS).toEqual({
      SEND_TO_CHECK: { role: "REVIEWER", returns: false },
      SEND_EXCLUSION_TO_CHECK: { role: "REVIEWER", returns: false },
      CHECKER_CONFIRM: { role: "CHECKER", returns: false },
      CHECKER_REFUSE: { role: "CHECKER", returns: true },
      APPROVER_APPROVE: { role: "APPROVER", returns: false },
      APPROVER_REFUSE: { role: "APPROVER", returns: true },
      APPROVE_EXCLUSION: { role: "APPROVER", returns: false },
    });
    expect([...FINAL_DECISION_ACTIONS].sort()).toEqual(["APPROVER_APPROVE", "APPROVE_EXCLUSION"]);
  });

  it("accepts thresholds of 1–60 working days for a known stage only", () => {
    expect(validateThreshold("REVIEW", 5)).toEqual([]);
    expect(validateThreshold("REVIEW", 0).map((e) => e.code)).toEqual(["sla_threshold_invalid"]);
    expect(validateThreshold("REVIEW", 2.5).map((e) => e.code)).toEqual(["sla_threshold_invalid"]);
    expect(validateThreshold("NOPE", 61).map((e) => e.code)).toEqual([
      "sla_stage_unknown",
      "sla_threshold_invalid",
    ]);
  });
});

describe("a stage's clock across a weekend and a holiday", () => {
  // Thu 2 July 2026 → Fri 3 (1), Sat–Sun, Mon 6 July = Capital Day (holiday), Tue 7 (2), Wed 8 (3).
  const since = at(2026, 7, 2, 10, 0);

  it("puts the deadline at 18:00 Astana of the third working day, skipping the weekend and the holiday", () => {
    expect(stageDeadline(since, 3)).toEqual(at(2026, 7, 8, 18, 0));
  });

  it("counts elapsed and remaining working days, and breaches only after 18:00 of the last day", () => {
    const c = (now: Date) => stageClock("AGREED_CHECK", since, three, now)!;
    expect(c(at(2026, 7, 3, 12)).elapsed).toBe(1);
    expect(c(at(2026, 7, 3, 12)).remaining).toBe(2);
    expect(c(at(2026, 7, 6, 12))).toMatchObject({ elapsed: 1, remaining: 2, breached: false }); // the holiday
    expect(c(at(2026, 7, 7, 12))).toMatchObject({ elapsed: 2, remaining: 1, breached: false });
    expect(c(at(2026, 7, 8, 17, 59))).toMatchObject({ elapsed: 3, remaining: 0, breached: false });
    expect(c(at(2026, 7, 8, 18, 1))).toMatchObject({ remaining: 0, breached: true, overdueDays: 0 });
    expect(c(at(2026, 7, 9, 10))).toMatchObject({ breached: true, overdueDays: 1 });
    expect(c(at(2026, 7, 11, 10))).toMatchObject({ breached: true, overdueDays: 2 }); // Saturday
    expect(c(at(2026, 7, 13, 10))).toMatchObject({ breached: true, overdueDays: 3 });
    expect(c(at(2026, 7, 3, 12))).toMatchObject({ stage: "CHECK", holder: "CHECKER", days: 3 });
  });

  it("gives «with 3 working days left» for a check started on 19.11 with 5 days, seen on Monday 23.11", () => {
    const c = stageClock("AGREED_CHECK", at(2026, 11, 19, 15), five, at(2026, 11, 23, 10))!;
    expect(c).toMatchObject({ elapsed: 2, remaining: 3, breached: false });
    expect(c.deadline).toEqual(at(2026, 11, 26, 18));
  });

  it("has no clock for a status without a stage", () => {
    expect(stageClock("INCLUDED", since, five, at(2026, 7, 3))).toBeNull();
    expect(stageClock("DRAFT", since, five, at(2026, 7, 3))).toBeNull();
  });
});

describe("instants for SQL agree with the calendar", () => {
  it("breachCutoff: deadline(s) < at exactly when s < cutoff (random starts and moments 2025–2026)", () => {
    const r = rng(15);
    for (let i = 0; i < 3000; i++) {
      const s = new Date(FROM + Math.floor(r() * SPAN));
      const when = new Date(s.getTime() + Math.floor(r() * 40 * 86_400_000));
      const days = 1 + Math.floor(r() * 12);
      const cut = breachCutoff(when, days);
      expect(stageDeadline(s, days) < when, `${s.toISOString()} ${when.toISOString()} ${days}`).toBe(s < cut);
    }
  });

  it("breachCutoff at the exact deadline: not yet breached at 18:00:00, breached a millisecond later", () => {
    const s = at(2026, 7, 2, 10);
    expect(s < breachCutoff(at(2026, 7, 8, 18), 3)).toBe(false);
    expect(s < breachCutoff(new Date(at(2026, 7, 8, 18).getTime() + 1), 3)).toBe(true);
  });

  it("age buckets: width_bucket over ageBucketBounds gives the bucket of workingDaysBetween(start, now)", () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const now = new Date(FROM + Math.floor(r() * SPAN));
      const bounds = ageBucketBounds(now);
      expect(bounds.length).toBe(AGE_BUCKETS.length - 1);
      for (let j = 0; j < 20; j++) {
        const s = new Date(now.getTime() - Math.floor(r() * 25 * 86_400_000));
        const w = bounds.filter((b) => b <= s).length; // SQL width_bucket(s, bounds)
        expect(AGE_BUCKETS.length - 1 - w).toBe(ageBucketOf(workingDaysBetween(s, now)));
      }
    }
  });

  it("calendarWindow: we[ord[i] + days] is the deadline of a start on day i; older starts are breached before the window", () => {
    const notBefore = at(2026, 4, 6);
    const until = at(2026, 7, 10, 12);
    const w = calendarWindow(notBefore, until, 10);
    const r = rng(3);
    for (let i = 0; i < 2000; i++) {
      const s = new Date(
        w.dayStarts[0]!.getTime() + Math.floor(r() * (until.getTime() - w.dayStarts[0]!.getTime())),
      );
      const days = 1 + Math.floor(r() * 10);
      const idx = w.dayStarts.filter((d) => d <= s).length; // width_bucket, 1-based
      const deadline = w.workEnds[w.ordinals[idx - 1]! + days - 1] ?? null; // NULL past the window's end
      const want = stageDeadline(s, days);
      if (deadline) expect(deadline).toEqual(want);
      else expect(want > until).toBe(true);
    }
    // Any start before the first day has its deadline (≤ 10 days) before the window.
    expect(stageDeadline(new Date(w.dayStarts[0]!.getTime() - 1), 10) < notBefore).toBe(true);
  });
});

describe("weeks and periods", () => {
  it("weeks start on Monday 00:00 Astana; the last boundary is next Monday", () => {
    const b = weekBounds(at(2026, 7, 8, 12), 12);
    expect(b).toHaveLength(13);
    expect(b[11]).toEqual(at(2026, 7, 6));
    expect(b[12]).toEqual(at(2026, 7, 13));
    expect(b[0]).toEqual(at(2026, 4, 20));
  });

  it("periods are the current or a previous calendar week, month or quarter in Astana time", () => {
    const now = at(2026, 12, 2, 11);
    expect(periodRange("week", now)).toEqual({ from: at(2026, 11, 30), to: now });
    expect(periodRange("month", now, -1)).toEqual({ from: at(2026, 11, 1), to: at(2026, 12, 1) });
    expect(periodRange("quarter", now)).toEqual({ from: at(2026, 10, 1), to: now });
    expect(periodRange("quarter", at(2026, 2, 1), -1)).toEqual({ from: at(2025, 10, 1), to: at(2026, 1, 1) });
  });
});

describe("digest schedule", () => {
  /** Run a check every 15 minutes between two moments; record the keys a sender would write once. */
  function simulate(from: Date, to: Date, slotAt: (now: Date) => { key: string } | null) {
    const sent = new Map<string, Date>();
    for (let t = from.getTime(); t <= to.getTime(); t += 15 * 60_000) {
      const slot = slotAt(new Date(t));
      if (slot && !sent.has(slot.key)) sent.set(slot.key, new Date(t));
    }
    return sent;
  }

  it("sends the branch digest once on Monday 09:00 Astana, on Tuesday when Monday is a holiday", () => {
    // Mon 29 June 2026 is a working day; Mon 6 July 2026 is Capital Day.
    const sent = simulate(at(2026, 6, 28), at(2026, 7, 19), (now) =>
      branchDigestSlot(DEFAULT_BRANCH_DIGEST, now),
    );
    expect([...sent.entries()]).toEqual([
      ["2026-06-22", at(2026, 6, 28)], // the previous week's digest still in force at the start of the run
      ["2026-06-29", at(2026, 6, 29, 9)],
      ["2026-07-06", at(2026, 7, 7, 9)],
      ["2026-07-13", at(2026, 7, 13, 9)],
    ]);
    expect(nextBranchDigest(DEFAULT_BRANCH_DIGEST, at(2026, 7, 1))).toMatchObject({
      key: "2026-07-06",
      dueAt: at(2026, 7, 7, 9),
      until: at(2026, 7, 13, 9),
    });
  });

  it("a branch may choose another weekday and time; a disabled digest is never due", () => {
    const fri = { weekday: 5, minute: 16 * 60 + 30, enabled: true };
    expect(nextBranchDigest(fri, at(2026, 7, 1))).toMatchObject({
      key: "2026-06-29",
      dueAt: at(2026, 7, 3, 16, 30),
    });
    expect(branchDigestSlot({ ...fri, enabled: false }, at(2026, 7, 3, 17))).toBeNull();
    expect(validateBranchDigest({ weekday: 6, minute: 60 }).map((e) => e.code)).toEqual([
      "digest_weekday_invalid",
    ]);
    expect(validateBranchDigest({ weekday: 1, minute: 1440 }).map((e) => e.code)).toEqual([
      "digest_time_invalid",
    ]);
  });

  it("sends a staff member's morning digest on working days only, once a day", () => {
    const s = { enabled: true, hour: 9 };
    const sent = simulate(at(2026, 7, 3), at(2026, 7, 8, 23), (now) => staffDigestSlot(s, now));
    expect([...sent.entries()]).toEqual([
      ["2026-07-03", at(2026, 7, 3, 9)],
      ["2026-07-07", at(2026, 7, 7, 9)],
      ["2026-07-08", at(2026, 7, 8, 9)],
    ]);
    expect(nextStaffDigest(s, at(2026, 7, 3, 10))).toMatchObject({
      key: "2026-07-07",
      dueAt: at(2026, 7, 7, 9),
    });
    expect(staffDigestSlot({ enabled: false, hour: 9 }, at(2026, 7, 3, 10))).toBeNull();
    expect(validateStaffDigest({ hour: 5 }).map((e) => e.code)).toEqual(["digest_hour_invalid"]);
  });

  it("names each period in the outbox event key", () => {
    expect(digestEventKey.branch("BR-ASTANA", { key: "2026-07-06" })).toBe("digest:b:BR-ASTANA:2026-07-06");
    expect(digestEventKey.staff("u1", { key: "2026-07-07" })).toBe("digest:u:u1:2026-07-07");
  });
});
