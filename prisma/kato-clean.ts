// Mechanical repairs of the official КАТО file's known flaws (../shared/data/README.md), applied by the
// importer to every name before it is stored. Each repair is safe to run on a clean name (it changes nothing).
//
// Repaired:
// - stray letters of an old Kazakh 8-bit encoding: ў→ұ, ќ→қ, ї→ү, ј→ә (and ѓ→ғ, њ→ң, ћ→һ) in Kazakh names;
//   in Russian names the same letters become their Russian look-alikes (ў→у, ќ→к, ї→у, ј→а);
// - straight quotes → «…», with the missing spaces around them («"ЗЕРЕН"балалар» → «ЗЕРЕН» балалар);
// - a space before a final dot («а.о .»), a missing final dot of «а.о»/«с.о» is left to the display rules;
// - the Russian abbreviation «Г.А.» in a Kazakh name → «Қ.Ә.»;
// - names cut at ~30 characters that end inside a known phrase of the file («…балалар сауықтыру ортал» →
//   «…балалар сауықтыру орталығы»).
// Not repaired (no mechanical rule; listed in KNOWN_UNREPAIRED): see below.

export type Lang = "kk" | "ru";

const STRAY: Record<Lang, Record<string, string>> = {
  kk: {
    ў: "ұ",
    Ў: "Ұ",
    ќ: "қ",
    Ќ: "Қ",
    ї: "ү",
    Ї: "Ү",
    ј: "ә",
    Ј: "Ә",
    ѓ: "ғ",
    Ѓ: "Ғ",
    њ: "ң",
    Њ: "Ң",
    ћ: "һ",
    Ћ: "Һ",
  },
  ru: {
    ў: "у",
    Ў: "У",
    ќ: "к",
    Ќ: "К",
    ї: "у",
    Ї: "У",
    ј: "а",
    Ј: "А",
    ѓ: "г",
    Ѓ: "Г",
    њ: "н",
    Њ: "Н",
    ћ: "х",
    Ћ: "Х",
  },
};
const STRAY_RE = /[ўЎќЌїЇјЈѓЃњЊћЋ]/g;

/** Phrases of the file that long names are cut inside (Kazakh). */
const CUT_PHRASES: readonly string[] = [
  "балалар сауықтыру орталығы",
  "сауықтыру орталығы",
  "маусымдық балалар санаторийі",
  "демалыс үйі",
];
/** The source cuts names at about 30 characters. */
const CUT_MIN_LENGTH = 28;

function completeCut(name: string): string {
  if (name.length < CUT_MIN_LENGTH) return name;
  let best: string | null = null;
  for (const phrase of CUT_PHRASES) {
    // the longest tail of the name that is a proper prefix of the phrase, starting at a word boundary
    for (let len = Math.min(phrase.length - 1, name.length); len >= 2; len--) {
      const tail = name.slice(name.length - len);
      if (!phrase.startsWith(tail)) continue;
      const before = name[name.length - len - 1];
      if (before !== undefined && !/[\s»"]/.test(before)) continue;
      const completed = name.slice(0, name.length - len) + phrase;
      if (!best || completed.length > best.length) best = completed;
      break;
    }
  }
  return best ?? name;
}

function fixQuotes(name: string): string {
  let s = name;
  // pairs of straight quotes → «…» (inner spaces trimmed)
  s = s.replace(/"\s*([^"]*?)\s*"/g, "«$1»");
  // a letter or digit glued to a quote
  s = s.replace(/»(?=[\p{L}\d])/gu, "» ").replace(/(?<=[\p{L}\d])«/gu, " «");
  return s;
}

/** One name of the file, repaired. */
export function cleanKatoName(raw: string, lang: Lang): string {
  let s = raw.replace(/\s+/g, " ").trim();
  if (lang === "kk") s = completeCut(s);
  s = s.replace(STRAY_RE, (ch) => STRAY[lang][ch] ?? ch);
  s = fixQuotes(s);
  s = s.replace(/\s+\.$/, ".");
  if (lang === "kk") s = s.replace(/(^|\s)Г\.А\.$/, "$1Қ.Ә.");
  return s.replace(/\s+/g, " ").trim();
}

/**
 * Flaws of the 2026-07-17 file left as they are (no rule can repair them without guessing), by code.
 * Shown as the file gives them.
 */
export const KNOWN_UNREPAIRED: readonly { code: string; lang: Lang; name: string; note: string }[] = [
  {
    code: "553637211",
    lang: "kk",
    name: "ферма Балыққы",
    note: "after ќ→қ; the Russian name is «ферма Балыкты», so the Kazakh is probably «Балықты»",
  },
  {
    code: "117057123",
    lang: "kk",
    name: "С.Сейфуллин емдеу-сауық.профил",
    note: "cut inside an abbreviation (санаторий-профилакторий); Russian «санаторий прафил.» has a typo",
  },
  {
    code: "636237105",
    lang: "kk",
    name: "Заимка в с.Алмасай",
    note: "Russian words in the Kazakh column (also 636237106 «Заимка в с.Б.Утепов»)",
  },
  {
    code: "",
    lang: "kk",
    name: "… ж.",
    note: "«ж.» (66 names; Russian «отг.», a seasonal pasture) and «р.», «с.» in «атын.с.» are not expanded",
  },
  { code: "", lang: "ru", name: "… р.а., р.Казахстанский", note: "«р.а.», «р.» are not expanded" },
  {
    code: "",
    lang: "kk",
    name: "200 objects",
    note: "the Kazakh name equals the Russian one (mostly numbers and loanwords: «Депо», «3 ферма», «рзд.41»)",
  },
];
