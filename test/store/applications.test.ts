// Integration tests of the application store on real PostgreSQL: the state machine's decisions executed
// in one transaction (state + notice + audit + outbox), version chains, exclusion and concurrency.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../domain/stateMachine.ts";
import {
  applyTransition,
  type Cursor,
  createApplicationRepository,
  createDraft,
  deleteDraft,
  findOpenInRegion,
  lastExclusion,
  listForOrg,
  listVersions,
  loadSnapshot,
  staffQueue,
  updateDraft,
} from "../../prisma/store/applications.ts";
import { actorFor } from "../../prisma/store/users.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { demoUsers, Flow, sig, steppingClock } from "./fixtures.ts";

// One database for the file; every test works for its own fresh organisation (see Flow.newOrg).
let db: TestDb;
let f: Flow;
let org: { id: string; bin: string };
let users: Awaited<ReturnType<typeof demoUsers>>;
const clock = steppingClock();

beforeAll(async () => {
  db = await createTestDb();
  users = await demoUsers(db.prisma);
});
beforeEach(async () => {
  f = new Flow(db.prisma, { ...users }, clock);
  org = await f.newOrg();
});
afterAll(async () => {
  await db?.drop();
});

const outboxOf = (id: string) =>
  db.prisma.outbox.findMany({ where: { applicationId: id }, orderBy: { id: "asc" } });

