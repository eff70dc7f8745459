// The local sandbox: a Bot API server for the methods this bot uses, with Telegram's limits and error
// texts, chats kept in memory, and a web page (sandbox/public) that works like a Telegram chat.
//
//   /bot<token>/<method>          the Bot API (JSON, form or multipart bodies; GET query works too)
//   /file/bot<token>/<file_path>  file downloads (after getFile)
//   /                             the web chat; it talks to /ui/... (see handleUi) and /ui/events (SSE)
//
// Any token is accepted. Updates made by the page (or by the programmatic API used in tests:
// sendText, press, sendDocument, sendLocation) queue up for getUpdates.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BodyTooLargeError, parseBody, readRaw, type UploadedFile } from "./body.ts";
import { detectEntities, HtmlParseError, parseTelegramHtml, type TgEntity } from "./html.ts";

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");

/** Telegram's limits. */
export const LIMITS = {
  text: 4096,
  caption: 1024,
  callbackData: 64,
  callbackAnswer: 200,
  /** Bots may upload up to 50 MB and download (getFile) up to 20 MB. */
  upload: 50 * 1024 * 1024,
  download: 20 * 1024 * 1024,
};

/** A person in the left pane: a Telegram user whose private chat with the bot is open. */
export interface SandboxPerson {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  /** Shown under the name, e.g. "Reviewer · BR-ABAI". */
  role?: string;
  phone_number?: string;
}

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

interface TgChat {
  id: number;
  type: "private";
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TgFileRef {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
}

type Markup = Record<string, unknown>;

export interface TgMessage {
  message_id: number;
  date: number;
  edit_date?: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  document?: TgFileRef;
  photo?: TgFileRef[];
  location?: { latitude: number; longitude: number };
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
  reply_markup?: Markup;
  reply_to_message?: TgMessage;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: {
    id: string;
    from: TgUser;
    message?: TgMessage;
    chat_instance: string;
    data?: string;
  };
}

export interface ApiCallRecord {
  at: number;
  method: string;
  /** Parameters as received (uploaded files appear as { file: name, size }). */
  params: Record<string, unknown>;
  ok: boolean;
  description?: string;
  result?: unknown;
}

export type SandboxEvent =
  | { type: "message"; chat_id: number; message: TgMessage }
  | { type: "edit"; chat_id: number; message: TgMessage }
  | { type: "delete"; chat_id: number; message_id: number }
  | { type: "keyboard"; chat_id: number; keyboard: Markup | null }
  | {
      type: "toast";
      chat_id: number;
      text: string;
      show_alert: boolean;
      url?: string;
      callback_query_id: string;
    }
  | { type: "action"; chat_id: number; action: string }
  | { type: "api_error"; chat_id?: number; method: string; description: string }
  | { type: "person"; person: SandboxPerson }
  | { type: "commands" };

interface StoredFile extends TgFileRef {
  file_path: string;
  bytes: Buffer;
}

interface Chat {
  person: SandboxPerson;
  messages: TgMessage[];
  nextMessageId: number;
  /** The reply keyboard currently shown under the input (null: none). */
  keyboard: Markup | null;
  chatInstance: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (description: string) => new ApiError(400, `Bad Request: ${description}`);
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

interface Waiter {
  wake: () => void;
  conflict: () => void;
}

export interface SandboxOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Default 127.0.0.1: the sandbox lets anyone act as anyone, so it stays on this machine. */
  host?: string;
  persons?: SandboxPerson[];
  /** getMe: name and username of the bot (its id comes from the token). */
  botName?: string;
  botUsername?: string;
  /** Where sandbox events are logged (pino-compatible); silent when absent. */
  logger?: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    debug(obj: object, msg?: string): void;
  };
  /** Extra routes served before the sandbox's own (e.g. /healthz of the app). */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

const now = () => Math.floor(Date.now() / 1000);
const randomId = (bytes = 12) => randomBytes(bytes).toString("base64url");
const clone = <T>(v: T): T => structuredClone(v);

/** JSON with object keys sorted, to compare reply markups the way Telegram does (by content). */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== false)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const MIME: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

function guessMime(name: string, bytes: Buffer, declared?: string): string {
  const byExt = MIME[extname(name).toLowerCase()];
  if (byExt) return byExt;
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  if (declared && declared !== "application/octet-stream") return declared;
  return "application/octet-stream";
}

/** Width and height of a PNG or JPEG (0×0 when unknown). */
function imageSize(b: Buffer): { width: number; height: number } {
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1]!;
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
  }
  return { width: 0, height: 0 };
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === "string" ? v : String(v);
const int = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
};
const bool = (v: unknown) => v === true || v === "true" || v === "1" || v === 1;
function obj<T = unknown>(v: unknown, what: string): T | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as T;
    } catch {
      throw bad(`can't parse ${what} JSON object`);
    }
  }
  return v as T;
}

