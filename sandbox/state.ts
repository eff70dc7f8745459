// The sandbox's memory: people and their private chats with the bot, the updates queue (getUpdates with
// long polling), callback queries and their timeout, the bot's commands and profile per scope and
// language, and what a person does (text, buttons, files, albums, location, contact). No HTTP here.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { detectEntities } from "./html.ts";
import { docRef, MediaStore, photoSizes } from "./media.ts";
import { StatsRecorder } from "./stats.ts";
import {
  ApiError,
  type Chat,
  clone,
  int,
  LIMITS,
  type Markup,
  now,
  type SandboxEvent,
  type SandboxPerson,
  type TgChat,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from "./types.ts";

export interface StateOptions {
  persons?: SandboxPerson[];
  /** getMe: name and username of the bot (its id comes from the token). */
  botName?: string;
  botUsername?: string;
  /** How long a callback query may be answered (default 15 000 ms, as Telegram). */
  callbackTimeoutMs?: number;
  /** Start as if the bot had already polled (for tests that drive the Bot API themselves). */
  ready?: boolean;
}

export interface CallbackRecord {
  chatId: number;
  messageId: number;
  data: string;
  pressedAt: number;
  answered: boolean;
  expired: boolean;
  timer?: NodeJS.Timeout;
}

export type Command = { command: string; description: string };

interface Waiter {
  wake: () => void;
  conflict: () => void;
}

/** One file a person sends (the page's upload, or a test's). */
export interface PersonFile {
  name: string;
  bytes: Buffer;
  mimeType?: string;
}

const CONFLICT =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

export class SandboxState {
  readonly events = new EventEmitter();
  readonly media = new MediaStore();
  readonly statsRecorder = new StatsRecorder();
  readonly chats = new Map<number, Chat>();
  readonly callbacks = new Map<string, CallbackRecord>();
  /** Commands by `${scope type}:${chat_id}:${user_id}:${language_code}`. */
  readonly commands = new Map<string, Command[]>();
  /** Bot profile texts by `${field}:${language_code}` (field: description, short_description, name). */
  readonly profile = new Map<string, string>();
  updates: TgUpdate[] = [];
  webhookUrl = "";
  botId = 7000000000;
  ready = false;
  protected closing = false;
  private nextUpdateId = 1;
  private waiter: Waiter | undefined;
  private personSeq = 0;
  private mediaGroupSeq = 0n;

  constructor(protected readonly stateOpts: StateOptions = {}) {
    this.events.setMaxListeners(0);
    this.ready = stateOpts.ready ?? false;
    for (const p of stateOpts.persons ?? []) this.addPerson(p);
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
    if (!person.first_name.trim()) person.first_name = `Новый пользователь ${n}`;
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
  file(fileId: string) {
    return this.media.get(fileId);
  }

  /** The person blocks (or unblocks) the bot: the bot's sends to the chat answer 403, as Telegram's. */
  block(chatId: number, blocked = true): void {
    this.chat(chatId).blocked = blocked;
  }

  /** The bot is there (it polled, set a webhook, or the starter says so): the page lets people chat. */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit({ type: "ready" });
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

  chat(chatId: number): Chat {
    const c = this.chats.get(chatId);
    if (!c) throw new Error(`sandbox: unknown person ${chatId}`);
    return c;
  }

  userOf(p: SandboxPerson): TgUser {
    return {
      id: p.id,
      is_bot: false,
      first_name: p.first_name,
      ...(p.last_name ? { last_name: p.last_name } : {}),
      ...(p.username ? { username: p.username } : {}),
      ...(p.language_code ? { language_code: p.language_code } : {}),
    };
  }

  chatOf(p: SandboxPerson): TgChat {
    return {
      id: p.id,
      type: "private",
      first_name: p.first_name,
      ...(p.last_name ? { last_name: p.last_name } : {}),
      ...(p.username ? { username: p.username } : {}),
    };
  }

  botUser(): TgUser {
    return {
      id: this.botId,
      is_bot: true,
      first_name: this.profile.get("name:") || this.stateOpts.botName || "ФСМС Реестр (sandbox)",
      username: this.stateOpts.botUsername ?? "fsms_register_sandbox_bot",
    };
  }

  emit(ev: SandboxEvent): void {
    this.events.emit("event", ev);
  }

  /** A new media_group_id (the decimal text of a positive 64-bit number, as Telegram's). */
  newMediaGroupId(): string {
    this.mediaGroupSeq++;
    return (13_000_000_000_000_000n + BigInt(Date.now() % 1_000_000) * 1000n + this.mediaGroupSeq).toString();
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
    const record: CallbackRecord = {
      chatId,
      messageId,
      data,
      pressedAt: Date.now(),
      answered: false,
      expired: false,
    };
    record.timer = setTimeout(
      () => this.expire(id),
      this.stateOpts.callbackTimeoutMs ?? LIMITS.callbackTimeoutMs,
    );
    record.timer.unref();
    this.callbacks.set(id, record);
    if (this.callbacks.size > 10_000) this.callbacks.delete(this.callbacks.keys().next().value!);
    this.statsRecorder.pressed();
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

  private expire(id: string): void {
    const q = this.callbacks.get(id);
    if (!q || q.answered || q.expired) return;
    q.expired = true;
    this.statsRecorder.unanswered({
      callback_query_id: id,
      chat_id: q.chatId,
      message_id: q.messageId,
      data: q.data,
    });
    this.emit({
      type: "callback_timeout",
      chat_id: q.chatId,
      callback_query_id: id,
      message_id: q.messageId,
      after_ms: Date.now() - q.pressedAt,
    });
  }

  /** Callback queries pressed and neither answered nor expired yet. */
  pendingCallbacks(): number {
    let n = 0;
    for (const q of this.callbacks.values()) if (!q.answered && !q.expired) n++;
    return n;
  }

  /** A person sends a file (as a document, or as a photo when asPhoto). */
  sendFile(chatId: number, file: PersonFile & { caption?: string; asPhoto?: boolean }): TgMessage {
    return this.personFileMessage(chatId, file, file.caption, file.asPhoto ?? false, undefined);
  }

  /**
   * A person sends several files at once, as Telegram clients do: albums of at most 10 (one message and one
   * update per file, sharing a media_group_id; the caption goes with the first file). One file is a plain
   * message.
   */
  sendAlbum(
    chatId: number,
    files: PersonFile[],
    opts: { caption?: string; asPhoto?: boolean } = {},
  ): TgMessage[] {
    if (!files.length) throw new Error("no files");
    this.chat(chatId);
    const out: TgMessage[] = [];
    for (let i = 0; i < files.length; i += LIMITS.album) {
      const chunk = files.slice(i, i + LIMITS.album);
      const group = chunk.length > 1 ? this.newMediaGroupId() : undefined;
      chunk.forEach((f, j) => {
        const caption = i === 0 && j === 0 ? opts.caption : undefined;
        out.push(this.personFileMessage(chatId, f, caption, opts.asPhoto ?? false, group));
      });
    }
    return out;
  }

  private personFileMessage(
    chatId: number,
    file: PersonFile,
    rawCaption: string | undefined,
    asPhoto: boolean,
    group: string | undefined,
  ): TgMessage {
    this.chat(chatId);
    if (file.bytes.length > 2000 * 1024 * 1024) throw new Error("file too big");
    const caption = rawCaption?.trim();
    if (caption && caption.length > LIMITS.caption) throw new Error("caption is too long");
    const extra = { ...(caption ? { caption } : {}), ...(group ? { media_group_id: group } : {}) };
    if (asPhoto) {
      const stored = this.media.store(file.bytes, file.name, "photos", file.mimeType);
      return this.userMessage(chatId, { photo: photoSizes(stored), ...extra });
    }
    const stored = this.media.store(file.bytes, file.name, "documents", file.mimeType);
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

  // ───────────────────────────── commands and profile ─────────────────────────────

  /** Commands a person sees in the menu: chat scope, then all private chats, then default; language first. */
  commandsFor(chatId: number): Command[] {
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

  /** The bot's description (or short description) for a language, falling back to the default one. */
  profileText(field: "description" | "short_description" | "name", lang = ""): string {
    return this.profile.get(`${field}:${lang}`) || this.profile.get(`${field}:`) || "";
  }

  // ───────────────────────────── the updates queue ─────────────────────────────

  private pushUpdate(u: Omit<TgUpdate, "update_id">): TgUpdate {
    const update = { update_id: this.nextUpdateId++, ...u } as TgUpdate;
    this.updates.push(update);
    this.waiter?.wake();
    return update;
  }

  dropPendingUpdates(): void {
    this.updates = [];
  }

  /** getUpdates as Telegram does it: offset confirms, long polling waits, a second poller gets 409. */
  async pollUpdates(p: Record<string, unknown>, res: ServerResponse): Promise<TgUpdate[]> {
    if (this.webhookUrl) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    this.markReady();
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
        conflict: () => finish(() => reject(new ApiError(409, CONFLICT))),
      };
      const onClose = () => finish(() => resolve([]));
      const timer = setTimeout(() => w.wake(), timeout * 1000);
      res.on("close", onClose);
      this.waiter = w;
    });
  }

  /** Ends a waiting long poll and the callback timers (at close). */
  protected stopState(): void {
    this.closing = true;
    this.waiter?.wake();
    for (const q of this.callbacks.values()) clearTimeout(q.timer);
  }
}

export function keyboardTexts(k: Markup): string[] {
  const rows = (k.keyboard ?? []) as (string | { text: string })[][];
  return rows.flat().map((b) => (typeof b === "string" ? b : b.text));
}
