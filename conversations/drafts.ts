// The drafts' callback verbs and the supplier's buttons on a draft or an application: the actions the transition
// table allows this person now (`allowedActions` through views/actions.ts SUPPLIER_ACTION_BUTTONS), never chosen
// by status. The drafts feature (bot/features/drafts) handles these verbs.
//
//   ap.new1                          confirm the M6 warning and create (T1)
//   ap.list                          the drafts list
//   ap.view:<app>                    one application (read-only to whoever may not edit it)
//   ap.cont:<app>@<v>                continue / edit at the current step (T2: the author only)
//   ap.del:<app>@<v> / ap.dely:<app>@<v>   delete: ask / confirmed (T3)
//   ap.form:<app>@<v>                T4 «Сформировать заявку о включении» (PDF)
//   ap.send:<app>@<v>                T5 «Отправить на подписание»
//   ap.chg:<app>@<v>                 T20 «Внести изменение»
//   wz.<verb>:<app>[:<arg>…]@<v>     the wizard's steps (conversations/wizard/engine.ts)
import type { InlineKeyboardButton } from "grammy/types";
import { cb, defineVerbs } from "../bot/kit/callbacks.ts";
import type { Translate } from "../bot/kit/i18n.ts";
import { actionRows, SUPPLIER_ACTION_BUTTONS } from "../bot/views/actions.ts";
import type { Action } from "../domain/types.ts";

export const AP = defineVerbs({
  create: "ap.new1",
  list: "ap.list",
  view: "ap.view",
  cont: "ap.cont",
  del: "ap.del",
  delYes: "ap.dely",
  form: "ap.form",
  send: "ap.send",
  changes: "ap.chg",
});

/** The wizard's buttons all start with this (one owner for the whole prefix). */
export const WIZARD_PREFIX = "wz.";

/** The supplier's buttons for what the table allows now, and «К списку заявок». */
export function draftActions(
  t: Translate,
  app: { id: string; version: number },
  allowed: readonly Action[],
  opts: { list?: boolean } = {},
): InlineKeyboardButton[][] {
  const rows = actionRows(t, app, allowed, SUPPLIER_ACTION_BUTTONS);
  if (opts.list !== false) rows.push([{ text: t("drafts:btn.list"), callback_data: cb(AP.list) }]);
  return rows;
}
