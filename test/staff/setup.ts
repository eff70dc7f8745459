// Shared set-up of the staff tests: demo staff (seed), an application brought to «На рассмотрении» through the
// store, the outbox drained into the harness's fake Bot API.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { decide } from "../../domain/stateMachine.ts";
import type { Action } from "../../domain/types.ts";
import { deliverOnce } from "../../bot/outbox/worker.ts";
import { applyTransition, createDraft } from "../../prisma/store/applications.ts";
import { actorFor } from "../../prisma/store/users.ts";
import type { ApiCall, Harness, TestUser } from "../helpers/bot.ts";

export const DEMO = {
  supplier: 100001,
  head: 100002,
  reviewer: 100003,
  checker: 100004,
  checker2: 100005,
  approver: 100006,
  manager: 100007,
} as const;
export const ORG_BIN = "100140001231";

export const FAST_OUTBOX = { OUTBOX_GLOBAL_RATE: "1000", OUTBOX_CHAT_RATE: "100" };

export async function userId(prisma: PrismaClient, telegramId: number): Promise<string> {
  return (await prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(telegramId) } })).id;
}

export async function step(
  prisma: PrismaClient,
  appId: string,
  telegramId: number,
  action: Action,
  input = {},
  now = new Date(),
) {
  const uid = await userId(prisma, telegramId);
  const actor = await actorFor(prisma, uid, appId);
  if (!actor) throw new Error("no actor");
  const app = await prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const r = await applyTransition(prisma, {
    applicationId: appId,
    expectedVersion: app.version,
    action,
    actor,
    input,
    decide,
    now,
    snapshotExtras: () => ({ formGenerated: true, draftComplete: true }),
  });
  if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r)}`);
  return r;
}

/** A new application of the demo polyclinic (Astana), sent by its head: «На рассмотрении». */
export async function applicationUnderReview(
  prisma: PrismaClient,
  regionCode = "ASTANA",
  bin: string = ORG_BIN,
  author: number = DEMO.supplier,
  head: number = DEMO.head,
): Promise<string> {
  const org = await prisma.organisation.findUniqueOrThrow({ where: { bin } });
  // one open application per organisation and region (DECISIONS 8): close earlier ones of the test file
  await prisma.application.updateMany({
    where: { orgId: org.id, regionCode, status: { notIn: ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"] } },
    data: { status: "CHANGED" },
  });
  const authorId = await userId(prisma, author);
  const d = await createDraft(prisma, {
    orgId: org.id,
    authorId,
    now: new Date(),
    regionCode,
    asSupplier: true,
    supplierSubtypes: [],
  });
  if (!d.ok) throw new Error(`createDraft: ${JSON.stringify(d)}`);
  const sig = { sha256: "a".repeat(64), method: "test" };
  await step(prisma, d.id, author, "SEND_TO_HEAD");
  await step(prisma, d.id, head, "HEAD_SIGN_CONSENT", { confirmed: true, signature: sig });
  await step(prisma, d.id, head, "HEAD_SUBMIT", { confirmed: true, signature: sig });
  return d.id;
}

/** Deliver every pending outbox row through the harness's fake Bot API. */
export async function drain(h: Harness): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const s = await deliverOnce(h.deps, h.bot.api, { workerId: "test", maxChatWaitMs: 0 });
    const pending = await h.deps.prisma.outbox.count({ where: { status: "PENDING" } });
    if (s.claimed === 0 && pending === 0) return;
    if (s.claimed === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("outbox did not drain");
}

/** The newest button of this user whose callback data start with the verb. */
export function button(u: TestUser, h: Harness, verb: string): { data: string; messageId: number } {
  for (let i = h.calls.length - 1; i >= 0; i--) {
    const c = h.calls[i]!;
    if (Number(c.payload.chat_id) !== u.id) continue;
    const b = u.buttons(c).find((x) => x.data?.startsWith(`${verb}:`) || x.data === verb);
    if (b?.data) return { data: b.data, messageId: c.messageId ?? (c.payload.message_id as number) };
  }
  throw new Error(`no ${verb} button for ${u.id}`);
}

export function hasButton(u: TestUser, calls: ApiCall[], verb: string): boolean {
  return calls.some(
    (c) => Number(c.payload.chat_id) === u.id && u.buttons(c).some((x) => x.data?.startsWith(`${verb}:`)),
  );
}

export async function status(prisma: PrismaClient, id: string) {
  return (await prisma.application.findUniqueOrThrow({ where: { id } })).status;
}

/** Press the newest button of this verb the user has. */
export async function pressVerb(h: Harness, u: TestUser, verb: string) {
  const b = button(u, h, verb);
  return u.press(b.data, b.messageId);
}

/** The packed form of a UUID inside callback data (bot/callbacks.ts). */
export const packed = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex").toString("base64url");

/** Reviewer toggles the given checkers (by Telegram id) and sends. */
export async function sendToCheckers(
  h: Harness,
  prisma: PrismaClient,
  reviewer: TestUser,
  checkers: number[],
) {
  await pressVerb(h, reviewer, "fs.sc");
  for (const tg of checkers) {
    const id = await userId(prisma, tg);
    const picker = reviewer.buttons().filter((b) => b.data?.startsWith("fs.tc:"));
    const b = picker.find((x) => x.data!.includes(packed(id)));
    if (!b) throw new Error(`no toggle for ${tg}`);
    await reviewer.press(b.data!);
  }
  await pressVerb(h, reviewer, "fs.go");
}

/** Drive an application from «На рассмотрении» to «Включен в БД» with the buttons. */
export async function includeWithButtons(h: Harness, prisma: PrismaClient, appId: string) {
  await drain(h);
  const reviewer = h.user(DEMO.reviewer);
  const checker = h.user(DEMO.checker);
  const approver = h.user(DEMO.approver);
  const app = await prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const { cb } = await import("../../bot/callbacks.ts");
  await reviewer.press(cb("fs.v", [appId]));
  await reviewer.press(cb("fs.in", [appId], app.version));
  await sendToCheckers(h, prisma, reviewer, [DEMO.checker]);
  await drain(h);
  await pressVerb(h, checker, "fs.cc");
  await drain(h);
  await pressVerb(h, approver, "fs.aa");
  await drain(h);
}
