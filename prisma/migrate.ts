// Applies prisma/migrations/<name>/migration.sql in order, without Prisma's schema engine
// (its binary cannot be downloaded here). Keeps `_prisma_migrations` exactly as Prisma does, so
// `prisma migrate deploy/status` stay usable wherever the engine is available:
//   - one row per migration: id (uuid), checksum (sha256 hex of the file), started_at, finished_at,
//     applied_steps_count, logs, rolled_back_at;
//   - an applied migration whose file has changed is refused (as Prisma's P3005/modified checksum);
//   - a recorded failed migration (finished_at and rolled_back_at both null) is refused (P3009);
//   - concurrent runs are serialised with the same advisory lock key Prisma uses (72707369).
// Each migration runs in its own transaction; a failure rolls it back and is recorded as rolled back.
//
// CLI: `npm run db:migrate` (DATABASE_URL), `npm run db:migrate -- --status`.
//
// Writing the next migration without the schema-engine binary: Prisma's own engine also ships as wasm.
//   npm i --no-save @prisma/schema-engine-wasm@<version of @prisma/engines-version>
//   git show HEAD:prisma/schema.prisma > /tmp/old.prisma
//   npm run db:migrate -- --create <name> --from /tmp/old.prisma     (DATABASE_URL only for the adapter)
// writes prisma/migrations/<timestamp>_<name>/migration.sql with exactly the SQL `prisma migrate dev` would.
// (The init migration was produced this way, diffing from an empty schema: `--from empty`.)
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { runCli } from "./cli.ts";

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");
/** Prisma's own advisory lock key for migrations. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  /** Migrations directory (default prisma/migrations). */
  dir?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  ms: number;
}

/** The minimum a SQL connection must offer (node-postgres Client and PGlite both do). */
interface SqlSession {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs a script with several statements and no parameters. */
  exec(sql: string): Promise<void>;
}

interface AppliedRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly code: "CHECKSUM_MISMATCH" | "FAILED_MIGRATION" | "APPLY_FAILED",
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export const checksumOf = (sql: string) => createHash("sha256").update(sql, "utf8").digest("hex");

/** Migration folders sorted by name (Prisma's order: the timestamp prefix). */
export function readMigrations(dir = MIGRATIONS_DIR): LocalMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

// The DDL Prisma's schema engine uses for its bookkeeping table (PostgreSQL connector).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

