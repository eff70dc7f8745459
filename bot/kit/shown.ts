// What this bot last put into its messages (chat:message → the content before and after, as shown), so that a
// second tap is not answered with the same edit again (Telegram refuses an edit that changes nothing). A press
// carries the message as it was when it was pressed: a second tap on a message the first tap already changed
// carries the old content, so comparing with it alone is not enough. One per bot (createBot), bounded.
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message } from "grammy/types";

const MAX = 20_000;

export const buttonsOf = (m: InlineKeyboardMarkup | undefined) =>
  JSON.stringify(
    (m?.inline_keyboard ?? []).map((row: InlineKeyboardButton[]) =>
      row.map((b) => [b.text, "callback_data" in b ? b.callback_data : "url" in b ? b.url : ""]),
    ),
  );

/** A message's content as compared: the text as shown and the buttons. */
export const signature = (text: string, markup: InlineKeyboardMarkup | undefined) =>
  `${text.trim()}\u0000${buttonsOf(markup)}`;

const messageSignature = (msg: Message) =>
  signature("text" in msg && msg.text !== undefined ? msg.text : "", msg.reply_markup);
const keyOf = (chatId: unknown, messageId: unknown) => `${String(chatId)}:${String(messageId)}`;

export class ShownMessages {
  private readonly last = new Map<string, { before: string; after: string }>();

  /** An edit this bot made through `show`: the pressed message's content before it, and after it. */
  remember(msg: Message, after: string): void {
    if (this.last.size >= MAX) this.last.clear();
    this.last.set(keyOf(msg.chat.id, msg.message_id), { before: messageSignature(msg), after });
  }

  /** Any other edit of the message (the API transformer calls this): what was remembered no longer holds. */
  forget(chatId: unknown, messageId: unknown): void {
    this.last.delete(keyOf(chatId, messageId));
  }

  /**
   * Did this bot already turn the pressed message into `after`? Only when the press saw the message as it was
   * just before that edit or just after it (a change made meanwhile elsewhere shows as a third content), and
   * the pressed button is on it (a press always carries the message it was on).
   */
  already(msg: Message, after: string, pressed: string | undefined): boolean {
    const onIt = (msg.reply_markup?.inline_keyboard ?? []).some((row) =>
      row.some((b) => "callback_data" in b && b.callback_data === pressed),
    );
    if (!onIt) return false;
    const e = this.last.get(keyOf(msg.chat.id, msg.message_id));
    if (!e || e.after !== after) return false;
    const seen = messageSignature(msg);
    return seen === e.before || seen === e.after;
  }
}
