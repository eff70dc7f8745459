// The main menu, drawn from the user's roles as they were read at the start of the update.
import { InlineKeyboard } from "grammy";
import {
  isSigner,
  isStaff,
  isSupplierAdmin,
  isSupplierSide,
  type Memberships,
} from "../../../domain/access.ts";
import type { AppContext } from "../../context.ts";
import { cb } from "../../kit/callbacks.ts";
import type { Translate } from "../../kit/i18n.ts";
import { show } from "../../kit/ui.ts";
import { MENU } from "./verbs.ts";

export function mainMenuKeyboard(t: Translate, m: Memberships): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (isSupplierAdmin(m)) {
    kb.text(t("common:menu.licences"), cb(MENU.licences)).row();
    kb.text(t("common:menu.new_application"), cb(MENU.newApplication)).row();
    kb.text(t("common:menu.drafts"), cb(MENU.drafts)).row();
  }
  if (isSupplierSide(m)) kb.text(t("common:menu.applications"), cb(MENU.applications)).row();
  if (isSigner(m)) kb.text(t("common:menu.head"), cb(MENU.head)).row();
  if (isSupplierAdmin(m)) kb.text(t("common:menu.services"), cb(MENU.services)).row();
  if (isStaff(m)) kb.text(t("common:menu.queue"), cb(MENU.queue)).row();
  if (isStaff(m)) kb.text(t("common:menu.register"), cb(MENU.register)).row();
  kb.text(t("common:menu.language"), cb(MENU.language)).text(t("common:menu.help"), cb(MENU.help));
  return kb;
}

/** Show the main menu (in place of the pressed message when `edit`). */
export async function showMainMenu(ctx: AppContext, edit = false): Promise<void> {
  const m = ctx.memberships;
  const text = m.org.length || m.staff.length ? ctx.t("common:menu.title") : ctx.t("common:menu.no_roles");
  await show(ctx, { text, keyboard: mainMenuKeyboard(ctx.t, m) }, { fresh: !edit });
}

/** A one-button keyboard back to the main menu. */
export const backToMenu = (t: Translate) => new InlineKeyboard().text(t("common:menu.back"), cb(MENU.menu));
