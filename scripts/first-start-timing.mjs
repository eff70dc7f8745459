#!/usr/bin/env node
// How long does the first `npm start` take on a fresh clone? Clones a repository into a temporary
// directory, runs `npm start` there (which runs `npm ci` and `npm run db:generate` itself, then opens,
// migrates and seeds the embedded database and starts the sandbox), and records:
//   clone      git clone finished
//   installed  `npm ci` finished (start.mjs moves on to db:generate)
//   bot process  the Prisma client is generated, bot/main.ts starts (the sandbox page comes up)
//   database migrated and seeded  the embedded PostgreSQL is open, migrated and seeded
//   page       the sandbox page answers GET /
//   ready      the bot polls the sandbox (/ui/info says ready; the page leaves its "starting…" state)
//   answer     a demo person's `/start` got its first reply from the bot
// then stops the bot (SIGTERM to the process it started) and removes the clone (unless --keep).
//
//   node scripts/first-start-timing.mjs [--repo <path or URL>] [--port 18080] [--keep]
//   node scripts/first-start-timing.mjs --dir <a clone kept with --keep>    (a restart: installed, database kept)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    repo: { type: "string", default: process.cwd() },
    port: { type: "string", default: "18080" },
    keep: { type: "boolean", default: false },
    dir: { type: "string" },
    "timeout-s": { type: "string", default: "900" },
  },
});
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const reuse = values.dir !== undefined;
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "fsms-fresh-"));
if (reuse) values.keep = true;
const t0 = Date.now();
const marks = {};
const mark = (name) => {
  if (marks[name] === undefined) {
    marks[name] = (Date.now() - t0) / 1000;
    console.error(`[timing] ${name}: ${marks[name].toFixed(1)} s`);
  }
};

if (!reuse) {
  const clone = spawnSync("git", ["clone", "--quiet", values.repo, dir], { stdio: "inherit" });
  if (clone.status !== 0) process.exit(1);
  mark("clone");
}

const env = { ...process.env, SANDBOX_PORT: String(port), LOG_LEVEL: "info" };
for (const k of ["BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "WEBHOOK_URL", "PGLITE_DIR", "FILES_DIR"])
  delete env[k];
// its own process group: npm runs the bot as a child of its own, and both are stopped together
const child = spawn("npm", ["start"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
let out = "";
const watch = (chunk) => {
  out += chunk.toString();
  if (/> npm run db:generate/.test(out)) mark("installed");
  if (/"msg":"starting"/.test(out)) mark("bot process");
  if (/"msg":"storage ready"/.test(out)) mark("database migrated and seeded");
};
child.stdout.on("data", watch);
child.stderr.on("data", watch);
let exited = false;
child.on("exit", () => {
  exited = true;
});

const get = async (path) => {
  try {
    const r = await fetch(base + path, { signal: AbortSignal.timeout(2000) });
    return r.ok ? r : null;
  } catch {
    return null;
  }
};
function botPid() {
  try {
    const pid = Number(readFileSync(join(dir, ".data", "pglite.lock"), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const deadline = t0 + Number(values["timeout-s"]) * 1000;
let ok = false;
try {
  while (Date.now() < deadline && !exited) {
    if (marks.page === undefined && (await get("/"))) mark("page");
    const info = marks.page !== undefined ? await get("/ui/info") : null;
    if (info) {
      const body = await info.json();
      if (body.ready) {
        mark("ready");
        const person = body.persons[0];
        const sent = await fetch(`${base}/ui/chats/${person.id}/text`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-sandbox": "1" },
          body: JSON.stringify({ text: "/start" }),
        });
        if (!sent.ok) throw new Error(`sending /start failed: ${sent.status}`);
        while (Date.now() < deadline) {
          const chat = await (await get(`/ui/chats/${person.id}`))?.json();
          if (chat?.messages.some((m) => m.from?.is_bot)) {
            mark("answer");
            ok = true;
            break;
          }
          await sleep(100);
        }
        break;
      }
    }
    await sleep(250);
  }
} finally {
  const stopped = new Promise((r) => (exited ? r() : child.once("exit", r)));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await stopped;
  // npm may exit before the bot it started: the bot's PID is in the embedded database's lock file. Keep reading
  // its output (a full pipe would block its logging) until it has stopped; kill it after 30 s.
  const bot = botPid();
  if (bot) {
    try {
      process.kill(bot, "SIGTERM");
    } catch {
      // already gone
    }
    const until = Date.now() + 30_000;
    while (alive(bot) && Date.now() < until) await sleep(200);
    if (alive(bot)) process.kill(bot, "SIGKILL");
  }
  child.stdout.destroy();
  child.stderr.destroy();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify({ ok, seconds: marks, node: process.version, dir: values.keep ? dir : undefined }),
);
if (!ok) {
  console.error(out.split("\n").slice(-40).join("\n"));
  process.exit(1);
}
