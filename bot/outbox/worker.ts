// The outbox worker: delivers the notifications the store wrote in the same transaction as each state change.
// It knows the queue only as the OutboxQueue port (domain/ports.ts; prisma/store/outbox.ts implements it) and
// what a row turns into only through the OutboxHooks it is given (bot/runtime/outbox.ts wires today's
// renderer). It sends with its own grammY Api (built by the composition root from the token and the API root),
// so its pacing and its 429s are never mixed with the interactive bot's API transformers.
//
// Guarantees
// - At least once: a row stays PENDING until Telegram accepted it (or there was nothing to send).
// - Short lease with a heartbeat: a claimed row is leased for leaseMs (8 s) and every in-flight row's lease is
//   renewed every leaseMs/4 (one UPDATE) while it waits for its chat, for a global slot or for a slow answer.
//   When a process dies its rows are free again within one lease: its chats resume on another worker within
//   leaseMs + OUTBOX_POLL_MS (< 10 s with the defaults), not after a long lease.
// - Duplicates only in the unavoidable window: a row is sent only while at least half of its lease is known to
//   be left, and it is re-sent only if the process died (or lost the database) after Telegram received the
//   request and before SENT was committed. That window is Telegram's answer in transit plus one UPDATE; measured
//   (test/outbox/delivery.test.ts «the duplicate window», bench notifications «answer → commit») from the
//   answer's arrival to the committed UPDATE on the shared 2-core machine: p50 7 ms, p99 56 ms with 200 rows in
//   flight at load ≈ 6; p50 64 ms, p99 234 ms in the bench at load ≈ 12 (it is a database round trip, so it
//   grows with the database's load). Exported as fsms_outbox_answer_to_commit_seconds. If the commit itself fails (database
//   trouble) it is retried for up to COMMIT_RETRY_MS while the heartbeat keeps the lease.
// - Never twice per recipient and event otherwise: Outbox is unique on (eventKey, chatId); a row is claimed by
//   one worker at a time (FOR UPDATE SKIP LOCKED + the lease).
// - Per-chat order: only the oldest PENDING row of a chat can be claimed, so a later row never overtakes an
//   earlier one that is pending or waiting for a retry.
// - Rates (see ratelimit.ts, chatpace.ts): smooth global pacing at 0.97 × OUTBOX_GLOBAL_RATE; per chat, the next
//   message goes at least 1/OUTBOX_CHAT_RATE after Telegram ANSWERED the previous one (so after Telegram got it,
//   whatever the event loop or network delays on the way). With `deps.redis` both are shared by every worker
//   process (keys `<prefix>{outbox}:…`, one Redis Cluster slot): the global schedule and 429 pause, and each
//   chat's next free slot. Without Redis both are per process.
// - Errors: a 429 holds its scope (the chat, when we were writing to it at its own pace; otherwise every chat)
//   for exactly retry_after, without counting an attempt. 429, 5xx, network errors, 401/404 (configuration) and
//   any failure before sending (database trouble while preparing the row) are retried without limit, with
//   capped exponential backoff and jitter (≤ maxBackoffMs, 5 min). Only a permanent refusal fails a row for
//   good: 403 (bot blocked, user deactivated) and the other 4xx (400 chat not found, bad request…); such rows
//   are counted (fsms_outbox_failed_total) and listed by prisma/store/outbox.ts listFailedOutbox.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Api, GrammyError, HttpError, InputFile } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { OutboxQueue, OutboxRow } from "../../domain/ports.ts";
import type { AppConfig } from "../config.ts";
import * as metrics from "../runtime/metrics.ts";
import { type ChatGate, LocalChatGate, RedisChatGate } from "./chatpace.ts";
import { Leases, Waits } from "./leases.ts";
import {
  backoffMs,
  type GlobalGate,
  RateGate,
  RedisRateGate,
  TokenBucket,
  windowSafeToleranceMs,
} from "./ratelimit.ts";

export type { OutboxRow };

/** What one row becomes: a new message, or an edit of a message sent before. */
export interface OutboxMessage {
  mode: "send" | "edit";
  /** The message to edit ("edit"). */
  messageId?: number;
  /** HTML (the caption when `photo` is set: ≤ 1024 characters). */
  text: string;
  /** Send this PNG with `text` as its caption (the digests' picture). */
  photo?: Buffer;
  reply_markup?: InlineKeyboardMarkup;
  /** Without sound (DECISIONS 13: intermediate Fund stages). */
  silent?: boolean;
}

