// Set-up for the application-layer tests on real PostgreSQL: the app built by the composition root's recipe,
// a clock the test moves, demo people plus a second supplier-admin, a plain supplier, an attorney and a second
// approver, a fresh organisation per test, and one helper per step of the chain (every step through app.act).
import { createHash, randomUUID } from "node:crypto";
import pino from "pino";
import type { ActOptions, Command, Outcome } from "../../app/act.ts";
import type { App } from "../../app/index.ts";
import { composeApp } from "../../bot/runtime/compose.ts";
import type { SignatureInput, SignedDocumentKind, TransitionInput } from "../../domain/contracts.ts";
import type { Action, DecisionKind } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { contentOf } from "../../prisma/store/drafts.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { demoUsers, randomBin } from "../store/fixtures.ts";

export type Who =
  | "supplierAdmin"
  | "admin2"
  | "supplierOnly"
  | "head"
  | "attorney"
  | "reviewer"
  | "checker"
  | "checker2"
  | "approver"
  | "approver2"
  | "manager";

/** A clock the test moves: every act happens one minute after the previous one. */
export class TestClock {
  private t = new Date("2026-03-02T05:00:00.000Z").getTime();
  now = (): Date => new Date(this.t);
  private frozen = false;
  /** Move the clock to `d`; `frozen`: every act happens exactly then (tests of exact deadlines). */
  set(d: Date, opts: { frozen?: boolean } = {}): void {
    this.t = d.getTime();
    this.frozen = opts.frozen ?? false;
  }
  tick(ms = 60_000): Date {
    if (this.frozen) return this.now();
    this.t += ms;
    return this.now();
  }
}

export interface World {
  db: TestDb;
  prisma: PrismaClient;
  app: App;
  clock: TestClock;
  users: Record<Who, { id: string; telegramId: bigint; fullName: string | null }>;
  close(): Promise<void>;
}

let extraTg = 300_000 + Math.floor(Math.random() * 100_000);

async function extraUser(prisma: PrismaClient, fullName: string) {
  return prisma.user.create({ data: { telegramId: BigInt(extraTg++), fullName, language: "kk" } });
}

export async function world(): Promise<World> {
  const db = await createTestDb();
  const clock = new TestClock();
  const app = composeApp({
    prisma: db.prisma,
    config: { FILES_DIR: `/tmp/fsms-test-files/app-${process.pid}` },
    logger: pino({ level: "silent" }),
    clock: { now: clock.now },
  });
  const demo = await demoUsers(db.prisma);
  const admin2 = await extraUser(db.prisma, "Ерлан Жақсыбеков");
  const supplierOnly = await extraUser(db.prisma, "Дана Оспанова");
  const attorney = await extraUser(db.prisma, "Марат Нұрланов");
  const approver2 = await extraUser(db.prisma, "Гульнара Ахметова");
  await db.prisma.staffMembership.create({
    data: { userId: approver2.id, branchId: "BR-ASTANA", role: "APPROVER" },
  });
  const names = await db.prisma.user.findMany({
    where: { id: { in: Object.values(demo).map((u) => u.id) } },
  });
  const ref = (u: { id: string; telegramId: bigint }) => ({
    id: u.id,
    telegramId: u.telegramId,
    fullName: names.find((n) => n.id === u.id)?.fullName ?? null,
  });
  const users = {
    supplierAdmin: ref(demo.supplierAdmin!),
    head: ref(demo.head!),
    reviewer: ref(demo.reviewer!),
    checker: ref(demo.checker!),
    checker2: ref(demo.checker2!),
    approver: ref(demo.approver!),
    manager: ref(demo.manager!),
    admin2: { id: admin2.id, telegramId: admin2.telegramId, fullName: admin2.fullName },
    supplierOnly: {
      id: supplierOnly.id,
      telegramId: supplierOnly.telegramId,
      fullName: supplierOnly.fullName,
    },
    attorney: { id: attorney.id, telegramId: attorney.telegramId, fullName: attorney.fullName },
    approver2: { id: approver2.id, telegramId: approver2.telegramId, fullName: approver2.fullName },
  };
  return { db, prisma: db.prisma, app, clock, users, close: () => db.drop() };
}

export const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** The steps of the chain for one fresh organisation (its author, head, attorney, second admin, plain supplier). */
export class Chain {
  orgId = "";
  bin = "";
  constructor(readonly w: World) {}

  get prisma() {
    return this.w.prisma;
  }
  id(who: Who): string {
    return this.w.users[who].id;
  }

