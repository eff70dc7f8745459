// The language checks of what a person reads: word lists built from the locale texts (and the classifier names
// the seed loads, the guide's cards, the questionnaire, the registry's terms). A Russian-only word is a word of a text in locales/ru/*.json (or another of those Russian texts)
// that no Kazakh text contains (so «лицензия», shared by both, is not one); a Kazakh-only word is a word with a
// Kazakh letter, or a word of the Kazakh texts that no Russian text contains. What is shown as given (names, addresses, licence numbers, typed text) is cut out first.
import { readdirSync, readFileSync } from "node:fs";
import { CARDS } from "../../domain/licensing/data/index.ts";
import { QUESTIONNAIRE } from "../../domain/licensing/questionnaire.ts";
import { REGISTRY_TERMS } from "../../domain/registryValues.ts";
import type { ApiCall } from "./bot.ts";

export type Lang = "kk" | "ru";

const LOCALES = new URL("../../locales/", import.meta.url);

/** Every string of every locale file of the language (the i18next placeholders and HTML tags removed). */
export function localeTexts(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v.replace(/\{\{[^}]*\}\}|\$t\([^)]*\)|<[^>]+>/g, " "));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  const dir = new URL(`${lang}/`, LOCALES);
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort())
    walk(JSON.parse(readFileSync(new URL(f, dir), "utf8")));
  return out;
}

/** The words of a text, lower-cased (letters only; «ДҚ-на» gives «дқ», «на»). */
export const words = (s: string): string[] => s.toLowerCase().match(/\p{L}+/gu) ?? [];

export const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;

const CLASSIFIERS = ["classifiers", "reasons", "regions", "ekmu"];

/** The names of the seeded classifiers in the language (every `nameKk` / `nameRu` of prisma/data/*.json). */
export function classifierNames(lang: Lang): string[] {
  const key = lang === "kk" ? "nameKk" : "nameRu";
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (k === key && typeof x === "string") out.push(x);
        else walk(x);
      }
  };
  for (const f of CLASSIFIERS)
    walk(JSON.parse(readFileSync(new URL(`../../prisma/data/${f}.json`, import.meta.url), "utf8")));
  return out;
}

/**
 * The texts the domain keeps in both languages (every object with a `kk` and a `ru` string): the licensing guide's
 * cards, the questionnaire, the registry's terms (with the Russian spellings the registry is known to send).
 */
export function domainTexts(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.kk === "string" && typeof o.ru === "string") {
        out.push(o[lang] as string);
        if (lang === "ru" && Array.isArray(o.also)) out.push(...(o.also as string[]));
      }
      Object.values(o).forEach(walk);
    }
  };
  walk([CARDS, QUESTIONNAIRE, REGISTRY_TERMS]);
  return out;
}

const wordSet = (lang: Lang) =>
  new Set([...localeTexts(lang), ...classifierNames(lang), ...domainTexts(lang)].flatMap(words));
const KK_WORDS = wordSet("kk");
const RU_WORDS = wordSet("ru");

/** Words of the Russian texts that no Kazakh text contains (three letters or more). */
export const RU_ONLY: ReadonlySet<string> = new Set(
  [...RU_WORDS].filter((w) => w.length >= 3 && !KK_WORDS.has(w) && /\p{Script=Cyrillic}/u.test(w)),
);
/** Words of the Kazakh texts that no Russian text contains (three letters or more). */
export const KK_ONLY: ReadonlySet<string> = new Set(
  [...KK_WORDS].filter((w) => w.length >= 3 && !RU_WORDS.has(w) && /\p{Script=Cyrillic}/u.test(w)),
);

const escapeRe = (g: string) =>
  g
    .replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
    .replace(/\s+/g, "\\s+")
    .replace(/-/g, "-\\s*");

