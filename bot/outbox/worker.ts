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
// - Rates (see ratelimit.ts): smooth global pacing at 0.97 × OUTBOX_GLOBAL_RATE (no initial burst; a FIFO gate
//   grants slots) and per-chat spacing of 1/OUTBOX_CHAT_RATE. The global pacing is per process, or shared by
//   every process through Redis when `deps.redis` is given (one schedule key + one pause key; a global 429 pause
//   set by one process holds all). Per-chat pacing stays per process: a chat's rows are claimed by one worker at
//   a time (per-chat order). A 429 holds its scope for exactly
//   retry_after (the chat, when we were writing to it at its own pace; otherwise every chat), then sending
//   resumes paced; the row is due again then, without counting an attempt. 5xx and network errors are retried
//   with exponential backoff + jitter; 403 (bot blocked) and other 4xx fail the row at once.
// - A row is sent only within the first half of its lease (a long wait hands it back instead), so a lease never
//   runs out under a row that is about to be sent.
// - Staff messages: once a step is decided every sent message of that step gets a "stage_closed" edit row
//   (who decided and when, no buttons); a staff message whose step ended before delivery is not sent.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Api, GrammyError } from "grammy";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type ClaimedRow, claimBatch as storeClaimBatch } from "../../prisma/store/outbox.ts";
import type { AppConfig } from "../config.ts";
import { recipientLang, renderOutbox } from "./render.ts";
import { STAGE_KINDS, stageState } from "./stage.ts";
import {
  backoffMs,
  ChatPacer,
  type GlobalGate,
  RateGate,
  RedisRateGate,
  TokenBucket,
  windowSafeToleranceMs,
} from "./ratelimit.ts";

export interface OutboxDeps {
  prisma: PrismaClient;
  config: Pick<AppConfig, "OUTBOX_GLOBAL_RATE" | "OUTBOX_CHAT_RATE" | "OUTBOX_POLL_MS">;
  logger: Logger;
  /**
   * Share the global pacing (and global 429 pauses) with every process of this bot through Redis; keys
   * `<prefix>outbox:pace` and `<prefix>outbox:pause`. Without it the global pacing is per process.
   */
  redis?: { client: Redis; prefix: string };
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
  gate: GlobalGate;
  chats: ChatPacer;
}

/** Pace a few percent under Telegram's overall limit: room for network jitter, never a full window. */
export const GLOBAL_SHARE = 0.97;
/** Rows kept in process by startOutboxWorker: this many seconds of sending at the global rate. */
const PIPELINE_SECONDS = 2;
/** A 429 counts for the chat alone when the previous message to it went less than this many gaps earlier. */
const CHAT_SCOPE_GAPS = 2;

const limitsByApi = new WeakMap<object, Limits>();

function limitsFor(deps: OutboxDeps, api: Api): Limits {
  let l = limitsByApi.get(api);
  if (!l) {
    const rate = deps.config.OUTBOX_GLOBAL_RATE * GLOBAL_SHARE;
    const local = new TokenBucket(rate, { catchUpMs: windowSafeToleranceMs(GLOBAL_SHARE) });
    let warnedAt = Number.NEGATIVE_INFINITY;
    const gate: GlobalGate = deps.redis
      ? new RedisRateGate(deps.redis.client, rate, {
          keyPrefix: `${deps.redis.prefix}outbox:`,
          maxLateMs: windowSafeToleranceMs(GLOBAL_SHARE),
          // While Redis does not answer this process paces alone (a 429 then pauses as usual).
          fallback: local,
          onError: (e) => {
            if (Date.now() - warnedAt < 60_000) return;
            warnedAt = Date.now();
            deps.logger.warn(
              { err: describe(e) },
              "outbox: Redis pacer unavailable, pacing this process alone",
            );
          },
        })
      : new RateGate(local);
    l = { gate, chats: new ChatPacer(deps.config.OUTBOX_CHAT_RATE) };
    limitsByApi.set(api, l);
  }
  return l;
}

