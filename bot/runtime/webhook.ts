// Webhook mode: one node:http server per instance, several instances behind a load balancer.
//   POST <path of WEBHOOK_URL>   updates from Telegram (X-Telegram-Bot-Api-Secret-Token checked first),
//                                de-duplicated by update_id across instances, then grammY's webhookCallback
//   GET  /healthz, /readyz       see http.ts
// While stopping, new updates get 503 (Telegram retries them, possibly on another instance) and the
// updates in flight are finished.
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "pino";
import type { AppContext } from "../context.ts";
import type { Claim, UpdateDeduper } from "./dedupe.ts";
import { handleHealth, type ReadinessCheck, sendJson } from "./http.ts";

export interface WebhookServerOptions {
  bot: Bot<AppContext>;
  deduper: UpdateDeduper;
  /** WEBHOOK_SECRET: Telegram sends it in X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** Path updates are posted to (the path of WEBHOOK_URL). */
  path: string;
  ready: ReadinessCheck;
  logger: Logger;
  /** Answer Telegram after this long even if the update is still being handled (default 25 s). */
  answerWithinMs?: number;
  /** Largest accepted body (default 1 MB; an update is a few KB). */
  maxBodyBytes?: number;
  /** How long the "processing" claim on an update holds (WEBHOOK_CLAIM_MS; default PROCESSING_LEASE_MS). */
  claimMs?: number;
}

export interface WebhookServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stop accepting updates, finish the ones in flight (at most `graceMs`), close the server. */
  close(graceMs?: number): Promise<void>;
}

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The storage was unreachable (kit/resilience.ts Unavailable), possibly wrapped by grammY's BotError. */
function isUnavailable(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === "object" && !seen.has(cur)) {
    seen.add(cur);
    if ((cur as { name?: unknown }).name === "Unavailable") return true;
    cur = (cur as { error?: unknown; cause?: unknown }).error ?? (cur as { cause?: unknown }).cause;
  }
  return false;
}

export function webhookPath(webhookUrl: string): string {
  const p = new URL(webhookUrl).pathname;
  return p === "" ? "/" : p;
}

export function createWebhookServer(opts: WebhookServerOptions): WebhookServer {
  const { bot, deduper, secret, path, logger } = opts;
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const handle = webhookCallback(bot, "callback", {
    secretToken: secret,
    onTimeout: "return",
    timeoutMilliseconds: opts.answerWithinMs ?? 25_000,
  });
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  async function onUpdate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers[SECRET_HEADER];
    if (!secretMatches(Array.isArray(given) ? given[0] : given, secret)) {
      req.resume();
      sendJson(res, 401, { ok: false, error: "unauthorized" });
      return;
    }
    if (stopping) {
      req.resume();
      sendJson(res, 503, { ok: false, error: "stopping" });
      return;
    }
    const body = await readBody(req, limit);
    if (body === null) return sendJson(res, 413, { ok: false, error: "too large" });
    let update: Update;
    try {
      update = JSON.parse(body.toString("utf8")) as Update;
    } catch {
      return sendJson(res, 400, { ok: false, error: "invalid JSON" });
    }
    if (!update || typeof update !== "object" || !Number.isSafeInteger(update.update_id)) {
      return sendJson(res, 400, { ok: false, error: "not an update" });
    }
    const id = update.update_id;
    let claim: Claim;
    try {
      claim = await deduper.claim(id, opts.claimMs);
    } catch (e) {
      // No shared store to claim in: Telegram delivers the update again later.
      logger.warn(
        { update_id: id, err: e instanceof Error ? e.message : String(e) },
        "cannot claim the update",
      );
      return sendJson(res, 503, { ok: false, error: "unavailable" });
    }
    if (claim === "duplicate") {
      logger.debug({ update_id: id }, "duplicate update skipped");
      res.writeHead(200).end();
      return;
    }
    if (claim === "busy") {
      // Another instance is handling it right now: ask Telegram to come back (it may have died meanwhile).
      logger.debug({ update_id: id }, "update being handled elsewhere");
      return sendJson(res, 503, { ok: false, error: "in progress" });
    }
    let answered = false;
    try {
      await handle(
        update,
        (json: string) => {
          answered = true;
          res.writeHead(200, { "content-type": "application/json" }).end(json);
        },
        secret,
        () => {
          answered = true;
          sendJson(res, 401, { ok: false, error: "unauthorized" });
        },
      );
      await deduper
        .done(id)
        .catch((e: unknown) =>
          logger.warn(
            { update_id: id, err: e instanceof Error ? e.message : String(e) },
            "cannot mark the update done",
          ),
        );
      if (!answered && !res.writableEnded) res.writeHead(200).end();
    } catch (e) {
      // Not handled: forget the claim so Telegram's retry (after our 5xx) is processed.
      await deduper.release(id).catch(() => {});
      const unavailable = isUnavailable(e);
      logger[unavailable ? "warn" : "error"](
        { update_id: id, err: e instanceof Error ? e.message : String(e) },
        unavailable ? "storage unavailable: update left for Telegram to retry" : "webhook update failed",
      );
      if (!res.writableEnded) sendJson(res, unavailable ? 503 : 500, { ok: false });
    }
  }

  const server = createServer((req, res) => {
    const task = (async () => {
      if (await handleHealth(req, res, opts.ready, () => stopping)) return;
      const p = (req.url ?? "/").split("?")[0];
      if (req.method === "POST" && p === path) return onUpdate(req, res);
      req.resume();
      sendJson(res, 404, { ok: false, error: "not found" });
    })().catch((e) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "webhook request failed");
      if (!res.headersSent) sendJson(res, 500, { ok: false });
      else res.end();
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  server.keepAliveTimeout = 75_000;

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close(graceMs = 20_000) {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise((r) => setTimeout(r, graceMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      server.closeAllConnections();
      await closed;
    },
  };
}
