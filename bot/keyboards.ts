// The shared main menu, built from the user's roles as they are in the database right now.
import { InlineKeyboard } from "grammy";
import type { OrgRole } from "../domain/types.ts";
import { cb } from "./callbacks.ts";
import type { AppContext, UserRoles } from "./context.ts";

/**
 * Callback verbs of the main menu. Each is handled by the feature that owns the screen:
 * licences (licences.ts), my applications (status.ts), head (head.ts), new application / drafts
 * (applications.ts, wizard), staff queue (staff.ts), services / language / help (start.ts).
 */
export const MENU = {
  menu: "m.menu",
  licences: "m.lic",
  newApplication: "m.new",
  applications: "m.apps",
  drafts: "m.drafts",
  services: "m.svc",
  head: "m.head",
  queue: "m.queue",
  language: "m.lang",
  help: "m.help",
} as const;

export type { UserRoles } from "./context.ts";

/** The user's roles: read with the user at the start of the update (createBot), or now if reset since. */
export async function loadRoles(ctx: AppContext): Promise<UserRoles> {
  if (!ctx.user) return { org: [], staff: [] };
  if (ctx.roles) return ctx.roles;
  const [org, staff] = await Promise.all([
    ctx.deps.prisma.orgMembership.findMany({
      where: { userId: ctx.user.id },
      select: { orgId: true, role: true },
      orderBy: { createdAt: "asc" },
    }),
    ctx.deps.prisma.staffMembership.findMany({
      where: { userId: ctx.user.id },
      select: { branchId: true, role: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  ctx.roles = { org, staff };
  return ctx.roles;
}

export const hasOrgRole = (r: UserRoles, role: OrgRole) => r.org.some((m) => m.role === role);
/** G1: «Поставщик» + «Администратор организации» in the same organisation. */
export const isSupplierAdmin = (r: UserRoles) =>
  r.org.some(
    (m) => m.role === "SUPPLIER" && r.org.some((n) => n.orgId === m.orgId && n.role === "ORG_ADMIN"),
  );
export const isHead = (r: UserRoles) => r.org.some((m) => m.role === "HEAD" || m.role === "HEAD_ATTORNEY");
export const isSupplierSide = (r: UserRoles) => r.org.length > 0;
export const isStaff = (r: UserRoles) => r.staff.length > 0;

export function mainMenuKeyboard(t: AppContext["t"], roles: UserRoles): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (isSupplierAdmin(roles)) {
    kb.text(t("common:menu.licences"), cb(MENU.licences)).row();
    kb.text(t("common:menu.new_application"), cb(MENU.newApplication)).row();
    kb.text(t("common:menu.drafts"), cb(MENU.drafts)).row();
  }
  if (isSupplierSide(roles)) kb.text(t("common:menu.applications"), cb(MENU.applications)).row();
  if (isHead(roles)) kb.text(t("common:menu.head"), cb(MENU.head)).row();
  if (isSupplierAdmin(roles)) kb.text(t("common:menu.services"), cb(MENU.services)).row();
  if (isStaff(roles)) kb.text(t("common:menu.queue"), cb(MENU.queue)).row();
  kb.text(t("common:menu.language"), cb(MENU.language)).text(t("common:menu.help"), cb(MENU.help));
  return kb;
}

/** Send the main menu (text depends on whether the user has any role yet). */
export async function showMainMenu(ctx: AppContext, edit = false): Promise<void> {
  const roles = await loadRoles(ctx);
  const text =
    roles.org.length || roles.staff.length ? ctx.t("common:menu.title") : ctx.t("common:menu.no_roles");
  const reply_markup = mainMenuKeyboard(ctx.t, roles);
  if (edit && ctx.callbackQuery?.message) {
    await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup });
  } else {
    await ctx.reply(text, { parse_mode: "HTML", reply_markup });
  }
}

/** A one-button keyboard back to the main menu. */
export const backToMenu = (t: AppContext["t"]) =>
  new InlineKeyboard().text(t("common:menu.back"), cb(MENU.menu));
