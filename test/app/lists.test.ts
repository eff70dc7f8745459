// The lists the store reads for the bot (prisma/store/queues.ts through createStore): the supplier's applications
// newest first, the branch queue oldest first in keyset pages, the head's queue, the versions of a chain — and
// DECISIONS 28 in all of them: an unsaved draft is seen by its author only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Cursor } from "../../prisma/store/index.ts";
import { Chain, type World, world } from "./chain.ts";

let w: World;
let c: Chain;
beforeAll(async () => {
  w = await world();
});
beforeEach(async () => {
  c = await new Chain(w).newOrg();
});
afterAll(() => w?.close());

const queues = () => w.app.ports.store.queues;

describe("the supplier's list", () => {
  it("newest status change first, with offset pages and the total; only this user's organisations", async () => {
    const ids: string[] = [];
    for (const region of ["ASTANA", "AKMOLA", "ABAI", "ALMATY"]) ids.push(await c.formed(region));
    for (const id of ids) await c.must("supplierAdmin", id, "SEND_TO_HEAD");
    const p1 = await queues().supplier(c.id("admin2"), { offset: 0, limit: 3, filter: {} });
    const mine = (xs: { id: string }[]) => xs.map((x) => x.id).filter((x) => ids.includes(x));
    expect(mine(p1.items)).toEqual([...ids].reverse().slice(0, 3));
    const all = await queues().supplier(c.id("admin2"), {
      offset: 0,
      limit: 100,
      filter: { statuses: ["HEAD_APPROVAL"] },
    });
    expect(mine(all.items)).toEqual([...ids].reverse());
    expect(all.total).toBe(all.items.length);
    // the reviewer is in no organisation: the supplier's list is empty for them
    expect((await queues().supplier(c.id("reviewer"), { offset: 0, limit: 10 })).items).toEqual([]);
  });

  it("DECISIONS 28: an unsaved draft is listed for its author only; once saved, for every member", async () => {
    const id = await c.draft();
    const listed = async (who: "supplierAdmin" | "admin2" | "head") =>
      (await queues().supplier(c.id(who), { offset: 0, limit: 100 })).items.some((x) => x.id === id);
    expect([await listed("supplierAdmin"), await listed("admin2"), await listed("head")]).toEqual([
      true,
      false,
      false,
    ]);
    const item = (await queues().supplier(c.id("supplierAdmin"), { offset: 0, limit: 100 })).items.find(
      (x) => x.id === id,
    );
    expect(item?.saved).toBe(false);
    await c.must("supplierAdmin", id, "SAVE");
    expect([await listed("supplierAdmin"), await listed("admin2"), await listed("head")]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("DECISIONS 28: an unsaved new version is not among the chain's versions for others", async () => {
    const v1 = await c.included();
    const v2 = (await c.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    const chainId = (await w.prisma.application.findUniqueOrThrow({ where: { id: v1 } })).chainId;
    const versions = async (who: "supplierAdmin" | "admin2") =>
      (await queues().versions(chainId, c.id(who))).map((v) => v.id);
    expect(await versions("supplierAdmin")).toEqual([v1, v2]);
    expect(await versions("admin2")).toEqual([v1]);
    const latest = await queues().supplier(c.id("admin2"), {
      offset: 0,
      limit: 100,
      filter: { latestOnly: true },
    });
    expect(latest.items.map((x) => x.id)).toContain(v1);
  });
});

describe("the Fund's queues", () => {
  it("the branch's reviewer queue: oldest first, keyset pages without repeats; unsaved drafts never in it", async () => {
    const a = await c.underReview("ASTANA");
    const other = await new Chain(w).newOrg();
    const b = await other.underReview("ASTANA");
    await c.draft("ASTANA");
    const seen: string[] = [];
    let after: Cursor | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const page: Awaited<ReturnType<ReturnType<typeof queues>["open"]>> = await queues().open(
        { regions: ["ASTANA"], statuses: ["UNDER_REVIEW"] },
        { limit: 1, after, cap: 1000 },
      );
      seen.push(...page.items.map((x) => x.id));
      if (!page.more) break;
      const last = page.items.at(-1)!;
      after = { at: last.statusChangedAt, id: last.id };
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(a)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(a)).toBeLessThan(seen.indexOf(b));
  });

  it("the checker's queue shows only the applications whose notice names them", async () => {
    const id = await c.withNotice("INCLUSION");
    await c.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [c.id("checker")] });
    const ids = async (who: "checker" | "checker2") =>
      (
        await queues().open(
          { regions: ["ASTANA"], statuses: ["AGREED_CHECK", "REJECTED_CHECK"], checkerId: c.id(who) },
          { limit: 100, cap: 1000 },
        )
      ).items.map((x) => x.id);
    expect(await ids("checker")).toContain(id);
    expect(await ids("checker2")).not.toContain(id);
  });

  it("the head's queue: the applications awaiting the head of the organisations where the user signs", async () => {
    const id = await c.headApproval();
    const head = await queues().head([c.orgId]);
    expect(head.map((x) => x.id)).toEqual([id]);
    await c.consent(id);
    await c.submit(id);
    expect(await queues().head([c.orgId])).toEqual([]);
  });
});
