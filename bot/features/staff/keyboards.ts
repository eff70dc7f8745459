// Callback verbs and keyboards of the Fund staff screens (codec: bot/callbacks.ts, ≤ 64 bytes).
//
//   fs.v:<app>              open the card (re-read, fresh buttons)       fs.au:<app>          audit
//   fs.in:<app>@v           T9 form inclusion notice                     fs.rj:<app>@v        T10 pick grounds
//   fs.rg:<app>:<code>@v    toggle a rejection ground                    fs.rn:<app>@v        type a note
//   fs.rk:<app>@v           T10 form the rejection notice                fs.dn:<app>@v        T11/X2 delete notice
//   fs.sc:<app>@v           pick checkers                                fs.tc:<app>:<user>@v toggle a checker
//   fs.go:<app>@v           T12/T13/X3 send to check                     fs.cc / fs.cr        checker confirm / refuse
//   fs.aa / fs.ar           approver approve / refuse                    fs.xs:<app>@v        X1 pick exclusion reason
//   fs.xr:<app>:<code>@v    X1 reason chosen                             fs.xk:<app>@v        X1 form exclusion notice
//   fs.xa:<app>@v           X7 show the notice + SHA-256                 fs.xc:<app>@v        X7 confirm (Signer)
//   fs.q:<role>:0           queue, first page                            fs.x                 cancel the prompt
//   fs.q:<role>:<page>:<n|p>:<at36>:<id>  queue page after (n) / before (p) the keyset cursor (statusChangedAt, id)
import { InlineKeyboard } from "grammy";
import type { Action } from "../../../domain/types.ts";
import { cb } from "../../callbacks.ts";
import type { Translate } from "../../i18n.ts";

export const V = {
  view: "fs.v",
  audit: "fs.au",
  inclusion: "fs.in",
  rejection: "fs.rj",
  ground: "fs.rg",
  note: "fs.rn",
  rejectionOk: "fs.rk",
  deleteNotice: "fs.dn",
  pickCheckers: "fs.sc",
  toggleChecker: "fs.tc",
  send: "fs.go",
  checkerConfirm: "fs.cc",
  checkerRefuse: "fs.cr",
  approverApprove: "fs.aa",
  approverRefuse: "fs.ar",
  exclusion: "fs.xs",
  exclusionReason: "fs.xr",
  exclusionGround: "fs.xg",
  exclusionOk: "fs.xk",
  exclusionApprove: "fs.xa",
  exclusionSign: "fs.xc",
  queue: "fs.q",
  cancel: "fs.x",
} as const;

/** Buttons for the actions the actor may take right now (the version is the one just read). */
export function actionsKeyboard(
  t: Translate,
  app: { id: string; version: number },
  actions: readonly Action[],
  opts: { open?: boolean } = {},
): InlineKeyboard {
  const kb = new InlineKeyboard();
  const has = (a: Action) => actions.includes(a);
  const v = app.version;
  if (has("FORM_INCLUSION_NOTICE"))
    kb.text(t("staff:btn.form_inclusion"), cb(V.inclusion, [app.id], v)).row();
  if (has("FORM_REJECTION_NOTICE"))
    kb.text(t("staff:btn.form_rejection"), cb(V.rejection, [app.id], v)).row();
  if (has("FORM_EXCLUSION_NOTICE")) kb.text(t("staff:btn.exclude"), cb(V.exclusion, [app.id], v)).row();
  if (has("SEND_TO_CHECK")) kb.text(t("staff:btn.send_to_check"), cb(V.pickCheckers, [app.id], v)).row();
  if (has("SEND_EXCLUSION_TO_CHECK"))
    kb.text(t("staff:btn.send_to_confirm"), cb(V.pickCheckers, [app.id], v)).row();
  if (has("DELETE_NOTICE")) kb.text(t("staff:btn.delete_notice"), cb(V.deleteNotice, [app.id], v)).row();
  if (has("CHECKER_CONFIRM") || has("CHECKER_REFUSE")) {
    if (has("CHECKER_CONFIRM")) kb.text(t("staff:btn.confirm"), cb(V.checkerConfirm, [app.id], v));
    if (has("CHECKER_REFUSE")) kb.text(t("staff:btn.refuse"), cb(V.checkerRefuse, [app.id], v));
    kb.row();
  }
  if (has("APPROVER_APPROVE") || has("APPROVER_REFUSE") || has("APPROVE_EXCLUSION")) {
    if (has("APPROVER_APPROVE")) kb.text(t("staff:btn.approve"), cb(V.approverApprove, [app.id], v));
    if (has("APPROVE_EXCLUSION"))
      kb.text(t("staff:btn.approve_exclusion"), cb(V.exclusionApprove, [app.id], v));
    if (has("APPROVER_REFUSE")) kb.text(t("staff:btn.decline"), cb(V.approverRefuse, [app.id], v));
    kb.row();
  }
  if (opts.open) kb.text(t("staff:btn.open"), cb(V.view, [app.id]));
  kb.text(t("staff:btn.audit"), cb(V.audit, [app.id]));
  return kb;
}