describe("the inclusion chain", () => {
  it("takes a draft through head, review, check and approval to «Включен в БД»", async () => {
    const id = await f.draft();
    expect(await f.status(id)).toBe("DRAFT");

    const toHead = await f.must("supplierAdmin", id, "SEND_TO_HEAD");
    expect(toHead.decision.to).toBe("HEAD_APPROVAL");
    // The head is told (with a stage key), the author is the actor: no status push to them.
    let rows = await outboxOf(id);
    expect(rows.map((r) => [r.kind, r.chatId])).toEqual(
      expect.arrayContaining([
        ["head_approval_requested", f.users.head!.telegramId],
        ["status_changed", f.users.head!.telegramId],
      ]),
    );
    expect(rows.every((r) => r.chatId !== f.users.supplierAdmin!.telegramId)).toBe(true);
    expect(rows.find((r) => r.kind === "head_approval_requested")?.stageKey).toBe(`${id}:${toHead.version}`);

    // T8 needs the consent first.
    const early = await f.act("head", id, "HEAD_SUBMIT", { confirmed: true, signature: sig("a") });
    expect(early).toMatchObject({ ok: false, reason: "denied" });
    await f.must("head", id, "HEAD_SIGN_CONSENT", { signature: sig("consent") });
    expect((await loadSnapshot(db.prisma, id))?.consentSigned).toBe(true);
    const submitted = await f.must("head", id, "HEAD_SUBMIT", {
      confirmed: true,
      signature: sig("application"),
    });
    expect(submitted.decision.to).toBe("UNDER_REVIEW");
    const sigs = await db.prisma.signature.findMany({
      where: { applicationId: id },
      orderBy: { signedAt: "asc" },
    });
    expect(sigs.map((s) => s.document)).toEqual(["CONSENT", "APPLICATION"]);
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app.submittedAt).not.toBeNull();

    rows = await outboxOf(id);
    expect(rows.filter((r) => r.kind === "new_for_review").map((r) => r.chatId)).toEqual([
      f.users.reviewer!.telegramId,
    ]);
    expect(
      rows
        .filter((r) => r.kind === "status_changed" && r.eventKey.startsWith(`${id}:${submitted.version}:`))
        .map((r) => r.chatId),
    ).toEqual([f.users.supplierAdmin!.telegramId]); // the head acted; the author is told

    await f.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    const checkers = [f.id("checker"), f.id("checker2")];
    const sent = await f.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: checkers });
    expect(sent.decision.to).toBe("AGREED_CHECK");
    const notice = await db.prisma.notice.findFirstOrThrow({ where: { applicationId: id } });
    expect(notice.sentAt).not.toBeNull();
    expect(notice.checkerIds.sort()).toEqual([...checkers].sort());
    rows = await outboxOf(id);
    expect(
      rows
        .filter((r) => r.kind === "check_requested")
        .map((r) => r.chatId)
        .sort(),
    ).toEqual([f.users.checker!.telegramId, f.users.checker2!.telegramId].sort());

    // Only a chosen checker decides; the reviewer may not approve their own notice either.
    const confirmed = await f.must("checker", id, "CHECKER_CONFIRM");
    expect(confirmed.decision.to).toBe("CONFIRMED_APPROVAL");
    expect((await loadSnapshot(db.prisma, id))?.activeNotice?.checkedById).toBe(f.id("checker"));
    rows = await outboxOf(id);
    expect(rows.filter((r) => r.kind === "approval_requested").map((r) => r.chatId)).toEqual([
      f.users.approver!.telegramId,
    ]);

    const approved = await f.must("approver", id, "APPROVER_APPROVE");
    expect(approved.decision.to).toBe("INCLUDED");
    const done = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(done).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", version: approved.version });
    expect(done.decidedAt).not.toBeNull();

    const audit = await db.prisma.auditEvent.findMany({
      where: { applicationId: id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "CREATE",
      "SEND_TO_HEAD",
      "HEAD_SIGN_CONSENT",
      "HEAD_SUBMIT",
      "FORM_INCLUSION_NOTICE",
      "SEND_TO_CHECK",
      "CHECKER_CONFIRM",
      "APPROVER_APPROVE",
    ]);
    expect(audit.at(-1)).toMatchObject({ fromStatus: "CONFIRMED_APPROVAL", toStatus: "INCLUDED" });
    // The author and the head learn of the inclusion.
    const final = (await outboxOf(id)).filter(
      (r) => r.eventKey.startsWith(`${id}:${approved.version}:`) && r.kind === "status_changed",
    );
    const survey = (await outboxOf(id)).filter((r) => r.kind === "questionnaire");
    expect(survey.map((r) => r.chatId).sort()).toEqual(
      [f.users.supplierAdmin!.telegramId, f.users.head!.telegramId].sort(),
    );
    expect(final.map((r) => r.chatId).sort()).toEqual(
      [f.users.supplierAdmin!.telegramId, f.users.head!.telegramId].sort(),
    );
    expect(final[0]!.payload).toMatchObject({
      from: "CONFIRMED_APPROVAL",
      to: "INCLUDED",
      applicationId: id,
    });
  });

  it("sends a head rejection back to «Проект» with the reason", async () => {
    const id = await f.draft();
    await f.must("supplierAdmin", id, "SEND_TO_HEAD");
    const denied = await f.act("head", id, "HEAD_REJECT", {});
    expect(denied).toMatchObject({ ok: false, reason: "denied", errors: [{ code: "reason_required" }] });
    const r = await f.must("head", id, "HEAD_REJECT", { reasonText: "Уточните адрес" });
    expect(r.decision.to).toBe("DRAFT");
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app).toMatchObject({ status: "DRAFT", headRejectReason: "Уточните адрес" });
    const ev = await db.prisma.auditEvent.findFirstOrThrow({
      where: { applicationId: id, action: "HEAD_REJECT" },
    });
    expect(ev).toMatchObject({ fromStatus: "HEAD_APPROVAL", toStatus: "DRAFT", note: "Уточните адрес" });
    // A new head round needs a new consent.
    await f.must("supplierAdmin", id, "SEND_TO_HEAD");
    expect((await loadSnapshot(db.prisma, id))?.consentSigned).toBe(false);
  });

  it("returns a checker refusal and an approver refusal to «На рассмотрении», discarding the notice", async () => {
    const id = await f.draft();
    await f.toReview(id);
    await f.must("reviewer", id, "FORM_REJECTION_NOTICE", { reasons: ["NO_LICENCE"], note: "L64" });
    const toCheck = await f.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [f.id("checker")] });
    expect(toCheck.decision.to).toBe("REJECTED_CHECK");

    // checker2 was not chosen.
    expect(await f.act("checker2", id, "CHECKER_REFUSE", { reasonText: "x" })).toMatchObject({
      ok: false,
      reason: "denied",
      errors: [{ code: "not_chosen_checker" }],
    });
    const refused = await f.must("checker", id, "CHECKER_REFUSE", { reasonText: "Лицензия L64 есть" });
    expect(refused.decision.to).toBe("UNDER_REVIEW");
    expect(await db.prisma.notice.count({ where: { applicationId: id, deletedAt: null } })).toBe(0);
    const back = (await outboxOf(id)).filter((r) => r.kind === "returned_for_review");
    expect(back.map((r) => r.chatId)).toEqual([f.users.reviewer!.telegramId]);
    expect(back[0]!.payload).toMatchObject({ reasonText: "Лицензия L64 есть" });

    // Again, to the approver, who refuses.
    await f.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    await f.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [f.id("checker2")] });
    await f.must("checker2", id, "CHECKER_CONFIRM");
    const approverRefused = await f.must("approver", id, "APPROVER_REFUSE", {
      reasonText: "Нет заключения СЭС",
    });
    expect(approverRefused.decision).toMatchObject({ from: "CONFIRMED_APPROVAL", to: "UNDER_REVIEW" });
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app).toMatchObject({ status: "UNDER_REVIEW", decisionKind: null });
    expect(await db.prisma.notice.count({ where: { applicationId: id, deletedAt: null } })).toBe(0);
  });

  it("refuses checkers who are not checkers of the region's branch", async () => {
    const id = await f.draft();
    await f.toReview(id);
    await f.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    const r = await f.act("reviewer", id, "SEND_TO_CHECK", { checkerIds: [f.id("approver")] });
    expect(r).toMatchObject({ ok: false, reason: "denied", errors: [{ code: "not_a_checker" }] });
    expect(await f.status(id)).toBe("UNDER_REVIEW");
  });
});

