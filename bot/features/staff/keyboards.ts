// Callback verbs and keyboards of the Fund staff screens (codec: bot/callbacks.ts, ≤ 64 bytes).
//
//   st.v:<app>              open the card (re-read, fresh buttons)       st.au:<app>          audit
//   st.in:<app>@v           T9 form inclusion notice                     st.rj:<app>@v        T10 pick grounds
//   st.rg:<app>:<code>@v    toggle a rejection ground                    st.rn:<app>@v        type a note
//   st.rk:<app>@v           T10 form the rejection notice                st.dn:<app>@v        T11/X2 delete notice
//   st.sc:<app>@v           pick checkers                                st.tc:<app>:<user>@v toggle a checker
//   st.go:<app>@v           T12/T13/X3 send to check                     st.cc / st.cr        checker confirm / refuse
//   st.aa / st.ar           approver approve / refuse                    st.xs:<app>@v        X1 pick exclusion reason
//   st.xr:<app>:<code>@v    X1 reason chosen                             st.xk:<app>@v        X1 form exclusion notice
//   st.xa:<app>@v           X7 show the notice + SHA-256                 st.xc:<app>@v        X7 confirm (Signer)
//   st.q:<role>:<page>      queue page                                   st.x                 cancel the prompt
import { InlineKeyboard } from "grammy";
import type { Action } from "../../../domain/types.ts";
import { cb } from "../../callbacks.ts";
import type { Translate } from "../../i18n.ts";

export const V = {
  view: "st.v",
  audit: "st.au",
  inclusion: "st.in",
  rejection: "st.rj",
  ground: "st.rg",
  note: "st.rn",
  rejectionOk: "st.rk",
  deleteNotice: "st.dn",
  pickCheckers: "st.sc",
  toggleChecker: "st.tc",
  send: "st.go",
  checkerConfirm: "st.cc",
  checkerRefuse: "st.cr",
  approverApprove: "st.aa",
  approverRefuse: "st.ar",
  exclusion: "st.xs",
  exclusionReason: "st.xr",
  exclusionGround: "st.xg",
  exclusionOk: "st.xk",
  exclusionApprove: "st.xa",
  exclusionSign: "st.xc",
  queue: "st.q",
  cancel: "st.x",
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
  if (has("FORM_INCLUSION_NOTICE")) kb.text(t("staff:btn.form_inclusion"), cb(V.inclusion, [app.id], v)).row();
  if (has("FORM_REJECTION_NOTICE")) kb.text(t("staff:btn.form_rejection"), cb(V.rejection, [app.id], v)).row();
  if (has("FORM_EXCLUSION_NOTICE")) kb.text(t("staff:btn.exclude"), cb(V.exclusion, [app.id], v)).row();
  if (has("SEND_TO_CHECK")) kb.text(t("staff:btn.send_to_check"), cb(V.pickCheckers, [app.id], v)).row();
  if (has("SEND_EXCLUSION_TO_CHECK")) kb.text(t("staff:btn.send_to_confirm"), cb(V.pickCheckers, [app.id], v)).row();
  if (has("DELETE_NOTICE")) kb.text(t("staff:btn.delete_notice"), cb(V.deleteNotice, [app.id], v)).row();
  if (has("CHECKER_CONFIRM") || has("CHECKER_REFUSE")) {
    if (has("CHECKER_CONFIRM")) kb.text(t("staff:btn.confirm"), cb(V.checkerConfirm, [app.id], v));
    if (has("CHECKER_REFUSE")) kb.text(t("staff:btn.refuse"), cb(V.checkerRefuse, [app.id], v));
    kb.row();
  }
  if (has("APPROVER_APPROVE") || has("APPROVER_REFUSE") || has("APPROVE_EXCLUSION")) {
    if (has("APPROVER_APPROVE")) kb.text(t("staff:btn.approve"), cb(V.approverApprove, [app.id], v));
    if (has("APPROVE_EXCLUSION")) kb.text(t("staff:btn.approve_exclusion"), cb(V.exclusionApprove, [app.id], v));
    if (has("APPROVER_REFUSE")) kb.text(t("staff:btn.decline"), cb(V.approverRefuse, [app.id], v));
    kb.row();
  }
  if (opts.open) kb.text(t("staff:btn.open"), cb(V.view, [app.id]));
  kb.text(t("staff:btn.audit"), cb(V.audit, [app.id]));
  return kb;
}
