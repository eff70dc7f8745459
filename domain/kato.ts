// КАТО (the classifier of administrative-territorial objects, НК РК 11-2025): pure rules on its codes and
// names. No I/O: the importer (prisma/kato-import.ts) and the store (prisma/store/kato.ts) call these.
//
// - Codes: 9 digits «AA BB CC DDD»; AA is the region or city of republican significance, so the top-level
//   object of any code is AA0000000 (katoRegionCode).
// - Search folding (foldForSearch): one spelling for the Kazakh and the Russian way of typing a name:
//   lower case, ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и, ё→е, ь/ъ dropped, Latin look-alikes typed on the
//   wrong keyboard (a, c, e, o, p, x, y, k, m, t, i, h, B, H) → Cyrillic, punctuation → space.
//   «Еңбекші», «Енбекши» and «енбекши» all fold to «енбекши».
// - Display names (katoDisplayName): the official file's abbreviations expanded where a person reads them
//   (а.о. → ауылдық округі, с.о. → сельский округ, …). Abbreviations whose meaning the file does not give
//   are left as they are (UNEXPANDED_ABBREVIATIONS).

export type KatoLang = "kk" | "ru";

/** A КАТО object as the domain needs it. */
export interface KatoNames {
  code: string;
  nameKk: string | null;
  nameRu: string;
}

const CODE = /^\d{9}$/;

export const isKatoCode = (code: string): boolean => CODE.test(code);

/** The top-level object (region / city of republican significance) of a code: its first two digits. */
export function katoRegionCode(code: string): string | null {
  return CODE.test(code) ? `${code.slice(0, 2)}0000000` : null;
}

/** True when the object lies inside the region whose top-level КАТО code is `regionKatoCode`. */
export function katoInRegion(code: string, regionKatoCode: string): boolean {
  const r = katoRegionCode(code);
  return r !== null && r === katoRegionCode(regionKatoCode);
}

// ───────────── search folding ─────────────

const FOLD: Record<string, string> = {
  ә: "а",
  ғ: "г",
  қ: "к",
  ң: "н",
  ө: "о",
  ұ: "у",
  ү: "у",
  һ: "х",
  і: "и",
  ё: "е",
  ь: "",
  ъ: "",
  // Latin look-alikes (lower case)
  a: "а",
  c: "с",
  e: "е",
  o: "о",
  p: "р",
  x: "х",
  y: "у",
  k: "к",
  m: "м",
  t: "т",
  i: "и",
  h: "х",
};
/** Upper-case Latin letters that look like a Cyrillic letter whose lower case differs. */
const UPPER_LOOKALIKE: Record<string, string> = { B: "в", H: "н" };

/** The folded form used for search (both the stored column and the typed query). */
export function foldForSearch(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const up = UPPER_LOOKALIKE[ch];
    if (up) {
      out += up;
      continue;
    }
    const lower = ch.toLowerCase();
    const f = FOLD[lower];
    if (f !== undefined) out += f;
    else if ((lower >= "а" && lower <= "я") || (lower >= "0" && lower <= "9")) out += lower;
    else out += " ";
  }
  return out.replace(/\s+/g, " ").trim();
}

// ───────────── display names ─────────────

type Rule = readonly [abbreviation: string, expansion: string];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type TokenRule = readonly [abbreviation: string, expansion: string, re: RegExp];

/** A word of its own (after the start or a space), possibly glued to what follows («ст.465», «им.Абая»). */
const tokenRules = (rules: readonly Rule[]): readonly TokenRule[] =>
  rules.map(([a, full]) => [a, full, new RegExp(`(^|\\s)${escapeRe(a)}`, "g")] as const);

/**
 * Russian: the official file writes the kind of object before the name («с.Карааул», «г.Семей»,
 * «с.о.им.Койгельды Аухадиева»), sometimes after it («Карааульский с.о.», «Семей Г.А.»).
 */
