// First contact, language, onboarding by invite deep link, the main menu, /help and /services.
import { Composer, InlineKeyboard } from "grammy";
import { isValidIinBin } from "../../domain/iin.ts";
import type { OrgRole, StaffRole } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { redeemInvite as storeRedeemInvite } from "../../prisma/store/users.ts";
import { cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml, isLang, type Lang, translator } from "../i18n.ts";
import { backToMenu, loadRoles, MENU, showMainMenu } from "../keyboards.ts";
import { askText, definePrompt } from "../../conversations/prompts.ts";
import type { Feature } from "./index.ts";

const LANG_VERB = "lang";
/** «Отмена» under the full-name question. */
const NAME_CANCEL = "nm.x";
/** The full-name prompt (conversations/prompts.ts). */
const FULL_NAME = "full_name";

export type RedeemResult =
  | {
      ok: true;
      org: { id: string; bin: string; nameKk: string; nameRu: string } | null;
      branch: { id: string; nameKk: string; nameRu: string } | null;
      orgRoles: OrgRole[];
      staffRoles: StaffRole[];
    }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/**
 * Redeem a one-time invite (store: one transaction, a conditional update, so a second redemption by anyone
 * finds nothing to claim) and load what the welcome message shows.
 */
export async function redeemInvite(
  prisma: PrismaClient,
  code: string,
  userId: string,
  now: Date,
): Promise<RedeemResult> {
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(code)) return { ok: false, reason: "unknown" };
  const r = await storeRedeemInvite(prisma, { code, userId, now });
  if (!r.ok) return { ok: false, reason: r.reason === "not_found" ? "unknown" : r.reason };
  const [org, branch] = await Promise.all([
    r.orgId
      ? prisma.organisation.findUnique({
          where: { id: r.orgId },
          select: { id: true, bin: true, nameKk: true, nameRu: true },
        })
      : null,
    r.branchId
      ? prisma.branch.findUnique({
          where: { id: r.branchId },
          select: { id: true, nameKk: true, nameRu: true },
        })
      : null,
  ]);
  return { ok: true, org, branch, orgRoles: r.orgRoles, staffRoles: r.staffRoles };
}

const languageKeyboard = () =>
  new InlineKeyboard().text("Қазақ тілі", cb(LANG_VERB, ["kk"])).text("Русский язык", cb(LANG_VERB, ["ru"]));

async function askLanguage(ctx: AppContext) {
  await ctx.reply(ctx.t("common:language.choose"), { reply_markup: languageKeyboard() });
}

function setLang(ctx: AppContext, lang: Lang) {
  ctx.lang = lang;
  ctx.t = translator(lang);
  ctx.session.lang = lang;
}

const pendingInvite = (ctx: AppContext): string | undefined => {
  const v = ctx.session.scratch?.pendingInvite;
  return typeof v === "string" ? v : undefined;
};

async function onboard(ctx: AppContext, code: string) {
  if (!ctx.user) return;
  const res = await redeemInvite(ctx.deps.prisma, code, ctx.user.id, ctx.deps.now());
  ctx.roles = undefined; // the invite may have granted roles: menus re-read them
  if (!res.ok) {
    await ctx.reply(ctx.t(`start:invite.${res.reason}`), { parse_mode: "HTML" });
    await showMainMenu(ctx);
    return;
  }
  const lines = [ctx.t("start:invite.welcome")];
  if (res.org) {
    const name = ctx.lang === "kk" ? res.org.nameKk : res.org.nameRu;
    lines.push(ctx.t("start:invite.org", { name: escapeHtml(name), bin: res.org.bin }));
    lines.push(ctx.t(isValidIinBin(res.org.bin) ? "start:invite.bin_ok" : "start:invite.bin_bad"));
  }
  if (res.branch) {
    lines.push(
      ctx.t("start:invite.branch", {
        name: escapeHtml(ctx.lang === "kk" ? res.branch.nameKk : res.branch.nameRu),
      }),
    );
  }
  const roles = [
    ...res.orgRoles.map((r) => ctx.t(`common:roles.${r}`)),
    ...res.staffRoles.map((r) => ctx.t(`common:roles.${r}`)),
  ];
  lines.push(ctx.t("start:invite.roles", { roles: roles.join(", ") }));
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
  await askNameOrMenu(ctx);
}

async function askNameOrMenu(ctx: AppContext) {
  const u = ctx.user
    ? await ctx.deps.prisma.user.findUnique({ where: { id: ctx.user.id }, select: { fullName: true } })
    : null;
  const roles = await loadRoles(ctx);
  if (!u?.fullName && (roles.org.length || roles.staff.length)) {
    await askText(ctx, { kind: FULL_NAME });
    await ctx.reply(ctx.t("start:name.ask"), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(ctx.t("start:name.cancel_button"), cb(NAME_CANCEL)),
    });
    return;
  }
  await showMainMenu(ctx);
}

const composer = new Composer<AppContext>();

