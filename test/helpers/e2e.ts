// Shared steps of the bot tests (test/e2e/**, test/wizard/**, test/staff/**, test/outbox/**, test/webhook/**):
// the demo people, a harness whose file downloads come from the fake Bot API, pressing buttons by their verb
// (as a user would press the button they see), walking the application wizard, bringing an application to
// «На рассмотрении» through the store, delivering the outbox through the same recording API.
import { expect } from "vitest";
import { randomBytes } from "node:crypto";
import { parseCb } from "../../bot/kit/callbacks.ts";
import { deliverOnce } from "../../bot/outbox/worker.ts";
import { outboxWorkerDeps } from "../../bot/runtime/outbox.ts";
import type { TransitionInput } from "../../domain/contracts.ts";
import type { Action } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type ApiCall, createHarness, type Harness, type TestUser } from "./bot.ts";

export type Lang = "kk" | "ru";

/** Demo people of prisma/data/demo.ts (Telegram ids). */
export const PEOPLE = {
  supplier: 100001,
  head: 100002,
  reviewer: 100003,
  checker: 100004,
  checker2: 100005,
  approver: 100006,
  manager: 100007,
} as const;
export const POLYCLINIC_BIN = "100140001231";

/** Fast outbox pacing so that delivering in a test never waits. */
export const FAST_OUTBOX = { OUTBOX_GLOBAL_RATE: "1000", OUTBOX_CHAT_RATE: "100" };

export const PDF = (label = "x") =>
  Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

/** A harness (its file downloads are served from the fake Bot API's files). */
export function fileHarness(
  prisma: PrismaClient,
  env: Record<string, string> = {},
  now?: () => Date,
): Promise<Harness> {
  return createHarness({ prisma, env, ...(now ? { now } : {}) });
}

/** fileHarness with fast outbox pacing (the end-to-end journeys deliver the outbox). */
export const e2eHarness = (prisma: PrismaClient, env: Record<string, string> = {}): Promise<Harness> =>
  fileHarness(prisma, { ...FAST_OUTBOX, ...env });

/** The buttons of the user's last message with a keyboard, decoded. */
export function decoded(u: TestUser) {
  return u
    .buttons()
    .filter((b) => b.data)
    .map((b) => ({ ...b, cb: parseCb(b.data)! }));
}

/** Press the first button of the user's latest keyboard whose verb (and optional args) match. */
export async function pressVerb(u: TestUser, verb: string, ...args: string[]): Promise<ApiCall[]> {
  const b = decoded(u).find((x) => x.cb?.verb === verb && args.every((a, i) => x.cb.ids[i + 1] === a));
  if (!b?.data) {
    throw new Error(
      `no button ${verb}(${args.join(",")}) in ${JSON.stringify(decoded(u).map((x) => x.data))}\nlast: ${u.last()?.payload.text}`,
    );
  }
  return u.press(b.data);
}

/** The newest button (anywhere in the user's chat) whose callback data start with the verb. */
export function newestButton(h: Harness, u: TestUser, verb: string) {
  for (let i = h.calls.length - 1; i >= 0; i--) {
    const c = h.calls[i]!;
    if (Number(c.payload.chat_id) !== u.id) continue;
    const b = u.buttons(c).find((x) => x.data !== undefined && parseCb(x.data)?.verb === verb);
    if (b?.data) {
      return { ...b, data: b.data, messageId: c.messageId ?? (c.payload.message_id as number) };
    }
  }
  return undefined;
}

/** Press the newest button of this verb the user has (e.g. on a push message further up). */
export async function pressNewest(h: Harness, u: TestUser, verb: string): Promise<ApiCall[]> {
  const b = newestButton(h, u, verb);
  if (!b) throw new Error(`no ${verb} button for ${u.id}; last: ${u.last()?.payload.text}`);
  return u.press(b.data, b.messageId);
}

/** /language → the language button, through the bot. */
export async function setLanguage(u: TestUser, lang: Lang): Promise<void> {
  await u.send("/language");
  await u.press(`lang:${lang}`);
}

/** Deliver every pending outbox row through the harness's (recording) Bot API. */
export async function deliverAll(h: Harness, workerId = "e2e", rounds = 100): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const s = await deliverOnce(
      outboxWorkerDeps({
        prisma: h.prisma,
        app: h.app,
        config: h.config,
        logger: h.app.ports.logger as never,
      }),
      h.bot.api,
      { workerId, maxChatWaitMs: 0 },
    );
    const pending = await h.prisma.outbox.count({ where: { status: "PENDING" } });
    if (s.claimed === 0 && pending === 0) return;
    if (s.claimed === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("outbox did not drain");
}

