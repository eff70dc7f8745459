// Child processes running bot/main.ts, free ports, posting updates like Telegram does.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node --import tsx bot/main.ts` with exactly the given environment (plus PATH/HOME). */
export function startBotProcess(env: Record<string, string>, args: string[] = []): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Thrown from a waitUntil check to stop waiting at once (e.g. the process exited). */
export class StopWaiting extends Error {}

export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e instanceof StopWaiting) throw e;
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function startUpdate(updateId: number, userId: number, text = "/start") {
  const user = { id: userId, is_bot: false, first_name: `User${userId}`, language_code: "ru" };
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: user.first_name },
      from: user,
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }],
    },
  };
}

export async function postUpdate(
  port: number,
  path: string,
  secret: string,
  update: unknown,
): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Deliver an update the way Telegram does: post it, and while the answer is 5xx (e.g. 503 "in progress" on a
 * copy that another instance is handling) post it again after a short wait. Returns the final status.
 */
export async function deliverUpdate(
  port: number,
  path: string,
  secret: string,
  update: unknown,
  opts: { tries?: number; waitMs?: number } = {},
): Promise<number> {
  let status = 0;
  for (let i = 0; i < (opts.tries ?? 60); i++) {
    status = await postUpdate(port, path, secret, update);
    if (status < 500) return status;
    await new Promise((r) => setTimeout(r, opts.waitMs ?? 100));
  }
  return status;
}

export interface WebhookInstancesOptions {
  token: string;
  secret: string;
  path: string;
  /** The fake Telegram (the sandbox's URL). */
  apiRoot: string;
  databaseUrl: string;
  redisPrefix: string;
  /** De-duplication in Redis (REDIS_URL set) or in PostgreSQL. */
  withRedis: boolean;
  /** More environment for every instance (e.g. outbox pacing). */
  env?: Record<string, string>;
}

/**
 * `count` bot processes in webhook mode on one database and one Redis prefix, each on a free port, waited for
 * until each answers /readyz. The processes and ports are pushed into `procs` and `ports` as they start, so
 * that afterAll can stop them even when the start-up fails.
 */
export async function startWebhookInstances(
  o: WebhookInstancesOptions,
  procs: BotProcess[],
  ports: number[],
  count = 2,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    ports.push(port);
    procs.push(
      startBotProcess({
        BOT_TOKEN: o.token,
        BOT_API_ROOT: o.apiRoot,
        WEBHOOK_URL: `https://bot.example.kz${o.path}`,
        WEBHOOK_SECRET: o.secret,
        PORT: String(port),
        DATABASE_URL: o.databaseUrl,
        ...(o.withRedis ? { REDIS_URL: "redis://127.0.0.1:6379" } : {}),
        REDIS_PREFIX: o.redisPrefix,
        DEMO_DATA: "false",
        LOG_LEVEL: "warn",
        ...o.env,
      }),
    );
  }
  for (const [i, port] of ports.entries()) {
    await waitUntil(
      async () => {
        if (procs[i]!.child.exitCode !== null)
          throw new StopWaiting(`instance exited:\n${procs[i]!.output()}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      },
      90_000,
      `instance ${i} ready`,
    ).catch((e) => {
      throw new Error(`${e.message}\n${procs[i]!.output()}`);
    });
  }
}

/**
 * The end of a webhook test: every instance stopped with SIGTERM, the sandbox closed, the Redis keys of the
 * prefix deleted (when Redis was used), the database dropped. Returns the instances' exit codes.
 */
export async function stopWebhookInstances(o: {
  procs: BotProcess[];
  sandbox?: { close(): Promise<void> };
  db?: { drop(): Promise<void> };
  redisPrefix?: string;
  withRedis: boolean;
}): Promise<(number | null)[]> {
  const codes = await Promise.all(o.procs.map((p) => p.stop()));
  await o.sandbox?.close();
  if (o.withRedis && o.redisPrefix) {
    const r = new Redis("redis://127.0.0.1:6379");
    const keys = await r.keys(`${o.redisPrefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  }
  await o.db?.drop();
  return codes;
}

/** Wait until the sandbox has recorded no new Bot API call for `quietMs` (the instances went quiet). */
export async function settle(sandbox: { calls: readonly unknown[] }, quietMs: number): Promise<void> {
  let last = -1;
  let stableSince = Date.now();
  await waitUntil(
    () => {
      const n = sandbox.calls.length;
      if (n !== last) {
        last = n;
        stableSince = Date.now();
      }
      return Date.now() - stableSince > quietMs;
    },
    60_000,
    "the instances to go quiet",
  );
}
