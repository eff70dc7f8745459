// Bot API methods about the bot itself: getMe, webhooks, commands per scope and language
// (setMyCommands / getMyCommands / deleteMyCommands), name and descriptions, getChat, getFile.
import type { SandboxState } from "../state.ts";
import { bad, bool, LIMITS, obj, str } from "../types.ts";
import type { Method } from "./call.ts";
import { chatFor } from "./send.ts";

const SCOPES_WITHOUT_CHAT = ["default", "all_private_chats", "all_group_chats", "all_chat_administrators"];
const SCOPES_WITH_CHAT = ["chat", "chat_administrators", "chat_member"];

/** The key of a (scope, language_code) pair, validated as Telegram does. */
function commandsKey(s: SandboxState, p: Record<string, unknown>): string {
  const scope = obj<Record<string, unknown>>(p.scope, "BotCommandScope") ?? { type: "default" };
  if (typeof scope !== "object" || scope === null || Array.isArray(scope))
    throw bad("can't parse BotCommandScope: BotCommandScope must be an Object");
  const type = str(scope.type) ?? "";
  const lang = str(p.language_code) ?? "";
  if (lang && !/^[a-z]{2}$/.test(lang)) throw bad("LANG_CODE_INVALID");
  if (SCOPES_WITHOUT_CHAT.includes(type)) return `${type}:::${lang}`;
  if (!SCOPES_WITH_CHAT.includes(type)) throw bad("can't parse BotCommandScope: Unsupported type specified");
  const chat = chatFor(s, scope.chat_id);
  let user = "";
  if (type === "chat_member") {
    const u = Number(scope.user_id);
    if (!Number.isSafeInteger(u) || u <= 0)
      throw bad("can't parse BotCommandScope: Invalid user_id specified");
    user = String(u);
  }
  return `${type}:${chat.person.id}:${user}:${lang}`;
}

/** name / description / short_description per language_code (empty: the default). */
function setProfile(s: SandboxState, p: Record<string, unknown>, field: string, max: number): true {
  const lang = str(p.language_code) ?? "";
  if (lang && !/^[a-z]{2}$/.test(lang)) throw bad("LANG_CODE_INVALID");
  const value = str(p[field]) ?? "";
  // The length limits are the documented ones; the error wording is the sandbox's (not verified against Telegram).
  if (value.length > max) throw bad(`${field.replace("_", " ")} is too long`);
  if (value) s.profile.set(`${field}:${lang}`, value);
  else s.profile.delete(`${field}:${lang}`);
  s.emit({ type: "profile" });
  return true;
}

export const botMethods: Record<string, Method> = {
  getme: ({ s }) => ({
    ...s.botUser(),
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  setwebhook: ({ s, p }) => {
    s.webhookUrl = str(p.url) ?? "";
    if (bool(p.drop_pending_updates)) s.dropPendingUpdates();
    if (s.webhookUrl) s.markReady();
    return true;
  },
  deletewebhook: ({ s, p }) => {
    s.webhookUrl = "";
    if (bool(p.drop_pending_updates)) s.dropPendingUpdates();
    return true;
  },
  getwebhookinfo: ({ s }) => ({
    url: s.webhookUrl,
    has_custom_certificate: false,
    pending_update_count: s.updates.length,
  }),
  logout: () => true,
  close: () => true,

  setmycommands: ({ s, p }) => {
    if (p.commands === undefined || p.commands === "") throw bad('parameter "commands" is required');
    const list = obj<{ command?: unknown; description?: unknown }[]>(p.commands, "commands");
    if (!Array.isArray(list)) throw bad("expected an Array of BotCommand");
    if (list.length > 100) throw bad("too many commands");
    const out = list.map((c) => {
      const command = String(c?.command ?? "").replace(/^\//, "");
      const description = String(c?.description ?? "");
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw bad("BOT_COMMAND_INVALID");
      if (description.length < 1 || description.length > 256) throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
      return { command, description };
    });
    const key = commandsKey(s, p);
    if (out.length) s.commands.set(key, out);
    else s.commands.delete(key);
    s.emit({ type: "commands" });
    return true;
  },
  /** Exactly what was set for the scope and language (no fallback), as Telegram answers. */
  getmycommands: ({ s, p }) => s.commands.get(commandsKey(s, p)) ?? [],
  deletemycommands: ({ s, p }) => {
    s.commands.delete(commandsKey(s, p));
    s.emit({ type: "commands" });
    return true;
  },

  setmyname: ({ s, p }) => setProfile(s, p, "name", 64),
  getmyname: ({ s, p }) => ({
    name: s.profile.get(`name:${str(p.language_code) ?? ""}`) ?? s.botUser().first_name,
  }),
  setmydescription: ({ s, p }) => setProfile(s, p, "description", LIMITS.description),
  getmydescription: ({ s, p }) => ({
    description: s.profile.get(`description:${str(p.language_code) ?? ""}`) ?? "",
  }),
  setmyshortdescription: ({ s, p }) => setProfile(s, p, "short_description", LIMITS.shortDescription),
  getmyshortdescription: ({ s, p }) => ({
    short_description: s.profile.get(`short_description:${str(p.language_code) ?? ""}`) ?? "",
  }),
  setchatmenubutton: () => true,

  getchat: ({ s, p }) => {
    const c = chatFor(s, p.chat_id);
    return { ...s.chatOf(c.person), accent_color_id: 0, max_reaction_count: 11 };
  },
  getfile: ({ s, p }) => s.media.getFile(str(p.file_id) ?? ""),
};
