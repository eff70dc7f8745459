// Callback verbs of the head's screens (codec: bot/kit/callbacks.ts, ≤ 64 bytes). The action buttons come from
// views/actions.ts HEAD_ACTION_BUTTONS (hd.s, hd.sc, hd.r); the notification's button is views OPEN_VERBS.head.
//
//   hd.q                   the applications awaiting the signer        hd.o:<app>@v     open the card
//   hd.f:<app>@v           the form (PDF) as stored at T4              hd.s:<app>@v     «Отправить» → M4
//   hd.ok:<app>@v          M4 «ОК» → both documents and their hashes   hd.cf:<app>@v    sign both, T6 + T8
//   hd.sc:<app>@v          «Подписать согласие» → the consent          hd.scf:<app>@v   sign it (T6 alone)
//   hd.r:<app>@v           «Отклонить» → the typed reason (T7)         hd.x:<app>       cancel
import { defineVerbs } from "../../kit/callbacks.ts";
import { HEAD_ACTION_BUTTONS } from "../../views/actions.ts";
import { OPEN_VERBS } from "../../views/notifications.ts";

export const V = defineVerbs({
  queue: "hd.q",
  open: OPEN_VERBS.head,
  form: "hd.f",
  send: HEAD_ACTION_BUTTONS.HEAD_SUBMIT?.verb ?? "hd.s",
  ok: "hd.ok",
  confirm: "hd.cf",
  consent: HEAD_ACTION_BUTTONS.HEAD_SIGN_CONSENT?.verb ?? "hd.sc",
  consentOk: "hd.scf",
  reject: HEAD_ACTION_BUTTONS.HEAD_REJECT?.verb ?? "hd.r",
  cancel: "hd.x",
});