describe("versions («Внести изменение»)", () => {
  it("creates a new version in «Проект» and marks the old one «Изменена» when it is approved", async () => {
    const v1 = await f.draft();
    await f.toReview(v1);
    await f.include(v1);

    const made = await f.must("supplierAdmin", v1, "MAKE_CHANGES");
    const v2 = made.newApplicationId!;
    expect(v2).toBeTruthy();
    const copy = await db.prisma.application.findUniqueOrThrow({
      where: { id: v2 },
      include: { bases: true, documents: true },
    });
    expect(copy).toMatchObject({
      status: "DRAFT",
      versionNo: 2,
      previousId: v1,
      supplierSubtypes: ["PALLIATIVE"],
    });
    expect(copy.bases).toHaveLength(1);
    expect(copy.documents).toHaveLength(0); // generated documents are per version
    expect(await f.status(v1)).toBe("INCLUDED");
    // At most one open version per chain.
    expect(await f.act("supplierAdmin", v1, "MAKE_CHANGES")).toMatchObject({ ok: false, reason: "denied" });

    await f.formGenerated(v2);
    await f.toReview(v2);
    await f.include(v2);
    expect(await f.status(v2)).toBe("INCLUDED");
    expect(await f.status(v1)).toBe("CHANGED");
    const versions = await listVersions(db.prisma, copy.chainId);
    expect(versions.map((v) => [v.versionNo, v.status])).toEqual([
      [1, "CHANGED"],
      [2, "INCLUDED"],
    ]);
    const superseded = await db.prisma.auditEvent.findFirstOrThrow({
      where: { applicationId: v1, action: "SUPERSEDED" },
    });
    expect(superseded).toMatchObject({ fromStatus: "INCLUDED", toStatus: "CHANGED" });
  });

  it("keeps the old version «Включен в БД» when the new version is rejected", async () => {
    const v1 = await f.draft();
    await f.toReview(v1);
    await f.include(v1);
    const v2 = (await f.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    await f.formGenerated(v2);
    await f.toReview(v2);
    await f.reject(v2);
    expect(await f.status(v2)).toBe("REJECTED");
    expect(await f.status(v1)).toBe("INCLUDED");
    // The rejected newest version may be changed again.
    const v3 = (await f.must("supplierAdmin", v2, "MAKE_CHANGES")).newApplicationId!;
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: v3 } })).versionNo).toBe(3);
  });
});

