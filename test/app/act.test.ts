// The one entry for state changes (app/act.ts) on real PostgreSQL: every decision is one read and one statement,
// the version check leaves exactly one winner and nothing of the loser, a forged version is named as such,
// DECISIONS 8 is enforced by the database's index, the 3-year rule by «Сохранить»'s completeness check, and
// T6 + T8 can be written in one transaction (store.applications.applyAll), all or nothing.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApplyArgs } from "../../domain/ports.ts";
import { checkExclusionWait } from "../../domain/rules.ts";
import { decide, snapshotAfter } from "../../domain/stateMachine.ts";
import { isSilentStatusPush } from "../../domain/workflow.ts";
import { Chain, deliverAll, type World, world } from "./chain.ts";

let w: World;
let c: Chain;
beforeAll(async () => {
  w = await world();
});
beforeEach(async () => {
  c = await new Chain(w).newOrg();
});
afterAll(() => w?.close());

const app = (id: string) => w.prisma.application.findUniqueOrThrow({ where: { id } });
const written = async (id: string) => ({
  audit: await w.prisma.auditEvent.count({ where: { applicationId: id } }),
  outbox: await w.prisma.outbox.count({ where: { applicationId: id } }),
  notices: await w.prisma.notice.count({ where: { applicationId: id } }),
  signatures: await w.prisma.signature.count({ where: { applicationId: id } }),
});

/** The SQL statements sent to PostgreSQL while `fn` runs (pg.Client.query calls of every connection). */
async function statements<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const sql: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    sql.push(String(typeof q === "string" ? q : q?.text).slice(0, 80));
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), sql };
  } finally {
    proto.query = original;
  }
}

describe("act: one read and one statement per press", () => {
  it("walks a draft through the whole inclusion chain; the checker's and approver's presses cost two statements each", async () => {
    const id = await c.draft();
    await c.edit("supplierAdmin", id, { regionCode: "ASTANA", asSupplier: true });
    expect((await app(id)).editSeq).toBe(1);
    await c.must("supplierAdmin", id, "SAVE");
    const form = await c.file("form.pdf");
    await c.must("supplierAdmin", id, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await c.must("supplierAdmin", id, "SEND_TO_HEAD");
    const consent = await c.file("consent.pdf");
    const r = await c.must("head", id, "HEAD_SIGN_CONSENT", {
      signatures: [c.sig("CONSENT", consent.id)],
      document: { kind: "CONSENT", fileId: consent.id },
    });
    expect(r.snapshot?.consentSigned).toBe(true);
    await c.must("head", id, "HEAD_SUBMIT", { confirmed: true, signatures: [c.sig("APPLICATION", form.id)] });
    const sigs = await w.prisma.signature.findMany({
      where: { applicationId: id },
      orderBy: { signedAt: "asc" },
    });
    expect(sigs.map((s) => [s.document, s.sha256, s.fileId])).toEqual([
      ["CONSENT", c.sig("CONSENT", consent.id).sha256, consent.id],
      ["APPLICATION", c.sig("APPLICATION", form.id).sha256, form.id],
    ]);
    await deliverAll(w.prisma, id);
    await c.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    await c.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [c.id("checker")] });
    const v = await c.version(id);
    const confirm = await statements(() =>
      w.app.act({
        applicationId: id,
        expectedVersion: v,
        action: "CHECKER_CONFIRM",
        userId: c.id("checker"),
      }),
    );
    expect(confirm.result.ok).toBe(true);
    expect(confirm.sql, confirm.sql.join("\n")).toHaveLength(2);
    const approve = await statements(() =>
      w.app.act({
        applicationId: id,
        expectedVersion: v + 1,
        action: "APPROVER_APPROVE",
        userId: c.id("approver"),
      }),
    );
    expect(approve.sql, approve.sql.join("\n")).toHaveLength(2);
    const done = await app(id);
    expect(done).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION" });
    expect(await w.prisma.auditEvent.count({ where: { applicationId: id } })).toBe(11); // T1 … T17, one each
  });

  it("the facts read once by the caller (opts.facts) are not read again: one statement", async () => {
    const id = await c.underReview();
    const facts = (await w.app.ports.store.applications.facts(id, c.id("reviewer")))!;
    const r = await statements(() =>
      w.app.act(
        {
          applicationId: id,
          expectedVersion: facts.snapshot.version,
          action: "FORM_INCLUSION_NOTICE",
          userId: c.id("reviewer"),
        },
        { facts },
      ),
    );
    expect(r.result.ok).toBe(true);
    expect(r.sql).toHaveLength(1);
  });
});

