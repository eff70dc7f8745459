// The bot under test for the update scenarios, wired as in production (composeApp + createBot) but answering through
// the recording fetch; the scenarios' targets; the size of a chat's state row.
import type { Bot } from "grammy";
import pino from "pino";
import type { App } from "../../app/index.ts";
import { type AppConfig, loadConfig } from "../../bot/config.ts";
import type { AppContext } from "../../bot/context.ts";
import { createBot, sessionKey } from "../../bot/createBot.ts";
import { composeApp } from "../../bot/runtime/compose.ts";
import type { BenchDb } from "./db.ts";
import { BOT_INFO, RecordingApi } from "./fakeApi.ts";

/** The bot under test, wired as in production but with the recording fetch. */
export interface BotEnv {
  db: BenchDb;
  api: RecordingApi;
  bot: Bot<AppContext>;
  app: App;
  config: AppConfig;
  close(): Promise<void>;
}

export async function createBotEnv(db: BenchDb, extraEnv: Record<string, string> = {}): Promise<BotEnv> {
  const config: AppConfig = loadConfig({
    BOT_API_ROOT: "http://telegram.bench",
    LOG_LEVEL: "silent",
    FILES_DIR: `/tmp/fsms-bench-files/${process.pid}`,
    DATABASE_URL: db.url,
    ...extraEnv,
  });
  const api = new RecordingApi();
  const logger = pino({ level: process.env.BENCH_LOG ?? "silent" });
  const app = composeApp({ prisma: db.prisma, config, logger });
  const bot = createBot({
    deps: { app, config, logger, download: (u: string) => api.fetch(u) },
    botInfo: BOT_INFO,
    client: { fetch: api.fetch as never },
  });
  await bot.init();
  return { db, api, bot, app, config, async close() {} };
}

export interface ScenarioTargets {
  /** Closed-loop throughput, % of the fair baseline (when the scenario has one). */
  throughputPct?: number;
  p99?: number;
  cpuMs?: number;
  roundTrips?: number;
  transactions?: number;
}

/** Bytes of a chat's state row (session + open prompt), as PostgreSQL stores it. */
export async function chatStateBytes(env: BotEnv, tg: number): Promise<number> {
  const key = sessionKey({ chat: { id: tg }, from: { id: tg } })!;
  const { rows } = await env.db.pool.query<{ n: number }>(
    `SELECT pg_column_size(s.*)::int AS n FROM "ChatState" s WHERE key = $1`,
    [key],
  );
  return rows[0]?.n ?? 0;
}
