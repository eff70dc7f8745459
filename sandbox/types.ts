// The vocabulary of the sandbox: Telegram's objects as the sandbox stores and returns them, its events,
// its limits and the error type every Bot API method throws (Telegram's status code and exact text).
import type { TgEntity } from "./html.ts";

export type { TgEntity } from "./html.ts";

/** Telegram's limits. */
export const LIMITS = {
  text: 4096,
  caption: 1024,
  callbackData: 64,
  callbackAnswer: 200,
  /** Bots may upload up to 50 MB and download (getFile) up to 20 MB. */
  upload: 50 * 1024 * 1024,
  download: 20 * 1024 * 1024,
  /** A photo (sendPhoto, an album's photo) is at most 10 MB. */
  photo: 10 * 1024 * 1024,
  /** sendMediaGroup: at most 10 items. */
  album: 10,
  /** setMyDescription 0–512, setMyShortDescription 0–120 characters. */
  description: 512,
  shortDescription: 120,
  /** How long a callback query may be answered (Telegram: about 15 s). */
  callbackTimeoutMs: 15_000,
};

/** A person in the left pane: a Telegram user whose private chat with the bot is open. */
export interface SandboxPerson {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  /** Shown under the name, e.g. "Reviewer · BR-ABAI" (one text, or one per page language). */
  role?: string | { kk: string; ru: string };
  phone_number?: string;
}

/** A demo invite the page lists under «+ New user»: its button sends `/start <code>` as a new person. */
export interface SandboxInvite {
  code: string;
  /** What the page shows (one text, or one per page language). */
  label: string | { kk: string; ru: string };
  /** The new person's name (default: «New user N»). */
  name?: string;
}

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
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

export type Markup = Record<string, unknown>;

export interface TgLocation {
  latitude: number;
  longitude: number;
  horizontal_accuracy?: number;
  live_period?: number;
}

export interface TgVenue {
  location: TgLocation;
  title: string;
  address: string;
  foursquare_id?: string;
  foursquare_type?: string;
  google_place_id?: string;
  google_place_type?: string;
}

export interface TgMessage {
  message_id: number;
  date: number;
  edit_date?: number;
  chat: TgChat;
  from?: TgUser;
  media_group_id?: string;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  document?: TgFileRef;
  photo?: TgFileRef[];
  location?: TgLocation;
  venue?: TgVenue;
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
  reply_markup?: Markup;
  reply_to_message?: TgMessage;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  chat_instance: string;
  data?: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
}

export interface ApiCallRecord {
  at: number;
  method: string;
  /** Parameters as received (uploaded files appear as { file: name, size }). */
  params: Record<string, unknown>;
  ok: boolean;
  description?: string;
  result?: unknown;
  /** Set when the answer came from fault injection (e.g. "429", "502", "delay 800ms"), not from the method. */
  injected?: string;
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
      message_id?: number;
    }
  /** A callback query nobody answered within the timeout: the page stops the button's spinner visibly. */
  | {
      type: "callback_timeout";
      chat_id: number;
      callback_query_id: string;
      message_id?: number;
      after_ms: number;
    }
  | { type: "action"; chat_id: number; action: string }
  | { type: "api_error"; chat_id?: number; method: string; description: string }
  | { type: "person"; person: SandboxPerson }
  | { type: "commands" }
  | { type: "profile" }
  /** The bot is there: it called getUpdates (or setWebhook) for the first time, or the starter said so. */
  | { type: "ready" };

export interface StoredFile extends TgFileRef {
  file_path: string;
  bytes: Buffer;
}

export interface Chat {
  person: SandboxPerson;
  messages: TgMessage[];
  nextMessageId: number;
  /** The reply keyboard currently shown under the input (null: none). */
  keyboard: Markup | null;
  chatInstance: string;
  /** The person blocked the bot: sending to the chat answers 403 (fault injection). */
  blocked?: boolean;
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

export const bad = (description: string) => new ApiError(400, `Bad Request: ${description}`);

export const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

export const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

export const now = () => Math.floor(Date.now() / 1000);
export const clone = <T>(v: T): T => structuredClone(v);

export const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === "string" ? v : String(v);
export const int = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
};
export const bool = (v: unknown) => v === true || v === "true" || v === "1" || v === 1;

/** A JSON-serialized parameter (a string in form and multipart bodies, an object in JSON bodies). */
export function obj<T = unknown>(v: unknown, what: string): T | undefined {
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

/** JSON with object keys sorted, to compare reply markups the way Telegram does (by content). */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== false)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
