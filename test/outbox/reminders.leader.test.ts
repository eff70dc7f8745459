// Reminders under one leader, in one statement: an instance that does not get the advisory lock writes nothing;
// two instances running at once write each reminder once; and the single query writes exactly the rows the
// per-branch, per-application loop it replaced wrote (kept below as the reference), on a mixed population.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addWorkingDays, workingDaysBetween } from "../../domain/calendar.ts";
import type { Status } from "../../domain/types.ts";
import { runReminders } from "../../bot/outbox/reminders.ts";
import { registry } from "../../bot/runtime/metrics.ts";
import { reminderDeps } from "../../bot/runtime/outbox.ts";
import { type Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { REMINDERS_LOCK } from "../../prisma/store/reminders.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview } from "../staff/setup.ts";

let db: TestDb;
let base: Date;

/** The loop the single query replaced (bot/outbox/reminders.ts before), unchanged: the reference. */
async function referenceReminders(prisma: PrismaClient, now: Date) {
  const WAITING: readonly Status[] = [
    "UNDER_REVIEW",
    "AGREED_CHECK",
    "REJECTED_CHECK",
    "CONFIRMED_APPROVAL",
    "REJECTED_APPROVAL",
  ];
  const branches = await prisma.branch.findMany({
    include: { staff: { include: { user: { select: { id: true, telegramId: true } } } } },
  });
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
      if (rows.length) await prisma.outbox.createMany({ data: rows, skipDuplicates: true });
    }
  }
}

/** The reminder rows, comparable: per chat, in delivery (id) order. */
async function reminderRows() {
  const rows = await db.prisma.outbox.findMany({
    where: { kind: { in: ["reminder", "escalation"] } },
    orderBy: { id: "asc" },
  });
  const byChat: Record<string, unknown[]> = {};
  for (const r of rows) {
    const list = byChat[String(r.chatId)] ?? [];
    byChat[String(r.chatId)] = list;
    list.push({
      eventKey: r.eventKey,
      userId: r.userId,
      applicationId: r.applicationId,
      stageKey: r.stageKey,
      kind: r.kind,
      payload: r.payload,
    });
  }
  return { count: rows.length, byChat };
}

const wipe = () => db.prisma.outbox.deleteMany({ where: { kind: { in: ["reminder", "escalation"] } } });

/**
 * A mixed population: 24 applications cloned from a real one in the five waiting statuses and two others, in
 * two branches (different thresholds), waiting 0–14 working days; checks with chosen, deleted and missing
 * notices; stages opened by an audited decision or not.
 */
async function population() {
  const id = await applicationUnderReview(db.prisma);
  const src = await db.prisma.application.findUniqueOrThrow({ where: { id } });
  base = src.statusChangedAt;
  await db.prisma.branch.update({ where: { id: "BR-ALMATY" }, data: { reminderDays: 1, escalationDays: 3 } });
  const staff = [
    ["REVIEWER", 7001],
    ["CHECKER", 7002],
    ["CHECKER", 7003],
    ["CHECKER", 7004],
    ["APPROVER", 7005],
    ["MANAGER", 7006],
    ["MANAGER", 7007],
  ] as const;
  const ids: Record<number, string> = {};
  for (const [role, tg] of staff) {
    const u = await db.prisma.user.create({
      data: { telegramId: BigInt(tg), language: "kk", fullName: `S ${tg}` },
    });
    ids[tg] = u.id;
    await db.prisma.staffMembership.create({ data: { userId: u.id, branchId: "BR-ALMATY", role } });
  }
  const astanaCheckers = await db.prisma.staffMembership.findMany({
    where: { branchId: "BR-ASTANA", role: "CHECKER" },
    orderBy: { createdAt: "asc" },
  });
  const statuses = [
    "UNDER_REVIEW",
    "AGREED_CHECK",
    "REJECTED_CHECK",
    "CONFIRMED_APPROVAL",
    "REJECTED_APPROVAL",
    "INCLUDED",
  ];
  for (let i = 0; i < 24; i++) {
    const status = statuses[i % statuses.length]!;
    const region = i % 4 < 2 ? "ASTANA" : "ALMATY";
    // (distinct instants: the old loop's order of two items of the same instant was undefined)
    const changedAt = new Date(addWorkingDays(base, -(i % 15)).getTime() - (i + 1) * 1000);
    const newId = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const patch = {
      id: newId,
      chainId: newId,
      status,
      regionCode: region,
      statusChangedAt: changedAt.toISOString(),
      version: 1 + (i % 4),
      // copies of one application: not saved drafts of their own, so DECISIONS 8's index ignores them
      savedAt: null,
    };
    await db.prisma.$executeRaw`
      INSERT INTO "Application"
      SELECT (jsonb_populate_record(NULL::"Application", to_jsonb(a) || ${JSON.stringify(patch)}::jsonb)).*
        FROM "Application" a WHERE a.id = ${id}`;
    if (i % 3 !== 0) {
      // the decision that opened the stage (and an older one into the same status)
      for (const k of [2, 1]) {
        await db.prisma.auditEvent.create({
          data: {
            applicationId: newId,
            action: `ACT_${k}`,
            toStatus: status as Status,
            at: new Date(changedAt.getTime() - k * 1000 + 123),
          },
        });
      }
    }
    if (status.endsWith("_CHECK") && i % 4 !== 3) {
      const chosen =
        region === "ALMATY"
          ? [ids[7002]!, ids[7004]!]
          : astanaCheckers.slice(0, 1 + (i % 2)).map((m) => m.userId);
      await db.prisma.notice.create({
        data: {
          applicationId: newId,
          kind: "REJECTION",
          createdById: ids[7001]!,
          checkerIds: chosen,
          createdAt: new Date(changedAt.getTime() - 5000),
        },
      });
      // a newer notice, deleted: not the one that counts
      await db.prisma.notice.create({
        data: {
          applicationId: newId,
          kind: "REJECTION",
          createdById: ids[7001]!,
          checkerIds: [ids[7003]!],
          createdAt: new Date(changedAt.getTime() - 1000),
          deletedAt: changedAt,
        },
      });
    }
  }
}

