// The entry point: `npm start` (scripts/start.mjs) or `tsx bot/main.ts [--set-webhook] [--delete-webhook]`.
//
//   no BOT_TOKEN     → sandbox: a local Bot API server with a web chat (SANDBOX_PORT), long polling against it
//   BOT_TOKEN        → long polling with @grammyjs/runner (+ /healthz, /readyz on PORT)
//   + WEBHOOK_URL    → webhook server on PORT (several instances; updates de-duplicated by update_id);
//                      --set-webhook registers WEBHOOK_URL with Telegram at start
//   no DATABASE_URL  → embedded PostgreSQL (PGlite) in PGLITE_DIR;  no REDIS_URL → sessions in memory
//
// SIGINT/SIGTERM stop everything gracefully. A configuration error prints its message and exits with 1.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { config as loadDotenv } from "dotenv";
import { GrammyError, HttpError } from "grammy";
import type { Redis } from "ioredis";
import pino, { type Logger } from "pino";
import { DEMO_INVITES, DEMO_PEOPLE } from "../prisma/data/demo.ts";
import { Sandbox, type SandboxInvite, type SandboxPerson } from "../sandbox/server.ts";
import { type AppConfig, ConfigError, loadConfig } from "./config.ts";
import { createBot, setDefaultCommands } from "./createBot.ts";
import { translator } from "./kit/i18n.ts";
import { startDigests } from "./outbox/digest.ts";
import { startReminders } from "./outbox/reminders.ts";
import { composeApp } from "./runtime/compose.ts";
import { startOutboxWorker } from "./outbox/worker.ts";
import { count429s, enableDefaultMetrics } from "./runtime/metrics.ts";
import { exposeOutboxDepth, outboxApi, outboxWorkerDeps, reminderDeps } from "./runtime/outbox.ts";
import { FallbackDeduper, PostgresDeduper, RedisDeduper, type UpdateDeduper } from "./runtime/dedupe.ts";
import { handleHealth, type ReadinessCheck, withTimeout } from "./runtime/http.ts";
import { ensureNoWebhook, startHealthServer, startPolling } from "./runtime/polling.ts";
import { Lifecycle } from "./runtime/shutdown.ts";
import { openDatabase, openRedis, StartupError } from "./runtime/storage.ts";
import { createWebhookServer, webhookPath } from "./runtime/webhook.ts";

export interface MainOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** The demo people of the seed, as the sandbox's left pane lists them. */
export function sandboxPersons(): SandboxPerson[] {
  return DEMO_PEOPLE.map((p) => {
    const [first, ...rest] = p.fullName.split(" ");
    return {
      id: p.telegramId,
      first_name: first ?? p.fullName,
      ...(rest.length ? { last_name: rest.join(" ") } : {}),
      username: `demo_${p.key}`,
      language_code: p.language,
      role: { kk: p.labelKk, ru: p.labelRu },
    };
  });
}

/** The seed's unused demo invites, as the sandbox page lists them («+ New user» → `/start <code>`). */
export function sandboxInvites(): SandboxInvite[] {
  const label = (lang: "kk" | "ru", i: (typeof DEMO_INVITES)[number]) => {
    const t = translator(lang);
    const roles = [...(i.org?.roles ?? []), ...(i.branch?.roles ?? [])].map((r) => t(`common:roles.${r}`));
    return `${i.fullName} · ${roles.join(", ")}`;
  };
  return DEMO_INVITES.map((i) => ({
    code: i.code,
    name: i.fullName,
    label: { kk: label("kk", i), ru: label("ru", i) },
  }));
}

/** The readiness before the storage is open: not ready yet. */
export const notStarted: ReadinessCheck = async () => ({ started: false });

/** Where the bot reaches the sandbox it started (the listening address, or loopback for a wildcard). */
function sandboxApiRoot(host: string, port: number): string {
  const h = ["0.0.0.0", "::", ""].includes(host) ? "127.0.0.1" : host;
  return `http://${h.includes(":") ? `[${h}]` : h}:${port}`;
}

