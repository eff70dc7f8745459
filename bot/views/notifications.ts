// What a notification (an outbox row) says to its recipient, in their language: the supplier's status push,
// the staff's and the head's stage messages with the buttons of the actions they may take now, reminders and
// escalations, the edit that closes a decided step, the questionnaire. Pure: data in, message out.
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Names } from "../../app/classifiers.ts";
import type { TransitionFacts } from "../../domain/ports.ts";
import { allowedActions } from "../../domain/stateMachine.ts";
import { TRANSITIONS, type Who } from "../../domain/transitions.ts";
import type { Status } from "../../domain/types.ts";
import { stageFor } from "../../domain/workflow.ts";
import type { CardData } from "../../app/index.ts";
import { cb } from "../kit/callbacks.ts";
import { fmtDateTime, nameIn } from "../kit/format.ts";
import { clipHtml, escapeHtml } from "../kit/html.ts";
import type { Lang, Translate } from "../kit/i18n.ts";
import { actionRows, STAFF_ACTION_BUTTONS } from "./actions.ts";
import { cardSummary, effectLines, noticeLines } from "./card.ts";
import { statusLabel } from "./labels.ts";
import { questionnaireScreen } from "./questionnaire.ts";

export interface NotificationRow {
  kind: string;
  payload: unknown;
  applicationId: string | null;
}

export interface Rendered {
  /** "send": a new message; "edit": edit `messageId` in the chat. */
  mode: "send" | "edit";
  messageId?: number;
  text: string;
  reply_markup?: InlineKeyboardMarkup;
  /** Without sound (DECISIONS 13: intermediate Fund stages). */
  silent?: boolean;
}

export interface NotificationView {
  t: Translate;
  lang: Lang;
  names: Names;
  card: CardData | null;
  /** The recipient's facts (stage messages: which buttons to draw). */
  facts: TransitionFacts | null;
  /** Is the step the message is about still open? */
  live: boolean;
  original: NotificationRow | null;
}

type Payload = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** The verbs the stage messages point at (owned by the head and staff features). */
export const OPEN_VERBS = { head: "hd.o", staffCard: "fs.v", supplierView: "my.v" } as const;

function body(v: NotificationView, row: NotificationRow): string {
  const { t, lang, card } = v;
  const p = (row.payload ?? {}) as Payload;
  const titleKey = t(`notify:title.${row.kind}`, { defaultValue: "" }) ? row.kind : "other";
  const lines: string[] = [`<b>${t(`notify:title.${titleKey}`)}</b>`];
  if (!card) {
    // the application is gone (a deleted draft): what the row itself says
    if (str(p.orgNameRu))
      lines.push(
        t("notify:field.org", {
          value: escapeHtml(lang === "kk" ? String(p.orgNameKk ?? p.orgNameRu) : String(p.orgNameRu)),
        }),
      );
    if (str(p.to)) lines.push(t("notify:field.status", { value: statusLabel(t, String(p.to)) }));
    return lines.join("\n");
  }
  const to = str(p.to) ?? str(p.stageStatus) ?? card.status;
  /** Back with the supplier (the head's rejection returns the draft): the reasons are theirs to read. */
  const backToSupplier = stageFor(to as Status)?.side === "SUPPLIER";
  if (row.kind === "status_changed") {
    const label = statusLabel(t, to);
    const headline =
      t(`notify:supplier.${to}`, { defaultValue: "" }) || t("notify:supplier.other", { status: label });
    lines.push(headline);
    lines.push(t("notify:field.org", { value: escapeHtml(nameIn(lang, card.org)) }));
    if (card.region) lines.push(t("notify:field.region", { value: escapeHtml(nameIn(lang, card.region)) }));
    if (!headline.includes(label)) lines.push(t("notify:field.status", { value: label }));
    if (p.final === true || backToSupplier) lines.push(...reasonsForSupplier(v, p, backToSupplier));
    else if (str(p.reasonText))
      lines.push(t("notify:field.reason", { value: escapeHtml(String(p.reasonText)) }));
    return lines.join("\n");
  }
  if (row.kind === "reminder" || row.kind === "escalation") {
    const days = Number(p.days ?? 0);
    const limit = Number(p.limit ?? 0);
    lines.push(
      row.kind === "reminder"
        ? t("notify:reminder_days", { days, limit })
        : t("notify:escalation_days", { days, limit, status: statusLabel(t, card.status) }),
    );
  }
  lines.push(...cardSummary(v, card));
  if (row.kind === "check_requested" || row.kind === "approval_requested") {
    lines.push(...noticeLines(v, card));
    // the buttons under this message decide: say what each does (issue 11)
    const facts = v.live ? v.facts : undefined;
    if (facts?.actor.staffRoles.length)
      lines.push(...effectLines(v, card.notice?.kind, allowedActions(facts.snapshot, facts.actor)));
  }
  if (row.kind === "returned_for_review" || row.kind === "exclusion_cancelled") {
    const reason = str(p.reasonText);
    if (reason) lines.push(t("notify:field.return_reason", { value: escapeHtml(reason) }));
  }
  return lines.join("\n");
}