beforeAll(async () => {
  db = await createTestDb();
  await population();
}, 120_000);
afterAll(async () => {
  await db?.drop();
});
beforeEach(wipe);

describe("reminders: one query", () => {
  it("writes exactly the rows of the per-application loop it replaced, at every threshold", async () => {
    for (const n of [0, 1, 2, 3, 4, 6, 10, 20]) {
      const now = addWorkingDays(base, n);
      await wipe();
      await referenceReminders(db.prisma, now);
      const expected = await reminderRows();
      await wipe();
      const r = await runReminders(reminderDeps(db.prisma), now);
      const got = await reminderRows();
      expect(got).toEqual(expected);
      expect(r.leader).toBe(true);
      expect(r.reminders + r.escalations).toBe(expected.count);
      // and again: nothing new
      expect(await runReminders(reminderDeps(db.prisma), now)).toEqual({
        leader: true,
        reminders: 0,
        escalations: 0,
      });
    }
    // the last threshold reached reminders and escalations in both branches
    const last = await reminderRows();
    expect(last.count).toBeGreaterThan(20);
    expect(Object.keys(last.byChat)).toEqual(
      expect.arrayContaining(["7001", "7002", "7004", "7005", "7006", "100003"]),
    );
  });

  it("fills the SLA-breach gauges from the same run", async () => {
    await runReminders(reminderDeps(db.prisma), addWorkingDays(base, 4));
    const text = await registry.metrics();
    const reminderLevel = Number(/fsms_sla_breaches\{level="reminder"\} (\d+)/.exec(text)?.[1]);
    const escalationLevel = Number(/fsms_sla_breaches\{level="escalation"\} (\d+)/.exec(text)?.[1]);
    expect(reminderLevel).toBeGreaterThan(escalationLevel);
    expect(escalationLevel).toBeGreaterThan(0);
    expect(text).toContain("fsms_reminders_leader 1");
  });
});

describe("reminders: one leader", () => {
  it("an instance that does not get the lock (another one is running) writes nothing, then runs once it is free", async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1::int, $2::int)", [...REMINDERS_LOCK]);
      const now = addWorkingDays(base, 10);
      expect(await runReminders(reminderDeps(db.prisma), now)).toEqual({
        leader: false,
        reminders: 0,
        escalations: 0,
      });
      expect((await reminderRows()).count).toBe(0);
      expect(await registry.metrics()).toContain("fsms_reminders_leader 0");
      await other.query("SELECT pg_advisory_unlock($1::int, $2::int)", [...REMINDERS_LOCK]);
      const r = await runReminders(reminderDeps(db.prisma), now);
      expect(r.leader).toBe(true);
      expect(r.reminders).toBeGreaterThan(0);
    } finally {
      await other.end();
    }
  });

  it("two instances running at the same moment write every reminder once", async () => {
    const now = addWorkingDays(base, 10);
    await referenceReminders(db.prisma, now);
    const expected = (await reminderRows()).count;
    await wipe();
    const second = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
    try {
      let written = 0;
      let skipped = 0;
      for (let round = 0; round < 5; round++) {
        const runs = await Promise.all([
          runReminders(reminderDeps(db.prisma), now),
          runReminders(reminderDeps(second), now),
        ]);
        for (const r of runs) {
          written += r.reminders + r.escalations;
          if (!r.leader) skipped++;
        }
      }
      expect(written).toBe(expected);
      expect((await reminderRows()).count).toBe(expected);
      console.log(`10 runs in 5 simultaneous pairs: ${skipped} found the other one leading`);
    } finally {
      await second.$disconnect();
    }
  });
});
