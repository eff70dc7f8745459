// The application card: what a reviewer, checker, approver, head, manager or the supplier reads about one
// application, in the reader's language. Pure: data in, HTML out (used by the features and by the outbox).
import type { Names } from "../../app/classifiers.ts";
import type { AppSnapshot } from "../../domain/contracts.ts";
import type { CardData, CardEvent } from "../../app/index.ts";
import type { Action, DecisionKind } from "../../domain/types.ts";
import { registryValue } from "../../domain/registryValues.ts";
import { fmtDate, fmtDateTime, nameIn } from "../kit/format.ts";
import { escapeHtml } from "../kit/html.ts";
import type { Lang, Translate } from "../kit/i18n.ts";
import { kindLabel, statusLabel } from "./labels.ts";

export interface CardView {
  t: Translate;
  lang: Lang;
  names: Names;
}

const list = (xs: string[]) => xs.map(escapeHtml).join("; ");

/** The summary of an application (the status from `snapshot` when a decision just changed it). */
export function cardSummary(
  v: CardView,
  card: CardData,
  snapshot?: Pick<AppSnapshot, "status" | "decisionKind">,
): string[] {
  const { t, lang, names } = v;
  const status = snapshot?.status ?? card.status;
  const decisionKind = snapshot ? snapshot.decisionKind : card.decisionKind;
  const lines = [
    t("notify:field.org", { value: escapeHtml(nameIn(lang, card.org)) }),
    t("notify:field.bin", { value: escapeHtml(card.org.bin) }),
  ];
  if (card.region) lines.push(t("notify:field.region", { value: escapeHtml(nameIn(lang, card.region)) }));
  lines.push(t("notify:field.status", { value: statusLabel(t, status) }));
  if (decisionKind) lines.push(t("notify:field.decision", { value: kindLabel(t, decisionKind) }));
  if (card.versionNo > 1) lines.push(t("notify:field.version", { value: card.versionNo }));
  if (card.submittedAt) lines.push(t("notify:field.submitted", { value: fmtDateTime(card.submittedAt) }));
  if (card.asSupplier && card.supplierSubtypes.length)
    lines.push(
      t("notify:field.subtypes_supplier", { value: list(card.supplierSubtypes.map(names.subtype)) }),
    );
  if (card.asCoExecutor && card.coExecutorSubtypes.length)
    lines.push(t("notify:field.subtypes_co", { value: list(card.coExecutorSubtypes.map(names.subtype)) }));
  if (card.bases.length) {
    lines.push(t("notify:field.bases", { count: card.bases.length }));
    for (const b of card.bases.slice(0, 5)) {
      const kato = lang === "kk" ? (b.katoNameKk ?? b.katoNameRu) : b.katoNameRu;
      lines.push(`• ${escapeHtml(b.address)}${kato ? ` (${escapeHtml(kato)})` : ""}`);
    }
  }
  if (card.licences.length) {
    lines.push(t("notify:field.licences"));
    for (const l of card.licences.slice(0, 8))
      lines.push(
        t("notify:field.licence_line", {
          number: escapeHtml(l.number),
          code: escapeHtml(names.licenceCode(l.activityCode)),
          status: escapeHtml(registryValue("status", l.status, lang).text),
        }),
      );
    if (card.licences.length > 8)
      lines.push(t("notify:field.licences_more", { count: card.licences.length - 8 }));
  } else lines.push(t("notify:field.no_licences"));
  const kinds = [...new Set(card.documents.map((d) => d.kind))];
  lines.push(
    kinds.length
      ? t("notify:field.documents", { value: kinds.map((k) => t(`notify:doc.${k}`)).join(", ") })
      : t("notify:field.no_documents"),
  );
  return lines;
}