export class Sandbox {
  readonly events = new EventEmitter();
  /** Every Bot API call, oldest first (the last 10 000). */
  readonly calls: ApiCallRecord[] = [];
  private readonly chats = new Map<number, Chat>();
  private readonly files = new Map<string, StoredFile>();
  private readonly callbacks = new Map<string, { chatId: number; answered: boolean }>();
  private readonly commands = new Map<string, { command: string; description: string }[]>();
  private updates: TgUpdate[] = [];
  private nextUpdateId = 1;
  private waiter: Waiter | undefined;
  private webhookUrl = "";
  private fileSeq = 0;
  private personSeq = 0;
  private botId = 7000000000;
  private server: Server | undefined;
  private readonly sse = new Set<ServerResponse>();
  private closing = false;
  url = "";
  port = 0;

  constructor(private readonly opts: SandboxOptions = {}) {
    this.events.setMaxListeners(0);
    for (const p of opts.persons ?? []) this.addPerson(p);
  }

  /** Starts the HTTP server. */
  static async start(opts: SandboxOptions = {}): Promise<Sandbox> {
    const s = new Sandbox(opts);
    await s.listen();
    return s;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((e) => {
        this.opts.logger?.warn({ err: e instanceof Error ? e.message : String(e) }, "sandbox request failed");
        if (!res.headersSent)
          this.json(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
        else res.end();
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
    this.closing = true;
    this.waiter?.wake();
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

  // ───────────────────────────── people and chats ─────────────────────────────

  addPerson(p?: Partial<SandboxPerson>): SandboxPerson {
    const n = ++this.personSeq;
    const person: SandboxPerson = {
      id: p?.id ?? 9_100_000_000 + n,
      first_name: p?.first_name?.trim() || `Новый пользователь ${n}`,
      language_code: "ru",
      ...p,
    };
    if (!this.chats.has(person.id)) {
      this.chats.set(person.id, {
        person,
        messages: [],
        nextMessageId: 1,
        keyboard: null,
        chatInstance: String(BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString("hex")}`))),
      });
      this.emit({ type: "person", person });
    }
    return this.chats.get(person.id)!.person;
  }

  persons(): SandboxPerson[] {
    return [...this.chats.values()].map((c) => c.person);
  }

  /** Messages of a private chat (user's and bot's), oldest first. */
  messages(chatId: number): TgMessage[] {
    return this.chats.get(chatId)?.messages ?? [];
  }

  /** Messages the bot sent to the chat (as they are now, after edits). */
  botMessages(chatId: number): TgMessage[] {
    return this.messages(chatId).filter((m) => m.from?.is_bot);
  }

  keyboard(chatId: number): Markup | null {
    return this.chats.get(chatId)?.keyboard ?? null;
  }

  /** Bytes of a stored file (uploaded by the bot or by a person). */
  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  /** Resolves when a predicate over the sandbox holds (checked on every event), or rejects after timeoutMs. */
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const onEvent = () => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`sandbox.waitFor: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off("event", onEvent);
      };
      this.events.on("event", onEvent);
    });
  }

  private chat(chatId: number): Chat {
    const c = this.chats.get(chatId);
    if (!c) throw new Error(`sandbox: unknown person ${chatId}`);
    return c;
  }

  private userOf(p: SandboxPerson): TgUser {
    return {
      id: p.id,
      is_bot: false,
      first_name: p.first_name,
      ...(p.last_name ? { last_name: p.last_name } : {}),
      ...(p.username ? { username: p.username } : {}),
      ...(p.language_code ? { language_code: p.language_code } : {}),
    };
  }

  private chatOf(p: SandboxPerson): TgChat {
    return {
      id: p.id,
      type: "private",
      first_name: p.first_name,
      ...(p.last_name ? { last_name: p.last_name } : {}),
      ...(p.username ? { username: p.username } : {}),
    };
  }

  private botUser(): TgUser {
    return {
      id: this.botId,
      is_bot: true,
      first_name: this.opts.botName ?? "ФСМС Реестр (sandbox)",
      username: this.opts.botUsername ?? "fsms_register_sandbox_bot",
    };
  }

  private emit(ev: SandboxEvent): void {
    this.events.emit("event", ev);
    const data = `data: ${JSON.stringify(ev)}\n\n`;
    for (const res of this.sse) res.write(data);
  }

  // ───────────────────────────── what a person does (page and tests) ─────────────────────────────

  private userMessage(chatId: number, content: Partial<TgMessage>): TgMessage {
    const c = this.chat(chatId);
    const message: TgMessage = {
      message_id: c.nextMessageId++,
      from: this.userOf(c.person),
      chat: this.chatOf(c.person),
      date: now(),
      ...content,
    };
    c.messages.push(message);
    this.emit({ type: "message", chat_id: chatId, message });
    this.pushUpdate({ message: clone(message) });
    return message;
  }

  /** A person sends text (commands get their bot_command entity, as Telegram adds it). */
  sendText(chatId: number, text: string): TgMessage {
    const t = text.trim();
    if (!t) throw new Error("empty message");
    if (t.length > LIMITS.text) throw new Error("message is too long");
    const entities = detectEntities(t);
    const c = this.chat(chatId);
    // a one-time reply keyboard hides once a button of it is used
    if (c.keyboard?.one_time_keyboard && keyboardTexts(c.keyboard).includes(t)) {
      c.keyboard = null;
      this.emit({ type: "keyboard", chat_id: chatId, keyboard: null });
    }
    return this.userMessage(chatId, { text: t, ...(entities.length ? { entities } : {}) });
  }

  /** A person presses an inline button; returns the callback query id. */
  press(chatId: number, messageId: number, data: string): string {
    const c = this.chat(chatId);
    const message = c.messages.find((m) => m.message_id === messageId);
    if (!message) throw new Error("message not found");
    const rows = (message.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][];
    if (!rows.flat().some((b) => b.callback_data === data)) throw new Error("no such button on the message");
    const id = BigInt.asUintN(63, BigInt(`0x${randomBytes(8).toString("hex")}`)).toString();
    this.callbacks.set(id, { chatId, answered: false });
    this.pushUpdate({
      callback_query: {
        id,
        from: this.userOf(c.person),
        message: clone(message),
        chat_instance: c.chatInstance,
        data,
      },
    });
    return id;
  }

  /** A person sends a file (as a document, or as a photo when asPhoto). */
  sendFile(
    chatId: number,
    file: { name: string; bytes: Buffer; mimeType?: string; caption?: string; asPhoto?: boolean },
  ): TgMessage {
    if (file.bytes.length > 2000 * 1024 * 1024) throw new Error("file too big");
    const caption = file.caption?.trim();
    if (caption && caption.length > LIMITS.caption) throw new Error("caption is too long");
    const extra = caption ? { caption } : {};
    if (file.asPhoto) {
      const stored = this.storeFile(file.bytes, file.name, "photos", file.mimeType);
      return this.userMessage(chatId, { photo: photoSizes(stored), ...extra });
    }
    const stored = this.storeFile(file.bytes, file.name, "documents", file.mimeType);
    return this.userMessage(chatId, { document: docRef(stored), ...extra });
  }

  sendLocation(chatId: number, latitude: number, longitude: number): TgMessage {
    if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) throw new Error("bad coordinates");
    return this.userMessage(chatId, { location: { latitude, longitude } });
  }

  sendContact(chatId: number): TgMessage {
    const p = this.chat(chatId).person;
    return this.userMessage(chatId, {
      contact: {
        phone_number: p.phone_number ?? `+7700${String(p.id).slice(-7).padStart(7, "0")}`,
        first_name: p.first_name,
        ...(p.last_name ? { last_name: p.last_name } : {}),
        user_id: p.id,
      },
    });
  }

  private pushUpdate(u: Omit<TgUpdate, "update_id">): TgUpdate {
    const update = { update_id: this.nextUpdateId++, ...u } as TgUpdate;
    this.updates.push(update);
    this.waiter?.wake();
    return update;
  }

  private storeFile(bytes: Buffer, name: string, folder: string, declared?: string): StoredFile {
    const n = ++this.fileSeq;
    const ext = extname(name).toLowerCase() || (folder === "photos" ? ".jpg" : "");
    const mime = guessMime(name, bytes, declared);
    const f: StoredFile = {
      file_id: `${folder === "photos" ? "AgAC" : "BQAC"}${randomId(18)}_${n}`,
      file_unique_id: `AQAD${randomId(6)}`,
      file_size: bytes.length,
      file_name: name,
      mime_type: mime,
      file_path: `${folder}/file_${n}${ext}`,
      bytes,
      ...(folder === "photos" ? imageSize(bytes) : {}),
    };
    this.files.set(f.file_id, f);
    return f;
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  private json(res: ServerResponse, status: number, body: unknown): void {
    const data = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(data);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname;
    if (this.opts.extraRoutes && (await this.opts.extraRoutes(req, res))) return;
    let m = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(path);
    if (m) return this.handleApi(req, res, url, decodeURIComponent(m[1]!), m[2]!);
    m = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (m) {
      const filePath = decodeURIComponent(m[2]!);
      const f = [...this.files.values()].find((x) => x.file_path === filePath);
      if (!f) return this.json(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, {
        "content-type": f.mime_type ?? "application/octet-stream",
        "content-length": f.bytes.length,
      });
      res.end(f.bytes);
      return;
    }
    if (path.startsWith("/ui/")) return this.handleUi(req, res, url);
    if (req.method === "GET" || req.method === "HEAD") {
      const name = path === "/" ? "index.html" : path.slice(1);
      if (/^[a-z0-9-]+\.(html|js|css|svg)$/.test(name)) {
        try {
          const body = await readFile(join(PUBLIC_DIR, name));
          const type = { html: "text/html", js: "text/javascript", css: "text/css", svg: "image/svg+xml" }[
            name.split(".").pop() as "html"
          ];
          res.writeHead(200, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : body);
          return;
        } catch {
          // fall through to 404
        }
      }
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("Not Found");
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    token: string,
    methodName: string,
  ): Promise<void> {
    const tokenId = Number(token.split(":")[0]);
    if (Number.isSafeInteger(tokenId) && tokenId > 0) this.botId = tokenId;
    let params: Record<string, unknown> = {};
    let files = new Map<string, UploadedFile>();
    const method = methodName.toLowerCase();
    const record: ApiCallRecord = { at: Date.now(), method: methodName, params, ok: false };
    try {
      try {
        ({ params, files } = await parseBody(req, url, LIMITS.upload + 1024 * 1024));
      } catch (e) {
        if (e instanceof BodyTooLargeError) throw new ApiError(413, "Request Entity Too Large");
        throw bad("can't parse request body");
      }
      record.params = { ...params };
      for (const [k, f] of files) record.params[k] = { file: f.filename, size: f.bytes.length };
      const handler = this.methods[method];
      if (!handler) throw new ApiError(404, "Not Found");
      const result =
        method === "getupdates"
          ? await this.getUpdates(params, res)
          : await handler.call(this, params, files);
      record.ok = true;
      record.result = result;
      this.record(record);
      if (!res.writableEnded && !res.destroyed) this.json(res, 200, { ok: true, result });
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : new ApiError(500, `Internal Server Error: ${e instanceof Error ? e.message : e}`);
      record.description = err.description;
      this.record(record);
      const chatId = int(params.chat_id);
      if (err.code !== 409) {
        this.opts.logger?.warn(
          { method: methodName, description: err.description },
          "sandbox: Bot API error",
        );
        this.emit({ type: "api_error", chat_id: chatId, method: methodName, description: err.description });
      }
      if (!res.writableEnded && !res.destroyed) {
        this.json(res, err.code, {
          ok: false,
          error_code: err.code,
          description: err.description,
          ...(err.parameters ? { parameters: err.parameters } : {}),
        });
      }
    }
  }

  private record(r: ApiCallRecord): void {
    if (r.method.toLowerCase() === "getupdates" && r.ok && Array.isArray(r.result) && r.result.length === 0)
      return;
    this.calls.push(r);
    if (this.calls.length > 10_000) this.calls.splice(0, this.calls.length - 10_000);
  }

  // ───────────────────────────── Bot API methods ─────────────────────────────

  private readonly methods: Record<
    string,
    (this: Sandbox, p: Record<string, unknown>, files: Map<string, UploadedFile>) => unknown
  > = {
    getme: function () {
      return {
        ...this.botUser(),
        can_join_groups: false,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      };
    },
    getupdates: () => [], // handled in handleApi (needs the response for long polling)
    setwebhook: function (p) {
      this.webhookUrl = str(p.url) ?? "";
      if (bool(p.drop_pending_updates)) this.updates = [];
      return true;
    },
    deletewebhook: function (p) {
      this.webhookUrl = "";
      if (bool(p.drop_pending_updates)) this.updates = [];
      return true;
    },
    getwebhookinfo: function () {
      return {
        url: this.webhookUrl,
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      };
    },
    logout: () => true,
    close: () => true,
    setmycommands: function (p) {
      const list = obj<{ command?: unknown; description?: unknown }[]>(p.commands, "commands") ?? [];
      if (!Array.isArray(list)) throw bad("can't parse commands JSON object");
      if (list.length > 100) throw bad("too many commands");
      const out = list.map((c) => {
        const command = String(c.command ?? "").replace(/^\//, "");
        const description = String(c.description ?? "");
        if (!/^[a-z0-9_]{1,32}$/.test(command)) throw bad("BOT_COMMAND_INVALID");
        if (description.length < 1 || description.length > 256) throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
        return { command, description };
      });
      this.commands.set(this.commandsKey(p), out);
      this.emit({ type: "commands" });
      return true;
    },
    getmycommands: function (p) {
      return this.commands.get(this.commandsKey(p)) ?? [];
    },
    deletemycommands: function (p) {
      this.commands.delete(this.commandsKey(p));
      this.emit({ type: "commands" });
      return true;
    },
    setmydescription: () => true,
    setmyshortdescription: () => true,
    setmyname: () => true,
    setchatmenubutton: () => true,
    getchat: function (p) {
      const c = this.chatFor(p.chat_id);
      return { ...this.chatOf(c.person), accent_color_id: 0, max_reaction_count: 11 };
    },
    sendchataction: function (p) {
      const c = this.chatFor(p.chat_id);
      const action = str(p.action) ?? "";
      const allowed = [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
      ];
      if (!allowed.includes(action)) throw bad("wrong parameter action in request");
      this.emit({ type: "action", chat_id: c.person.id, action });
      return true;
    },
    sendmessage: function (p) {
      const c = this.chatFor(p.chat_id);
      const body = this.formatText(p.text, p.parse_mode, p.entities, "text");
      const markup = this.checkMarkup(p.reply_markup);
      return this.botMessage(c, { text: body.text, ...ents("entities", body.entities) }, markup, p);
    },
    senddocument: function (p, files) {
      const c = this.chatFor(p.chat_id);
      const f = this.inputFile(p.document, files, "document", "documents");
      const cap = this.formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
      const markup = this.checkMarkup(p.reply_markup);
      return this.botMessage(
        c,
        {
          document: docRef(f),
          ...(cap.text ? { caption: cap.text } : {}),
          ...ents("caption_entities", cap.entities),
        },
        markup,
        p,
      );
    },
    sendphoto: function (p, files) {
      const c = this.chatFor(p.chat_id);
      const f = this.inputFile(p.photo, files, "photo", "photos");
      const cap = this.formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
      const markup = this.checkMarkup(p.reply_markup);
      return this.botMessage(
        c,
        {
          photo: photoSizes(f),
          ...(cap.text ? { caption: cap.text } : {}),
          ...ents("caption_entities", cap.entities),
        },
        markup,
        p,
      );
    },
    sendlocation: function (p) {
      const c = this.chatFor(p.chat_id);
      const latitude = Number(p.latitude);
      const longitude = Number(p.longitude);
      if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) throw bad("wrong coordinates");
      return this.botMessage(c, { location: { latitude, longitude } }, this.checkMarkup(p.reply_markup), p);
    },
    editmessagetext: function (p) {
      const { chat, message } = this.editable(p);
      if (message.text === undefined) throw bad("there is no text in the message to edit");
      const body = this.formatText(p.text, p.parse_mode, p.entities, "text");
      const markup = this.checkMarkup(p.reply_markup, true);
      if (
        body.text === message.text &&
        stable(body.entities) === stable(message.entities ?? []) &&
        stable(markup ?? null) === stable(message.reply_markup ?? null)
      ) {
        throw bad(NOT_MODIFIED);
      }
      message.text = body.text;
      if (body.entities.length) message.entities = body.entities;
      else delete message.entities;
      return this.applyEdit(chat, message, markup);
    },
    editmessagecaption: function (p) {
      const { chat, message } = this.editable(p);
      if (!message.document && !message.photo) throw bad("there is no caption in the message to edit");
      const cap = this.formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
      const markup = this.checkMarkup(p.reply_markup, true);
      if (
        cap.text === (message.caption ?? "") &&
        stable(cap.entities) === stable(message.caption_entities ?? []) &&
        stable(markup ?? null) === stable(message.reply_markup ?? null)
      ) {
        throw bad(NOT_MODIFIED);
      }
      if (cap.text) message.caption = cap.text;
      else delete message.caption;
      if (cap.entities.length) message.caption_entities = cap.entities;
      else delete message.caption_entities;
      return this.applyEdit(chat, message, markup);
    },
    editmessagereplymarkup: function (p) {
      const { chat, message } = this.editable(p);
      const markup = this.checkMarkup(p.reply_markup, true);
      if (stable(markup ?? null) === stable(message.reply_markup ?? null)) throw bad(NOT_MODIFIED);
      return this.applyEdit(chat, message, markup);
    },
    deletemessage: function (p) {
      const c = this.chatFor(p.chat_id);
      const id = int(p.message_id);
      const i = c.messages.findIndex((m) => m.message_id === id);
      if (i === -1) throw bad("message to delete not found");
      c.messages.splice(i, 1);
      this.emit({ type: "delete", chat_id: c.person.id, message_id: id! });
      return true;
    },
    answercallbackquery: function (p) {
      const id = str(p.callback_query_id) ?? "";
      const q = this.callbacks.get(id);
      if (!q || q.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
      const text = str(p.text) ?? "";
      if (text.length > LIMITS.callbackAnswer) throw bad("MESSAGE_TOO_LONG");
      q.answered = true;
      this.emit({
        type: "toast",
        chat_id: q.chatId,
        text,
        show_alert: bool(p.show_alert),
        callback_query_id: id,
        ...(p.url ? { url: String(p.url) } : {}),
      });
      return true;
    },
    getfile: function (p) {
      const f = this.files.get(str(p.file_id) ?? "");
      if (!f) throw bad("invalid file_id");
      if (f.bytes.length > LIMITS.download) throw bad("file is too big");
      return {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_size: f.file_size,
        file_path: f.file_path,
      };
    },
  };

  private commandsKey(p: Record<string, unknown>): string {
    const scope = obj<{ type?: string; chat_id?: unknown; user_id?: unknown }>(p.scope, "scope") ?? {};
    return `${scope.type ?? "default"}:${scope.chat_id ?? ""}:${scope.user_id ?? ""}:${str(p.language_code) ?? ""}`;
  }

  /** Commands a person sees in the menu (chat scope, then language, then default). */
  commandsFor(chatId: number): { command: string; description: string }[] {
    const lang = this.chats.get(chatId)?.person.language_code ?? "";
    const keys = [
      `chat:${chatId}::${lang}`,
      `chat:${chatId}::`,
      `all_private_chats:::${lang}`,
      `all_private_chats:::`,
      `default:::${lang}`,
      "default:::",
    ];
    for (const k of keys) {
      const c = this.commands.get(k);
      if (c?.length) return c;
    }
    return [];
  }

  private async getUpdates(p: Record<string, unknown>, res: ServerResponse): Promise<TgUpdate[]> {
    if (this.webhookUrl) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = int(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, int(p.limit) ?? 100));
    const timeout = Math.min(50, Math.max(0, int(p.timeout) ?? 0));
    // an offset confirms every update before it; a negative one keeps only the last |offset|
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
    const pick = () => this.updates.slice(0, limit);
    if (this.updates.length || timeout === 0 || this.closing) return pick();
    // one long poll at a time, as Telegram: a new call ends the previous one with 409
    this.waiter?.conflict();
    return new Promise<TgUpdate[]>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        res.off("close", onClose);
        if (this.waiter === w) this.waiter = undefined;
        fn();
      };
      const w: Waiter = {
        wake: () => finish(() => resolve(pick())),
        conflict: () =>
          finish(() =>
            reject(
              new ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
              ),
            ),
          ),
      };
      const onClose = () => finish(() => resolve([]));
      const timer = setTimeout(() => w.wake(), timeout * 1000);
      res.on("close", onClose);
      this.waiter = w;
    });
  }

  private chatFor(chatId: unknown): Chat {
    if (chatId === undefined || chatId === null || chatId === "") throw bad("chat_id is empty");
    const s = String(chatId);
    const c = s.startsWith("@")
      ? [...this.chats.values()].find((x) => x.person.username === s.slice(1))
      : this.chats.get(Number(s));
    if (!c) throw bad("chat not found");
    return c;
  }

  private formatText(
    raw: unknown,
    parseMode: unknown,
    entitiesParam: unknown,
    kind: "text" | "caption",
  ): { text: string; entities: TgEntity[] } {
    const source = str(raw) ?? "";
    if (kind === "text" && !source.trim()) throw bad("message text is empty");
    let text = source;
    let entities: TgEntity[] = [];
    const mode = str(parseMode)?.toLowerCase();
    if (mode === "html") {
      try {
        ({ text, entities } = parseTelegramHtml(source));
      } catch (e) {
        if (e instanceof HtmlParseError) throw bad(`can't parse entities: ${e.message}`);
        throw e;
      }
      if (kind === "text" && !text) throw bad("text must be non-empty");
    } else if (mode) {
      if (mode !== "markdown" && mode !== "markdownv2") throw bad(`unsupported parse_mode`);
      // Markdown is not used by this bot: shown as plain text
      text = source.trim();
    } else {
      text = source.trim();
      entities = obj<TgEntity[]>(entitiesParam, "entities") ?? [];
    }
    if (kind === "text" && text.length > LIMITS.text) throw bad("message is too long");
    if (kind === "caption" && text.length > LIMITS.caption) throw bad("message caption is too long");
    return { text, entities: detectEntities(text, entities) };
  }

  /** Validates a reply markup like Telegram; returns the inline keyboard to keep on the message. */
  private checkMarkup(raw: unknown, inlineOnly = false): Markup | undefined {
    const m = obj<Markup>(raw, "reply keyboard markup");
    if (m === undefined) return undefined;
    if (typeof m !== "object" || m === null || Array.isArray(m))
      throw bad("can't parse reply keyboard markup JSON object");
    if ("inline_keyboard" in m) {
      const rows = m.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
        throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      }
      const actions = [
        "callback_data",
        "url",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
      ];
      let count = 0;
      for (const row of rows as Record<string, unknown>[][]) {
        for (const b of row) {
          count++;
          if (typeof b !== "object" || b === null)
            throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
          if (typeof b.text !== "string")
            throw bad('can\'t parse inline keyboard button: Field "text" must be of type String');
          if (!b.text.trim()) throw bad("BUTTON_TEXT_INVALID");
          if (!actions.some((a) => b[a] !== undefined)) {
            throw bad(
              "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            );
          }
          if (b.callback_data !== undefined) {
            const bytes = Buffer.byteLength(String(b.callback_data), "utf8");
            if (bytes < 1 || bytes > LIMITS.callbackData) throw bad("BUTTON_DATA_INVALID");
          }
          if (b.url !== undefined && !/^(https?|tg):\/\/\S+$/i.test(String(b.url)))
            throw bad("BUTTON_URL_INVALID");
        }
      }
      if (count > 100) throw bad("reply markup is too long");
      return rows.length ? { inline_keyboard: rows } : undefined;
    }
    if (inlineOnly) throw bad("inline keyboard expected");
    if ("keyboard" in m) {
      const rows = m.keyboard;
      if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
        throw bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
      }
      for (const b of rows.flat() as unknown[]) {
        const text = typeof b === "string" ? b : (b as { text?: unknown })?.text;
        if (typeof text !== "string" || !text.trim())
          throw bad('can\'t parse keyboard button: Field "text" must be of type String');
      }
      return m; // applied to the chat by botMessage
    }
    if ("remove_keyboard" in m || "force_reply" in m) return m;
    throw bad('can\'t find field "inline_keyboard"');
  }

