// A fresh PostgreSQL database per test file, cloned from a template that is migrated and seeded
// (classifiers + demo data) once per run. The template's name carries a hash of the migrations and
// the seed inputs, so runs of different code never share one, and concurrent runs build it once.
//
//   const db = await createTestDb();   // in beforeAll
//   ... db.prisma, db.url ...
//   await db.drop();                   // in afterAll
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../generated/prisma/client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Server URL without a database (the maintenance database `postgres` is used for DDL). */
export const TEST_PG_SERVER = (process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432").replace(
  /\/+$/,
  "",
);
const adminUrl = `${TEST_PG_SERVER}/postgres`;
export const dbUrl = (name: string) => `${TEST_PG_SERVER}/${name}`;

const TEMPLATE_PREFIX = "tpl_fsms_";
const TEST_DB_PREFIX = "t_fsms_";

export interface TestDb {
  /** Database name (lower-case, unique). */
  name: string;
  /** postgresql:// connection string of this test database. */
  url: string;
  /** A client on `url` (adapter-pg). */
  prisma: PrismaClient;
  /** Disconnect and drop the database. */
  drop(): Promise<void>;
}

function listFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Hash of everything that decides the template's content. */
export function templateHash(): string {
  const h = createHash("sha256");
  const files = [
    ...listFiles(join(ROOT, "prisma/migrations")),
    ...listFiles(join(ROOT, "prisma/data")),
    join(ROOT, "prisma/seed.ts"),
    join(ROOT, "prisma/kato-import.ts"),
    join(ROOT, "prisma/migrate.ts"),
  ];
  for (const f of files) {
    h.update(relative(ROOT, f));
    try {
      h.update(readFileSync(f));
    } catch {
      h.update("-");
    }
  }
  return h.digest("hex").slice(0, 16);
}

export function templateName(): string {
  return TEMPLATE_PREFIX + templateHash();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

function lockKey(name: string): bigint {
  return createHash("sha256").update(`fsms-template:${name}`).digest().readBigInt64BE(0);
}

let ensured: Promise<string> | null = null;

/**
 * Make sure the template database of the current code exists (migrated + seeded with demo data).
 * Safe to call from many processes at once: one builds it under an advisory lock, the others wait.
 */
export function ensureTemplate(): Promise<string> {
  ensured ??= buildTemplate().catch((e) => {
    ensured = null;
    throw e;
  });
  return ensured;
}

async function buildTemplate(): Promise<string> {
  const tpl = templateName();
  return withAdmin(async (admin) => {
    const exists = async () =>
      (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [tpl])).rowCount === 1;
    if (await exists()) return tpl;
    await admin.query("SELECT pg_advisory_lock($1)", [lockKey(tpl).toString()]);
    try {
      if (await exists()) return tpl;
      // Build under a temporary name and rename at the end: the template name appears only when complete.
      const build = `${tpl}_b${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(build)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(build)}`);
      try {
        const { migrate } = await import("../../prisma/migrate.ts");
        const { seed } = await import("../../prisma/seed.ts");
        await migrate(dbUrl(build), { log: () => {} });
        const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dbUrl(build) }) });
        try {
          await seed(prisma, { demo: true, log: () => {} });
        } finally {
          await prisma.$disconnect();
        }
        await admin.query(`ALTER DATABASE ${quoteIdent(build)} RENAME TO ${quoteIdent(tpl)}`);
        await admin.query(
          `COMMENT ON DATABASE ${quoteIdent(tpl)} IS ${pg.escapeLiteral(`fsms test template ${new Date().toISOString()}`)}`,
        );
      } catch (e) {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(build)} WITH (FORCE)`).catch(() => {});
        throw e;
      }
      return tpl;
    } finally {
      await admin.query("SELECT pg_advisory_unlock($1)", [lockKey(tpl).toString()]);
    }
  });
}

/** Run id shared by the test workers of one vitest run (set by global-setup), for cleanup. */
function runTag(): string {
  const tag = process.env.FSMS_TEST_RUN ?? `p${process.pid}`;
  return tag
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()
    .slice(0, 16);
}

/** A fresh database cloned from the template (migrated, classifiers + demo data seeded). */
export async function createTestDb(): Promise<TestDb> {
  const tpl = await ensureTemplate();
  const name = `${TEST_DB_PREFIX}${runTag()}_${randomBytes(5).toString("hex")}`;
  await withAdmin(async (admin) => {
    // CREATE DATABASE … TEMPLATE fails while someone is connected to the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(tpl)}`);
        return;
      } catch (e) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  });
  const url = dbUrl(name);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  let dropped = false;
  return {
    name,
    url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect().catch(() => {});
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}

/** Drop the test databases left by a run (global-setup teardown). */
export async function dropRunDatabases(tag = runTag()): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${TEST_DB_PREFIX}${tag}\\_%`],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(r.datname)} WITH (FORCE)`);
    return rows.length;
  });
}

/** Drop templates of other code versions that nobody uses (kept: the current one). */
export async function dropStaleTemplates(maxAgeMs = 2 * 3600_000): Promise<void> {
  const current = templateName();
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string; comment: string | null }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment
         FROM pg_database d WHERE d.datname LIKE $1`,
      [`${TEMPLATE_PREFIX}%`],
    );
    for (const r of rows) {
      if (r.datname === current) continue;
      const m = /template (\S+)$/.exec(r.comment ?? "");
      const created = m ? Date.parse(m[1]!) : Number.NaN;
      if (Number.isFinite(created) && Date.now() - created < maxAgeMs) continue;
      // Unfinished builds (`…_b<pid>`, no comment) belong to their builder while that process lives.
      const builder = /_b(\d+)$/.exec(r.datname);
      if (!Number.isFinite(created) && (!builder || processAlive(Number(builder[1])))) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(r.datname)}`).catch(() => {});
    }
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

let prefixCounter = 0;
/** A unique Redis key prefix for one test file (ends with ":"). */
export function redisPrefix(label = "t"): string {
  return `test:${label}:${process.pid}:${Date.now().toString(36)}:${randomBytes(3).toString("hex")}:${prefixCounter++}:`;
}
