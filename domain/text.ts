// Free text typed by people (reasons, notes, additional grounds, full names): ONE rule for all of it.
// Zero-width characters are removed; bidirectional overrides and control characters are refused with a
// clear message (they can make a reason read differently to the reviewer and the supplier).
import type { DomainError } from "./types.ts";

/** What a text is for: each kind has its length bounds. */
export type TextKind = "reason" | "note" | "name" | "ground";

export const TEXT_LIMITS: Readonly<Record<TextKind, { min: number; max: number }>> = {
  reason: { min: 3, max: 1000 },
  note: { min: 1, max: 1000 },
  ground: { min: 3, max: 500 },
  name: { min: 2, max: 200 },
};

/** The longest free-text reason accepted (fits in a Telegram message with the rest of the notice). */
export const MAX_REASON_LENGTH = TEXT_LIMITS.reason.max;

export const TEXT_ERROR_CODES = [
  "text_required",
  "text_too_short",
  "text_too_long",
  "text_bidi_control",
  "text_control_chars",
] as const;

// U+200B ZERO WIDTH SPACE, U+200C ZWNJ, U+200D ZWJ, U+2060 WORD JOINER, U+FEFF BOM / ZWNBSP.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/U+200F marks.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/;
// C0 and C1 controls except tab and line breaks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Tidy and check a typed text: NFC, zero-width characters removed, trimmed, inner runs of spaces kept;
 * a name is one line. Returns the clean text and the errors (empty = accepted).
 */
export function cleanFreeText(raw: string, kind: TextKind): { text: string; errors: DomainError[] } {
  let text = raw.normalize("NFC").replace(ZERO_WIDTH, "").replace(/\r\n?/g, "\n").trim();
  if (kind === "name") text = text.replace(/\s+/g, " ");
  const { min, max } = TEXT_LIMITS[kind];
  const errors: DomainError[] = [];
  if (BIDI.test(text)) errors.push({ code: "text_bidi_control" });
  if (CONTROL.test(text) || (kind === "name" && /\n/.test(text))) errors.push({ code: "text_control_chars" });
  const length = [...text].length;
  if (length === 0) errors.push({ code: "text_required", params: { min, max } });
  else if (length < min) errors.push({ code: "text_too_short", params: { min, max, length } });
  else if (length > max) errors.push({ code: "text_too_long", params: { min, max, length } });
  return { text, errors };
}