describe("exclusion", () => {
  it("excludes through check and signed approval, then refuses a new application for 3 years", async () => {
    const id = await f.draft();
    await f.toReview(id);
    await f.include(id);

    await f.must("reviewer", id, "FORM_EXCLUSION_NOTICE", {
      reasons: ["LICENCE_TERMINATED"],
      additionalGround: "Приказ № 12",
    });
    const x3 = await f.must("reviewer", id, "SEND_EXCLUSION_TO_CHECK", { checkerIds: [f.id("checker")] });
    expect(x3.decision).toMatchObject({ to: "REJECTED_CHECK", decisionKind: "EXCLUSION" });
    await f.must("checker", id, "CHECKER_CONFIRM");
    expect(await f.act("approver", id, "APPROVE_EXCLUSION", { confirmed: true })).toMatchObject({
      ok: false,
      errors: [{ code: "signature_required" }],
    });
    const x7 = await f.must("approver", id, "APPROVE_EXCLUSION", {
      confirmed: true,
      signature: sig("exclusion"),
    });
    expect(x7.decision.to).toBe("EXCLUDED");
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app.excludedAt).not.toBeNull();
    expect(
      await db.prisma.signature.count({ where: { applicationId: id, document: "EXCLUSION_NOTICE" } }),
    ).toBe(1);
    expect((await lastExclusion(db.prisma, org.bin))?.excludedAt).toEqual(app.excludedAt);
    const told = (await outboxOf(id)).filter((r) => r.eventKey.startsWith(`${id}:${x7.version}:`));
    expect(told[0]!.payload).toMatchObject({ to: "EXCLUDED", reasons: ["LICENCE_TERMINATED"] });

    // Any region, same BIN: refused until 3 years after the decision.
    const orgId = org.id;
    const soon = await createDraft(db.prisma, {
      orgId,
      authorId: f.id("supplierAdmin"),
      regionCode: "AKMOLA",
      now: new Date(app.excludedAt!.getTime() + 2 * 365 * 86400_000),
    });
    expect(soon).toMatchObject({ ok: false, reason: "excluded_recently" });
    const later = await createDraft(db.prisma, {
      orgId,
      authorId: f.id("supplierAdmin"),
      regionCode: "AKMOLA",
      now: new Date(app.excludedAt!.getTime() + 3 * 366 * 86400_000),
    });
    expect(later.ok).toBe(true);
  });

  it("cancels the exclusion when the checker refuses: stays «Включен в БД»", async () => {
    const id = await f.draft();
    await f.toReview(id);
    await f.include(id);
    await f.must("reviewer", id, "FORM_EXCLUSION_NOTICE", { reasons: ["OTHER"] });
    await f.must("reviewer", id, "SEND_EXCLUSION_TO_CHECK", { checkerIds: [f.id("checker")] });
    const r = await f.must("checker", id, "CHECKER_REFUSE", { reasonText: "Лицензия действует" });
    expect(r.decision.to).toBe("INCLUDED");
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", excludedAt: null });
    const cancelled = (await outboxOf(id)).filter((x) => x.kind === "exclusion_cancelled");
    expect(cancelled.map((x) => x.chatId)).toEqual([f.users.reviewer!.telegramId]);
  });
});

