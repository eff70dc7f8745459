// The outbox worker: delivers the notifications the store wrote in the same transaction as each state change.
//
// Guarantees
// - At least once: a row stays PENDING until Telegram accepted it; a crashed worker's lease expires and another
//   worker picks the row up again.
// - Never twice per recipient and event: Outbox is unique on (eventKey, chatId); a row is claimed by one worker at a
//   time (FOR UPDATE SKIP LOCKED + a lease) and marked SENT only by the lease holder.
//   (The one window left is a crash between Telegram's answer and the SENT update.)
// - Per-chat order: only the oldest PENDING row of a chat can be claimed, so a later row never overtakes an
//   earlier one that is pending or waiting for a retry.
// - Rates: a global token bucket (OUTBOX_GLOBAL_RATE/s) and per-chat pacing (OUTBOX_CHAT_RATE/s) per process;
//   429 retry_after pauses that chat and the global bucket; 5xx and network errors are retried with
//   exponential backoff + jitter; 403 (bot blocked) and other 4xx fail the row at once.
// - Staff messages: once a step is decided every sent message of that step gets a "stage_closed" edit row
//   (who decided and when, no buttons); a staff message whose step ended before delivery is not sent.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Api, GrammyError } from "grammy";
import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type ClaimedRow, claimBatch as storeClaimBatch } from "../../prisma/store/outbox.ts";
import type { AppConfig } from "../config.ts";
import { recipientLang, renderOutbox } from "./render.ts";
import { STAGE_KINDS, stageState } from "./stage.ts";
import { backoffMs, ChatPacer, TokenBucket } from "./ratelimit.ts";

export interface OutboxDeps {
  prisma: PrismaClient;
  config: Pick<AppConfig, "OUTBOX_GLOBAL_RATE" | "OUTBOX_CHAT_RATE" | "OUTBOX_POLL_MS">;
  logger: Logger;
}

export interface WorkerOptions {
  workerId?: string;
  batchSize?: number;
  /** How long a claimed row is reserved for this worker. */
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest in-process wait for a chat's pacing before the row is handed back (ms). */
  maxChatWaitMs?: number;
  random?: () => number;
}