describe("act: concurrency (DECISIONS 16)", () => {
  it("two approvals of the same version at once: one winner; the loser is told who decided, and wrote nothing", async () => {
    const id = await c.underApproval("INCLUSION");
    const v = await c.version(id);
    const before = await written(id);
    const results = await Promise.all(
      (["approver", "approver2"] as const).map((who) =>
        w.app.act({ applicationId: id, expectedVersion: v, action: "APPROVER_APPROVE", userId: c.id(who) }),
      ),
    );
    const wins = results.filter((r) => r.ok);
    expect(wins).toHaveLength(1);
    const loss = results.find((r) => !r.ok);
    const winner = await w.prisma.auditEvent.findFirstOrThrow({
      where: { applicationId: id, action: "APPROVER_APPROVE" },
    });
    const winnerName = Object.values(w.users).find((u) => u.id === winner.actorId)?.fullName;
    expect(loss).toMatchObject({
      ok: false,
      kind: "stale",
      decidedBy: winnerName,
      lastAction: "APPROVER_APPROVE",
      status: "INCLUDED",
      unknownVersion: false,
    });
    expect(loss?.ok === false && loss.kind === "stale" && loss.decidedAt).toBeInstanceOf(Date);
    const after = await written(id);
    expect(after.audit).toBe(before.audit + 1);
    const rows = await w.prisma.outbox.findMany({
      where: { applicationId: id, eventKey: { startsWith: `${id}:${v + 1}:` } },
    });
    expect(after.outbox).toBe(
      before.outbox +
        rows.length +
        (await w.prisma.outbox.count({ where: { applicationId: id, kind: "stage_closed" } })),
    );
    expect(rows.every((o) => (o.payload as { actorId: string }).actorId === winner.actorId)).toBe(true);
    expect((await app(id)).version).toBe(v + 1);
  });

  it("two different decisions on one check (confirm and refuse by the two chosen checkers): the first wins", async () => {
    const id = await c.underCheck("REJECTION");
    const v = await c.version(id);
    const [a, b] = await Promise.all([
      w.app.act({
        applicationId: id,
        expectedVersion: v,
        action: "CHECKER_CONFIRM",
        userId: c.id("checker"),
      }),
      w.app.act({
        applicationId: id,
        expectedVersion: v,
        action: "CHECKER_REFUSE",
        userId: c.id("checker2"),
        input: { reasonText: "Основание неверно" },
      }),
    ]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    const status = (await app(id)).status;
    expect(status).toBe(a.ok ? "REJECTED_APPROVAL" : "UNDER_REVIEW");
    expect(
      await w.prisma.auditEvent.count({
        where: { applicationId: id, action: { in: ["CHECKER_CONFIRM", "CHECKER_REFUSE"] } },
      }),
    ).toBe(1);
  });

  it("a forged or never-seen version is named as such (unknownVersion) and writes nothing; an old one is just stale", async () => {
    const id = await c.included();
    const before = await written(id);
    const v = await c.version(id);
    for (const expectedVersion of [v + 5, 0, -1])
      expect(
        await w.app.act({
          applicationId: id,
          expectedVersion,
          action: "FORM_EXCLUSION_NOTICE",
          userId: c.id("reviewer"),
          input: { reasons: ["OTHER"] },
        }),
      ).toMatchObject({ ok: false, kind: "stale", unknownVersion: true, status: "INCLUDED" });
    expect(
      await w.app.act({
        applicationId: id,
        expectedVersion: v - 1,
        action: "FORM_EXCLUSION_NOTICE",
        userId: c.id("reviewer"),
        input: { reasons: ["OTHER"] },
      }),
    ).toMatchObject({ ok: false, kind: "stale", unknownVersion: false });
    expect(await written(id)).toEqual(before);
  });

  it("an unknown application or an unknown user: not_found", async () => {
    const id = await c.draft();
    expect(
      await w.app.act({
        applicationId: "00000000-0000-0000-0000-000000000000",
        expectedVersion: 1,
        action: "SAVE",
        userId: c.id("supplierAdmin"),
      }),
    ).toEqual({ ok: false, kind: "not_found" });
    expect(
      await w.app.act({ applicationId: id, expectedVersion: 1, action: "SAVE", userId: "no-such-user" }),
    ).toEqual({
      ok: false,
      kind: "not_found",
    });
  });

  it("the chosen checkers must be checkers of the application's branch (not_a_checker), nothing written", async () => {
    const id = await c.withNotice("INCLUSION");
    const before = await written(id);
    expect(
      await c.act("reviewer", id, "SEND_TO_CHECK", { checkerIds: [c.id("approver"), c.id("checker")] }),
    ).toEqual({
      ok: false,
      kind: "denied",
      errors: [{ code: "not_a_checker", field: "checkerIds", params: { userId: c.id("approver") } }],
    });
    expect(await written(id)).toEqual(before);
    expect((await app(id)).status).toBe("UNDER_REVIEW");
  });

  it("free text is tidied by the one rule before it is stored (zero-width removed, trimmed)", async () => {
    const id = await c.headApproval();
    await c.must("head", id, "HEAD_REJECT", { reasonText: "  Уточните\u200B адрес  " });
    expect((await app(id)).headRejectReason).toBe("Уточните адрес");
    const back = await c.headApproval("ABAI");
    expect(await c.act("head", back, "HEAD_REJECT", { reasonText: "Нет \u202Eадреса" })).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "text_bidi_control", field: "reasonText" }],
    });
  });
});

