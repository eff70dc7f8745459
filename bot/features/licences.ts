// «Мои электронные лицензии» (SPEC §2): «Получить лицензии» (a licence request for the own or a linked BIN),
// «Все лицензии» (display filter), one licence with its appendices, «Скачать приложение», the M5 hint.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { filterDisplayable } from "../../domain/licences.ts";
import type { DomainError } from "../../domain/types.ts";
import { cb, cbData, cbPattern } from "../callbacks.ts";
import type { AppContext } from "../context.ts";
import { escapeHtml } from "../i18n.ts";
import { backToMenu, isSupplierAdmin, loadRoles, MENU } from "../keyboards.ts";
import { fmtKzTime } from "../outbox/format.ts";
import { getLicensingRegistry, processLicenceRequest, startLicenceRequest } from "../services/licensing.ts";
import { renderAppendix } from "../services/pdf.ts";
import type { Feature } from "./index.ts";

const V = { get: "lic.get", view: "lic.v", appendix: "lic.a", list: "lic.l" } as const;

function clip(text: string, max = 4000): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n…`;
}

/** The organisation whose licences this user manages (SUPPLIER + ORG_ADMIN in it). */
async function managedOrg(ctx: AppContext) {
  const roles = await loadRoles(ctx);
  if (!isSupplierAdmin(roles)) return null;
  const orgId = roles.org.find(
    (m) => m.role === "SUPPLIER" && roles.org.some((n) => n.orgId === m.orgId && n.role === "ORG_ADMIN"),
  )?.orgId;
  if (!orgId) return null;
  return ctx.deps.prisma.organisation.findUnique({
    where: { id: orgId },
    include: { links: { orderBy: { linkedBin: "asc" } } },
  });
}

async function denied(ctx: AppContext) {
  if (ctx.callbackQuery)
    await ctx.answerCallbackQuery({ text: ctx.t("licences:not_allowed"), show_alert: true });
  else await ctx.reply(ctx.t("licences:not_allowed"), { reply_markup: backToMenu(ctx.t) });
}

async function showScreen(ctx: AppContext) {
  const org = await managedOrg(ctx);
  if (!org) return denied(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const [latest, licences] = await Promise.all([
    ctx.deps.prisma.licenceRequest.findFirst({ where: { orgId: org.id }, orderBy: { requestedAt: "desc" } }),
    ctx.deps.prisma.licence.findMany({
      where: { orgId: org.id },
      orderBy: [{ activityCode: "asc" }, { number: "asc" }],
      include: { _count: { select: { appendices: true } } },
    }),
  ]);
  const shown = filterDisplayable(licences);
  const lines = [ctx.t("licences:title"), ctx.t("licences:m5")];
  if (latest) {
    lines.push(
      ctx.t("licences:last_request", {
        bin: latest.bin,
        status: ctx.t(`licences:request_status.${latest.status}`),
        date: fmtKzTime(latest.requestedAt),
      }),
    );
  } else lines.push(ctx.t("licences:no_requests"));
  lines.push(shown.length ? ctx.t("licences:all_title", { count: shown.length }) : ctx.t("licences:none"));
  const kb = new InlineKeyboard();
  for (const l of shown.slice(0, 30)) {
    kb.text(
      ctx.t("licences:item_button", { number: l.number, code: l.activityCode }),
      cb(V.view, [l.id]),
    ).row();
  }
  if (latest?.status === "FAILED") kb.text(ctx.t("licences:retry"), cb(V.get, [latest.bin])).row();
  kb.text(ctx.t("licences:get_own", { bin: org.bin }), cb(V.get, [org.bin])).row();
  for (const link of org.links.slice(0, 10)) {
    kb.text(ctx.t("licences:get_linked", { bin: link.linkedBin }), cb(V.get, [link.linkedBin])).row();
  }
  kb.text(ctx.t("common:menu.back"), cb(MENU.menu));
  await ctx.reply(clip(lines.join("\n\n")), {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    reply_markup: kb,
  });
}

function errorText(ctx: AppContext, errors: DomainError[]): string {
  const e = errors[0];
  const code = e?.code ?? "unknown";
  return ctx.t(`licences:errors.${code}`, { defaultValue: ctx.t("licences:errors.unknown"), ...e?.params });
}

async function getLicences(ctx: AppContext) {
  const org = await managedOrg(ctx);
  if (!org) return denied(ctx);
  const bin = cbData(ctx)?.ids[0] ?? org.bin;
  const now = ctx.deps.now();
  const started = await startLicenceRequest(ctx.deps.prisma, {
    orgId: org.id,
    bin,
    requestedById: ctx.user?.id ?? null,
    now,
  });
  if (!started.ok) {
    await ctx.answerCallbackQuery({ text: errorText(ctx, started.errors).slice(0, 200), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const msg = await ctx.reply(
    ctx.t("licences:request_created", { bin, status: ctx.t("licences:request_status.PROCESSING") }),
    { parse_mode: "HTML" },
  );
  const res = await processLicenceRequest(
    ctx.deps.prisma,
    getLicensingRegistry(ctx.deps),
    started.requestId,
    ctx.deps.now(),
  );
  if (res.status === "PROCESSED") {
    await ctx.api.editMessageText(
      msg.chat.id,
      msg.message_id,
      ctx.t("licences:request_done", {
        bin,
        status: ctx.t("licences:request_status.PROCESSED"),
        count: res.total,
      }),
      { parse_mode: "HTML" },
    );
  } else if (res.status === "FAILED") {
    await ctx.api.editMessageText(
      msg.chat.id,
      msg.message_id,
      ctx.t("licences:request_failed", { bin, status: ctx.t("licences:request_status.FAILED") }),
      {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text(ctx.t("licences:retry"), cb(V.get, [bin])),
      },
    );
    return;
  }
  await showScreen(ctx);
}

async function loadOwnLicence(ctx: AppContext, id: string | undefined) {
  const org = await managedOrg(ctx);
  if (!org || !id) return null;
  const licence = await ctx.deps.prisma.licence.findUnique({
    where: { id },
    include: { appendices: { orderBy: { number: "asc" } } },
  });
  return licence && licence.orgId === org.id ? licence : null;
}

async function viewLicence(ctx: AppContext) {
  const licence = await loadOwnLicence(ctx, cbData(ctx)?.ids[0]);
  if (!licence) {
    await ctx.answerCallbackQuery({ text: ctx.t("licences:not_found"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const careCodes = [...new Set(licence.appendices.flatMap((a) => a.careSubtypes))];
  const codes = [licence.activityCode, ...new Set(licence.appendices.flatMap((a) => a.licenceSubtypes))];
  const [care, lcodes] = await Promise.all([
    ctx.deps.prisma.careSubtype.findMany({ where: { code: { in: careCodes } } }),
    ctx.deps.prisma.licenceCode.findMany({ where: { code: { in: codes } } }),
  ]);
  const nm = (x: { nameKk: string; nameRu: string }) => (ctx.lang === "kk" ? x.nameKk : x.nameRu);
  const careName = new Map(care.map((c) => [c.code, nm(c)]));
  const codeName = new Map(lcodes.map((c) => [c.code, nm(c)]));
  const lines = [
    ctx.t("licences:view", {
      number: escapeHtml(licence.number),
      activity: escapeHtml(`${licence.activityCode} – ${codeName.get(licence.activityCode) ?? ""}`),
      issued: fmtKzTime(licence.issueDate).slice(0, 10),
      licensor: escapeHtml(licence.licensor || "—"),
      holder: licence.holderBin,
      category: escapeHtml(licence.category),
      type: escapeHtml(licence.type),
      status: escapeHtml(licence.status),
      fetched: fmtKzTime(licence.fetchedAt),
    }),
  ];
  lines.push(licence.appendices.length ? ctx.t("licences:appendices") : ctx.t("licences:no_appendices"));
  const kb = new InlineKeyboard();
  for (const a of licence.appendices) {
    const subs = a.licenceSubtypes.map((c) => `${c}${codeName.has(c) ? ` – ${codeName.get(c)}` : ""}`);
    lines.push(
      ctx.t("licences:appendix", {
        number: escapeHtml(a.number),
        subtypes: escapeHtml(subs.join("; ") || "—"),
        care: escapeHtml(a.careSubtypes.map((c) => careName.get(c) ?? c).join("; ") || "—"),
        addresses: escapeHtml(a.addresses.map((x, i) => `${i + 1}) ${x}`).join("\n") || "—"),
      }),
    );
    kb.text(ctx.t("licences:download", { number: a.number.slice(0, 20) }), cb(V.appendix, [a.id])).row();
  }
  lines.push(ctx.t("licences:m5"));
  kb.text(ctx.t("licences:back"), cb(V.list)).row();
  await ctx.reply(clip(lines.join("\n\n")), {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    reply_markup: kb,
  });
}

async function downloadAppendix(ctx: AppContext) {
  const id = cbData(ctx)?.ids[0];
  const appendix = id
    ? await ctx.deps.prisma.licenceAppendix.findUnique({ where: { id }, include: { licence: true } })
    : null;
  const own = appendix ? await loadOwnLicence(ctx, appendix.licenceId) : null;
  if (!appendix || !own) {
    await ctx.answerCallbackQuery({ text: ctx.t("licences:not_found"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  const caption = ctx.t("licences:appendix_caption", {
    number: escapeHtml(appendix.number),
    licence: escapeHtml(appendix.licence.number),
  });
  if (appendix.fileId) {
    const f = await ctx.deps.prisma.storedFile.findUnique({ where: { id: appendix.fileId } });
    if (f) {
      const bytes = await readFile(resolve(ctx.deps.config.FILES_DIR, f.storagePath)).catch(() => null);
      if (bytes) {
        await ctx.replyWithDocument(new InputFile(bytes, f.fileName), { caption, parse_mode: "HTML" });
        return;
      }
    }
  }
  const pdf = await renderAppendix(
    {
      licenceNumber: appendix.licence.number,
      activityCode: appendix.licence.activityCode,
      number: appendix.number,
      licenceSubtypes: appendix.licenceSubtypes,
      careSubtypes: appendix.careSubtypes,
      addresses: appendix.addresses,
      fetchedAt: appendix.licence.fetchedAt,
    },
    ctx.lang,
  );
  await ctx.replyWithDocument(new InputFile(pdf.bytes, pdf.fileName), { caption, parse_mode: "HTML" });
}

const composer = new Composer<AppContext>();
composer.command("licences", showScreen);
composer.callbackQuery(cbPattern(MENU.licences), showScreen);
composer.callbackQuery(cbPattern(V.list), showScreen);
composer.callbackQuery(cbPattern(V.get), getLicences);
composer.callbackQuery(cbPattern(V.view), viewLicence);
composer.callbackQuery(cbPattern(V.appendix), downloadAppendix);

export const feature: Feature = { name: "licences", composer };
