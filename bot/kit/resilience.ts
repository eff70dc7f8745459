// Nobody is left without an answer while PostgreSQL (or Redis) is unreachable:
// - the first read of an update (the person and their chat state) that fails for an infrastructure reason
//   tells the person at once "temporarily unavailable" (a callback answered, a message replied) and, when the
//   bot runs by polling, waits and tries again with a bounded backoff, holding the chat's later updates in
//   order behind it; in webhook mode it throws `Unavailable` so the update is answered 503 and Telegram
//   delivers it again later;
// - a watchdog answers, within 1.5 s, every update that is still waiting while the service is down (the chat's
//   later updates queued behind the first one);
// - nothing is half-written: every state change is one statement, so an update cut off by an outage either
//   happened or did not.
import type { MiddlewareFn } from "grammy";
import type { AppContext } from "../context.ts";
import { type Lang, translator } from "./i18n.ts";
import { isAnswered } from "./ui.ts";

/** Thrown in webhook mode when the storage is unreachable: the webhook answers 503 (Telegram retries). */
export class Unavailable extends Error {
  override name = "Unavailable";
}

/** What the process knows about its storage right now (set by failures, cleared by the next success). */
export class Health {
  down = false;
  markDown(): void {
    this.down = true;
  }
  markUp(): void {
    this.down = false;
  }
}

const TOLD = Symbol("toldUnavailable");
type Told = AppContext & { [TOLD]?: boolean };

/** The language of a person seen before (the database may be the thing that is down). */
const knownLang = new Map<number, Lang>();
const KNOWN_MAX = 50_000;
export function rememberLang(telegramId: number, lang: Lang): void {
  if (knownLang.size >= KNOWN_MAX) knownLang.clear();
  knownLang.set(telegramId, lang);
}

/** Tell the person (once per update) that the service is temporarily unavailable. */
export async function tellUnavailable(ctx: AppContext): Promise<void> {
  const c = ctx as Told;
  if (c[TOLD]) return;
  c[TOLD] = true;
  const lang = (ctx.from && knownLang.get(ctx.from.id)) ?? ctx.lang;
  const text = translator(lang)("errors:storage_unavailable");
  try {
    if (ctx.callbackQuery) {
      if (!isAnswered(ctx)) await ctx.answerCallbackQuery({ text, show_alert: true });
    } else if (ctx.chat && ctx.message) await ctx.reply(text);
  } catch {
    // Telegram itself unreachable: nothing more to do
  }
}

/** Before the per-chat queue: an update still waiting after `ms` while the storage is down is answered. */
export function watchdog(health: Health, ms = 1500): MiddlewareFn<AppContext> {
  return async (ctx, next) => {
    const timer = setTimeout(() => {
      if (health.down) void tellUnavailable(ctx);
    }, ms);
    try {
      await next();
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface RetryPolicy {
  /** "wait": retry in process (polling, sandbox); "throw": fail fast with Unavailable (webhook). */
  mode: "wait" | "throw";
  /** How long to keep trying before giving up (default 60 s). */
  maxMs?: number;
}

/**
 * Run `read` (the update's first storage access); on an infrastructure failure tell the person, then wait and
 * retry (bounded) or throw Unavailable, by the policy. Other errors pass through.
 */
export async function withStorageRetry<T>(
  ctx: AppContext,
  health: Health,
  policy: RetryPolicy,
  isInfra: (e: unknown) => boolean,
  read: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const v = await read();
      health.markUp();
      return v;
    } catch (e) {
      if (!isInfra(e)) throw e;
      health.markDown();
      await tellUnavailable(ctx);
      if (policy.mode === "throw") throw new Unavailable("storage unavailable");
      const waited = Date.now() - started;
      if (waited >= (policy.maxMs ?? 60_000)) throw e;
      ctx.log.warn(
        { attempt, err: e instanceof Error ? e.message : String(e) },
        "storage unavailable, retrying",
      );
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 3000)));
    }
  }
}