describe("DECISIONS 8 by the database (Application_one_open_per_region_key)", () => {
  it("two drafts of one organisation saved in one region: the second gets open_in_region and writes nothing", async () => {
    const a = await c.draft("ASTANA");
    const b = await c.draft("ASTANA");
    await c.must("supplierAdmin", a, "SAVE");
    const before = await app(b);
    expect(await c.act("supplierAdmin", b, "SAVE")).toEqual({ ok: false, kind: "open_in_region" });
    expect(await app(b)).toEqual(before);
    expect(await w.prisma.auditEvent.count({ where: { applicationId: b, action: "SAVE" } })).toBe(0);
    // another region is fine
    await c.edit("supplierAdmin", b, { regionCode: "ABAI" });
    expect((await c.must("supplierAdmin", b, "SAVE")).snapshot?.saved).toBe(true);
  });

  it("moving a saved draft into a region with an open application is refused too", async () => {
    const a = await c.saved("ASTANA");
    const b = await c.saved("ABAI");
    expect(await c.edit("supplierAdmin", b, { regionCode: "ASTANA" })).toEqual({
      ok: false,
      kind: "open_in_region",
    });
    expect((await app(b)).regionCode).toBe("ABAI");
    expect((await app(a)).status).toBe("DRAFT");
  });

  it("DECISIONS 28: an unsaved draft blocks nothing (until it is saved itself)", async () => {
    const unsaved = await c.draft("ASTANA");
    const other = await c.draft("ASTANA");
    expect((await c.must("supplierAdmin", other, "SAVE")).ok).toBe(true);
    expect(await c.act("supplierAdmin", unsaved, "SAVE")).toEqual({ ok: false, kind: "open_in_region" });
  });

  it("an application anywhere in the Fund's hands counts; an included one and an exclusion in progress do not", async () => {
    const open = await c.underCheck("INCLUSION");
    const d = await c.draft("ASTANA");
    expect(await c.act("supplierAdmin", d, "SAVE")).toEqual({ ok: false, kind: "open_in_region" });
    await c.must("checker", open, "CHECKER_CONFIRM");
    await c.must("approver", open, "APPROVER_APPROVE");
    await c.exclusionCheck(open); // «Отклонена. На проверке» of an exclusion
    expect((await app(open)).status).toBe("REJECTED_CHECK");
    expect((await c.must("supplierAdmin", d, "SAVE")).snapshot?.saved).toBe(true);
  });

  it("the 3-year rule through «Сохранить»'s completeness check: refused until 3 years after the exclusion (any region)", async () => {
    const x = await c.exclusionApproval();
    await c.must("approver", x, "APPROVE_EXCLUSION", {
      confirmed: true,
      signatures: [c.sig("EXCLUSION_NOTICE")],
    });
    const excludedAt = (await app(x)).excludedAt!;
    expect(excludedAt).toEqual(w.clock.now());
    const draftComplete = async () => {
      const d = await w.app.ports.store.drafts.load(id);
      const facts = await w.app.ports.store.drafts.saveFacts(d!);
      return checkExclusionWait(facts.lastExclusionAt, w.clock.now()).length === 0;
    };
    const id = await c.draft("ABAI");
    expect(await c.act("supplierAdmin", id, "SAVE", {}, { draftComplete })).toEqual({
      ok: false,
      kind: "denied",
      errors: [{ code: "draft_incomplete" }],
    });
    expect(
      checkExclusionWait(excludedAt, new Date(excludedAt.getTime() + 2 * 365 * 86400_000))[0]?.code,
    ).toBe("excluded_less_than_3_years");
    w.clock.tick(3 * 366 * 86400_000);
    expect((await c.act("supplierAdmin", id, "SAVE", {}, { draftComplete })).ok).toBe(true);
  });
});

