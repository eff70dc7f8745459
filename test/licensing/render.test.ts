// Rendering: every card × operation × section and every calculator result, in kk and ru, within Telegram's
// 4096 characters per message, valid HTML, no missing key; the locale files and the kk texts themselves.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getI18n, LOCALES_DIR, translator } from "../../bot/kit/i18n.ts";
import { fromAstana } from "../../domain/calendar.ts";
import * as common from "../../domain/licensing/data/common.ts";
import { CARDS } from "../../domain/licensing/data/index.ts";
import { computeDeadlines } from "../../domain/licensing/deadlines.ts";
import { QUESTIONNAIRE } from "../../domain/licensing/questionnaire.ts";
import {
  formatDuration,
  renderDeadline,
  renderSection,
  SECTIONS,
  splitMessages,
  TELEGRAM_MESSAGE_LIMIT,
  type TranslateFn,
} from "../../domain/licensing/render.ts";
import type { Lang } from "../../domain/licensing/types.ts";
import { htmlProblems } from "../helpers/bot.ts";

const LANGS: Lang[] = ["kk", "ru"];

/** t() that fails on a key missing in the language's own bundle (no silent Russian fallback). */
function strictT(lang: Lang, used?: Set<string>): TranslateFn {
  const i18n = getI18n();
  const t = translator(lang);
  return (key, options) => {
    const [ns, path] = key.split(":") as [string, string];
    const count = options?.count;
    const resolved = typeof count === "number" ? `${path}_${new Intl.PluralRules(lang).select(count)}` : path;
    const res = i18n.getResource(lang, ns, resolved);
    if (typeof res !== "string") throw new Error(`missing ${lang} key ${ns}:${resolved}`);
    used?.add(`${ns}:${path}`);
    return t(key, options as never) as unknown as string;
  };
}

