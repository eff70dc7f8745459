// Deadline calculator for the licensing services (SPEC §5.2–5.7, §5.13). Pure: the submission instant is an
// argument; the calendar is domain/calendar.ts. Every result names the regulation its timelines come from,
// with its date and its repeal (DECISIONS 22–24): the figures are historical reference values.
//
// How it counts (document any change here and in docs):
// - Step chain: each step starts when the previous one is due. Staff (provider, ЦОН, state bodies) work in
//   working time (09:00–13:00, 14:00–18:00 Astana, working days only); the applicant and the information
//   systems act in calendar time. A duration in working days is always working time: n × one working day
//   (8 h), so a 2-working-day step begun at 11:45 is due at 11:45 two working days later. The upper bound of
//   a range is used («10–15 секунд» → 15 s; «до 15 минут» → 15 min). Steps without a duration in the source
//   count as 0 and are listed in `untimedSteps`; refusal branches are not on the path to the result.
// - Stated total («15 рабочих дней» from submission): the Civil Code rule – the period starts the day after
//   the documents are accepted and ends when working hours end (18:00) on its last working day. A submission
//   outside working hours counts as accepted when working time next begins (INFERENCE: the later national
//   standards say so explicitly; these regional regulations are silent).
// - The result's due date is the stated total when the regulation gives one, else the end of the step chain.
// - Every result lists the calendar years it relied on and `estimated` when any of them is not official
//   (DECISIONS 29): the answer then says the date may move.
import {
  addWorkingMs,
  type CalendarYearInfo,
  calendarBasis,
  DEFAULT_WORKING_HOURS,
  nextWorkingTime,
  type WorkingHours,
  workingDayMinutes,
  workingDaysBetween,
  workingDaysDeadline,
} from "../calendar.ts";
import { REGULATIONS } from "./data/common.ts";
import { findCard } from "./data/index.ts";
import type { Amount, Operation, OperationId, Regulation, ServiceCard, Step } from "./types.ts";

const MINUTE = 60_000;

export interface StepDeadline {
  step: Step;
  /** When the step can start (for staff: the next moment of working time). */
  startsAt: Date;
  /** null when the source gives no duration for the step. */
  dueAt: Date | null;
  clock: "working" | "calendar" | null;
}

export interface DeadlineResult {
  card: ServiceCard;
  operation: Operation;
  regulation: Regulation;
  submittedAt: Date;
  /** The moment the documents count as accepted (the next moment of working time). */
  acceptedAt: Date;
  /** Main-path steps with their due times. */
  steps: StepDeadline[];
  /** At least one main-path step has a duration. */
  hasTimeline: boolean;
  /** Numbers of main-path steps without a duration (counted as 0). */
  untimedSteps: string[];
  /** End of the step chain; null without any timeline. */
  chainDueAt: Date | null;
  /** Sum of the main-path durations (upper bounds): whole working days plus minutes (may be fractional). */
  sum: { workingDays: number; minutes: number };
  /** The regulation's stated total and its legal end; null when the regulation states none. */
  stated: { total: Amount; dueAt: Date } | null;
  /** When the result is due: the stated total if any, else the end of the chain; null if neither exists. */
  resultDueAt: Date | null;
  /** Working days from the submission day to the due day (workingDaysBetween). */
  resultWorkingDays: number | null;
  /** The chain ends after the stated total (a discrepancy of the source, shown to the user). */
  chainExceedsStated: boolean;
  /** Calendar data behind the computation, one entry per year from the submission to the last due date. */
  calendar: CalendarYearInfo[];
  /** At least one of those years is not official (estimated transfers / Kurban ait, or not in the data). */
  estimated: boolean;
}

export type DeadlineError =
  | { code: "unknown_card" }
  | { code: "unknown_operation" }
  | { code: "invalid_date" };

const STAFF = new Set<Step["actorKind"]>(["provider", "con", "stateBody"]);

function amountMs(a: Amount, wh: WorkingHours): number {
  switch (a.unit) {
    case "workingDays":
      return a.value * workingDayMinutes(wh) * MINUTE;
    case "hours":
      return a.value * 60 * MINUTE;
    case "minutes":
      return a.value * MINUTE;
    case "seconds":
      return a.value * 1000;
  }
}

/** The main path of an operation: every step that is not a refusal branch. */
export function mainPath(op: Operation): Step[] {
  return op.steps.filter((s) => s.branch !== "refusal");
}

/**
 * Whether the regulation gives anything to compute for this operation: a stated total or at least one main-path
 * step with a duration. The bot offers the calculator only where this holds.
 */
export function canComputeDeadlines(op: Operation): boolean {
  return op.statedTotal !== null || mainPath(op).some((s) => s.duration !== null);
}

export function computeDeadlines(
  cardOrId: ServiceCard | string,
  operationId: OperationId,
  submittedAt: Date,
  wh: WorkingHours = DEFAULT_WORKING_HOURS,
): { ok: true; value: DeadlineResult } | { ok: false; error: DeadlineError } {
  const card = typeof cardOrId === "string" ? findCard(cardOrId) : cardOrId;
  if (!card) return { ok: false, error: { code: "unknown_card" } };
  const operation = card.operations.find((o) => o.id === operationId);
  if (!operation) return { ok: false, error: { code: "unknown_operation" } };
  if (!Number.isFinite(submittedAt.getTime())) return { ok: false, error: { code: "invalid_date" } };

  const acceptedAt = nextWorkingTime(submittedAt, wh);
  const steps: StepDeadline[] = [];
  const untimedSteps: string[] = [];
  let t = submittedAt;
  let hasTimeline = false;
  let sumDays = 0;
  let sumMinutes = 0;
  for (const step of mainPath(operation)) {
    if (!step.duration) {
      untimedSteps.push(step.n);
      steps.push({ step, startsAt: t, dueAt: null, clock: null });
      continue;
    }
    hasTimeline = true;
    const to = step.duration.to;
    if (to.unit === "workingDays") sumDays += to.value;
    else sumMinutes += amountMs(to, wh) / MINUTE;
    const working = to.unit === "workingDays" || STAFF.has(step.actorKind);
    const startsAt = working ? nextWorkingTime(t, wh) : t;
    const dueAt = working ? addWorkingMs(t, amountMs(to, wh), wh) : new Date(t.getTime() + amountMs(to, wh));
    steps.push({ step, startsAt, dueAt, clock: working ? "working" : "calendar" });
    t = dueAt;
  }
  const chainDueAt = hasTimeline ? t : null;

  let stated: DeadlineResult["stated"] = null;
  if (operation.statedTotal) {
    const total = operation.statedTotal;
    if (total.unit !== "workingDays") throw new Error(`${card.id}: stated totals are in working days`);
    stated = { total, dueAt: workingDaysDeadline(acceptedAt, total.value, wh) };
  }
  const resultDueAt = stated?.dueAt ?? chainDueAt;
  const chainExceedsStated = !!(stated && chainDueAt && chainDueAt.getTime() > stated.dueAt.getTime());

  const basis = calendarBasis(submittedAt, acceptedAt, resultDueAt, chainDueAt);

  return {
    ok: true,
    value: {
      card,
      operation,
      regulation: REGULATIONS[card.regulation],
      submittedAt,
      acceptedAt,
      steps,
      hasTimeline,
      untimedSteps,
      chainDueAt,
      sum: { workingDays: sumDays, minutes: sumMinutes },
      stated,
      resultDueAt,
      resultWorkingDays: resultDueAt ? workingDaysBetween(submittedAt, resultDueAt) : null,
      chainExceedsStated,
      calendar: basis.years,
      estimated: basis.estimated,
    },
  };
}
