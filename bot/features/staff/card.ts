// The paged application card for everyone who decides on it (issue 11): head, reviewer, checker, approver,
// manager. `fs.cp` pages it (◀ ▶), `fs.pin` sends a production base as a map pin, `fs.lc` opens a licence with
// its appendices, `fs.dc` sends the files behind the card (an album of up to 10 documents, or one document),
// `fs.nt` the current notice as a PDF in the reader's language. Every press re-reads the application and
// re-authorises the reader (staff of its branch, or the organisation's signer): the callback data are only ids.
import { Composer, GrammyError, InlineKeyboard, InputFile } from "grammy";
import type { InlineKeyboardButton, InputMediaDocument } from "grammy/types";
import type { CardFile, CardReader } from "../../../app/index.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import { fmtDateTime } from "../../kit/format.ts";
import { CAPTION_LIMIT, clipHtml, escapeHtml } from "../../kit/html.ts";
import { sendFile } from "../../kit/send.ts";
import { answer, show, tell } from "../../kit/ui.ts";
import { actionRows, HEAD_ACTION_BUTTONS, STAFF_ACTION_BUTTONS } from "../../views/actions.ts";
import {
  type CardPage,
  cardPages,
  fileCaption,
  licenceLines,
  missingFilesText,
} from "../../views/applicationCard.ts";
import { effectLines, noticeLines } from "../../views/card.ts";
import { deadlineLines } from "../../views/deadline.ts";
import { errorText } from "../../views/labels.ts";
import { V as HEAD } from "../head/verbs.ts";
import { MENU } from "../menu/verbs.ts";
import type { View } from "./screens.ts";
import { V } from "./verbs.ts";

/** Telegram's album: 2–10 items. */
export const ALBUM_MAX = 10;

/** The lines under the header: the notice and what the buttons do (staff), why «Отправить» waits (head). */
function extraLines(v: View, r: CardReader): string[] {
  if (r.side === "head")
    return r.view.sendBlockedBy.length
      ? ["", v.t("head:send_blocked", { reason: errorText(v.t, r.view.sendBlockedBy[0]) })]
      : [];
  const n = noticeLines(v, r.view.card);
  return [...(n.length ? ["", ...n] : []), ...effectLines(v, r.view.card.notice?.kind, r.view.actions)];
}

/** The card's pages; `deadline`: the line of the stage that holds the application (issue 15), under the header. */
export function readerPages(v: View, r: CardReader, deadline: string[] = []): CardPage[] {
  return cardPages(v, r.view.card, {
    extra: [...(deadline.length ? ["", ...deadline] : []), ...extraLines(v, r)],
  });
}

/** The pages for this reader, with the stage's deadline line (the branch's thresholds, in working days). */
async function pagesFor(ctx: AppContext, v: View, r: CardReader): Promise<CardPage[]> {
  const d = await ctx.app.dashboard.deadlineOf(r.view.card);
  return readerPages(v, r, deadlineLines(ctx.t, d, { mark: true }));
}

/** One page of the card with its buttons: the actions allowed now, ◀ n/N ▶, pins, licences, documents, notice. */
export function cardPageScreen(v: View, r: CardReader, pages: CardPage[], page: number) {
  const { t } = v;
  const app = r.view.facts.snapshot;
  const card = r.view.card;
  const p = pages[page] ?? pages[0]!;
  const rows: InlineKeyboardButton[][] =
    r.side === "staff"
      ? actionRows(t, { id: app.id, version: app.version }, r.view.actions, STAFF_ACTION_BUTTONS)
      : actionRows(t, { id: app.id, version: app.version }, r.view.actions, HEAD_ACTION_BUTTONS);
  if (pages.length > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (page > 0) nav.push({ text: t("staff:btn.prev"), callback_data: cb(V.cardPage, [app.id, page - 1]) });
    nav.push({ text: `${page + 1}/${pages.length}`, callback_data: cb(V.cardPage, [app.id, page]) });
    if (page < pages.length - 1)
      nav.push({ text: t("staff:btn.next"), callback_data: cb(V.cardPage, [app.id, page + 1]) });
    rows.push(nav);
  }
  if (p.parts.includes("bases")) {
    let row: InlineKeyboardButton[] = [];
    for (const [i, b] of card.bases.entries()) {
      if (b.latitude === null || b.longitude === null) continue;
      row.push({ text: t("staff:card.pin", { n: i + 1 }), callback_data: cb(V.pin, [app.id, i]) });
      if (row.length === 4) {
        rows.push(row);
        row = [];
      }
    }
    if (row.length) rows.push(row);
  }
  if (p.parts.includes("licences"))
    for (const [i, l] of card.licences.slice(0, 20).entries())
      rows.push([
        {
          text: t("staff:card.licence", { number: l.number.slice(0, 40) }),
          callback_data: cb(V.licence, [app.id, i]),
        },
      ]);
  if (r.side === "head" && card.formFileId)
    rows.push([{ text: t("head:form_button"), callback_data: cb(HEAD.form, [app.id], app.version) }]);
  const files: InlineKeyboardButton[] = [
    { text: t("staff:card.documents"), callback_data: cb(V.docs, [app.id]) },
  ];
  if (card.notice && r.side === "staff")
    files.push({ text: t("staff:card.notice"), callback_data: cb(V.noticePdf, [app.id]) });
  rows.push(files);
  rows.push([
    r.side === "staff"
      ? { text: t("staff:card.to_queue"), callback_data: cb(MENU.queue) }
      : { text: t("head:back_to_queue"), callback_data: cb(HEAD.queue) },
  ]);
  return { text: p.text, keyboard: { inline_keyboard: rows } };
}

