// The one Context definition every handler, flow and view uses.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context, SessionFlavor } from "grammy";
import type { Logger } from "pino";
import type { App } from "../app/index.ts";
import type { Memberships } from "../domain/access.ts";
import type { AppConfig } from "./config.ts";
import type { Lang, Translate } from "./kit/i18n.ts";
import type { SessionData } from "./kit/session.ts";
import type { ShownMessages } from "./kit/shown.ts";

export interface UserRef {
  id: string;
  telegramId: bigint;
  language: string | null;
  fullName: string | null;
}

export interface AppContextExtras {
  app: App;
  config: AppConfig;
  log: Logger;
  lang: Lang;
  t: Translate;
  /** The database user behind ctx.from (created on first contact). */
  user?: UserRef;
  /** The user's roles, read with the user at the start of the update; re-read after an invite is redeemed. */
  memberships: Memberships;
  /** Set this chat's command menu for the person's language and roles (after /start, language, invite). */
  refreshCommands(): Promise<void>;
  /** Fetch a file from the Bot API's file server (kit/files.ts). */
  download(url: string): Promise<Response>;
  /** What this bot last put into its messages (kit/shown.ts): a second tap does not repeat the same edit. */
  shown?: ShownMessages;
}

export type BaseContext = Context & SessionFlavor<SessionData> & AppContextExtras;
export type AppContext = ConversationFlavor<BaseContext>;
