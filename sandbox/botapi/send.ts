// Bot API methods that send to a chat: sendMessage, sendDocument, sendPhoto, sendMediaGroup (albums),
// sendLocation, sendVenue, sendChatAction; with Telegram's limits and error texts.
import { docRef, type FileKind, photoSizes } from "../media.ts";
import type { SandboxState } from "../state.ts";
import {
  ApiError,
  bad,
  bool,
  type Chat,
  clone,
  int,
  LIMITS,
  type Markup,
  now,
  obj,
  str,
  type TgLocation,
  type TgMessage,
} from "../types.ts";
import { checkMarkup, entitiesField, formatText } from "./format.ts";
import type { Method } from "./call.ts";

/** The chat of `chat_id` (a number or @username); `write`: the bot is about to send there (403 if blocked). */
export function chatFor(s: SandboxState, chatId: unknown, write = false): Chat {
  if (chatId === undefined || chatId === null || chatId === "") throw bad("chat_id is empty");
  const v = String(chatId);
  const c = v.startsWith("@")
    ? [...s.chats.values()].find((x) => x.person.username === v.slice(1))
    : s.chats.get(Number(v));
  if (!c) throw bad("chat not found");
  if (write && c.blocked) throw new ApiError(403, "Forbidden: bot was blocked by the user");
  return c;
}

/** The message a reply refers to (reply_parameters or the legacy reply_to_message_id). */
function replyTarget(c: Chat, p: Record<string, unknown>): TgMessage | undefined {
  const replyParams = obj<{ message_id?: unknown; allow_sending_without_reply?: unknown }>(
    p.reply_parameters,
    "reply parameters",
  );
  const replyId = int(replyParams?.message_id ?? p.reply_to_message_id);
  if (replyId === undefined) return undefined;
  const reply = c.messages.find((m) => m.message_id === replyId);
  if (!reply && !bool(replyParams?.allow_sending_without_reply ?? p.allow_sending_without_reply)) {
    throw bad("message to be replied not found");
  }
  return reply;
}

/** Puts a bot message into the chat (and the reply keyboard onto the chat); returns what the API returns. */
export function botMessage(
  s: SandboxState,
  c: Chat,
  content: Partial<TgMessage>,
  markup: Markup | undefined,
  p: Record<string, unknown>,
  reply = replyTarget(c, p),
): TgMessage {
  const message: TgMessage = {
    message_id: c.nextMessageId++,
    from: s.botUser(),
    chat: s.chatOf(c.person),
    date: now(),
    ...content,
    ...(reply ? { reply_to_message: { ...clone(reply), reply_to_message: undefined } } : {}),
    ...(markup && "inline_keyboard" in markup ? { reply_markup: markup } : {}),
  };
  c.messages.push(message);
  s.emit({ type: "message", chat_id: c.person.id, message });
  if (markup && ("keyboard" in markup || "remove_keyboard" in markup)) {
    c.keyboard = "keyboard" in markup ? markup : null;
    s.emit({ type: "keyboard", chat_id: c.person.id, keyboard: c.keyboard });
  }
  return clone(message);
}

function captionOf(p: Record<string, unknown>) {
  const cap = formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
  return { ...(cap.text ? { caption: cap.text } : {}), ...entitiesField("caption_entities", cap.entities) };
}

/** Latitude and longitude as the Bot API reads them (TDLib refuses |lat| > 90, |lon| > 180). */
function coordinates(p: Record<string, unknown>, what: "location" | "venue location"): TgLocation {
  if (str(p.latitude)?.trim() === "" || p.latitude === undefined || p.latitude === null)
    throw bad("latitude is empty");
  if (str(p.longitude)?.trim() === "" || p.longitude === undefined || p.longitude === null)
    throw bad("longitude is empty");
  const latitude = Number(p.latitude);
  const longitude = Number(p.longitude);
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) throw bad(`wrong ${what} specified`);
  const accuracy = Number(p.horizontal_accuracy);
  return {
    latitude,
    longitude,
    ...(accuracy > 0 ? { horizontal_accuracy: Math.min(1500, accuracy) } : {}),
  };
}