  private inputFile(v: unknown, files: Map<string, UploadedFile>, field: string, folder: string): StoredFile {
    if (v === undefined && files.has(field)) v = `attach://${field}`;
    if (v === undefined || v === "") throw bad(`there is no ${field} in the request`);
    const s = String(v);
    if (s.startsWith("attach://")) {
      const up = files.get(s.slice(9));
      if (!up) throw bad(`there is no ${field} in the request`);
      if (up.bytes.length === 0) throw bad("file must be non-empty");
      return this.storeFile(up.bytes, up.filename, folder, up.contentType);
    }
    const existing = this.files.get(s);
    if (!existing) throw bad("wrong file identifier/HTTP URL specified");
    return existing;
  }

  private botMessage(
    c: Chat,
    content: Partial<TgMessage>,
    markup: Markup | undefined,
    p: Record<string, unknown>,
  ): TgMessage {
    const replyParams = obj<{ message_id?: unknown; allow_sending_without_reply?: unknown }>(
      p.reply_parameters,
      "reply parameters",
    );
    const replyId = int(replyParams?.message_id ?? p.reply_to_message_id);
    let reply: TgMessage | undefined;
    if (replyId !== undefined) {
      reply = c.messages.find((m) => m.message_id === replyId);
      if (!reply && !bool(replyParams?.allow_sending_without_reply ?? p.allow_sending_without_reply)) {
        throw bad("message to be replied not found");
      }
    }
    const message: TgMessage = {
      message_id: c.nextMessageId++,
      from: this.botUser(),
      chat: this.chatOf(c.person),
      date: now(),
      ...content,
      ...(reply ? { reply_to_message: { ...clone(reply), reply_to_message: undefined } } : {}),
      ...(markup && "inline_keyboard" in markup ? { reply_markup: markup } : {}),
    };
    c.messages.push(message);
    this.emit({ type: "message", chat_id: c.person.id, message });
    if (markup && ("keyboard" in markup || "remove_keyboard" in markup)) {
      c.keyboard = "keyboard" in markup ? markup : null;
      this.emit({ type: "keyboard", chat_id: c.person.id, keyboard: c.keyboard });
    }
    return clone(message);
  }