/** `{ skip }`: nothing to send (recorded as done with the reason); otherwise the message in the recipient's language. */
export type Prepared = { skip: string } | { lang: string; rendered: OutboxMessage };

/**
 * What the worker asks of the rest of the bot, per row. Keep it small: the composition root wires today's
 * renderer (bot/runtime/outbox.ts); the «close the step» rule behind them may move without the worker changing.
 */
export interface OutboxHooks {
  /**
   * Read fresh at delivery time (just before the row's global slot): skip it, or render it. A throw is treated
   * as transient (database trouble): the row is retried with backoff, never failed for good.
   */
  prepare(row: OutboxRow): Promise<Prepared>;
  /** After Telegram accepted the message and SENT was committed (e.g. close a step decided meanwhile). Errors are logged. */
  afterSent?(row: OutboxRow, messageId: number | null): Promise<void>;
}

export interface OutboxDeps {
  queue: OutboxQueue;
  hooks: OutboxHooks;
  config: Pick<AppConfig, "OUTBOX_GLOBAL_RATE" | "OUTBOX_CHAT_RATE" | "OUTBOX_POLL_MS">;
  logger: Logger;
  /**
   * Share the global pacing (and global 429 pauses) and the per-chat spacing with every process of this bot
   * through Redis; keys `<prefix>{outbox}:pace`, `<prefix>{outbox}:pause`, `<prefix>{outbox}:chat:<id>`.
   * Without it both are per process.
   */
  redis?: { client: Redis; prefix: string };
}

export interface WorkerOptions {
  workerId?: string;
  batchSize?: number;
  /** How long a claimed row is reserved for this worker; renewed every quarter of it while in flight. */
  leaseMs?: number;
  pollMs?: number;
  /** Longest a claimed row waits in process (for its chat, for a global slot) before it is handed back (ms). */
  maxHoldMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest in-process wait for a chat's pacing before the row is handed back (ms). */
  maxChatWaitMs?: number;
  random?: () => number;
  /** Called with the time from Telegram's answer to the committed SENT of every delivered row (measurements). */
  onCommitted?: (row: OutboxRow, answerToCommitMs: number) => void;
}

export interface DeliveryStats {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

interface Limits {
  gate: GlobalGate;
  chats: ChatGate;
}

/** The default lease (ms): a crashed worker's chats resume within this + the poll interval. */
export const DEFAULT_LEASE_MS = 8_000;
/** Pace a few percent under Telegram's overall limit: room for network jitter, never a full window. */
export const GLOBAL_SHARE = 0.97;
/** Rows kept in process by startOutboxWorker: this many seconds of sending at the global rate. */
const PIPELINE_SECONDS = 2;
/** A 429 counts for the chat alone when the previous message to it went less than this many gaps earlier. */
const CHAT_SCOPE_GAPS = 2;
/** How long a SENT that could not be committed (database trouble) is retried before the row is left to its lease. */
const COMMIT_RETRY_MS = 30_000;
/** Error codes that are not about the row: retried like 5xx (a wrong token or API root is fixed by an operator). */
const TRANSIENT_4XX = new Set([401, 404, 408, 409, 429]);

const limitsByApi = new WeakMap<object, Limits>();

function limitsFor(deps: OutboxDeps, api: Api): Limits {
  let l = limitsByApi.get(api);
  if (!l) {
    const rate = deps.config.OUTBOX_GLOBAL_RATE * GLOBAL_SHARE;
    const local = new TokenBucket(rate, { catchUpMs: windowSafeToleranceMs(GLOBAL_SHARE) });
    let warnedAt = Number.NEGATIVE_INFINITY;
    const onError = (e: unknown) => {
      if (Date.now() - warnedAt < 60_000) return;
      warnedAt = Date.now();
      deps.logger.warn({ err: describe(e) }, "outbox: Redis pacer unavailable, pacing this process alone");
    };
    const keyPrefix = deps.redis ? `${deps.redis.prefix}{outbox}:` : "";
    const gate: GlobalGate = deps.redis
      ? new RedisRateGate(deps.redis.client, rate, {
          keyPrefix,
          maxLateMs: windowSafeToleranceMs(GLOBAL_SHARE),
          // While Redis does not answer this process paces alone (a 429 then pauses as usual).
          fallback: local,
          onError,
        })
      : new RateGate(local);
    const chats: ChatGate = deps.redis
      ? new RedisChatGate(deps.redis.client, deps.config.OUTBOX_CHAT_RATE, { keyPrefix, onError })
      : new LocalChatGate(deps.config.OUTBOX_CHAT_RATE);
    l = { gate, chats };
    limitsByApi.set(api, l);
  }
  return l;
}

const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

function describe(e: unknown): string {
  if (e instanceof GrammyError) return `${e.error_code} ${e.description}`.slice(0, 500);
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 500);
  return String(e).slice(0, 500);
}

