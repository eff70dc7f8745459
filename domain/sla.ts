// Deadlines of the open stages (SLA) and the digest schedule (issue 15, DECISIONS 19: working days, Astana time).
// Pure: every function takes `now` and returns values; the calendar is domain/calendar.ts.
//
// Definitions (used by the store's SQL through the instants computed here, so SQL never knows the calendar):
// - A stage's clock starts when the application entered the status (Application.statusChangedAt, or a
//   StatusSpan's startedAt) and its deadline is the legal end of `days` working days counted from that event
//   (calendar.workingDaysDeadline: 18:00 Astana on the days-th working day after the local date of the start).
// - Breached: now is after the deadline. Overdue by: working days from the deadline's day to today
//   (0 on the evening of the deadline day or the weekend after it).
// - Age in working days: calendar.workingDaysBetween(start, now) (the start day itself is not counted).
import {
  addWorkingDays,
  astanaDateKey,
  astanaParts,
  fromAstana,
  isWorkingDay,
  workingDaysBetween,
  workingDaysDeadline,
} from "./calendar.ts";
import { TRANSITIONS } from "./stateMachine.ts";
import type { Action, DomainError, Status } from "./types.ts";

// ───────────── stages ─────────────

/** The open stages with a deadline, in the order of the workflow (charts and captions use it). */
export const SLA_STAGES = ["HEAD_SIGNING", "REVIEW", "CHECK", "APPROVAL"] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

/**
 * THE mapping status → stage (one constant). The head's signing and the three open Fund stages; an exclusion
 * under check / approval is in the check / approval stage like an inclusion. The lead will derive it from the
 * transition table (the role that moves an application out of the status); test/domain/sla.test.ts checks
 * that the two agree today.
 */
export const STAGE_OF_STATUS: Readonly<Partial<Record<Status, SlaStage>>> = Object.freeze({
  HEAD_APPROVAL: "HEAD_SIGNING",
  UNDER_REVIEW: "REVIEW",
  AGREED_CHECK: "CHECK",
  REJECTED_CHECK: "CHECK",
  CONFIRMED_APPROVAL: "APPROVAL",
  REJECTED_APPROVAL: "APPROVAL",
});

/** The role that holds an application in each stage (shown instead of a person). */
export const STAGE_HOLDER = Object.freeze({
  HEAD_SIGNING: "HEAD",
  REVIEW: "REVIEWER",
  CHECK: "CHECKER",
  APPROVAL: "APPROVER",
} as const satisfies Record<SlaStage, string>);
export type StageHolder = (typeof STAGE_HOLDER)[SlaStage];

/** Every status that has a stage clock. */
export const SLA_STATUSES: readonly Status[] = Object.freeze(Object.keys(STAGE_OF_STATUS) as Status[]);

export const stageOfStatus = (status: Status): SlaStage | null => STAGE_OF_STATUS[status] ?? null;

export const statusesOfStage = (stage: SlaStage): Status[] =>
  SLA_STATUSES.filter((s) => STAGE_OF_STATUS[s] === stage);

export const isSlaStage = (v: unknown): v is SlaStage =>
  typeof v === "string" && (SLA_STAGES as readonly string[]).includes(v);

// ───────────── thresholds ─────────────

/** Working days per stage (a branch's data: prisma/store/slaSettings.ts). */
export type StageThresholds = Readonly<Record<SlaStage, number>>;

export const MIN_THRESHOLD_DAYS = 1;
export const MAX_THRESHOLD_DAYS = 60;

export const SLA_ERROR_CODES = [
  "sla_threshold_invalid",
  "sla_stage_unknown",
  "digest_weekday_invalid",
  "digest_time_invalid",
  "digest_hour_invalid",
] as const;

/** All stages with the same number of days (the default: the branch's escalationDays). */
export const uniformThresholds = (days: number): StageThresholds =>
  Object.freeze(Object.fromEntries(SLA_STAGES.map((s) => [s, days])) as Record<SlaStage, number>);

