// The main menu, /help and the language: shared entry points of every role.
import { Composer, InlineKeyboard } from "grammy";
import { isSigner, isStaff, isSupplierSide } from "../../../domain/access.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern, defineVerbs } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { isLang, type Lang, translator } from "../../kit/i18n.ts";
import { answer, show } from "../../kit/ui.ts";
import { backToMenu, showMainMenu } from "./screens.ts";
import { MENU } from "./verbs.ts";

export const LANG = defineVerbs({ choose: "lang" });

export const languageKeyboard = () =>
  new InlineKeyboard()
    .text("Қазақ тілі", cb(LANG.choose, ["kk"]))
    .text("Русский язык", cb(LANG.choose, ["ru"]));

export async function askLanguage(ctx: AppContext): Promise<void> {
  await answer(ctx);
  await ctx.reply(ctx.t("common:language.choose"), { reply_markup: languageKeyboard() });
}

/** Use `lang` from now on (this update, the session, the user's row, the chat's command menu). */
export async function setLanguage(ctx: AppContext, lang: Lang): Promise<void> {
  ctx.lang = lang;
  ctx.t = translator(lang);
  ctx.session.lang = lang;
  if (ctx.user) {
    await ctx.app.people.setLanguage(ctx.user.id, lang);
    ctx.user = { ...ctx.user, language: lang };
  }
  await ctx.refreshCommands();
}

async function help(ctx: AppContext) {
  await answer(ctx);
  const m = ctx.memberships;
  const parts = [ctx.t("start:help.intro")];
  if (isSupplierSide(m)) parts.push(ctx.t("start:help.supplier"));
  if (isSigner(m)) parts.push(ctx.t("start:help.head"));
  if (isStaff(m)) parts.push(ctx.t("start:help.staff"));
  if (m.staff.some((s) => s.role === "MANAGER")) parts.push(ctx.t("start:help.manager"));
  if (!m.org.length && !m.staff.length) parts.push(ctx.t("start:help.no_roles"));
  parts.push(ctx.t("start:help.common"));
  await ctx.reply(parts.join("\n\n"), { parse_mode: "HTML", reply_markup: backToMenu(ctx.t) });
}

const composer = new Composer<AppContext>();

composer.command("menu", (ctx) => showMainMenu(ctx));
composer.callbackQuery(cbPattern(MENU.menu), async (ctx) => {
  await answer(ctx);
  await showMainMenu(ctx, true);
});
composer.command("help", help);
composer.callbackQuery(cbPattern(MENU.help), help);
composer.command("language", askLanguage);
composer.callbackQuery(cbPattern(MENU.language), askLanguage);

/** A language chosen from the menu (the first choice is handled by the start feature, before this one). */
composer.callbackQuery(cbPattern(LANG.choose), async (ctx) => {
  const lang = cbData(ctx)?.ids[0];
  if (!isLang(lang)) return answer(ctx, ctx.t("common:errors.stale_button"), true);
  await setLanguage(ctx, lang);
  await answer(ctx);
  await show(ctx, { text: ctx.t("common:language.changed") });
  await showMainMenu(ctx);
});

export const feature: Feature = {
  name: "menu",
  composer,
  verbs: {
    verbs: [
      ...Object.values(MENU).filter((v) => v === MENU.menu || v === MENU.help || v === MENU.language),
      LANG.choose,
    ],
  },
  commands: [{ command: "menu" }, { command: "language" }, { command: "help" }, { command: "cancel" }],
};