/** A refusal that retrying will not change: 403 and the 4xx about the request itself. */
export function isPermanent(e: unknown): boolean {
  return (
    e instanceof GrammyError && e.error_code >= 400 && e.error_code < 500 && !TRANSIENT_4XX.has(e.error_code)
  );
}

/** What every row of one worker run shares. */
interface RunContext {
  deps: OutboxDeps;
  api: Api;
  opts: WorkerOptions;
  workerId: string;
  limits: Limits;
  waits: Waits;
  leases: Leases;
  leaseMs: number;
}

function runContext(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions,
  workerId: string,
  waits: Waits,
): RunContext {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    deps,
    api,
    opts,
    workerId,
    limits: limitsFor(deps, api),
    waits,
    leaseMs,
    leases: new Leases(deps.queue, workerId, leaseMs, deps.logger),
  };
}

/** Claim a slice of rows and hold their leases (the lease runs from before the claim was asked for). */
async function claim(run: RunContext, limit: number): Promise<{ rows: OutboxRow[]; claimedAt: number }> {
  const claimedAt = Date.now();
  const rows = await run.deps.queue.claim(run.workerId, limit, run.leaseMs);
  run.leases.hold(
    rows.map((r) => r.id),
    claimedAt,
  );
  return { rows, claimedAt };
}

/** One pass: claim a batch, deliver it (respecting the rate limits), record the outcome. */
export async function deliverOnce(
  deps: OutboxDeps,
  api: Api,
  opts: WorkerOptions = {},
  signal?: AbortSignal,
): Promise<DeliveryStats> {
  const workerId = opts.workerId ?? defaultWorkerId();
  const waits = new Waits(signal);
  const run = runContext(deps, api, opts, workerId, waits);
  try {
    const stats: DeliveryStats = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
    const { rows, claimedAt } = await claim(run, opts.batchSize ?? 50);
    stats.claimed = rows.length;
    await Promise.all(rows.map((row) => deliverRow(run, row, claimedAt, stats)));
    return stats;
  } finally {
    run.leases.dispose();
    waits.dispose();
  }
}

/** Give the row back unsent (due again in `delayMs`, no attempt counted), unless another worker has it now. */
async function handBack(run: RunContext, row: OutboxRow, delayMs: number): Promise<void> {
  if (run.leases.lost(row.id)) return;
  try {
    await run.deps.queue.retryLater(row.id, run.workerId, delayMs, null, { countAttempt: false });
  } catch (e) {
    // The lease runs out by itself.
    run.deps.logger.warn({ outbox: String(row.id), err: describe(e) }, "outbox: could not hand a row back");
  }
}