export function validateThreshold(stage: unknown, days: unknown): DomainError[] {
  const errors: DomainError[] = [];
  if (!isSlaStage(stage)) errors.push({ code: "sla_stage_unknown", field: "stage" });
  if (
    !Number.isInteger(days) ||
    (days as number) < MIN_THRESHOLD_DAYS ||
    (days as number) > MAX_THRESHOLD_DAYS
  )
    errors.push({
      code: "sla_threshold_invalid",
      field: "days",
      params: { min: MIN_THRESHOLD_DAYS, max: MAX_THRESHOLD_DAYS },
    });
  return errors;
}

// ───────────── one application's clock ─────────────

export interface StageClock {
  stage: SlaStage;
  holder: StageHolder;
  /** When the application entered the stage's status. */
  since: Date;
  days: number;
  /** 18:00 Astana on the days-th working day after the local date of `since`. */
  deadline: Date;
  /** Working days since the start (the start day not counted). */
  elapsed: number;
  /** Working days left until the deadline's day (0 on that day, and once breached). */
  remaining: number;
  breached: boolean;
  /** Working days from the deadline's day to today when breached (0 on the evening of the deadline day). */
  overdueDays: number;
}

/** The deadline of `days` working days from `since`: the end of working hours on its last day. */
export const stageDeadline = (since: Date, days: number): Date => workingDaysDeadline(since, days);

/** The clock of an application in `status` since `since`, or null when the status has no stage. */
export function stageClock(
  status: Status,
  since: Date,
  thresholds: StageThresholds,
  now: Date,
): StageClock | null {
  const stage = stageOfStatus(status);
  if (!stage) return null;
  const days = thresholds[stage];
  const deadline = stageDeadline(since, days);
  const breached = now.getTime() > deadline.getTime();
  return {
    stage,
    holder: STAGE_HOLDER[stage],
    since,
    days,
    deadline,
    elapsed: Math.max(0, workingDaysBetween(since, now)),
    remaining: breached ? 0 : Math.max(0, workingDaysBetween(now, deadline)),
    breached,
    overdueDays: breached ? Math.max(0, workingDaysBetween(deadline, now)) : 0,
  };
}

// ───────────── instants for SQL (the calendar stays here) ─────────────

/** 00:00 Astana of the local day of `d`. */
export function startOfLocalDay(d: Date): Date {
  const p = astanaParts(d);
  return fromAstana(p.year, p.month, p.day, 0, 0)!;
}

/** 00:00 Astana of the local day `n` calendar days after (n < 0: before) the local day of `d`. */
export function shiftLocalDay(d: Date, n: number): Date {
  const p = astanaParts(d);
  const u = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
  return fromAstana(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate(), 0, 0)!;
}

/**
 * The instant C with: stageDeadline(s, days) < at  ⇔  s < C, for every start s (the deadline only grows with
 * the start's local day). `days` ≥ 1.
 */
export function breachCutoff(at: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`breachCutoff: days must be ≥ 1, got ${days}`);
  // T: the first working day whose 18:00 is not before `at`.
  const today = startOfLocalDay(at);
  const todayEnd = workingDaysDeadline(today, 0); // 18:00 of today if working, else of the next working day
  const target =
    at.getTime() <= todayEnd.getTime() ? todayEnd : workingDaysDeadline(addWorkingDays(today, 1), 0);
  // P with exactly `days` working days in (P, T]: starts from P's day on have their deadline ≥ T's 18:00.
  return startOfLocalDay(addWorkingDays(target, -days));
}

/** Age buckets in working days: 0–1, 2–3, 4–5, 6–10, more than 10. */
export const AGE_BUCKETS = Object.freeze([
  { key: "b0_1", max: 1 },
  { key: "b2_3", max: 3 },
  { key: "b4_5", max: 5 },
  { key: "b6_10", max: 10 },
  { key: "b11", max: Number.POSITIVE_INFINITY },
] as const);
export type AgeBucketKey = (typeof AGE_BUCKETS)[number]["key"];

export function ageBucketOf(ageDays: number): number {
  return AGE_BUCKETS.findIndex((b) => ageDays <= b.max);
}

