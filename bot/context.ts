// The one Context definition every handler and conversation uses.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context, SessionFlavor } from "grammy";
import type { Logger } from "pino";
import type { OrgRole, StaffRole } from "../domain/types.ts";
import type { Lang, Translate } from "./i18n.ts";
import type { AppDeps } from "./deps.ts";

/** Small, versioned UI state kept in Redis (or memory without Redis). The draft itself lives in PostgreSQL. */
export interface SessionData {
  v: 1;
  /** Chosen language; mirrored in User.language. */
  lang?: Lang;
  /** Which step the next free message answers: { kind: "wizard", id: "<draftId>" } or the deadline calculator. Free-text reasons are conversations (conversations/prompts.ts). */
  awaiting?: { kind: string; id?: string; data?: Record<string, string | number | boolean> };
  /** Feature-specific scratch values (keep them small). */
  scratch?: Record<string, unknown>;
}

export const initialSession = (): SessionData => ({ v: 1 });

/** The user's roles in organisations and Fund branches, read with the user (one query) for drawing menus. */
export interface UserRoles {
  org: { orgId: string; role: OrgRole }[];
  staff: { branchId: string; role: StaffRole }[];
}

export interface AppContextExtras {
  deps: AppDeps;
  log: Logger;
  lang: Lang;
  t: Translate;
  /** The database user behind ctx.from (created on first contact). */
  user?: { id: string; telegramId: bigint; language: string | null; fullName: string | null };
  /** Roles read together with the user at the start of the update; reset after a change (invite redemption). */
  roles?: UserRoles;
}

export type BaseContext = Context & SessionFlavor<SessionData> & AppContextExtras;
export type AppContext = ConversationFlavor<BaseContext>;
