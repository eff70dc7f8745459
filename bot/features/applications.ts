// «Создать заявку» and drafts: create (G1, M6, fresh licences – DECISIONS 1), the wizard
// (conversations/), list, view, continue/edit, delete with confirmation (T3), «Сформировать заявку
// о включении» (T4, PDF), «Отправить на подписание» (T5), «Внести изменение» (T20).
// /cancel is global (createBot): it clears session.awaiting; the draft stays in «Проект».
//
// Callback data (bot/callbacks.ts codec, UUIDs packed to 22 chars, version after "@"):
//   m.new / m.drafts                 menu entries (bot/keyboards.ts MENU)
//   ap.new1                          confirm the M6 warning and create
//   ap.list                          drafts list
//   ap.view:<app>                    view one application
//   ap.cont:<app>@<v>                continue / edit the draft at its current step
//   ap.del:<app>@<v> / ap.dely:<app>@<v>   delete: ask / confirmed
//   ap.form:<app>@<v>                T4 generate the PDF
//   ap.send:<app>@<v>                T5 send to the head
//   ap.chg:<app>@<v>                 T20 make changes (new version)
//   wz.<verb>:<app>[:<arg>…]@<v>     wizard steps (conversations/wizard/engine.ts)
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { draftActions } from "../../conversations/drafts.ts";
import { formatDate } from "../../conversations/wizard/core.ts";
import { handleWizardCallback, handleWizardInput, resumeWizard } from "../../conversations/wizard/engine.ts";
import { ensureFreshLicences } from "../../conversations/wizard/licences.ts";
import {
  createDraftRow,
  deleteDraftRow,
  loadDraft,
  makeChangesRow,
  sendToHeadRow,
  supplierActor,
} from "../../conversations/wizard/repo.ts";
import { decide } from "../../domain/stateMachine.ts";
import { type ApplyTransitionResult, applyTransition } from "../../prisma/store/applications.ts";
import { errorLines, validateDraft } from "../../conversations/wizard/validate.ts";
import { readProgress } from "../../conversations/wizard/progress.ts";
import { cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml } from "../i18n.ts";
import { backToMenu, MENU } from "../keyboards.ts";
import { storeBytes } from "../services/files.ts";
import { loadApplicationDocData, renderApplicationForm } from "../services/pdf.ts";
import type { Feature } from "./index.ts";

const composer = new Composer<AppContext>();

/** Organisations where the user is «Поставщик» + «Администратор организации» (G1). */
async function adminOrgs(ctx: AppContext) {
  if (!ctx.user) return [];
  const rows = await ctx.deps.prisma.orgMembership.findMany({
    where: { userId: ctx.user.id, role: { in: ["SUPPLIER", "ORG_ADMIN"] } },
    include: { org: true },
    orderBy: { createdAt: "asc" },
  });
  const byOrg = new Map<string, Set<string>>();
  for (const r of rows) byOrg.set(r.orgId, (byOrg.get(r.orgId) ?? new Set()).add(r.role));
  const seen = new Set<string>();
  return rows
    .filter((r) => byOrg.get(r.orgId)?.size === 2 && !seen.has(r.orgId) && seen.add(r.orgId))
    .map((r) => r.org);
}

async function supplierOrgIds(ctx: AppContext): Promise<string[]> {
  if (!ctx.user) return [];
  const rows = await ctx.deps.prisma.orgMembership.findMany({
    where: { userId: ctx.user.id, role: "SUPPLIER" },
    select: { orgId: true },
  });
  return [...new Set(rows.map((r) => r.orgId))];
}

const reply = (ctx: AppContext, text: string, kb?: InlineKeyboard | { inline_keyboard: unknown[][] }) =>
  ctx.reply(text, { parse_mode: "HTML", ...(kb ? { reply_markup: kb as InlineKeyboard } : {}) });

async function answer(ctx: AppContext, text?: string) {
  if (ctx.callbackQuery)
    await ctx.answerCallbackQuery(text ? { text, show_alert: true } : undefined).catch(() => {});
}

// ───────────── create ─────────────