  /** A fresh organisation: supplierAdmin (the author) and admin2 are «Поставщик» + «Администратор организации». */
  async newOrg(): Promise<this> {
    this.bin = randomBin();
    const org = await this.prisma.organisation.create({
      data: {
        bin: this.bin,
        nameKk: `«Тест ${this.bin}» ЖШС`,
        nameRu: `ТОО «Тест ${this.bin}»`,
        ownershipFormCode: "PRIVATE",
      },
    });
    this.orgId = org.id;
    const m = (who: Who, role: "SUPPLIER" | "ORG_ADMIN" | "HEAD" | "HEAD_ATTORNEY") => ({
      userId: this.id(who),
      orgId: org.id,
      role,
    });
    await this.prisma.orgMembership.createMany({
      data: [
        m("supplierAdmin", "SUPPLIER"),
        m("supplierAdmin", "ORG_ADMIN"),
        m("admin2", "SUPPLIER"),
        m("admin2", "ORG_ADMIN"),
        m("supplierOnly", "SUPPLIER"),
        m("head", "HEAD"),
        m("attorney", "HEAD_ATTORNEY"),
      ],
    });
    return this;
  }

  async file(name = "doc.pdf") {
    return this.prisma.storedFile.create({
      data: {
        sha256: sha(`${name}:${randomUUID()}`),
        size: 10,
        mimeType: "application/pdf",
        fileName: name,
        storagePath: "x",
      },
    });
  }

  /** T1: an unsaved draft of this organisation in a region, with one base. */
  async draft(
    regionCode = "ASTANA",
    author: Who = "supplierAdmin",
    extra: { bases?: { address: string }[] } = {},
  ) {
    const d = await this.w.app.ports.store.drafts.create({
      orgId: this.orgId,
      authorId: this.id(author),
      now: this.w.clock.tick(),
      ownershipFormCode: "PRIVATE",
      licenceIds: [],
      bases: extra.bases ?? [{ address: "г. Астана, район Есиль, проспект Мәңгілік Ел, 55" }],
      progress: { step: "A_OWN" },
      prefill: {
        asSupplier: true,
        asCoExecutor: false,
        supplierSubtypes: ["PALLIATIVE"],
        coExecutorSubtypes: [],
        hasPharmacy: null,
        regionCode,
        documents: [],
      },
    });
    return d.id;
  }

  async version(id: string) {
    return (await this.prisma.application.findUniqueOrThrow({ where: { id } })).version;
  }

  /** One press through the application layer, one minute after the previous one. */
  async act(
    who: Who,
    id: string,
    action: Action,
    input: TransitionInput = {},
    opts: ActOptions & { version?: number } = {},
  ) {
    const { version, ...rest } = opts;
    const cmd: Command = {
      applicationId: id,
      expectedVersion: version ?? (await this.version(id)),
      action,
      userId: this.id(who),
      input,
    };
    this.w.clock.tick();
    return this.w.app.act(cmd, { draftComplete: async () => true, ...rest });
  }

  async must(who: Who, id: string, action: Action, input: TransitionInput = {}, opts: ActOptions = {}) {
    const r = await this.act(who, id, action, input, opts);
    if (!r.ok) throw new Error(`${action} by ${who}: ${JSON.stringify(r)}`);
    return r as Extract<Outcome, { ok: true }>;
  }

  /** T2 with the draft as read (the patch is written as a difference). */
  async edit(who: Who, id: string, patch: NonNullable<TransitionInput["patch"]>) {
    const d = await this.w.app.ports.store.drafts.load(id);
    return this.act(who, id, "EDIT", { patch }, { before: d ? contentOf(d) : undefined });
  }

  sig(document: SignedDocumentKind, fileId?: string): SignatureInput {
    return {
      document,
      sha256: sha(`${document}:${fileId ?? ""}`),
      method: "telegram-confirmation",
      ...(fileId ? { fileId } : {}),
    };
  }

  // ───────────── the chain, step by step ─────────────