export async function latestApplication(prisma: PrismaClient, orgBin: string) {
  return prisma.application.findFirstOrThrow({
    where: { org: { bin: orgBin } },
    orderBy: { createdAt: "desc" },
    include: { bases: { orderBy: { position: "asc" } }, documents: true, licences: true },
  });
}

export async function stepOf(prisma: PrismaClient, id: string): Promise<string> {
  const a = await prisma.application.findUniqueOrThrow({ where: { id } });
  return (a.progress as { step: string }).step;
}

/**
 * Walk the KATO tree inside the application's region: the entry of the region's KATO code (paging the top level
 * to find it), then always the first entry (📂 opens a level, 📍 picks a leaf), until a leaf is chosen.
 */
export async function pickKatoLeaf(prisma: PrismaClient, u: TestUser, appId: string) {
  const app = await prisma.application.findUniqueOrThrow({ where: { id: appId }, include: { region: true } });
  const prefix = app.region?.katoCode.slice(0, 2) ?? "";
  for (let i = 0; i < 12 && (await stepOf(prisma, appId)) === "C_KATO"; i++) {
    const entries = decoded(u).filter((b) => b.cb.verb === "wz.kt" || b.cb.verb === "wz.kl");
    const inRegion = entries.find((b) => b.cb.ids[1]?.startsWith(prefix));
    const next = decoded(u).find((b) => b.cb.verb === "wz.kp" && b.text === "▶️");
    const pick = inRegion ?? (next && prefix ? undefined : entries[0]);
    const press = pick ?? next;
    if (!press?.data) throw new Error(`no KATO entry in ${JSON.stringify(decoded(u).map((x) => x.data))}`);
    await u.press(press.data);
  }
  expect(await stepOf(prisma, appId)).toBe("C_SES");
}

/**
 * Fill one production base from its C_COORD step to the list: coordinates (Astana's by default: give the
 * region's, or the plausibility warning stops at C_COORD), KATO leaf, SES file, every subtype.
 */
export async function fillBase(
  prisma: PrismaClient,
  u: TestUser,
  appId: string,
  n: number,
  coords = "51.1694, 71.4491",
) {
  await pressVerb(u, "wz.be", String(n));
  expect(await stepOf(prisma, appId)).toBe("C_COORD");
  await u.send(coords);
  await pickKatoLeaf(prisma, u, appId);
  await u.sendDocument({ fileName: `ses-${n}.pdf`, mimeType: "application/pdf", bytes: PDF(`ses${n}`) });
  expect(await stepOf(prisma, appId)).toBe("C_SUB");
  const toggles = () => decoded(u).filter((b) => b.cb.verb === "wz.tg" && !b.text.startsWith("✅"));
  while (toggles().length) await u.press(toggles()[0]!.data!);
  await pressVerb(u, "wz.ok", "b");
  expect(await stepOf(prisma, appId)).toBe("C_LIST");
}

/** Select every offered subtype of the current multi-select (all pages), then «Готово». */
export async function selectAll(u: TestUser, scope: string) {
  for (let guard = 0; guard < 30; guard++) {
    const b = decoded(u).find((x) => x.cb.verb === "wz.tg" && !x.text.startsWith("✅"));
    if (b) {
      await u.press(b.data!);
      continue;
    }
    const next = decoded(u).find((x) => x.cb.verb === "wz.pg" && x.text === "▶️");
    if (next) {
      await u.press(next.data!);
      continue;
    }
    break;
  }
  await pressVerb(u, "wz.ok", scope);
}

/**
 * The whole wizard of the polyclinic (Astana) by presses: /new → licences → A-section (ownership, both statuses,
 * all subtypes, pharmacy) → region → every production base → documents → summary → save → form the PDF →
 * send to the head. Returns the application id («На согласовании руководителя»).
 */
export async function completeWizardAndSend(h: Harness, prisma: PrismaClient, u: TestUser): Promise<string> {
  await u.send("/new");
  await pressVerb(u, "ap.new1");
  const app = await latestApplication(prisma, POLYCLINIC_BIN);
  expect(app.status).toBe("DRAFT");
  expect(await stepOf(prisma, app.id)).toBe("A_OWN");
  await pressVerb(u, "wz.own", "1");
  await pressVerb(u, "wz.role", "2"); // supplier and co-executor
  await selectAll(u, "s");
  await selectAll(u, "c");
  if ((await stepOf(prisma, app.id)) === "A_PHARM") await pressVerb(u, "wz.ph", "1");
  await pressVerb(u, "wz.reg", "ASTANA");
  expect(await stepOf(prisma, app.id)).toBe("C_LIST");
  const withBases = await latestApplication(prisma, POLYCLINIC_BIN);
  for (const b of withBases.bases) await fillBase(prisma, u, app.id, b.position);
  await pressVerb(u, "wz.bd");
  expect(await stepOf(prisma, app.id)).toBe("D2");
  await u.sendDocument({ fileName: "registration.pdf", mimeType: "application/pdf", bytes: PDF("reg") });
  await pressVerb(u, "wz.d2");
  await u.sendDocument({ fileName: "доверенность.pdf", mimeType: "application/pdf", bytes: PDF("poa") });
  await pressVerb(u, "wz.d3");
  expect(await stepOf(prisma, app.id)).toBe("SUM");
  expect(String(u.last()?.payload.text)).not.toContain("⚠️");
  await pressVerb(u, "wz.sv");
  const f = h.mark();
  await pressVerb(u, "ap.form");
  expect(h.since(f).some((c) => c.method === "sendDocument" && Number(c.payload.chat_id) === u.id)).toBe(
    true,
  );
  await pressVerb(u, "ap.send");
  return app.id;
}