describe("T6 + T8 in one transaction (store.applications.applyAll)", () => {
  async function steps(id: string, secondVersion?: number): Promise<ApplyArgs[]> {
    const store = w.app.ports.store.applications;
    const facts = (await store.facts(id, c.id("head")))!;
    const formId = (await app(id)).formFileId!;
    const consent = await c.file("consent.pdf");
    const i6 = {
      signatures: [c.sig("CONSENT", consent.id)],
      document: { kind: "CONSENT" as const, fileId: consent.id },
    };
    const d6 = decide(facts.snapshot, "HEAD_SIGN_CONSENT", facts.actor, i6);
    if (!d6.ok) throw new Error(JSON.stringify(d6.errors));
    const after6 = snapshotAfter(facts.snapshot, d6.value, i6, facts.actor.userId);
    const i8 = { confirmed: true, signatures: [c.sig("APPLICATION", formId)] };
    const d8 = decide(after6, "HEAD_SUBMIT", facts.actor, i8);
    if (!d8.ok) throw new Error(JSON.stringify(d8.errors));
    const now = w.clock.tick();
    const snap8 = secondVersion === undefined ? after6 : { ...after6, version: secondVersion };
    return [
      { facts, decision: d6.value, input: i6, now, silentStatusPush: isSilentStatusPush(d6.value.to) },
      {
        facts: { ...facts, snapshot: snap8 },
        decision: d8.value,
        input: i8,
        now,
        silentStatusPush: isSilentStatusPush(d8.value.to),
      },
    ];
  }

  it("both signatures, each over its own document, and both audit rows are written together", async () => {
    const id = await c.headApproval();
    const v = await c.version(id);
    const r = await w.app.ports.store.applications.applyAll(await steps(id));
    expect(r).toMatchObject({ ok: true, version: v + 2 });
    expect(await app(id)).toMatchObject({ status: "UNDER_REVIEW", version: v + 2 });
    const sigs = await w.prisma.signature.findMany({ where: { applicationId: id } });
    expect(sigs.map((s) => s.document).sort()).toEqual(["APPLICATION", "CONSENT"]);
    expect(new Set(sigs.map((s) => s.sha256)).size).toBe(2);
    const audit = await w.prisma.auditEvent.findMany({
      where: { applicationId: id },
      orderBy: { id: "desc" },
      take: 2,
    });
    expect(audit.map((a) => a.action)).toEqual(["HEAD_SUBMIT", "HEAD_SIGN_CONSENT"]);
  });

  it("when the second fails the first is rolled back: no consent, no signature, the version unchanged", async () => {
    const id = await c.headApproval();
    const before = await app(id);
    const counts = await written(id);
    const r = await w.app.ports.store.applications.applyAll(await steps(id, before.version + 7));
    expect(r).toEqual({ ok: false, reason: "stale" });
    expect(await app(id)).toEqual(before);
    expect(await written(id)).toEqual(counts);
    expect(await w.prisma.applicationDocument.count({ where: { applicationId: id, kind: "CONSENT" } })).toBe(
      0,
    );
    expect((await w.app.ports.store.applications.facts(id, c.id("head")))?.snapshot.consentSigned).toBe(
      false,
    );
  });
});