/**
 * The earliest start with an age ≤ k working days at `now` (workingDaysBetween(s, now) ≤ k ⇔ s ≥ result):
 * 00:00 of the (k+1)-th working day counted back from today (today included when it is a working day).
 */
export function ageAtMostSince(now: Date, k: number): Date {
  const today = startOfLocalDay(now);
  const first = isWorkingDay(today) ? today : addWorkingDays(today, -1);
  return startOfLocalDay(addWorkingDays(first, -k));
}

/**
 * Ascending bucket boundaries for SQL `width_bucket(start, bounds)`: [≤10, ≤5, ≤3, ≤1] → width_bucket w gives the
 * bucket index AGE_BUCKETS.length - 1 - w.
 */
export function ageBucketBounds(now: Date): Date[] {
  return AGE_BUCKETS.filter((b) => Number.isFinite(b.max))
    .map((b) => ageAtMostSince(now, b.max))
    .reverse();
}

/**
 * A window of the working-day calendar for SQL: local day starts (ascending) with the number of working days up
 * to and including each day, and the 18:00 instants of those working days by ordinal (index ordinal - 1).
 * A stay that started on day i has its deadline at `workEnds[ordinals[i] + days - 1]` (1-based arrays in SQL:
 * `we[ord[i] + days]`); a start before the first day has its deadline before `notBefore` (the window starts
 * maxDays + 1 working days earlier) and is taken as long breached.
 */
export interface CalendarWindow {
  dayStarts: Date[];
  ordinals: number[];
  workEnds: Date[];
}

export function calendarWindow(notBefore: Date, until: Date, maxDays: number): CalendarWindow {
  const firstWorking = isWorkingDay(notBefore) ? notBefore : addWorkingDays(notBefore, 1);
  let day = startOfLocalDay(addWorkingDays(firstWorking, -(maxDays + 1)));
  const last = startOfLocalDay(until).getTime();
  const dayStarts: Date[] = [];
  const ordinals: number[] = [];
  const workEnds: Date[] = [];
  let ord = 0;
  while (day.getTime() <= last) {
    if (isWorkingDay(day)) {
      ord++;
      workEnds.push(workingDaysDeadline(day, 0));
    }
    dayStarts.push(day);
    ordinals.push(ord);
    day = shiftLocalDay(day, 1);
  }
  return { dayStarts, ordinals, workEnds };
}

// ───────────── weeks and periods ─────────────

/** 00:00 Astana of the Monday of the local week of `d`. */
export function startOfLocalWeek(d: Date): Date {
  const w = astanaParts(d).weekday; // 0 = Sunday
  return shiftLocalDay(d, -((w + 6) % 7));
}

/** The last `n` weeks up to the current one: n + 1 ascending Monday 00:00 boundaries (the last one is next Monday). */
export function weekBounds(now: Date, n = 12): Date[] {
  const current = startOfLocalWeek(now);
  return Array.from({ length: n + 1 }, (_, i) => shiftLocalDay(current, 7 * (i - n + 1)));
}

export const DASHBOARD_PERIODS = ["week", "month", "quarter"] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];
export const isDashboardPeriod = (v: unknown): v is DashboardPeriod =>
  typeof v === "string" && (DASHBOARD_PERIODS as readonly string[]).includes(v);

/**
 * A calendar period in Astana time: offset 0 = the current week / month / quarter up to `now`; offset -1 = the
 * previous full one, and so on. `to` is exclusive.
 */
export function periodRange(kind: DashboardPeriod, now: Date, offset = 0): { from: Date; to: Date } {
  if (kind === "week") {
    const from = shiftLocalDay(startOfLocalWeek(now), 7 * offset);
    return { from, to: offset === 0 ? now : shiftLocalDay(from, 7) };
  }
  const p = astanaParts(now);
  const months = kind === "month" ? 1 : 3;
  const first = kind === "month" ? p.month - 1 : Math.floor((p.month - 1) / 3) * 3;
  const at = (m: number) => {
    const u = new Date(Date.UTC(p.year, m, 1));
    return fromAstana(u.getUTCFullYear(), u.getUTCMonth() + 1, 1, 0, 0)!;
  };
  const from = at(first + offset * months);
  return { from, to: offset === 0 ? now : at(first + (offset + 1) * months) };
}

