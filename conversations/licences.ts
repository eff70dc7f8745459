// DECISIONS 1 in the chat: the licences must have been fetched within 24 hours. When they are older, the person is
// told the request is «В обработке» (with «печатает…» while the registry answers), then «Обработан» with the count,
// or «Ошибка обработки» with a retry button.
import { InlineKeyboard } from "grammy";
import type { DraftLicenceRow } from "../app/drafts.ts";
import type { AppContext } from "../bot/context.ts";
import { draftOf, refused, type Wizard, wcb } from "./wizard/core.ts";
import { readProgress } from "./wizard/progress.ts";

/** The slow part: the request through the registry, with the chat action shown meanwhile. */
async function request(ctx: AppContext, orgId: string, retryData: string): Promise<DraftLicenceRow[] | null> {
  if (!ctx.user) return null;
  await ctx.reply(ctx.t("drafts:licences_requested"));
  await ctx.replyWithChatAction("typing").catch(() => {});
  const r = await ctx.app.drafts.licences.refresh(orgId, ctx.user.id);
  if (!r.ok) {
    await ctx.reply(ctx.t("drafts:licences_failed"), {
      reply_markup: new InlineKeyboard().text(ctx.t("drafts:btn.retry"), retryData),
    });
    return null;
  }
  return r.pool;
}

/**
 * The organisation's displayable licences, fetched within 24 h (requested now when older); null when the request
 * failed or nothing can be offered (the person was told).
 */
export async function ensureFreshLicences(
  ctx: AppContext,
  orgId: string,
  retryData: string,
  back?: InlineKeyboard,
): Promise<DraftLicenceRow[] | null> {
  const now = await ctx.app.drafts.licences.check(orgId);
  if (now.fresh) return now.pool;
  const pool = await request(ctx, orgId, retryData);
  if (!pool) return null;
  if (!pool.length) {
    await ctx.reply(ctx.t("drafts:licences_none"), back ? { reply_markup: back } : {});
    return null;
  }
  await ctx.reply(ctx.t("drafts:licences_ready", { count: pool.length }));
  return pool;
}

/** «Получить лицензии» on the summary: the request, then D1 drawn again; the line to show above the summary. */
export async function licencesRefreshed(w: Wizard): Promise<string | null> {
  const ctx = w.ctx;
  if (!ctx.user) return null;
  const pool = await request(ctx, draftOf(w).orgId, wcb(w, "lic"));
  if (!pool) return null;
  const fresh = await ctx.app.drafts.load(draftOf(w).id, ctx.user.id);
  if (!fresh) return null;
  const r = await ctx.app.drafts.syncD1(fresh);
  if (!r.ok) {
    await refused(ctx, r);
    return null;
  }
  w.view = r.view;
  w.p = readProgress(r.view.draft.progress);
  return ctx.t("drafts:licences_ready", { count: pool.length });
}
