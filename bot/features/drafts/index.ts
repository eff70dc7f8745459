// «Создать заявку» and the drafts (SPEC §3, T1–T5, T20; DECISIONS 1, 8, 25, 26, 28): create (G1, M6, fresh
// licences, pre-filled from the organisation's previous application), the wizard (conversations/), the list, the
// view (read-only to whoever may not edit), continue (the author only), delete with confirmation (T3), the form PDF
// (T4), sending to the head (T5: a form older than the last edit is refused, with the button to make it again),
// «Внести изменение» (T20). The buttons come from the transition table (allowedActions → views/actions.ts).
// /cancel is global (createBot): it leaves the wizard; the draft stays in «Проект».
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { DraftView } from "../../../app/drafts.ts";
import { AP, draftActions, WIZARD_PREFIX } from "../../../conversations/drafts.ts";
import { ensureFreshLicences } from "../../../conversations/licences.ts";
import { readOnlyText } from "../../../conversations/summary.ts";
import { wizardOf } from "../../../conversations/wizard/core.ts";
import {
  editRefusal,
  handleWizardCallback,
  handleWizardInput,
  leave,
  openWizard,
  resumeWizard,
  WIZARD_AWAITING,
} from "../../../conversations/wizard/engine.ts";
import { startProgress } from "../../../conversations/wizard/progress.ts";
import { errorLines } from "../../../conversations/wizard/validate.ts";
import { isSupplierAdmin, isSupplierSide, supplierAdminOrgs } from "../../../domain/access.ts";
import { decide } from "../../../domain/stateMachine.ts";
import type { Action, DomainError } from "../../../domain/types.ts";
import type { AppContext } from "../../context.ts";
import { cb, cbData, cbPattern } from "../../kit/callbacks.ts";
import type { Feature } from "../../kit/feature.ts";
import { fmtDate, nameIn } from "../../kit/format.ts";
import { answer, show, tell } from "../../kit/ui.ts";
import { errorText, statusLabel } from "../../views/labels.ts";
import { backToMenu } from "../menu/screens.ts";
import { MENU } from "../menu/verbs.ts";

const composer = new Composer<AppContext>();

const reply = (ctx: AppContext, text: string, kb?: InlineKeyboard) =>
  ctx.reply(text, { parse_mode: "HTML", ...(kb ? { reply_markup: kb } : {}) });

const rows = (ctx: AppContext, v: DraftView) => ({
  inline_keyboard: draftActions(ctx.t, v.draft, v.actions),
});

// ───────────── create (T1) ─────────────

async function askCreate(ctx: AppContext) {
  await answer(ctx);
  if (!isSupplierAdmin(ctx.memberships))
    return void (await reply(ctx, ctx.t("drafts:forbidden_create"), backToMenu(ctx.t)));
  await reply(
    ctx,
    ctx.t("drafts:m6"),
    new InlineKeyboard()
      .text(ctx.t("drafts:btn.create"), cb(AP.create))
      .row()
      .text(ctx.t("drafts:btn.cancel"), cb(MENU.menu)),
  );
}

async function create(ctx: AppContext) {
  await answer(ctx);
  const orgId = supplierAdminOrgs(ctx.memberships)[0];
  if (!orgId || !ctx.user)
    return void (await reply(ctx, ctx.t("drafts:forbidden_create"), backToMenu(ctx.t)));
  const pool = await ensureFreshLicences(ctx, orgId, cb(AP.create), backToMenu(ctx.t));
  if (!pool) return;
  const r = await ctx.app.drafts.create(ctx.user.id, ctx.memberships, (p) => startProgress(p));
  if (!r.ok) return void (await refusedLines(ctx, r.errors));
  const note = r.prefilledFrom
    ? ctx.t("drafts:created_prefilled", {
        no: r.prefilledFrom.versionNo,
        date: fmtDate(r.prefilledFrom.createdAt),
      })
    : ctx.t("drafts:created");
  await resumeWizard(ctx, r.id, { note });
}

async function refusedLines(ctx: AppContext, errors: DomainError[]) {
  const names = await ctx.app.classifiers.names(ctx.lang);
  await reply(
    ctx,
    errorLines(ctx, errors, names).join("\n") || errorText(ctx.t, errors[0]),
    backToMenu(ctx.t),
  );
}

// ───────────── list / view ─────────────

async function list(ctx: AppContext) {
  await answer(ctx);
  if (!ctx.user || !isSupplierSide(ctx.memberships))
    return void (await reply(ctx, ctx.t("drafts:no_org"), backToMenu(ctx.t)));
  const items = await ctx.app.drafts.list(ctx.user.id, ctx.memberships);
  const kb = new InlineKeyboard();
  for (const a of items)
    kb.text(
      ctx.t("drafts:list_item", {
        date: fmtDate(a.createdAt),
        region: a.regionNameRu ? nameIn(ctx.lang, { nameKk: a.regionNameKk, nameRu: a.regionNameRu }) : "—",
        status: statusLabel(ctx.t, a.status),
        no: a.versionNo,
      }) + (a.saved ? "" : ` · ${ctx.t("drafts:unsaved_mark")}`),
      cb(AP.view, [a.id]),
    ).row();
  if (isSupplierAdmin(ctx.memberships)) kb.text(ctx.t("drafts:btn.new"), cb(MENU.newApplication)).row();
  kb.text(ctx.t("drafts:btn.menu"), cb(MENU.menu));
  await show(
    ctx,
    { text: items.length ? ctx.t("drafts:list_title") : ctx.t("drafts:list_empty"), keyboard: kb },
    { fresh: true },
  );
}

