// «Руководитель» (T6–T8): applications «На согласовании руководителя», the consent PDF with its SHA-256,
// «Подписать и отправить» (M4 notices → «ОК» → explicit confirmation through the Signer → «На рассмотрении»)
// and «Отклонить» with a reason (→ «Проект», the reason asked by the conversations/prompts.ts conversation).
// Every press and every answer re-checks role, status and version in the database.
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { TransitionInput } from "../../domain/contracts.ts";
import { licenceNotices } from "../../domain/rules.ts";
import { decide } from "../../domain/stateMachine.ts";
import { askText, definePrompt } from "../../conversations/prompts.ts";
import { addGeneratedDocument, applyTransition, loadSnapshot } from "../../prisma/store/applications.ts";
import { actorFor } from "../../prisma/store/users.ts";
import type { Action } from "../../domain/types.ts";
import { cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml } from "../i18n.ts";
import { backToMenu, MENU } from "../keyboards.ts";
import { fmtKzTime, nameIn } from "../outbox/format.ts";
import { loadApplicationDocData, renderApplicationForm, renderConsent } from "../services/pdf.ts";
import { storeBytes } from "../services/files.ts";
import { draftLicence, requirementClassifiers } from "../services/licensing.ts";
import { getSigner } from "../services/signer.ts";
import type { Feature } from "./index.ts";
import { statusLabel } from "./status.ts";

/** Callback verbs of the head screens (e.g. a notification button: `cb(HEAD_VERBS.open, [appId], version)`). */
export const HEAD_VERBS = {
  open: "hd.o",
  consent: "hd.pdf",
  form: "hd.form",
  sign: "hd.s",
  ok: "hd.ok",
  confirm: "hd.cf",
  reject: "hd.r",
  cancel: "hd.x",
} as const;
const V = HEAD_VERBS;
export const HEAD_REJECT_REASON = "head_reject_reason";
const HEAD_ROLES = ["HEAD", "HEAD_ATTORNEY"] as const;

interface PendingSign {
  id: string;
  v: number;
  sha256: string;
}

async function headOrgIds(ctx: AppContext): Promise<string[]> {
  if (!ctx.user) return [];
  const rows = await ctx.deps.prisma.orgMembership.findMany({
    where: { userId: ctx.user.id, role: { in: [...HEAD_ROLES] } },
    select: { orgId: true },
  });
  return [...new Set(rows.map((r) => r.orgId))];
}

async function showQueue(ctx: AppContext) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const orgIds = await headOrgIds(ctx);
  if (!orgIds.length) {
    await ctx.reply(ctx.t("head:not_head"), { reply_markup: backToMenu(ctx.t) });
    return;
  }
  const apps = await ctx.deps.prisma.application.findMany({
    where: { orgId: { in: orgIds }, status: "HEAD_APPROVAL" },
    orderBy: { statusChangedAt: "asc" },
    take: 20,
    include: { org: true, region: true },
  });
  if (!apps.length) {
    await ctx.reply(ctx.t("head:queue_empty"), { reply_markup: backToMenu(ctx.t) });
    return;
  }
  const kb = new InlineKeyboard();
  const lines = [ctx.t("head:queue_title", { count: apps.length })];
  apps.forEach((a, i) => {
    lines.push(
      ctx.t("head:queue_item", {
        n: i + 1,
        org: escapeHtml(nameIn(ctx.lang, a.org)),
        region: escapeHtml(a.region ? nameIn(ctx.lang, a.region) : "—"),
        date: fmtKzTime(a.statusChangedAt),
      }),
    );
    kb.text(ctx.t("head:open_n", { n: i + 1 }), cb(V.open, [a.id], a.version)).row();
  });
  kb.text(ctx.t("common:menu.back"), cb(MENU.menu));
  await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML", reply_markup: kb });
}

/**
 * The application behind a head button, if it is still the state the button was drawn for.
 * Otherwise answers the callback (not allowed / already decided) and returns null.
 */
async function checked(ctx: AppContext) {
  const d = cbData(ctx);
  const id = d?.ids[0];
  if (!id || d?.version === undefined || !ctx.user) {
    await ctx.answerCallbackQuery({ text: ctx.t("common:errors.stale_button"), show_alert: true });
    return null;
  }
  const app = await ctx.deps.prisma.application.findUnique({
    where: { id },
    include: { org: true, region: true },
  });
  const orgIds = await headOrgIds(ctx);
  if (!app || !orgIds.includes(app.orgId)) {
    await ctx.answerCallbackQuery({ text: ctx.t("head:not_allowed"), show_alert: true });
    return null;
  }
  if (app.status !== "HEAD_APPROVAL" || app.version !== d.version) {
    await ctx.answerCallbackQuery();
    await alreadyDecided(ctx, app.id);
    return null;
  }
  return { app, version: d.version };
}