describe("concurrency and atomicity", () => {
  it("lets exactly one of two concurrent approvals of the same version win, with its audit and outbox rows only", async () => {
    const id = await f.draft();
    await f.toReview(id);
    await f.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    await f.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [f.id("checker")] });
    await f.must("checker", id, "CHECKER_CONFIRM");

    // A second approver of the Astana branch.
    const second = await db.prisma.user.create({
      data: { telegramId: 100099n, fullName: "Второй Согласующий" },
    });
    // (created once per file: this is the only test that adds a user)
    await db.prisma.staffMembership.create({
      data: { userId: second.id, branchId: "BR-ASTANA", role: "APPROVER" },
    });
    f.users.approver2 = { id: second.id, telegramId: second.telegramId };

    const v = await f.version(id);
    const outboxBefore = await db.prisma.outbox.count();
    const results = await Promise.all([
      f.act("approver", id, "APPROVER_APPROVE", {}, { expectedVersion: v }),
      f.act("approver2", id, "APPROVER_APPROVE", {}, { expectedVersion: v }),
    ]);
    const wins = results.filter((r) => r.ok);
    const losses = results.filter((r) => !r.ok);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(1);
    const loss = losses[0]!;
    const win = wins[0]!;
    if (loss.ok || !win.ok) throw new Error("unreachable");
    expect(loss.reason).toBe("stale");
    const winnerId = (
      await db.prisma.auditEvent.findFirstOrThrow({
        where: { applicationId: id, action: "APPROVER_APPROVE" },
      })
    ).actorId;
    if (loss.reason === "stale") {
      expect(loss.decidedBy?.userId).toBe(winnerId);
      expect(loss.decidedAt).toBeInstanceOf(Date);
      expect(loss.status).toBe("INCLUDED");
    }
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: id, action: "APPROVER_APPROVE" } }),
    ).toBe(1);
    const newRows = await db.prisma.outbox.findMany({ where: { id: { in: win.outboxIds } } });
    expect(await db.prisma.outbox.count()).toBe(outboxBefore + newRows.length);
    expect(newRows.length).toBeGreaterThan(0);
    expect(newRows.every((r) => (r.payload as { actorId: string }).actorId === winnerId)).toBe(true);
    expect(await f.status(id)).toBe("INCLUDED");
  });

  it("answers a stale version with who decided last and when, writing nothing", async () => {
    const id = await f.draft();
    const v = await f.version(id);
    await f.must("supplierAdmin", id, "SEND_TO_HEAD");
    const audits = await db.prisma.auditEvent.count();
    const r = await f.act("supplierAdmin", id, "SEND_TO_HEAD", {}, { expectedVersion: v });
    expect(r).toMatchObject({
      ok: false,
      reason: "stale",
      status: "HEAD_APPROVAL",
      lastAction: "SEND_TO_HEAD",
    });
    if (!r.ok && r.reason === "stale") expect(r.decidedBy?.fullName).toBe("Айгерим Садықова");
    expect(await db.prisma.auditEvent.count()).toBe(audits);
  });

  it("rolls the whole transition back when a write in it fails", async () => {
    const id = await f.draft();
    const before = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    const audits = await db.prisma.auditEvent.count();
    const outbox = await db.prisma.outbox.count();
    await expect(
      f.act(
        "supplierAdmin",
        id,
        "SEND_TO_HEAD",
        {},
        {
          also: async () => {
            throw new Error("disk full");
          },
        },
      ),
    ).rejects.toThrow("disk full");
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ status: before.status, version: before.version });
    expect(await db.prisma.auditEvent.count()).toBe(audits);
    expect(await db.prisma.outbox.count()).toBe(outbox);
  });

  it("implements the domain's repository port", async () => {
    const id = await f.draft();
    const repo = createApplicationRepository(db.prisma, () => new Date("2026-03-03T06:00:00Z"));
    const snap = (await repo.load(id))!;
    const actor = (await actorFor(db.prisma, f.id("supplierAdmin"), id))!;
    const d = decide(snap, "SEND_TO_HEAD", actor, {});
    if (!d.ok) throw new Error(JSON.stringify(d.errors));
    expect(await repo.apply(id, snap.version, d.value, actor, {})).toEqual({
      ok: true,
      value: { version: snap.version + 1, newApplicationId: undefined },
    });
    const again = await repo.apply(id, snap.version, d.value, actor, {});
    expect(again).toMatchObject({ ok: false, errors: [{ code: "version_conflict" }] });
  });
});

