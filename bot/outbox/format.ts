// Small formatting helpers shared by the staff screens and the outbox renderer.
import type { Lang } from "../i18n.ts";

/** Kazakhstan time (UTC+5, one zone since 1 March 2024, DECISIONS 19): "dd.mm.yyyy hh:mm". */
export function fmtKzTime(d: Date): string {
  const k = new Date(d.getTime() + 5 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(k.getUTCDate())}.${p(k.getUTCMonth() + 1)}.${k.getUTCFullYear()} ${p(k.getUTCHours())}:${p(k.getUTCMinutes())}`;
}

export const nameIn = (lang: Lang, o: { nameKk: string; nameRu: string }) =>
  lang === "kk" ? o.nameKk : o.nameRu;

/** Cut a text to Telegram's 4096-character limit (on a line boundary when possible). */
export function clip(text: string, max = 4000): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const nl = cut.lastIndexOf("\n");
  return `${nl > max / 2 ? cut.slice(0, nl) : cut}\n…`;
}
