// GET /metrics (the HTTP server of every mode answers it through handleHealth) exposes what happened: updates by
// kind and their handling time (metricsMiddleware), the outbox depth and its failed rows (read at scrape time),
// delivery lag and the answer → commit window, 429s by scope, permanent failures by code.
import type { AddressInfo } from "node:net";
import { Api, Bot } from "grammy";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOnce, type OutboxDeps } from "../../bot/outbox/worker.ts";
import { enableDefaultMetrics, metricsMiddleware } from "../../bot/runtime/metrics.ts";
import { exposeOutboxDepth } from "../../bot/runtime/outbox.ts";
import { startHealthServer } from "../../bot/runtime/polling.ts";
import { outboxQueue } from "../../prisma/store/outbox.ts";
import { BOT_INFO } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type BotApiStub, startBotApiStub, TOKEN } from "./stub.ts";

let db: TestDb;
let stub: BotApiStub;
let health: Awaited<ReturnType<typeof startHealthServer>>;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  db = await createTestDb();
  health = await startHealthServer(0, async () => ({}), logger);
});
afterAll(async () => {
  await health?.close();
  await stub?.close();
  await db?.drop();
});

async function scrape(): Promise<{ type: string | null; text: string }> {
  const port = (health!.server.address() as AddressInfo).port;
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), text: await res.text() };
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

describe("/metrics", () => {
  it("exposes updates by kind, handler latency, outbox depth and lag, 429s and permanent failures", async () => {
    enableDefaultMetrics();
    exposeOutboxDepth(db.prisma);
    // Updates through a bot with the middleware first (as createBot will have it).
    const bot = new Bot(TOKEN, {
      botInfo: BOT_INFO,
      client: { fetch: (async () => new Response(JSON.stringify({ ok: true, result: true }))) as never },
    });
    bot.use(metricsMiddleware());
    bot.on("message", () => new Promise((r) => setTimeout(r, 20)));
    bot.on("callback_query", () => {});
    const from = { id: 42, is_bot: false, first_name: "A" };
    const chat = { id: 42, type: "private" as const, first_name: "A" };
    await bot.handleUpdate({ update_id: 1, message: { message_id: 1, date: 0, chat, from, text: "hi" } });
    await bot.handleUpdate({ update_id: 2, message: { message_id: 2, date: 0, chat, from, text: "again" } });
    await bot.handleUpdate({
      update_id: 3,
      callback_query: {
        id: "q",
        from,
        chat_instance: "c",
        data: "x",
        message: { message_id: 1, date: 0, chat },
      },
    });
    await bot.handleUpdate({
      update_id: 4,
      edited_message: { message_id: 1, date: 0, edit_date: 1, chat, from, text: "e" },
    });

    // The outbox: one chat blocked (403), one 429 for a chat nobody was writing to (global scope), one delivered,
    // two rows not due yet (the depth).
    await db.prisma.outbox.createMany({
      data: [
        { eventKey: "m-1", chatId: 8001n, kind: "status_changed", payload: {} },
        { eventKey: "m-2", chatId: 8002n, kind: "status_changed", payload: {} },
        { eventKey: "m-3", chatId: 8003n, kind: "status_changed", payload: {} },
        ...[4, 5].map((i) => ({
          eventKey: `m-${i}`,
          chatId: 8004n,
          kind: "status_changed",
          payload: {},
          createdAt: new Date(Date.now() - 60_000),
          nextAttemptAt: new Date(Date.now() + 3_600_000),
        })),
      ],
    });
    let first429 = true;
    stub = await startBotApiStub((r) => {
      if (r.chatId === 8001) return { code: 403 };
      if (r.chatId === 8002 && first429) {
        first429 = false;
        return { code: 429, retryAfter: 1 };
      }
      return null;
    });
    const deps: OutboxDeps = {
      queue: outboxQueue(db.prisma),
      hooks: { prepare: async (row) => ({ lang: "ru", rendered: { mode: "send", text: row.eventKey } }) },
      config: { OUTBOX_GLOBAL_RATE: 1000, OUTBOX_CHAT_RATE: 1000, OUTBOX_POLL_MS: 20 },
      logger,
    };
    const api = new Api(TOKEN, { apiRoot: stub.url });
    const end = Date.now() + 15_000;
    while ((await db.prisma.outbox.count({ where: { status: "SENT" } })) < 2 && Date.now() < end) {
      await deliverOnce(deps, api, {});
      await new Promise((r) => setTimeout(r, 50));
    }

    const { type, text } = await scrape();
    expect(type).toMatch(/^text\/plain/);
    expect(sample(text, 'fsms_updates_total{kind="message"}')).toBe(2);
    expect(sample(text, 'fsms_updates_total{kind="callback"}')).toBe(1);
    expect(sample(text, 'fsms_updates_total{kind="other"}')).toBe(1);
    expect(sample(text, 'fsms_update_duration_seconds_count{kind="message"}')).toBe(2);
    expect(sample(text, 'fsms_update_duration_seconds_sum{kind="message"}')).toBeGreaterThan(0.03);
    expect(sample(text, "fsms_outbox_pending")).toBe(2);
    expect(sample(text, "fsms_outbox_failed")).toBe(1);
    expect(sample(text, "fsms_outbox_oldest_pending_seconds")).toBeGreaterThanOrEqual(59);
    expect(sample(text, 'fsms_outbox_failed_total{code="403"}')).toBe(1);
    expect(sample(text, 'fsms_telegram_429_total{source="outbox",scope="global"}')).toBe(1);
    expect(sample(text, 'fsms_outbox_retries_total{reason="429"}')).toBe(1);
    expect(sample(text, "fsms_outbox_sent_total")).toBe(2);
    expect(sample(text, "fsms_outbox_delivery_lag_seconds_count")).toBe(2);
    // the 429'd row waited its retry_after: its lag is over a second
    expect(sample(text, 'fsms_outbox_delivery_lag_seconds_bucket{le="0.5"}')).toBeLessThanOrEqual(1);
    expect(sample(text, "fsms_outbox_answer_to_commit_seconds_count")).toBe(2);
    expect(text).toContain("fsms_process_cpu_user_seconds_total");
    expect(text).toContain("# HELP fsms_sla_breaches");
  });
});
