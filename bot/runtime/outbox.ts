// Wiring of the outbox worker and the reminders (used by bot/main.ts, the tests and the benchmarks): the queue
// and reminder store on the database, and today's renderer as the worker's hooks.
//
// The hooks are where the «close the step» rule lives for now (bot/outbox/stage.ts, on Prisma); when it moves
// into the domain only outboxHooks changes, not the worker.
import { Api } from "grammy";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { outboxQueue } from "../../prisma/store/outbox.ts";
import { reminderStore } from "../../prisma/store/reminders.ts";
import type { AppConfig } from "../config.ts";
import type { ReminderDeps } from "../outbox/reminders.ts";
import { recipientLang, renderOutbox } from "../outbox/render.ts";
import { closeStaleStaffMessages, STAGE_KINDS, stageState } from "../outbox/stage.ts";
import type { OutboxDeps, OutboxHooks } from "../outbox/worker.ts";
import { setOutboxDepthSource } from "./metrics.ts";

/** Today's hooks: skip a staff message whose step was decided before delivery; render in the recipient's language. */
export function outboxHooks(prisma: PrismaClient): OutboxHooks {
  return {
    async prepare(row) {
      if (!(await stageState(prisma, row)).live) return { skip: "step decided before delivery" };
      const lang = await recipientLang(prisma, row);
      return { lang, rendered: await renderOutbox(prisma, row, lang) };
    },
    async afterSent(row) {
      // The step may have been decided while this message was on its way.
      if (row.applicationId && STAGE_KINDS.has(row.kind))
        await closeStaleStaffMessages(prisma, row.applicationId);
    },
  };
}

/** The worker's dependencies on this database (and Redis, to share the pacing across processes). */
export function outboxWorkerDeps(
  deps: { prisma: PrismaClient; config: OutboxDeps["config"]; logger: Logger },
  redis?: { client: Redis; prefix: string },
): OutboxDeps {
  return {
    queue: outboxQueue(deps.prisma),
    hooks: outboxHooks(deps.prisma),
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
