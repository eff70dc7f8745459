// Long polling with @grammyjs/runner (concurrent across chats; createBot sequentializes per chat),
// plus a small health server (/healthz, /readyz) so containers can be probed in this mode too.
import { createServer, type Server } from "node:http";
import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Logger } from "pino";
import type { AppContext } from "../context.ts";
import { handleHealth, type ReadinessCheck, sendJson } from "./http.ts";

export interface Polling {
  handle: RunnerHandle;
  stop(): Promise<void>;
}

/**
 * Refuses to long-poll a bot that has a webhook (Telegram would answer 409 forever, and deleting it
 * silently would cut off the instances that use it) unless `deleteWebhook` is asked for.
 */
export async function ensureNoWebhook(
  bot: Bot<AppContext>,
  deleteWebhook: boolean,
  logger: Logger,
): Promise<void> {
  const info = await bot.api.getWebhookInfo();
  if (!info.url) return;
  if (!deleteWebhook) {
    throw new Error(
      "A webhook is set for this bot, so long polling cannot receive updates. Start in webhook mode " +
        "(WEBHOOK_URL, WEBHOOK_SECRET) or pass --delete-webhook to remove it and poll.",
    );
  }
  await bot.api.deleteWebhook();
  logger.warn("webhook deleted (--delete-webhook)");
}

export function startPolling(bot: Bot<AppContext>, logger: Logger): Polling {
  const handle = run(bot, {
    runner: { retryInterval: "exponential", maxRetryTime: 24 * 60 * 60 * 1000, silent: true },
  });
  void handle.task()?.catch((e: unknown) => {
    logger.error({ err: e instanceof Error ? e.message : String(e) }, "long polling stopped");
  });
  logger.info("long polling started");
  return {
    handle,
    async stop() {
      if (handle.isRunning()) await handle.stop();
    },
  };
}

/** /healthz and /readyz on PORT in polling mode. A busy port is logged, not fatal: polling works without it. */
export async function startHealthServer(
  port: number,
  ready: ReadinessCheck,
  logger: Logger,
): Promise<{ server: Server; close(): Promise<void> } | undefined> {
  let stopping = false;
  const server = createServer((req, res) => {
    handleHealth(req, res, ready, () => stopping)
      .then((done) => {
        if (!done) sendJson(res, 404, { ok: false, error: "not found" });
      })
      .catch(() => {
        if (!res.headersSent) sendJson(res, 500, { ok: false });
      });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    logger.warn({ port, err: e instanceof Error ? e.message : String(e) }, "health server not started");
    return undefined;
  }
  logger.info({ port }, "health endpoints on /healthz and /readyz");
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
