// A short free-text question (a reason, a note, an additional ground, a full name): what a feature declares;
// conversations/prompts.ts runs them. The answer is checked by the one free-text rule (domain/text.ts).
import type { TextKind } from "../../domain/text.ts";
import type { DomainError } from "../../domain/types.ts";
import type { AppContext } from "../context.ts";

/**
 * What a running prompt answers. Stored (as JSON, in PostgreSQL) with the prompt for its whole life: ids and
 * numbers only, never texts or rows.
 */
export interface PromptArgs {
  /** A prompt declared by a feature. */
  kind: string;
  /** The application the answer is for. */
  id?: string;
  /** The application's version when the prompt started (the expected version of the transition). */
  v?: number;
  /** The action the answer completes (e.g. "CHECKER_REFUSE"). */
  action?: string;
}

export interface PromptSpec {
  kind: string;
  /** Which free-text rule applies (length bounds, characters). */
  text: TextKind;
  /** The locale key said when something else than text arrives (default `common:prompt.text_only`). */
  textOnly?: string;
  /** One locale key for every problem of the text (default: the error's own text, `errors:<code>`). */
  problemKey?: string;
  /** An extra check of the tidied text (e.g. a full name has two words); errors are shown by code. */
  check?(text: string): DomainError[];
  /**
   * The answer: runs exactly once, with the context of the update that carried the text (ctx.app, ctx.t,
   * ctx.user, ctx.session are there). Re-authorise and decide here.
   */
  onAnswer(ctx: AppContext, text: string, args: PromptArgs): Promise<void>;
}
