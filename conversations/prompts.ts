// Short free-text prompts (a head's rejection reason, a staff reason / note / additional ground, the full name
// after onboarding) as ONE @grammyjs/conversations v2 conversation, `reasonPrompt`, parameterised by what is
// asked. ARCHITECTURE: conversations stay short; they ask, the domain decides, the store writes.
//
//   feature handler (button)            reasonPrompt (this file)                   feature's onAnswer
//   ───────────────────────             ─────────────────────────                  ──────────────────
//   re-checks role + version,    ──▶    waits for a text message:                  runs ONCE inside
//   askText(ctx, {kind,id,v}),          · sticker / file / photo → "text only",     conversation.external
//   sends the question with             · too short / too long   → the rule,        with the outside ctx of
//   a «Отмена» button                     and keeps waiting (state not grown)       the answering update:
//                                       · a command or any button → leaves the      re-authorises from the
//                                         prompt and lets the update through        DB, applies the
//                                       · valid text → onAnswer ───────────────▶   transition with the
//                                                                                   version captured at start
//
// /cancel is handled before this conversation (bot/createBot.ts: exitAll). The «Отмена» button is just
// "any button": the prompt is left and the feature's own cancel handler answers it.
//
// Replay rules (v2): everything outside `conversation.external` is replayed on every update, so the body only
// validates text (pure) and replies to invalid input; every DB read/write and every user-visible outcome of an
// answer lives in `external`. Invalid input is skipped (`otherwise` + skip), which resets the replay log, so
// the stored state stays at: the entering update + one `external` (the language) while waiting (≈650 bytes in
// test/bot/head.test.ts; the entering callback's message text comes on top). Changing the order of the
// `external`/`wait` calls below changes the stored replay: bump the conversations storage `version` in
// bot/createBot.ts with it.
import { type Conversation, createConversation } from "@grammyjs/conversations";
import type { Context, MiddlewareFn } from "grammy";
import type { AppContext } from "../bot/context.ts";
import { translator } from "../bot/i18n.ts";

/** The conversation's identifier (`ctx.conversation.enter(PROMPT_CONVERSATION, args)`). */
export const PROMPT_CONVERSATION = "reasonPrompt";

/**
 * What a running prompt answers. Stored (as JSON) with the conversation for its whole life: ids and numbers
 * only, never texts or rows.
 */
export interface PromptArgs {
  /** A prompt registered with {@link definePrompt}. */
  kind: string;
  /** The application the answer is for. */
  id?: string;
  /** The application's version when the prompt started (the expected version of the transition). */
  v?: number;
  /** The action the answer completes (e.g. "CHECKER_REFUSE"). */
  action?: string;
}

/** A rule the text broke: an i18n key and its parameters. */
export interface PromptProblem {
  key: string;
  params?: Record<string, string | number>;
}

export interface PromptSpec {
  /** i18n key sent when a non-text message (sticker, file, photo, voice…) arrives. */
  textOnly: string;
  /** Tidy the text before it is checked and answered (default: trim). Pure. */
  normalise?(text: string): string;
  /** Pure check of the tidied text; null when it is acceptable. */
  check(text: string): PromptProblem | null;
  /**
   * The answer: runs exactly once, inside `conversation.external`, with the outside context of the update that
   * carried the text (ctx.deps, ctx.t, ctx.user, ctx.session are there). Re-authorise and decide here.
   */
  onAnswer(ctx: AppContext, text: string, args: PromptArgs): Promise<void>;
}

const specs = new Map<string, PromptSpec>();

/** Register what a prompt kind checks and does (features call this once, at import). */
export function definePrompt(kind: string, spec: PromptSpec): void {
  specs.set(kind, spec);
}

/** Start a prompt (leaving one that is still open in this chat). Send the question after this. */
export async function askText(ctx: AppContext, args: PromptArgs): Promise<void> {
  if (!specs.has(args.kind)) throw new Error(`prompt "${args.kind}" is not defined`);
  if (ctx.conversation.active(PROMPT_CONVERSATION)) await ctx.conversation.exit(PROMPT_CONVERSATION);
  await ctx.conversation.enter(PROMPT_CONVERSATION, args);
}

/** Whether a prompt is waiting in this chat (for this user). */
export const promptActive = (ctx: AppContext): boolean => ctx.conversation.active(PROMPT_CONVERSATION) > 0;

const trim = (s: string) => s.trim();

/** The conversation. Inner contexts are plain `Context`s: no ctx.t / ctx.deps / session (see `external`). */
export async function reasonPrompt(
  conversation: Conversation<AppContext, Context>,
  _ctx: Context,
  args: PromptArgs,
): Promise<void> {
  const spec = specs.get(args.kind);
  if (!spec) return;
  // The user's language, read once from the outside context (stored: two characters).
  const t = translator(await conversation.external((outside) => outside.lang));
  const tidy = spec.normalise ?? trim;
  const answer = await conversation
    .waitFor("message:text", {
      otherwise: async (ctx) => {
        // A button (the prompt's «Отмена» or any other): leave the prompt, its handler answers the press.
        if (ctx.callbackQuery) await conversation.halt({ next: true });
        // Not a message at all (an edit, a chat-member update…): not ours, keep waiting.
        if (!ctx.message) await conversation.skip({ next: true });
        // A sticker, file, photo, voice, location…: say what is expected and keep waiting.
        await ctx.reply(t(spec.textOnly));
      },
    })
    // A command (/menu, /start…; /cancel never gets here): leave the prompt, the command runs as usual.
    .and((ctx) => !ctx.message.text.startsWith("/"), {
      otherwise: () => conversation.halt({ next: true }),
    })
    .and((ctx) => spec.check(tidy(ctx.message.text)) === null, {
      otherwise: async (ctx) => {
        const problem = spec.check(tidy(ctx.message.text));
        if (problem) await ctx.reply(t(problem.key, problem.params));
      },
    });
  const text = tidy(answer.message.text);
  await conversation.external((outside) => spec.onAnswer(outside, text, args));
}

/** The middleware that registers the prompt conversation (after /cancel, before the features). */
export function promptConversations(): MiddlewareFn<AppContext> {
  return createConversation<AppContext, Context>(reasonPrompt, PROMPT_CONVERSATION);
}
