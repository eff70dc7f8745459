// The recording Bot API used by both the real bot and the baseline bot: a `client.fetch` that answers
// like Telegram (message objects for send*, true otherwise) and keeps, per chat, only the last calls,
// so memory and lookup cost stay flat over 100,000 updates.
import type { Update, UserFromGetMe } from "grammy/types";

export const BOT_INFO = {
  id: 7000000001,
  is_bot: true,
  first_name: "ФСМС Реестр",
  username: "fsms_register_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  messageId?: number;
}

/** A tiny valid-looking PDF served for every file download. */
export const PDF_BYTES = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "latin1");

const SEND = new Set(["sendMessage", "sendDocument", "sendPhoto", "sendLocation"]);

export class RecordingApi {
  /** Total calls by method. */
  readonly counts = new Map<string, number>();
  /** The last few calls per chat (newest last). */
  readonly byChat = new Map<number, RecordedCall[]>();
  /** The last few calls of any chat, and those without one (answerCallbackQuery), newest last. */
  readonly recent: RecordedCall[] = [];
  private nextMessageId = 1;
  private keep = 6;

  readonly fetch = async (input: unknown, init?: { body?: unknown }): Promise<Response> => {
    const url = String(typeof input === "object" && input && "url" in input ? (input as Request).url : input);
    if (url.includes("/file/bot")) return new Response(new Uint8Array(PDF_BYTES));
    const method = url.slice(url.lastIndexOf("/") + 1);
    const payload = await readJsonBody(init?.body);
    const call: RecordedCall = { method, payload };
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    const chatId = Number(payload.chat_id);
    let result: unknown = true;
    if (SEND.has(method)) {
      call.messageId = this.nextMessageId++;
      result = {
        message_id: call.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private" },
        text: payload.text,
        caption: payload.caption,
      };
    } else if (method.startsWith("editMessage")) {
      result = {
        message_id: payload.message_id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private" },
        text: payload.text,
      };
    } else if (method === "getMe") {
      result = BOT_INFO;
    } else if (method === "getFile") {
      result = {
        file_id: payload.file_id,
        file_unique_id: `u-${payload.file_id}`,
        file_size: 1024,
        file_path: `documents/${payload.file_id}.pdf`,
      };
    }
    this.recent.push(call);
    if (this.recent.length > this.keep) this.recent.shift();
    if (Number.isFinite(chatId)) {
      let list = this.byChat.get(chatId);
      if (!list) {
        list = [];
        this.byChat.set(chatId, list);
      }
      list.push(call);
      if (list.length > this.keep) list.shift();
    }
    return new Response(JSON.stringify({ ok: true, result }), {
      headers: { "content-type": "application/json" },
    });
  };

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  last(chatId: number): RecordedCall | undefined {
    return this.byChat.get(chatId)?.at(-1);
  }

  /** Inline buttons of the newest call to the chat that has any. */
  buttons(chatId: number): { text: string; data?: string; messageId?: number }[] {
    const list = this.byChat.get(chatId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      const kb = (
        c.payload.reply_markup as
          | { inline_keyboard?: { text: string; callback_data?: string }[][] }
          | undefined
      )?.inline_keyboard;
      if (kb) {
        const mid = c.messageId ?? (c.payload.message_id as number | undefined);
        return kb.flat().map((b) => ({ text: b.text, data: b.callback_data, messageId: mid }));
      }
    }
    return [];
  }
}

async function readJsonBody(body: unknown): Promise<Record<string, unknown>> {
  if (typeof body === "string") return JSON.parse(body) as Record<string, unknown>;
  if (body === undefined || body === null) return {};
  // multipart (file uploads): drain it, keep no fields (the benchmark does not look at them)
  const it = body as AsyncIterable<unknown>;
  if (typeof it[Symbol.asyncIterator] === "function") for await (const _ of it) void _;
  return {};
}

let updateSeq = 1;
const nowS = () => Math.floor(Date.now() / 1000);

/** Builders of the updates a Telegram user would send. */
export function userUpdates(id: number, firstName = `U${id}`) {
  const from = { id, is_bot: false, first_name: firstName, language_code: "ru" };
  const chat = { id, type: "private" as const, first_name: firstName };
  let mid = 1_000_000;
  return {
    text(text: string): Update {
      const cmdLen = text.startsWith("/") ? text.split(" ")[0]!.length : 0;
      return {
        update_id: updateSeq++,
        message: {
          message_id: mid++,
          date: nowS(),
          chat,
          from,
          text,
          ...(cmdLen ? { entities: [{ type: "bot_command" as const, offset: 0, length: cmdLen }] } : {}),
        },
      } as Update;
    },
    press(data: string, messageId = 1): Update {
      return {
        update_id: updateSeq++,
        callback_query: {
          id: `cq${updateSeq}`,
          from,
          chat_instance: `ci${id}`,
          data,
          message: { message_id: messageId, date: nowS(), chat, text: "…" },
        },
      } as Update;
    },
    location(latitude: number, longitude: number): Update {
      return {
        update_id: updateSeq++,
        message: { message_id: mid++, date: nowS(), chat, from, location: { latitude, longitude } },
      } as Update;
    },
    document(fileName: string, mimeType = "application/pdf", size = 1024): Update {
      const fid = `bf-${id}-${updateSeq}`;
      return {
        update_id: updateSeq++,
        message: {
          message_id: mid++,
          date: nowS(),
          chat,
          from,
          document: {
            file_id: fid,
            file_unique_id: `u${fid}`,
            file_name: fileName,
            mime_type: mimeType,
            file_size: size,
          },
        },
      } as Update;
    },
  };
}