async function run(session: SqlSession, opts: MigrateOptions): Promise<MigrateResult> {
  const started = Date.now();
  const log = opts.log ?? ((l: string) => console.log(l));
  const local = readMigrations(opts.dir);
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const { rows } = await session.query<AppliedRow>(
      `SELECT id, checksum, migration_name, finished_at, rolled_back_at
         FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and is not marked as rolled back; resolve it first ` +
          `(prisma migrate resolve --rolled-back ${failed.migration_name}).`,
        "FAILED_MIGRATION",
      );
    }
    const done = new Map<string, AppliedRow>();
    for (const r of rows)
      if (r.finished_at !== null && r.rolled_back_at === null) done.set(r.migration_name, r);

    const localNames = new Set(local.map((m) => m.name));
    for (const name of done.keys()) {
      if (!localNames.has(name))
        log(`warning: migration ${name} is applied but missing from ${opts.dir ?? MIGRATIONS_DIR}`);
    }
    for (const m of local) {
      const row = done.get(m.name);
      if (row && row.checksum !== m.checksum && row.checksum !== checksumOf(m.sql.replace(/\n/g, "\r\n"))) {
        throw new MigrationError(
          `Migration ${m.name} was modified after it was applied (checksum ${row.checksum} in the database, ` +
            `${m.checksum} on disk). Never edit an applied migration: add a new one.`,
          "CHECKSUM_MISMATCH",
        );
      }
    }

    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const m of local) {
      if (done.has(m.name)) {
        alreadyApplied.push(m.name);
        continue;
      }
      const id = randomUUID();
      const t0 = Date.now();
      try {
        await session.exec("BEGIN");
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        await session.exec(m.sql);
        await session.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await session.exec("COMMIT");
      } catch (e) {
        await session.exec("ROLLBACK").catch(() => {});
        const message = e instanceof Error ? e.message : String(e);
        // The transaction rolled the migration back entirely: record it as failed *and* rolled back,
        // so the history shows it and a corrected file can be applied on the next run.
        await session
          .query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
             VALUES ($1, $2, $3, $4, now(), now(), 0)`,
            [id, m.checksum, m.name, message],
          )
          .catch(() => {});
        throw new MigrationError(
          `Migration ${m.name} failed and was rolled back: ${message}`,
          "APPLY_FAILED",
        );
      }
      applied.push(m.name);
      log(`applied ${m.name} (${Date.now() - t0} ms)`);
    }
    return { applied, alreadyApplied, ms: Date.now() - started };
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
  }
}

/** Apply pending migrations to a PostgreSQL database. */
export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(
      {
        query: async (sql, params) => client.query(sql, params as unknown[]) as never,
        exec: async (sql) => {
          await client.query(sql);
        },
      },
      opts,
    );
  } finally {
    await client.end();
  }
}

/** Structural type of the PGlite instance (avoids importing the wasm package where unused). */
export interface PGliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

/** Apply pending migrations to an embedded PGlite database. */
export async function migratePglite(pglite: PGliteLike, opts: MigrateOptions = {}): Promise<MigrateResult> {
  return run(
    {
      query: (sql, params) => pglite.query(sql, params),
      exec: async (sql) => {
        await pglite.exec(sql);
      },
    },
    opts,
  );
}

/** Applied / pending migrations (for `--status`). */
export async function migrationStatus(databaseUrl: string, dir = MIGRATIONS_DIR) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
    const rows: AppliedRow[] = exists.rows[0]?.t
      ? (await client.query<AppliedRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at`)).rows
      : [];
    const applied = new Set(
      rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
    );
    const local = readMigrations(dir);
    return {
      applied: local.filter((m) => applied.has(m.name)).map((m) => m.name),
      pending: local.filter((m) => !applied.has(m.name)).map((m) => m.name),
    };
  } finally {
    await client.end();
  }
}

/** Prisma's migration SQL from one schema to another, computed by @prisma/schema-engine-wasm (optional). */
export async function diffSchemas(
  fromSchema: string | null,
  toSchema: string,
  databaseUrl: string,
): Promise<string> {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve("@prisma/schema-engine-wasm"));
  } catch {
    throw new Error(
      "@prisma/schema-engine-wasm is not installed (npm i --no-save @prisma/schema-engine-wasm@<engines version>)",
    );
  }
  const bg = await import(pathToFileURL(join(dir, "schema_engine_bg.js")).href);
  const wasm = (
    globalThis as unknown as {
      WebAssembly: { instantiate(b: Uint8Array, i: object): Promise<{ instance: { exports: object } }> };
    }
  ).WebAssembly;
  const { instance } = await wasm.instantiate(readFileSync(join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const file = (content: string) => ({ tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] });
  const engine = await bg.SchemaEngine.new({ datamodels: [["schema.prisma", toSchema]] }, () => {}, adapter);
  const r = await engine.diff({
    from: fromSchema === null ? { tag: "empty" } : file(fromSchema),
    to: file(toSchema),
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return r.stdout ?? "";
}

async function createMigration(name: string, from: string, url: string) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const schemaPath = resolve(dirname(fileURLToPath(import.meta.url)), "schema.prisma");
  const sql = await diffSchemas(
    from === "empty" ? null : readFileSync(from, "utf8"),
    readFileSync(schemaPath, "utf8"),
    url,
  );
  if (!sql.trim() || /^-- This is an empty migration/.test(sql)) {
    console.log("no changes");
    return;
  }
  const ts = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = join(MIGRATIONS_DIR, `${ts}_${name.replace(/[^a-z0-9_]/gi, "_")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
}

runCli(import.meta.url, async (url) => {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const create = arg("--create");
  if (create) {
    await createMigration(create, arg("--from") ?? "empty", url);
    return;
  }
  if (process.argv.includes("--status")) {
    const s = await migrationStatus(url);
    console.log(`applied: ${s.applied.length}, pending: ${s.pending.join(", ") || "none"}`);
    return;
  }
  const r = await migrate(url);
  console.log(
    r.applied.length
      ? `${r.applied.length} migration(s) applied in ${r.ms} ms`
      : `database is up to date (${r.alreadyApplied.length} migration(s))`,
  );
});
