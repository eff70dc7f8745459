// Drives the real bot through bot.handleUpdate and records every Bot API call through the
// `client.fetch` option (it also reaches the API calls made inside conversations).
import type { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { expect } from "vitest";
import type { App } from "../../app/index.ts";
import { type AppConfig, loadConfig } from "../../bot/config.ts";
import type { AppContext } from "../../bot/context.ts";
import { createBot } from "../../bot/createBot.ts";
import { composeApp } from "../../bot/runtime/compose.ts";
import type { LicensingRegistry, Signer } from "../../domain/ports.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";

export const BOT_INFO: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: "ФСМС Реестр",
  username: "fsms_register_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** The message id the fake API answered with (send* methods). */
  messageId?: number;
}

export interface HarnessOptions {
  prisma: PrismaClient;
  now?: () => Date;
  env?: Record<string, string>;
  registry?: LicensingRegistry;
  signer?: Signer;
  /** Fake API answers for a method (return the `result`). */
  answer?: (method: string, payload: Record<string, unknown>) => unknown;
}

let updateSeq = 1;

export interface Harness {
  bot: Bot<AppContext>;
  app: App;
  config: AppConfig;
  prisma: PrismaClient;
  calls: ApiCall[];
  /** Files the fake API serves for getFile / download: file_id → bytes. */
  files: Map<string, { bytes: Buffer; path: string }>;
  handle(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<void>;
  user(id: number, firstName?: string): TestUser;
  /** Calls made since the mark. */
  since(mark: number): ApiCall[];
  mark(): number;
  close(): Promise<void>;
}

export interface TestUser {
  id: number;
  send(text: string): Promise<ApiCall[]>;
  /** Press an inline button: by callback data, from a message id or the last message with that data. */
  press(data: string, messageId?: number): Promise<ApiCall[]>;
  /** A document; with `mediaGroupId`, one file of an album (several files sent at once). */
  sendDocument(doc: {
    fileName: string;
    mimeType: string;
    bytes: Buffer | number;
    mediaGroupId?: string;
  }): Promise<ApiCall[]>;
  sendPhoto(bytes: Buffer | number): Promise<ApiCall[]>;
  sendSticker(): Promise<ApiCall[]>;
  sendLocation(latitude: number, longitude: number): Promise<ApiCall[]>;
  /** Texts of messages sent or edited to this chat (in order). */
  texts(calls?: ApiCall[]): string[];
  /** The last message (sent or edited) to this chat. */
  last(): ApiCall | undefined;
  /** Inline buttons of a call: [text, callback_data][] */
  buttons(call?: ApiCall): { text: string; data?: string; url?: string }[];
}

const SEND_METHODS = new Set(["sendMessage", "sendDocument", "sendPhoto", "sendLocation", "sendVenue"]);

export async function createHarness(opts: HarnessOptions): Promise<Harness> {
  const calls: ApiCall[] = [];
  const files = new Map<string, { bytes: Buffer; path: string }>();
  let nextMessageId = 1;
  const tag = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const config: AppConfig = loadConfig({
    BOT_API_ROOT: "http://telegram.test",
    LOG_LEVEL: "silent",
    REDIS_PREFIX: `${tag}:`,
    FILES_DIR: `/tmp/fsms-test-files/${tag}`,
    ...opts.env,
  });
  const logger = pino({ level: "silent" });
  const now = opts.now ?? (() => new Date());
  const app = composeApp({
    prisma: opts.prisma,
    config,
    logger,
    clock: { now },
    ...(opts.registry ? { registry: opts.registry } : {}),
    ...(opts.signer ? { signer: opts.signer } : {}),
  });
  const download = async (url: string) => {
    const m = url.match(/\/file\/bot[^/]+\/(.+)$/);
    const entry = m ? [...files.values()].find((f) => f.path === m[1]) : undefined;
    return entry ? new Response(new Uint8Array(entry.bytes)) : new Response("Not Found", { status: 404 });
  };

  const fakeFetch = async (input: unknown, init?: { body?: unknown }): Promise<Response> => {
    const url = String(typeof input === "object" && input && "url" in input ? (input as Request).url : input);
    const fileMatch = url.match(/\/file\/bot[^/]+\/(.+)$/);
    if (fileMatch) {
      const entry = [...files.values()].find((f) => f.path === fileMatch[1]);
      return entry ? new Response(new Uint8Array(entry.bytes)) : new Response("Not Found", { status: 404 });
    }
    const method = url.split("/").pop() ?? "";
    const payload = await readBody(init?.body);
    const call: ApiCall = { method, payload };
    const custom = opts.answer?.(method, payload);
    // a refusal the test asks for: `{ ok: false, error_code, description }` is Telegram's error answer
    if (custom && typeof custom === "object" && (custom as { ok?: unknown }).ok === false) {
      calls.push(call);
      return new Response(JSON.stringify(custom), { headers: { "content-type": "application/json" } });
    }
    let result: unknown = custom ?? true;
    if (custom === undefined) {
      const chatId = payload.chat_id as number;
      if (SEND_METHODS.has(method)) {
        call.messageId = nextMessageId++;
        result = {
          message_id: call.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private" },
          text: payload.text,
          caption: payload.caption,
          ...(method === "sendDocument"
            ? { document: { file_id: `sent-${call.messageId}`, file_unique_id: `u${call.messageId}` } }
            : {}),
        };
      } else if (method === "editMessageText" || method === "editMessageReplyMarkup") {
        result = {
          message_id: payload.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private" },
          text: payload.text,
        };
      } else if (method === "getFile") {
        const f = files.get(String(payload.file_id));
        result = {
          file_id: payload.file_id,
          file_unique_id: `u-${payload.file_id}`,
          file_size: f?.bytes.length,
          file_path: f?.path,
        };
      } else if (method === "getMe") {
        result = BOT_INFO;
      }
    }
    calls.push(call);
    return new Response(JSON.stringify({ ok: true, result }), {
      headers: { "content-type": "application/json" },
    });
  };

  const bot = createBot({
    deps: { app, config, logger, download },
    botInfo: BOT_INFO,
    client: { fetch: fakeFetch as never },
  });
  await bot.init();

  const handle = async (update: Omit<Update, "update_id"> & { update_id?: number }) => {
    await bot.handleUpdate({ update_id: update.update_id ?? updateSeq++, ...update } as Update);
  };

  const chatCalls = (id: number, list = calls) => list.filter((c) => Number(c.payload.chat_id) === id);

  const user = (id: number, firstName = `User${id}`): TestUser => {
    const from = { id, is_bot: false, first_name: firstName, language_code: "ru" };
    const chat = { id, type: "private" as const, first_name: firstName };
    const msg = () => ({ message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat, from });
    const run = async (u: Record<string, unknown>) => {
      const m = calls.length;
      await handle(u as never);
      return calls.slice(m);
    };
    const findMessageWith = (data: string): number | undefined => {
      for (let i = calls.length - 1; i >= 0; i--) {
        const c = calls[i]!;
        if (Number(c.payload.chat_id) !== id) continue;
        const kb = (
          c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined
        )?.inline_keyboard;
        if (kb?.some((row) => row.some((b) => b.callback_data === data))) {
          return c.messageId ?? (c.payload.message_id as number | undefined);
        }
      }
      return undefined;
    };
    let fileSeq = 0;
    const addFile = (bytes: Buffer | number, ext: string) => {
      const buf = typeof bytes === "number" ? Buffer.alloc(Math.min(bytes, 1024), 1) : bytes;
      const fileId = `f-${id}-${++fileSeq}-${Math.random().toString(36).slice(2, 6)}`;
      files.set(fileId, { bytes: buf, path: `documents/${fileId}.${ext}` });
      return { fileId, size: typeof bytes === "number" ? bytes : buf.length };
    };
    return {
      id,
      send: (text) =>
        run({
          message: {
            ...msg(),
            text,
            ...(text.startsWith("/")
              ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] }
              : {}),
          },
        }),
      press: (data, messageId) => {
        const mid = messageId ?? findMessageWith(data) ?? 1;
        return run({
          callback_query: {
            id: `cq${updateSeq}`,
            from,
            chat_instance: `ci${id}`,
            data,
            message: { message_id: mid, date: Math.floor(Date.now() / 1000), chat, text: "…" },
          },
        });
      },
      sendDocument: ({ fileName, mimeType, bytes, mediaGroupId }) => {
        const f = addFile(bytes, fileName.split(".").pop() ?? "bin");
        return run({
          message: {
            ...msg(),
            ...(mediaGroupId ? { media_group_id: mediaGroupId } : {}),
            document: {
              file_id: f.fileId,
              file_unique_id: `u${f.fileId}`,
              file_name: fileName,
              mime_type: mimeType,
              file_size: f.size,
            },
          },
        });
      },
      sendPhoto: (bytes) => {
        const f = addFile(bytes, "jpg");
        return run({
          message: {
            ...msg(),
            photo: [
              {
                file_id: f.fileId,
                file_unique_id: `u${f.fileId}`,
                width: 800,
                height: 600,
                file_size: f.size,
              },
            ],
          },
        });
      },
      sendSticker: () =>
        run({
          message: {
            ...msg(),
            sticker: {
              file_id: "stk",
              file_unique_id: "stk",
              type: "regular",
              width: 512,
              height: 512,
              is_animated: false,
              is_video: false,
            },
          },
        }),
      sendLocation: (latitude, longitude) =>
        run({ message: { ...msg(), location: { latitude, longitude } } }),
      texts: (list) =>
        chatCalls(id, list)
          .map((c) => (c.payload.text ?? c.payload.caption) as string | undefined)
          .filter((t): t is string => typeof t === "string"),
      last: () =>
        chatCalls(id)
          .filter((c) => c.payload.text !== undefined || c.payload.caption !== undefined)
          .at(-1),
      buttons: (call) => {
        const c =
          call ??
          chatCalls(id)
            .filter((x) => x.payload.reply_markup)
            .at(-1);
        const kb = (
          c?.payload.reply_markup as {
            inline_keyboard?: { text: string; callback_data?: string; url?: string }[][];
          }
        )?.inline_keyboard;
        return (kb ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data, url: b.url }));
      },
    };
  };

  return {
    bot,
    app,
    config,
    prisma: opts.prisma,
    calls,
    files,
    handle,
    user,
    mark: () => calls.length,
    since: (m) => calls.slice(m),
    close: async () => {},
  };
}

