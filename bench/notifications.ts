// Notifications: 5,000 outbox rows (status changes of the population's applications) to 1,000 chats,
// delivered by the outbox worker (bot/outbox/worker.ts) through a local Bot API stub that enforces
// Telegram's limits (30 messages/s overall, 1 message/s per chat), time-scaled by SCALE: the stub and
// the worker (OUTBOX_GLOBAL_RATE / OUTBOX_CHAT_RATE) are both configured SCALE× faster.
// Baseline: a bare loop that sends the same number of messages with bot.api.sendMessage, paced at 97%
// of the global limit, chats round-robin, no database – what a careful sender reaches on this machine.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Api, GrammyError } from "grammy";
import pino from "pino";
import { type AppConfig, loadConfig } from "../bot/config.ts";
import type { App } from "../app/index.ts";
import { createBenchDb, ROOT } from "./lib/db.ts";
import { createPopulation } from "./lib/population.ts";
import { startRateLimitedApiProcess, type StubStats } from "./lib/rateLimitedApi.ts";
import { check, missing, type Section } from "./lib/report.ts";

export const SCALE = Number(process.env.BENCH_NOTIFY_SCALE ?? 10);
const GLOBAL = 30;
const PER_CHAT = 1;
/** The baseline paces at 97% of the limit: a careful sender's margin for network jitter. */
const BASELINE_SHARE = 0.97;
const TOKEN = "123456:bench-notifications-token-xxxxxx";

export interface NotificationOptions {
  quick: boolean;
  log: (m: string) => void;
}

interface Measured {
  accepted: number;
  tooMany: number;
  seconds: number;
  ratePct: number;
}

function measuredFrom(stats: StubStats, globalRate: number): Measured {
  const seconds = (stats.lastAcceptAt - stats.firstAcceptAt) / 1000;
  // messages per second from the first to the last accepted message, as % of the global limit
  const ratePct = seconds > 0 ? (100 * (stats.accepted - 1)) / seconds / globalRate : Number.NaN;
  return { accepted: stats.accepted, tooMany: stats.tooMany, seconds, ratePct };
}

async function baselineRun(
  chats: number[],
  perChat: number,
  globalRate: number,
  chatRate: number,
): Promise<Measured> {
  const stub = await startRateLimitedApiProcess({ globalRate, chatRate });
  try {
    const api = new Api(TOKEN, { apiRoot: stub.url });
    const total = chats.length * perChat;
    // One pacer for first tries and retries alike: never closer than 1/(0.97·G) to the previous send,
    // no catching up after a late timer; a 429 puts the message back at the head of the queue.
    const gap = 1000 / (BASELINE_SHARE * globalRate);
    const queue: number[] = Array.from({ length: total }, (_, i) => i);
    let delivered = 0;
    let last = Number.NEGATIVE_INFINITY;
    let waiting = 0;
    while (delivered < total) {
      const i = queue.shift();
      if (i === undefined) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const wait = last + gap - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      last = performance.now();
      waiting++;
      api
        .sendMessage(chats[i % chats.length]!, `baseline ${i}`)
        .then(
          () => {
            delivered++;
          },
          (e: unknown) => {
            const retry = e instanceof GrammyError ? (e.parameters.retry_after ?? 1) : 1;
            setTimeout(() => queue.unshift(i), retry * 1000);
          },
        )
        .finally(() => {
          waiting--;
        });
    }
    while (waiting > 0) await new Promise((r) => setTimeout(r, 5));
    return measuredFrom(await stub.refresh(), globalRate);
  } finally {
    await stub.close();
  }
}

/**
 * Starts bot/outbox/worker.ts `startOutboxWorker` (imported lazily: it pulls in the store); `windows` collects
 * each delivered row's time from Telegram's answer to the committed SENT (the window a crash would re-send in).
 */
