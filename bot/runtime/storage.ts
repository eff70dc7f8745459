// Opens the database and Redis for the configured mode:
//   DATABASE_URL set  → PostgreSQL: migrations at start (advisory-locked, safe with several instances),
//                       then the idempotent seed of classifiers (+ demo data when DEMO_DATA, default on
//                       only in sandbox mode), under an advisory lock too;
//   otherwise         → embedded PostgreSQL (PGlite) in PGLITE_DIR, migrated and seeded on open.
//   REDIS_URL set     → ioredis, connected and pinged at start; otherwise sessions stay in memory.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
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

/**
 * One process at a time may open the embedded database (PGlite does not lock its directory itself; two
 * writers would corrupt it): `<dir>.lock` holds the PID of the process that has it open. A lock whose process
 * is gone is taken over. Returns the release function.
 */
export function lockEmbedded(dir: string): () => void {
  const path = `${dir.replace(/[\\/]+$/, "")}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, mine, { flag: "wx" });
      return () => {
        try {
          if (readFileSync(path, "utf8") === mine) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = embeddedHolder(dir);
      if (holder !== null)
        throw new StartupError(
          `PGLITE_DIR: the embedded database in ${dir} is open in another process (PID ${holder}); ` +
            "only one process may use it at a time (stop that one first, or set DATABASE_URL).",
        );
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new StartupError(`PGLITE_DIR: cannot lock ${path}`);
}

/** The PID of another live process holding the embedded database in `dir`, or null. */
export function embeddedHolder(dir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(`${dir.replace(/[\\/]+$/, "")}.lock`, "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function openDatabase(
  config: AppConfig,
  logger: Logger,
): Promise<Db & { kind: "postgres" | "pglite" }> {
  const demo = config.DEMO_DATA ?? config.mode === "sandbox";
  const log = (line: string) => logger.info(line);
  if (!config.DATABASE_URL) {
    mkdirSync(config.PGLITE_DIR, { recursive: true });
    const release = lockEmbedded(config.PGLITE_DIR);
    logger.info({ dir: config.PGLITE_DIR }, "embedded PostgreSQL (PGlite): opening, migrating and seeding");
    try {
      const db = await createEmbeddedPrisma(config.PGLITE_DIR, { demo: config.DEMO_DATA ?? true, log });
      return {
        prisma: db.prisma,
        close: async () => {
          try {
            await db.close();
          } finally {
            release();
          }
        },
        kind: "pglite",
      };
    } catch (e) {
      release();
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