describe("DECISIONS 26 end to end: what the head signs, and who", () => {
  it("the attorney may not sign the Consent, and sends only once D3 is attached; the head's reason is kept, then cleared", async () => {
    const id = await c.headApproval();
    const consent = await c.file("consent.pdf");
    const t6 = {
      signatures: [c.sig("CONSENT", consent.id)],
      document: { kind: "CONSENT" as const, fileId: consent.id },
    };
    expect(await c.act("attorney", id, "HEAD_SIGN_CONSENT", t6)).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "forbidden_role" }],
    });
    await c.must("head", id, "HEAD_SIGN_CONSENT", t6);
    const formId = (await app(id)).formFileId!;
    const t8 = { confirmed: true, signatures: [c.sig("APPLICATION", formId)] };
    expect(await c.act("attorney", id, "HEAD_SUBMIT", t8)).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "power_of_attorney_required", field: "D3" }],
    });
    // back to the draft with the reason; D3 attached; a new form; a new round
    await c.must("attorney", id, "HEAD_REJECT", { reasonText: "Приложите доверенность" });
    expect((await app(id)).headRejectReason).toBe("Приложите доверенность");
    const poa = await c.file("poa.pdf");
    await c.edit("supplierAdmin", id, { documents: [{ kind: "POWER_OF_ATTORNEY", fileIds: [poa.id] }] });
    expect(await c.act("supplierAdmin", id, "SEND_TO_HEAD")).toMatchObject({
      errors: [{ code: "form_stale" }],
    });
    const form = await c.file("form-2.pdf");
    await c.must("supplierAdmin", id, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await c.must("supplierAdmin", id, "SEND_TO_HEAD");
    expect((await app(id)).headRejectReason).toBeNull();
    // a new head round needs a new Consent
    expect(
      await c.act("attorney", id, "HEAD_SUBMIT", {
        confirmed: true,
        signatures: [c.sig("APPLICATION", form.id)],
      }),
    ).toMatchObject({
      errors: [{ code: "consent_not_signed" }],
    });
    const consent2 = await c.file("consent-2.pdf");
    await c.must("head", id, "HEAD_SIGN_CONSENT", {
      signatures: [c.sig("CONSENT", consent2.id)],
      document: { kind: "CONSENT", fileId: consent2.id },
    });
    await c.must("attorney", id, "HEAD_SUBMIT", {
      confirmed: true,
      signatures: [c.sig("APPLICATION", form.id)],
    });
    const sigs = await w.prisma.signature.findMany({
      where: { applicationId: id },
      orderBy: { signedAt: "asc" },
    });
    expect(sigs.map((s) => [s.document, s.fileId, s.signerId])).toEqual([
      ["CONSENT", consent.id, c.id("head")],
      ["CONSENT", consent2.id, c.id("head")],
      ["APPLICATION", form.id, c.id("attorney")],
    ]);
    expect(new Set(sigs.map((s) => s.sha256)).size).toBe(3);
  });
});
