// What a feature is: a Composer, the callback verbs it owns, the text prompts it asks, the commands it offers
// (per role: the command menu of a chat lists only what its person can use).
import type { Composer } from "grammy";
import type { Memberships } from "../../domain/access.ts";
import type { PromptSpec } from "./prompt.ts";
import type { AppContext } from "../context.ts";
import type { VerbSet } from "./callbacks.ts";

export interface CommandSpec {
  command: string;
  /** Who sees it in the menu (default: everybody). */
  for?: (m: Memberships) => boolean;
}

export interface Feature {
  name: string;
  composer: Composer<AppContext>;
  verbs?: Omit<VerbSet, "owner">;
  prompts?: readonly PromptSpec[];
  commands?: readonly CommandSpec[];
  /** /cancel: drop this feature's half-done state from the session. */
  onCancel?(ctx: AppContext): void;
}