/** DECISIONS 13: the reasons and notes of a negative decision reach the supplier. */
function reasonsForSupplier(v: NotificationView, p: Payload, backToSupplier: boolean): string[] {
  const { t, names, card } = v;
  const out: string[] = [];
  const reasonText =
    str(p.reasonText) ?? (backToSupplier ? (card?.headRejectReason ?? undefined) : undefined);
  const kind = str(p.noticeKind) as "REJECTION" | "EXCLUSION" | "INCLUSION" | undefined;
  const codes = strs(p.reasons);
  if (kind && kind !== "INCLUSION" && codes.length)
    out.push(
      t("notify:field.reasons", { value: codes.map((c) => escapeHtml(names.reason(kind, c))).join("; ") }),
    );
  if (str(p.additionalGround))
    out.push(t("notify:field.additional_ground", { value: escapeHtml(String(p.additionalGround)) }));
  if (str(p.note)) out.push(t("notify:field.note", { value: escapeHtml(String(p.note)) }));
  if (reasonText) out.push(t("notify:field.reason", { value: escapeHtml(reasonText) }));
  return out;
}

const SUPPLIER_SIDE: readonly Who[] = ["AUTHOR", "SUPPLIER", "SUPPLIER_ADMIN"];

/** Does the table let the supplier's side (not the head) act on an application in this status? */
function asksSupplier(status: Status): boolean {
  if (stageFor(status)?.side === "SUPPLIER") return true;
  if (stageFor(status)) return false; // a Fund or head stage: their own messages carry the buttons
  return TRANSITIONS.some((r) => r.from === status && r.roles.some((w) => SUPPLIER_SIDE.includes(w)));
}

function keyboard(v: NotificationView, row: NotificationRow): InlineKeyboardMarkup | undefined {
  const { t, card, facts } = v;
  if (!card || !row.applicationId) return undefined;
  if (row.kind === "head_approval_requested")
    return v.live
      ? {
          inline_keyboard: [
            [{ text: t("common:menu.head"), callback_data: cb(OPEN_VERBS.head, [card.id], card.version) }],
          ],
        }
      : undefined;
  // A status push that asks the supplier's side to act (the head's rejection back to the draft, a final decision
  // after which «Внести изменения» is possible): the button to it — «Просмотр» with what the table allows now.
  if (row.kind === "status_changed" && asksSupplier(card.status))
    return {
      inline_keyboard: [
        [{ text: t("applications:push_open"), callback_data: cb(OPEN_VERBS.supplierView, [card.id]) }],
      ],
    };
  if (!facts || !v.live) return undefined;
  if (facts.actor.staffRoles.length === 0) return undefined;
  const rows = actionRows(
    t,
    { id: card.id, version: facts.snapshot.version },
    allowedActions(facts.snapshot, facts.actor),
    STAFF_ACTION_BUTTONS,
  );
  rows.push([{ text: t("staff:btn.open"), callback_data: cb(OPEN_VERBS.staffCard, [card.id]) }]);
  return { inline_keyboard: rows };
}

/** One outbox row for its recipient. */
export function renderNotification(v: NotificationView, row: NotificationRow): Rendered {
  const p = (row.payload ?? {}) as Payload;
  if (row.kind === "stage_closed") {
    const at = str(p.decidedAt) ? fmtDateTime(new Date(String(p.decidedAt))) : "";
    const name = escapeHtml(str(p.decidedBy) ?? v.t("notify:someone"));
    const status = str(p.toStatus);
    const line = status
      ? v.t("notify:closed", {
          name,
          at,
          result: v.t("notify:field.status", { value: statusLabel(v.t, status) }),
        })
      : v.t("notify:closed_short", { name, at });
    const original = v.original ? body(v, v.original) : "";
    return {
      mode: "edit",
      messageId: Number(p.messageId),
      text: clipHtml(`${original}\n\n<i>${line}</i>`.trim()),
      reply_markup: { inline_keyboard: [] },
    };
  }
  if (row.kind === "questionnaire" && row.applicationId) {
    const q = questionnaireScreen(v.lang, row.applicationId);
    return { mode: "send", text: q.text, reply_markup: q.keyboard };
  }
  return {
    mode: "send",
    text: clipHtml(body(v, row)),
    reply_markup: keyboard(v, row),
    silent: p.silent === true,
  };
}
