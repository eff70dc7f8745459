// Start-up: time from `npm start` with the embedded defaults (no DATABASE_URL, REDIS_URL or BOT_TOKEN:
// PGlite + the local sandbox) to the first answered update – /start sent through the sandbox and its
// reply seen. Cold = empty PGlite directory (migrations + seed run); warm = the same directory again.
// Baseline: `tsx` printing one line (the cost of the runtime alone).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./lib/db.ts";
import { missing, type Row, type Section } from "./lib/report.ts";

export interface StartupOptions {
  quick: boolean;
  log: (m: string) => void;
}

const TSX = join(ROOT, "node_modules/.bin/tsx");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TERM", "npm_config_cache"];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      if (child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    if (child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM"); // the process group: npm and the node it started
      } catch {
        child.kill("SIGTERM");
      }
    }
  });
}

/** Waits until `line` matches a line of the child's output; resolves with the ms since `t0`. */
function waitForLine(
  child: ChildProcess,
  re: RegExp,
  t0: number,
  timeoutMs: number,
  tail: string[],
): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `no line matching ${re} within ${timeoutMs} ms; last output:\n${tail.slice(-8).join("\n")}`,
          ),
        ),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buf += d.toString("utf8");
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 50) tail.shift();
        if (re.test(l)) {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready; last output:\n${tail.slice(-8).join("\n")}`));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * As a person would: as soon as the sandbox page answers, add a person, send /start through the
 * sandbox's UI API (sandbox/server.ts: POST /ui/persons, POST /ui/chats/:id/text) and wait until a
 * message from the bot appears in that chat (GET /ui/chats/:id). Resolves with the ms since t0.
 */
async function firstAnswer(
  port: number,
  t0: number,
  deadline: number,
  exited: () => boolean,
): Promise<number> {
  const base = `http://127.0.0.1:${port}`;
  const post = (path: string, body: unknown) =>
    fetch(base + path, {
      method: "POST",
      headers: { "x-sandbox": "1", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  for (;;) {
    if (performance.now() > deadline || exited()) throw new Error("the sandbox never answered /ui/info");
    try {
      const r = await fetch(`${base}/ui/info`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  const person = (
    (await (await post("/ui/persons", { first_name: "Bench", language_code: "ru" })).json()) as {
      person: { id: number };
    }
  ).person;
  const sent = await post(`/ui/chats/${person.id}/text`, { text: "/start" });
  if (!sent.ok) throw new Error(`sending /start failed: ${sent.status} ${await sent.text()}`);
  for (;;) {
    if (performance.now() > deadline || exited()) throw new Error("no answer to /start");
    const chat = (await (await fetch(`${base}/ui/chats/${person.id}`)).json()) as {
      messages?: { from?: { is_bot?: boolean } }[];
    };
    if (chat.messages?.some((m) => m.from?.is_bot)) return performance.now() - t0;
    await sleep(10);
  }
}

interface Run {
  readyMs: number;
  answeredMs: number;
}

async function startOnce(cmd: string[], dataDir: string, log: (m: string) => void): Promise<Run> {
  const port = await freePort();
  const env = cleanEnv({
    PGLITE_DIR: join(dataDir, "pglite"),
    FILES_DIR: join(dataDir, "files"),
    SANDBOX_PORT: String(port),
  });
  const t0 = performance.now();
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  try {
    const ready = waitForLine(child, /sandbox ready|"ready"|listening/i, t0, 120_000, tail);
    ready.catch(() => {});
    const answeredMs = await firstAnswer(port, t0, t0 + 120_000, () => exited).catch((e: unknown) => {
      throw new Error(`${String(e)}; last output:\n${tail.slice(-8).join("\n")}`);
    });
    const readyMs = await ready.catch(() => Number.NaN);
    log(
      `start-up: first answer after ${answeredMs.toFixed(0)} ms (ready line after ${readyMs.toFixed(0)} ms)`,
    );
    return { readyMs, answeredMs };
  } finally {
    await kill(child);
  }
}

export async function benchStartup(opts: StartupOptions): Promise<Section> {
  const section: Section = { name: "start-up", rows: [], notes: [] };
  const t0 = performance.now();
  const base = spawn(TSX, ["-e", "console.log('ready')"], {
    cwd: ROOT,
    env: cleanEnv({}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const baselineMs = await waitForLine(base, /ready/, t0, 60_000, []);
  await new Promise((r) => base.once("exit", r));

  const hasStart = existsSync(join(ROOT, "scripts/start.mjs"));
  const hasMain = existsSync(join(ROOT, "bot/main.ts"));
  if (!hasStart && !hasMain) {
    section.rows.push(
      missing(
        "startup.cold_first_answer_ms",
        "npm start → first answer (cold)",
        "ms",
        "scripts/start.mjs and bot/main.ts have not landed",
      ),
      {
        key: "startup.baseline_tsx_ms",
        label: "baseline: tsx prints a line",
        unit: "ms",
        value: baselineMs,
        verdict: "info",
      },
    );
    return section;
  }
  const cmd = hasStart ? ["npm", "start", "--silent"] : [TSX, "bot/main.ts"];
  section.notes.push(
    `command: ${cmd.join(" ")} with no DATABASE_URL/REDIS_URL/BOT_TOKEN; PGLITE_DIR and FILES_DIR point to a fresh temporary directory and SANDBOX_PORT to a free port (so a developer's .data and port 8080 are untouched)`,
  );
  const dir = mkdtempSync(join(tmpdir(), "fsms-bench-start-"));
  try {
    const cold = await startOnce(cmd, dir, opts.log);
    const warm = await startOnce(cmd, dir, opts.log);
    const row = (key: string, label: string, v: number): Row => ({
      key,
      label,
      unit: "ms",
      value: v,
      baseline: baselineMs,
      verdict: "info",
    });
    section.rows.push(
      row(
        "startup.cold_first_answer_ms",
        "npm start → answer to /start (cold: empty PGlite)",
        cold.answeredMs,
      ),
      row("startup.warm_first_answer_ms", "npm start → answer to /start (warm)", warm.answeredMs),
      row("startup.cold_ready_line_ms", "npm start → «sandbox ready» log line (cold)", cold.readyMs),
      row("startup.warm_ready_line_ms", "npm start → «sandbox ready» log line (warm)", warm.readyMs),
    );
    section.notes.push("baseline: tsx starting and printing one line");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return section;
}