async function readBody(body: unknown): Promise<Record<string, unknown>> {
  if (body === undefined || body === null) return {};
  if (typeof body === "string") return JSON.parse(body) as Record<string, unknown>;
  // multipart (InputFile uploads): keep the text fields, note the files
  const chunks: Buffer[] = [];
  const it = body as AsyncIterable<Uint8Array | string>;
  if (typeof (it as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function") {
    for await (const c of it) chunks.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
  } else if (body instanceof ReadableStream) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value as Uint8Array));
    }
  }
  const raw = Buffer.concat(chunks).toString("latin1");
  const out: Record<string, unknown> = { _multipart: true };
  const re = /name="([^"]+)"(?:;\s*filename="?([^"\r\n]*)"?)?\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/g;
  const fileParts: Record<string, { filename: string; size: number; bytes: Buffer }> = {};
  for (const m of raw.matchAll(re)) {
    const [, name, filename, value] = m;
    if (!name) continue;
    if (filename !== undefined) {
      const bytes = Buffer.from(value ?? "", "latin1");
      fileParts[name] = {
        filename: Buffer.from(filename, "latin1").toString("utf8"),
        size: bytes.length,
        bytes,
      };
    } else {
      const v = Buffer.from(value ?? "", "latin1").toString("utf8");
      try {
        out[name] = JSON.parse(v);
      } catch {
        out[name] = v;
      }
    }
  }
  // resolve attach://<id> references to the uploaded file parts
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string" && v.startsWith("attach://")) out[k] = fileParts[v.slice(9)] ?? v;
  }
  if (typeof out.chat_id === "string" && /^-?\d+$/.test(out.chat_id)) out.chat_id = Number(out.chat_id);
  return out;
}