async function alreadyDecided(ctx: AppContext, applicationId: string) {
  const app = await ctx.deps.prisma.application.findUnique({ where: { id: applicationId } });
  const ev = await ctx.deps.prisma.auditEvent.findFirst({
    where: { applicationId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  const who = ev?.actorId
    ? await ctx.deps.prisma.user.findUnique({ where: { id: ev.actorId }, select: { fullName: true } })
    : null;
  await ctx.reply(
    ctx.t("head:already_decided", {
      status: app ? statusLabel(ctx.t, app.status) : "—",
      who: escapeHtml(who?.fullName ?? "—"),
      date: ev ? fmtKzTime(ev.at) : "—",
    }),
    { parse_mode: "HTML", reply_markup: backToMenu(ctx.t) },
  );
}

async function openApplication(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  const { app, version } = c;
  const codes = [...new Set([...app.supplierSubtypes, ...app.coExecutorSubtypes])];
  const [subtypes, bases, licences, author] = await Promise.all([
    ctx.deps.prisma.careSubtype.findMany({ where: { code: { in: codes } } }),
    ctx.deps.prisma.productionBase.count({ where: { applicationId: app.id } }),
    ctx.deps.prisma.applicationLicence.count({ where: { applicationId: app.id } }),
    ctx.deps.prisma.user.findUnique({ where: { id: app.authorId }, select: { fullName: true } }),
  ]);
  const sub = new Map(subtypes.map((s) => [s.code, nameIn(ctx.lang, s)]));
  const list = (xs: string[]) => escapeHtml(xs.map((x) => sub.get(x) ?? x).join("; ") || "—");
  const text = ctx.t("head:summary", {
    org: escapeHtml(nameIn(ctx.lang, app.org)),
    bin: app.org.bin,
    region: escapeHtml(app.region ? nameIn(ctx.lang, app.region) : "—"),
    version: app.versionNo,
    author: escapeHtml(author?.fullName ?? "—"),
    supplier: app.asSupplier ? list(app.supplierSubtypes) : "—",
    coexec: app.asCoExecutor ? list(app.coExecutorSubtypes) : "—",
    bases,
    licences,
    status: statusLabel(ctx.t, app.status),
  });
  const kb = new InlineKeyboard()
    .text(ctx.t("head:consent_button"), cb(V.consent, [app.id], version))
    .row()
    .text(ctx.t("head:form_button"), cb(V.form, [app.id], version))
    .row()
    .text(ctx.t("head:sign_button"), cb(V.sign, [app.id], version))
    .row()
    .text(ctx.t("head:reject_button"), cb(V.reject, [app.id], version))
    .row()
    .text(ctx.t("common:menu.back"), cb(MENU.head));
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: kb });
}

async function consentPdf(ctx: AppContext, applicationId: string) {
  const data = await loadApplicationDocData(ctx.deps.prisma, applicationId, ctx.lang, ctx.user?.id);
  if (!data) return null;
  return renderConsent(data, ctx.lang);
}

async function sendConsent(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  const pdf = await consentPdf(ctx, c.app.id);
  if (!pdf) return;
  await ctx.replyWithDocument(new InputFile(pdf.bytes, pdf.fileName), {
    caption: ctx.t("head:consent_caption", { sha256: pdf.sha256 }),
    parse_mode: "HTML",
  });
}

async function sendForm(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  const data = await loadApplicationDocData(ctx.deps.prisma, c.app.id, ctx.lang);
  if (!data) return;
  const pdf = await renderApplicationForm(data, ctx.lang);
  await ctx.replyWithDocument(new InputFile(pdf.bytes, pdf.fileName), {
    caption: ctx.t("head:form_caption", { sha256: pdf.sha256 }),
    parse_mode: "HTML",
  });
}

/** M4 (SPEC §3.6): the licence requirements of R1–R3 not covered by the application's licences. */
async function m4Messages(ctx: AppContext, applicationId: string): Promise<string[]> {
  const app = await ctx.deps.prisma.application.findUnique({
    where: { id: applicationId },
    include: { licences: { include: { licence: { include: { appendices: true } } } } },
  });
  if (!app) return [];
  const [reqs, codes] = await Promise.all([
    ctx.deps.prisma.careSubtypeRequirement.findMany(),
    ctx.deps.prisma.licenceCode.findMany(),
  ]);
  const licences = app.licences.map(({ licence }) => draftLicence(licence));
  const notices = licenceNotices({ ...app, licences }, requirementClassifiers(reqs, codes));
  if (!notices.length) return [];
  const subtypes = await ctx.deps.prisma.careSubtype.findMany({
    where: { code: { in: notices.map((n) => n.subtype) } },
  });
  const subName = new Map(subtypes.map((s) => [s.code, nameIn(ctx.lang, s)]));
  const codeName = new Map(codes.map((c) => [c.code, nameIn(ctx.lang, c)]));
  const label = (code: string) => (codeName.has(code) ? `${code} - ${codeName.get(code)}` : code);
  return notices.map((n) =>
    ctx.t("head:m4", {
      subtype: escapeHtml(subName.get(n.subtype) ?? n.subtype),
      activity: escapeHtml(label(n.activityCode)),
      licence: escapeHtml(label(n.licenceCode)),
    }),
  );
}

async function startSign(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  const messages = await m4Messages(ctx, c.app.id);
  if (messages.length) {
    const text = [...messages, ctx.t("head:m4_note")].join("\n\n");
    await ctx.reply(text.slice(0, 4000), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard()
        .text(ctx.t("head:ok_button"), cb(V.ok, [c.app.id], c.version))
        .text(ctx.t("head:cancel_button"), cb(V.cancel, [c.app.id])),
    });
    return;
  }
  await askConfirmation(ctx, c.app.id, c.version);
}