async function viewOf(ctx: AppContext): Promise<View> {
  return { t: ctx.t, lang: ctx.lang, names: await ctx.app.classifiers.names(ctx.lang) };
}

/** The reader of the pressed card, or null (and the person told) when they may not read it. */
async function reader(ctx: AppContext): Promise<{ r: CardReader; ids: string[] } | null> {
  const d = cbData(ctx);
  const id = d?.ids[0];
  if (!ctx.user || !d || !id) {
    await answer(ctx, ctx.t("staff:denied"), true);
    return null;
  }
  const r = await ctx.app.cards.open(id, ctx.user.id);
  if (!r) {
    await answer(ctx, ctx.t("staff:not_found"), true);
    return null;
  }
  return { r, ids: d.ids };
}

/** Show page `page` of the card (replacing the pressed message unless `fresh`). */
export async function showCard(ctx: AppContext, r: CardReader, page = 0, opts: { fresh?: boolean } = {}) {
  const v = await viewOf(ctx);
  const pages = await pagesFor(ctx, v, r);
  await show(ctx, cardPageScreen(v, r, pages, Math.min(Math.max(0, page), pages.length - 1)), opts);
}

const composer = new Composer<AppContext>();

composer.callbackQuery(cbPattern(V.cardPage), async (ctx) => {
  const got = await reader(ctx);
  if (!got) return;
  const v = await viewOf(ctx);
  const pages = await pagesFor(ctx, v, got.r);
  const raw = got.ids[1] ?? "0";
  const page = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(page) || page >= pages.length) {
    // a forged page, or the card got shorter since the button was drawn: the first page, and why
    await answer(ctx, ctx.t("staff:card.page_gone"), true);
    await show(ctx, cardPageScreen(v, got.r, pages, 0));
    return;
  }
  await answer(ctx);
  await show(ctx, cardPageScreen(v, got.r, pages, page));
});

composer.callbackQuery(cbPattern(V.pin), async (ctx) => {
  const got = await reader(ctx);
  if (!got) return;
  const card = got.r.view.card;
  const i = Number(got.ids[1]);
  const b = Number.isInteger(i) ? card.bases[i] : undefined;
  if (!b) return answer(ctx, ctx.t("staff:card.base_gone"), true);
  if (b.latitude === null || b.longitude === null) return answer(ctx, ctx.t("staff:card.no_coords"), true);
  await answer(ctx);
  const title = ctx.t("staff:card.pin_title", {
    n: i + 1,
    org: ctx.lang === "kk" ? card.org.nameKk : card.org.nameRu,
  });
  await ctx.replyWithVenue(b.latitude, b.longitude, title.slice(0, 128), (b.address || "—").slice(0, 256));
});

composer.callbackQuery(cbPattern(V.licence), async (ctx) => {
  const got = await reader(ctx);
  if (!got) return;
  const card = got.r.view.card;
  const i = Number(got.ids[1]);
  const l = Number.isInteger(i) ? card.licences[i] : undefined;
  if (!l) return answer(ctx, ctx.t("staff:card.licence_gone"), true);
  await answer(ctx);
  const v = await viewOf(ctx);
  const pages = await pagesFor(ctx, v, got.r);
  const back = Math.max(
    0,
    pages.findIndex((p) => p.parts.includes("licences")),
  );
  await show(
    ctx,
    {
      text: licenceLines(v, l).join("\n"),
      keyboard: new InlineKeyboard().text(ctx.t("staff:btn.back"), cb(V.cardPage, [card.id, back])),
    },
    { fresh: true },
  );
});

