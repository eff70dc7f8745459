// Turns an outbox row (kind + payload + recipient language) into an HTML text and an inline keyboard.
// The application is read fresh at delivery time, so the buttons carry the current version and a message
// about a step that is already over is drawn without buttons.
import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { DecisionKind, Status } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { cb } from "../callbacks.ts";
import { escapeHtml, type Lang, type Translate, translator } from "../i18n.ts";
import { offerQuestionnaire } from "../features/licensing.ts";
import { actionsKeyboard, V } from "../features/staff/keyboards.ts";
import { actionsFor, loadSnapshot, rolesFor } from "../features/staff/snapshot.ts";
import { clip, fmtKzTime, nameIn } from "./format.ts";
import { STAFF_KINDS, stageState } from "./stage.ts";

export interface RenderableRow {
  id?: bigint;
  kind: string;
  payload: unknown;
  applicationId: string | null;
  userId: string | null;
  chatId: bigint;
  stageKey?: string | null;
}

export interface Rendered {
  /** "send": a new message; "edit": edit `messageId` in the chat. */
  mode: "send" | "edit";
  messageId?: number;
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

type Payload = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

export async function recipientLang(
  prisma: PrismaClient,
  row: { userId: string | null; chatId: bigint },
): Promise<Lang> {
  const u = row.userId
    ? await prisma.user.findUnique({ where: { id: row.userId }, select: { language: true } })
    : await prisma.user.findUnique({ where: { telegramId: row.chatId }, select: { language: true } });
  return u?.language === "kk" ? "kk" : "ru";
}

/** Render one outbox row for its recipient. */
export async function renderOutbox(prisma: PrismaClient, row: RenderableRow, lang: Lang): Promise<Rendered> {
  const t = translator(lang);
  const p = (row.payload ?? {}) as Payload;
  if (row.kind === "stage_closed") return renderClosed(prisma, p, lang, t);
  if (row.kind === "questionnaire" && row.applicationId) {
    const q = offerQuestionnaire(lang, row.applicationId);
    return { mode: "send", text: q.text, reply_markup: q.reply_markup };
  }
  const body = await renderBody(prisma, row, p, lang, t);
  let reply_markup: InlineKeyboard | undefined;
  if (row.applicationId && row.userId && STAFF_KINDS.has(row.kind)) {
    reply_markup = await staffKeyboard(prisma, t, row.applicationId, row.userId, row.kind, p);
  } else if (row.kind === "head_approval_requested") {
    reply_markup = new InlineKeyboard().text(t("common:menu.head"), cb("m.head"));
  }
  return { mode: "send", text: clip(body), reply_markup };
}

async function staffKeyboard(
  prisma: PrismaClient,
  t: Translate,
  applicationId: string,
  userId: string,
  kind: string,
  p: Payload,
): Promise<InlineKeyboard | undefined> {
  const app = await loadSnapshot(prisma, applicationId);
  const actor = app ? await rolesFor(prisma, userId, applicationId) : null;
  if (!app || !actor) return undefined;
  if (!(await stageState(prisma, { kind, applicationId, payload: p }, app)).live) return undefined;
  const actions = actionsFor(app, actor);
  return actionsKeyboard(t, app, actions, { open: true });
}

async function renderClosed(prisma: PrismaClient, p: Payload, lang: Lang, t: Translate) {
  const original = await prisma.outbox.findUnique({ where: { id: BigInt(String(p.outboxId ?? 0)) } });
  const at = str(p.decidedAt) ? fmtKzTime(new Date(String(p.decidedAt))) : "";
  const name = escapeHtml(str(p.decidedBy) ?? t("notify:someone"));
  const status = str(p.toStatus);
  const line = status
    ? t("notify:closed", {
        name,
        at,
        result: t("notify:field.status", { value: t(`notify:status.${status}`) }),
      })
    : t("notify:closed_short", { name, at });
  const body = original
    ? await renderBody(prisma, original, (original.payload ?? {}) as Payload, lang, t)
    : "";
  return {
    mode: "edit" as const,
    messageId: Number(p.messageId),
    text: clip(`${body}\n\n<i>${line}</i>`.trim()),
    // an empty keyboard removes the buttons
    reply_markup: { inline_keyboard: [] },
  };
}

async function renderBody(prisma: PrismaClient, row: RenderableRow, p: Payload, lang: Lang, t: Translate) {
  const titleKey = t(`notify:title.${row.kind}`, { defaultValue: "" }) ? row.kind : "other";
  const lines: string[] = [`<b>${t(`notify:title.${titleKey}`)}</b>`];
  if (!row.applicationId) return lines.join("\n");
  const app = await prisma.application.findUnique({
    where: { id: row.applicationId },
    include: {
      org: true,
      region: true,
      licences: { include: { licence: true } },
      documents: { select: { kind: true } },
      bases: { select: { id: true } },
    },
  });
  if (!app) return lines.join("\n");
  const status = (str(p.to) ?? str(p.toStatus) ?? str(p.status) ?? app.status) as Status | "DELETED";

  if (row.kind === "status_changed") {
    const label = t(`notify:status.${status}`);
    const headline =
      t(`notify:supplier.${status}`, { defaultValue: "" }) || t("notify:supplier.other", { status: label });
    lines.push(headline);
    lines.push(t("notify:field.org", { value: escapeHtml(nameIn(lang, app.org)) }));
    if (app.region) lines.push(t("notify:field.region", { value: escapeHtml(nameIn(lang, app.region)) }));
    // the status once: as a field only when the headline does not already name it
    if (!headline.includes(label)) lines.push(t("notify:field.status", { value: label }));
    lines.push(...(await negativeReasons(prisma, app.id, status, app.decisionKind, p, lang, t)));
    return lines.join("\n");
  }

  if (row.kind === "reminder" || row.kind === "escalation") {
    const days = Number(p.days ?? 0);
    const limit = Number(p.limit ?? 0);
    lines.push(
      row.kind === "reminder"
        ? t("notify:reminder_days", { days, limit })
        : t("notify:escalation_days", { days, limit, status: t(`notify:status.${app.status}`) }),
    );
  }

  // Staff summary: organisation, region, status, subtypes, licences, documents.
  lines.push(t("notify:field.org", { value: escapeHtml(nameIn(lang, app.org)) }));
  lines.push(t("notify:field.bin", { value: escapeHtml(app.org.bin) }));
  if (app.region) lines.push(t("notify:field.region", { value: escapeHtml(nameIn(lang, app.region)) }));
  lines.push(t("notify:field.status", { value: t(`notify:status.${app.status}`) }));
  if (app.decisionKind && app.status !== "UNDER_REVIEW") {
    lines.push(t("notify:field.decision", { value: t(`notify:kind.${app.decisionKind}`) }));
  }
  if (app.versionNo > 1) lines.push(t("notify:field.version", { value: app.versionNo }));
  if (app.submittedAt) lines.push(t("notify:field.submitted", { value: fmtKzTime(app.submittedAt) }));
  const subtypeCodes = [...app.supplierSubtypes, ...app.coExecutorSubtypes];
  if (subtypeCodes.length) {
    const subtypes = await prisma.careSubtype.findMany({ where: { code: { in: subtypeCodes } } });
    const name = (c: string) => {
      const s = subtypes.find((x) => x.code === c);
      return escapeHtml(s ? nameIn(lang, s) : c);
    };
    if (app.supplierSubtypes.length) {
      lines.push(
        t("notify:field.subtypes_supplier", {
          value: app.supplierSubtypes.slice(0, 12).map(name).join("; "),
        }),
      );
    }
    if (app.coExecutorSubtypes.length) {
      lines.push(
        t("notify:field.subtypes_co", { value: app.coExecutorSubtypes.slice(0, 12).map(name).join("; ") }),
      );
    }
  }
  if (app.bases.length) lines.push(t("notify:field.bases", { count: app.bases.length }));
  if (app.licences.length) {
    lines.push(t("notify:field.licences"));
    for (const { licence } of app.licences.slice(0, 8)) {
      lines.push(
        t("notify:field.licence_line", {
          number: escapeHtml(licence.number),
          code: escapeHtml(licence.activityCode),
          status: escapeHtml(licence.status),
        }),
      );
    }
    if (app.licences.length > 8)
      lines.push(t("notify:field.licences_more", { count: app.licences.length - 8 }));
  } else lines.push(t("notify:field.no_licences"));
  const docKinds = [...new Set(app.documents.map((d) => d.kind))];
  lines.push(
    docKinds.length
      ? t("notify:field.documents", { value: docKinds.map((k) => t(`notify:doc.${k}`)).join(", ") })
      : t("notify:field.no_documents"),
  );
  // The reviewer's notice under check/approval, and the return reason.
  if (row.kind === "check_requested" || row.kind === "approval_requested") {
    lines.push(...(await noticeLines(prisma, app.id, lang, t)));
  }
  if (row.kind === "returned_for_review" || row.kind === "exclusion_cancelled") {
    const reason = str(p.reasonText) ?? str(p.reason) ?? (await lastReason(prisma, app.id));
    if (reason) lines.push(t("notify:field.return_reason", { value: escapeHtml(reason) }));
  }
  return lines.join("\n");
}

async function lastReason(prisma: PrismaClient, applicationId: string): Promise<string | undefined> {
  const ev = await prisma.auditEvent.findFirst({
    where: { applicationId, note: { not: null } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  return ev?.note ?? undefined;
}

/** Lines describing the latest notice (kind, grounds, note) for the checker/approver. */
export async function noticeLines(prisma: PrismaClient, applicationId: string, lang: Lang, t: Translate) {
  const n = await prisma.notice.findFirst({
    where: { applicationId, deletedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!n) return [];
  const out = [t("notify:field.notice", { value: t(`notify:kind.${n.kind}`) })];
  const names = await reasonNames(prisma, n.kind, n.reasons, lang);
  if (names.length) out.push(t("notify:field.reasons", { value: names.map(escapeHtml).join("; ") }));
  if (n.additionalGround)
    out.push(t("notify:field.additional_ground", { value: escapeHtml(n.additionalGround) }));
  if (n.note) out.push(t("notify:field.note", { value: escapeHtml(n.note) }));
  return out;
}

export async function reasonNames(prisma: PrismaClient, kind: DecisionKind, codes: string[], lang: Lang) {
  if (!codes.length) return [];
  const list =
    kind === "EXCLUSION"
      ? await prisma.exclusionReason.findMany({ where: { code: { in: codes } } })
      : await prisma.rejectionGround.findMany({ where: { code: { in: codes } } });
  return codes.map((c) => {
    const r = list.find((x) => x.code === c);
    return r ? nameIn(lang, r) : c;
  });
}

/** DECISIONS 13: reasons and notes of negative decisions reach the supplier. */
async function negativeReasons(
  prisma: PrismaClient,
  applicationId: string,
  status: Status | "DELETED",
  decisionKind: DecisionKind | null,
  p: Payload,
  lang: Lang,
  t: Translate,
): Promise<string[]> {
  const out: string[] = [];
  if (status === "REJECTED" || status === "EXCLUDED") {
    const kind: DecisionKind = status === "EXCLUDED" ? "EXCLUSION" : "REJECTION";
    const n = await prisma.notice.findFirst({
      where: { applicationId, kind },
      orderBy: { createdAt: "desc" },
    });
    const codes = strs(p.reasons).length ? strs(p.reasons) : (n?.reasons ?? []);
    const names = await reasonNames(prisma, kind, codes, lang);
    if (names.length) out.push(t("notify:field.reasons", { value: names.map(escapeHtml).join("; ") }));
    const extra = str(p.additionalGround) ?? n?.additionalGround ?? undefined;
    if (extra) out.push(t("notify:field.additional_ground", { value: escapeHtml(extra) }));
    const note = str(p.note) ?? n?.note ?? undefined;
    if (note) out.push(t("notify:field.note", { value: escapeHtml(note) }));
  } else if (status === "DRAFT") {
    const reason = str(p.reasonText) ?? str(p.reason);
    const app = reason ? null : await prisma.application.findUnique({ where: { id: applicationId } });
    const r = reason ?? app?.headRejectReason ?? undefined;
    if (r) out.push(t("notify:field.reason", { value: escapeHtml(r) }));
  } else {
    const reason = str(p.reasonText) ?? str(p.reason);
    if (reason && decisionKind) out.push(t("notify:field.reason", { value: escapeHtml(reason) }));
  }
  return out;
}

export { V };
