// Shared helpers for the store tests: demo people by key, and one-call transitions.
import { createHash } from "node:crypto";
import type { TransitionInput } from "../../domain/contracts.ts";
import { decide } from "../../domain/stateMachine.ts";
import type { Action } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { DEMO_ORGANISATIONS, DEMO_PEOPLE } from "../../prisma/data/demo.ts";
import {
  addGeneratedDocument,
  type ApplyTransitionArgs,
  type ApplyTransitionResult,
  applyTransition,
  createDraft,
} from "../../prisma/store/applications.ts";
import { actorFor } from "../../prisma/store/users.ts";

export type PersonKey = (typeof DEMO_PEOPLE)[number]["key"];

export async function demoUsers(
  prisma: PrismaClient,
): Promise<Record<string, { id: string; telegramId: bigint }>> {
  const users = await prisma.user.findMany({
    where: { telegramId: { in: DEMO_PEOPLE.map((p) => BigInt(p.telegramId)) } },
  });
  const out: Record<string, { id: string; telegramId: bigint }> = {};
  for (const p of DEMO_PEOPLE) {
    const u = users.find((x) => x.telegramId === BigInt(p.telegramId));
    if (u) out[p.key] = { id: u.id, telegramId: u.telegramId };
  }
  return out;
}

export async function demoOrgId(prisma: PrismaClient, key: (typeof DEMO_ORGANISATIONS)[number]["key"]) {
  const bin = DEMO_ORGANISATIONS.find((o) => o.key === key)!.bin;
  return (await prisma.organisation.findUniqueOrThrow({ where: { bin } })).id;
}

export const sig = (text: string) => ({
  sha256: createHash("sha256").update(text).digest("hex"),
  method: "telegram-confirmation",
});

/** A clock that moves one minute per call (distinct, ordered timestamps). */
export function steppingClock(start = new Date("2026-03-02T05:00:00Z")) {
  let t = start.getTime();
  return () => {
    t += 60_000;
    return new Date(t);
  };
}

/** A random valid BIN (legal entity, check digit per DECISIONS). */
export function randomBin(): string {
  for (;;) {
    const first11 = `2${String(Math.floor(Math.random() * 1e10)).padStart(10, "0")}`;
    const d = [...first11].map(Number);
    const sum = (w: number[]) => w.reduce((s, wi, i) => s + wi * d[i]!, 0) % 11;
    let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (c !== 10) return first11 + c;
  }
}

export class Flow {
  /** The organisation `draft()` uses (a fresh one per test: see `newOrg`). */
  orgId: string | null = null;

  constructor(
    readonly prisma: PrismaClient,
    readonly users: Record<string, { id: string; telegramId: bigint }>,
    readonly now: () => Date,
  ) {}

  /** A fresh organisation with the demo supplier admin and head as its members. */
  async newOrg(): Promise<{ id: string; bin: string }> {
    const bin = randomBin();
    const org = await this.prisma.organisation.create({
      data: { bin, nameKk: `«Тест ${bin}» ЖШС`, nameRu: `ТОО «Тест ${bin}»`, ownershipFormCode: "PRIVATE" },
    });
    await this.prisma.orgMembership.createMany({
      data: [
        { userId: this.id("supplierAdmin"), orgId: org.id, role: "SUPPLIER" },
        { userId: this.id("supplierAdmin"), orgId: org.id, role: "ORG_ADMIN" },
        { userId: this.id("head"), orgId: org.id, role: "HEAD" },
      ],
    });
    this.orgId = org.id;
    return { id: org.id, bin };
  }

  id(key: string): string {
    const u = this.users[key];
    if (!u) throw new Error(`no demo user ${key}`);
    return u.id;
  }

  async version(applicationId: string) {
    return (await this.prisma.application.findUniqueOrThrow({ where: { id: applicationId } })).version;
  }

