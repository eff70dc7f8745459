// A Kazakh reader sees no Russian and a Russian reader no Kazakh, in every text the bot owns: the locale
// files, the classifier names it shows (prisma/data/*.json nameKk/nameRu) and the licensing guide
// (domain/licensing/data, the {kk, ru} pairs).
// - kk: the Russian vocabulary is every word of 4+ Cyrillic letters in the Russian texts (without the
//   Kazakh-only letters); a kk text may not contain one, except the short, explained SHARED list.
// - ru: no Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) outside the proper names in NAMES_WITH_KAZAKH_LETTERS.
// Values that are bilingual on purpose (the language chooser, shown before a language is known) are skipped.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadResources } from "../../bot/kit/i18n.ts";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Texts written in both languages on purpose: «Тілді таңдаңыз / Выберите язык»; the sandbox page's language
 * switch names each language in itself («Қазақша» / «Русский») in both locale files.
 */
const BILINGUAL = new Set([
  "locale common:language.choose",
  "locale sandbox:lang.kk",
  "locale sandbox:lang.ru",
]);

/**
 * Words spelled the same in standard Kazakh and in Russian. Everything else found in a kk text is a leak.
 * - International loanwords that official Kazakh writes exactly so (GLOSSARY: «Лицензия», «Портал»,
 *   «Талон», «Пароль / логин», «Телефон нөмірі», «Өндірістік база»; «15 минут», «регламенті», «стандарты»
 *   in seed 002): автор, база, индекс, интернет, лицензиар, лицензия, логин, минут, орган, пароль, портал,
 *   процесс, регламент, секунд, стандарт, субъект, талон, телефон, факс, файл, филиал, формат.
 * - Kazakh possessive forms that happen to equal a Russian plural: органы, файлы, филиалы («its body / file
 *   / branch»).
 * - Proper names: астана, алматы, шымкент, абай (cities, a region), сапарова (a surname in an example).
 * - като: the official Russian abbreviation of the classifier, printed next to ӘАОЖ on the inclusion form
 *   («ӘАОЖ (КАТО)») so the Fund's staff recognise the field.
 */
const SHARED = new Set(
  [
    "автор",
    "база",
    "индекс",
    "интернет",
    "лицензиар",
    "лицензия",
    "логин",
    "минут",
    "орган",
    "пароль",
    "портал",
    "процесс",
    "регламент",
    "секунд",
    "стандарт",
    "субъект",
    "талон",
    "телефон",
    "факс",
    "файл",
    "филиал",
    "формат",
    "органы",
    "файлы",
    "филиалы",
    "астана",
    "алматы",
    "шымкент",
    "абай",
    "сапарова",
    "като",
  ].map((w) => w.toLowerCase()),
);

/** Official Russian names that keep Kazakh spelling (GLOSSARY §2.14: «область Жетісу», «область Ұлытау»). */
const NAMES_WITH_KAZAKH_LETTERS = ["Жетісу", "Ұлытау"];

const KAZAKH_ONLY = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;
const CYRILLIC_WORD = /\p{Script=Cyrillic}+/gu;

type Text = { where: string; kk: string; ru: string };

function flatten(obj: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (obj && typeof obj === "object")
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === "string") out.set(key, v);
      else flatten(v, key, out);
    }
  return out;
}

/** Locale texts: the same key in both languages (plural forms compared by their own key, absent ones as ""). */
function localeTexts(): Text[] {
  const res = loadResources();
  const out: Text[] = [];
  for (const ns of Object.keys(res.ru)) {
    const kk = flatten(res.kk[ns]);
    const ru = flatten(res.ru[ns]);
    for (const key of new Set([...kk.keys(), ...ru.keys()]))
      out.push({ where: `locale ${ns}:${key}`, kk: kk.get(key) ?? "", ru: ru.get(key) ?? "" });
  }
  return out;
}

