// The store's executor of a decision (prisma/store/transitions.ts) on real PostgreSQL: ONE statement, so a
// failure in any of its parts leaves nothing; applyAll runs its steps one at a time on the transaction's
// connection (pg refuses a query on a busy client) and keeps all or nothing.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApplyArgs } from "../../domain/ports.ts";
import { decide } from "../../domain/stateMachine.ts";
import { applyDecision, decisionStatement } from "../../prisma/store/transitions.ts";
import { Chain, type World, world } from "../app/chain.ts";

let w: World;
let c: Chain;

/** Queries sent to a pg client that is still executing another one. */
const overlapping: string[] = [];
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const proto = pg.Client.prototype as unknown as { query: QueryFn };
const originalQuery = proto.query;

beforeAll(async () => {
  w = await world();
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const self = this as unknown as { _queryQueue?: unknown[]; _activeQuery?: unknown; pipeline?: boolean };
    if ((self._queryQueue?.length ?? 0) > 0 && !self.pipeline) {
      const q = args[0] as string | { text?: string };
      overlapping.push(String(typeof q === "string" ? q : q?.text).slice(0, 120));
    }
    return originalQuery.apply(this, args);
  };
});
beforeEach(async () => {
  c = await new Chain(w).newOrg();
  overlapping.length = 0;
});
afterAll(async () => {
  proto.query = originalQuery;
  await w?.close();
});

async function argsFor(
  id: string,
  who: "head" | "supplierAdmin",
  action: "HEAD_SIGN_CONSENT" | "SEND_TO_HEAD",
  input = {},
) {
  const facts = (await w.app.ports.store.applications.facts(id, c.id(who)))!;
  const d = decide({ ...facts.snapshot, draftComplete: true }, action, facts.actor, input);
  if (!d.ok) throw new Error(JSON.stringify(d.errors));
  return {
    facts,
    decision: d.value,
    input,
    now: w.clock.tick(),
    silentStatusPush: false,
  } satisfies ApplyArgs;
}

describe("a decision is one statement", () => {
  it("decisionStatement is a single WITH … SELECT", async () => {
    const id = await c.formed();
    const s = decisionStatement(await argsFor(id, "supplierAdmin", "SEND_TO_HEAD"));
    expect(s.sql.trimStart().startsWith("WITH")).toBe(true);
    expect(s.sql.split(";").length).toBe(1);
  });

  it("a failure in a later part of the statement (the attached document) leaves nothing, not even the status", async () => {
    const id = await c.headApproval();
    const consent = await c.file("consent.pdf");
    const args = await argsFor(id, "head", "HEAD_SIGN_CONSENT", {
      signatures: [c.sig("CONSENT", consent.id)],
      document: { kind: "CONSENT", fileId: consent.id },
    });
    // a document kind the database does not know: the INSERT of the document fails inside the statement
    const broken: ApplyArgs = {
      ...args,
      decision: { ...args.decision, effects: { ...args.decision.effects, attach: "NOPE" as never } },
      input: { ...args.input, document: { kind: "NOPE" as never, fileId: consent.id } },
    };
    const before = await w.prisma.application.findUniqueOrThrow({ where: { id } });
    const counts = async () => [
      await w.prisma.auditEvent.count({ where: { applicationId: id } }),
      await w.prisma.signature.count({ where: { applicationId: id } }),
      await w.prisma.applicationDocument.count({ where: { applicationId: id } }),
      await w.prisma.outbox.count({ where: { applicationId: id } }),
    ];
    const n0 = await counts();
    await expect(applyDecision(w.prisma, broken)).rejects.toThrow();
    expect(await w.prisma.application.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await counts()).toEqual(n0);
    // the same decision, well formed, goes through
    expect(await applyDecision(w.prisma, args)).toMatchObject({ ok: true, version: before.version + 1 });
  });

  it("a stale version: nothing written (the update finds no row and every part hangs off it)", async () => {
    const id = await c.formed();
    const args = await argsFor(id, "supplierAdmin", "SEND_TO_HEAD");
    const stale: ApplyArgs = {
      ...args,
      facts: { ...args.facts, snapshot: { ...args.facts.snapshot, version: 99 } },
    };
    const audits = await w.prisma.auditEvent.count({ where: { applicationId: id } });
    expect(await applyDecision(w.prisma, stale)).toEqual({ ok: false, reason: "stale" });
    expect(await w.prisma.auditEvent.count({ where: { applicationId: id } })).toBe(audits);
    expect(await w.prisma.outbox.count({ where: { applicationId: id } })).toBe(0);
  });
});

describe("queries inside one transaction run one at a time", () => {
  it("a whole chain to «Включен в БД», «Внести изменение» (T20) and edits with bases, licences and documents", async () => {
    const v1 = await c.included();
    const v2 = (await c.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    const file = await c.file("reg.pdf");
    await c.edit("supplierAdmin", v2, {
      bases: [{ address: "a" }, { address: "b", subtypes: ["PALLIATIVE"] }],
      documents: [{ kind: "REGISTRATION", fileIds: [file.id] }],
    });
    await c.edit("supplierAdmin", v2, {
      bases: [{ address: "c" }],
      documents: [{ kind: "REGISTRATION", fileIds: [] }],
    });
    expect(overlapping).toEqual([]);
  });

  it("applyAll (T6 + T8 in one transaction)", async () => {
    const id = await c.headApproval();
    const store = w.app.ports.store.applications;
    const facts = (await store.facts(id, c.id("head")))!;
    const consent = await c.file("consent.pdf");
    const i6 = {
      signatures: [c.sig("CONSENT", consent.id)],
      document: { kind: "CONSENT" as const, fileId: consent.id },
    };
    const d6 = decide(facts.snapshot, "HEAD_SIGN_CONSENT", facts.actor, i6);
    if (!d6.ok) throw new Error("T6");
    const s8 = { ...facts.snapshot, version: facts.snapshot.version + 1, consentSigned: true };
    const i8 = { confirmed: true, signatures: [c.sig("APPLICATION")] };
    const d8 = decide(s8, "HEAD_SUBMIT", facts.actor, i8);
    if (!d8.ok) throw new Error("T8");
    const now = w.clock.tick();
    const r = await store.applyAll([
      { facts, decision: d6.value, input: i6, now, silentStatusPush: false },
      { facts: { ...facts, snapshot: s8 }, decision: d8.value, input: i8, now, silentStatusPush: true },
    ]);
    expect(r.ok).toBe(true);
    expect(overlapping).toEqual([]);
  });
});
