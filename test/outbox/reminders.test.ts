// SLA reminders and escalations: working days, per branch, once per item and level.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWorkingDays } from "../../domain/calendar.ts";
import { runReminders } from "../../bot/outbox/reminders.ts";
import { reminderDeps } from "../../bot/runtime/outbox.ts";
import { createHarness, type Harness, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview, DEMO, drain, FAST_OUTBOX } from "../staff/setup.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
});
afterAll(() => endBotTest([h], db));

describe("reminders", () => {
  it("reminds the reviewers after reminderDays working days and escalates to the managers after escalationDays, once", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    const branch = await db.prisma.branch.findUniqueOrThrow({ where: { id: "BR-ASTANA" } });

    expect(
      await runReminders(reminderDeps(db.prisma), addWorkingDays(app.statusChangedAt, branch.reminderDays)),
    ).toEqual({
      leader: true,
      reminders: 0,
      escalations: 0,
    });
    const r1 = await runReminders(
      reminderDeps(db.prisma),
      addWorkingDays(app.statusChangedAt, branch.reminderDays + 1),
    );
    expect(r1.reminders).toBeGreaterThanOrEqual(1);
    expect(r1.escalations).toBe(0);
    expect(
      await runReminders(
        reminderDeps(db.prisma),
        addWorkingDays(app.statusChangedAt, branch.reminderDays + 1),
      ),
    ).toEqual({
      leader: true,
      reminders: 0,
      escalations: 0,
    });
    const r2 = await runReminders(
      reminderDeps(db.prisma),
      addWorkingDays(app.statusChangedAt, branch.escalationDays + 1),
    );
    expect(r2).toEqual({ leader: true, reminders: 0, escalations: 1 });

    const m = h.mark();
    await drain(h);
    const reviewerTexts = h.user(DEMO.reviewer).texts(h.since(m)).join("\n");
    expect(reviewerTexts).toContain("Напоминание");
    const managerTexts = h.user(DEMO.manager).texts(h.since(m)).join("\n");
    expect(managerTexts).toContain("Мерзім өтті: өтінім шешімді мерзімнен ұзақ күтуде");
  });
});