async function deliverRow(run: RunContext, row: OutboxRow, claimedAt: number, stats: DeliveryStats) {
  const { deps, api, opts, limits, waits, leases } = run;
  const chat = String(row.chatId);
  // Waits in process end here; a row that would wait longer is handed back.
  const deadline = claimedAt + (opts.maxHoldMs ?? 30_000);
  let stage: "prepare" | "send" = "prepare";
  let sinceLast: Promise<number> = Promise.resolve(Number.POSITIVE_INFINITY);
  try {
    // Per-chat pacing: wait a little in process (other chats' rows go on meanwhile), or hand the row back.
    const chatWait = await limits.chats.waitFor(chat);
    if (chatWait > (opts.maxChatWaitMs ?? 2000) || Date.now() + chatWait > deadline) {
      await handBack(run, row, chatWait);
      stats.retried++;
      return;
    }
    await waits.sleep(chatWait);
    if (waits.aborted) return await handBack(run, row, 0);
    const prepared = await deps.hooks.prepare(row);
    if ("skip" in prepared) {
      if (await commitSent(run, row, null, prepared.skip)) stats.skipped++;
      return;
    }
    const msg = prepared.rendered;
    // Global pacing: a FIFO slot (may be held back by a 429 pause).
    const slot = limits.gate.acquire(deadline);
    const unregister = waits.onAbort(slot.cancel);
    const granted = await slot.ready;
    unregister();
    if (!granted) {
      // Stopping, or the pause outlasts the wait: give the row back, due when the pause is over.
      await handBack(run, row, limits.gate.pausedFor());
      if (!waits.aborted) stats.retried++;
      return;
    }
    // Send only while the lease surely holds through the request (the heartbeat renews it every quarter).
    if (leases.left(row.id) < run.leaseMs / 2) {
      await handBack(run, row, 0);
      stats.retried++;
      return;
    }
    stage = "send";
    sinceLast = limits.chats.sent(chat);
    let messageId: number | null = null;
    const chatId = Number(row.chatId);
    if (msg.mode === "edit") {
      await api.editMessageText(chatId, msg.messageId ?? 0, msg.text, {
        parse_mode: "HTML",
        reply_markup: msg.reply_markup,
      });
    } else if (msg.photo) {
      const m = await api.sendPhoto(chatId, new InputFile(msg.photo, "dashboard.png"), {
        caption: msg.text,
        parse_mode: "HTML",
        reply_markup: msg.reply_markup,
        ...(msg.silent ? { disable_notification: true } : {}),
      });
      messageId = m.message_id;
    } else {
      const m = await api.sendMessage(chatId, msg.text, {
        parse_mode: "HTML",
        reply_markup: msg.reply_markup,
        link_preview_options: { is_disabled: true },
        ...(msg.silent ? { disable_notification: true } : {}),
      });
      messageId = m.message_id;
    }
    // From here on the message is out: only recording it is left (the window measured in commitSent).
    const answeredAt = performance.now();
    // The chat's next message: one gap after this answer (issued before the commit, so before anyone can claim it).
    limits.chats.answered(chat);
    stage = "prepare";
    if (await commitSent(run, row, messageId, null, answeredAt)) stats.sent++;
    if (deps.hooks.afterSent) {
      await deps.hooks.afterSent(row, messageId).catch((e: unknown) => {
        deps.logger.warn({ outbox: String(row.id), err: describe(e) }, "outbox: afterSent failed");
      });
    }
  } catch (e) {
    if (stage === "send") await handleSendError(run, row, chat, await sinceLast, stats, e);
    else await retryTransient(run, row, stats, e, "prepare");
  } finally {
    leases.release(row.id);
  }
}

/**
 * Record SENT (or "nothing to send" with a note). Retried while the database does not answer (the heartbeat
 * keeps the lease meanwhile), so a sent message is re-sent only if this process dies before the commit.
 */
async function commitSent(
  run: RunContext,
  row: OutboxRow,
  messageId: number | null,
  note: string | null,
  answeredAt?: number,
): Promise<boolean> {
  const until = Date.now() + COMMIT_RETRY_MS;
  for (let i = 0; ; i++) {
    try {
      const sentAt = await run.deps.queue.markSent(row.id, messageId, note);
      if (answeredAt !== undefined) {
        const ms = performance.now() - answeredAt;
        metrics.answerToCommit.observe(ms / 1000);
        run.opts.onCommitted?.(row, ms);
        if (sentAt) {
          metrics.outboxSent.inc();
          metrics.deliveryLag.observe(Math.max(0, sentAt.getTime() - row.createdAt.getTime()) / 1000);
        }
      }
      return sentAt !== null;
    } catch (e) {
      if (Date.now() >= until) {
        run.deps.logger.error(
          { outbox: String(row.id), err: describe(e) },
          "outbox: could not record a delivered message; it will be sent again when its lease runs out",
        );
        return false;
      }
      if (i === 0) {
        run.deps.logger.warn(
          { outbox: String(row.id), err: describe(e) },
          "outbox: recording SENT failed, retrying",
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** i)));
    }
  }
}

