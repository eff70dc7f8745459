// The page's API (/ui/...): what the web chat reads and what a person does there, the page's texts in kk
// and ru, and the fault-injection and statistics endpoints for the fault suite and the crawler.
//
//   GET  /ui/info                      bot, persons, ready, invites, the bot's descriptions
//   GET  /ui/i18n                      the page's texts { kk: {...}, ru: {...} } (locales/<lang>/sandbox.json)
//   POST /ui/persons {first_name?, last_name?, language_code?, default_name?}  → a new person ("new user")
//   POST /ui/invites {code, language_code?}       → a new person who sends `/start <code>`
//   GET  /ui/chats/:id                 { person, messages, keyboard, commands, description }
//   POST /ui/chats/:id/text {text}
//   POST /ui/chats/:id/callback {message_id, data}                  → { callback_query_id }
//   POST /ui/chats/:id/file?name=&caption=&photo=1  (raw bytes, any content type)
//   POST /ui/chats/:id/album?caption=&photo=1       (multipart: the files, in part order) → { messages }
//   POST /ui/chats/:id/location {latitude, longitude}
//   POST /ui/chats/:id/contact
//   POST /ui/chats/:id/block {blocked}  the person blocks the bot (its sends answer 403)
//   GET  /ui/files/:file_id[?inline=1]  download
//   GET  /ui/events                    server-sent events (SandboxEvent)
//   POST /ui/ready                     the bot is there (for a starter whose bot does not poll)
//   GET  /ui/stats                     SandboxStats;  POST /ui/stats/reset
//   GET  /ui/faults                    the active rules;  POST /ui/faults {FaultRule} → { fault }
//   DELETE /ui/faults/:id  ·  DELETE /ui/faults (all)
//   GET  /ui/rate-limit  ·  POST /ui/rate-limit {perSecond?, perChatPerSecond?, perChatBurst?} | {enabled: false}
//
// Requests other than GET need the header `x-sandbox: 1` (a page of another site cannot send it without CORS).
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseBody, readRaw } from "./body.ts";
import type { FaultInjector, FaultRule } from "./faults.ts";
import type { PersonFile, SandboxState } from "./state.ts";
import { LIMITS, type SandboxInvite } from "./types.ts";

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "locales");
export const PAGE_LANGUAGES = ["kk", "ru"] as const;

/** The page's texts, read from locales/<lang>/sandbox.json (the project's locale files; no bot code). */
export function pageTexts(dir = LOCALES_DIR): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    PAGE_LANGUAGES.map((l) => [l, JSON.parse(readFileSync(join(dir, l, "sandbox.json"), "utf8"))]),
  );
}

export interface UiHost {
  state: SandboxState;
  faults: FaultInjector;
  invites: SandboxInvite[];
  openEvents(req: IncomingMessage, res: ServerResponse): void;
}

class UiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req, 1024 * 1024);
  if (!raw.length) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new UiError(400, "body is not JSON");
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const lang = (v: unknown) => (v === "kk" ? "kk" : "ru");
const fileName = (v: string | null) => (v ?? "file").replace(/[\\/\r\n]/g, "_").slice(0, 200) || "file";