export async function statusOf(prisma: PrismaClient, id: string) {
  return (await prisma.application.findUniqueOrThrow({ where: { id } })).status;
}

export async function userIdOf(prisma: PrismaClient, telegramId: number): Promise<string> {
  return (await prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(telegramId) } })).id;
}

/** The packed form of a UUID inside callback data (bot/kit/callbacks.ts). */
export const packedUuid = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex").toString("base64url");

/** The application layer of a test database (no bot): for set-up through the real use cases. */
export async function appOf(prisma: PrismaClient, now: () => Date = () => new Date()) {
  const { composeApp } = await import("../../bot/runtime/compose.ts");
  const pino = (await import("pino")).default;
  return composeApp({
    prisma,
    config: { FILES_DIR: "/tmp/fsms-test-files/setup" },
    logger: pino({ level: "silent" }),
    clock: { now },
  });
}

/** A stored file of a few bytes (set-up: the documents a transition needs). */
export async function storedFile(prisma: PrismaClient, name = "doc.pdf") {
  return prisma.storedFile.create({
    data: {
      sha256: randomBytes(32).toString("hex"),
      size: 10,
      mimeType: "application/pdf",
      fileName: name,
      storagePath: "x",
    },
  });
}

/** One transition through the application layer, as the bot would take it (test set-up only). */
export async function step(
  prisma: PrismaClient,
  appId: string,
  telegramId: number,
  action: Action,
  input: TransitionInput = {},
  now = new Date(),
) {
  const userId = await userIdOf(prisma, telegramId);
  const app = await prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const a = await appOf(prisma, () => now);
  const r = await a.act(
    { applicationId: appId, expectedVersion: app.version, action, userId, input },
    { draftComplete: async () => true },
  );
  if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r)}`);
  return r;
}

const SIG = (document: "CONSENT" | "APPLICATION") => ({ document, sha256: "a".repeat(64), method: "test" });

/** A new application of the organisation (by default the demo polyclinic, Astana), sent by its head: «На рассмотрении». */
export async function applicationUnderReview(
  prisma: PrismaClient,
  regionCode = "ASTANA",
  bin: string = POLYCLINIC_BIN,
  author: number = PEOPLE.supplier,
  head: number = PEOPLE.head,
): Promise<string> {
  const org = await prisma.organisation.findUniqueOrThrow({ where: { bin } });
  // one open application per organisation and region (DECISIONS 8): close earlier ones of the test file
  await prisma.application.updateMany({
    where: { orgId: org.id, regionCode, status: { notIn: ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"] } },
    data: { status: "CHANGED" },
  });
  const authorId = await userIdOf(prisma, author);
  const a = await appOf(prisma);
  const d = await a.ports.store.drafts.create({
    orgId: org.id,
    authorId,
    now: new Date(),
    ownershipFormCode: org.ownershipFormCode,
    licenceIds: [],
    bases: [],
    progress: { step: "SUM", sum: true },
    prefill: {
      asSupplier: true,
      asCoExecutor: false,
      supplierSubtypes: [],
      coExecutorSubtypes: [],
      hasPharmacy: null,
      regionCode,
      documents: [],
    },
  });
  const form = await storedFile(prisma, "form.pdf");
  await step(prisma, d.id, author, "SAVE");
  await step(prisma, d.id, author, "GENERATE_FORM", {
    document: { kind: "APPLICATION_FORM", fileId: form.id },
  });
  await step(prisma, d.id, author, "SEND_TO_HEAD");
  const consent = await storedFile(prisma, "consent.pdf");
  await step(prisma, d.id, head, "HEAD_SIGN_CONSENT", {
    signatures: [SIG("CONSENT")],
    document: { kind: "CONSENT", fileId: consent.id },
  });
  await step(prisma, d.id, head, "HEAD_SUBMIT", { confirmed: true, signatures: [SIG("APPLICATION")] });
  return d.id;
}