export async function main(opts: MainOptions = {}): Promise<void> {
  const argv = opts.argv ?? process.argv.slice(2);
  if (!opts.env) loadDotenv({ quiet: true });
  const env = opts.env ?? process.env;

  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }

  const logger = pino({ name: "fsms-bot", level: config.LOG_LEVEL, base: { pid: process.pid } });
  const life = new Lifecycle(logger);
  life.installSignalHandlers();

  try {
    await start(config, argv, logger, life);
  } catch (e) {
    const message =
      e instanceof StartupError
        ? e.message
        : e instanceof GrammyError && e.error_code === 401
          ? "BOT_TOKEN: Telegram rejected the token (401 Unauthorized)"
          : e instanceof HttpError
            ? `BOT_API_ROOT: cannot reach the Bot API at ${config.BOT_API_ROOT} (${e.message})`
            : e instanceof Error
              ? e.message
              : String(e);
    logger.fatal(
      { err: e instanceof Error ? { type: e.name, message: e.message } : String(e) },
      "start failed",
    );
    console.error(`Start failed: ${message}`);
    await life.stop("start failed");
    process.exit(1);
  }
}

async function start(config: AppConfig, argv: string[], logger: Logger, life: Lifecycle): Promise<void> {
  logger.info({ mode: config.mode }, "starting");

  // 1. The sandbox first, so the bot's Bot API root can point at it.
  let sandbox: Sandbox | undefined;
  // Not ready until the storage is open (migrated, seeded): /readyz answers 503 «starting» meanwhile.
  let ready: ReadinessCheck = notStarted;
  if (config.mode === "sandbox") {
    const host = config.SANDBOX_HOST;
    try {
      sandbox = await Sandbox.start({
        port: config.SANDBOX_PORT,
        host,
        persons: sandboxPersons(),
        invites: sandboxInvites(),
        logger: logger.child({ component: "sandbox" }),
        extraRoutes: (req, res) =>
          handleHealth(
            req,
            res,
            () => ready(),
            () => life.isStopping,
          ),
      });
    } catch (e) {
      throw new StartupError(
        `SANDBOX_PORT: cannot listen on ${host}:${config.SANDBOX_PORT} (${e instanceof Error ? e.message : e})`,
      );
    }
    const s = sandbox;
    life.add("sandbox", () => s.close());
    config = { ...config, BOT_API_ROOT: sandboxApiRoot(host, s.port) };
  }

  // 2. Storage.
  const db = await openDatabase(config, logger);
  life.add("database", () => db.close());
  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    const r = await openRedis(config.REDIS_URL, logger);
    redis = r;
    life.add("redis", () => r.quit().catch(() => r.disconnect()));
  }
  const app = composeApp({ prisma: db.prisma, config, logger });
  ready = async () => {
    const checks: Record<string, boolean> = {
      database: await withTimeout(app.ping(), 2_000, false),
    };
    if (redis)
      checks.redis = await withTimeout(
        redis.ping().then((p) => p === "PONG"),
        2_000,
        false,
      );
    return checks;
  };
  logger.info({ database: db.kind, redis: redis ? "shared" : "none" }, "storage ready");

  // 3. The bot (sessions and open prompts in PostgreSQL: shared by every instance, kept over restarts).
  const bot = createBot({
    deps: { app, config, logger },
    // Webhook: an update that meets an unreachable storage is answered 503 and delivered again by Telegram;
    // polling and the sandbox wait and retry it in place, in order per chat.
    onUnavailable: config.mode === "webhook" ? { mode: "throw" } : { mode: "wait", maxMs: 60_000 },
  });
  bot.api.config.use(count429s("bot"));
  // grammY retries getMe while the Bot API is unreachable: say so instead of waiting silently
  const waiting = setInterval(
    () => logger.warn({ apiRoot: config.BOT_API_ROOT }, "waiting for the Bot API (getMe)…"),
    10_000,
  );
  try {
    await bot.init();
  } finally {
    clearInterval(waiting);
  }
  logger.info({ bot: bot.botInfo.username }, "bot identity");
  await setDefaultCommands(bot.api).catch((e: unknown) =>
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, "setMyCommands failed"),
  );

  // 4. Notifications (outbox) — several processes may run it at once, each with its own Bot API client.
  enableDefaultMetrics();
  exposeOutboxDepth(db.prisma);
  const outbox = startOutboxWorker(
    outboxWorkerDeps(
      { prisma: db.prisma, app, config, logger: logger.child({ component: "outbox" }) },
      // With Redis, every process shares the global pacer (Telegram's limit is per bot, not per process) and
      // each chat's spacing.
      redis ? { client: redis, prefix: config.REDIS_PREFIX } : undefined,
    ),
    outboxApi(config),
  );
  life.add("outbox worker", () => outbox.stop());
  // Reminders to assignees and escalations to branch managers (thresholds per branch, in working days); every
  // instance ticks, one leader at a time writes.
  const reminders = startReminders(
    { ...reminderDeps(db.prisma, logger.child({ component: "reminders" })), now: () => new Date() },
    config.REMINDER_CHECK_MINUTES * 60_000,
  );
  life.add("reminders", () => reminders.stop());
  // Issue 15: the branches' weekly digests and the staff's morning digests (idempotent rows, every instance).
  const digests = startDigests(app, 5 * 60_000, logger.child({ component: "digests" }));
  life.add("digests", () => digests.stop());

  // 5. Updates.
  if (config.mode === "webhook") {
    const url = config.WEBHOOK_URL!;
    const secret = config.WEBHOOK_SECRET!;
    const pgDeduper = new PostgresDeduper(db.prisma);
    const deduper: UpdateDeduper = redis
      ? new FallbackDeduper(new RedisDeduper(redis, config.REDIS_PREFIX), pgDeduper, (e) =>
          logger.warn(
            { err: e instanceof Error ? e.message : String(e) },
            "Redis unavailable: claiming updates in PostgreSQL",
          ),
        )
      : pgDeduper;
    {
      const prune = setInterval(() => {
        pgDeduper
          .prune()
          .catch((e: unknown) => logger.warn({ err: String(e) }, "pruning processed updates failed"));
      }, 60 * 60_000);
      prune.unref();
      life.add("prune timer", () => clearInterval(prune));
    }
    const web = createWebhookServer({
      bot,
      deduper,
      secret,
      path: webhookPath(url),
      ready,
      logger: logger.child({ component: "webhook" }),
      claimMs: config.WEBHOOK_CLAIM_MS,
    });
    let port: number;
    try {
      port = await web.listen(config.PORT);
    } catch (e) {
      throw new StartupError(`PORT: cannot listen on ${config.PORT} (${e instanceof Error ? e.message : e})`);
    }
    life.add("webhook server", () => web.close());
    if (argv.includes("--set-webhook")) {
      await bot.api.setWebhook(url, { secret_token: secret });
      logger.info("webhook registered with Telegram (--set-webhook)");
    }
    logger.info({ port, path: webhookPath(url), dedupe: deduper.kind }, "webhook server listening");
  } else {
    await ensureNoWebhook(bot, argv.includes("--delete-webhook"), logger);
    if (config.mode === "polling") {
      const health = await startHealthServer(config.PORT, ready, logger);
      if (health) life.add("health server", () => health.close());
    }
    const polling = startPolling(bot, logger);
    life.add("long polling", () => polling.stop());
  }

  if (sandbox) {
    logger.info({ url: sandbox.url }, "sandbox ready");
    console.log(`\n  Open ${sandbox.url}  (local Telegram sandbox: pick a person, send /start)\n`);
  }
}

const entry = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : "";
if (import.meta.url === entry) {
  void main();
}