export async function handleUi(
  host: UiHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const parts = url.pathname.split("/").filter(Boolean); // ["ui", ...]
  const s = host.state;
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD" && req.headers["x-sandbox"] !== "1")
    return json(res, 403, { ok: false, error: "missing x-sandbox header" });
  try {
    const [, area, id, action] = parts;
    if (method === "GET" && area === "events") return host.openEvents(req, res);
    if (method === "GET" && area === "info") {
      return json(res, 200, {
        bot: s.botUser(),
        ready: s.ready,
        persons: [...s.chats.values()].map((c) => ({ ...c.person, last: c.messages.at(-1) ?? null })),
        invites: host.invites,
      });
    }
    if (method === "GET" && area === "i18n") {
      return json(res, 200, pageTexts());
    }
    if (method === "POST" && area === "persons" && !id) {
      const b = await readJson(req);
      const name = typeof b.first_name === "string" ? b.first_name.trim().slice(0, 64) : "";
      const base = typeof b.default_name === "string" ? b.default_name.trim().slice(0, 40) : "";
      const last = typeof b.last_name === "string" ? b.last_name.trim().slice(0, 64) : "";
      const person = s.addPerson({
        ...(name ? { first_name: name } : base ? { first_name: `${base} ${s.chats.size + 1}` } : {}),
        ...(last ? { last_name: last } : {}),
        language_code: lang(b.language_code),
        ...(typeof b.role === "string" ? { role: b.role.slice(0, 120) } : {}),
      });
      return json(res, 200, { ok: true, person });
    }
    if (method === "POST" && area === "invites" && !id) {
      const b = await readJson(req);
      const invite = host.invites.find((i) => i.code === b.code);
      if (!invite) throw new UiError(404, "no such invite");
      const person = s.addPerson({
        ...(invite.name ? { first_name: invite.name } : {}),
        language_code: lang(b.language_code),
      });
      s.sendText(person.id, `/start ${invite.code}`);
      return json(res, 200, { ok: true, person });
    }
    if (method === "POST" && area === "ready") {
      s.markReady();
      return json(res, 200, { ok: true });
    }
    if (area === "files" && id && method === "GET") {
      if (!s.media.servePageDownload(res, decodeURIComponent(id), url.searchParams.get("inline") === "1"))
        throw new UiError(404, "no such file");
      return;
    }
    if (area === "stats") {
      if (method === "GET" && !id) return json(res, 200, stats(s));
      if (method === "POST" && id === "reset") {
        s.statsRecorder.reset();
        return json(res, 200, { ok: true });
      }
    }
    if (area === "faults") return await faults(host.faults, req, res, id);
    if (area === "rate-limit") {
      if (method === "POST") {
        const b = await readJson(req);
        host.faults.setRateLimit(b.enabled === false ? null : (b as never));
      }
      return json(res, 200, { ok: true, rate_limit: host.faults.rateLimit() });
    }
    if (area === "chats" && id) return await chatRoute(s, req, res, url, Number(id), action);
    throw new UiError(404, "not found");
  } catch (e) {
    const status = e instanceof UiError ? e.status : 400;
    return json(res, status, { ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

export function stats(s: SandboxState) {
  return s.statsRecorder.snapshot(s.pendingCallbacks());
}

async function faults(
  f: FaultInjector,
  req: IncomingMessage,
  res: ServerResponse,
  id?: string,
): Promise<void> {
  if (req.method === "GET") return json(res, 200, { faults: f.list() });
  if (req.method === "POST" && !id) {
    const rule = (await readJson(req)) as FaultRule;
    try {
      return json(res, 200, { ok: true, fault: f.add(rule) });
    } catch (e) {
      throw new UiError(400, e instanceof Error ? e.message : String(e));
    }
  }
  if (req.method === "DELETE" && id) {
    if (!f.remove(id)) throw new UiError(404, "no such fault");
    return json(res, 200, { ok: true });
  }
  if (req.method === "DELETE") {
    f.clear();
    return json(res, 200, { ok: true });
  }
  throw new UiError(404, "not found");
}

async function chatRoute(
  s: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  chatId: number,
  action: string | undefined,
): Promise<void> {
  const chat = s.chats.get(chatId);
  if (!chat) throw new UiError(404, "no such person");
  const q = url.searchParams;
  if (req.method === "GET" && !action) {
    const l = chat.person.language_code ?? "";
    return json(res, 200, {
      person: chat.person,
      messages: chat.messages,
      keyboard: chat.keyboard,
      commands: s.commandsFor(chatId),
      description: s.profileText("description", l),
      blocked: !!chat.blocked,
    });
  }
  if (req.method !== "POST") throw new UiError(404, "not found");
  switch (action) {
    case "text": {
      const b = await readJson(req);
      return json(res, 200, { ok: true, message: s.sendText(chatId, String(b.text ?? "")) });
    }
    case "callback": {
      const b = await readJson(req);
      const id = s.press(chatId, Number(b.message_id), String(b.data ?? ""));
      return json(res, 200, { ok: true, callback_query_id: id });
    }
    case "file": {
      const bytes = await readRaw(req, LIMITS.upload);
      const message = s.sendFile(chatId, {
        name: fileName(q.get("name")),
        bytes,
        mimeType: req.headers["content-type"],
        caption: q.get("caption") ?? undefined,
        asPhoto: q.get("photo") === "1",
      });
      return json(res, 200, { ok: true, message });
    }
    case "album": {
      const { files } = await parseBody(req, url, LIMITS.upload * 2);
      const list: PersonFile[] = [...files.values()].map((f) => ({
        name: fileName(f.filename),
        bytes: f.bytes,
        mimeType: f.contentType,
      }));
      const messages = s.sendAlbum(chatId, list, {
        caption: q.get("caption") ?? undefined,
        asPhoto: q.get("photo") === "1",
      });
      return json(res, 200, { ok: true, messages });
    }
    case "location": {
      const b = await readJson(req);
      return json(res, 200, {
        ok: true,
        message: s.sendLocation(chatId, Number(b.latitude), Number(b.longitude)),
      });
    }
    case "contact":
      return json(res, 200, { ok: true, message: s.sendContact(chatId) });
    case "block": {
      const b = await readJson(req);
      s.block(chatId, b.blocked !== false);
      return json(res, 200, { ok: true, blocked: b.blocked !== false });
    }
  }
  throw new UiError(404, "not found");
}
