// Callback verbs of the Fund staff screens (codec: bot/kit/callbacks.ts, ≤ 64 bytes).
//
//   fs.v:<app>              open the card (re-read, fresh buttons)       fs.au:<app>          history
//   fs.in:<app>@v           T9 form inclusion notice                     fs.rj:<app>@v        T10 pick grounds
//   fs.rg:<app>:<code>@v    toggle a rejection ground                    fs.rn:<app>@v        type a note
//   fs.rk:<app>@v           T10 form the rejection notice                fs.dn:<app>@v        T11/X2 delete notice
//   fs.sc:<app>@v           pick checkers                                fs.tc:<app>:<user>@v toggle a checker
//   fs.go:<app>@v           T12/T13/X3 send to check                     fs.cc / fs.cr        checker confirm / refuse
//   fs.aa / fs.ar           approver approve / refuse                    fs.xs:<app>@v        X1 pick exclusion reason
//   fs.xr:<app>:<code>@v    X1 reason chosen                             fs.xk:<app>@v        X1 form exclusion notice
//   fs.xg:<app>@v           X1 type the additional ground                fs.xa:<app>@v        X7 show the notice + SHA-256
//   fs.xc:<app>@v           X7 confirm (Signer)                          fs.x:<app>           cancel a typed answer
//   fs.cp:<app>:<page>      the card's page (◀ ▶)                       fs.pin:<app>:<i>     base i as a map pin
//   fs.lc:<app>:<i>         licence i with its appendices                fs.dc:<app>          the card's files
//   fs.nt:<app>             the current notice as a PDF
//   fs.q:<role>:0           queue, first page
//   fs.q:<role>:<page>:<n|p>:<at36>:<id>  queue page after (n) / before (p) the keyset cursor (statusChangedAt, id)
import { defineVerbs } from "../../kit/callbacks.ts";

export const V = defineVerbs({
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
  cardPage: "fs.cp",
  pin: "fs.pin",
  licence: "fs.lc",
  docs: "fs.dc",
  noticePdf: "fs.nt",
});