/** The reviewer's current notice (kind, grounds or reasons by name, additional ground, note). */
export function noticeLines(v: CardView, card: CardData): string[] {
  const n = card.notice;
  if (!n) return [];
  const { t, names } = v;
  const out = [t("notify:field.notice", { value: kindLabel(t, n.kind) })];
  if (n.reasons.length)
    out.push(t("notify:field.reasons", { value: list(n.reasons.map((c) => names.reason(n.kind, c))) }));
  if (n.additionalGround)
    out.push(t("notify:field.additional_ground", { value: escapeHtml(n.additionalGround) }));
  if (n.note) out.push(t("notify:field.note", { value: escapeHtml(n.note) }));
  return out;
}

/**
 * What each decision button does (issue 11): the seed's «Подтвердить» / «Отказать», «Согласовать» / «Отклонить»
 * keep their words, and the consequence of each is stated next to them for the notice being decided on.
 */
export function effectLines(
  v: CardView,
  kind: DecisionKind | null | undefined,
  actions: readonly Action[],
): string[] {
  const { t } = v;
  const on = (a: Action) => actions.includes(a);
  const out: string[] = [];
  if (kind && on("CHECKER_CONFIRM")) out.push(t(`staff:card.effect.checker_confirm_${kind}`));
  if (kind && on("CHECKER_REFUSE")) out.push(t("staff:card.effect.checker_refuse"));
  if (kind && on("APPROVER_APPROVE")) out.push(t(`staff:card.effect.approve_${kind}`));
  if (on("APPROVE_EXCLUSION")) out.push(t("staff:card.effect.approve_exclusion"));
  if (kind && on("APPROVER_REFUSE")) out.push(t(`staff:card.effect.decline_${kind}`));
  return out.length ? ["", `<b>${t("staff:card.effect.title")}</b>`, ...out] : [];
}

/** A collapsed history: consecutive edits by one person become one line with the fields they changed. */
export interface HistoryLine {
  at: Date;
  who: string | null;
  action: string;
  from: string | null;
  to: string | null;
  reasons: string[];
  note: string | null;
  fields: string[];
  kind: string | null;
}

export function collapseHistory(events: readonly CardEvent[]): HistoryLine[] {
  const out: HistoryLine[] = [];
  for (const e of events) {
    const fields = Array.isArray(e.changes?.fields) ? (e.changes.fields as string[]) : [];
    const prev = out[out.length - 1];
    if (prev && e.action === "EDIT" && prev.action === "EDIT" && prev.who === e.actorName) {
      prev.at = e.at;
      prev.fields = [...new Set([...prev.fields, ...fields])];
      continue;
    }
    out.push({
      at: e.at,
      who: e.actorName,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      reasons: e.reasons,
      note: e.note,
      fields,
      kind: e.decisionKind,
    });
  }
  return out;
}

/** The history as lines in the reader's language. */
export function historyLines(v: CardView, events: readonly CardEvent[]): string[] {
  const { t, names } = v;
  return collapseHistory(events).map((h) => {
    let line = t("staff:audit.line", {
      at: fmtDateTime(h.at),
      who: escapeHtml(h.who ?? t("staff:system")),
      action: t(`staff:action.${h.action}`, { defaultValue: escapeHtml(h.action) }),
    });
    if (h.fields.length)
      line += ` (${h.fields.map((f) => t(`staff:field.${f.replace(/^documents\./, "documents_")}`, { defaultValue: f })).join(", ")})`;
    if (h.from && h.to && h.from !== h.to)
      line += `, ${t("staff:audit.move", { from: statusLabel(t, h.from), to: statusLabel(t, h.to) })}`;
    if (h.reasons.length) {
      const kind = h.kind === "EXCLUSION" || h.action.includes("EXCLUSION") ? "EXCLUSION" : "REJECTION";
      line += `; ${t("staff:audit.reasons", { value: list(h.reasons.map((c) => names.reason(kind, c))) })}`;
    }
    if (h.note) line += `; ${t("staff:audit.note", { value: escapeHtml(h.note) })}`;
    return line;
  });
}

export { fmtDate };
