// Short free-text prompts (a head's rejection reason, a staff reason / note / additional ground, the full name
// after onboarding) as ONE @grammyjs/conversations v2 conversation, parameterised by what is asked. The prompts
// are declared by the features (bot/kit/prompt.ts) and handed to `promptConversation` by createBot.
//
//   feature handler (button)            the conversation (this file)               the spec's onAnswer
//   ───────────────────────             ─────────────────────────                  ──────────────────
//   re-checks role + version,    ──▶    waits for a text message:                  runs ONCE inside
//   askText(ctx, {kind,id,v}),          · sticker / file / photo → "text only",     conversation.external
//   sends the question with             · breaks the free-text rule → the rule,     with the outside ctx of
//   a «Отмена» button                     and keeps waiting                         the answering update
//                                       · a command or any button → leaves the
//                                         prompt and lets the update through
//                                       · valid text → onAnswer
//
// The conversation's state lives in PostgreSQL (ChatState.prompt, read with the user): a Redis restart or
// another instance does not lose an open question; a typed answer after a restart is taken.
//
// Replay rules (v2): everything outside `conversation.external` is replayed on every update, so the body only
// validates text (pure) and replies to invalid input; every read/write and every user-visible outcome of an
// answer lives in `external`.
import { type Conversation, createConversation } from "@grammyjs/conversations";
import type { Context, MiddlewareFn } from "grammy";
import type { AppContext } from "../bot/context.ts";
import { translator } from "../bot/kit/i18n.ts";
import type { PromptArgs, PromptSpec } from "../bot/kit/prompt.ts";
import { cleanFreeText } from "../domain/text.ts";
import type { DomainError } from "../domain/types.ts";

export type { PromptArgs, PromptSpec } from "../bot/kit/prompt.ts";

/** The conversation's identifier. */
export const PROMPT_CONVERSATION = "prompt";

/** Start a prompt (leaving one that is still open in this chat). Send the question after this. */
export async function askText(ctx: AppContext, args: PromptArgs): Promise<void> {
  if (ctx.conversation.active(PROMPT_CONVERSATION)) await ctx.conversation.exit(PROMPT_CONVERSATION);
  await ctx.conversation.enter(PROMPT_CONVERSATION, args);
}

/** Whether a prompt is waiting in this chat (for this user). */
export const promptActive = (ctx: AppContext): boolean => ctx.conversation.active(PROMPT_CONVERSATION) > 0;

/** The first problem of a typed text, as an errors-namespace key with its parameters. */
function problemOf(spec: PromptSpec, raw: string): { text: string; error: DomainError | null } {
  const { text, errors } = cleanFreeText(raw, spec.text);
  const all = errors.length ? errors : (spec.check?.(text) ?? []);
  return { text, error: all[0] ?? null };
}

/** The conversation over the declared prompts. */
export function promptConversation(specs: readonly PromptSpec[]): MiddlewareFn<AppContext> {
  const byKind = new Map(specs.map((s) => [s.kind, s]));
  if (byKind.size !== specs.length) throw new Error("two prompts share a kind");
  async function prompt(conversation: Conversation<AppContext, Context>, _ctx: Context, args: PromptArgs) {
    const spec = byKind.get(args.kind);
    if (!spec) return;
    // The user's language, read once from the outside context (stored: two characters).
    const t = translator(await conversation.external((outside) => outside.lang));
    const answer = await conversation
      .waitFor("message:text", {
        otherwise: async (ctx) => {
          // A button (the prompt's «Отмена» or any other): leave the prompt, its handler answers the press.
          if (ctx.callbackQuery) await conversation.halt({ next: true });
          // Not a message at all (an edit, a chat-member update…): not ours, keep waiting.
          if (!ctx.message) await conversation.skip({ next: true });
          // A sticker, file, photo, voice, location…: say what is expected and keep waiting.
          await ctx.reply(t(spec.textOnly ?? "common:prompt.text_only"));
        },
      })
      // A command (/menu, /start…; /cancel never gets here): leave the prompt, the command runs as usual.
      .and((ctx) => !ctx.message.text.startsWith("/"), {
        otherwise: () => conversation.halt({ next: true }),
      })
      .and((ctx) => problemOf(spec, ctx.message.text).error === null, {
        otherwise: async (ctx) => {
          const { error } = problemOf(spec, ctx.message.text);
          if (error) await ctx.reply(t(spec.problemKey ?? `errors:${error.code}`, error.params ?? {}));
        },
      });
    const { text } = problemOf(spec, answer.message.text);
    await conversation.external((outside) => spec.onAnswer(outside, text, args));
  }
  return createConversation<AppContext, Context>(prompt, PROMPT_CONVERSATION);
}
