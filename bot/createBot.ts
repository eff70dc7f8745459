// createBot: the bot with all middleware and features, independent of how updates arrive (long polling,
// webhook, the local sandbox or bot.handleUpdate in tests).
//
//   answer-once → error boundary ( sequentialize → who is this (user + roles + chat state: ONE read) →
//   session → conversations (prompts, state in PostgreSQL) → /cancel → prompts → features → fallback )
import { autoRetry } from "@grammyjs/auto-retry";
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { type Api, Bot, type BotConfig, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import type { App } from "../app/index.ts";
import { promptConversation } from "../conversations/prompts.ts";
import type { AppConfig } from "./config.ts";
import type { AppContext } from "./context.ts";
import { features } from "./features/index.ts";
import { showMainMenu } from "./features/menu/screens.ts";
import { assertDistinctVerbs } from "./kit/callbacks.ts";
import { ChatStates } from "./kit/chatState.ts";
import { isLang, langOfTelegram, translator } from "./kit/i18n.ts";
import { chatKey, readSession } from "./kit/session.ts";
import { ShownMessages } from "./kit/shown.ts";
import {
  Health,
  rememberLang,
  type RetryPolicy,
  tellUnavailable,
  Unavailable,
  watchdog,
  withStorageRetry,
} from "./kit/resilience.ts";
import { answerOnce, isAnswered } from "./kit/ui.ts";
import { metricsMiddleware } from "./runtime/metrics.ts";

export interface BotDeps {
  app: App;
  config: AppConfig;
  logger: Logger;
  /** Fetches a file from the Bot API's file server (tests serve their own). */
  download?: (url: string) => Promise<Response>;
}

export interface CreateBotOptions {
  deps: BotDeps;
  /** Skip getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  client?: BotConfig<AppContext>["client"];
  /** What to do when the storage is unreachable (default: wait and retry; webhook: fail fast with 503). */
  onUnavailable?: RetryPolicy;
}

export { chatKey as sessionKey };

export function createBot(opts: CreateBotOptions): Bot<AppContext> {
  const { app, config, logger } = opts.deps;
  const token = config.BOT_TOKEN ?? "sandbox:token";
  const bot = new Bot<AppContext>(token, {
    botInfo: opts.botInfo,
    client: { apiRoot: config.BOT_API_ROOT, ...opts.client },
  });
  // Replies survive 429 and 5xx: retried after Telegram's retry_after (within a callback answer's validity)
  // or a short backoff. The outbox worker has an Api of its own, with its own pacing.
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 10, rethrowInternalServerErrors: false }),
  );
  // Every edit of a message made otherwise than by `show` forgets what `show` remembered of it (kit/shown.ts).
  const shown = new ShownMessages();
  bot.api.config.use(async (prev, method, payload, signal) => {
    const r = await prev(method, payload, signal);
    if (method.startsWith("editMessage") && payload && typeof payload === "object") {
      const p = payload as { chat_id?: unknown; message_id?: unknown };
      shown.forget(p.chat_id, p.message_id);
    }
    return r;
  });
  assertDistinctVerbs(
    features.map((f) => ({ owner: f.name, verbs: f.verbs?.verbs ?? [], prefixes: f.verbs?.prefixes })),
  );
  const states = new ChatStates((key, userId, state) => app.people.saveChatState(key, userId, state));
  const health = new Health();
  const policy: RetryPolicy = opts.onUnavailable ?? { mode: "wait" };

  // First: every update is counted by kind and timed (the /metrics endpoint of bot/runtime/http.ts).
  bot.use(metricsMiddleware());
  // Per-update context: the application, a logger that carries the update id (never personal data), the
  // language of the person's Telegram app until they chose one.
  bot.use(async (ctx, next) => {
    ctx.app = app;
    ctx.config = config;
    ctx.log = logger.child({ update_id: ctx.update.update_id });
    ctx.lang = langOfTelegram(ctx.from?.language_code);
    ctx.t = translator(ctx.lang);
    ctx.memberships = { org: [], staff: [] };
    ctx.refreshCommands = () => setChatCommands(ctx);
    ctx.download = opts.deps.download ?? ((url: string) => fetch(url));
    ctx.shown = shown;
    await next();
  });
  bot.use(answerOnce());
  bot.use(watchdog(health));

  const guarded = bot.errorBoundary(async (err) => {
    const ctx = err.ctx;
    // The storage went away: the person has been told; the webhook answers 503 so Telegram retries.
    if (err.error instanceof Unavailable) throw err.error;
    const kind = classifyError(err.error);
    if (kind === "blocked") {
      // The user blocked the bot or deleted the account: nothing can reach them; the outbox skips them too.
      ctx.log.info({ err: describeError(err.error) }, "user unreachable");
      return;
    }
    if (kind === "harmless") {
      ctx.log.debug({ err: describeError(err.error) }, "ignored API error");
      return;
    }
    ctx.log.error({ err: describeError(err.error), kind }, "update failed");
    if (kind === "unavailable") return tellUnavailable(ctx);
    const text = ctx.t("common:errors.internal");
    try {
      if (ctx.callbackQuery && !isAnswered(ctx)) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.chat) await ctx.reply(text);
    } catch {
      // the error message itself could not be sent; nothing more to do
    }
  });

  guarded.use(sequentialize((ctx) => chatKey(ctx)));

  // Who is this, which language, what did they leave open: one read.
  guarded.use(async (ctx, next) => {
    const key = chatKey(ctx);
    if (!ctx.from || ctx.from.is_bot || !key) {
      ctx.session = readSession(null);
      return next();
    }
    const from = ctx.from;
    const person = await withStorageRetry(ctx, health, policy, isInfrastructureError, () =>
      app.people.context(from.id, key, from.username ?? null),
    );
    ctx.user = person.user;
    ctx.memberships = person.memberships;
    ctx.session = readSession(person.session);
    // The person's language is the one stored with them (chosen in the bot, or set for them); the session's copy
    // only serves a chat whose person has none stored yet.
    const lang = isLang(person.user.language)
      ? person.user.language
      : isLang(ctx.session.lang)
        ? ctx.session.lang
        : undefined;
    if (lang) {
      ctx.lang = lang;
      ctx.t = translator(lang);
      rememberLang(from.id, lang);
    }
    const before = JSON.stringify(ctx.session);
    states.begin(key, person.user.id, person.prompt);
    try {
      await next();
      const after = JSON.stringify(ctx.session);
      if (after !== before) await app.people.saveChatState(key, person.user.id, { session: ctx.session });
    } finally {
      states.end(key);
    }
  });

  // The chat's command menu follows the person's roles and language however they changed (an invite, the
  // language, a role granted or removed elsewhere): checked at the end of the update, set only when it differs.
  guarded.use(async (ctx, next) => {
    await next();
    // (not when the person blocked or unblocked the bot: that update says nothing about the menu)
    if (ctx.myChatMember) return;
    if (ctx.user && ctx.chat?.type === "private" && ctx.session.cmds !== commandsKey(ctx))
      await setChatCommands(ctx);
  });

  guarded.use(
    conversations<AppContext, AppContext>({
      storage: {
        type: "key",
        version: 2,
        getStorageKey: (ctx) => chatKey(ctx),
        adapter: states.promptStorage() as never,
      },
    }),
  );

  // /cancel leaves any step, before any conversation or awaited answer can claim the update.
  guarded.command("cancel", async (ctx) => {
    for (const f of features) f.onCancel?.(ctx);
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("common:cancelled"), { parse_mode: "HTML" });
    await showMainMenu(ctx);
  });
  guarded.use(promptConversation(features.flatMap((f) => f.prompts ?? [])));
  for (const f of features) guarded.use(f.composer);

  bot.catch((err) => {
    logger.error({ err: describeError(err.error), update_id: err.ctx.update.update_id }, "unhandled");
  });
  return bot;
}