const CHAT_ACTIONS = [
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

interface AlbumItem {
  type: FileKind;
  media: unknown;
  caption: ReturnType<typeof captionOf>;
}

/** sendMediaGroup's `media`: 1–10 photos or 1–10 documents, each with its own caption. */
function albumItems(p: Record<string, unknown>): AlbumItem[] {
  if (p.media === undefined || p.media === null || p.media === "") throw bad('parameter "media" is required');
  const list = obj<unknown>(p.media, "media");
  if (!Array.isArray(list)) throw bad("expected an Array of InputMedia");
  if (list.length === 0) throw bad("there are no messages to send");
  if (list.length > LIMITS.album) throw bad("too many messages to send as an album");
  const items = list.map((raw): AlbumItem => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw bad("can't parse InputMedia: expected an Object");
    const m = raw as Record<string, unknown>;
    const type = str(m.type) ?? "";
    if (type === "animation")
      throw bad(`can't parse InputMedia: type "animation" can't be used in sendMediaGroup`);
    if (type === "audio" || type === "video")
      throw new ApiError(501, `Not Implemented: the sandbox does not support ${type} yet`);
    if (type !== "photo" && type !== "document")
      throw bad(`can't parse InputMedia: type "${type}" is unsupported`);
    if (m.media === undefined || m.media === "") throw bad("can't parse InputMedia: media not found");
    return { type: type === "photo" ? "photos" : "documents", media: m.media, caption: captionOf(m) };
  });
  const kinds = new Set(items.map((i) => i.type));
  if (kinds.size > 1) throw bad("document can't be mixed with other media types");
  return items;
}

export const sendMethods: Record<string, Method> = {
  sendmessage: ({ s, p }) => {
    const c = chatFor(s, p.chat_id, true);
    const body = formatText(p.text, p.parse_mode, p.entities, "text");
    const markup = checkMarkup(p.reply_markup);
    return botMessage(s, c, { text: body.text, ...entitiesField("entities", body.entities) }, markup, p);
  },

  senddocument: ({ s, p, files }) => {
    const c = chatFor(s, p.chat_id, true);
    const f = s.media.input(p.document, files, "document", "documents");
    return botMessage(s, c, { document: docRef(f), ...captionOf(p) }, checkMarkup(p.reply_markup), p);
  },

  sendphoto: ({ s, p, files }) => {
    const c = chatFor(s, p.chat_id, true);
    const f = s.media.input(p.photo, files, "photo", "photos");
    return botMessage(s, c, { photo: photoSizes(f), ...captionOf(p) }, checkMarkup(p.reply_markup), p);
  },

  /**
   * An album: one message per item, sharing a media_group_id (a single item is a plain message, as
   * Telegram sends it). Like the official server, reply_markup is not read. Nothing is sent on an error.
   */
  sendmediagroup: ({ s, p, files }) => {
    const items = albumItems(p);
    const c = chatFor(s, p.chat_id, true);
    const reply = replyTarget(c, p);
    const stored = items.map((it) => s.media.albumItem(it.media, files, it.type));
    const group = items.length > 1 ? s.newMediaGroupId() : undefined;
    return items.map((it, i) => {
      const f = stored[i]!;
      const media = it.type === "photos" ? { photo: photoSizes(f) } : { document: docRef(f) };
      return botMessage(
        s,
        c,
        { ...(group ? { media_group_id: group } : {}), ...media, ...it.caption },
        undefined,
        p,
        reply,
      );
    });
  },

  sendlocation: ({ s, p }) => {
    const location = coordinates(p, "location");
    const period = int(p.live_period) ?? 0;
    if (period !== 0 && period !== 0x7fffffff && (period < 60 || period > 86400))
      throw bad("wrong live location period specified");
    const c = chatFor(s, p.chat_id, true);
    const loc = { ...location, ...(period ? { live_period: period } : {}) };
    return botMessage(s, c, { location: loc }, checkMarkup(p.reply_markup), p);
  },

  sendvenue: ({ s, p }) => {
    const location = coordinates(p, "venue location");
    const c = chatFor(s, p.chat_id, true);
    const optional = ["foursquare_id", "foursquare_type", "google_place_id", "google_place_type"] as const;
    const venue = {
      location,
      title: str(p.title) ?? "",
      address: str(p.address) ?? "",
      ...Object.fromEntries(optional.filter((k) => str(p[k])).map((k) => [k, str(p[k])])),
    };
    // a venue message carries its location too, as Telegram's
    return botMessage(s, c, { venue, location }, checkMarkup(p.reply_markup), p);
  },

  sendchataction: ({ s, p }) => {
    const action = str(p.action) ?? "";
    if (!CHAT_ACTIONS.includes(action)) throw bad("wrong parameter action in request");
    const c = chatFor(s, p.chat_id, true);
    s.emit({ type: "action", chat_id: c.person.id, action });
    return true;
  },
};