async function askCreate(ctx: AppContext) {
  await answer(ctx);
  if (!(await adminOrgs(ctx)).length) {
    await reply(ctx, ctx.t("drafts:forbidden_create"), backToMenu(ctx.t));
    return;
  }
  // M6
  await reply(
    ctx,
    ctx.t("drafts:m6"),
    new InlineKeyboard()
      .text(ctx.t("drafts:btn.create"), cb("ap.new1"))
      .row()
      .text(ctx.t("drafts:btn.cancel"), cb(MENU.menu)),
  );
}

async function create(ctx: AppContext) {
  await answer(ctx);
  const org = (await adminOrgs(ctx))[0];
  if (!org || !ctx.user) {
    await reply(ctx, ctx.t("drafts:forbidden_create"), backToMenu(ctx.t));
    return;
  }
  const licences = await ensureFreshLicences(ctx, org, cb("ap.new1"));
  if (!licences) return;
  const res = await createDraftRow(ctx.deps.prisma, {
    orgId: org.id,
    authorId: ctx.user.id,
    ownershipFormCode: org.ownershipFormCode,
    licences,
    progress: { step: "A_OWN" },
    now: ctx.deps.now(),
  });
  if (!res.ok) {
    // G6: excluded less than 3 years ago (any region)
    const errors = res.reason === "excluded_recently" ? res.errors : [];
    const lines = errors.length ? await errorLines(ctx, errors) : [ctx.t("wizard:stale")];
    await reply(ctx, lines.join("\n"), backToMenu(ctx.t));
    return;
  }
  await reply(ctx, ctx.t("drafts:created"));
  await resumeWizard(ctx, res.id);
}

// ───────────── list / view ─────────────

async function list(ctx: AppContext) {
  await answer(ctx);
  const orgIds = await supplierOrgIds(ctx);
  if (!orgIds.length) {
    await reply(ctx, ctx.t("drafts:no_org"), backToMenu(ctx.t));
    return;
  }
  const apps = await ctx.deps.prisma.application.findMany({
    where: { orgId: { in: orgIds }, status: { in: ["DRAFT", "INCLUDED", "REJECTED"] }, next: null },
    include: { region: true },
    orderBy: [{ updatedAt: "desc" }],
    take: 20,
  });
  const kb = new InlineKeyboard();
  for (const a of apps) {
    const region = a.region ? (ctx.lang === "kk" ? a.region.nameKk : a.region.nameRu) : "—";
    kb.text(
      ctx.t("drafts:list_item", {
        date: formatDate(a.createdAt),
        region,
        status: ctx.t(`drafts:status.${a.status}`),
        no: a.versionNo,
      }),
      cb("ap.view", [a.id]),
    ).row();
  }
  if ((await adminOrgs(ctx)).length) kb.text(ctx.t("drafts:btn.new"), cb(MENU.newApplication)).row();
  kb.text(ctx.t("drafts:btn.menu"), cb(MENU.menu));
  await reply(ctx, apps.length ? ctx.t("drafts:list_title") : ctx.t("drafts:list_empty"), kb);
}

/** The application, if the user works for its organisation. */
async function loadOwn(ctx: AppContext, id: string | undefined) {
  if (!id) return null;
  const app = await ctx.deps.prisma.application.findUnique({
    where: { id },
    include: { region: true, org: true },
  });
  if (!app) return null;
  const orgIds = await supplierOrgIds(ctx);
  return orgIds.includes(app.orgId) ? app : null;
}

async function view(ctx: AppContext) {
  await answer(ctx);
  const app = await loadOwn(ctx, cbData(ctx)?.ids[0]);
  if (!app) {
    await reply(ctx, ctx.t("drafts:not_found"), backToMenu(ctx.t));
    return;
  }
  const region = app.region ? (ctx.lang === "kk" ? app.region.nameKk : app.region.nameRu) : "—";
  const text = ctx.t("drafts:view", {
    org: escapeHtml(ctx.lang === "kk" ? app.org.nameKk : app.org.nameRu),
    bin: escapeHtml(app.org.bin),
    region: escapeHtml(region),
    status: ctx.t(`drafts:status.${app.status}`),
    no: app.versionNo,
    created: formatDate(app.createdAt),
    saved: readProgress(app.progress).saved ? ctx.t("drafts:saved_yes") : ctx.t("drafts:saved_no"),
  });
  await reply(ctx, text, { inline_keyboard: draftActions(ctx, app) });
}