describe("drafts", () => {
  it("writes edits with an audit of the changed fields and refuses stale versions", async () => {
    const id = await f.draft();
    const v = await f.version(id);
    const r = await updateDraft(
      db.prisma,
      id,
      v,
      { supplierSubtypes: ["PALLIATIVE", "ONCO_OUTPAT"], hasPharmacy: null, progress: { step: "bases" } },
      { actorId: f.id("supplierAdmin"), now: new Date("2026-03-05T06:00:00Z") },
    );
    expect(r).toEqual({ ok: true, id, version: v + 1 });
    const ev = await db.prisma.auditEvent.findFirstOrThrow({ where: { applicationId: id, action: "EDIT" } });
    expect((ev.changes as { fields: string[] }).fields).toEqual(["supplierSubtypes"]);
    expect(
      await updateDraft(
        db.prisma,
        id,
        v,
        { asCoExecutor: true },
        { actorId: f.id("supplierAdmin"), now: new Date() },
      ),
    ).toEqual({ ok: false, reason: "stale" });
    // Progress only: no audit row.
    await updateDraft(
      db.prisma,
      id,
      v + 1,
      { progress: { step: "docs" } },
      { actorId: f.id("supplierAdmin"), now: new Date() },
    );
    expect(await db.prisma.auditEvent.count({ where: { applicationId: id, action: "EDIT" } })).toBe(1);
  });

  it("keeps one open application per organisation and region", async () => {
    const id = await f.draft("ASTANA");
    const orgId = org.id;
    const second = await createDraft(db.prisma, {
      orgId,
      authorId: f.id("supplierAdmin"),
      regionCode: "ASTANA",
      now: new Date(),
    });
    expect(second).toMatchObject({ ok: false, reason: "open_in_region", open: { id } });
    const other = await createDraft(db.prisma, { orgId, authorId: f.id("supplierAdmin"), now: new Date() });
    if (!other.ok) throw new Error("create");
    expect(
      await updateDraft(
        db.prisma,
        other.id,
        1,
        { regionCode: "ASTANA" },
        { actorId: f.id("supplierAdmin"), now: new Date() },
      ),
    ).toMatchObject({ ok: false, reason: "open_in_region" });
    expect((await findOpenInRegion(db.prisma, orgId, "ASTANA"))?.id).toBe(id);
  });

  it("deletes a draft after confirmation and keeps its audit row", async () => {
    const id = await f.draft();
    const actor = (await actorFor(db.prisma, f.id("supplierAdmin"), id))!;
    const r = await deleteDraft(db.prisma, {
      applicationId: id,
      expectedVersion: await f.version(id),
      actor,
      decide,
      now: new Date(),
    });
    expect(r).toMatchObject({ ok: true, decision: { to: "DELETED" } });
    expect(await db.prisma.application.findUnique({ where: { id } })).toBeNull();
    const audit = await db.prisma.auditEvent.findMany({ where: { chainId: id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.applicationId])).toEqual([
      ["CREATE", null],
      ["DELETE", null],
    ]);
  });

  it("refuses the head and Fund staff actions of people without the role", async () => {
    const id = await f.draft();
    expect(await f.act("reviewer", id, "SEND_TO_HEAD")).toMatchObject({
      ok: false,
      reason: "denied",
      errors: [{ code: "forbidden_role" }],
    });
    expect(
      await applyTransition(db.prisma, {
        applicationId: "00000000-0000-0000-0000-000000000000",
        expectedVersion: 1,
        action: "SEND_TO_HEAD",
        actor: { userId: f.id("supplierAdmin"), orgRoles: ["SUPPLIER", "ORG_ADMIN"], staffRoles: [] },
        input: {},
        decide,
        now: new Date(),
      }),
    ).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("lists and queues", () => {
  it("lists the supplier's applications newest first and the branch queue oldest first, with keyset pages", async () => {
    const orgId = org.id;
    const ids: string[] = [];
    for (const region of ["ASTANA", "AKMOLA", "ABAI", "ALMATY"]) ids.push(await f.draft(region));
    for (const id of ids) await f.must("supplierAdmin", id, "SEND_TO_HEAD");

    const p1 = await listForOrg(db.prisma, orgId, { limit: 3 });
    expect(p1.items.map((a) => a.id)).toEqual([...ids].reverse().slice(0, 3));
    const p2 = await listForOrg(db.prisma, orgId, { limit: 3, after: p1.next });
    expect(p2.items.map((a) => a.id)).toEqual([ids[0]]);
    expect(p2.next).toBeNull();

    // Two organisations in the Astana queue (one open application per organisation and region).
    const diag = await f.draft("ASTANA", "diagnosticAdmin", "DIAGNOSTIC");
    await f.must("diagnosticAdmin", diag, "SEND_TO_HEAD");
    await f.toReviewFrom(diag, "diagnosticHead");
    await f.toReviewFrom(ids[0]!);
    // Walk the whole queue one item a page (other tests share the database): no repeats, oldest first.
    const seen: string[] = [];
    let after: Cursor | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof staffQueue>> = await staffQueue(
        db.prisma,
        "ASTANA",
        ["UNDER_REVIEW"],
        {
          limit: 1,
          after,
        },
      );
      seen.push(...page.items.map((a) => a.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(diag)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(diag)).toBeLessThan(seen.indexOf(ids[0]!));
  });
});
