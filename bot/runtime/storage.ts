// Opens the database and Redis for the configured mode:
//   DATABASE_URL set  → PostgreSQL: migrations at start (advisory-locked, safe with several instances),
//                       then the idempotent seed of classifiers (+ demo data when DEMO_DATA, default on
//                       only in sandbox mode), under an advisory lock too;
//   otherwise         → embedded PostgreSQL (PGlite) in PGLITE_DIR, migrated and seeded on open.
//   REDIS_URL set     → ioredis, connected and pinged at start; otherwise sessions stay in memory.
import { mkdirSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import type { Logger } from "pino";
import { createEmbeddedPrisma, createPrisma, type Db } from "../../prisma/db.ts";
import { migrate } from "../../prisma/migrate.ts";
import type { AppConfig } from "../config.ts";

/** A start-up failure with a message meant for the operator (printed without a stack). */
export class StartupError extends Error {
  override name = "StartupError";
}

const SEED_LOCK_KEY = 72707370; // next to Prisma's migration lock key (72707369)

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function openDatabase(
  config: AppConfig,
  logger: Logger,
): Promise<Db & { kind: "postgres" | "pglite" }> {
  const demo = config.DEMO_DATA ?? config.mode === "sandbox";
  const log = (line: string) => logger.info(line);
  if (!config.DATABASE_URL) {
    mkdirSync(config.PGLITE_DIR, { recursive: true });
    logger.info({ dir: config.PGLITE_DIR }, "embedded PostgreSQL (PGlite): opening, migrating and seeding");
    try {
      const db = await createEmbeddedPrisma(config.PGLITE_DIR, { demo: config.DEMO_DATA ?? true, log });
      return { ...db, kind: "pglite" };
    } catch (e) {
      throw new StartupError(
        `PGLITE_DIR: cannot open the embedded database in ${config.PGLITE_DIR} (${reason(e)}). ` +
          "Only one process may use it at a time.",
      );
    }
  }
  const url = config.DATABASE_URL;
  try {
    const r = await migrate(url, { log });
    logger.info(
      { applied: r.applied.length, alreadyApplied: r.alreadyApplied.length, ms: r.ms },
      "migrations",
    );
  } catch (e) {
    throw new StartupError(`DATABASE_URL: migrations failed: ${reason(e)}`);
  }
  const db = createPrisma(url);
  try {
    await seedLocked(url, db, demo, log);
  } catch (e) {
    await db.close().catch(() => {});
    throw new StartupError(`DATABASE_URL: seeding classifiers failed: ${reason(e)}`);
  }
  return { ...db, kind: "postgres" };
}

/** Seeds under a session advisory lock held on a separate connection, so concurrent starts take turns. */
async function seedLocked(url: string, db: Db, demo: boolean, log: (l: string) => void): Promise<void> {
  const { seed } = await import("../../prisma/seed.ts");
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [SEED_LOCK_KEY]);
    await seed(db.prisma, { demo, log });
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [SEED_LOCK_KEY]).catch(() => {});
    await lock.end().catch(() => {});
  }
}

export async function openRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    connectTimeout: 5_000,
  });
  redis.on("error", (e: Error) => logger.warn({ err: e.message }, "redis error"));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new StartupError(`REDIS_URL: cannot connect (${reason(e)})`);
  }
  return redis;
}