/** Telegram's limits, checked on every recorded call: returns the violations (empty = fine). */
export function telegramLimitViolations(calls: ApiCall[]): string[] {
  const problems: string[] = [];
  for (const c of calls) {
    const text = c.payload.text as string | undefined;
    const caption = c.payload.caption as string | undefined;
    if (typeof text === "string") {
      if (text.length > 4096) problems.push(`${c.method}: text of ${text.length} characters`);
      if (text.trim().length === 0) problems.push(`${c.method}: empty text`);
      if (c.payload.parse_mode === "HTML")
        problems.push(...htmlProblems(text).map((p) => `${c.method}: ${p}`));
    }
    if (typeof caption === "string" && caption.length > 1024)
      problems.push(`${c.method}: caption of ${caption.length}`);
    const kb = (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    for (const b of kb?.flat() ?? []) {
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data, "utf8") > 64) {
        problems.push(
          `${c.method}: callback_data of ${Buffer.byteLength(b.callback_data)} bytes: ${b.callback_data}`,
        );
      }
    }
    if (
      c.method === "answerCallbackQuery" &&
      typeof c.payload.text === "string" &&
      (c.payload.text as string).length > 200
    ) {
      problems.push("answerCallbackQuery: text over 200 characters");
    }
  }
  return problems;
}

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "blockquote",
  "span",
]);

/** The HTML Telegram would refuse: unknown or unbalanced tags, a bare `<` or `&`. */
export function htmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tagRe = /<(\/?)([a-zA-Z-]+)([^>]*)>|<|&(?!(amp|lt|gt|quot|#\d+);)/g;
  for (const m of text.matchAll(tagRe)) {
    if (m[0] === "<") {
      problems.push("unescaped <");
      continue;
    }
    if (m[0].startsWith("&")) {
      problems.push("unescaped &");
      continue;
    }
    const closing = m[1] === "/";
    const tag = (m[2] ?? "").toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) {
      problems.push(`unsupported tag <${tag}>`);
      continue;
    }
    if (closing) {
      if (stack.pop() !== tag) problems.push(`unbalanced </${tag}>`);
    } else stack.push(tag);
  }
  if (stack.length) problems.push(`unclosed <${stack.join(">, <")}>`);
  return problems;
}

/**
 * The end of a bot test file (afterAll): no Telegram limit violated by what the harnesses sent, the harnesses
 * closed, the test database dropped. Harnesses that never opened are skipped.
 */
export async function endBotTest(
  harnesses: readonly (Harness | undefined)[],
  db: { drop(): Promise<void> } | undefined,
): Promise<void> {
  const opened = harnesses.filter((x): x is Harness => x !== undefined);
  if (opened.length) expect(telegramLimitViolations(opened.flatMap((x) => x.calls))).toEqual([]);
  for (const x of opened) await x.close();
  await db?.drop();
}
