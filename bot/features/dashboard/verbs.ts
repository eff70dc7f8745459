// Callback verbs of the branch manager's picture (codec: bot/kit/callbacks.ts, ≤ 64 bytes).
//
//   db.p:<branch>:<period>:<offset>   the dashboard of a period (week|month|quarter; 0 = current, -1 = previous…)
//   db.x:<branch>:<period>:<offset>   export: the decisions of that period (and the register) as CSV + XLSX
//   db.t:<branch>                     the stage deadlines (a manager edits them)
//   db.ts:<branch>:<stage>:<days>@<shown days>  set one stage's deadline (refused if it changed since shown)
//   db.w:<branch>:<weekday>:<minute>:<on|off>  the branch's weekly digest (weekday 1–5, Astana minutes)
//   db.g:<on|off>:<hour>              the staff member's morning digest (on/off, hour 6–12)
//   db.n                              a label button (does nothing)
// The oldest overdue items open the staff card through the staff feature's verb (fs.v:<app>).
import { defineVerbs } from "../../kit/callbacks.ts";

export const DB = defineVerbs({
  period: "db.p",
  export: "db.x",
  thresholds: "db.t",
  setThreshold: "db.ts",
  digest: "db.g",
  weekly: "db.w",
  noop: "db.n",
});