// The user blocked (or unblocked) the bot: nothing to answer; deliveries to a blocked chat fail with 403
// and are dropped by the error boundary and the outbox.
composer.on("my_chat_member", (ctx) => {
  ctx.log.info({ status: ctx.myChatMember.new_chat_member.status }, "chat member status changed");
});

// Sessions saved before the short prompts became conversations (conversations/prompts.ts) may still carry their
// old `awaiting` marks; drop them so the person is not told "another answer is expected" forever.
const LEGACY_PROMPTS = new Set([
  "head_reject_reason",
  "staff_reason",
  "staff_note",
  "staff_ground",
  FULL_NAME,
]);
composer.use(async (ctx, next) => {
  const kind = ctx.session.awaiting?.kind;
  if (kind && LEGACY_PROMPTS.has(kind)) ctx.session.awaiting = undefined;
  await next();
});

// Language choice (works before a language is known).
composer.callbackQuery(cbPattern(LANG_VERB), async (ctx) => {
  const lang = cbData(ctx)?.ids[0];
  if (!isLang(lang)) {
    await ctx.answerCallbackQuery({ text: ctx.t("common:errors.stale_button") });
    return;
  }
  const first = !isLang(ctx.user?.language);
  setLang(ctx, lang);
  if (ctx.user) await ctx.deps.prisma.user.update({ where: { id: ctx.user.id }, data: { language: lang } });
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t("common:language.changed"));
  const code = pendingInvite(ctx);
  if (code) {
    ctx.session.scratch = { ...ctx.session.scratch, pendingInvite: undefined };
    await onboard(ctx, code);
    return;
  }
  if (first) await ctx.reply(ctx.t("start:welcome"), { parse_mode: "HTML" });
  await askNameOrMenu(ctx);
});

// No language yet: everything else waits for the choice (the invite code is kept for after it).
composer.use(async (ctx, next) => {
  if (isLang(ctx.session.lang) || isLang(ctx.user?.language) || !ctx.from) return next();
  const text = ctx.message?.text ?? "";
  const m = /^\/start(?:@\w+)?\s+(\S+)/.exec(text);
  if (m?.[1]) ctx.session.scratch = { ...ctx.session.scratch, pendingInvite: m[1] };
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await askLanguage(ctx);
});

composer.command("start", async (ctx) => {
  const code = ctx.match.trim();
  if (code) {
    await onboard(ctx, code);
    return;
  }
  await ctx.reply(ctx.t("start:welcome"), { parse_mode: "HTML" });
  await askNameOrMenu(ctx);
});

composer.command("language", askLanguage);
composer.callbackQuery(cbPattern(MENU.language), async (ctx) => {
  await ctx.answerCallbackQuery();
  await askLanguage(ctx);
});

composer.command("menu", (ctx) => showMainMenu(ctx));
composer.callbackQuery(cbPattern(MENU.menu), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showMainMenu(ctx, true);
});

async function help(ctx: AppContext) {
  const roles = await loadRoles(ctx);
  const parts = [ctx.t("start:help.intro")];
  if (roles.org.length) parts.push(ctx.t("start:help.supplier"));
  if (roles.org.some((r) => r.role === "HEAD" || r.role === "HEAD_ATTORNEY"))
    parts.push(ctx.t("start:help.head"));
  if (roles.staff.length) parts.push(ctx.t("start:help.staff"));
  if (!roles.org.length && !roles.staff.length) parts.push(ctx.t("start:help.no_roles"));
  parts.push(ctx.t("start:help.common"));
  await ctx.reply(parts.join("\n\n"), { parse_mode: "HTML", reply_markup: backToMenu(ctx.t) });
}
composer.command("help", help);
composer.callbackQuery(cbPattern(MENU.help), async (ctx) => {
  await ctx.answerCallbackQuery();
  await help(ctx);
});

// /services and the «Государственные услуги» menu button belong to bot/features/licensing.ts.

// The person's full name, asked after onboarding when the invite did not carry it (conversations/prompts.ts):
// letters, at least two words, 3–150 characters; saved to the user's row once, then the main menu.
definePrompt(FULL_NAME, {
  textOnly: "start:name.text_only",
  normalise: (text) => text.trim().replace(/\s+/g, " "),
  check: (name) =>
    name.length < 3 || name.length > 150 || !/^[\p{L}][\p{L}\p{M}' .-]*$/u.test(name) || !name.includes(" ")
      ? { key: "start:name.invalid" }
      : null,
  onAnswer: async (ctx, name) => {
    if (!ctx.user) return;
    await ctx.deps.prisma.user.update({ where: { id: ctx.user.id }, data: { fullName: name } });
    await ctx.reply(ctx.t("start:name.saved", { name: escapeHtml(name) }), { parse_mode: "HTML" });
    await showMainMenu(ctx);
  },
});

// «Отмена» under the question (pressing it has already left the prompt): the name can be given later (/start).
composer.callbackQuery(cbPattern(NAME_CANCEL), async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => {});
  await ctx.reply(ctx.t("start:name.later"), { parse_mode: "HTML" });
  await showMainMenu(ctx);
});

export const feature: Feature = { name: "start", composer };