/** Send files as documents: albums of up to 10, one document alone; by file_id where Telegram still has it. */
async function sendDocuments(ctx: AppContext, v: View, files: CardFile[]) {
  for (let i = 0; i < files.length; i += ALBUM_MAX) {
    const chunk = files.slice(i, i + ALBUM_MAX);
    if (chunk.length === 1) {
      const f = chunk[0]!;
      const sent = await sendFile(
        ctx,
        { fileName: f.fileName, bytes: f.bytes ?? Buffer.alloc(0), telegramFileId: f.telegramFileId },
        fileCaption(v, f),
      );
      if (sent && sent !== f.telegramFileId) await ctx.app.cards.rememberTelegramId(f.id, sent);
      continue;
    }
    const media = (byId: boolean): InputMediaDocument[] =>
      chunk.map((f) => ({
        type: "document",
        media:
          byId && f.telegramFileId ? f.telegramFileId : new InputFile(f.bytes ?? Buffer.alloc(0), f.fileName),
        caption: clipHtml(fileCaption(v, f), CAPTION_LIMIT - 24),
        parse_mode: "HTML",
      }));
    let msgs: unknown;
    try {
      msgs = await ctx.replyWithMediaGroup(media(true));
    } catch (e) {
      // a file_id Telegram no longer accepts: upload the bytes of the whole album instead
      if (!(e instanceof GrammyError) || e.error_code !== 400 || chunk.some((f) => !f.bytes)) throw e;
      msgs = await ctx.replyWithMediaGroup(media(false));
    }
    if (Array.isArray(msgs))
      for (const [k, m] of msgs.entries()) {
        const f = chunk[k];
        const id = (m as { document?: { file_id?: string } }).document?.file_id;
        if (f && id && id !== f.telegramFileId) await ctx.app.cards.rememberTelegramId(f.id, id);
      }
  }
}

/** A second press of «Документы» within this window (a double tap) is answered, not sent again. */
export const DOCS_REPEAT_MS = 10_000;

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** When this chat was last sent an application's documents (a double tap sends them once). */
    cardDocs?: { app: string; at: number };
  }
}

composer.callbackQuery(cbPattern(V.docs), async (ctx) => {
  const got = await reader(ctx);
  if (!got) return;
  const now = ctx.app.clock.now().getTime();
  const last = ctx.session.cardDocs;
  if (last && last.app === got.r.view.card.id && now - last.at >= 0 && now - last.at < DOCS_REPEAT_MS)
    return answer(ctx, ctx.t("staff:docs.already_sent"));
  ctx.session.cardDocs = { app: got.r.view.card.id, at: now };
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document").catch(() => {});
  const v = await viewOf(ctx);
  const { files, missing } = await ctx.app.cards.files(got.r.view.card);
  if (!files.length && !missing.length) return tell(ctx, ctx.t("staff:docs.none"));
  if (files.length) await sendDocuments(ctx, v, files);
  if (missing.length) await ctx.reply(missingFilesText(v, missing), { parse_mode: "HTML" });
});

composer.callbackQuery(cbPattern(V.noticePdf), async (ctx) => {
  const got = await reader(ctx);
  if (!got) return;
  if (got.r.side !== "staff") return answer(ctx, ctx.t("staff:denied"), true);
  // a signed exclusion notice: the very PDF the approver signed, never a new rendering
  const signed = await ctx.app.cards.signedNotice(got.r.view.card);
  if (signed) {
    if (!signed.ok) return tell(ctx, ctx.t("staff:card.signed_notice_missing"));
    await answer(ctx);
    await ctx.replyWithChatAction("upload_document").catch(() => {});
    const sent = await sendFile(
      ctx,
      { fileName: signed.ref.fileName, bytes: signed.bytes, telegramFileId: signed.ref.telegramFileId },
      ctx.t("staff:card.signed_notice_caption", {
        who: escapeHtml(signed.signature.signerName ?? ctx.t("notify:someone")),
        at: fmtDateTime(signed.signature.signedAt),
        sha256: signed.ref.sha256,
      }),
    );
    if (sent && sent !== signed.ref.telegramFileId)
      await ctx.app.cards.rememberTelegramId(signed.ref.id, sent);
    return;
  }
  const doc = await ctx.app.documents.notice(got.r.view.card, ctx.lang);
  if (!doc) return answer(ctx, ctx.t("staff:card.no_notice"), true);
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document").catch(() => {});
  await ctx.replyWithDocument(new InputFile(doc.bytes, doc.fileName), {
    caption: clipHtml(ctx.t("staff:card.notice_caption", { sha256: doc.sha256 }), CAPTION_LIMIT - 24),
    parse_mode: "HTML",
  });
});

export const cardComposer = composer;
