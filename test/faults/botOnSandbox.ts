// The real bot (createBot + the application on a given database) in this process, the sandbox as a strict
// Telegram (it refuses what Telegram refuses and counts it: /ui/stats), updates fetched from the sandbox and
// handed to bot.handleUpdate concurrently, as the polling runner does (the bot sequentializes per chat).
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { loadConfig } from "../../bot/config.ts";
import type { AppContext } from "../../bot/context.ts";
import { createBot } from "../../bot/createBot.ts";
import type { RetryPolicy } from "../../bot/kit/resilience.ts";
import { composeApp } from "../../bot/runtime/compose.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { Sandbox, type SandboxPerson, type TgMessage } from "../../sandbox/server.ts";

export const TOKEN = "7000000002:FAULTS-sandbox-token-abcdefghijk";

export interface BotOnSandbox {
  sandbox: Sandbox;
  bot: Bot<AppContext>;
  /** Fetch the updates waiting in the sandbox and start handling them (not awaited). */
  pump(): Promise<number>;
  /** Wait until every update handed to the bot is finished. */
  idle(timeoutMs?: number): Promise<void>;
  /** Errors that escaped the bot (bot.catch): should stay empty. */
  escaped: unknown[];
  /** Last bot message of a chat with inline buttons, and its callback data. */
  buttonsOf(chatId: number): { message: TgMessage; data: string[] } | undefined;
  close(): Promise<void>;
}

export async function startBotOnSandbox(o: {
  prisma: PrismaClient;
  persons: SandboxPerson[];
  callbackTimeoutMs?: number;
  policy?: RetryPolicy;
}): Promise<BotOnSandbox> {
  const sandbox = await Sandbox.start({
    persons: o.persons,
    ready: true,
    callbackTimeoutMs: o.callbackTimeoutMs ?? 15_000,
  });
  const tag = `f${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    BOT_API_ROOT: sandbox.url,
    LOG_LEVEL: "silent",
    FILES_DIR: `/tmp/fsms-test-files/${tag}`,
  });
  const logger = pino({ level: "silent" });
  const app = composeApp({ prisma: o.prisma, config, logger });
  const bot = createBot({ deps: { app, config, logger }, ...(o.policy ? { onUnavailable: o.policy } : {}) });
  const escaped: unknown[] = [];
  bot.catch((e) => {
    escaped.push(e.error);
  });
  await bot.init();
  let offset = 0;
  const inFlight = new Set<Promise<void>>();
  const pump = async () => {
    const res = await fetch(`${sandbox.url}/bot${TOKEN}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ offset, timeout: 0 }),
    });
    const body = (await res.json()) as { result: Update[] };
    for (const u of body.result) {
      offset = u.update_id + 1;
      const p = bot.handleUpdate(u).catch((e: unknown) => {
        escaped.push(e);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    return body.result.length;
  };
  return {
    sandbox,
    bot,
    pump,
    escaped,
    async idle(timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while (inFlight.size) {
        if (Date.now() > end) throw new Error(`${inFlight.size} updates still in flight`);
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 200))]);
      }
    },
    buttonsOf(chatId) {
      const msgs = sandbox.botMessages(chatId);
      for (let i = msgs.length - 1; i >= 0; i--) {
        const m = msgs[i]!;
        const data = ((m.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][])
          .flat()
          .map((b) => b.callback_data)
          .filter((d): d is string => !!d);
        if (data.length) return { message: m, data };
      }
      return undefined;
    },
    async close() {
      await sandbox.close();
    },
  };
}