async function afterNotices(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => {});
  await askConfirmation(ctx, c.app.id, c.version);
}

/** The Signer's explicit confirmation step: the exact document and its SHA-256. */
async function askConfirmation(ctx: AppContext, applicationId: string, version: number) {
  const pdf = await consentPdf(ctx, applicationId);
  if (!pdf) return;
  const pending: PendingSign = { id: applicationId, v: version, sha256: pdf.sha256 };
  ctx.session.scratch = { ...ctx.session.scratch, headSign: pending };
  await ctx.replyWithDocument(new InputFile(pdf.bytes, pdf.fileName), {
    caption: ctx.t("head:consent_caption", { sha256: pdf.sha256 }),
    parse_mode: "HTML",
  });
  const signer = getSigner(ctx.deps);
  await ctx.reply(
    ctx.t("head:confirm", { sha256: pdf.sha256, method: signer.method }) +
      (signer.qualified ? "" : `\n\n${ctx.t("head:not_qualified")}`),
    {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard()
        .text(ctx.t("head:confirm_button"), cb(V.confirm, [applicationId], version))
        .row()
        .text(ctx.t("head:cancel_button"), cb(V.cancel, [applicationId])),
    },
  );
}

async function confirmSign(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c || !ctx.user) return;
  const pending = ctx.session.scratch?.headSign as PendingSign | undefined;
  if (!pending || pending.id !== c.app.id || pending.v !== c.version) {
    await ctx.answerCallbackQuery({ text: ctx.t("head:confirm_expired"), show_alert: true });
    return;
  }
  // The document must be exactly the one shown: regenerate and compare the hash.
  const pdf = await consentPdf(ctx, c.app.id);
  if (!pdf || pdf.sha256 !== pending.sha256) {
    await ctx.answerCallbackQuery({ text: ctx.t("head:document_changed"), show_alert: true });
    return;
  }
  const signed = await getSigner(ctx.deps).sign({
    applicationId: c.app.id,
    document: "CONSENT",
    sha256: pdf.sha256,
    signerUserId: ctx.user.id,
    confirmed: true,
  });
  if (!signed.ok) {
    await ctx.answerCallbackQuery({ text: ctx.t(`head:sign_errors.${signed.code}`), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const signature = { sha256: signed.signature.sha256, method: signed.signature.method };
  // T6 (unless the consent is already signed in this round), then T8 on the version T6 produced.
  const snapshot = await loadSnapshot(ctx.deps.prisma, c.app.id);
  let version: number | null = c.version;
  if (!snapshot?.consentSigned) {
    version = await transition(ctx, c.app.id, c.version, "HEAD_SIGN_CONSENT", { signature, confirmed: true });
    if (version === null) return;
  }
  if ((await transition(ctx, c.app.id, version, "HEAD_SUBMIT", { signature, confirmed: true })) === null)
    return;
  // Keep the signature record (who, when, hash, method) even if the store recorded none.
  const existing = await ctx.deps.prisma.signature.findFirst({
    where: { applicationId: c.app.id, document: "CONSENT", sha256: pdf.sha256, signerId: ctx.user.id },
  });
  if (!existing) {
    await ctx.deps.prisma.signature.create({
      data: {
        applicationId: c.app.id,
        document: "CONSENT",
        sha256: pdf.sha256,
        signerId: ctx.user.id,
        method: signed.signature.method,
        signedAt: signed.signature.signedAt,
      },
    });
  }
  // The signed document itself is kept with the application (D4), so it outlives the chat.
  const stored = await storeBytes(ctx, pdf.bytes, { fileName: pdf.fileName, mimeType: pdf.mimeType });
  await addGeneratedDocument(ctx.deps.prisma, {
    applicationId: c.app.id,
    kind: "CONSENT",
    fileId: stored.id,
    now: ctx.deps.now(),
  });
  ctx.session.scratch = { ...ctx.session.scratch, headSign: undefined };
  await ctx.editMessageReplyMarkup().catch(() => {});
  await ctx.reply(ctx.t("head:submitted", { status: statusLabel(ctx.t, "UNDER_REVIEW") }), {
    parse_mode: "HTML",
    reply_markup: backToMenu(ctx.t),
  });
}

/**
 * Run one transition through the store (re-authorised there: actorFor + the state machine, version-checked).
 * Returns the new version, or null after telling the user (already decided / not allowed).
 */
async function transition(
  ctx: AppContext,
  applicationId: string,
  expectedVersion: number,
  action: Action,
  input: TransitionInput,
): Promise<number | null> {
  if (!ctx.user) return null;
  const actor = await actorFor(ctx.deps.prisma, ctx.user.id, applicationId);
  if (!actor) {
    await ctx.reply(ctx.t("head:not_allowed"));
    return null;
  }
  const r = await applyTransition(ctx.deps.prisma, {
    applicationId,
    expectedVersion,
    action,
    actor,
    input,
    decide,
    now: ctx.deps.now(),
  });
  if (r.ok) return r.version;
  if (r.reason === "stale") await alreadyDecided(ctx, applicationId);
  else if (r.reason === "not_found") await ctx.reply(ctx.t("head:not_allowed"));
  else {
    ctx.log.warn({ codes: r.errors.map((e) => e.code).join(","), action }, "head transition denied");
    await ctx.reply(ctx.t("head:denied"), { reply_markup: backToMenu(ctx.t) });
  }
  return null;
}

async function startReject(ctx: AppContext) {
  const c = await checked(ctx);
  if (!c) return;
  await ctx.answerCallbackQuery();
  // The version the button was drawn for (just re-checked) is the expected version of HEAD_REJECT.
  await askText(ctx, { kind: HEAD_REJECT_REASON, id: c.app.id, v: c.version });
  await ctx.reply(ctx.t("head:reject_ask"), {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(ctx.t("head:cancel_button"), cb(V.cancel, [c.app.id])),
  });
}

// The reason of «Отклонить» (conversations/prompts.ts): text only, 3–1000 characters; on the answer, the
// transition is re-authorised in the store (actorFor + decide) with the version captured at the press.
definePrompt(HEAD_REJECT_REASON, {
  textOnly: "head:reject_text_only",
  check: (text) => (text.length < 3 || text.length > 1000 ? { key: "head:reject_length" } : null),
  onAnswer: async (ctx, text, { id, v }) => {
    if (!id || v === undefined) return;
    const done = await transition(ctx, id, v, "HEAD_REJECT", { reasonText: text });
    if (done === null) return;
    await ctx.reply(
      ctx.t("head:rejected", { status: statusLabel(ctx.t, "DRAFT"), reason: escapeHtml(text) }),
      { parse_mode: "HTML", reply_markup: backToMenu(ctx.t) },
    );
  },
});

/** «Отмена» of the sign confirmation and of the reason (pressing it has already left the reason prompt). */
async function cancel(ctx: AppContext) {
  await ctx.answerCallbackQuery();
  ctx.session.scratch = { ...ctx.session.scratch, headSign: undefined };
  await ctx.editMessageReplyMarkup().catch(() => {});
  await ctx.reply(ctx.t("head:cancelled"), { reply_markup: backToMenu(ctx.t) });
}

const composer = new Composer<AppContext>();
composer.command("sign", showQueue);
composer.callbackQuery(cbPattern(MENU.head), showQueue);
composer.callbackQuery(cbPattern(V.open), openApplication);
composer.callbackQuery(cbPattern(V.consent), sendConsent);
composer.callbackQuery(cbPattern(V.form), sendForm);
composer.callbackQuery(cbPattern(V.sign), startSign);
composer.callbackQuery(cbPattern(V.ok), afterNotices);
composer.callbackQuery(cbPattern(V.confirm), confirmSign);
composer.callbackQuery(cbPattern(V.reject), startReject);
composer.callbackQuery(cbPattern(V.cancel), cancel);

export const feature: Feature = { name: "head", composer };
