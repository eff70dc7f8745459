// Benchmark databases: CREATE DATABASE bench_<pid>_<tag>, migrated with prisma/migrate.ts and seeded
// with prisma/seed.ts (classifiers + demo data), dropped at the end (also on Ctrl-C).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../generated/prisma/client.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PG_SERVER = (process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432").replace(
  /\/+$/,
  "",
);
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Statements sent to PostgreSQL by the counted client (round trips), so far. */
export interface QueryCounter {
  readonly count: number;
  /** When set, the text of every statement is appended (to see what one update costs). */
  trace?: string[];
}

export interface BenchDb {
  name: string;
  url: string;
  prisma: PrismaClient;
  /** Every statement the bot's Prisma client sends (BEGIN/COMMIT included): database round trips. */
  queries: QueryCounter;
  /** A plain pg pool on the same database (bulk SQL, EXPLAIN). */
  pool: pg.Pool;
  /** How the schema and the seed got there (notes for the report). */
  notes: string[];
  drop(): Promise<void>;
}

const live = new Set<BenchDb>();

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Applies prisma/migrations/*\/migration.sql in order: only when prisma/migrate.ts has not landed. */
async function applyMigrationFiles(url: string): Promise<void> {
  const dir = join(ROOT, "prisma/migrations");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const m of readdirSync(dir).sort()) {
      const f = join(dir, m, "migration.sql");
      if (existsSync(f)) await c.query(readFileSync(f, "utf8"));
    }
  } finally {
    await c.end();
  }
}

/** The 20 regions with a branch each: only when prisma/seed.ts has not landed. */
async function minimalSeed(pool: pg.Pool): Promise<void> {
  const codes = [
    "ABAI",
    "AKMOLA",
    "AKTOBE",
    "ALMATY_REG",
    "ATYRAU",
    "EAST_KZ",
    "ZHAMBYL",
    "ZHETISU",
    "WEST_KZ",
    "KARAGANDA",
    "KOSTANAY",
    "KYZYLORDA",
    "MANGYSTAU",
    "PAVLODAR",
    "NORTH_KZ",
    "TURKISTAN",
    "ULYTAU",
    "ASTANA",
    "ALMATY",
    "SHYMKENT",
  ];
  for (const [i, code] of codes.entries()) {
    await pool.query(
      `INSERT INTO "Region"(code, "katoCode", "nameKk", "nameRu", sort) VALUES ($1, $2, $1, $1, $3) ON CONFLICT DO NOTHING`,
      [code, String(100000000 + i * 10000000), i],
    );
    await pool.query(
      `INSERT INTO "Branch"(id, "regionCode", "nameKk", "nameRu") VALUES ($1, $2, $2, $2) ON CONFLICT DO NOTHING`,
      [`BR-${code}`, code],
    );
  }
}

export interface CreateDbOptions {
  /** Seed classifiers + demo data (default true). */
  seed?: boolean;
  log?: (msg: string) => void;
}

export async function createBenchDb(tag: string, opts: CreateDbOptions = {}): Promise<BenchDb> {
  const name = `bench_${process.pid}_${tag}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const url = `${PG_SERVER}/${name}`;
  const notes: string[] = [];
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    // Who made it and when: another run (maybe on another host sharing this server) only drops it when stale.
    const owner = JSON.stringify({ host: hostname(), pid: process.pid, at: new Date().toISOString() });
    await c.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${pg.escapeLiteral(`fsms bench ${owner}`)}`);
  });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => {}); // an idle connection closed by the server (e.g. at drop) is not a failure
  // The bot's client: a pg pool whose connections count every statement they send.
  const counter: { count: number; trace?: string[] } = { count: 0 };
  const botPool = new pg.Pool({ connectionString: url, max: 10 });
  botPool.on("error", () => {});
  botPool.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as { query: unknown }).query = (...a: unknown[]) => {
      counter.count++;
      if (counter.trace) {
        const q = a[0] as string | { text?: string };
        counter.trace.push((typeof q === "string" ? q : (q?.text ?? "?")).replace(/\s+/g, " ").slice(0, 160));
      }
      return query(...a);
    };
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(botPool) });
  let dropped = false;
  const db: BenchDb = {
    name,
    url,
    prisma,
    queries: counter,
    pool,
    notes,
    async drop() {
      if (dropped) return;
      dropped = true;
      live.delete(db);
      await prisma.$disconnect().catch(() => {});
      await botPool.end().catch(() => {});
      await pool.end().catch(() => {});
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
  live.add(db);
  try {
    if (existsSync(join(ROOT, "prisma/migrate.ts"))) {
      const mod = (await import("../../prisma/migrate.ts" as string)) as {
        migrate: (url: string, o?: { log?: (m: string) => void }) => Promise<unknown>;
      };
      await mod.migrate(url, { log: () => {} });
    } else {
      await applyMigrationFiles(url);
      notes.push("prisma/migrate.ts missing: applied prisma/migrations/*.sql directly");
    }
    if (opts.seed !== false) {
      if (existsSync(join(ROOT, "prisma/seed.ts"))) {
        const mod = (await import("../../prisma/seed.ts" as string)) as {
          seed: (p: PrismaClient, o?: { demo?: boolean; log?: (m: string) => void }) => Promise<unknown>;
        };
        await mod.seed(prisma, { demo: true, log: () => {} });
      } else {
        await minimalSeed(pool);
        notes.push("prisma/seed.ts missing: seeded 20 regions + branches only");
      }
    }
  } catch (e) {
    await db.drop().catch(() => {});
    throw e;
  }
  return db;
}

/** Drops every database still open (used on exit and on SIGINT). */
export async function dropAll(): Promise<void> {
  await Promise.all([...live].map((d) => d.drop().catch(() => {})));
}

/**
 * Drops databases left behind by earlier runs that died: made on this host by a process that is gone,
 * or more than 6 hours ago (runs on other hosts sharing the server are left alone until then).
 */
export async function dropStale(): Promise<string[]> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string; comment: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE 'bench\\_%'`,
    );
    const dropped: string[] = [];
    for (const r of rows) {
      let owner: { host?: string; pid?: number; at?: string } = {};
      try {
        owner = JSON.parse((r.comment ?? "").replace(/^fsms bench /, "")) as typeof owner;
      } catch {
        continue; // not ours, or still being created
      }
      const age = Date.now() - Date.parse(owner.at ?? "");
      let gone = false;
      if (owner.host === hostname() && owner.pid && owner.pid !== process.pid) {
        try {
          process.kill(owner.pid, 0);
        } catch {
          gone = true;
        }
      }
      if (!gone && !(age > 6 * 3600_000)) continue;
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(r.datname)} WITH (FORCE)`).catch(() => {});
      dropped.push(r.datname);
    }
    return dropped;
  });
}