  private editable(p: Record<string, unknown>): { chat: Chat; message: TgMessage } {
    if (p.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID");
    const chat = this.chatFor(p.chat_id);
    const id = int(p.message_id);
    const message = chat.messages.find((m) => m.message_id === id);
    if (!message) throw bad("message to edit not found");
    if (!message.from?.is_bot) throw bad("message can't be edited");
    return { chat, message };
  }

  private applyEdit(chat: Chat, message: TgMessage, markup: Markup | undefined): TgMessage {
    if (markup) message.reply_markup = markup;
    else delete message.reply_markup;
    message.edit_date = now();
    this.emit({ type: "edit", chat_id: chat.person.id, message });
    return clone(message);
  }

  // ───────────────────────────── the page's API ─────────────────────────────
  //
  //   GET  /ui/info                      bot (getMe) and persons
  //   POST /ui/persons {first_name?, language_code?}          → a new person ("new user")
  //   GET  /ui/chats/:id                 { person, messages, keyboard, commands }
  //   POST /ui/chats/:id/text {text}
  //   POST /ui/chats/:id/callback {message_id, data}          → { callback_query_id }
  //   POST /ui/chats/:id/file?name=&caption=&photo=1  (raw bytes, any content type)
  //   POST /ui/chats/:id/location {latitude, longitude}
  //   POST /ui/chats/:id/contact
  //   GET  /ui/files/:file_id[?inline=1]  download
  //   GET  /ui/events                    server-sent events (SandboxEvent)
  //
  // POSTs need the header `x-sandbox: 1` (a page of another site cannot send it without CORS).

  private async handleUi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split("/").filter(Boolean); // ["ui", ...]
    const fail = (status: number, error: string) => this.json(res, status, { ok: false, error });
    if (req.method === "POST" && req.headers["x-sandbox"] !== "1")
      return fail(403, "missing x-sandbox header");
    try {
      if (req.method === "GET" && parts[1] === "events") return this.openEvents(req, res);
      if (req.method === "GET" && parts[1] === "info") {
        return this.json(res, 200, { bot: this.botUser(), persons: this.personSummaries() });
      }
      if (req.method === "POST" && parts[1] === "persons" && parts.length === 2) {
        const b = await readJson(req);
        const person = this.addPerson({
          ...(typeof b.first_name === "string" && b.first_name.trim()
            ? { first_name: b.first_name.trim().slice(0, 64) }
            : {}),
          language_code: b.language_code === "kk" ? "kk" : "ru",
          role: typeof b.role === "string" ? b.role : "Новый пользователь",
        });
        return this.json(res, 200, { ok: true, person });
      }
      if (req.method === "GET" && parts[1] === "files" && parts[2]) {
        const f = this.files.get(decodeURIComponent(parts[2]));
        if (!f) return fail(404, "no such file");
        // inline only for images; nothing a file contains may run in the sandbox's origin
        const inline =
          url.searchParams.get("inline") === "1" && /^image\/(png|jpeg|gif|webp)$/.test(f.mime_type ?? "");
        res.writeHead(200, {
          "content-type": inline ? f.mime_type! : "application/octet-stream",
          "x-content-type-options": "nosniff",
          "content-security-policy": "sandbox; default-src 'none'",
          "content-length": f.bytes.length,
          "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(f.file_name ?? "file")}`,
        });
        res.end(f.bytes);
        return;
      }
      if (parts[1] === "chats" && parts[2]) {
        const chatId = Number(parts[2]);
        const chat = this.chats.get(chatId);
        if (!chat) return fail(404, "no such person");
        const action = parts[3];
        if (req.method === "GET" && !action) {
          return this.json(res, 200, {
            person: chat.person,
            messages: chat.messages,
            keyboard: chat.keyboard,
            commands: this.commandsFor(chatId),
          });
        }
        if (req.method === "POST" && action === "text") {
          const b = await readJson(req);
          return this.json(res, 200, { ok: true, message: this.sendText(chatId, String(b.text ?? "")) });
        }
        if (req.method === "POST" && action === "callback") {
          const b = await readJson(req);
          const id = this.press(chatId, Number(b.message_id), String(b.data ?? ""));
          return this.json(res, 200, { ok: true, callback_query_id: id });
        }
        if (req.method === "POST" && action === "file") {
          const bytes = await readRaw(req, LIMITS.upload);
          const name =
            (url.searchParams.get("name") ?? "file").replace(/[\\/\r\n]/g, "_").slice(0, 200) || "file";
          const message = this.sendFile(chatId, {
            name,
            bytes,
            mimeType: req.headers["content-type"],
            caption: url.searchParams.get("caption") ?? undefined,
            asPhoto: url.searchParams.get("photo") === "1",
          });
          return this.json(res, 200, { ok: true, message });
        }
        if (req.method === "POST" && action === "location") {
          const b = await readJson(req);
          return this.json(res, 200, {
            ok: true,
            message: this.sendLocation(chatId, Number(b.latitude), Number(b.longitude)),
          });
        }
        if (req.method === "POST" && action === "contact") {
          return this.json(res, 200, { ok: true, message: this.sendContact(chatId) });
        }
      }
      return fail(404, "not found");
    } catch (e) {
      return fail(400, e instanceof Error ? e.message : String(e));
    }
  }

