// SLA reminders (DECISIONS 19: working days, Kazakhstan time): when an item has waited longer than the branch's
// reminderDays the assignees are reminded; after escalationDays the branch MANAGERs are told.
//
// Every process runs the timer, but one leader at a time does the work: the store's single statement takes a
// transaction-level advisory lock, and an instance that does not get it does nothing that run. That statement
// computes every due reminder and escalation and writes their outbox rows at once (ReminderStore.writeDue,
// prisma/store/reminders.ts). Idempotent per item and level (eventKey rem:<app>:<stage start>:R|E, unique with
// the chat), so successive runs, or two leaders one after the other, write each notification once.
// Which statuses wait and who is reminded in each: domain/sla.ts REMINDER_STAGES (one input table).
import type { Logger } from "pino";
import type { ReminderStageInput, ReminderStore } from "../../domain/ports.ts";
import { ESCALATE_TO, REMINDER_STAGES, workingDayStarts } from "../../domain/reminders.ts";
import { remindersLeader, slaBreaches } from "../runtime/metrics.ts";

export interface ReminderDeps {
  store: ReminderStore;
  logger?: Logger;
  /** The input table (default REMINDER_STAGES). */
  stages?: readonly ReminderStageInput[];
}

export interface ReminderRun {
  /** false: another instance held the lock; nothing was written. */
  leader: boolean;
  reminders: number;
  escalations: number;
}

export async function runReminders(deps: ReminderDeps, now: Date): Promise<ReminderRun> {
  const r = await deps.store.writeDue({
    stages: deps.stages ?? REMINDER_STAGES,
    escalateTo: ESCALATE_TO,
    workingDayStartsMs: workingDayStarts(now),
  });
  remindersLeader.set(r.leader ? 1 : 0);
  if (r.leader) {
    slaBreaches.set({ level: "reminder" }, r.overReminder);
    slaBreaches.set({ level: "escalation" }, r.overEscalation);
  }
  if (r.reminders || r.escalations) {
    deps.logger?.info({ reminders: r.reminders, escalations: r.escalations }, "reminders written");
  }
  return { leader: r.leader, reminders: r.reminders, escalations: r.escalations };
}

/** Run runReminders every `intervalMs` (REMINDER_CHECK_MINUTES) until stop(). */
export function startReminders(
  deps: ReminderDeps & { now: () => Date },
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runReminders(deps, deps.now()).catch((e) =>
      deps.logger?.error({ err: e instanceof Error ? e.message : String(e) }, "reminders failed"),
    );
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