async function startWorker(deps: WorkerDeps, api: Api, windows: number[]): Promise<() => Promise<void>> {
  const { startOutboxWorker } = await import("../bot/outbox/worker.ts");
  const { outboxWorkerDeps } = await import("../bot/runtime/outbox.ts");
  const w = startOutboxWorker(outboxWorkerDeps(deps), api, { onCommitted: (_row, ms) => windows.push(ms) });
  return () => w.stop();
}

interface WorkerDeps {
  prisma: import("../generated/prisma/client.ts").PrismaClient;
  app: App;
  config: AppConfig;
  logger: pino.Logger;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export async function benchNotifications(opts: NotificationOptions): Promise<Section> {
  const { quick, log } = opts;
  const section: Section = { name: "notifications", rows: [], notes: [] };
  const users = quick ? 100 : 1000;
  const perChat = 5;
  const globalRate = GLOBAL * SCALE;
  const chatRate = PER_CHAT * SCALE;
  section.notes.push(
    `${users * perChat} notifications to ${users} chats; limits time-scaled ${SCALE}×: the stub (own process) allows ${globalRate} msg/s overall and ${chatRate} msg/s per chat, +5% slack (Telegram: ${GLOBAL} and ${PER_CHAT}), the worker runs with OUTBOX_GLOBAL_RATE=${globalRate} OUTBOX_CHAT_RATE=${chatRate}`,
    "delivered rate = (N − 1) ÷ seconds from the first to the last accepted message, as % of the global limit (a constant-rate sender at the limit scores 100%)",
  );

  const workerPresent =
    existsSync(join(ROOT, "bot/outbox/worker.ts")) && existsSync(join(ROOT, "prisma/store/outbox.ts"));
  const base = await baselineRun(
    Array.from({ length: users }, (_, i) => 9_000_000_000 + i),
    perChat,
    globalRate,
    chatRate,
  );
  log(
    `baseline: ${base.accepted} messages in ${base.seconds.toFixed(1)} s, ${base.ratePct.toFixed(1)}% of the limit, ${base.tooMany} × 429`,
  );

  if (!workerPresent) {
    section.rows.push(
      missing(
        "notifications.rate_pct_of_limit",
        "delivered rate, % of limit",
        "%",
        "bot/outbox/worker.ts or its queue (prisma/store/outbox.ts) has not landed",
        "≥ 95",
      ),
      {
        key: "notifications.baseline_rate_pct_of_limit",
        label: "baseline paced loop, % of limit",
        unit: "%",
        value: base.ratePct,
        verdict: "info",
      },
    );
    return section;
  }

  const db = await createBenchDb("n");
  section.notes.push(...db.notes);
  const stub = await startRateLimitedApiProcess({ globalRate, chatRate });
  let stop: (() => Promise<void>) | undefined;
  try {
    const pop = await createPopulation(db.pool, users, perChat);
    // One status_changed notification per application: 5 per supplier chat.
    await db.pool.query(
      `INSERT INTO "Outbox"("eventKey", "chatId", "userId", "applicationId", kind, payload)
       SELECT 'bench:' || a.id, u."telegramId", u.id, a.id, 'status_changed', jsonb_build_object('to', a.status::text)
         FROM "Application" a JOIN "User" u ON u.id = a."authorId"
        WHERE u."telegramId" >= 8100000000 AND u."telegramId" < 8200000000
        ORDER BY a."statusChangedAt" DESC, a.id`,
    );
    const { rows: cnt } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Outbox"`);
    const expected = cnt[0]!.n;
    log(`outbox: ${expected} rows for ${pop.suppliers.length} chats`);

    const config: AppConfig = loadConfig({
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: stub.url,
      DATABASE_URL: db.url,
      LOG_LEVEL: "silent",
      OUTBOX_GLOBAL_RATE: String(globalRate),
      OUTBOX_CHAT_RATE: String(chatRate),
      OUTBOX_POLL_MS: "50",
    });
    const logger = pino({ level: "silent" });
    const { composeApp } = await import("../bot/runtime/compose.ts");
    const deps: WorkerDeps = {
      prisma: db.prisma,
      app: composeApp({ prisma: db.prisma, config, logger }),
      config,
      logger,
    };
    const api = new Api(TOKEN, { apiRoot: stub.url });
    const t0 = Date.now();
    const windows: number[] = [];
    stop = await startWorker(deps, api, windows);
    const deadline = t0 + Math.max(60_000, (expected / globalRate) * 3000);
    let pending = expected;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Outbox" WHERE status = 'PENDING'`,
      );
      pending = rows[0]!.n;
      if (pending === 0) break;
    }
    await stop();
    stop = undefined;
    const { rows: st } = await db.pool.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM "Outbox" GROUP BY status`,
    );
    const byStatus = Object.fromEntries(st.map((r) => [r.status, r.n])) as Record<string, number>;
    const { rows: perChatRows } = await db.pool.query<{ chat: string; n: number }>(
      `SELECT "chatId"::text AS chat, count(*)::int AS n FROM "Outbox" GROUP BY "chatId"`,
    );
    let duplicated = 0;
    let lostByStub = 0;
    await stub.refresh();
    for (const r of perChatRows) {
      const got = stub.stats.perChat.get(Number(r.chat)) ?? 0;
      if (got > r.n) duplicated += got - r.n;
      if (got < r.n) lostByStub += r.n - got;
    }
    const lost = Math.max(lostByStub, (byStatus.FAILED ?? 0) + (byStatus.PENDING ?? 0));
    const m = measuredFrom(stub.stats, globalRate);
    log(
      `worker: ${m.accepted} accepted in ${m.seconds.toFixed(1)} s (${m.ratePct.toFixed(1)}%), ${m.tooMany} × 429, lost ${lost}, duplicated ${duplicated}`,
    );
    const after429 = Math.max(0, m.tooMany - 1);
    section.rows.push(
      {
        key: "notifications.delivered",
        label: "delivered messages",
        unit: "msg",
        value: m.accepted,
        baseline: base.accepted,
        target: `= ${expected}`,
        verdict: m.accepted === expected ? "ok" : "FAIL",
      },
      {
        key: "notifications.seconds",
        label: "time first → last message",
        unit: "s",
        value: m.seconds,
        baseline: base.seconds,
        verdict: "info",
      },
      {
        key: "notifications.rate_pct_of_limit",
        label: "delivered rate, % of limit",
        unit: "%",
        value: m.ratePct,
        baseline: base.ratePct,
        target: "≥ 95",
        verdict: check(m.ratePct, ">=", 95),
      },
      {
        key: "notifications.http_429_after_first",
        label: "429 answers after the first",
        unit: "",
        value: after429,
        baseline: Math.max(0, base.tooMany - 1),
        target: "0",
        verdict: check(after429, "<=", 0),
      },
      {
        key: "notifications.lost",
        label: "lost",
        unit: "msg",
        value: lost,
        target: "0",
        verdict: check(lost, "<=", 0),
      },
      {
        key: "notifications.answer_to_commit_p50_ms",
        label: "Telegram's answer → SENT committed, p50 (crash re-send window)",
        unit: "ms",
        value: percentile(windows, 50),
        verdict: "info",
      },
      {
        key: "notifications.answer_to_commit_p99_ms",
        label: "Telegram's answer → SENT committed, p99 (crash re-send window)",
        unit: "ms",
        value: percentile(windows, 99),
        verdict: "info",
      },
      {
        key: "notifications.duplicated",
        label: "duplicated",
        unit: "msg",
        value: duplicated,
        target: "0",
        verdict: check(duplicated, "<=", 0),
      },
    );
    section.notes.push(
      `outbox rows after the run: ${JSON.stringify(byStatus)}; ${m.tooMany} × 429 in total: ${stub.stats.tooManyGlobal} over the global window, ${stub.stats.tooManyChat} under the per-chat gap (smallest per-chat gap seen ${stub.stats.minChatGapMs.toFixed(0)} ms of ${(1000 / chatRate).toFixed(0)})`,
    );
  } finally {
    if (stop) await stop().catch(() => {});
    await stub.close();
    await db.drop();
  }
  return section;
}
