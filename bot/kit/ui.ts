// ONE way to show a screen and to answer a button, with ONE error policy:
// - a callback query is answered exactly once (the first answer wins, later ones are no-ops; a press that no
//   handler answered is answered empty when the update ends: no spinner is ever left);
// - a screen replaces the pressed message when it can, and is not sent at all when it would not change it
//   (Telegram refuses an unchanged edit), else it is sent as a new message;
// - texts are clipped to Telegram's limits without cutting a tag.
import { GrammyError, InlineKeyboard, type MiddlewareFn } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { AppContext } from "../context.ts";
import { clipHtml, htmlToText } from "./html.ts";
import { buttonsOf, signature } from "./shown.ts";

export interface Screen {
  text: string;
  keyboard?: InlineKeyboard | InlineKeyboardMarkup;
  /** Send without sound (DECISIONS 13). */
  silent?: boolean;
}

export const markupOf = (k: Screen["keyboard"]): InlineKeyboardMarkup | undefined =>
  !k ? undefined : k instanceof InlineKeyboard ? { inline_keyboard: k.inline_keyboard } : k;

const ANSWERED = Symbol("callbackAnswered");
type Tracked = AppContext & { [ANSWERED]?: boolean };

export const isAnswered = (ctx: AppContext): boolean => (ctx as Tracked)[ANSWERED] === true;

/**
 * Middleware (installed first): makes `ctx.answerCallbackQuery` idempotent and answers a press nobody answered.
 * An answer is retried by the API layer (auto-retry) within the query's validity; a failure is logged, never
 * followed by a second answer.
 */
export function answerOnce(): MiddlewareFn<AppContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const original = ctx.answerCallbackQuery.bind(ctx);
    const t = ctx as Tracked;
    ctx.answerCallbackQuery = (async (...args: Parameters<typeof original>) => {
      if (t[ANSWERED]) return true;
      t[ANSWERED] = true;
      try {
        return await original(...args);
      } catch (e) {
        ctx.log?.warn({ err: e instanceof Error ? e.message : String(e) }, "answerCallbackQuery failed");
        return false;
      }
    }) as typeof ctx.answerCallbackQuery;
    try {
      await next();
    } finally {
      if (!t[ANSWERED]) await ctx.answerCallbackQuery().catch(() => {});
    }
  };
}

/** Answer the press (once): a toast, or an alert with `alert`. Texts over 200 characters are cut. */
export async function answer(ctx: AppContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery || isAnswered(ctx)) return;
  await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : undefined);
}

/** Tell the person something short: an alert on a press, a message otherwise. */
export async function tell(ctx: AppContext, text: string): Promise<void> {
  if (ctx.callbackQuery && !isAnswered(ctx)) await answer(ctx, text, true);
  else await ctx.reply(clipHtml(text), { parse_mode: "HTML" });
}

/** Would this screen change the message? (text as shown, and the buttons) */
export function sameContent(
  screen: { text: string; markup?: InlineKeyboardMarkup },
  msg: Message | undefined,
): boolean {
  if (!msg || !("text" in msg) || msg.text === undefined) return false;
  return (
    htmlToText(screen.text).trim() === msg.text.trim() &&
    buttonsOf(screen.markup) === buttonsOf(msg.reply_markup)
  );
}

/**
 * Show a screen: replace the pressed message (unless `fresh`), skipping an edit that would change nothing; send
 * a new message otherwise (or when the old one cannot be edited any more). Returns the message id shown.
 */
export async function show(
  ctx: AppContext,
  screen: Screen,
  opts: { fresh?: boolean } = {},
): Promise<number | undefined> {
  const text = clipHtml(screen.text);
  const reply_markup = markupOf(screen.keyboard);
  const msg = ctx.callbackQuery?.message;
  if (msg && !opts.fresh && "text" in msg && msg.text !== undefined) {
    if (sameContent({ text, markup: reply_markup }, msg)) return msg.message_id;
    const after = signature(htmlToText(text), reply_markup);
    if (ctx.shown?.already(msg, after, ctx.callbackQuery?.data)) return msg.message_id;
    try {
      await ctx.api.editMessageText(msg.chat.id, msg.message_id, text, {
        parse_mode: "HTML",
        reply_markup: reply_markup ?? { inline_keyboard: [] },
        link_preview_options: { is_disabled: true },
      });
      ctx.shown?.remember(msg, after);
      return msg.message_id;
    } catch (e) {
      if (!(e instanceof GrammyError) || e.error_code !== 400) throw e;
      if (/not modified/i.test(e.description)) return msg.message_id;
      // too old to edit, deleted…: send the screen as a new message
    }
  }
  const sent = await ctx.reply(text, {
    parse_mode: "HTML",
    ...(reply_markup ? { reply_markup } : {}),
    ...(screen.silent ? { disable_notification: true } : {}),
    link_preview_options: { is_disabled: true },
  });
  return sent.message_id;
}

/** Remove the buttons of the pressed message (when it has any). */
export async function dropButtons(ctx: AppContext): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  if (!msg?.reply_markup?.inline_keyboard.length) return;
  const after = signature("text" in msg && msg.text !== undefined ? msg.text : "", undefined);
  if (ctx.shown?.already(msg, after, ctx.callbackQuery?.data)) return;
  await ctx.api
    .editMessageReplyMarkup(msg.chat.id, msg.message_id, { reply_markup: { inline_keyboard: [] } })
    .then(() => ctx.shown?.remember(msg, after))
    .catch(() => {});
}
