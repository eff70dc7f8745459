// Invites and roles (prisma/store/users.ts) and the outbox queue (prisma/store/outbox.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PEOPLE } from "../../prisma/data/demo.ts";
import { createDraft } from "../../prisma/store/applications.ts";
import { claimBatch, markFailed, markSent } from "../../prisma/store/outbox.ts";
import {
  actorFor,
  actorIn,
  branchStaff,
  createInvite,
  ensureUser,
  redeemInvite,
  userByTelegramId,
} from "../../prisma/store/users.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { demoOrgId } from "./fixtures.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.drop();
});

describe("invites", () => {
  it("redeems an invite exactly once, granting its roles", async () => {
    const orgId = await demoOrgId(db.prisma, "POLYCLINIC");
    const now = new Date("2026-03-02T06:00:00Z");
    const inv = await createInvite(db.prisma, {
      orgId,
      orgRoles: ["HEAD_ATTORNEY"],
      fullName: "Поверенный",
      now,
    });
    expect(inv.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const a = await ensureUser(db.prisma, { telegramId: 200001 });
    const b = await ensureUser(db.prisma, { telegramId: 200002 });
    const [ra, rb] = await Promise.all([
      redeemInvite(db.prisma, { code: inv.code, userId: a.id, now }),
      redeemInvite(db.prisma, { code: inv.code, userId: b.id, now }),
    ]);
    expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
    expect([ra, rb].find((r) => !r.ok)).toEqual({ ok: false, reason: "used" });
    const winner = ra.ok ? a : b;
    expect(await actorIn(db.prisma, winner.id, { orgId })).toEqual({
      userId: winner.id,
      orgRoles: ["HEAD_ATTORNEY"],
      staffRoles: [],
    });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: winner.id } })).fullName).toBe(
      "Поверенный",
    );
  });

  it("refuses unknown and expired invites", async () => {
    const now = new Date("2026-03-02T06:00:00Z");
    const u = await ensureUser(db.prisma, { telegramId: 200003 });
    const inv = await createInvite(db.prisma, {
      branchId: "BR-ASTANA",
      staffRoles: ["CHECKER"],
      now,
      ttlMs: 1000,
    });
    expect(await redeemInvite(db.prisma, { code: "nope", userId: u.id, now })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(
      await redeemInvite(db.prisma, { code: inv.code, userId: u.id, now: new Date(now.getTime() + 2000) }),
    ).toEqual({ ok: false, reason: "expired" });
    expect(await redeemInvite(db.prisma, { code: inv.code, userId: u.id, now })).toMatchObject({
      ok: true,
      staffRoles: ["CHECKER"],
    });
    expect((await branchStaff(db.prisma, "ASTANA", "CHECKER")).map((x) => x.id)).toContain(u.id);
  });

  it("re-reads the roles for the application's organisation and region", async () => {
    const admin = (await userByTelegramId(db.prisma, DEMO_PEOPLE[0]!.telegramId))!;
    const reviewer = (await userByTelegramId(db.prisma, 100003))!;
    const orgId = await demoOrgId(db.prisma, "POLYCLINIC");
    const made = await createDraft(db.prisma, {
      orgId,
      authorId: admin.id,
      regionCode: "ASTANA",
      now: new Date(),
    });
    const elsewhere = await createDraft(db.prisma, {
      orgId,
      authorId: admin.id,
      regionCode: "ABAI",
      now: new Date(),
    });
    if (!made.ok || !elsewhere.ok) throw new Error("draft");
    expect(await actorFor(db.prisma, admin.id, made.id)).toEqual({
      userId: admin.id,
      orgRoles: ["ORG_ADMIN", "SUPPLIER"],
      staffRoles: [],
    });
    expect((await actorFor(db.prisma, reviewer.id, made.id))?.staffRoles).toEqual(["REVIEWER"]);
    // Not a reviewer of the Abai branch.
    expect((await actorFor(db.prisma, reviewer.id, elsewhere.id))?.staffRoles).toEqual([]);
    // A role removed now is gone for the next action.
    await db.prisma.orgMembership.deleteMany({ where: { userId: admin.id, orgId, role: "ORG_ADMIN" } });
    expect((await actorFor(db.prisma, admin.id, made.id))?.orgRoles).toEqual(["SUPPLIER"]);
    expect(await actorFor(db.prisma, admin.id, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });
});

describe("outbox", () => {
  async function enqueue(chatId: bigint, n: number, tag: string) {
    await db.prisma.outbox.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        eventKey: `${tag}:${i}`,
        chatId,
        kind: "status_changed",
        payload: {},
      })),
    });
  }

  it("never gives the same row to two workers, keeps per-chat order and honours the lease", async () => {
    await enqueue(900001n, 3, "a");
    await enqueue(900002n, 2, "b");
    const [w1, w2] = await Promise.all([
      claimBatch(db.prisma, "w1", 10, 60_000),
      claimBatch(db.prisma, "w2", 10, 60_000),
    ]);
    const all = [...w1, ...w2];
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // only the oldest row of each chat is claimable
    expect(all.map((r) => r.eventKey).sort()).toEqual(["a:0", "b:0"]);
    // leased: nobody else gets them now
    expect(await claimBatch(db.prisma, "w3", 10)).toEqual([]);

    const a0 = all.find((r) => r.eventKey === "a:0")!;
    const holder = w1.includes(a0) ? "w1" : "w2";
    expect(await markSent(db.prisma, a0.id, 42, { workerId: "someone-else" })).toBe(false);
    expect(await markSent(db.prisma, a0.id, 42, { workerId: holder })).toBe(true);
    const next = await claimBatch(db.prisma, "w3", 10);
    expect(next.map((r) => r.eventKey)).toEqual(["a:1"]);

    // retry later: released and due at retryAt; then a permanent failure
    expect(
      await markFailed(db.prisma, next[0]!.id, new Date(Date.now() - 1000), "429", { workerId: "w3" }),
    ).toBe(true);
    const again = await claimBatch(db.prisma, "w4", 10);
    expect(again.map((r) => [r.eventKey, r.attempts])).toEqual([["a:1", 2]]);
    expect(await markFailed(db.prisma, again[0]!.id, null, "403 blocked", { workerId: "w4" })).toBe(true);
    const row = await db.prisma.outbox.findUniqueOrThrow({ where: { id: again[0]!.id } });
    expect(row).toMatchObject({ status: "FAILED", lastError: "403 blocked", lockedBy: null });
    expect((await db.prisma.outbox.findUniqueOrThrow({ where: { id: a0.id } })).messageId).toBe(42);
  });

  it("lets an expired lease be claimed by another worker", async () => {
    await enqueue(900003n, 1, "c");
    const row = (await claimBatch(db.prisma, "crashed", 10, 1)).find((r) => r.eventKey === "c:0");
    expect(row).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    const retaken = await claimBatch(db.prisma, "w5", 10);
    expect(retaken.map((r) => r.eventKey)).toContain("c:0");
    expect(await markSent(db.prisma, row!.id, 1, { workerId: "crashed" })).toBe(false);
  });
});