// ───────────── staff decisions (derived from the transition table) ─────────────

export type DecisionRole = "REVIEWER" | "CHECKER" | "APPROVER";

/** Refusals return the application to the reviewer (or keep it included): the other decisions move it on. */
const RETURNING: ReadonlySet<Action> = new Set<Action>(["CHECKER_REFUSE", "APPROVER_REFUSE"]);

/**
 * A staff decision is a transition that changes the status and is taken by one Fund role (T12–T19, X3–X7);
 * forming or deleting a notice does not change the status and is not a decision.
 */
export const DECISION_ACTIONS: Readonly<Partial<Record<Action, { role: DecisionRole; returns: boolean }>>> =
  Object.freeze(
    Object.fromEntries(
      TRANSITIONS.filter(
        (r) =>
          r.from !== null &&
          r.to !== r.from &&
          r.roles.length === 1 &&
          (r.roles[0] === "REVIEWER" || r.roles[0] === "CHECKER" || r.roles[0] === "APPROVER"),
      ).map((r) => [r.action, { role: r.roles[0] as DecisionRole, returns: RETURNING.has(r.action) }]),
    ),
  );

export const decisionActionsOf = (role: DecisionRole, returns?: boolean): Action[] =>
  (Object.keys(DECISION_ACTIONS) as Action[]).filter(
    (a) =>
      DECISION_ACTIONS[a]!.role === role &&
      (returns === undefined || DECISION_ACTIONS[a]!.returns === returns),
  );

/** Final decisions of the approver (T17, T18, X7; not a refused exclusion, X6): the decisions exported for a period. */
export const FINAL_DECISION_ACTIONS: readonly Action[] = Object.freeze([
  ...new Set(
    TRANSITIONS.filter(
      (r) =>
        (r.to === "INCLUDED" || r.to === "REJECTED" || r.to === "EXCLUDED") &&
        r.roles.includes("APPROVER") &&
        !RETURNING.has(r.action),
    ).map((r) => r.action),
  ),
]);

// ───────────── digest schedule ─────────────

/** The branch's weekly digest: ISO weekday (1 = Monday … 5 = Friday) and Astana wall-clock minutes. */
export interface BranchDigestSchedule {
  weekday: number;
  minute: number;
  enabled: boolean;
}
export const DEFAULT_BRANCH_DIGEST: Readonly<BranchDigestSchedule> = Object.freeze({
  weekday: 1,
  minute: 9 * 60,
  enabled: true,
});

/** A staff member's morning digest of their queue, instead of one push per item: on working days at hour:00. */
export interface StaffDigestSchedule {
  enabled: boolean;
  hour: number;
}
export const DEFAULT_STAFF_DIGEST: Readonly<StaffDigestSchedule> = Object.freeze({ enabled: false, hour: 9 });

export function validateBranchDigest(s: { weekday: unknown; minute: unknown }): DomainError[] {
  const errors: DomainError[] = [];
  if (!Number.isInteger(s.weekday) || (s.weekday as number) < 1 || (s.weekday as number) > 5)
    errors.push({ code: "digest_weekday_invalid", field: "weekday" });
  if (!Number.isInteger(s.minute) || (s.minute as number) < 0 || (s.minute as number) >= 24 * 60)
    errors.push({ code: "digest_time_invalid", field: "minute" });
  return errors;
}

export function validateStaffDigest(s: { hour: unknown }): DomainError[] {
  if (!Number.isInteger(s.hour) || (s.hour as number) < 6 || (s.hour as number) > 12)
    return [{ code: "digest_hour_invalid", field: "hour", params: { min: 6, max: 12 } }];
  return [];
}

