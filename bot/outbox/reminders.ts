// SLA reminders (DECISIONS 19: working days, Kazakhstan time): when an item has waited longer than the branch's
// reminderDays the assignees are reminded; after escalationDays the branch MANAGERs are told.
// Idempotent per item and level: eventKey rem:<app>:<stage start>:R|E (unique with the chat), so running it
// every few minutes from several processes writes each notification once.
import { workingDaysBetween } from "../../domain/calendar.ts";
import type { Status } from "../../domain/types.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "pino";

export interface ReminderDeps {
  prisma: PrismaClient;
  logger?: Logger;
}

const WAITING: readonly Status[] = [
  "UNDER_REVIEW",
  "AGREED_CHECK",
  "REJECTED_CHECK",
  "CONFIRMED_APPROVAL",
  "REJECTED_APPROVAL",
];

export async function runReminders(
  deps: ReminderDeps,
  now: Date,
): Promise<{ reminders: number; escalations: number }> {
  const { prisma } = deps;
  const branches = await prisma.branch.findMany({
    include: { staff: { include: { user: { select: { id: true, telegramId: true } } } } },
  });
  let reminders = 0;
  let escalations = 0;
  for (const b of branches) {
    const apps = await prisma.application.findMany({
      where: { regionCode: b.regionCode, status: { in: [...WAITING] } },
      include: { notices: { where: { deletedAt: null }, orderBy: { createdAt: "desc" }, take: 1 } },
      orderBy: { statusChangedAt: "asc" },
    });
    const byRole = (role: string) => b.staff.filter((s) => s.role === role).map((s) => s.user);
    for (const a of apps) {
      const days = workingDaysBetween(a.statusChangedAt, now);
      if (days <= b.reminderDays) continue;
      const opened = await prisma.auditEvent.findFirst({
        where: { applicationId: a.id, toStatus: a.status },
        orderBy: { id: "desc" },
        select: { action: true, at: true },
      });
      const stage = a.statusChangedAt.getTime();
      const payload = {
        applicationId: a.id,
        days,
        stageStatus: a.status,
        action: opened?.action ?? null,
        at: opened?.at.toISOString() ?? null,
      };
      let assignees: { id: string; telegramId: bigint }[];
      if (a.status === "UNDER_REVIEW") assignees = byRole("REVIEWER");
      else if (a.status === "AGREED_CHECK" || a.status === "REJECTED_CHECK") {
        const chosen = a.notices[0]?.checkerIds ?? [];
        assignees = byRole("CHECKER").filter((u) => chosen.includes(u.id));
      } else assignees = byRole("APPROVER");
      const rows: Prisma.OutboxCreateManyInput[] = assignees.map((u) => ({
        eventKey: `rem:${a.id}:${stage}:R`,
        chatId: u.telegramId,
        userId: u.id,
        applicationId: a.id,
        stageKey: `${a.id}:${a.version}`,
        kind: "reminder",
        payload: { ...payload, limit: b.reminderDays },
      }));
      if (days > b.escalationDays) {
        for (const u of byRole("MANAGER")) {
          rows.push({
            eventKey: `rem:${a.id}:${stage}:E`,
            chatId: u.telegramId,
            userId: u.id,
            applicationId: a.id,
            stageKey: null,
            kind: "escalation",
            payload: { ...payload, limit: b.escalationDays },
          });
        }
      }
      if (!rows.length) continue;
      const r = await prisma.outbox.createManyAndReturn({
        data: rows,
        skipDuplicates: true,
        select: { kind: true },
      });
      reminders += r.filter((x) => x.kind === "reminder").length;
      escalations += r.filter((x) => x.kind === "escalation").length;
    }
  }
  if (reminders || escalations) deps.logger?.info({ reminders, escalations }, "reminders written");
  return { reminders, escalations };
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