/** Reads the application of an `ap.*:<id>@<v>` button and checks version and status. */
async function target(ctx: AppContext, statuses: readonly string[]) {
  const d = cbData(ctx);
  const app = await loadOwn(ctx, d?.ids[0]);
  if (!app) {
    await answer(ctx, ctx.t("drafts:not_found"));
    return null;
  }
  if (d?.version !== app.version) {
    await answer(ctx, ctx.t("wizard:stale"));
    return null;
  }
  if (!statuses.includes(app.status)) {
    await answer(ctx, ctx.t("wizard:not_draft"));
    return null;
  }
  return app;
}

async function cont(ctx: AppContext) {
  const app = await target(ctx, ["DRAFT"]);
  if (!app) return;
  await answer(ctx);
  if (!(await resumeWizard(ctx, app.id))) await reply(ctx, ctx.t("wizard:forbidden"));
}

// ───────────── delete (T3) ─────────────

async function askDelete(ctx: AppContext) {
  const app = await target(ctx, ["DRAFT"]);
  if (!app) return;
  await answer(ctx);
  await reply(
    ctx,
    ctx.t("drafts:delete_confirm"),
    new InlineKeyboard()
      .text(ctx.t("drafts:btn.delete_yes"), cb("ap.dely", [app.id], app.version))
      .text(ctx.t("drafts:btn.delete_no"), cb("ap.view", [app.id])),
  );
}

async function doDelete(ctx: AppContext) {
  const app = await target(ctx, ["DRAFT"]);
  if (!app || !ctx.user) return;
  const actor = await supplierActor(ctx.deps.prisma, ctx.user.id, app.orgId);
  const res = await deleteDraftRow(ctx.deps.prisma, {
    id: app.id,
    version: app.version,
    actor,
    now: ctx.deps.now(),
  });
  if (!res.ok) {
    await answer(ctx, transitionError(ctx, res));
    return;
  }
  await answer(ctx);
  if (ctx.session.awaiting?.kind === "wizard" && ctx.session.awaiting.id === app.id)
    ctx.session.awaiting = undefined;
  await reply(
    ctx,
    ctx.t("drafts:deleted"),
    new InlineKeyboard().text(ctx.t("drafts:btn.list"), cb("ap.list")),
  );
}

// ───────────── T4: the application form PDF ─────────────

async function form(ctx: AppContext) {
  const app = await target(ctx, ["DRAFT"]);
  if (!app || !ctx.user) return;
  await answer(ctx);
  const data = await loadApplicationDocData(ctx.deps.prisma, app.id, ctx.lang);
  if (!data) return;
  const pdf = await renderApplicationForm(data, ctx.lang);
  const stored = await storeBytes(ctx, pdf.bytes, { fileName: pdf.fileName, mimeType: pdf.mimeType });
  const res = await applyTransition(ctx.deps.prisma, {
    applicationId: app.id,
    expectedVersion: app.version,
    action: "GENERATE_FORM",
    actor: await supplierActor(ctx.deps.prisma, ctx.user.id, app.orgId),
    input: {},
    decide,
    now: ctx.deps.now(),
    also: async (tx) => {
      await tx.applicationDocument.create({
        data: { applicationId: app.id, kind: "APPLICATION_FORM", fileId: stored.id },
      });
      await tx.application.update({ where: { id: app.id }, data: { formFileId: stored.id } });
    },
  });
  if (!res.ok) {
    await reply(ctx, transitionError(ctx, res));
    return;
  }
  await ctx.replyWithDocument(new InputFile(pdf.bytes, pdf.fileName), {
    caption: ctx.t("drafts:form_caption", { sha: pdf.sha256.slice(0, 16) }),
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: draftActions(ctx, { ...app, version: res.version }) },
  });
}

// ───────────── T5: send to the head ─────────────

