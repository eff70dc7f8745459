// Health endpoints shared by the webhook server, the polling health server and the sandbox:
//   GET /healthz  the process is up (200)
//   GET /readyz   every dependency answers (200) or not (503), with a per-dependency result
//   GET /metrics  Prometheus metrics of this process (bot/runtime/metrics.ts)
import type { IncomingMessage, ServerResponse } from "node:http";
import { metricsText } from "./metrics.ts";

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** Answers /healthz, /readyz and /metrics; returns false for any other request. */
export async function handleHealth(
  req: IncomingMessage,
  res: ServerResponse,
  ready: ReadinessCheck,
  isStopping: () => boolean = () => false,
): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/healthz") {
    sendJson(res, 200, { status: "ok" });
    return true;
  }
  if (path === "/metrics") {
    const m = await metricsText();
    res.writeHead(200, { "content-type": m.contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : m.body);
    return true;
  }
  if (path === "/readyz") {
    if (isStopping()) {
      sendJson(res, 503, { status: "stopping" });
      return true;
    }
    const checks = await ready().catch(() => ({ checks: false }));
    const ok = Object.values(checks).every(Boolean);
    sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "unavailable", ...checks });
    return true;
  }
  return false;
}

/** Resolves with the promise's value, or with `fallback` after ms. */
export function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(fallback);
      },
    );
  });
}
