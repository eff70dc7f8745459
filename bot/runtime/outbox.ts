// Wiring of the outbox worker and the reminders (used by bot/main.ts, the tests and the benchmarks): the queue
// and reminder store on the database, and the application layer's rendering as the worker's hooks.
import { Api } from "grammy";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { App } from "../../app/index.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { outboxQueue } from "../../prisma/store/outbox.ts";
import { reminderStore } from "../../prisma/store/reminders.ts";
import type { AppConfig } from "../config.ts";
import { createOutboxHooks } from "../outbox/render.ts";
import type { ReminderDeps } from "../outbox/reminders.ts";
import type { OutboxDeps } from "../outbox/worker.ts";
import { setOutboxDepthSource } from "./metrics.ts";

/** The worker's dependencies on this database (and Redis, to share the pacing across processes). */
export function outboxWorkerDeps(
  deps: { prisma: PrismaClient; app: App; config: OutboxDeps["config"]; logger: Logger },
  redis?: { client: Redis; prefix: string },
): OutboxDeps {
  return {
    queue: outboxQueue(deps.prisma),
    hooks: createOutboxHooks(deps.app),
    config: deps.config,
    logger: deps.logger,
    redis,
  };
}

/**
 * The worker's own Bot API client: same token and API root as the bot, none of the interactive API's
 * transformers, so the worker's pacing and 429 handling stay its own. A slow answer is waited for up to 60 s
 * (the heartbeat keeps the row meanwhile); a timeout is retried (and may duplicate, like a crash would).
 */
export function outboxApi(config: Pick<AppConfig, "BOT_TOKEN" | "BOT_API_ROOT">): Api {
  return new Api(config.BOT_TOKEN ?? "sandbox:token", { apiRoot: config.BOT_API_ROOT, timeoutSeconds: 60 });
}

/** /metrics reads the queue depth from this database at each scrape. */
export function exposeOutboxDepth(prisma: PrismaClient): void {
  setOutboxDepthSource(() => outboxQueue(prisma).counts());
}

export function reminderDeps(prisma: PrismaClient, logger?: Logger): ReminderDeps {
  return { store: reminderStore(prisma), logger };
}