/** Classifier names: every object in prisma/data/*.json with nameKk / nameRu. */
function classifierTexts(): Text[] {
  const out: Text[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
    } else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.nameKk === "string" || typeof o.nameRu === "string")
        out.push({
          where: `${where} ${o.code ?? o.id ?? ""}`,
          kk: String(o.nameKk ?? ""),
          ru: String(o.nameRu ?? ""),
        });
      for (const [k, x] of Object.entries(o)) if (k !== "$comment") walk(x, where);
    }
  };
  const dir = join(ROOT, "prisma/data");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")))
    walk(JSON.parse(readFileSync(join(dir, f), "utf8")), `prisma/data/${f}`);
  return out;
}

/** The licensing guide: every {kk, ru} pair exported by domain/licensing/data/*.ts. */
async function licensingTexts(): Promise<Text[]> {
  const out: Text[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, where: string) => {
    if (!v || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.kk === "string" && typeof o.ru === "string") out.push({ where, kk: o.kk, ru: o.ru });
    for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
  };
  const dir = join(ROOT, "domain/licensing/data");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ts")))
    walk(await import(pathToFileURL(join(dir, f)).href), `licensing ${f}`);
  return out;
}

/** What a reader sees: placeholders, nested keys, HTML tags and addresses of web pages removed. */
const readable = (s: string): string =>
  s
    .replace(/\{\{[^}]*\}\}/g, " ")
    .replace(/\$t\([^)]*\)/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/https?:\/\/\S+|www\.\S+/g, " ");

const words = (s: string): string[] => readable(s).match(CYRILLIC_WORD) ?? [];

describe("no Russian in Kazakh texts, no Kazakh in Russian texts", async () => {
  const all = [...localeTexts(), ...classifierTexts(), ...(await licensingTexts())].filter(
    (t) => !BILINGUAL.has(t.where),
  );
  const russian = new Set(
    all
      .flatMap((t) => words(t.ru))
      .filter((w) => [...w].length >= 4 && !KAZAKH_ONLY.test(w))
      .map((w) => w.toLowerCase()),
  );

  it("reads every source (locales, classifiers, the licensing guide)", () => {
    expect(all.filter((t) => t.where.startsWith("locale ")).length).toBeGreaterThan(700);
    expect(all.filter((t) => t.where.startsWith("prisma/data/")).length).toBeGreaterThan(80);
    expect(all.filter((t) => t.where.startsWith("licensing ")).length).toBeGreaterThan(300);
    expect(russian.size).toBeGreaterThan(1000);
  });

  it("a kk text contains no word of the Russian texts outside the shared vocabulary", () => {
    const leaks = all.flatMap((t) => {
      const hit = words(t.kk).filter((w) => {
        const lw = w.toLowerCase();
        return russian.has(lw) && !SHARED.has(lw);
      });
      return hit.length ? [`${t.where}: ${[...new Set(hit)].join(", ")}`] : [];
    });
    expect(leaks).toEqual([]);
  });

  it("every shared word is still used in a kk text (the allow-list stays short)", () => {
    const kkWords = new Set(all.flatMap((t) => words(t.kk)).map((w) => w.toLowerCase()));
    expect([...SHARED].filter((w) => !kkWords.has(w) || !russian.has(w))).toEqual([]);
  });

  it("ru writes ё consistently («ещё», «её», «сохранён», «отменён», «учтён», «расчёт», «отсчёт», «объём», «счёт», «приём», «выдаёт»)", () => {
    const noYo =
      /(?<!\p{L})(еще|сохранен|отменен|учтен|расчет\p{L}*|отсчет\p{L}*|пересчет\p{L}*|объем\p{L}*|счет|счета|счету|прием\p{L}*|выдает\p{L}*|выдается|передает|ее)(?!\p{L})/iu;
    expect(
      all.filter((t) => noYo.test(readable(t.ru))).map((t) => `${t.where}: ${noYo.exec(t.ru)?.[0]}`),
    ).toEqual([]);
  });

  it("a ru text contains no Kazakh-only letter outside the official names", () => {
    const leaks = all.flatMap((t) => {
      let s = readable(t.ru);
      for (const name of NAMES_WITH_KAZAKH_LETTERS) s = s.replaceAll(name, " ");
      const hit = (s.match(CYRILLIC_WORD) ?? []).filter((w) => KAZAKH_ONLY.test(w));
      return hit.length ? [`${t.where}: ${[...new Set(hit)].join(", ")}`] : [];
    });
    expect(leaks).toEqual([]);
  });
});
