// createBot: the bot with all middleware and features, independent of how updates arrive
// (long polling, webhook, the local sandbox or bot.handleUpdate in tests).
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { type Api, Bot, type BotConfig, GrammyError, HttpError, session, type StorageAdapter } from "grammy";
import type { BotCommand, UserFromGetMe } from "grammy/types";
import type { Redis } from "ioredis";
import { promptConversations } from "../conversations/prompts.ts";
import { type AppContext, initialSession, type SessionData, type UserRoles } from "./context.ts";
import type { AppDeps } from "./deps.ts";
import { features } from "./features/index.ts";
import { isLang, LANGUAGES, type Lang, translator } from "./i18n.ts";
import { showMainMenu } from "./keyboards.ts";
import { MemoryStorage, RedisStorage } from "./storage.ts";

export interface CreateBotOptions {
  deps: AppDeps;
  /** Redis for sessions and conversations; memory when absent. */
  redis?: Redis;
  /** Skip getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  client?: BotConfig<AppContext>["client"];
}

/** Sessions and conversations are keyed per chat and user, and updates with the same key run one at a time. */
export const sessionKey = (ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined =>
  ctx.chat && ctx.from ? `${ctx.chat.id}:${ctx.from.id}` : ctx.from ? `u:${ctx.from.id}` : undefined;

export function createBot(opts: CreateBotOptions): Bot<AppContext> {
  const { deps } = opts;
  const token = deps.config.BOT_TOKEN ?? "sandbox:token";
  const bot = new Bot<AppContext>(token, {
    botInfo: opts.botInfo,
    client: { apiRoot: deps.config.BOT_API_ROOT, ...opts.client },
  });

  const sessionStorage: StorageAdapter<SessionData> = opts.redis
    ? new RedisStorage<SessionData>(opts.redis, `${deps.config.REDIS_PREFIX}s:`)
    : new MemoryStorage<SessionData>();
  const convStorage = opts.redis
    ? new RedisStorage<never>(opts.redis, `${deps.config.REDIS_PREFIX}c:`)
    : new MemoryStorage<never>();

  // Per-update context: dependencies, a logger that carries the update id (never personal data).
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.log = deps.logger.child({ update_id: ctx.update.update_id });
    ctx.lang = "ru";
    ctx.t = translator("ru");
    await next();
  });
  bot.use(sequentialize((ctx) => sessionKey(ctx)));
  bot.use(session({ initial: initialSession, storage: sessionStorage, getSessionKey: sessionKey }));

  // Who is this, which language.
  bot.use(async (ctx, next) => {
    if (ctx.from && !ctx.from.is_bot) {
      const telegramId = BigInt(ctx.from.id);
      // One indexed read with the roles on the hot path; the (transactional) upsert only on first contact.
      const found = await loadUserWithRoles(deps.prisma, telegramId);
      const user =
        found?.user ??
        (await deps.prisma.user.upsert({
          where: { telegramId },
          update: {},
          create: { telegramId, username: ctx.from.username ?? null },
          select: { id: true, telegramId: true, language: true, fullName: true },
        }));
      ctx.user = user;
      ctx.roles = found?.roles ?? { org: [], staff: [] };
      const lang: Lang | undefined = isLang(ctx.session.lang)
        ? ctx.session.lang
        : isLang(user.language)
          ? user.language
          : undefined;
      if (lang) {
        ctx.lang = lang;
        ctx.t = translator(lang);
        if (ctx.session.lang !== lang) ctx.session.lang = lang;
      }
    }
    await next();
  });

  bot.use(
    conversations<AppContext, AppContext>({
      storage: { type: "key", version: 1, getStorageKey: sessionKey, adapter: convStorage as never },
    }),
  );