const RU_PREFIX: readonly Rule[] = [
  ["кр.хоз.", "крестьянское хозяйство"],
  ["кр.хоз", "крестьянское хозяйство"],
  ["крес.пос.", "крестьянский поселок"],
  ["с.о.", "сельский округ"],
  ["с.а.", "сельская администрация"],
  ["п.а.", "поселковая администрация"],
  ["г.а.", "городская администрация"],
  ["им.", "имени"],
  ["рзд.", "разъезд"],
  ["отг.", "отгон"],
  ["уч.", "участок"],
  ["ст.", "станция"],
  ["Отд.", "Отделение"],
  ["с.", "село"],
  ["г.", "город"],
  ["п.", "поселок"],
];
const RU_SUFFIX: readonly Rule[] = [
  ["Г.А.", "городская администрация"],
  ["г.а.", "городская администрация"],
  ["с.о.", "сельский округ"],
  ["с.о", "сельский округ"],
  ["с.а.", "сельская администрация"],
  ["п.а.", "поселковая администрация"],
  ["ст.", "станция"],
  ["с.", "село"],
];
/** Anywhere in a Russian name (a word of its own, or glued to a number: «ст.465»). */
const RU_TOKEN: readonly TokenRule[] = tokenRules([
  ["Дом отд.", "Дом отдыха"],
  ["дет.сан.", "детский санаторий"],
  ["Жив.точка", "животноводческая точка"],
  ["Жив.т.", "животноводческая точка"],
  ["кр.хоз.", "крестьянское хозяйство"],
  ["кр.хоз", "крестьянское хозяйство"],
  ["жил.", "жилой"],
  ["оздоровит.", "оздоровительный"],
  ["Оздоровит.", "Оздоровительный"],
  ["им.", "имени"],
  ["ст.", "станция"],
]);

/** Kazakh: the kind of object follows the name («Қараауыл а.о.», «Семей Қ.Ә.»). */
const KK_SUFFIX: readonly Rule[] = [
  ["шар.қож.", "шаруа қожалығы"],
  ["шарқож", "шаруа қожалығы"],
  ["Қ.Ә.", "қалалық әкімдігі"],
  ["қ.ә.", "қалалық әкімдігі"],
  ["а.ә.", "ауылдық әкімдігі"],
  ["к.ә.", "кенттік әкімдігі"],
  ["а.о.", "ауылдық округі"],
  ["а.о", "ауылдық округі"],
  ["а.ә", "ауылдық әкімдігі"],
  ["рзд.", "разъезі"],
  ["атындағы", "атындағы"],
  ["атын.", "атындағы"],
  ["ат.", "атындағы"],
  ["уч.", "учаскесі"],
  ["ст.", "станциясы"],
  ["а.", "ауылы"],
  ["қ.", "қаласы"],
  ["к.", "кенті"],
];
const KK_PREFIX: readonly Rule[] = [["рзд.", "разъезд"]];
/** Anywhere in a Kazakh name, glued to the next word («ат.ауыл», «шар.қонысы»); «ст.465» below. */
const KK_TOKEN: readonly TokenRule[] = tokenRules([
  ["шар.қонысы", "шаруа қонысы"],
  ["шаруаш.", "шаруашылық"],
  ["атын.", "атындағы"],
  ["ат.", "атындағы"],
]);
/** Kazakh names written the Russian way round («а.Ақтас»): the kind moves after the name. */
const KK_LEADING: readonly Rule[] = [
  ["а.", "ауылы"],
  ["қ.", "қаласы"],
];

/**
 * Abbreviations of the file whose meaning it does not give: shown as written rather than guessed.
 * kk «ж.» (ru «отг.», a seasonal pasture), «р.» and «с.» inside «атын.с.»; ru «р.а.», «р.» («р.Казахстанский»).
 */
export const UNEXPANDED_ABBREVIATIONS = { kk: ["ж.", "р.", "с."], ru: ["р.а.", "р."] } as const;

const startsWithAt = (s: string, abbr: string) => s.startsWith(abbr);