/**
 * One run of a digest: `key` names the period (the nominal Monday "YYYY-MM-DD" of the branch's week, the local
 * date of the staff member's day), `dueAt` when it may be sent, `until` when it is no longer worth sending.
 * Idempotency: the sender writes one outbox row per recipient with eventKey `digestEventKey(...)`, unique with
 * the chat, so running the check every few minutes from several processes sends each period once.
 */
export interface DigestSlot {
  key: string;
  dueAt: Date;
  until: Date;
}

/** The digest moment of the branch's week that contains `weekOf`: moved to the next working day when needed. */
function branchSlotOfWeek(s: BranchDigestSchedule, weekOf: Date): { key: string; dueAt: Date } {
  const monday = startOfLocalWeek(weekOf);
  const day = shiftLocalDay(monday, s.weekday - 1);
  const workDay = isWorkingDay(day) ? day : addWorkingDays(day, 1);
  const p = astanaParts(workDay);
  return {
    key: astanaDateKey(monday),
    dueAt: fromAstana(p.year, p.month, p.day, Math.floor(s.minute / 60), s.minute % 60)!,
  };
}

/** The branch digest due at `now` (dueAt ≤ now < the next week's dueAt), or null (disabled, or not yet due). */
export function branchDigestSlot(s: BranchDigestSchedule, now: Date): DigestSlot | null {
  if (!s.enabled) return null;
  // A holiday can move a week's moment into the next week: look at this week and the one before.
  for (const weeksBack of [0, 1]) {
    const slot = branchSlotOfWeek(s, shiftLocalDay(now, -7 * weeksBack));
    if (slot.dueAt.getTime() > now.getTime()) continue;
    const next = branchSlotOfWeek(s, shiftLocalDay(now, 7 * (1 - weeksBack)));
    if (now.getTime() < next.dueAt.getTime()) return { ...slot, until: next.dueAt };
  }
  return null;
}

/** The next branch digest strictly after `after`. */
export function nextBranchDigest(s: BranchDigestSchedule, after: Date): DigestSlot {
  for (let w = -1; w <= 3; w++) {
    const slot = branchSlotOfWeek(s, shiftLocalDay(after, 7 * w));
    if (slot.dueAt.getTime() > after.getTime()) {
      const next = branchSlotOfWeek(s, shiftLocalDay(after, 7 * (w + 1)));
      return { ...slot, until: next.dueAt };
    }
  }
  throw new Error("nextBranchDigest: no slot within four weeks");
}

/** The staff digest of today when today is a working day and its hour has come (until local midnight), or null. */
export function staffDigestSlot(s: StaffDigestSchedule, now: Date): DigestSlot | null {
  if (!s.enabled) return null;
  const today = startOfLocalDay(now);
  if (!isWorkingDay(today)) return null;
  const p = astanaParts(today);
  const dueAt = fromAstana(p.year, p.month, p.day, s.hour, 0)!;
  if (now.getTime() < dueAt.getTime()) return null;
  return { key: astanaDateKey(today), dueAt, until: shiftLocalDay(today, 1) };
}

/** The next staff digest strictly after `after` (working days only). */
export function nextStaffDigest(s: StaffDigestSchedule, after: Date): DigestSlot {
  let day = startOfLocalDay(after);
  for (let i = 0; i < 30; i++) {
    if (isWorkingDay(day)) {
      const p = astanaParts(day);
      const dueAt = fromAstana(p.year, p.month, p.day, s.hour, 0)!;
      if (dueAt.getTime() > after.getTime())
        return { key: astanaDateKey(day), dueAt, until: shiftLocalDay(day, 1) };
    }
    day = shiftLocalDay(day, 1);
  }
  throw new Error("nextStaffDigest: no working day within 30 days");
}

/** Outbox event keys of the digests (unique with the chat: one message per recipient and period). */
export const digestEventKey = {
  branch: (branchId: string, slot: Pick<DigestSlot, "key">) => `digest:b:${branchId}:${slot.key}`,
  staff: (userId: string, slot: Pick<DigestSlot, "key">) => `digest:u:${userId}:${slot.key}`,
};
