// The actions a supplier has on an application, drawn for its status (buttons carry id + version).
import type { InlineKeyboardButton } from "grammy/types";
import { cb } from "../bot/callbacks.ts";
import type { AppContext } from "../bot/context.ts";

export function draftActions(
  ctx: AppContext,
  app: { id: string; version: number; status: string },
): InlineKeyboardButton[][] {
  const b = (key: string, verb: string): InlineKeyboardButton[] => [
    { text: ctx.t(`drafts:btn.${key}`), callback_data: cb(verb, [app.id], app.version) },
  ];
  const rows: InlineKeyboardButton[][] = [];
  if (app.status === "DRAFT") {
    rows.push(b("continue", "ap.cont"), b("form", "ap.form"), b("send", "ap.send"), b("delete", "ap.del"));
  } else if (app.status === "INCLUDED" || app.status === "REJECTED") {
    rows.push(b("changes", "ap.chg"));
  }
  rows.push([{ text: ctx.t("drafts:btn.list"), callback_data: cb("ap.list") }]);
  return rows;
}
