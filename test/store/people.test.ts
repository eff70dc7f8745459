// People and roles (prisma/store/people.ts through createStore, and app/people.ts): one-time invites redeemed
// exactly once, the person's context in one statement, names by the one free-text rule, and the roles a
// decision re-reads for each application (org roles in its organisation, staff roles in its region's branch).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PEOPLE } from "../../prisma/data/demo.ts";
import { Chain, type World, world } from "../app/chain.ts";
import { demoOrgId } from "./fixtures.ts";

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

const store = () => w.app.ports.store.people;
const NOW = new Date("2026-03-02T06:00:00Z");

describe("invites", () => {
  it("redeems an invite exactly once, granting its roles and its full name", async () => {
    const orgId = await demoOrgId(w.prisma, "POLYCLINIC");
    const inv = await store().createInvite({
      orgId,
      orgRoles: ["HEAD_ATTORNEY"],
      fullName: "Поверенный Тестовый",
      now: NOW,
    });
    expect(inv.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const a = await store().ensure(200001n, null);
    const b = await store().ensure(200002n, "b_user");
    const [ra, rb] = await Promise.all([
      store().redeemInvite(inv.code, a.id, NOW),
      store().redeemInvite(inv.code, b.id, NOW),
    ]);
    expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
    expect([ra, rb].find((r) => !r.ok)).toEqual({ ok: false, reason: "used" });
    const winner = ra.ok ? a : b;
    expect((ra.ok ? ra : rb) as unknown).toMatchObject({
      ok: true,
      orgRoles: ["HEAD_ATTORNEY"],
      org: { id: orgId },
    });
    expect(await store().memberships(winner.id)).toMatchObject({
      org: [{ orgId, role: "HEAD_ATTORNEY" }],
      staff: [],
    });
    expect((await w.prisma.user.findUniqueOrThrow({ where: { id: winner.id } })).fullName).toBe(
      "Поверенный Тестовый",
    );
  });

  it("refuses unknown, badly formed and expired invites", async () => {
    const u = await store().ensure(200003n, null);
    const inv = await store().createInvite({
      branchId: "BR-ASTANA",
      staffRoles: ["CHECKER"],
      now: NOW,
      ttlMs: 1000,
    });
    expect(await store().redeemInvite("nope-nope-nope", u.id, NOW)).toEqual({ ok: false, reason: "unknown" });
    // the application layer refuses a code that cannot be one without asking the database
    expect(await w.app.people.redeemInvite("bad code!", u.id)).toEqual({ ok: false, reason: "unknown" });
    expect(await store().redeemInvite(inv.code, u.id, new Date(NOW.getTime() + 2000))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await store().redeemInvite(inv.code, u.id, NOW)).toMatchObject({
      ok: true,
      staffRoles: ["CHECKER"],
    });
    expect(await store().memberships(u.id)).toMatchObject({
      staff: [{ branchId: "BR-ASTANA", role: "CHECKER" }],
    });
  });

  it("an invite without roles, or with roles but no organisation/branch, is a programming error", async () => {
    await expect(store().createInvite({ now: NOW })).rejects.toThrow("no roles");
    await expect(store().createInvite({ orgRoles: ["HEAD"], now: NOW })).rejects.toThrow("orgId");
    await expect(store().createInvite({ staffRoles: ["CHECKER"], now: NOW })).rejects.toThrow("branchId");
  });
});

describe("the person's context", () => {
  it("first contact creates the user; later the user, roles and chat state come in one read", async () => {
    const first = await w.app.people.context(200010, "200010:200010", "newbie");
    expect(first).toMatchObject({
      created: true,
      memberships: { org: [], staff: [] },
      session: null,
      prompt: null,
    });
    await store().saveChatState("200010:200010", first.user.id, { session: { lang: "kk" } });
    await store().saveChatState("200010:200010", first.user.id, { prompt: { kind: "reason" } });
    const again = await w.app.people.context(200010, "200010:200010", null);
    expect(again).toMatchObject({ created: false, session: { lang: "kk" }, prompt: { kind: "reason" } });
    expect(again.user.id).toBe(first.user.id);
    const reviewer = DEMO_PEOPLE.find((p) => p.key === "reviewer")!;
    const r = await w.app.people.context(reviewer.telegramId, "k", null);
    expect(r.memberships.staff).toEqual([{ branchId: "BR-ASTANA", role: "REVIEWER" }]);
  });

  it("the full name by the one free-text rule: two words of letters, tidied; control characters refused", async () => {
    const u = await store().ensure(200020n, null);
    expect(await w.app.people.setFullName(u.id, "  Әлия   Сәрсенбаева ")).toEqual({
      ok: true,
      name: "Әлия Сәрсенбаева",
    });
    expect(await w.app.people.setFullName(u.id, "Әлия")).toEqual({
      ok: false,
      errors: [{ code: "name_invalid" }],
    });
    expect(await w.app.people.setFullName(u.id, "Әлия \u202EСәрсенбаева")).toMatchObject({
      ok: false,
      errors: [{ code: "text_bidi_control" }],
    });
    expect(await w.app.people.setFullName(u.id, "Иван 007")).toEqual({
      ok: false,
      errors: [{ code: "name_invalid" }],
    });
    expect((await w.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).fullName).toBe(
      "Әлия Сәрсенбаева",
    );
  });
});

describe("the roles a decision reads, per application", () => {
  it("org roles in the application's organisation, staff roles in its region's branch; a removed role is gone at once", async () => {
    const c = await new Chain(w).newOrg();
    const astana = await c.draft("ASTANA");
    const abai = await c.draft("ABAI");
    const facts = (id: string, who: "supplierAdmin" | "reviewer" | "head") =>
      w.app.ports.store.applications.facts(id, c.id(who));
    expect((await facts(astana, "supplierAdmin"))?.actor).toEqual({
      userId: c.id("supplierAdmin"),
      orgRoles: ["ORG_ADMIN", "SUPPLIER"],
      staffRoles: [],
    });
    expect((await facts(astana, "reviewer"))?.actor.staffRoles).toEqual(["REVIEWER"]);
    expect((await facts(abai, "reviewer"))?.actor.staffRoles).toEqual([]); // not a reviewer of the Abai branch
    expect((await facts(astana, "head"))?.actor.orgRoles).toEqual(["HEAD"]);
    const astanaCheckers = (
      await w.prisma.staffMembership.findMany({ where: { branchId: "BR-ASTANA", role: "CHECKER" } })
    ).map((m) => m.userId);
    expect((await facts(astana, "supplierAdmin"))?.branchCheckerIds.sort()).toEqual(astanaCheckers.sort());
    expect(astanaCheckers).toEqual(expect.arrayContaining([c.id("checker"), c.id("checker2")]));
    await w.prisma.orgMembership.deleteMany({
      where: { userId: c.id("supplierAdmin"), orgId: c.orgId, role: "ORG_ADMIN" },
    });
    expect((await facts(astana, "supplierAdmin"))?.actor.orgRoles).toEqual(["SUPPLIER"]);
    expect(
      await w.app.ports.store.applications.facts("00000000-0000-0000-0000-000000000000", c.id("head")),
    ).toBeNull();
  });

  it("the checkers a reviewer may choose: the branch's checkers, never the reviewer", async () => {
    const c = await new Chain(w).newOrg();
    const id = await c.draft("ASTANA");
    const list = await store().branchCheckers(id, c.id("checker"));
    expect(list.map((x) => x.id)).toContain(c.id("checker2"));
    expect(list.map((x) => x.id)).not.toContain(c.id("checker"));
    expect(list.find((x) => x.id === c.id("checker2"))?.name).toBe(w.users.checker2.fullName);
  });
});
