// The register for Fund staff (seed 000 §7, issue 11): the branch's applications in the register (included, or
// with an exclusion under way), searched by BIN/IIN or a part of the name («Найти», or `/find <BIN or name>`),
// in keyset pages; a row opens the staff card (the staff feature's verb), where «Исключить из БД» is offered
// when the table allows it. Only the regions of the person's own branches are read: another branch's
// application is never found. The search text lives in the session; the buttons carry only the page cursor.
import { Composer, InlineKeyboard } from "grammy";
import { normaliseQuery } from "../../../app/register.ts";
import { askText } from "../../../conversations/prompts.ts";
import { isStaff } from "../../../domain/access.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import type { PromptSpec } from "../../kit/prompt.ts";
import { answer, dropButtons, show } from "../../kit/ui.ts";
import { MENU } from "../menu/verbs.ts";
import { type RegisterPos, registerPosOf, registerScreen } from "./screens.ts";
import { V } from "./verbs.ts";

declare module "../../kit/session.ts" {
  interface SessionSlots {
    /** The register's search applied («Найти»): the tidied text. */
    register?: { q?: string };
  }
}

const PROMPT_QUERY = "register_query";

const composer = new Composer<AppContext>();

async function showRegister(ctx: AppContext, at: RegisterPos, opts: { fresh?: boolean } = {}) {
  await answer(ctx);
  const read = (pos: RegisterPos) =>
    ctx.app.register.page({
      memberships: ctx.memberships,
      query: ctx.session.register?.q ?? null,
      ...(pos.cursor ? (pos.dir === "p" ? { before: pos.cursor } : { after: pos.cursor }) : {}),
    });
  let pos = at;
  let r = await read(pos);
  // A page past the end (the rows left the register meanwhile, or a forged cursor): the first page instead.
  if (pos.cursor && !r.items.length) {
    pos = { page: 0 };
    r = await read(pos);
  }
  const names = await ctx.app.classifiers.names(ctx.lang);
  await show(ctx, registerScreen({ t: ctx.t, lang: ctx.lang, names }, r, pos), opts);
}

/** Apply a typed search (already checked) and show its first page as a new message. */
async function search(ctx: AppContext, text: string) {
  const q = normaliseQuery(text);
  if (!q) {
    await ctx.reply(ctx.t("register:query_invalid"));
    return;
  }
  ctx.session.register = { q };
  await showRegister(ctx, { page: 0 }, { fresh: true });
}

const staffOnly = async (ctx: AppContext) => {
  await answer(ctx, ctx.t("register:staff_only"), !!ctx.callbackQuery);
  if (!ctx.callbackQuery) await ctx.reply(ctx.t("register:staff_only"));
};

/** The whole register, from the top: a search applied earlier is dropped. */
const openRegister = (ctx: AppContext) => {
  if (ctx.session.register) ctx.session.register = undefined;
  return showRegister(ctx, { page: 0 });
};

composer.command("register", openRegister);
composer.command("find", async (ctx) => {
  if (!isStaff(ctx.memberships)) return staffOnly(ctx);
  const typed = ctx.match.trim();
  if (!typed) {
    await askText(ctx, { kind: PROMPT_QUERY });
    await ctx.reply(ctx.t("register:ask"), {
      reply_markup: new InlineKeyboard().text(ctx.t("register:btn.cancel"), cb(V.cancel)),
    });
    return;
  }
  await search(ctx, typed);
});
composer.callbackQuery(cbPattern(MENU.register), openRegister);
composer.callbackQuery(cbPattern(V.list), (ctx) => showRegister(ctx, { page: 0 }));
composer.callbackQuery(cbPattern(V.page), (ctx) => showRegister(ctx, registerPosOf(cbData(ctx)?.ids ?? [])));

composer.callbackQuery(cbPattern(V.find), async (ctx) => {
  if (!isStaff(ctx.memberships)) return staffOnly(ctx);
  await answer(ctx);
  await askText(ctx, { kind: PROMPT_QUERY });
  await ctx.reply(ctx.t("register:ask"), {
    reply_markup: new InlineKeyboard().text(ctx.t("register:btn.cancel"), cb(V.cancel)),
  });
});

composer.callbackQuery(cbPattern(V.reset), async (ctx) => {
  ctx.session.register = undefined;
  await showRegister(ctx, { page: 0 });
});

/** «Отмена» under the question (pressing it has already left the prompt): back to the register as it was. */
composer.callbackQuery(cbPattern(V.cancel), async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await showRegister(ctx, { page: 0 }, { fresh: true });
});

const prompts: PromptSpec[] = [
  {
    // The register's search: a BIN/IIN (or its first digits) or a part of the name.
    kind: PROMPT_QUERY,
    text: "note",
    problemKey: "register:query_invalid",
    check: (text) => (normaliseQuery(text) ? [] : [{ code: "register_query_invalid" }]),
    onAnswer: (ctx, text) => search(ctx, text),
  },
];

export const feature: Feature = {
  name: "register",
  composer,
  verbs: { verbs: [...Object.values(V), MENU.register] },
  prompts,
  commands: [
    { command: "register", for: isStaff },
    { command: "find", for: isStaff },
  ],
  onCancel: (ctx) => {
    ctx.session.register = undefined;
  },
};
