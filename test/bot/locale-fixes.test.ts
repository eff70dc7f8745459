// The defects of the language review (shared/findings/language.md) stay fixed: what the reader sees in
// kk and ru for the texts the review named, and the wording rules behind them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, loadResources, translator } from "../../bot/kit/i18n.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const res = loadResources();

/** Every text of a language as [«ns:key», text]. */
function values(lang: "kk" | "ru"): [string, string][] {
  return Object.entries(res[lang]).flatMap(([ns, obj]) =>
    Object.entries(flat(obj)).map(([k, v]): [string, string] => [`${ns}:${k}`, v]),
  );
}

function flat(o: unknown, p = "", out: Record<string, string> = {}): Record<string, string> {
  if (o && typeof o === "object")
    for (const [k, v] of Object.entries(o)) {
      const key = p ? `${p}.${k}` : k;
      if (typeof v === "string") out[key] = v;
      else flat(v, key, out);
    }
  return out;
}

const hits = (lang: "kk" | "ru", re: RegExp) =>
  values(lang)
    .filter(([, v]) => re.test(v))
    .map(([k]) => k);

describe("texts the language review named", () => {
  it("the signing screen names the method in the reader's language, never its code", () => {
    const kk = translator("kk")("head:confirm", { sha256: "ab", method: "telegram-confirmation" });
    const ru = translator("ru")("head:confirm", { sha256: "ab", method: "telegram-confirmation" });
    expect(kk).toContain("Қол қою тәсілі: Telegram-да растау.");
    expect(ru).toContain("Способ подписи: подтверждение в Telegram.");
    expect(kk + ru).not.toContain("telegram-confirmation");
  });

  it("a draft's version reads «3-нұсқа» / «версия 3», not «3-н.» / «в.3»", () => {
    const p = { date: "01.03.2026", region: "R", status: "S", no: 3 };
    expect(translator("kk")("drafts:list_item", p)).toBe("01.03.2026 · R · S · 3-нұсқа");
    expect(translator("ru")("drafts:list_item", p)).toBe("01.03.2026 · R · S · версия 3");
  });

  it("the menu calls drafts «Проекты заявок» (the status is «Проект») and goes «Назад к списку заявок»", () => {
    const ru = translator("ru");
    expect(ru("common:menu.drafts")).toBe("Проекты заявок");
    expect(ru("common:commands.drafts")).toBe("Проекты заявок");
    expect(ru("drafts:btn.list")).toBe("📋 Назад к списку заявок");
    expect(translator("kk")("drafts:btn.list")).toBe("📋 Өтінімдер тізіміне оралу");
  });

  it("keys that only looked like plurals have a non-plural name with the same text", () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang);
      for (const [oldKey, newKey] of [
        ["staff:grounds.need_one", "staff:grounds.need_at_least_one"],
        ["staff:checkers.need_one", "staff:checkers.need_at_least_one"],
        ["wizard:a.choose_one", "wizard:a.choose_at_least_one"],
      ] as const) {
        expect(t(newKey)).not.toBe(newKey.split(":")[1]);
        expect(t(newKey)).toBe(t(oldKey));
      }
    }
  });

  it("file sizes use «МБ», never «мб»", () => {
    expect([...hits("ru", /\d\s*мб\b/u), ...hits("kk", /\d\s*мб\b/u)]).toEqual([]);
    expect(translator("ru")("wizard:file.too_big")).toContain("не должен превышать 20 МБ.");
    expect(translator("kk")("wizard:file.too_big")).toContain(
      "Қоса берілетін әрбір файлдың көлемі 20 МБ-тан аспауы тиіс.",
    );
  });

  it("kk: official terms, no made-up abbreviations, no case suffix glued to an abbreviation", () => {
    // «ДҚ-на енгізуге» → «дерекқорына енгізу туралы»; «СЭҚ»/«СЭС» → the full term; «ӘАОЖ-ны» → «ӘАОЖ кодын»;
    // «ЖК» → «дара кәсіпкер»; «Эскалация» → «Мерзім өтті»; «болдырмау» is the Cancel button, not "undo".
    const bad =
      /ДҚ-на|СЭҚ|СЭС|ӘАОЖ-|ЖК ретінде|[Ээ]скалация|болдырмау мүмкін емес|Жарайды|Өнім берушісі|тіркелетін файл/u;
    expect(hits("kk", bad)).toEqual([]);
    expect(translator("kk")("wizard:a.pharmacy")).toBe(
      "Денсаулық сақтау субъектісінде дәріхана және (немесе) дәріхана қоймасы бар ма?",
    );
    expect(translator("kk")("staff:prompt.cancelled")).toBe(
      "Мәтінді енгізу тоқтатылды, ештеңе өзгертілген жоқ.",
    );
  });

  it("the seed's «important» note reads the same wherever it is shown", () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang);
      expect(t("drafts:licences_none").endsWith(t("licences:m5"))).toBe(true);
    }
    expect(translator("ru")("licences:m5")).toContain("не отображаются лицензии или");
  });

  it("ru: «Необязательный», no «Черновики»", () => {
    expect(hits("ru", /Не обязательный|Черновики/u)).toEqual([]);
    expect(translator("ru")("wizard:d.d3_ask")).toContain("Необязательный документ");
  });

  it("classifier names in Kazakh: no doubled «саласындағы», no double dative", () => {
    const classifiers = JSON.parse(readFileSync(resolve(ROOT, "prisma/data/classifiers.json"), "utf8"));
    const reasons = JSON.parse(readFileSync(resolve(ROOT, "prisma/data/reasons.json"), "utf8"));
    const find = (o: unknown, code: string): { nameKk: string } | undefined => {
      if (Array.isArray(o))
        for (const x of o) {
          const f = find(x, code);
          if (f) return f;
        }
      else if (o && typeof o === "object") {
        if ((o as { code?: string }).code === code) return o as { nameKk: string };
        for (const v of Object.values(o)) {
          const f = find(v, code);
          if (f) return f;
        }
      }
      return undefined;
    };
    expect(find(classifiers, "L64")?.nameKk).toBe(
      "Денсаулық сақтау саласындағы есірткі құралдарының, психотроптық заттар мен прекурсорлардың айналымына байланысты қызмет",
    );
    expect(find(reasons, "ADDRESS_MISMATCH")?.nameKk).toBe(
      "Өндірістік базаның мекенжайы лицензияға қосымшадағы мекенжайға сәйкес келмейді",
    );
  });
});
