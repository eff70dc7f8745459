// prisma/migrate.ts: idempotent, refuses edited migrations, atomic per migration, safe to run concurrently.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MIGRATIONS_DIR,
  MigrationError,
  migrate,
  migrationStatus,
  readMigrations,
} from "../../prisma/migrate.ts";
import { dbUrl, TEST_PG_SERVER } from "../helpers/db.ts";

const admin = new pg.Client({ connectionString: `${TEST_PG_SERVER}/postgres` });
const created: string[] = [];
const tmpDirs: string[] = [];

async function freshDb(label: string): Promise<string> {
  const name = `t_fsms_mig_${label}_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  created.push(name);
  return dbUrl(name);
}

async function rows(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (
      await c.query(
        `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
           FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
      )
    ).rows;
  } finally {
    await c.end();
  }
}

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), "fsms-mig-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  tmpDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  for (const n of created) await admin.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
  await admin.end();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe("migrate", () => {
  it("applies every migration once and is idempotent", async () => {
    const url = await freshDb("idem");
    const local = readMigrations();
    expect(local.length).toBeGreaterThan(0);
    const first = await migrate(url, { log: () => {} });
    expect(first.applied).toEqual(local.map((m) => m.name));
    const second = await migrate(url, { log: () => {} });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(local.map((m) => m.name));
    const r = await rows(url);
    expect(r).toHaveLength(local.length);
    expect(r[0]).toMatchObject({
      migration_name: local[0]!.name,
      checksum: local[0]!.checksum,
      applied_steps_count: 1,
    });
    expect(r[0]!.finished_at).toBeInstanceOf(Date);
    expect(r[0]!.rolled_back_at).toBeNull();
    expect(await migrationStatus(url)).toEqual({ applied: local.map((m) => m.name), pending: [] });
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const url = await freshDb("sum");
    const dir = copyMigrations();
    await migrate(url, { dir, log: () => {} });
    const first = readMigrations(dir)[0]!;
    writeFileSync(join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited\n`);
    await expect(migrate(url, { dir, log: () => {} })).rejects.toMatchObject({
      name: "MigrationError",
      code: "CHECKSUM_MISMATCH",
    });
  });

  it("applies a new migration in a transaction: a failing one leaves nothing behind and is recorded as rolled back", async () => {
    const url = await freshDb("fail");
    const dir = copyMigrations();
    await migrate(url, { dir, log: () => {} });
    const bad = "29990101000000_broken";
    cpSync(join(dir, readMigrations(dir)[0]!.name), join(dir, bad), { recursive: true });
    writeFileSync(
      join(dir, bad, "migration.sql"),
      `CREATE TABLE "Half" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n`,
    );
    const err = await migrate(url, { dir, log: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.code).toBe("APPLY_FAILED");
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query(`SELECT to_regclass('"Half"') AS t`)).rows[0].t).toBeNull();
    await c.end();
    const failed = (await rows(url)).find((r) => r.migration_name === bad)!;
    expect(failed.finished_at).toBeNull();
    expect(failed.rolled_back_at).toBeInstanceOf(Date);
    expect(failed.logs).toMatch(/NoSuchTable/);

    // Fixed file: applied on the next run.
    writeFileSync(join(dir, bad, "migration.sql"), `CREATE TABLE "Half" (id int);\n`);
    expect((await migrate(url, { dir, log: () => {} })).applied).toEqual([bad]);
  });

  it("serialises concurrent runs with an advisory lock: each migration is applied once", async () => {
    const url = await freshDb("conc");
    const results = await Promise.all([1, 2, 3].map(() => migrate(url, { log: () => {} })));
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    expect(await rows(url)).toHaveLength(readMigrations().length);
  });
});