  private personSummaries() {
    return [...this.chats.values()].map((c) => {
      const last = c.messages.at(-1);
      return {
        ...c.person,
        last: last ? { text: preview(last), date: last.date, from_bot: !!last.from?.is_bot } : null,
      };
    });
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

function ents(key: "entities" | "caption_entities", list: TgEntity[]) {
  return list.length ? { [key]: list } : {};
}

function docRef(f: StoredFile): TgFileRef {
  return {
    file_id: f.file_id,
    file_unique_id: f.file_unique_id,
    file_size: f.file_size,
    ...(f.file_name ? { file_name: f.file_name } : {}),
    ...(f.mime_type ? { mime_type: f.mime_type } : {}),
  };
}

function photoSizes(f: StoredFile): TgFileRef[] {
  return [
    {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.file_size,
      width: f.width ?? 0,
      height: f.height ?? 0,
    },
  ];
}

function keyboardTexts(k: Markup): string[] {
  const rows = (k.keyboard ?? []) as (string | { text: string })[][];
  return rows.flat().map((b) => (typeof b === "string" ? b : b.text));
}

function preview(m: TgMessage): string {
  if (m.text) return m.text.slice(0, 80);
  if (m.document) return `📎 ${m.document.file_name ?? "file"}`;
  if (m.photo) return "🖼 photo";
  if (m.location) return "📍 location";
  if (m.contact) return "👤 contact";
  return "";
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req, 1024 * 1024);
  if (!raw.length) return {};
  const v = JSON.parse(raw.toString("utf8")) as unknown;
  return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
}
