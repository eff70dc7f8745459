// Prometheus metrics (prom-client), served as GET /metrics by the HTTP server of every mode (bot/runtime/http.ts:
// the webhook server, the polling health server, the sandbox). One registry per process; scrape every instance
// and aggregate in Prometheus (sum for counters, max for the queue gauges, which every instance reads from the
// shared database).
//
//   fsms_updates_total{kind}                 updates handled, kind = message | callback | other
//   fsms_update_duration_seconds{kind}       handler latency (histogram)
//   fsms_outbox_pending                      outbox depth: PENDING rows (read at scrape time)
//   fsms_outbox_failed                       FAILED rows in the table (read at scrape time)
//   fsms_outbox_oldest_pending_seconds       age of the oldest PENDING row (a stalled chat shows here)
//   fsms_outbox_delivery_lag_seconds         created → sent, per delivered row (histogram)
//   fsms_outbox_answer_to_commit_seconds     Telegram's answer → SENT committed: the only window in which a crash
//                                            re-sends a row (histogram)
//   fsms_outbox_sent_total                   rows delivered by this process
//   fsms_outbox_retries_total{reason}        transient failures retried (429 | 5xx | network | prepare | other)
//   fsms_outbox_failed_total{code}           permanent failures (Telegram's error code)
//   fsms_telegram_429_total{source,scope}    429 answers received (source = outbox | bot; scope = chat | global)
//   fsms_sla_breaches{level}                 waiting items past the reminder / escalation threshold (set by the
//                                            reminders run of the leader)
//   fsms_reminders_leader                    1 when this process ran the last reminders pass, 0 when another did
//   + prom-client's default process metrics (fsms_process_*, fsms_nodejs_*: CPU, memory, event loop lag)
//     once enableDefaultMetrics() is called (bot/main.ts).
import type { Context, MiddlewareFn, Transformer } from "grammy";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export type UpdateKind = "message" | "callback" | "other";

export const updatesTotal = new Counter({
  name: "fsms_updates_total",
  help: "Updates handled, by kind",
  labelNames: ["kind"] as const,
  registers: [registry],
});

export const updateDuration = new Histogram({
  name: "fsms_update_duration_seconds",
  help: "Time to handle one update (all middleware), by kind",
  labelNames: ["kind"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** What /metrics reads from the outbox at scrape time (wired by the composition root). */
export type OutboxDepthSource = () => Promise<{
  pending: number;
  failed: number;
  oldestPendingAt: Date | null;
}>;

let depthSource: OutboxDepthSource | null = null;
/** Read the queue depth at each scrape. */
let depthCache: Promise<void> | null = null;

async function readDepth(): Promise<void> {
  if (!depthSource) return;
  // One read per scrape for the three gauges.
  depthCache ??= depthSource()
    .then((d) => {
      outboxPending.set(d.pending);
      outboxFailed.set(d.failed);
      outboxOldest.set(
        d.oldestPendingAt ? Math.max(0, (Date.now() - d.oldestPendingAt.getTime()) / 1000) : 0,
      );
    })
    .catch(() => {
      // the database does not answer: keep the last values (readiness shows the outage)
    })
    .finally(() => {
      setTimeout(() => {
        depthCache = null;
      }, 100).unref();
    });
  await depthCache;
}

export const outboxPending = new Gauge({
  name: "fsms_outbox_pending",
  help: "Outbox depth: notifications waiting to be delivered (PENDING rows)",
  registers: [registry],
  collect: readDepth,
});

export const outboxFailed = new Gauge({
  name: "fsms_outbox_failed",
  help: "Notifications that failed for good (FAILED rows in the table)",
  registers: [registry],
  collect: readDepth,
});

export const outboxOldest = new Gauge({
  name: "fsms_outbox_oldest_pending_seconds",
  help: "Age of the oldest PENDING notification",
  registers: [registry],
  collect: readDepth,
});

export const deliveryLag = new Histogram({
  name: "fsms_outbox_delivery_lag_seconds",
  help: "Outbox row created → sent",
  buckets: LAG_BUCKETS,
  registers: [registry],
});

export const answerToCommit = new Histogram({
  name: "fsms_outbox_answer_to_commit_seconds",
  help: "Telegram's answer → SENT committed (a crash inside this window re-sends the row)",
  buckets: COMMIT_BUCKETS,
  registers: [registry],
});

export const outboxSent = new Counter({
  name: "fsms_outbox_sent_total",
  help: "Notifications delivered by this process",
  registers: [registry],
});

export type RetryReason = "429" | "5xx" | "network" | "prepare" | "other";

export const outboxRetries = new Counter({
  name: "fsms_outbox_retries_total",
  help: "Transient delivery failures, retried later",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const outboxPermanentFailures = new Counter({
  name: "fsms_outbox_failed_total",
  help: "Notifications that failed for good (permanent Telegram refusal), by error code",
  labelNames: ["code"] as const,
  registers: [registry],
});

export const telegram429 = new Counter({
  name: "fsms_telegram_429_total",
  help: "429 Too Many Requests answers received from the Bot API",
  labelNames: ["source", "scope"] as const,
  registers: [registry],
});

export const slaBreaches = new Gauge({
  name: "fsms_sla_breaches",
  help: "Applications waiting longer than their branch's reminder / escalation threshold (working days)",
  labelNames: ["level"] as const,
  registers: [registry],
});

export const remindersLeader = new Gauge({
  name: "fsms_reminders_leader",
  help: "1 when this process ran the last reminders pass (the leader), 0 when another instance did",
  registers: [registry],
});

/** Where the queue depth comes from (bot/main.ts: the store's counts); null: the gauges stay at 0. */
export function setOutboxDepthSource(source: OutboxDepthSource | null): void {
  depthSource = source;
  depthCache = null;
}

let defaults = false;
/** prom-client's process metrics (CPU, memory, event loop lag, GC), once per process. */
export function enableDefaultMetrics(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics({ register: registry, prefix: "fsms_" });
}

export function updateKind(ctx: Pick<Context, "callbackQuery" | "message">): UpdateKind {
  if (ctx.callbackQuery) return "callback";
  if (ctx.message) return "message";
  return "other";
}

/** Counts every update by kind and times its handling (put it first: `bot.use(metricsMiddleware())`). */
export function metricsMiddleware<C extends Context>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const kind = updateKind(ctx);
    updatesTotal.inc({ kind });
    const end = updateDuration.startTimer({ kind });
    try {
      await next();
    } finally {
      end();
    }
  };
}

/**
 * An API transformer that counts the 429 answers of an Api (`bot.api.config.use(count429s("bot"))`), for the
 * interactive API; the outbox worker counts its own with their scope.
 */
export function count429s(source: string): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429) telegram429.inc({ source, scope: "unknown" });
    return res;
  };
}

/** The text exposition of every metric (what GET /metrics answers). */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
