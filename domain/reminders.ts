// SLA reminders (DECISIONS 19): which statuses are waiting for the fund's staff, who is reminded in each, and
// the working-day thresholds in a form one database query can use. Pure: the caller passes `now`.
import { astanaParts, calendarYears, fromAstana, isWorkingDay } from "./calendar.ts";
import type { ReminderStageInput } from "./ports.ts";
import type { StaffRole } from "./types.ts";

/**
 * THE input table of the reminders: an application waiting in one of these statuses longer than its branch's
 * reminderDays (working days) is reminded to `role` (for the check: only the checkers chosen in the latest
 * notice); after escalationDays the branch's ESCALATE_TO members are told. One place on purpose: it mirrors the
 * transition table (who acts in each status) and is meant to be derived from it.
 */
export const REMINDER_STAGES: readonly ReminderStageInput[] = [
  { status: "UNDER_REVIEW", role: "REVIEWER", onlyChosen: false },
  { status: "AGREED_CHECK", role: "CHECKER", onlyChosen: true },
  { status: "REJECTED_CHECK", role: "CHECKER", onlyChosen: true },
  { status: "CONFIRMED_APPROVAL", role: "APPROVER", onlyChosen: false },
  { status: "REJECTED_APPROVAL", role: "APPROVER", onlyChosen: false },
];

/** Who is told when an item waits longer than the branch's escalationDays. */
export const ESCALATE_TO: StaffRole = "MANAGER";

const DAY_MS = 86_400_000;

/**
 * The start (UTC ms of Astana local midnight) of every working day from `since` up to the local day of `now`,
 * newest first. With `calendar.workingDaysBetween(a, now)` = the working days d with localDate(a) < d ≤
 * localDate(now), an instant `a` has waited MORE than d working days exactly when a < result[d]: so
 * result[reminderDays] is the reminder cutoff, and the number of elements greater than `a` is the number of
 * working days it has waited (exact for any a ≥ since).
 *
 * `since` defaults to 1 January of the first year of the calendar data (a few hundred elements a year).
 */
export function workingDayStarts(now: Date, since?: Date): number[] {
  const first = since ?? fromAstana(calendarYears()[0] ?? astanaParts(now).year, 1, 1)!;
  const today = astanaParts(now);
  const out: number[] = [];
  // Walk back one local day at a time (from local noon, far from any midnight whatever the UTC offset).
  let noon = fromAstana(today.year, today.month, today.day, 12)!.getTime();
  while (noon >= first.getTime() - DAY_MS) {
    const d = new Date(noon);
    if (isWorkingDay(d)) {
      const p = astanaParts(d);
      const start = fromAstana(p.year, p.month, p.day)!.getTime();
      if (start < first.getTime()) break;
      out.push(start);
    }
    noon -= DAY_MS;
  }
  return out;
}
