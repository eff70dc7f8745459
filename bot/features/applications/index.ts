// «Мои заявки» (seed 000 §1.2, issue 11 supplier side): the applications of the person's organisations, newest
// change first, with the seed's search filter («Найти» / «Сбросить параметры поиска»: status, region and period
// as buttons, the number typed); «Просмотр» with the whole application read-only and the actions the table allows
// (the drafts feature handles them); «Просмотр версий» opening that version's content.
// Opening the list costs the user read at the start of the update and ONE list statement.
import { Composer, InlineKeyboard } from "grammy";
import type { ListFilter } from "../../../app/index.ts";
import { normaliseNumber, PERIODS, type Period } from "../../../app/supplier.ts";
import { askText } from "../../../conversations/prompts.ts";
import { isSupplierSide } from "../../../domain/access.ts";
import { STATUSES, type Status } from "../../../domain/types.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import type { PromptSpec } from "../../kit/prompt.ts";
import { showLong } from "../../kit/send.ts";
import { answer, dropButtons, show } from "../../kit/ui.ts";
import { backToMenu } from "../menu/screens.ts";
import { MENU } from "../menu/verbs.ts";
import {
  detailScreen,
  filterScreen,
  listScreen,
  regionPicker,
  statusPicker,
  versionsScreen,
  type View,
} from "./screens.ts";
import { V } from "./verbs.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** «Мои заявки»: the filter being set (`f`) and the one applied by «Найти» (`q`). */
    apps?: { f?: ListFilter; q?: ListFilter };
  }
}

const PROMPT_NUMBER = "apps_number";
const CANCEL_NUMBER = "my.fnx";

const composer = new Composer<AppContext>();

async function view(ctx: AppContext): Promise<View> {
  return { t: ctx.t, lang: ctx.lang, names: await ctx.app.classifiers.names(ctx.lang) };
}

/** The filter being set, created on first use (reading it does not touch the session). */
const pending = (ctx: AppContext): ListFilter => {
  ctx.session.apps ??= {};
  ctx.session.apps.f ??= { ...(ctx.session.apps.q ?? {}) };
  return ctx.session.apps.f;
};

async function showList(ctx: AppContext, page: number) {
  await answer(ctx);
  if (!ctx.user || !isSupplierSide(ctx.memberships)) {
    await ctx.reply(ctx.t("applications:no_org"), { reply_markup: backToMenu(ctx.t) });
    return;
  }
  const filter = ctx.session.apps?.q;
  const p = await ctx.app.supplier.list({
    userId: ctx.user.id,
    memberships: ctx.memberships,
    page,
    ...(filter ? { filter } : {}),
  });
  await show(ctx, listScreen(await view(ctx), p, filter));
}

composer.command("applications", (ctx) => showList(ctx, 0));
composer.callbackQuery(cbPattern(MENU.applications), (ctx) => showList(ctx, 0));
composer.callbackQuery(cbPattern(V.list), (ctx) => {
  const n = Number.parseInt(cbData(ctx)?.ids[0] ?? "0", 10);
  return showList(ctx, Number.isFinite(n) ? n : 0);
});

// ───────────── «Просмотр» and «Просмотр версий» ─────────────

composer.callbackQuery(cbPattern(V.view), async (ctx) => {
  const id = cbData(ctx)?.ids[0];
  const s = id && ctx.user ? await ctx.app.supplier.open(id, ctx.user.id) : null;
  if (!s) return answer(ctx, ctx.t("applications:not_found"), true);
  await answer(ctx);
  await showLong(ctx, detailScreen(await view(ctx), s, await ctx.app.dashboard.deadlineOf(s.card)), {
    fresh: true,
  });
});

composer.callbackQuery(cbPattern(V.versions), async (ctx) => {
  const id = cbData(ctx)?.ids[0];
  const versions = id && ctx.user ? await ctx.app.supplier.versions(id, ctx.user.id) : [];
  if (!id || !versions.length) return answer(ctx, ctx.t("applications:not_found"), true);
  await answer(ctx);
  await show(ctx, versionsScreen(await view(ctx), versions), { fresh: true });
});

// ───────────── the search filter ─────────────

const showFilter = async (ctx: AppContext) => show(ctx, filterScreen(await view(ctx), pending(ctx)));

composer.callbackQuery(cbPattern(V.filter), async (ctx) => {
  await answer(ctx);
  await show(ctx, filterScreen(await view(ctx), pending(ctx)), { fresh: true });
});

composer.callbackQuery(cbPattern(V.status), async (ctx) => {
  await answer(ctx);
  const f = pending(ctx);
  const pick = cbData(ctx)?.ids[0];
  if (!pick) return show(ctx, statusPicker(await view(ctx), f.status));
  if (pick === "x") delete f.status;
  else if ((STATUSES as readonly string[]).includes(pick)) f.status = pick as Status;
  await showFilter(ctx);
});

composer.callbackQuery(cbPattern(V.region), async (ctx) => {
  await answer(ctx);
  const f = pending(ctx);
  const pick = cbData(ctx)?.ids[0];
  const regions = (await ctx.app.classifiers.get()).regions;
  if (!pick) return show(ctx, regionPicker(await view(ctx), regions, f.region));
  if (pick === "x") delete f.region;
  else if (regions.some((r) => r.code === pick)) f.region = pick;
  await showFilter(ctx);
});

composer.callbackQuery(cbPattern(V.period), async (ctx) => {
  await answer(ctx);
  const f = pending(ctx);
  const pick = cbData(ctx)?.ids[0];
  if (pick && (PERIODS as readonly string[]).includes(pick)) f.period = pick as Period;
  else delete f.period;
  await showFilter(ctx);
});

composer.callbackQuery(cbPattern(V.number), async (ctx) => {
  await answer(ctx);
  pending(ctx);
  await askText(ctx, { kind: PROMPT_NUMBER });
  await ctx.reply(ctx.t("applications:filter.ask_number"), {
    reply_markup: new InlineKeyboard().text(ctx.t("applications:filter.cancel"), cb(CANCEL_NUMBER)),
  });
});

composer.callbackQuery(cbPattern(CANCEL_NUMBER), async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await show(ctx, filterScreen(await view(ctx), pending(ctx)), { fresh: true });
});

composer.callbackQuery(cbPattern(V.find), async (ctx) => {
  const f = pending(ctx);
  ctx.session.apps = { q: { ...f } };
  await showList(ctx, 0);
});

composer.callbackQuery(cbPattern(V.reset), async (ctx) => {
  ctx.session.apps = undefined;
  await showList(ctx, 0);
});

const prompts: PromptSpec[] = [
  {
    // The number (or its beginning) of an application for the search filter.
    kind: PROMPT_NUMBER,
    text: "note",
    check: (text) => (normaliseNumber(text) ? [] : [{ code: "app_number_invalid" }]),
    onAnswer: async (ctx, text) => {
      const f = pending(ctx);
      f.number = normaliseNumber(text) ?? undefined;
      if (!f.number) delete f.number;
      await show(ctx, filterScreen(await view(ctx), f), { fresh: true });
    },
  },
];

export const feature: Feature = {
  name: "applications",
  composer,
  verbs: { verbs: [...Object.values(V), CANCEL_NUMBER, MENU.applications] },
  prompts,
  commands: [{ command: "applications", for: isSupplierSide }],
  onCancel: (ctx) => {
    if (ctx.session.apps) ctx.session.apps.f = undefined;
  },
};