  async saved(region = "ASTANA") {
    const id = await this.draft(region);
    await this.must("supplierAdmin", id, "SAVE");
    return id;
  }
  async formed(region = "ASTANA") {
    const id = await this.saved(region);
    const form = await this.file("form.pdf");
    await this.must("supplierAdmin", id, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    return id;
  }
  async headApproval(region = "ASTANA") {
    const id = await this.formed(region);
    await this.must("supplierAdmin", id, "SEND_TO_HEAD");
    return id;
  }
  async consent(id: string) {
    const c = await this.file("consent.pdf");
    await this.must("head", id, "HEAD_SIGN_CONSENT", {
      signatures: [this.sig("CONSENT", c.id)],
      document: { kind: "CONSENT", fileId: c.id },
    });
    return id;
  }
  async consented(region = "ASTANA") {
    return this.consent(await this.headApproval(region));
  }
  async submit(id: string) {
    const formId =
      (await this.prisma.application.findUniqueOrThrow({ where: { id } })).formFileId ?? undefined;
    await this.must("head", id, "HEAD_SUBMIT", {
      confirmed: true,
      signatures: [this.sig("APPLICATION", formId)],
    });
    return id;
  }
  async underReview(region = "ASTANA") {
    return this.submit(await this.consented(region));
  }
  async withNotice(kind: "INCLUSION" | "REJECTION", id?: string) {
    const app = id ?? (await this.underReview());
    if (kind === "INCLUSION") await this.must("reviewer", app, "FORM_INCLUSION_NOTICE");
    else
      await this.must("reviewer", app, "FORM_REJECTION_NOTICE", { reasons: ["NO_LICENCE"], note: "Нет L64" });
    return app;
  }
  async underCheck(kind: "INCLUSION" | "REJECTION", id?: string) {
    const app = await this.withNotice(kind, id);
    await this.must("reviewer", app, "SEND_TO_CHECK", {
      checkerIds: [this.id("checker"), this.id("checker2")],
    });
    return app;
  }
  async underApproval(kind: "INCLUSION" | "REJECTION", id?: string) {
    const app = await this.underCheck(kind, id);
    await this.must("checker", app, "CHECKER_CONFIRM");
    return app;
  }
  async included(id?: string) {
    const app = await this.underApproval("INCLUSION", id);
    await this.must("approver", app, "APPROVER_APPROVE");
    return app;
  }
  async rejected(id?: string) {
    const app = await this.underApproval("REJECTION", id);
    await this.must("approver", app, "APPROVER_APPROVE");
    return app;
  }
  async exclusionNotice(id?: string) {
    const app = id ?? (await this.included());
    await this.must("reviewer", app, "FORM_EXCLUSION_NOTICE", {
      reasons: ["LICENCE_TERMINATED"],
      additionalGround: "Приказ № 12",
    });
    return app;
  }
  async exclusionCheck(id?: string) {
    const app = await this.exclusionNotice(id);
    await this.must("reviewer", app, "SEND_EXCLUSION_TO_CHECK", { checkerIds: [this.id("checker")] });
    return app;
  }
  async exclusionApproval(id?: string) {
    const app = await this.exclusionCheck(id);
    await this.must("checker", app, "CHECKER_CONFIRM");
    return app;
  }

  /** Reach a row's from-state (the stored decision kind picks between the two rows of T16 / T19 / T20). */
  async at(status: string, kind: DecisionKind | null): Promise<string> {
    switch (`${status}/${kind ?? ""}`) {
      case "DRAFT/":
        return this.formed();
      case "HEAD_APPROVAL/":
        return this.headApproval();
      case "UNDER_REVIEW/":
        return this.underReview();
      case "AGREED_CHECK/INCLUSION":
        return this.underCheck("INCLUSION");
      case "REJECTED_CHECK/REJECTION":
        return this.underCheck("REJECTION");
      case "CONFIRMED_APPROVAL/INCLUSION":
        return this.underApproval("INCLUSION");
      case "REJECTED_APPROVAL/REJECTION":
        return this.underApproval("REJECTION");
      case "INCLUDED/INCLUSION":
        return this.included();
      case "REJECTED/REJECTION":
        return this.rejected();
      case "REJECTED_CHECK/EXCLUSION":
        return this.exclusionCheck();
      case "CONFIRMED_APPROVAL/EXCLUSION":
        return this.exclusionApproval();
      default:
        throw new Error(`no set-up for ${status}/${kind}`);
    }
  }
}

/** Mark every pending stage message of an application as delivered (what the outbox worker does). */
export async function deliverAll(prisma: PrismaClient, applicationId: string) {
  const rows = await prisma.outbox.findMany({
    where: { applicationId, status: "PENDING" },
    orderBy: { id: "asc" },
  });
  for (const [i, r] of rows.entries())
    await prisma.outbox.update({
      where: { id: r.id },
      data: { status: "SENT", messageId: 1000 + i, sentAt: new Date() },
    });
  return rows.length;
}