  /** Run one transition as a demo person on the current version. */
  async act(
    who: string,
    applicationId: string,
    action: Action,
    input: TransitionInput = {},
    extra: Partial<ApplyTransitionArgs> = {},
  ): Promise<ApplyTransitionResult> {
    const actor = await actorFor(this.prisma, this.id(who), applicationId);
    if (!actor) throw new Error("no actor");
    return applyTransition(this.prisma, {
      applicationId,
      expectedVersion: extra.expectedVersion ?? (await this.version(applicationId)),
      action,
      actor,
      input,
      decide,
      now: this.now(),
      ...extra,
    });
  }

  /** Like act, but fails the test when the transition is not applied. */
  async must(who: string, applicationId: string, action: Action, input: TransitionInput = {}) {
    const r = await this.act(who, applicationId, action, input);
    if (!r.ok) throw new Error(`${action} by ${who} failed: ${JSON.stringify(r)}`);
    return r;
  }

  /** A draft of `orgId` (or of a demo organisation) for a region, with the generated form attached. */
  async draft(regionCode = "ASTANA", author = "supplierAdmin", org?: "POLYCLINIC" | "DIAGNOSTIC") {
    const r = await createDraft(this.prisma, {
      orgId: org || !this.orgId ? await demoOrgId(this.prisma, org ?? "POLYCLINIC") : this.orgId,
      authorId: this.id(author),
      regionCode,
      ownershipFormCode: "STATE",
      asSupplier: true,
      supplierSubtypes: ["PALLIATIVE"],
      bases: [{ address: "г. Астана, район Есиль, проспект Мәңгілік Ел, 55", subtypes: ["PALLIATIVE"] }],
      now: this.now(),
    });
    if (!r.ok) throw new Error(`createDraft: ${JSON.stringify(r)}`);
    await this.formGenerated(r.id);
    return r.id;
  }

  async formGenerated(applicationId: string) {
    const file = await this.prisma.storedFile.create({
      data: {
        sha256: "0".repeat(64),
        size: 1,
        mimeType: "application/pdf",
        fileName: "form.pdf",
        storagePath: "x",
      },
    });
    await addGeneratedDocument(this.prisma, {
      applicationId,
      kind: "APPLICATION_FORM",
      fileId: file.id,
      now: this.now(),
    });
  }

  /** DRAFT → UNDER_REVIEW (T5, T6, T8). */
  async toReview(id: string, author = "supplierAdmin", head = "head") {
    await this.must(author, id, "SEND_TO_HEAD");
    await this.toReviewFrom(id, head);
  }

  /** HEAD_APPROVAL → UNDER_REVIEW (T6, T8). */
  async toReviewFrom(id: string, head = "head") {
    await this.must(head, id, "HEAD_SIGN_CONSENT", { signature: sig(`consent:${id}`) });
    await this.must(head, id, "HEAD_SUBMIT", { confirmed: true, signature: sig(`application:${id}`) });
  }

  /** UNDER_REVIEW → INCLUDED (T9, T12, T14, T17). */
  async include(id: string) {
    await this.must("reviewer", id, "FORM_INCLUSION_NOTICE");
    await this.must("reviewer", id, "SEND_TO_CHECK", {
      checkerIds: [this.id("checker"), this.id("checker2")],
    });
    await this.must("checker", id, "CHECKER_CONFIRM");
    return this.must("approver", id, "APPROVER_APPROVE");
  }

  /** UNDER_REVIEW → REJECTED (T10, T13, T15, T18). */
  async reject(id: string) {
    await this.must("reviewer", id, "FORM_REJECTION_NOTICE", {
      reasons: ["INCOMPLETE_DOCS"],
      note: "Нет D2",
    });
    await this.must("reviewer", id, "SEND_TO_CHECK", { checkerIds: [this.id("checker")] });
    await this.must("checker", id, "CHECKER_CONFIRM");
    return this.must("approver", id, "APPROVER_APPROVE");
  }

  async status(id: string) {
    return (await this.prisma.application.findUniqueOrThrow({ where: { id } })).status;
  }
}
