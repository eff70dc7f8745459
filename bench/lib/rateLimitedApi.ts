// A local Bot API stub (HTTP) that enforces Telegram's broadcast limits: at most `globalRate` messages
// in any 1-second window and at most `chatRate` messages per second to one chat (a minimum gap of
// 1/chatRate s). A message over a limit gets 429 with `retry_after` (whole seconds, like Telegram).
// Both limits allow TOLERANCE (5%) of slack: on a busy 2-core machine the stub itself pauses and then
// sees requests that arrived apart as simultaneous; without slack even a sender paced at 97% gets 429s.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubStats {
  accepted: number;
  tooMany: number;
  /** 429s because of the global window / because of the per-chat gap. */
  tooManyGlobal: number;
  tooManyChat: number;
  /** Smallest gap the stub saw between two accepted messages to one chat (ms). */
  minChatGapMs: number;
  /** Accepted sends per chat. */
  perChat: Map<number, number>;
  /** Accepted (chat, text) pairs seen more than once. */
  repeatedTexts: number;
  firstAcceptAt: number;
  lastAcceptAt: number;
  /** Time of the first 429 (ms since epoch), NaN if none. */
  first429At: number;
}

export interface RateLimitedApi {
  url: string;
  stats: StubStats;
  close(): Promise<void>;
}

export const TOLERANCE = 0.05;

export async function startRateLimitedApi(opts: {
  globalRate: number;
  chatRate: number;
}): Promise<RateLimitedApi> {
  const windowMs = 1000;
  const windowMax = Math.floor(opts.globalRate * (1 + TOLERANCE));
  const chatGapMs = (1000 / opts.chatRate) * (1 - TOLERANCE);
  const recent: number[] = []; // accept times within the last window (ring by shift)
  const lastPerChat = new Map<number, number>();
  const seen = new Set<string>();
  let nextMessageId = 1;
  const stats: StubStats = {
    accepted: 0,
    tooMany: 0,
    tooManyGlobal: 0,
    tooManyChat: 0,
    minChatGapMs: Number.POSITIVE_INFINITY,
    perChat: new Map(),
    repeatedTexts: 0,
    firstAcceptAt: Number.NaN,
    lastAcceptAt: Number.NaN,
    first429At: Number.NaN,
  };

  const handle = (method: string, body: Record<string, unknown>): { status: number; json: unknown } => {
    if (method === "getMe")
      return {
        status: 200,
        json: { ok: true, result: { id: 1, is_bot: true, first_name: "stub", username: "stub_bot" } },
      };
    const chatId = Number(body.chat_id);
    const limited = method.startsWith("send") || method === "copyMessage" || method === "forwardMessage";
    if (limited && Number.isFinite(chatId)) {
      const now = Date.now();
      while (recent.length && now - recent[0]! >= windowMs) recent.shift();
      let waitMs = 0;
      if (recent.length >= windowMax) waitMs = Math.max(waitMs, recent[0]! + windowMs - now);
      const globalWait = waitMs;
      const prev = lastPerChat.get(chatId);
      if (prev !== undefined && now - prev < chatGapMs) waitMs = Math.max(waitMs, prev + chatGapMs - now);
      if (waitMs > 0) {
        stats.tooMany++;
        if (globalWait > 0) stats.tooManyGlobal++;
        else stats.tooManyChat++;
        if (Number.isNaN(stats.first429At)) stats.first429At = now;
        const retry = Math.max(1, Math.ceil(waitMs / 1000));
        return {
          status: 429,
          json: {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${retry}`,
            parameters: { retry_after: retry },
          },
        };
      }
      recent.push(now);
      if (prev !== undefined) stats.minChatGapMs = Math.min(stats.minChatGapMs, now - prev);
      lastPerChat.set(chatId, now);
      stats.accepted++;
      stats.perChat.set(chatId, (stats.perChat.get(chatId) ?? 0) + 1);
      if (Number.isNaN(stats.firstAcceptAt)) stats.firstAcceptAt = now;
      stats.lastAcceptAt = now;
      const key = `${chatId}\u0000${String(body.text ?? body.caption ?? "")}`;
      if (seen.has(key)) stats.repeatedTexts++;
      else seen.add(key);
      return {
        status: 200,
        json: {
          ok: true,
          result: {
            message_id: nextMessageId++,
            date: Math.floor(now / 1000),
            chat: { id: chatId, type: "private" },
            text: body.text,
          },
        },
      };
    }
    if (method.startsWith("editMessage")) {
      return {
        status: 200,
        json: {
          ok: true,
          result: {
            message_id: body.message_id,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chatId, type: "private" },
            text: body.text,
          },
        },
      };
    }
    return { status: 200, json: { ok: true, result: true } };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").split("?")[0]!.split("/").pop() ?? "";
      let body: Record<string, unknown> = {};
      const raw = Buffer.concat(chunks).toString("utf8");
      if (raw && (req.headers["content-type"] ?? "").includes("json")) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          body = {};
        }
      } else if (raw) {
        // multipart: pick chat_id and caption/text fields
        for (const m of raw.matchAll(/name="(chat_id|text|caption)"\r\n\r\n([\s\S]*?)\r\n--/g))
          body[m[1]!] = m[2];
      }
      const out = handle(method, body);
      res.writeHead(out.status, { "content-type": "application/json" });
      res.end(JSON.stringify(out.json));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The same stub in a child process (see stubProcess.ts); stats are fetched with `refresh()`. */
export interface RemoteRateLimitedApi extends RateLimitedApi {
  /** Pulls the current counters from the child into `stats`. */
  refresh(): Promise<StubStats>;
}

export async function startRateLimitedApiProcess(opts: {
  globalRate: number;
  chatRate: number;
}): Promise<RemoteRateLimitedApi> {
  const { fork } = await import("node:child_process");
  const child = fork(new URL("./stubProcess.ts", import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, STUB_GLOBAL_RATE: String(opts.globalRate), STUB_CHAT_RATE: String(opts.chatRate) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`stub process exited with ${code}`)));
    child.once("message", (m: { port?: number }) =>
      m.port ? resolve(m.port) : reject(new Error("stub: no port")),
    );
  });
  const stats: StubStats = {
    accepted: 0,
    tooMany: 0,
    tooManyGlobal: 0,
    tooManyChat: 0,
    minChatGapMs: Number.POSITIVE_INFINITY,
    perChat: new Map(),
    repeatedTexts: 0,
    firstAcceptAt: Number.NaN,
    lastAcceptAt: Number.NaN,
    first429At: Number.NaN,
  };
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    refresh: () =>
      new Promise<StubStats>((resolve) => {
        child.once(
          "message",
          (m: { stats: Omit<StubStats, "perChat"> & { perChat: [number, number][] } }) => {
            Object.assign(stats, { ...m.stats, perChat: new Map(m.stats.perChat) });
            // JSON over IPC turns Infinity/NaN into null
            stats.minChatGapMs = m.stats.minChatGapMs ?? Number.POSITIVE_INFINITY;
            resolve(stats);
          },
        );
        child.send({ cmd: "stats" });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send({ cmd: "close" });
      }),
  };
}