  const guarded = bot.errorBoundary(async (err) => {
    const ctx = err.ctx;
    const kind = classifyApiError(err.error);
    if (kind === "blocked") {
      // The user blocked the bot or deleted the account: nothing can reach them; the outbox skips them too.
      ctx.log.info({ err: describeError(err.error) }, "user unreachable");
      return;
    }
    if (kind === "harmless") {
      ctx.log.debug({ err: describeError(err.error) }, "ignored API error");
      return;
    }
    ctx.log.error({ err: describeError(err.error) }, "update failed");
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("common:errors.internal") });
      else if (ctx.chat) await ctx.reply(ctx.t("common:errors.internal"));
    } catch {
      // the error message itself could not be sent; nothing more to do
    }
  });

  // /cancel leaves any step, before any conversation or awaited answer can claim the update.
  guarded.command("cancel", async (ctx) => {
    ctx.session.awaiting = undefined;
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("common:cancelled"), { parse_mode: "HTML" });
    await showMainMenu(ctx);
  });
  // Conversations (after /cancel, before the features): the short free-text prompts (conversations/prompts.ts).
  guarded.use(promptConversations());
  for (const f of features) guarded.use(f.composer);

  bot.catch((err) => {
    deps.logger.error({ err: describeError(err.error), update_id: err.ctx.update.update_id }, "unhandled");
  });
  return bot;
}

/**
 * How to treat a failed Bot API call: "blocked" (403: the user blocked the bot, was deactivated, or the chat is gone),
 * "harmless" (editing a message to the same text, answering a callback query that is too old), or "other".
 */
export function classifyApiError(e: unknown): "blocked" | "harmless" | "other" {
  if (!(e instanceof GrammyError)) return "other";
  if (e.error_code === 403) return "blocked";
  if (e.error_code === 400 && /chat not found|user is deactivated|bot was blocked/i.test(e.description))
    return "blocked";
  if (
    e.error_code === 400 &&
    /message is not modified|query is too old|query ID is invalid/i.test(e.description)
  ) {
    return "harmless";
  }
  return "other";
}

/** The command list per language; the default scope is Russian. */
export function commandList(lang: Lang): BotCommand[] {
  const t = translator(lang);
  return [
    "menu",
    "licences",
    "applications",
    "new",
    "sign",
    "queue",
    "services",
    "survey_stats",
    "language",
    "help",
    "cancel",
  ].map((command) => ({ command, description: t(`common:commands.${command}`) }));
}

/** Register the commands in both languages (language_code "kk" and "ru") and the default list. */
export async function setCommands(api: Api): Promise<void> {
  await api.setMyCommands(commandList("ru"));
  for (const lang of LANGUAGES) await api.setMyCommands(commandList(lang), { language_code: lang });
}

/** Error summary for logs: type, code and message only (no update payloads, no personal data). */
export function describeError(e: unknown): Record<string, unknown> {
  if (e instanceof GrammyError)
    return { type: "GrammyError", method: e.method, code: e.error_code, description: e.description };
  if (e instanceof HttpError) return { type: "HttpError", message: e.message };
  if (e instanceof Error)
    return { type: e.name, message: e.message, stack: e.stack?.split("\n").slice(0, 5).join("\n") };
  return { type: typeof e };
}

/** The user behind a Telegram id and their organisation and branch roles, in one query (null: first contact). */
export async function loadUserWithRoles(
  prisma: AppDeps["prisma"],
  telegramId: bigint,
): Promise<{ user: NonNullable<AppContext["user"]>; roles: UserRoles } | null> {
  const rows = await prisma.$queryRaw<
    {
      id: string;
      telegramId: bigint;
      language: string | null;
      fullName: string | null;
      org: UserRoles["org"];
      staff: UserRoles["staff"];
    }[]
  >`
    SELECT u.id, u."telegramId", u.language, u."fullName",
      COALESCE((SELECT json_agg(json_build_object('orgId', m."orgId", 'role', m.role) ORDER BY m."createdAt")
                  FROM "OrgMembership" m WHERE m."userId" = u.id), '[]'::json) AS org,
      COALESCE((SELECT json_agg(json_build_object('branchId', s."branchId", 'role', s.role) ORDER BY s."createdAt")
                  FROM "StaffMembership" s WHERE s."userId" = u.id), '[]'::json) AS staff
    FROM "User" u WHERE u."telegramId" = ${telegramId}`;
  const r = rows[0];
  if (!r) return null;
  const { org, staff, ...user } = r;
  return { user: { ...user, telegramId: BigInt(user.telegramId) }, roles: { org, staff } };
}
