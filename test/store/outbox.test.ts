// The outbox table as a queue (prisma/store/outbox.ts) and the one "is the step still open" rule on the worker's
// side (app.outbox: a stage message delivered after its step was decided is closed at once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBatch, markFailed, markSent } from "../../prisma/store/outbox.ts";
import { Chain, type World, world } from "../app/chain.ts";

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

async function enqueue(chatId: bigint, n: number, tag: string) {
  await w.prisma.outbox.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      eventKey: `${tag}:${i}`,
      chatId,
      kind: "status_changed",
      payload: {},
    })),
  });
}

describe("outbox queue", () => {
  it("never gives the same row to two workers, keeps per-chat order and honours the lease", async () => {
    await enqueue(900001n, 3, "a");
    await enqueue(900002n, 2, "b");
    const [w1, w2] = await Promise.all([
      claimBatch(w.prisma, "w1", 10, 60_000),
      claimBatch(w.prisma, "w2", 10, 60_000),
    ]);
    const all = [...w1, ...w2].filter((r) => r.eventKey.startsWith("a:") || r.eventKey.startsWith("b:"));
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // only the oldest row of each chat is claimable
    expect(all.map((r) => r.eventKey).sort()).toEqual(["a:0", "b:0"]);
    // leased: nobody else gets them now
    expect((await claimBatch(w.prisma, "w3", 10)).filter((r) => r.chatId === 900001n)).toEqual([]);

    const a0 = all.find((r) => r.eventKey === "a:0")!;
    const holder = w1.includes(a0) ? "w1" : "w2";
    expect(await markSent(w.prisma, a0.id, 42, { workerId: "someone-else" })).toBe(false);
    expect(await markSent(w.prisma, a0.id, 42, { workerId: holder })).toBe(true);
    const next = (await claimBatch(w.prisma, "w3", 10)).filter((r) => r.chatId === 900001n);
    expect(next.map((r) => r.eventKey)).toEqual(["a:1"]);

    // retry later: released and due at retryAt; then a permanent failure
    expect(
      await markFailed(w.prisma, next[0]!.id, new Date(Date.now() - 1000), "429", { workerId: "w3" }),
    ).toBe(true);
    const again = (await claimBatch(w.prisma, "w4", 10)).filter((r) => r.chatId === 900001n);
    expect(again.map((r) => [r.eventKey, r.attempts])).toEqual([["a:1", 2]]);
    expect(await markFailed(w.prisma, again[0]!.id, null, "403 blocked", { workerId: "w4" })).toBe(true);
    const row = await w.prisma.outbox.findUniqueOrThrow({ where: { id: again[0]!.id } });
    expect(row).toMatchObject({ status: "FAILED", lastError: "403 blocked", lockedBy: null });
    expect((await w.prisma.outbox.findUniqueOrThrow({ where: { id: a0.id } })).messageId).toBe(42);
  });

  it("lets an expired lease be claimed by another worker", async () => {
    await enqueue(900003n, 1, "c");
    const row = (await claimBatch(w.prisma, "crashed", 10, 1)).find((r) => r.eventKey === "c:0");
    expect(row).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    const retaken = await claimBatch(w.prisma, "w5", 10);
    expect(retaken.map((r) => r.eventKey)).toContain("c:0");
    expect(await markSent(w.prisma, row!.id, 1, { workerId: "crashed" })).toBe(false);
  });
});

describe("a stage message delivered after its step was decided (app.outbox)", () => {
  it("is not live and is closed at once; one delivered while its step is open is live and left alone", async () => {
    const c = await new Chain(w).newOrg();
    const id = await c.underCheck("INCLUSION");
    const requests = await w.prisma.outbox.findMany({
      where: { applicationId: id, kind: "check_requested" },
    });
    expect(requests.map((r) => r.userId).sort()).toEqual([c.id("checker"), c.id("checker2")].sort());
    const [early, late] = requests;
    // the first is delivered while the check is open
    const ctx1 = await w.app.outbox.context(early!);
    expect(ctx1.live).toBe(true);
    await w.app.outbox.afterSent(early!, 501);
    expect(await w.prisma.outbox.count({ where: { applicationId: id, kind: "stage_closed" } })).toBe(0);
    // the check is decided while the second is on its way
    await c.must("checker", id, "CHECKER_CONFIRM");
    const ctx2 = await w.app.outbox.context(late!);
    expect(ctx2.live).toBe(false);
    await w.app.outbox.afterSent(late!, 502);
    const closes = await w.prisma.outbox.findMany({ where: { applicationId: id, kind: "stage_closed" } });
    expect(closes.map((x) => [x.eventKey, x.userId])).toEqual([[`close:${late!.id}`, late!.userId]]);
    expect(closes[0]?.payload).toMatchObject({
      outboxId: String(late!.id),
      messageId: 502,
      decidedBy: w.users.checker.fullName,
      toStatus: "CONFIRMED_APPROVAL",
    });
    // twice is once
    await w.app.outbox.afterSent(late!, 502);
    expect(await w.prisma.outbox.count({ where: { applicationId: id, kind: "stage_closed" } })).toBe(1);
  });
});