export interface DeliveryStats {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

export type OutboxRow = ClaimedRow;

interface Limits {
  global: TokenBucket;
  chats: ChatPacer;
}

const limitsByApi = new WeakMap<object, Limits>();

function limitsFor(deps: OutboxDeps, api: Api): Limits {
  let l = limitsByApi.get(api);
  if (!l) {
    l = {
      global: new TokenBucket(deps.config.OUTBOX_GLOBAL_RATE),
      chats: new ChatPacer(deps.config.OUTBOX_CHAT_RATE),
    };
    limitsByApi.set(api, l);
  }
  return l;
}

const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** Wait `ms`, or less if the signal aborts; the abort listener is removed either way (no leak per poll). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Claim up to `limit` rows (the store's claim): only the oldest PENDING row of each chat that is due and not
 * leased, locked with FOR UPDATE SKIP LOCKED and leased to this worker, so concurrent workers never share a row.
 */
export function claimBatch(prisma: PrismaClient, workerId: string, limit: number, leaseMs: number) {
  return storeClaimBatch(prisma, workerId, limit, leaseMs);
}

async function finish(
  prisma: PrismaClient,
  row: OutboxRow,
  workerId: string,
  data: { status: "SENT" | "FAILED"; messageId?: number | null; lastError?: string | null },
) {
  await prisma.outbox.updateMany({
    where: { id: row.id, lockedBy: workerId, status: "PENDING" },
    data: {
      status: data.status,
      messageId: data.messageId ?? undefined,
      sentAt: data.status === "SENT" ? new Date() : undefined,
      lastError: data.lastError ?? null,
      lockedUntil: null,
    },
  });
}

async function retryLater(
  prisma: PrismaClient,
  row: OutboxRow,
  workerId: string,
  delayMs: number,
  lastError: string | null,
  countAttempt = true,
) {
  await prisma.outbox.updateMany({
    where: { id: row.id, lockedBy: workerId, status: "PENDING" },
    data: {
      nextAttemptAt: new Date(Date.now() + delayMs),
      lockedUntil: null,
      lastError,
      ...(countAttempt ? {} : { attempts: { decrement: 1 } }),
    },
  });
}

/**
 * After a decision: give every sent staff message of the application whose step is over a "stage_closed" edit
 * row (who decided and when, no buttons). Idempotent (eventKey close:<row id>); safe from any process.
 */
export async function closeStaleStaffMessages(prisma: PrismaClient, applicationId: string): Promise<number> {
  const app = await prisma.application.findUnique({ where: { id: applicationId }, select: { status: true } });
  if (!app) return 0;
  const rows = await prisma.outbox.findMany({
    where: { applicationId, status: "SENT", messageId: { not: null }, kind: { in: [...STAGE_KINDS] } },
  });
  if (!rows.length) return 0;
  const done = new Set(
    (
      await prisma.outbox.findMany({
        where: { applicationId, kind: "stage_closed" },
        select: { eventKey: true },
      })
    ).map((r) => r.eventKey),
  );
  const data = [];
  const names = new Map<string, string | null>();
  for (const r of rows) {
    if (done.has(`close:${r.id}`)) continue;
    const st = await stageState(prisma, r, app);
    if (st.live) continue;
    const actorId = st.closedBy?.actorId ?? null;
    if (actorId && !names.has(actorId)) {
      const u = await prisma.user.findUnique({ where: { id: actorId }, select: { fullName: true } });
      names.set(actorId, u?.fullName ?? null);
    }
    data.push({
      eventKey: `close:${r.id}`,
      chatId: r.chatId,
      userId: r.userId,
      applicationId,
      stageKey: r.stageKey,
      kind: "stage_closed",
      payload: {
        outboxId: String(r.id),
        messageId: r.messageId,
        decidedBy: actorId ? (names.get(actorId) ?? null) : null,
        decidedAt: (st.closedBy?.at ?? new Date()).toISOString(),
        toStatus: st.closedBy?.toStatus ?? app.status,
        action: st.closedBy?.action ?? null,
      },
    });
  }
  if (!data.length) return 0;
  return (await prisma.outbox.createMany({ data, skipDuplicates: true })).count;
}

function describe(e: unknown): string {
  if (e instanceof GrammyError) return `${e.error_code} ${e.description}`.slice(0, 500);
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 500);
  return String(e).slice(0, 500);
}

/** One pass: claim a batch, deliver it (respecting the rate limits), record the outcome. */
export async function deliverOnce(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions = {},
  signal?: AbortSignal,
) {
  opts.workerId ??= defaultWorkerId();
  const workerId = opts.workerId;
  const leaseMs = opts.leaseMs ?? 60_000;
  const limits = limitsFor(deps, api);
  const stats: DeliveryStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  const rows = await claimBatch(deps.prisma, workerId, opts.batchSize ?? 50, leaseMs);
  stats.claimed = rows.length;
  await Promise.all(rows.map((row) => deliverRow(deps, api, opts, workerId, limits, row, stats, signal)));
  return stats;
}

async function deliverRow(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions,
  workerId: string,
  limits: Limits,
  row: OutboxRow,
  stats: DeliveryStats,
  signal?: AbortSignal,
) {
  const { prisma } = deps;
  const chat = String(row.chatId);
  const maxAttempts = opts.maxAttempts ?? 12;
  try {
    // Per-chat pacing: wait a little in process, or hand the row back for later.
    const chatWait = limits.chats.waitFor(chat);
    if (chatWait > (opts.maxChatWaitMs ?? 2000)) {
      await retryLater(prisma, row, workerId, chatWait, null, false);
      stats.retried++;
      return;
    }
    await sleep(chatWait, signal);
    if (!(await stageState(prisma, row)).live) {
      await finish(prisma, row, workerId, {
        status: "SENT",
        messageId: null,
        lastError: "step decided before delivery",
      });
      stats.skipped++;
      return;
    }
    const lang = await recipientLang(prisma, row);
    const r = await renderOutbox(prisma, row, lang);
    // Global bucket (may be paused by a 429).
    for (;;) {
      if (signal?.aborted) {
        await retryLater(prisma, row, workerId, 0, null, false);
        return;
      }
      const wait = limits.global.tryTake();
      if (wait === 0) break;
      await sleep(Math.min(wait, 1000), signal);
    }
    limits.chats.sent(chat);
    let messageId: number | null = null;
    const chatId = Number(row.chatId);
    if (r.mode === "edit") {
      await api.editMessageText(chatId, r.messageId ?? 0, r.text, {
        parse_mode: "HTML",
        reply_markup: r.reply_markup,
      });
    } else {
      const m = await api.sendMessage(chatId, r.text, {
        parse_mode: "HTML",
        reply_markup: r.reply_markup,
        link_preview_options: { is_disabled: true },
      });
      messageId = m.message_id;
    }
    await finish(prisma, row, workerId, { status: "SENT", messageId });
    stats.sent++;
    if (row.applicationId && STAGE_KINDS.has(row.kind)) {
      // The step may have been decided while this message was on its way.
      await closeStaleStaffMessages(prisma, row.applicationId);
    }
  } catch (e) {
    await handleError(deps, limits, opts, workerId, row, chat, maxAttempts, stats, e);
  }
}

async function handleError(
  deps: OutboxDeps,
  limits: Limits,
  opts: WorkerOptions,
  workerId: string,
  row: OutboxRow,
  chat: string,
  maxAttempts: number,
  stats: DeliveryStats,
  e: unknown,
) {
  const { prisma } = deps;
  const msg = describe(e);
  if (e instanceof GrammyError) {
    if (e.error_code === 429) {
      const ms = Math.max(1, e.parameters.retry_after ?? 1) * 1000;
      limits.chats.pause(chat, ms);
      limits.global.pause(ms);
      await retryLater(prisma, row, workerId, ms, msg, false);
      stats.retried++;
      deps.logger.warn({ outbox: String(row.id), retry_after: ms / 1000 }, "outbox: 429, pausing");
      return;
    }
    if (
      e.error_code === 400 &&
      /message is not modified|message to edit not found|can't be edited/i.test(e.description)
    ) {
      await finish(prisma, row, workerId, { status: "SENT", lastError: msg });
      stats.sent++;
      return;
    }
    if (e.error_code >= 400 && e.error_code < 500) {
      // 403: the user blocked the bot; other 4xx: the request itself is wrong. Retrying will not help.
      await finish(prisma, row, workerId, { status: "FAILED", lastError: msg });
      stats.failed++;
      deps.logger.warn({ outbox: String(row.id), code: e.error_code }, "outbox: failed");
      return;
    }
  }
  // 5xx, network errors, render/database trouble: back off and retry.
  if (row.attempts >= maxAttempts) {
    await finish(prisma, row, workerId, { status: "FAILED", lastError: msg });
    stats.failed++;
    return;
  }
  const delay = backoffMs(
    row.attempts,
    opts.baseBackoffMs ?? 1000,
    opts.maxBackoffMs ?? 5 * 60_000,
    opts.random,
  );
  await retryLater(prisma, row, workerId, delay, msg);
  stats.retried++;
}

/** Run the worker until stop(): poll, deliver, repeat. Several processes may run it at once. */
export function startOutboxWorker(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions = {},
): { stop(): Promise<void>; workerId: string } {
  const o: WorkerOptions = { ...opts, workerId: opts.workerId ?? defaultWorkerId() };
  const pollMs = o.pollMs ?? deps.config.OUTBOX_POLL_MS;
  const ac = new AbortController();
  const loop = (async () => {
    while (!ac.signal.aborted) {
      try {
        const s = await deliverOnce(deps, api, o, ac.signal);
        if (s.claimed === 0) await sleep(pollMs, ac.signal);
      } catch (e) {
        deps.logger.error({ err: describe(e) }, "outbox: pass failed");
        await sleep(pollMs, ac.signal);
      }
    }
  })();
  return {
    workerId: o.workerId!,
    async stop() {
      ac.abort();
      await loop;
    },
  };
}
