// Sending what does not fit the one-message screen of kit/ui.ts: a long screen paged to Telegram's limit (the
// keyboard on its last page, no page cut inside a tag) and a stored document (by Telegram's file_id when the
// bot sent it before, else its bytes).
import { GrammyError, InputFile } from "grammy";
import type { AppContext } from "../context.ts";
import { CAPTION_LIMIT, clipHtml, SAFE_MESSAGE, splitHtml } from "./html.ts";
import { markupOf, type Screen, show } from "./ui.ts";

/**
 * Show a screen that may be longer than one message: a short one replaces the pressed message like `show`; a long
 * one is sent as pages, the buttons under the last. Returns the id of the message with the buttons.
 */
export async function showLong(
  ctx: AppContext,
  screen: Screen,
  opts: { fresh?: boolean } = {},
): Promise<number | undefined> {
  const pages = splitHtml(screen.text, SAFE_MESSAGE);
  if (pages.length === 1) return show(ctx, screen, opts);
  const reply_markup = markupOf(screen.keyboard);
  let id: number | undefined;
  for (const [i, page] of pages.entries()) {
    const last = i === pages.length - 1;
    const sent = await ctx.reply(page, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(last && reply_markup ? { reply_markup } : {}),
      ...(screen.silent ? { disable_notification: true } : {}),
    });
    if (last) id = sent.message_id;
  }
  return id;
}

export interface OutgoingFile {
  fileName: string;
  /** The bytes (sent when there is no reusable file_id or Telegram refuses it). */
  bytes: Buffer;
  /** Telegram's file_id of a copy the bot sent before. */
  telegramFileId?: string | null;
}

/** Send a document with an HTML caption; returns Telegram's file_id of what it now holds (to reuse it). */
export async function sendFile(
  ctx: AppContext,
  file: OutgoingFile,
  caption: string,
): Promise<string | undefined> {
  const opts = { caption: clipHtml(caption, CAPTION_LIMIT - 24), parse_mode: "HTML" as const };
  if (file.telegramFileId) {
    try {
      const m = await ctx.replyWithDocument(file.telegramFileId, opts);
      return m.document?.file_id ?? file.telegramFileId;
    } catch (e) {
      if (!(e instanceof GrammyError) || e.error_code !== 400) throw e;
      // the file_id is not valid for this bot any more: upload the bytes
    }
  }
  const m = await ctx.replyWithDocument(new InputFile(file.bytes, file.fileName), opts);
  return m.document?.file_id;
}