function expandPrefix(name: string, rules: readonly Rule[]): string {
  const words: string[] = [];
  let rest = name;
  for (let guard = 0; guard < 4; guard++) {
    const r = rules.find(([a]) => startsWithAt(rest, a));
    if (!r) break;
    const after = rest.slice(r[0].length);
    // the abbreviation must be followed by a name (a letter, digit, quote or space), not end the string
    if (!after.trim()) break;
    words.push(r[1]);
    rest = after.trimStart();
  }
  return words.length ? `${words.join(" ")} ${rest}` : name;
}

function expandSuffix(name: string, rules: readonly Rule[]): string {
  const words: string[] = [];
  let rest = name;
  for (let guard = 0; guard < 4; guard++) {
    const r = rules.find(([a]) => {
      if (!rest.endsWith(a) || rest.length === a.length) return false;
      const before = rest[rest.length - a.length - 1]!;
      // a word of its own, or glued after another abbreviation («атын.а.о.»)
      return /\s/.test(before) || before === ".";
    });
    if (!r) break;
    words.unshift(r[1]);
    rest = rest.slice(0, rest.length - r[0].length).trimEnd();
  }
  return words.length ? `${rest} ${words.join(" ")}` : name;
}

function expandTokens(name: string, rules: readonly TokenRule[]): string {
  let out = name;
  for (const [a, full, re] of rules) {
    if (!out.includes(a)) continue;
    out = out.replace(re, (_m, pre: string, offset: number, whole: string) => {
      const next = whole[offset + pre.length + a.length];
      return `${pre}${full}${next && next !== " " ? " " : ""}`;
    });
  }
  return out;
}

/** A name as a person reads it: the official abbreviations expanded. */
export function katoDisplayName(name: string, lang: KatoLang): string {
  const s = name.trim().replace(/\s+/g, " ");
  if (lang === "ru") {
    const expanded = expandSuffix(expandPrefix(s, RU_PREFIX), RU_SUFFIX);
    return expandTokens(expanded, RU_TOKEN).replace(/\s+/g, " ").trim();
  }
  const lead = KK_LEADING.find(([a]) => s.startsWith(a) && /^\p{Lu}/u.test(s.slice(a.length)));
  const kk = lead ? `${s.slice(lead[0].length)} ${lead[1]}` : s;
  const expanded = expandSuffix(expandPrefix(kk, KK_PREFIX), KK_SUFFIX);
  return expandTokens(expanded, KK_TOKEN)
    .replace(/(^|\s)ст\.(?=\d)/g, "$1станциясы ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The object's name in the reader's language (Russian when the object has no Kazakh name), expanded. */
export function katoName(o: Pick<KatoNames, "nameKk" | "nameRu">, lang: KatoLang): string {
  if (lang === "kk" && o.nameKk) return katoDisplayName(o.nameKk, "kk");
  return katoDisplayName(o.nameRu, "ru");
}

/** The path region → … → object in the reader's language. */
export function katoPathText(
  chain: readonly Pick<KatoNames, "nameKk" | "nameRu">[],
  lang: KatoLang,
  separator = " › ",
): string {
  return chain.map((o) => katoName(o, lang)).join(separator);
}

/** Sort key of a name: its display form without a leading kind word («город», «село»…), for ordering. */
export function katoSortName(name: string, lang: KatoLang): string {
  const display = katoDisplayName(name, lang);
  if (lang !== "ru") return display;
  const prefix = RU_PREFIX.map(([, full]) => full).find((full) => display.startsWith(`${full} `));
  return prefix ? display.slice(prefix.length + 1) : display;
}

/** Search queries shorter than this are refused (the picker asks for more letters). */
export const KATO_SEARCH_MIN = 2;

/**
 * A path as both languages read it, top level first (the documents' KatoPlace: adapters/pdf/types.ts):
 * `{ path: katoBilingualPath(k.path) }` for an object read with prisma/store/kato.ts katoByCodes.
 */
export function katoBilingualPath(
  chain: readonly Pick<KatoNames, "nameKk" | "nameRu">[],
): { kk: string; ru: string }[] {
  return chain.map((o) => ({ kk: katoName(o, "kk"), ru: katoName(o, "ru") }));
}
