// First contact, the first language choice, onboarding by invite deep link (`/start <code>`), the full name.
import { Composer, InlineKeyboard } from "grammy";
import { isValidIinBin } from "../../../domain/iin.ts";
import { askText } from "../../../conversations/prompts.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern, defineVerbs } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { nameIn } from "../../kit/format.ts";
import { escapeHtml } from "../../kit/html.ts";
import { isLang } from "../../kit/i18n.ts";
import type { PromptSpec } from "../../kit/prompt.ts";
import { answer, dropButtons, show } from "../../kit/ui.ts";
import { firstError, roleLabel } from "../../views/labels.ts";
import { askLanguage, LANG, setLanguage } from "../menu/index.ts";
import { showMainMenu } from "../menu/screens.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** An invite code sent before the language was chosen: redeemed right after the choice. */
    pendingInvite?: string;
  }
}

const V = defineVerbs({ nameCancel: "nm.x" });
const FULL_NAME = "full_name";

async function onboard(ctx: AppContext, code: string) {
  if (!ctx.user) return;
  const res = await ctx.app.people.redeemInvite(code, ctx.user.id);
  if (!res.ok) {
    await ctx.reply(ctx.t(`start:invite.${res.reason}`), { parse_mode: "HTML" });
    await showMainMenu(ctx);
    return;
  }
  // The invite granted roles (and may carry the name): the menus and the command list follow them from now on.
  ctx.memberships = await ctx.app.people.memberships(ctx.user.id);
  if (res.fullName && !ctx.user.fullName) ctx.user = { ...ctx.user, fullName: res.fullName };
  const lines = [ctx.t("start:invite.welcome")];
  if (res.org) {
    lines.push(ctx.t("start:invite.org", { name: escapeHtml(nameIn(ctx.lang, res.org)), bin: res.org.bin }));
    lines.push(ctx.t(isValidIinBin(res.org.bin) ? "start:invite.bin_ok" : "start:invite.bin_bad"));
  }
  if (res.branch)
    lines.push(ctx.t("start:invite.branch", { name: escapeHtml(nameIn(ctx.lang, res.branch)) }));
  const roles = [...res.orgRoles, ...res.staffRoles].map((r) => roleLabel(ctx.t, r));
  lines.push(ctx.t("start:invite.roles", { roles: roles.join(", ") }));
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
  await ctx.refreshCommands();
  await askNameOrMenu(ctx);
}

async function askNameOrMenu(ctx: AppContext) {
  const m = ctx.memberships;
  if (!ctx.user?.fullName && (m.org.length || m.staff.length)) {
    await askText(ctx, { kind: FULL_NAME });
    await ctx.reply(ctx.t("start:name.ask"), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(ctx.t("start:name.cancel_button"), cb(V.nameCancel)),
    });
    return;
  }
  await showMainMenu(ctx);
}

const composer = new Composer<AppContext>();

// The user blocked (or unblocked) the bot: nothing to answer; the outbox drops deliveries to a blocked chat.
composer.on("my_chat_member", (ctx) => {
  ctx.log.info({ status: ctx.myChatMember.new_chat_member.status }, "chat member status changed");
});

// The first language choice: then the invite kept from before it, or the welcome.
composer.callbackQuery(cbPattern(LANG.choose), async (ctx, next) => {
  if (isLang(ctx.user?.language)) return next();
  const lang = cbData(ctx)?.ids[0];
  if (!isLang(lang)) return answer(ctx, ctx.t("common:errors.stale_button"), true);
  await setLanguage(ctx, lang);
  await answer(ctx);
  await show(ctx, { text: ctx.t("common:language.changed") });
  const code = ctx.session.pendingInvite;
  if (code) {
    ctx.session.pendingInvite = undefined;
    return onboard(ctx, code);
  }
  await ctx.reply(ctx.t("start:welcome"), { parse_mode: "HTML" });
  await askNameOrMenu(ctx);
});

// No language yet: everything else waits for the choice (an invite code is kept for after it).
composer.use(async (ctx, next) => {
  if (isLang(ctx.session.lang) || isLang(ctx.user?.language) || !ctx.from) return next();
  const m = /^\/start(?:@\w+)?\s+(\S+)/.exec(ctx.message?.text ?? "");
  if (m?.[1]) ctx.session.pendingInvite = m[1];
  await askLanguage(ctx);
});

composer.command("start", async (ctx) => {
  const code = ctx.match.trim();
  if (code) return onboard(ctx, code);
  await ctx.reply(ctx.t("start:welcome"), { parse_mode: "HTML" });
  await ctx.refreshCommands();
  await askNameOrMenu(ctx);
});

// «Отмена» under the question (pressing it has already left the prompt): the name can be given later (/start).
composer.callbackQuery(cbPattern(V.nameCancel), async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("start:name.later"), { parse_mode: "HTML" });
  await showMainMenu(ctx);
});

const prompts: PromptSpec[] = [
  {
    // The person's full name, asked after onboarding when the invite did not carry it.
    kind: FULL_NAME,
    text: "name",
    textOnly: "start:name.text_only",
    problemKey: "start:name.invalid",
    check: (name) =>
      name.split(" ").length < 2 || !/^[\p{L}][\p{L}\p{M}' .-]*$/u.test(name)
        ? [{ code: "name_invalid" }]
        : [],
    onAnswer: async (ctx, name) => {
      if (!ctx.user) return;
      const r = await ctx.app.people.setFullName(ctx.user.id, name);
      if (!r.ok) {
        await ctx.reply(firstError(ctx.t, r.errors));
        return;
      }
      ctx.user = { ...ctx.user, fullName: r.name };
      await ctx.reply(ctx.t("start:name.saved", { name: escapeHtml(r.name) }), { parse_mode: "HTML" });
      await showMainMenu(ctx);
    },
  },
];

export const feature: Feature = {
  name: "start",
  composer,
  verbs: { verbs: [V.nameCancel] },
  prompts,
  commands: [{ command: "start" }],
};