const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Timers and waits of one worker run, with ONE abort listener however many rows wait (hundreds at a time):
 * a listener per sleeping row would trip MaxListenersExceededWarning. `dispose()` removes the listener.
 */
class Waits {
  private readonly onStop = new Set<() => void>();
  private readonly abort = () => {
    for (const cb of [...this.onStop]) cb();
    this.onStop.clear();
  };
  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener("abort", this.abort, { once: true });
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Call `cb` on abort (at once if already aborted); returns the unregister function. */
  onAbort(cb: () => void): () => void {
    if (this.aborted) {
      cb();
      return () => {};
    }
    this.onStop.add(cb);
    return () => {
      this.onStop.delete(cb);
    };
  }

  /** Wait `ms`, or less if the run is stopped. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.onStop.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.onStop.add(done);
    });
  }

  dispose() {
    this.signal?.removeEventListener("abort", this.abort);
    this.onStop.clear();
  }
}

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
  const waits = new Waits(signal);
  try {
    const run = runContext(deps, api, opts, opts.workerId, waits);
    const stats: DeliveryStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
    const rows = await claimBatch(deps.prisma, run.workerId, opts.batchSize ?? 50, run.leaseMs);
    stats.claimed = rows.length;
    const claimedAt = Date.now();
    await Promise.all(rows.map((row) => deliverRow(run, row, claimedAt, stats)));
    return stats;
  } finally {
    waits.dispose();
  }
}

/** What every row of one worker run shares. */
interface RunContext {
  deps: OutboxDeps;
  api: Api;
  opts: WorkerOptions;
  workerId: string;
  limits: Limits;
  waits: Waits;
  leaseMs: number;
}

function runContext(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions,
  workerId: string,
  waits: Waits,
): RunContext {
  return { deps, api, opts, workerId, limits: limitsFor(deps, api), waits, leaseMs: opts.leaseMs ?? 60_000 };
}

async function deliverRow(run: RunContext, row: OutboxRow, claimedAt: number, stats: DeliveryStats) {
  const { deps, api, opts, workerId, limits, waits } = run;
  const { prisma } = deps;
  const chat = String(row.chatId);
  const maxAttempts = opts.maxAttempts ?? 12;
  // A row is sent only well inside its lease: past this time another worker may already have claimed it.
  const deadline = claimedAt + run.leaseMs / 2;
  let sinceLastToChat = Number.POSITIVE_INFINITY;
  try {
    // Per-chat pacing: wait a little in process (other chats' rows go on meanwhile), or hand the row back.
    const chatWait = limits.chats.waitFor(chat);
    if (chatWait > (opts.maxChatWaitMs ?? 2000) || Date.now() + chatWait > deadline) {
      await retryLater(prisma, row, workerId, chatWait, null, false);
      stats.retried++;
      return;
    }
    await waits.sleep(chatWait);
    if (waits.aborted) {
      await retryLater(prisma, row, workerId, 0, null, false);
      return;
    }
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
    // Global pacing: a FIFO slot (may be held back by a 429 pause).
    const slot = limits.gate.acquire(deadline);
    const unregister = waits.onAbort(slot.cancel);
    const granted = await slot.ready;
    unregister();
    if (!granted) {
      // Stopping, or the pause outlasts the lease: give the row back, due when the pause is over.
      await retryLater(prisma, row, workerId, limits.gate.pausedFor(), null, false);
      if (!waits.aborted) stats.retried++;
      return;
    }
    sinceLastToChat = limits.chats.sinceLast(chat);
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
    await handleError(run, row, chat, sinceLastToChat, maxAttempts, stats, e);
  }
}

async function handleError(
  run: RunContext,
  row: OutboxRow,
  chat: string,
  sinceLastToChat: number,
  maxAttempts: number,
  stats: DeliveryStats,
  e: unknown,
) {
  const { deps, limits, opts, workerId } = run;
  const { prisma } = deps;
  const msg = describe(e);
  if (e instanceof GrammyError) {
    if (e.error_code === 429) {
      // As long as Telegram asks (retry_after is in whole seconds), for the scope it is about: a chat we were
      // writing to at its own pace is told to slow down; otherwise it is the bot's overall flood limit, and
      // every chat waits. Afterwards sending resumes paced, without a catch-up burst.
      const ms = Math.max(0, e.parameters.retry_after ?? 1) * 1000;
      const scope = sinceLastToChat < CHAT_SCOPE_GAPS * limits.chats.gapMs ? "chat" : "global";
      limits.chats.pause(chat, ms);
      if (scope === "global") limits.gate.pause(ms);
      await retryLater(prisma, row, workerId, ms, msg, false);
      stats.retried++;
      deps.logger.warn({ outbox: String(row.id), retry_after: ms / 1000, scope }, "outbox: 429, pausing");
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

/**
 * Run the worker until stop(): a pipeline, not batch after batch. Up to `batchSize` claimed rows are in
 * process at once (default: PIPELINE_SECONDS of sending at the global rate); when a quarter of them are done the
 * worker claims more, so the pacer always has the next rows rendered and waiting. Each row waits on its own
 * (its chat's pacing, then a FIFO slot of the global pacer): a chat that must wait never holds up the others.
 * Several processes may run it at once (SKIP LOCKED + lease).
 */
export function startOutboxWorker(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions = {},
): { stop(): Promise<void>; workerId: string } {
  const workerId = opts.workerId ?? defaultWorkerId();
  const o: WorkerOptions = { ...opts, workerId };
  const pollMs = o.pollMs ?? deps.config.OUTBOX_POLL_MS;
  const capacity =
    o.batchSize ?? Math.max(10, Math.ceil(deps.config.OUTBOX_GLOBAL_RATE * GLOBAL_SHARE * PIPELINE_SECONDS));
  // Claim in slices of a quarter of the pipeline: rendering a claimed slice costs CPU on this event loop,
  // and a big slice at once would delay the pacer's timer.
  const refillAt = Math.max(1, Math.floor(capacity / 4));
  const ac = new AbortController();
  const waits = new Waits(ac.signal);
  const run = runContext(deps, api, o, workerId, waits);
  const stats: DeliveryStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
  const inflight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  /** Sleep up to `ms`; an earlier wake() (rows done, stop) ends it. */
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const unregister = waits.onAbort(done);
      wake = done;
      function done() {
        clearTimeout(timer);
        unregister();
        wake = null;
        resolve();
      }
    });
  const loop = (async () => {
    let short = false;
    while (!ac.signal.aborted) {
      try {
        const room = capacity - inflight.size;
        if (room >= refillAt) {
          const rows = await claimBatch(deps.prisma, workerId, room, run.leaseMs);
          stats.claimed += rows.length;
          short = rows.length < room;
          const claimedAt = Date.now();
          for (const row of rows) {
            const p: Promise<void> = deliverRow(run, row, claimedAt, stats)
              .catch((e: unknown) => deps.logger.error({ err: describe(e) }, "outbox: row failed"))
              .finally(() => {
                inflight.delete(p);
                // Refill when a quarter of the pipeline is free; after a short claim only when it ran dry or at the poll.
                if (inflight.size === 0 || (!short && capacity - inflight.size >= refillAt)) wake?.();
              });
            inflight.add(p);
          }
        }
        if (ac.signal.aborted) break;
        if (short || capacity - inflight.size < refillAt) await idle(pollMs);
      } catch (e) {
        deps.logger.error({ err: describe(e) }, "outbox: pass failed");
        await idle(pollMs);
      }
    }
    await Promise.all(inflight);
  })();
  return {
    workerId,
    async stop() {
      ac.abort();
      await loop;
      waits.dispose();
    },
  };
}
