// How a person reads dates, times and file sizes, in both languages (SPEC: Astana time, dd.mm.yyyy,
// dd.mm.yyyy HH:MM; never ISO where a person reads). Pure: no clock, no I/O, no Intl (ICU's kk short date
// has a two-digit year, GLOSSARY §4.4). The Astana offset comes from domain/calendar.ts (UTC+5 since
// 1 March 2024, UTC+6 before), so an old application's dates read as they did on the day.
import { astanaParts } from "./calendar.ts";

export type FormatLang = "kk" | "ru";

const p2 = (n: number): string => String(n).padStart(2, "0");

/** «dd.mm.yyyy» of the Astana-local day of the instant. Throws RangeError for an invalid Date. */
export function formatDate(d: Date): string {
  const a = astanaParts(d);
  return `${p2(a.day)}.${p2(a.month)}.${a.year}`;
}

/** «dd.mm.yyyy HH:MM» in Astana time (24-hour clock). Throws RangeError for an invalid Date. */
export function formatDateTime(d: Date): string {
  const a = astanaParts(d);
  return `${p2(a.day)}.${p2(a.month)}.${a.year} ${p2(a.hour)}:${p2(a.minute)}`;
}

/**
 * Size units. Kazakh writes the same abbreviations as Russian («20 МБ», GLOSSARY §2.13 and §3 message 4):
 * байт, килобайт, мегабайт, гигабайт. Binary multiples (1 КБ = 1024 Б), as Telegram counts its 20 MB limit.
 */
export const FILE_SIZE_UNITS: Readonly<Record<FormatLang, readonly [string, string, string, string]>> = {
  kk: ["Б", "КБ", "МБ", "ГБ"],
  ru: ["Б", "КБ", "МБ", "ГБ"],
};

/**
 * «12 Б», «850 КБ», «1,2 МБ», «20 МБ»: bytes as an integer; larger units with one decimal below 10 and
 * whole numbers from 10 up, a decimal comma, no trailing «,0», and a value that would round up to 1024
 * moves to the next unit («1 МБ», not «1024 КБ»). Throws RangeError for a negative or non-finite size.
 */
export function formatFileSize(bytes: number, lang: FormatLang): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`Invalid file size: ${bytes}`);
  const units = FILE_SIZE_UNITS[lang];
  if (bytes < 1024) return `${Math.round(bytes)} ${units[0]}`;
  let unit = 1;
  let value = bytes / 1024;
  for (;;) {
    const shown = roundForDisplay(value);
    if (shown < 1024 || unit === units.length - 1) return `${String(shown).replace(".", ",")} ${units[unit]}`;
    value /= 1024;
    unit++;
  }
}

/** One decimal below 10, whole numbers from 10 (9.96 → 10, shown without a decimal). */
function roundForDisplay(v: number): number {
  const one = Math.round(v * 10) / 10;
  return one < 10 ? one : Math.round(v);
}

/** «dd.mm» in Astana time (charts, short deadline lines). */
export function formatDayMonth(d: Date): string {
  const a = astanaParts(d);
  return `${p2(a.day)}.${p2(a.month)}`;
}

/** Escape a value for Telegram HTML (the one implementation; bot/kit/html.ts re-exports it). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
