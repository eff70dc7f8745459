// The buttons of the actions the transition table allows (`allowedActions`), for every role alike: an action
// is shown iff the table allows it to this person now; its verb and label come from here, once.
import type { InlineKeyboardButton } from "grammy/types";
import type { Action } from "../../domain/types.ts";
import { cb } from "../kit/callbacks.ts";
import type { Translate } from "../kit/i18n.ts";

export interface ActionButton {
  /** The callback verb (owned by the feature that handles it). */
  verb: string;
  /** Locale key of the label. */
  label: string;
  /** Buttons of one group share a row. */
  row?: string;
}

/** Staff actions (bot/features/staff). */
export const STAFF_ACTION_BUTTONS: Partial<Record<Action, ActionButton>> = {
  FORM_INCLUSION_NOTICE: { verb: "fs.in", label: "staff:btn.form_inclusion" },
  FORM_REJECTION_NOTICE: { verb: "fs.rj", label: "staff:btn.form_rejection" },
  FORM_EXCLUSION_NOTICE: { verb: "fs.xs", label: "staff:btn.exclude" },
  SEND_TO_CHECK: { verb: "fs.sc", label: "staff:btn.send_to_check" },
  SEND_EXCLUSION_TO_CHECK: { verb: "fs.sc", label: "staff:btn.send_to_confirm" },
  DELETE_NOTICE: { verb: "fs.dn", label: "staff:btn.delete_notice" },
  CHECKER_CONFIRM: { verb: "fs.cc", label: "staff:btn.confirm", row: "check" },
  CHECKER_REFUSE: { verb: "fs.cr", label: "staff:btn.refuse", row: "check" },
  APPROVER_APPROVE: { verb: "fs.aa", label: "staff:btn.approve", row: "approve" },
  APPROVE_EXCLUSION: { verb: "fs.xa", label: "staff:btn.approve_exclusion", row: "approve" },
  APPROVER_REFUSE: { verb: "fs.ar", label: "staff:btn.decline", row: "approve" },
};

/** The supplier's actions on their application (bot/features/drafts). */
export const SUPPLIER_ACTION_BUTTONS: Partial<Record<Action, ActionButton>> = {
  EDIT: { verb: "ap.cont", label: "drafts:btn.continue" },
  GENERATE_FORM: { verb: "ap.form", label: "drafts:btn.form" },
  SEND_TO_HEAD: { verb: "ap.send", label: "drafts:btn.send" },
  DELETE: { verb: "ap.del", label: "drafts:btn.delete" },
  MAKE_CHANGES: { verb: "ap.chg", label: "drafts:btn.changes" },
};

/** The head's actions (bot/features/head). */
export const HEAD_ACTION_BUTTONS: Partial<Record<Action, ActionButton>> = {
  HEAD_SUBMIT: { verb: "hd.s", label: "head:sign_button" },
  HEAD_SIGN_CONSENT: { verb: "hd.sc", label: "head:sign_consent_button" },
  HEAD_REJECT: { verb: "hd.r", label: "head:reject_button" },
};

/** The rows of buttons for the allowed actions, in the table's order of the map, grouped by `row`. */
export function actionRows(
  t: Translate,
  app: { id: string; version: number },
  allowed: readonly Action[],
  buttons: Partial<Record<Action, ActionButton>>,
): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const grouped = new Map<string, InlineKeyboardButton[]>();
  for (const [action, b] of Object.entries(buttons) as [Action, ActionButton][]) {
    if (!allowed.includes(action)) continue;
    const button = { text: t(b.label), callback_data: cb(b.verb, [app.id], app.version) };
    if (!b.row) rows.push([button]);
    else {
      const row = grouped.get(b.row);
      if (row) row.push(button);
      else {
        const r = [button];
        grouped.set(b.row, r);
        rows.push(r);
      }
    }
  }
  return rows;
}

/** The verbs a set of buttons uses (for the feature's verb declaration). */
export const verbsOf = (buttons: Partial<Record<Action, ActionButton>>): string[] => [
  ...new Set(Object.values(buttons).map((b) => b.verb)),
];
