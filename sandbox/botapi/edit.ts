// Bot API methods that change what is already in a chat: editMessageText / Caption / ReplyMarkup
// ("message is not modified" when nothing changes), deleteMessage, and answerCallbackQuery (once, in time).
import type { SandboxState } from "../state.ts";
import {
  bad,
  bool,
  type Chat,
  clone,
  int,
  LIMITS,
  type Markup,
  NOT_MODIFIED,
  now,
  QUERY_TOO_OLD,
  stable,
  str,
  type TgMessage,
} from "../types.ts";
import { checkMarkup, formatText } from "./format.ts";
import type { Method } from "./call.ts";
import { chatFor } from "./send.ts";

function editable(s: SandboxState, p: Record<string, unknown>): { chat: Chat; message: TgMessage } {
  if (p.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID");
  const chat = chatFor(s, p.chat_id, true);
  const id = int(p.message_id);
  const message = chat.messages.find((m) => m.message_id === id);
  if (!message) throw bad("message to edit not found");
  if (!message.from?.is_bot) throw bad("message can't be edited");
  return { chat, message };
}

function applyEdit(s: SandboxState, chat: Chat, message: TgMessage, markup: Markup | undefined): TgMessage {
  if (markup) message.reply_markup = markup;
  else delete message.reply_markup;
  message.edit_date = now();
  s.emit({ type: "edit", chat_id: chat.person.id, message });
  return clone(message);
}

export const editMethods: Record<string, Method> = {
  editmessagetext: ({ s, p }) => {
    const { chat, message } = editable(s, p);
    if (message.text === undefined) throw bad("there is no text in the message to edit");
    const body = formatText(p.text, p.parse_mode, p.entities, "text");
    const markup = checkMarkup(p.reply_markup, true);
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
    return applyEdit(s, chat, message, markup);
  },

  editmessagecaption: ({ s, p }) => {
    const { chat, message } = editable(s, p);
    if (!message.document && !message.photo) throw bad("there is no caption in the message to edit");
    const cap = formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
    const markup = checkMarkup(p.reply_markup, true);
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
    return applyEdit(s, chat, message, markup);
  },

  editmessagereplymarkup: ({ s, p }) => {
    const { chat, message } = editable(s, p);
    const markup = checkMarkup(p.reply_markup, true);
    if (stable(markup ?? null) === stable(message.reply_markup ?? null)) throw bad(NOT_MODIFIED);
    return applyEdit(s, chat, message, markup);
  },

  deletemessage: ({ s, p }) => {
    const c = chatFor(s, p.chat_id);
    const id = int(p.message_id);
    const i = c.messages.findIndex((m) => m.message_id === id);
    if (i === -1) throw bad("message to delete not found");
    c.messages.splice(i, 1);
    s.emit({ type: "delete", chat_id: c.person.id, message_id: id! });
    return true;
  },

  /** Once per query, within the timeout; a second or late answer is refused, as Telegram does. */
  answercallbackquery: ({ s, p }) => {
    const id = str(p.callback_query_id) ?? "";
    const q = s.callbacks.get(id);
    if (!q || q.answered || q.expired) {
      s.statsRecorder.answer(!q ? "invalid" : q.answered ? "answered_twice" : "answered_late");
      throw bad(QUERY_TOO_OLD);
    }
    const text = str(p.text) ?? "";
    if (text.length > LIMITS.callbackAnswer) throw bad("MESSAGE_TOO_LONG");
    q.answered = true;
    clearTimeout(q.timer);
    s.statsRecorder.answer("answered");
    s.emit({
      type: "toast",
      chat_id: q.chatId,
      text,
      show_alert: bool(p.show_alert),
      callback_query_id: id,
      message_id: q.messageId,
      ...(p.url ? { url: String(p.url) } : {}),
    });
    return true;
  },
};
