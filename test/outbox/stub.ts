// A Bot API stand-in over real HTTP for the outbox tests (several workers, child processes): records every
// request when it arrives, and answers as `behave` says: at once, later (a slow answer), never (until the client
// goes away), or with an error (429 retry_after, 5xx, 403, 400).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  /** Arrival (Date.now()). */
  at: number;
  method: string;
  /** The bot token of the URL (tells apart workers that use different tokens). */
  token: string;
  chatId: number;
  text: string;
  /** The message id answered (ok answers only). */
  messageId?: number;
  /** What was answered: 200, an error code, or 0 (no answer yet / never). */
  answered: number;
}

export interface Behaviour {
  /** Answer after this many ms. */
  delayMs?: number;
  /** Never answer (the request stays open until the client disconnects or the stub closes). */
  hang?: boolean;
  /** Answer with this error instead of a message. */
  code?: number;
  retryAfter?: number;
  description?: string;
}

export const TOKEN = "123456:OUTBOX-TEST-TOKEN-abcdefghijkl";

const DESCRIPTIONS: Record<number, string> = {
  400: "Bad Request: chat not found",
  401: "Unauthorized",
  403: "Forbidden: bot was blocked by the user",
  429: "Too Many Requests: retry later",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

export interface BotApiStub {
  url: string;
  requests: StubRequest[];
  /** Requests of one method, in arrival order. */
  sent(method?: string): StubRequest[];
  /** Resolves when a request matching `pred` has arrived. */
  waitFor(pred: (r: StubRequest) => boolean, timeoutMs?: number): Promise<StubRequest>;
  close(): Promise<void>;
}

export async function startBotApiStub(
  behave: (r: StubRequest, n: number) => Behaviour | null = () => null,
): Promise<BotApiStub> {
  const requests: StubRequest[] = [];
  const waiters: { pred: (r: StubRequest) => boolean; resolve: (r: StubRequest) => void }[] = [];
  const open = new Set<ServerResponse>();
  let nextId = 1;
  let n = 0;
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    open.delete(res);
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Arrival: when the request's headers are in (the body follows in the same packet or right after).
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const parts = (req.url ?? "").split("/");
      const method = parts.pop() ?? "";
      const token = (parts.pop() ?? "").replace(/^bot/, "");
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        // not JSON: an empty payload
      }
      const r: StubRequest = {
        at: arrivedAt,
        method,
        token,
        chatId: Number(payload.chat_id),
        text: String(payload.text ?? ""),
        answered: 0,
      };
      requests.push(r);
      for (const w of [...waiters]) {
        if (w.pred(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
      const b = behave(r, n++) ?? {};
      open.add(res);
      res.on("close", () => open.delete(res));
      if (b.hang) return;
      const reply = () => {
        if (b.code) {
          r.answered = b.code;
          answer(res, b.code, {
            ok: false,
            error_code: b.code,
            description: b.description ?? DESCRIPTIONS[b.code] ?? "Error",
            ...(b.retryAfter ? { parameters: { retry_after: b.retryAfter } } : {}),
          });
          return;
        }
        r.answered = 200;
        r.messageId = nextId++;
        answer(res, 200, {
          ok: true,
          result:
            method === "sendMessage" || method === "editMessageText"
              ? { message_id: r.messageId, date: 0, chat: { id: r.chatId, type: "private" }, text: r.text }
              : true,
        });
      };
      if (b.delayMs) setTimeout(reply, b.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent: (method = "sendMessage") => requests.filter((r) => r.method === method),
    waitFor(pred, timeoutMs = 20_000) {
      const found = requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`stub: no matching request in ${timeoutMs} ms`));
          }
        }, timeoutMs).unref();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** p-th percentile (0..100) of the values (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
