// «Мои электронные лицензии» (seed 000 §1.1, SPEC §2; issue 14 «Licence fetch»): «Все лицензии» (display
// filter), «Запросы по лицензиям» (every request with its status and dates), «Получить лицензии» for the own
// BIN and every linked BIN: the press is answered once, the requests run (chat action «typing»), their results
// replace the «В обработке» message and the list is redrawn with the same counts. A licence with its appendices;
// the appendix as a file. For «Поставщик» + «Администратор организации» (G1).
import { Composer } from "grammy";
import { isSupplierAdmin } from "../../../domain/access.ts";
import type { AppContext } from "../../context.ts";
import { cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { escapeHtml } from "../../kit/html.ts";
import { sendFile, showLong } from "../../kit/send.ts";
import { answer, show, tell } from "../../kit/ui.ts";
import { firstError } from "../../views/labels.ts";
import { backToMenu } from "../menu/screens.ts";
import { MENU } from "../menu/verbs.ts";
import { allScreen, licenceScreen, requestsScreen, resultsScreen, type View } from "./screens.ts";
import { V } from "./verbs.ts";

const composer = new Composer<AppContext>();

async function view(ctx: AppContext): Promise<View> {
  return {
    t: ctx.t,
    lang: ctx.lang,
    names: await ctx.app.classifiers.names(ctx.lang),
    value: (field, value) => ctx.app.licences.value(field, value, ctx.lang),
  };
}

/** The organisation whose licences the person manages, or null (and the person told). */
async function orgOf(ctx: AppContext): Promise<string | null> {
  const orgId = isSupplierAdmin(ctx.memberships) ? ctx.app.licences.orgOf(ctx.memberships) : null;
  if (!orgId) {
    if (ctx.callbackQuery) await answer(ctx, ctx.t("licences:not_allowed"), true);
    else await ctx.reply(ctx.t("licences:not_allowed"), { reply_markup: backToMenu(ctx.t) });
  }
  return orgId;
}

async function showAll(ctx: AppContext, opts: { fresh?: boolean } = {}) {
  const orgId = await orgOf(ctx);
  if (!orgId) return;
  const s = await ctx.app.licences.screen(orgId);
  if (!s) return tell(ctx, ctx.t("errors:org_not_found"));
  await answer(ctx);
  await show(ctx, allScreen(await view(ctx), s), opts);
}

composer.command("licences", (ctx) => showAll(ctx));
composer.callbackQuery(cbPattern(MENU.licences), (ctx) => showAll(ctx));
composer.callbackQuery(cbPattern(V.list), (ctx) => showAll(ctx));

composer.callbackQuery(cbPattern(V.requests), async (ctx) => {
  const orgId = await orgOf(ctx);
  if (!orgId) return;
  const requests = await ctx.app.licences.requests(orgId);
  await answer(ctx);
  await show(ctx, requestsScreen(await view(ctx), requests));
});

/**
 * «Получить лицензии»: the requests are started (fast: the rule and «one running request per BIN» are checked),
 * the press is answered ONCE (a toast, or why nothing started), then the requests run (chat action «typing»);
 * the pressed screen is redrawn as the refreshed list and the results per BIN follow, with the same counts.
 */
composer.callbackQuery(cbPattern(V.get), async (ctx) => {
  const orgId = await orgOf(ctx);
  if (!orgId || !ctx.user) return;
  const bin = cbData(ctx)?.ids[0];
  const started = await ctx.app.licences.start({
    orgId,
    userId: ctx.user.id,
    ...(bin ? { bins: [bin] } : {}),
  });
  if (!started.ok) return answer(ctx, firstError(ctx.t, started.errors), true);
  await answer(ctx, ctx.t("licences:started_toast", { status: ctx.t("licences:request_status.PROCESSING") }));
  await ctx.replyWithChatAction("typing");
  const results = await ctx.app.licences.run(started.requests);
  const v = await view(ctx);
  // the pressed screen becomes the refreshed list; the results arrive below it
  const s = await ctx.app.licences.screen(orgId);
  if (s) await show(ctx, allScreen(v, s));
  await show(ctx, resultsScreen(v, results), { fresh: true });
});

composer.callbackQuery(cbPattern(V.view), async (ctx) => {
  const orgId = await orgOf(ctx);
  const id = cbData(ctx)?.ids[0];
  if (!orgId) return;
  const l = id ? await ctx.app.licences.licence(orgId, id) : null;
  if (!l) return answer(ctx, ctx.t("licences:not_found"), true);
  await answer(ctx);
  await showLong(ctx, licenceScreen(await view(ctx), l), { fresh: true });
});

composer.callbackQuery(cbPattern(V.appendix), async (ctx) => {
  const orgId = await orgOf(ctx);
  const id = cbData(ctx)?.ids[0];
  if (!orgId) return;
  const a = id ? await ctx.app.licences.appendix(orgId, id, ctx.lang) : null;
  if (!a) return answer(ctx, ctx.t("licences:not_found"), true);
  if (a.kind === "missing")
    return tell(ctx, ctx.t("licences:appendix_missing", { number: escapeHtml(a.number) }));
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document");
  const caption = ctx.t("licences:appendix_caption", {
    number: escapeHtml(a.number),
    licence: escapeHtml(a.licence.number),
  });
  if (a.kind === "stored") await sendFile(ctx, { ...a.ref, bytes: a.bytes }, caption);
  else await sendFile(ctx, { fileName: a.doc.fileName, bytes: a.doc.bytes }, caption);
});

export const feature: Feature = {
  name: "licences",
  composer,
  verbs: { verbs: [...Object.values(V), MENU.licences] },
  commands: [{ command: "licences", for: isSupplierAdmin }],
};