async function send(ctx: AppContext) {
  const app = await target(ctx, ["DRAFT"]);
  if (!app || !ctx.user) return;
  const full = await loadDraft(ctx.deps.prisma, app.id);
  if (!full) return;
  const report = await validateDraft(ctx.deps.prisma, full, ctx.deps.now());
  if (!report.ok) {
    await answer(ctx);
    const lines = await errorLines(ctx, report.errors);
    await reply(
      ctx,
      `${ctx.t("wizard:save.errors", { count: lines.length })}\n\n${lines.join("\n")}`.slice(0, 4000),
      new InlineKeyboard().text(ctx.t("drafts:btn.continue"), cb("ap.cont", [app.id], app.version)),
    );
    return;
  }
  if (!readProgress(app.progress).saved) {
    await answer(ctx, ctx.t("drafts:save_first"));
    return;
  }
  const res = await sendToHeadRow(ctx.deps.prisma, {
    id: app.id,
    version: app.version,
    actor: await supplierActor(ctx.deps.prisma, ctx.user.id, app.orgId),
    now: ctx.deps.now(),
    draftComplete: report.ok,
  });
  if (!res.ok) {
    await answer(ctx, transitionError(ctx, res));
    return;
  }
  await answer(ctx);
  if (ctx.session.awaiting?.kind === "wizard") ctx.session.awaiting = undefined;
  await reply(ctx, ctx.t("drafts:sent"), backToMenu(ctx.t));
}

// ───────────── T20: make changes ─────────────

async function changes(ctx: AppContext) {
  const app = await target(ctx, ["INCLUDED", "REJECTED"]);
  if (!app || !ctx.user) return;
  await answer(ctx);
  const org = (await adminOrgs(ctx)).find((o) => o.id === app.orgId);
  if (!org) {
    await reply(ctx, ctx.t("drafts:forbidden_create"));
    return;
  }
  const licences = await ensureFreshLicences(ctx, org, cb("ap.chg", [app.id], app.version));
  if (!licences) return;
  const res = await makeChangesRow(ctx.deps.prisma, {
    fromId: app.id,
    expectedVersion: app.version,
    actor: await supplierActor(ctx.deps.prisma, ctx.user.id, app.orgId),
    licences,
    progress: { step: "SUM", sum: true },
    now: ctx.deps.now(),
  });
  if (!res.ok || !res.newApplicationId) {
    await reply(ctx, `${ctx.t("drafts:changes_refused")}\n${transitionError(ctx, res)}`);
    return;
  }
  await reply(ctx, ctx.t("drafts:changes_created"));
  await resumeWizard(ctx, res.newApplicationId);
}

/** A refused transition in the user's language: stale, or the state machine's first error. */
function transitionError(ctx: AppContext, res: ApplyTransitionResult): string {
  if (res.ok) return "";
  if (res.reason === "not_found") return ctx.t("drafts:not_found");
  if (res.reason === "stale") return ctx.t("wizard:stale");
  const code = res.errors[0]?.code ?? "forbidden_role";
  return ctx.t(`drafts:send_error.${code}`, { defaultValue: ctx.t("drafts:send_error.generic", { code }) });
}

// ───────────── wiring ─────────────

composer.command("new", askCreate);
composer.command("drafts", list);
composer.callbackQuery(cbPattern(MENU.newApplication), askCreate);
composer.callbackQuery(cbPattern(MENU.drafts), list);
composer.callbackQuery(cbPattern("ap.new1"), create);
composer.callbackQuery(cbPattern("ap.list"), list);
composer.callbackQuery(cbPattern("ap.view"), view);
composer.callbackQuery(cbPattern("ap.cont"), cont);
composer.callbackQuery(cbPattern("ap.del"), askDelete);
composer.callbackQuery(cbPattern("ap.dely"), doDelete);
composer.callbackQuery(cbPattern("ap.form"), form);
composer.callbackQuery(cbPattern("ap.send"), send);
composer.callbackQuery(cbPattern("ap.chg"), changes);
composer.callbackQuery(/^wz\./, handleWizardCallback);

// Any message while the wizard waits (text, file, location, sticker…): the current step answers it.
composer.on("message", async (ctx, next) => {
  const aw = ctx.session.awaiting;
  if (aw?.kind !== "wizard" || !aw.id) return next();
  if (ctx.message.text?.startsWith("/")) return next();
  await handleWizardInput(ctx, aw.id);
});

export const feature: Feature = { name: "applications", composer };