/** The application read-only, with the buttons the table allows this person (continue only for its author). */
async function showView(ctx: AppContext, v: DraftView, header?: string) {
  const w = await wizardOf(ctx, v);
  const text = `${header ? `${header}\n\n` : ""}${readOnlyText(w)}`;
  await show(ctx, { text, keyboard: rows(ctx, v) }, { fresh: true });
}

async function view(ctx: AppContext) {
  await answer(ctx);
  const id = cbData(ctx)?.ids[0];
  const v = id && ctx.user ? await ctx.app.drafts.load(id, ctx.user.id) : null;
  if (!v) return void (await reply(ctx, ctx.t("drafts:not_found"), backToMenu(ctx.t)));
  await showView(ctx, v);
}

/** The application of an `ap.*:<id>@<v>` button as this person sees it now, if the version is still that one. */
async function target(ctx: AppContext): Promise<DraftView | null> {
  const d = cbData(ctx);
  const v = d?.ids[0] && ctx.user ? await ctx.app.drafts.load(d.ids[0], ctx.user.id) : null;
  if (!v) {
    await tell(ctx, ctx.t("drafts:not_found"));
    return null;
  }
  if (d?.version !== v.draft.version) {
    await tell(ctx, ctx.t("wizard:stale"));
    return null;
  }
  return v;
}

/** The table's reason an action is not offered to this person now. */
function whyNot(v: DraftView, action: Action): DomainError {
  const r = decide(v.facts.snapshot, action, v.facts.actor, { confirmed: true, patch: {} });
  return r.ok ? { code: "confirmation_required" } : (r.errors[0] ?? { code: "forbidden_role" });
}

async function cont(ctx: AppContext) {
  const v = await target(ctx);
  if (!v) return;
  await answer(ctx);
  const w = await wizardOf(ctx, v);
  const refusal = editRefusal(w);
  // DECISIONS 25: only the author edits; anyone else of the organisation reads it
  if (refusal) return showView(ctx, v, refusal);
  await openWizard(w);
}

// ───────────── delete (T3) ─────────────

async function askDelete(ctx: AppContext) {
  const v = await target(ctx);
  if (!v) return;
  if (!v.actions.includes("DELETE")) return tell(ctx, errorText(ctx.t, whyNot(v, "DELETE")));
  await answer(ctx);
  await reply(
    ctx,
    ctx.t("drafts:delete_confirm"),
    new InlineKeyboard()
      .text(ctx.t("drafts:btn.delete_yes"), cb(AP.delYes, [v.draft.id], v.draft.version))
      .text(ctx.t("drafts:btn.delete_no"), cb(AP.view, [v.draft.id])),
  );
}

async function doDelete(ctx: AppContext) {
  const v = await target(ctx);
  if (!v) return;
  const r = await ctx.app.drafts.delete(v);
  if (!r.ok) return tell(ctx, r.kind === "denied" ? errorText(ctx.t, r.errors[0]) : ctx.t("wizard:stale"));
  await answer(ctx);
  leave(ctx, v.draft.id);
  await reply(ctx, ctx.t("drafts:deleted"), new InlineKeyboard().text(ctx.t("drafts:btn.list"), cb(AP.list)));
}

// ───────────── T4: the application form ─────────────

async function form(ctx: AppContext) {
  const v = await target(ctx);
  if (!v) return;
  if (!v.actions.includes("GENERATE_FORM")) return tell(ctx, errorText(ctx.t, whyNot(v, "GENERATE_FORM")));
  await answer(ctx);
  await ctx.replyWithChatAction("upload_document").catch(() => {});
  const r = await ctx.app.drafts.generateForm(v, ctx.lang);
  if (!r.ok) return tell(ctx, r.kind === "denied" ? errorText(ctx.t, r.errors[0]) : ctx.t("wizard:stale"));
  await ctx.replyWithDocument(new InputFile(r.pdf.bytes, r.pdf.fileName), {
    caption: ctx.t("drafts:form_caption", { sha: r.pdf.sha256.slice(0, 16) }),
    parse_mode: "HTML",
    reply_markup: rows(ctx, r.view),
  });
}

// ───────────── T5: send to the head ─────────────

/** DECISIONS 26: the form is older than the last edit: say so, with the button to make it again. */
async function formStale(ctx: AppContext, v: DraftView, code: "form_stale" | "form_not_generated") {
  await answer(ctx);
  const kb = new InlineKeyboard();
  if (v.actions.includes("GENERATE_FORM"))
    kb.text(ctx.t("drafts:btn.form_again"), cb(AP.form, [v.draft.id], v.draft.version));
  await reply(ctx, ctx.t(`errors:${code}`), kb);
}

