// The Bot API endpoint /bot<token>/<method>: parses the body (JSON, form, multipart, query), runs the method
// with Telegram's checks, answers Telegram's envelope, records the call, counts what Telegram would refuse,
// and applies the injected faults and the optional rate limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, parseBody, type UploadedFile } from "../body.ts";
import type { FaultInjector } from "../faults.ts";
import type { SandboxState } from "../state.ts";
import { ApiError, type ApiCallRecord, bad, int, LIMITS } from "../types.ts";
import { botMethods } from "./bot.ts";
import type { Method } from "./call.ts";
import { editMethods } from "./edit.ts";
import { sendMethods } from "./send.ts";

/** Every method the sandbox implements, by lower-case name (Telegram's names are case-insensitive). */
export const METHODS: Record<string, Method> = {
  ...botMethods,
  ...sendMethods,
  ...editMethods,
  getupdates: ({ s, p, res }) => s.pollUpdates(p, res),
};

export interface ApiHost {
  state: SandboxState;
  faults: FaultInjector;
  record(r: ApiCallRecord): void;
  logger?: { warn(obj: object, msg?: string): void };
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function nginxPage(res: ServerResponse, status: number): void {
  if (res.writableEnded || res.destroyed) return;
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  res.writeHead(status, { "content-type": "text/html" });
  res.end(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n`,
  );
}

export async function handleApi(
  host: ApiHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  token: string,
  methodName: string,
): Promise<void> {
  const s = host.state;
  const tokenId = Number(token.split(":")[0]);
  if (Number.isSafeInteger(tokenId) && tokenId > 0) s.botId = tokenId;
  let params: Record<string, unknown> = {};
  let files = new Map<string, UploadedFile>();
  const method = methodName.toLowerCase();
  const record: ApiCallRecord = { at: Date.now(), method: methodName, params, ok: false };
  const finish = (r: ApiCallRecord) => {
    host.record(r);
    if (method === "getupdates" && r.ok) return; // polls are not requests to count
    if (r.injected) s.statsRecorder.injected(r.injected);
    else if (r.ok) s.statsRecorder.ok();
    else s.statsRecorder.refused(methodName, r.description ?? "", int(params.chat_id));
  };
  try {
    try {
      ({ params, files } = await parseBody(req, url, LIMITS.upload + 1024 * 1024));
    } catch (e) {
      if (e instanceof BodyTooLargeError) throw new ApiError(413, "Request Entity Too Large");
      throw bad("can't parse request body");
    }
    record.params = { ...params };
    for (const [k, f] of files) record.params[k] = { file: f.filename, size: f.bytes.length };
    const handler = METHODS[method];
    if (!handler) throw new ApiError(404, "Not Found");

    const chatId = int(params.chat_id);
    const fault = host.faults.match(method, chatId);
    const inject = async (): Promise<boolean> => {
      if (!fault) return false;
      if (fault.delayMs) {
        await host.faults.sleep(fault.delayMs);
        if (!fault.error) s.statsRecorder.injected("delay", false);
      }
      if (!fault.error) return false;
      record.injected = String(fault.error);
      if (fault.error === "reset") {
        record.description = "connection reset";
        finish(record);
        res.socket?.destroy();
        return true;
      }
      if (fault.error === 429) {
        const retry = host.faults.retryAfter(fault);
        record.description = `Too Many Requests: retry after ${retry}`;
        finish(record);
        json(res, 429, {
          ok: false,
          error_code: 429,
          description: record.description,
          parameters: { retry_after: retry },
        });
        return true;
      }
      record.description = STATUS_TEXT[fault.error];
      finish(record);
      if (fault.html) nginxPage(res, fault.error);
      else json(res, fault.error, { ok: false, error_code: fault.error, description: record.description });
      return true;
    };

    if (fault?.when !== "after" && (await inject())) return;
    // the optional rate limit is Telegram refusing the bot's pace: a refusal, not an injected fault
    const wait = fault ? 0 : host.faults.limited(method, chatId);
    if (wait) throw new ApiError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
    const result = await handler({ s, p: params, files, res });
    if (fault?.when === "after" && (await inject())) return;
    record.ok = true;
    record.result = result;
    finish(record);
    json(res, 200, { ok: true, result });
  } catch (e) {
    const err =
      e instanceof ApiError
        ? e
        : new ApiError(500, `Internal Server Error: ${e instanceof Error ? e.message : e}`);
    record.description = err.description;
    finish(record);
    const chatId = int(params.chat_id);
    if (err.code !== 409) {
      host.logger?.warn({ method: methodName, description: err.description }, "sandbox: Bot API error");
      s.emit({ type: "api_error", chat_id: chatId, method: methodName, description: err.description });
    }
    json(res, err.code, {
      ok: false,
      error_code: err.code,
      description: err.description,
      ...(err.parameters ? { parameters: err.parameters } : {}),
    });
  }
}