/** The commands the person can use (by their roles). */
const commandsOf = (m: AppContext["memberships"]) =>
  features.flatMap((f) => f.commands ?? []).filter((c) => !c.for || c.for(m));

/** What the chat's menu should be: the language and the commands. */
const commandsKey = (ctx: AppContext) =>
  `${ctx.lang}:${commandsOf(ctx.memberships)
    .map((c) => c.command)
    .join(",")}`;

/** The commands the person can use, in their language, as the menu of their chat with the bot. */
async function setChatCommands(ctx: AppContext): Promise<void> {
  if (ctx.chat?.type !== "private") return;
  const commands = commandsOf(ctx.memberships).map((c) => ({
    command: c.command,
    description: ctx.t(`common:commands.${c.command}`),
  }));
  const ok = await ctx.api
    .setMyCommands(commands, { scope: { type: "chat", chat_id: ctx.chat.id } })
    .catch((e: unknown) => {
      ctx.log.warn({ err: describeError(e) }, "setMyCommands failed");
      return false;
    });
  if (ok && ctx.session) ctx.session.cmds = commandsKey(ctx);
}

/** The default menus (before a person chose a language): in both languages, the commands everybody has. */
export async function setDefaultCommands(api: Api): Promise<void> {
  const common = features.flatMap((f) => f.commands ?? []).filter((c) => !c.for);
  for (const lang of ["ru", "kk"] as const) {
    const t = translator(lang);
    const list = common.map((c) => ({ command: c.command, description: t(`common:commands.${c.command}`) }));
    await api.setMyCommands(list, lang === "ru" ? {} : { language_code: lang });
    if (lang === "ru") await api.setMyCommands(list, { language_code: "ru" });
    await api.setMyDescription(t("common:bot.description"), lang === "ru" ? {} : { language_code: lang });
    await api.setMyShortDescription(
      t("common:bot.short_description"),
      lang === "ru" ? {} : { language_code: lang },
    );
  }
}

/**
 * How to treat a failure: "blocked" (403: the user blocked the bot, was deactivated, or the chat is gone),
 * "harmless" (an unchanged edit, a callback answer too late), "unavailable" (PostgreSQL or Redis cannot be
 * reached: the person is told to try again in a minute), or "other".
 */
export function classifyError(e: unknown): "blocked" | "harmless" | "unavailable" | "other" {
  if (e instanceof GrammyError) {
    if (e.error_code === 403) return "blocked";
    if (e.error_code === 400 && /chat not found|user is deactivated|bot was blocked/i.test(e.description))
      return "blocked";
    if (
      e.error_code === 400 &&
      /message is not modified|query is too old|query ID is invalid/i.test(e.description)
    )
      return "harmless";
    return "other";
  }
  if (e instanceof HttpError) return "other";
  return isInfrastructureError(e) ? "unavailable" : "other";
}

const INFRA =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|Can.t reach database|P1001|P1002|P1008|P1017|P2024|MaxRetriesPerRequest|Connection is closed|the database system is|terminating connection|connection timeout|Timed out fetching a new connection/i;

/** Is this the database or Redis being unreachable (as opposed to a bug)? */
export function isInfrastructureError(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === "object" && !seen.has(cur)) {
    seen.add(cur);
    const o = cur as { code?: unknown; message?: unknown; name?: unknown };
    if (INFRA.test(`${String(o.code ?? "")} ${String(o.name ?? "")} ${String(o.message ?? "")}`)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
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

export type { Api };
