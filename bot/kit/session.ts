// The session: small, typed UI state per person and chat, kept in PostgreSQL (ChatState, read together with
// the user at the start of the update: no round trip of its own) and written back only when it changed.
// Each feature declares its own slot by augmenting `SessionSlots`:
//
//   declare module "../../kit/session.ts" { interface SessionSlots { staff?: StaffDraft } }
//
// so no feature reads another's state through an untyped bag.
import type { Lang } from "./i18n.ts";

// biome-ignore lint/suspicious/noEmptyInterface: augmented by the features (declaration merging)
export interface SessionSlots {}

export type SessionData = {
  v: 2;
  lang?: Lang;
  /** The flow that waits for the person's next message (its own slot holds the details), if any. */
  awaiting?: string;
  /** The command menu last set for this chat (language and commands): set again when either changes. */
  cmds?: string;
} & SessionSlots;

export const initialSession = (): SessionData => ({ v: 2 }) as SessionData;

/** A stored session of another shape (an older version, garbage) starts afresh. */
export function readSession(raw: unknown): SessionData {
  if (raw && typeof raw === "object" && (raw as { v?: unknown }).v === 2) return raw as SessionData;
  return initialSession();
}

/** The key of a person in a chat: sessions, prompts and the sequencing of updates use it. */
export const chatKey = (ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined =>
  ctx.chat && ctx.from ? `${ctx.chat.id}:${ctx.from.id}` : ctx.from ? `u:${ctx.from.id}` : undefined;