/** The text with every given value (longest first) cut out. */
export function withoutGiven(text: string, given: readonly string[]): string {
  return [...new Set(given)]
    .filter((g) => g.trim().length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((acc, g) => acc.replace(new RegExp(escapeRe(g), "gi"), " "), text);
}

/** The Russian-only words of a text once the given values are cut out (empty = no Russian). */
export function russianWords(text: string, given: readonly string[] = []): string[] {
  return words(withoutGiven(text, given)).filter((w) => RU_ONLY.has(w));
}

/** The Kazakh words of a text once the given values are cut out: Kazakh letters or kk-only words. */
export function kazakhWords(text: string, given: readonly string[] = []): string[] {
  return words(withoutGiven(text, given)).filter((w) => KAZAKH_LETTERS.test(w) || KK_ONLY.has(w));
}

const GROUPS = new Set<string>();
/** Every key of the locale files, with and without its namespace («common:commands.start», «commands.start»). */
export const LOCALE_KEYS: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  const dir = new URL("ru/", LOCALES);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const ns = f.replace(/\.json$/, "");
    const walk = (v: unknown, path: string[]) => {
      if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else if (path.length) {
        const key = path.join(".").replace(/_(zero|one|two|few|many|other)$/, "");
        out.add(`${ns}:${key}`);
        if (path.length > 1) out.add(key);
        // the groups above it («commands», «common:commands»): a missing key of a known group is caught too
        for (let i = 1; i < path.length; i++) {
          GROUPS.add(path.slice(0, i).join("."));
          GROUPS.add(`${ns}:${path.slice(0, i).join(".")}`);
        }
      }
    };
    walk(JSON.parse(readFileSync(new URL(f, dir), "utf8")), []);
  }
  return out;
})();

/** Locale keys or placeholders shown instead of a text (a missing translation): «commands.start», «{{name}}». */
export function rawKeys(text: string): string[] {
  const keys = (text.match(/(?<![\w/.-])(?:[a-z]+:)?[a-z_]+(?:\.[a-z0-9_]+)+(?![\w-])/g) ?? []).filter(
    (k) => LOCALE_KEYS.has(k) || GROUPS.has(k.replace(/\.[a-z0-9_]+$/, "")),
  );
  return [...keys, ...(text.match(/\{\{[^}]*\}\}|\$t\(/g) ?? [])];
}

/** Program identifiers shown to a person: camelCase field names, CONSTANT_CODES, a signing method's code. */
export function rawCodes(text: string): string[] {
  return (
    text
      .replace(/<[^>]+>/g, " ")
      .match(/\b[a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\btelegram-confirmation\b/g) ?? []
  );
}

/** What a chat was shown in these calls, one entry per text: messages, edits, captions, the command menu. */
export function shownTo(chatId: number, calls: readonly ApiCall[]): { method: string; text: string }[] {
  const out: { method: string; text: string }[] = [];
  for (const c of calls) {
    const scope = c.payload.scope as { chat_id?: number } | undefined;
    if (c.method === "setMyCommands" && Number(scope?.chat_id) === chatId) {
      const list = c.payload.commands as { description: string }[];
      out.push({ method: c.method, text: list.map((x) => x.description).join("\n") });
      continue;
    }
    if (Number(c.payload.chat_id) !== chatId) continue;
    const text = (c.payload.text ?? c.payload.caption) as string | undefined;
    const kb = (c.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)
      ?.inline_keyboard;
    const buttons = (kb ?? []).flat().map((b) => b.text);
    if (typeof text === "string" || buttons.length)
      out.push({ method: c.method, text: [text ?? "", ...buttons].join("\n") });
  }
  return out;
}

/** The files (sendDocument uploads) sent to a chat in these calls. */
export function documentsTo(
  chatId: number,
  calls: readonly ApiCall[],
): { filename: string; bytes: Buffer; caption: string }[] {
  return calls
    .filter((c) => c.method === "sendDocument" && Number(c.payload.chat_id) === chatId)
    .map((c) => ({ c, d: c.payload.document as { filename?: string; bytes?: Buffer } | string }))
    .filter((x) => typeof x.d === "object" && x.d.bytes)
    .map(({ c, d }) => ({
      filename: (d as { filename: string }).filename,
      bytes: (d as { bytes: Buffer }).bytes,
      caption: String(c.payload.caption ?? ""),
    }));
}