/** A transient failure: due again after a capped exponential backoff with jitter (no limit on the tries). */
async function retryTransient(
  run: RunContext,
  row: OutboxRow,
  stats: DeliveryStats,
  e: unknown,
  reason: metrics.RetryReason,
) {
  const { deps, opts } = run;
  const delay = backoffMs(
    row.attempts,
    opts.baseBackoffMs ?? 1000,
    opts.maxBackoffMs ?? 5 * 60_000,
    opts.random,
  );
  metrics.outboxRetries.inc({ reason });
  stats.retried++;
  if (run.leases.lost(row.id)) return;
  try {
    await deps.queue.retryLater(row.id, run.workerId, delay, describe(e), { countAttempt: true });
  } catch (err) {
    deps.logger.warn({ outbox: String(row.id), err: describe(err) }, "outbox: could not schedule a retry");
  }
  if (row.attempts === 1 || row.attempts % 10 === 0) {
    deps.logger.warn(
      { outbox: String(row.id), attempts: row.attempts, reason, retryInMs: delay, err: describe(e) },
      "outbox: delivery failed, will retry",
    );
  }
}

async function handleSendError(
  run: RunContext,
  row: OutboxRow,
  chat: string,
  sinceLastToChat: number,
  stats: DeliveryStats,
  e: unknown,
) {
  const { deps, limits, workerId } = run;
  const msg = describe(e);
  if (e instanceof GrammyError && e.error_code === 429) {
    // As long as Telegram asks (retry_after is in whole seconds), for the scope it is about: a chat we were
    // writing to at its own pace is told to slow down; otherwise it is the bot's overall flood limit, and
    // every chat waits. Afterwards sending resumes paced, without a catch-up burst.
    const ms = Math.max(0, e.parameters.retry_after ?? 1) * 1000;
    const scope = sinceLastToChat < CHAT_SCOPE_GAPS * limits.chats.gapMs ? "chat" : "global";
    limits.chats.pause(chat, ms);
    if (scope === "global") limits.gate.pause(ms);
    metrics.telegram429.inc({ source: "outbox", scope });
    metrics.outboxRetries.inc({ reason: "429" });
    stats.retried++;
    deps.logger.warn({ outbox: String(row.id), retry_after: ms / 1000, scope }, "outbox: 429, pausing");
    if (run.leases.lost(row.id)) return;
    await deps.queue
      .retryLater(row.id, workerId, ms, msg, { countAttempt: false })
      .catch((err: unknown) =>
        deps.logger.warn({ err: describe(err) }, "outbox: could not schedule a retry"),
      );
    return;
  }
  if (
    e instanceof GrammyError &&
    e.error_code === 400 &&
    /message is not modified|message to edit not found|can't be edited/i.test(e.description)
  ) {
    // The edit is moot: the message already shows it, or is gone.
    if (await commitSent(run, row, null, msg)) stats.sent++;
    return;
  }
  if (isPermanent(e)) {
    // 403: the user blocked the bot; other 4xx: the request itself is wrong. Retrying will not help.
    const code = String((e as GrammyError).error_code);
    metrics.outboxPermanentFailures.inc({ code });
    stats.failed++;
    deps.logger.warn({ outbox: String(row.id), kind: row.kind, code }, "outbox: failed for good");
    if (run.leases.lost(row.id)) return;
    await deps.queue
      .markFailed(row.id, workerId, msg)
      .catch((err: unknown) =>
        deps.logger.warn({ err: describe(err) }, "outbox: could not record a failure"),
      );
    return;
  }
  if (e instanceof GrammyError && (e.error_code === 401 || e.error_code === 404)) {
    deps.logger.error({ code: e.error_code }, "outbox: the Bot API refuses the token or the API root");
  }
  const reason: metrics.RetryReason =
    e instanceof GrammyError
      ? e.error_code >= 500
        ? "5xx"
        : "other"
      : e instanceof HttpError
        ? "network"
        : "other";
  await retryTransient(run, row, stats, e, reason);
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
          const { rows, claimedAt } = await claim(run, room);
          stats.claimed += rows.length;
          short = rows.length < room;
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
      run.leases.dispose();
      waits.dispose();
    },
  };
}
