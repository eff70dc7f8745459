// The local sandbox: a Bot API server for the methods this bot uses, with Telegram's limits and error
// texts, chats kept in memory, and a web page (sandbox/public) that works like a Telegram chat.
//
//   /bot<token>/<method>          the Bot API (botapi/): JSON, form or multipart bodies; GET query works too
//   /file/bot<token>/<file_path>  file downloads (after getFile; media.ts)
//   /ui/...                       the page's API, fault injection and statistics (ui.ts)
//   /                             the web chat (public/), live through /ui/events (server-sent events)
//
// Any token is accepted. Updates made by the page (or by the programmatic API used in tests: sendText,
// press, sendFile, sendAlbum, sendLocation, sendContact) queue up for getUpdates. This file is the HTTP
// server (routing, static files, SSE); the chats, the queue and the person's actions are in state.ts.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { handleApi } from "./botapi/index.ts";
import { FaultInjector, type FaultRule, type RateLimitOptions } from "./faults.ts";
import { SandboxState, type StateOptions } from "./state.ts";
import type { SandboxStats } from "./stats.ts";
import type { ApiCallRecord, SandboxEvent, SandboxInvite } from "./types.ts";
import { handleUi, stats } from "./ui.ts";

export type { ActiveFault, FaultError, FaultRule, RateLimitOptions } from "./faults.ts";
export type { PersonFile } from "./state.ts";
export type { SandboxStats } from "./stats.ts";
export {
  ApiError,
  type ApiCallRecord,
  LIMITS,
  type SandboxEvent,
  type SandboxInvite,
  type SandboxPerson,
  type TgFileRef,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from "./types.ts";

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");
const STATIC_TYPES: Record<string, string> = {
  html: "text/html",
  js: "text/javascript",
  css: "text/css",
  svg: "image/svg+xml",
};

export interface SandboxOptions extends StateOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Default 127.0.0.1: the sandbox lets anyone act as anyone, so it stays on this machine. */
  host?: string;
  /** Demo invites the page lists under «+ New user» (a button sends `/start <code>` as a new person). */
  invites?: SandboxInvite[];
  /** Faults active from the start (see FaultRule); more through `sandbox.faults` or POST /ui/faults. */
  faults?: FaultRule[];
  /** Telegram's rate limits (true: 30/s overall, 1/s per chat); off by default. */
  rateLimit?: boolean | RateLimitOptions;
  /** Where sandbox events are logged (pino-compatible); silent when absent. */
  logger?: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    debug(obj: object, msg?: string): void;
  };
  /** Extra routes served before the sandbox's own (e.g. /healthz of the app). */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export class Sandbox extends SandboxState {
  /** Every Bot API call, oldest first (the last 10 000; empty getUpdates polls left out). */
  readonly calls: ApiCallRecord[] = [];
  /** Fault injection: add / remove / clear / list rules, setRateLimit. */
  readonly faults = new FaultInjector();
  private server: Server | undefined;
  private readonly sse = new Set<ServerResponse>();
  url = "";
  port = 0;

  constructor(private readonly opts: SandboxOptions = {}) {
    super(opts);
    for (const rule of opts.faults ?? []) this.faults.add(rule);
    if (opts.rateLimit) this.faults.setRateLimit(opts.rateLimit);
    this.events.on("event", (ev: SandboxEvent) => {
      const data = `data: ${JSON.stringify(ev)}\n\n`;
      for (const res of this.sse) res.write(data);
    });
  }

  /** Starts the HTTP server. */
  static async start(opts: SandboxOptions = {}): Promise<Sandbox> {
    const s = new Sandbox(opts);
    await s.listen();
    return s;
  }

  /** Requests Telegram would refuse (by reason), injected answers, callback queries (GET /ui/stats). */
  stats(): SandboxStats {
    return stats(this);
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((e) => {
        this.opts.logger?.warn({ err: e instanceof Error ? e.message : String(e) }, "sandbox request failed");
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: "Internal Server Error" }));
        } else res.end();
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    const h = this.opts.host ?? "127.0.0.1";
    const host = ["0.0.0.0", "::", "127.0.0.1", "::1", ""].includes(h) ? "localhost" : h;
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${this.port}`;
  }

  async close(): Promise<void> {
    this.stopState();
    this.faults.stop();
    for (const res of this.sse) res.end();
    this.sse.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 200).unref();
    });
  }

  private record(r: ApiCallRecord): void {
    if (r.method.toLowerCase() === "getupdates" && r.ok && Array.isArray(r.result) && r.result.length === 0)
      return;
    this.calls.push(r);
    if (this.calls.length > 10_000) this.calls.splice(0, this.calls.length - 10_000);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname;
    if (this.opts.extraRoutes && (await this.opts.extraRoutes(req, res))) return;
    let m = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(path);
    if (m) {
      const host = { state: this, faults: this.faults, record: (r: ApiCallRecord) => this.record(r) };
      return handleApi(
        { ...host, logger: this.opts.logger },
        req,
        res,
        url,
        decodeURIComponent(m[1]!),
        m[2]!,
      );
    }
    m = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (m) return this.media.serveBotDownload(res, decodeURIComponent(m[2]!));
    if (path.startsWith("/ui/")) {
      const host = { state: this, faults: this.faults, invites: this.opts.invites ?? [] };
      return handleUi({ ...host, openEvents: (q, r) => this.openEvents(q, r) }, req, res, url);
    }
    if ((req.method === "GET" || req.method === "HEAD") && (await this.serveStatic(req, res, path))) return;
    if (path === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("Not Found");
  }

  private async serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const name = path === "/" ? "index.html" : path.slice(1);
    if (!/^[a-z0-9-]+\.(html|js|css|svg)$/.test(name)) return false;
    let body: Buffer;
    try {
      body = await readFile(join(PUBLIC_DIR, name));
    } catch {
      return false;
    }
    const type = STATIC_TYPES[name.split(".").pop()!]!;
    res.writeHead(200, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  private openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(": sandbox events\n\n");
    this.sse.add(res);
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    req.on("close", () => {
      clearInterval(ping);
      this.sse.delete(res);
    });
  }
}