function checkMessages(messages: string[], where: string) {
  expect(messages.length, where).toBeGreaterThan(0);
  for (const m of messages) {
    expect(m.length, where).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(m.trim().length, where).toBeGreaterThan(0);
    expect(htmlProblems(m), where).toEqual([]);
    expect(m, where).not.toMatch(/\{\{|licensing:|undefined|\[object Object\]/);
  }
}

const at = (y: number, m: number, d: number, h: number, mi = 0) => fromAstana(y, m, d, h, mi)!;

describe("card sections", () => {
  for (const lang of LANGS) {
    it(`every card, operation and section renders in ${lang}`, () => {
      const t = strictT(lang);
      let count = 0;
      for (const card of CARDS) {
        for (const op of card.operations) {
          for (const section of SECTIONS) {
            const messages = renderSection(card, op.id, section, lang, t);
            checkMessages(messages, `${lang} ${card.id} ${op.id} ${section}`);
            count++;
          }
        }
        // without an operation: receipts list every operation's items
        checkMessages(renderSection(card, null, "receipt", lang, t), `${lang} ${card.id} receipt`);
      }
      expect(count).toBeGreaterThan(250);
    });
  }

  it("labels every card with its regulation, date and repeal (historical)", () => {
    const t = strictT("ru");
    for (const card of CARDS) {
      const text = renderSection(card, null, "overview", "ru", t).join("\n");
      const reg = common.REGULATIONS[card.regulation];
      expect(text).toContain(`№ ${reg.number}`);
      expect(text).toContain("Утратило силу");
      expect(text).toContain(reg.repealed.date.split("-").reverse().join("."));
    }
  });

  it("shows the [EKO-pharm] receipt per operation: a mark for issue, a talon for re-issue", () => {
    const t = strictT("ru");
    const card = CARDS.find((c) => c.id === "eko-pha-office")!;
    expect(renderSection(card, "issue", "receipt", "ru", t).join()).toContain(
      "Отметка о регистрации на копии заявления",
    );
    expect(renderSection(card, "reissue", "receipt", "ru", t).join()).toContain("талона");
    expect(renderSection(card, "reissue", "receipt", "ru", t).join()).not.toContain("Отметка");
  });

  it("never doubles a word in any rendered card, in either language («ожидание — до до 15 минут»)", () => {
    for (const lang of LANGS) {
      const t = strictT(lang);
      for (const card of CARDS) {
        for (const op of card.operations) {
          for (const section of SECTIONS) {
            const text = renderSection(card, op.id, section, lang, t).join("\n");
            expect(text, `${lang} ${card.id} ${op.id} ${section}`).not.toMatch(
              /(?<![\p{L}])до до(?![\p{L}])/iu,
            );
            // any word repeated right after itself on the same line (HTML tags stripped)
            const plain = text.replace(/<[^>]+>/g, "");
            const doubled = plain.match(/(?<![\p{L}\d])([\p{L}]{2,})[ \u00a0]+\1(?![\p{L}])/giu) ?? [];
            expect(doubled, `${lang} ${card.id} ${op.id} ${section}`).toEqual([]);
          }
        }
      }
    }
  });

  it("shows the EKO office waiting time once: «ожидание — до 15 минут» / «күту: 15 минутқа дейін» (9 steps, 3 cards)", () => {
    let steps = 0;
    const cards = new Set<string>();
    for (const card of CARDS) {
      for (const op of card.operations) {
        const waits = op.steps.filter((s) => s.duration?.wait).length;
        if (!waits) continue;
        steps += waits;
        cards.add(card.id);
        const ru = renderSection(card, op.id, "steps", "ru", strictT("ru")).join("\n");
        const kk = renderSection(card, op.id, "steps", "kk", strictT("kk")).join("\n");
        expect(ru).toContain("⏱ 15 минут; ожидание — до 15 минут");
        expect(kk).toContain("⏱ 15 минут; күту: 15 минутқа дейін");
      }
    }
    expect(steps).toBe(9);
    expect([...cards].sort()).toEqual(["eko-med-office", "eko-nar-office", "eko-pha-office"]);
  });

  it("numbers the EKO refusal condition in the reader's language («Условие 1» / «1-шарт», not «у1»)", () => {
    const card = CARDS.find((c) => c.id === "eko-med-office")!;
    const ru = renderSection(card, "issue", "steps", "ru", strictT("ru")).join("\n");
    const kk = renderSection(card, "issue", "steps", "kk", strictT("kk")).join("\n");
    expect(ru).toContain("<b>Условие 1. ");
    expect(kk).toContain("<b>1-шарт. ");
    expect(kk).not.toMatch(/у1|Условие/);
    expect(ru).not.toContain("у1.");
  });

  it("formats durations as the sources write them", () => {
    const ru = strictT("ru");
    const kk = strictT("kk");
    const f = (d: Parameters<typeof formatDuration>[0]) => [formatDuration(d, ru), formatDuration(d, kk)];
    expect(f({ to: { value: 15, unit: "seconds" }, from: { value: 10, unit: "seconds" } })).toEqual([
      "10–15 секунд",
      "10–15 секунд",
    ]);
    expect(f({ to: { value: 1, unit: "minutes" }, from: { value: 30, unit: "seconds" } })).toEqual([
      "30 секунд – 1 минута",
      "30 секунд – 1 минут",
    ]);
    expect(f({ to: { value: 1.5, unit: "minutes" } })).toEqual(["1,5 минуты", "1,5 минут"]);
    expect(f({ to: { value: 465, unit: "minutes" } })).toEqual(["7 часов 45 минут", "7 сағат 45 минут"]);
    expect(f({ to: { value: 15, unit: "minutes" }, upTo: true })).toEqual([
      "до 15 минут",
      "15 минутқа дейін",
    ]);
    expect(f({ to: { value: 1, unit: "workingDays" }, upTo: true })).toEqual([
      "в течение 1 рабочего дня",
      "1 жұмыс күні ішінде",
    ]);
    expect(f({ to: { value: 2, unit: "workingDays" } })).toEqual(["2 рабочих дня", "2 жұмыс күні"]);
    expect(f({ to: { value: 11, unit: "workingDays" } })).toEqual(["11 рабочих дней", "11 жұмыс күні"]);
    expect(f({ to: { value: 21, unit: "workingDays" } })).toEqual(["21 рабочий день", "21 жұмыс күні"]);
  });
});

describe("calculator results", () => {
  const dates = [at(2026, 12, 25, 10, 30), at(2026, 3, 21, 11), at(2024, 12, 31, 19), at(2031, 6, 2, 10)];
  for (const lang of LANGS) {
    it(`renders for every card and operation in ${lang}`, () => {
      const t = strictT(lang);
      for (const card of CARDS) {
        for (const op of card.operations) {
          for (const d of dates) {
            const r = computeDeadlines(card, op.id, d);
            if (!r.ok) throw new Error(r.error.code);
            const messages = renderDeadline(r.value, lang, t);
            checkMessages(messages, `${lang} ${card.id} ${op.id} ${d.toISOString()}`);
            const text = messages.join("\n");
            expect(text).toContain(`№ ${r.value.regulation.number}`); // the source regulation is named
          }
        }
      }
    });
  }

  it("names the due date, the working days, the source and its repeal", () => {
    const r = computeDeadlines("akt-med-portal", "issue", at(2026, 12, 25, 10, 30));
    if (!r.ok) throw new Error();
    const text = renderDeadline(r.value, "ru", strictT("ru")).join("\n");
    expect(text).toContain("Результат — не позднее 20.01.2027 18:00 (среда)");
    expect(text).toContain("15 рабочих дней");
    expect(text).toContain("Постановление акимата Актюбинской области от 29 декабря 2012 года № 503");
    expect(text).toContain("утратило силу 28.12.2013");
    expect(text).toContain("Календарь на 2027 год предварительный");
    const kk = renderDeadline(r.value, "kk", strictT("kk")).join("\n");
    expect(kk).toContain("20.01.2027 18:00 (сәрсенбі)");
  });

  it("says in kk and ru when the deadline relies on an estimated year, and not otherwise", () => {
    const est = computeDeadlines("akt-med-portal", "issue", at(2026, 12, 25, 10, 30));
    const off = computeDeadlines("akt-med-portal", "issue", at(2026, 6, 2, 10));
    if (!est.ok || !off.ok) throw new Error();
    const ru = renderDeadline(est.value, "ru", strictT("ru")).join("\n");
    const kk = renderDeadline(est.value, "kk", strictT("kk")).join("\n");
    expect(ru).toContain("Это предварительный срок.</b> Расчёт опирается на календарь 2027 года");
    expect(ru).toContain(
      "Календарь на 2027 год предварительный: переносы выходных дней ещё не опубликованы; дата Курбан айта оценочная.",
    );
    expect(kk).toContain("Бұл – алдын ала есептелген мерзім.</b> Есептеу 2027 жылғы күнтізбеге сүйенеді");
    expect(kk).toContain(
      "2027 жылғы күнтізбе алдын ала жасалған: демалыс күндерін ауыстыру әлі жарияланбаған",
    );
    // the warning stands with the result, before the notes
    expect(ru.indexOf("предварительный срок")).toBeLessThan(ru.indexOf("Сроки взяты из"));
    for (const lang of LANGS) {
      const text = renderDeadline(off.value, lang, strictT(lang)).join("\n");
      expect(text).not.toMatch(/предварительный|алдын ала/);
    }
    const unknown = computeDeadlines("akt-med-portal", "duplicate", at(2031, 6, 2, 10));
    if (!unknown.ok) throw new Error();
    const u = renderDeadline(unknown.value, "ru", strictT("ru")).join("\n");
    expect(u).toContain("Это предварительный срок");
    expect(u).toContain("Календаря на 2031 год нет в данных");
  });

  it("says when the source has no timeline", () => {
    const r = computeDeadlines("nko-med-portal", "issue", at(2026, 6, 2, 10));
    if (!r.ok) throw new Error();
    expect(renderDeadline(r.value, "ru", strictT("ru")).join()).toContain("источник не устанавливает сроков");
  });
});

describe("splitMessages", () => {
  it("keeps every message within the limit and the HTML valid", () => {
    const block = (i: number) =>
      `<b>Шаг ${i}.</b> ${"Текст &amp; описание действия, ".repeat(15)}\n<i>срок</i>: ${i} минут`;
    const blocks = Array.from({ length: 60 }, (_, i) => block(i));
    const out = splitMessages(blocks);
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) {
      expect(m.length).toBeLessThanOrEqual(4096);
      expect(htmlProblems(m)).toEqual([]);
    }
    expect(out.join("\n\n")).toBe(blocks.join("\n\n"));
  });

  it("splits a single over-long line at spaces outside tags and entities, and an unbreakable one anywhere safe", () => {
    const long = `<b>Заголовок</b> ${"слово&amp;слово ".repeat(700)}`;
    const out = splitMessages([long], 1000);
    for (const m of out) {
      expect(m.length).toBeLessThanOrEqual(1000);
      expect(htmlProblems(m)).toEqual([]);
    }
    const solid = "&amp;".repeat(500);
    for (const m of splitMessages([solid], 1002)) {
      expect(m.length).toBeLessThanOrEqual(1002);
      expect(htmlProblems(m)).toEqual([]);
    }
  });
});

describe("locales and texts", () => {
  const load = (lang: Lang) => JSON.parse(readFileSync(`${LOCALES_DIR}/${lang}/licensing.json`, "utf8"));
  const flatten = (o: Record<string, unknown>, prefix = ""): Record<string, string> =>
    Object.entries(o).reduce<Record<string, string>>((acc, [k, v]) => {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === "object" && v !== null) Object.assign(acc, flatten(v as Record<string, unknown>, key));
      else acc[key] = String(v);
      return acc;
    }, {});
  const PLURAL = /_(zero|one|two|few|many|other)$/;

  it("kk and ru have the same keys; plurals kk _one/_other, ru _one/_few/_many/_other", () => {
    const kk = flatten(load("kk"));
    const ru = flatten(load("ru"));
    const base = (keys: string[]) => [...new Set(keys.map((k) => k.replace(PLURAL, "")))].sort();
    expect(base(Object.keys(kk))).toEqual(base(Object.keys(ru)));
    const plurals = (keys: string[]) => {
      const m = new Map<string, string[]>();
      for (const k of keys) {
        const p = PLURAL.exec(k);
        if (p) m.set(k.replace(PLURAL, ""), [...(m.get(k.replace(PLURAL, "")) ?? []), p[1]!]);
      }
      return m;
    };
    for (const forms of plurals(Object.keys(kk)).values()) expect(forms.sort()).toEqual(["one", "other"]);
    for (const forms of plurals(Object.keys(ru)).values())
      expect(forms.sort()).toEqual(["few", "many", "one", "other"]);
  });

  /** Every {kk, ru} pair in the data. */
  function texts(): { kk: string; ru: string }[] {
    const out: { kk: string; ru: string }[] = [];
    const seen = new Set<unknown>();
    const walk = (v: unknown) => {
      if (typeof v !== "object" || v === null || seen.has(v)) return;
      seen.add(v);
      const o = v as Record<string, unknown>;
      if (typeof o.kk === "string" && typeof o.ru === "string") out.push(o as { kk: string; ru: string });
      for (const x of Object.values(o)) walk(x);
    };
    walk(CARDS);
    walk(common);
    walk(QUESTIONNAIRE);
    return out;
  }

  it("kk texts have no mixed-script words (Latin letters typed for Kazakh ones)", () => {
    const kkLocale = Object.values(flatten(load("kk")));
    const all = [...texts().map((t) => t.kk), ...kkLocale];
    expect(all.length).toBeGreaterThan(300);
    const bad = all.flatMap((s) =>
      (s.match(/[\p{L}]+/gu) ?? []).filter(
        (w) => /\p{Script=Latin}/u.test(w) && /\p{Script=Cyrillic}/u.test(w),
      ),
    );
    expect(bad).toEqual([]);
  });

  it("uses one wording: «түйме» (not «батырма»), no «АКТ» tag, one name for 1414, ё, «Рақмет»", () => {
    const kkLocale = Object.values(flatten(load("kk")));
    const ruLocale = Object.values(flatten(load("ru")));
    const kk = [...texts().map((t) => t.kk), ...kkLocale];
    const ru = [...texts().map((t) => t.ru), ...ruLocale];
    expect(kk.filter((s) => /батырма/i.test(s))).toEqual([]);
    expect([...kk, ...ru].filter((s) => /\bАКТ\b|АКТ \d|АКТ п\./.test(s))).toEqual([]);
    expect(ru.filter((s) => /call-центр/i.test(s))).toEqual([]);
    expect(ru.filter((s) => s.includes("1414")).every((s) => s.includes("единый контакт-центр 1414"))).toBe(
      true,
    );
    expect(
      kk.filter((s) => s.includes("1414")).every((s) => s.includes("бірыңғай байланыс орталығы 1414")),
    ).toBe(true);
    expect(ruLocale.filter((s) => /Расчет|отменен|отсчет|сохранен(?!ы)|учтен(?!ы)/.test(s))).toEqual([]);
    expect(kkLocale.filter((s) => /рахмет/i.test(s))).toEqual([]);
    expect(kkLocale.join()).toContain("рақмет");
  });

  it("kk texts are translated, not copies of the Russian", () => {
    const copies = texts().filter((t) => t.kk === t.ru && t.ru.length > 20);
    expect(copies).toEqual([]);
  });
});