async function send(ctx: AppContext) {
  const d = cbData(ctx);
  const v = d?.ids[0] && ctx.user ? await ctx.app.drafts.load(d.ids[0], ctx.user.id) : null;
  if (!v) return tell(ctx, ctx.t("drafts:not_found"));
  if (d?.version !== v.draft.version) {
    // the button was drawn before a later edit: a stale form is the reason worth telling
    const why = decide(v.facts.snapshot, "SEND_TO_HEAD", v.facts.actor, {});
    if (!why.ok && why.errors.some((e) => e.code === "form_stale")) return formStale(ctx, v, "form_stale");
    return tell(ctx, ctx.t("wizard:stale"));
  }
  await answer(ctx);
  await ctx.replyWithChatAction("typing").catch(() => {});
  const { outcome: r, report } = await ctx.app.drafts.sendToHead(v);
  if (r.ok) {
    leave(ctx, v.draft.id);
    return void (await reply(ctx, ctx.t("drafts:sent"), backToMenu(ctx.t)));
  }
  if (r.kind !== "denied") return tell(ctx, ctx.t("wizard:stale"));
  const codes = new Set(r.errors.map((e) => e.code));
  if (codes.has("form_stale")) return formStale(ctx, v, "form_stale");
  if (codes.has("draft_not_saved")) return tell(ctx, ctx.t("drafts:save_first"));
  if (codes.has("draft_incomplete")) {
    const lines = errorLines(
      ctx,
      report.errors,
      await ctx.app.classifiers.names(ctx.lang),
      (await ctx.app.classifiers.get()).regions,
    );
    return void (await reply(
      ctx,
      `${ctx.t("wizard:save.errors", { count: lines.length })}\n\n${lines.join("\n")}`,
      new InlineKeyboard().text(ctx.t("drafts:btn.continue"), cb(AP.cont, [v.draft.id], v.draft.version)),
    ));
  }
  if (codes.has("form_not_generated")) return formStale(ctx, v, "form_not_generated");
  await tell(ctx, errorText(ctx.t, r.errors[0]));
}

// ───────────── T20: «Внести изменение» ─────────────

async function changes(ctx: AppContext) {
  const v = await target(ctx);
  if (!v || !ctx.user) return;
  await answer(ctx);
  if (!v.actions.includes("MAKE_CHANGES"))
    return void (await reply(
      ctx,
      `${ctx.t("drafts:changes_refused")}\n${errorText(ctx.t, whyNot(v, "MAKE_CHANGES"))}`,
    ));
  const pool = await ensureFreshLicences(
    ctx,
    v.draft.orgId,
    cb(AP.changes, [v.draft.id], v.draft.version),
    backToMenu(ctx.t),
  );
  if (!pool) return;
  const r = await ctx.app.drafts.makeChanges(
    { applicationId: v.draft.id, expectedVersion: v.draft.version, userId: ctx.user.id },
    (p) => startProgress(p, { sum: true }),
  );
  if (!r.ok || !r.newApplicationId) {
    const why = !r.ok && r.kind === "denied" ? `\n${errorText(ctx.t, r.errors[0])}` : "";
    return void (await reply(ctx, `${ctx.t("drafts:changes_refused")}${why}`));
  }
  await resumeWizard(ctx, r.newApplicationId, { note: ctx.t("drafts:changes_created") });
}

// ───────────── wiring ─────────────

composer.command("new", askCreate);
composer.command("drafts", list);
composer.callbackQuery(cbPattern(MENU.newApplication), askCreate);
composer.callbackQuery(cbPattern(MENU.drafts), list);
composer.callbackQuery(cbPattern(AP.create), create);
composer.callbackQuery(cbPattern(AP.list), list);
composer.callbackQuery(cbPattern(AP.view), view);
composer.callbackQuery(cbPattern(AP.cont), cont);
composer.callbackQuery(cbPattern(AP.del), askDelete);
composer.callbackQuery(cbPattern(AP.delYes), doDelete);
composer.callbackQuery(cbPattern(AP.form), form);
composer.callbackQuery(cbPattern(AP.send), send);
composer.callbackQuery(cbPattern(AP.changes), changes);
composer.callbackQuery(/^wz\./, handleWizardCallback);

// Any message while the wizard waits (text, file, location, sticker…): the current step answers it.
composer.on("message", async (ctx, next) => {
  const id = ctx.session.wizard?.id;
  if (ctx.session.awaiting !== WIZARD_AWAITING || !id) return next();
  if (ctx.message.text?.startsWith("/")) return next();
  await handleWizardInput(ctx, id);
});

export const feature: Feature = {
  name: "drafts",
  composer,
  verbs: { verbs: [...Object.values(AP), MENU.newApplication, MENU.drafts], prefixes: [WIZARD_PREFIX] },
  commands: [
    { command: "new", for: isSupplierAdmin },
    { command: "drafts", for: isSupplierSide },
  ],
  onCancel: (ctx) => leave(ctx),
};
