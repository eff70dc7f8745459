// Services of one fault test, never the shared ones: a redis-server on a free port and a PostgreSQL cluster of
// its own (initdb + pg_ctl in a temporary directory, the test database restored from the shared template), each
// stopped and started again by the test and shut down at the end by its own PID / data directory.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { ensureTemplate, TEST_PG_SERVER } from "../helpers/db.ts";
import { freePort } from "../webhook/helpers.ts";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ───────────── Redis ─────────────

export interface OwnRedis {
  port: number;
  url: string;
  /** The server's PID (stop kills exactly this process). */
  pid(): number | undefined;
  /** SIGKILL the server (no save: it comes back empty). */
  stop(): Promise<void>;
  /** Start it again on the same port, empty. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const up = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const { stdout } = await run("redis-cli", ["-p", String(port), "ping"]);
        if (stdout.trim() === "PONG") return;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`own redis-server on ${port} did not start`);
      await sleep(50);
    }
  };
  const down = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGKILL");
    await exited;
  };
  await up();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid,
    stop: down,
    start: up,
    close: down,
  };
}

// ───────────── PostgreSQL ─────────────

function pgBin(name: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error(`${name} not found under ${root}/*/bin`);
  return join(root, versions[0]!, "bin", name);
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
/** initdb and postgres refuse to run as root: run them as the postgres user then. */
const asPostgres = (bin: string, args: string[]) =>
  asRoot ? run("runuser", ["-u", "postgres", "--", bin, ...args]) : run(bin, args);

export interface OwnPostgres {
  port: number;
  /** The test database (restored from the shared template: migrated, classifiers + demo data). */
  url: string;
  prisma: PrismaClient;
  /** The postmaster's PID. */
  pid(): Promise<number | undefined>;
  /** Stop the cluster at once (`pg_ctl stop -m immediate`: connections cut, as a crash). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "fsms-faults-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const uid = Number(stdout.trim());
    const { stdout: g } = await run("id", ["-g", "postgres"]);
    chownSync(dir, uid, Number(g.trim()));
  }
  await asPostgres(pgBin("initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
    "-N",
  ]);
  const pgCtl = pgBin("pg_ctl");
  const start = async () => {
    await asPostgres(pgCtl, [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-w",
      "-t",
      "30",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      "start",
    ]);
  };
  let running = false;
  const stop = async () => {
    if (!running) return;
    running = false;
    await asPostgres(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
  };
  await start();
  running = true;
  const server = `postgresql://postgres@127.0.0.1:${port}`;
  const name = "fsms_faults";
  try {
    await run(pgBin("createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name]);
    const tpl = await ensureTemplate();
    const dump = join(dir, "tpl.dump");
    const shared = new URL(TEST_PG_SERVER);
    await run(pgBin("pg_dump"), [
      "-h",
      shared.hostname,
      "-p",
      shared.port || "5432",
      "-U",
      decodeURIComponent(shared.username || "postgres"),
      "-Fc",
      "-f",
      dump,
      tpl,
    ]);
    await run(pgBin("pg_restore"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "postgres",
      "-d",
      name,
      "--no-owner",
      dump,
    ]);
  } catch (e) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const url = `${server}/${name}`;
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 1000 }),
  });
  return {
    port,
    url,
    prisma,
    async pid() {
      try {
        const { stdout } = await run("head", ["-1", join(data, "postmaster.pid")]);
        return Number(stdout.trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    stop,
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async close() {
      await prisma.$disconnect().catch(() => {});
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
