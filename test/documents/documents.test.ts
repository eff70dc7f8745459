// The generated documents (adapters/pdf): the same data gives the same bytes; the reader's language gives
// other bytes; read back with pdf.js, each PDF says exactly what its text twin says, in one language, with
// names instead of codes or ids and dates in Astana time.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  appendixText,
  applicationFormText,
  applicationNumber,
  consentText,
  noticeHtml,
  noticeText,
  renderAppendix,
  renderApplicationForm,
  renderConsent,
  renderNotice,
  sha256Hex,
} from "../../adapters/pdf/index.ts";
import type { DocLang, RenderedDocument } from "../../adapters/pdf/types.ts";
import { MAX_REASON_LENGTH } from "../../domain/text.ts";
import {
  ALL_CODES,
  APPENDIX,
  AS_GIVEN,
  CHAIN_ID,
  CONSENT,
  EXCLUSION,
  FORM,
  INCLUSION,
  REJECTION,
  subtype,
} from "./fixtures.ts";
import { readPdf, squash } from "./pdfText.ts";

const LANGS: DocLang[] = ["kk", "ru"];

interface Case {
  name: string;
  render: (lang: DocLang) => Promise<RenderedDocument>;
  text: (lang: DocLang) => string[];
}

const CASES: Case[] = [
  {
    name: "application form",
    render: (l) => renderApplicationForm(FORM, l),
    text: (l) => applicationFormText(FORM, l),
  },
  { name: "consent", render: (l) => renderConsent(CONSENT, l), text: (l) => consentText(CONSENT, l) },
  {
    name: "inclusion notice",
    render: (l) => renderNotice(INCLUSION, l),
    text: (l) => noticeText(INCLUSION, l),
  },
  {
    name: "rejection notice",
    render: (l) => renderNotice(REJECTION, l),
    text: (l) => noticeText(REJECTION, l),
  },
  {
    name: "exclusion notice",
    render: (l) => renderNotice(EXCLUSION, l),
    text: (l) => noticeText(EXCLUSION, l),
  },
  {
    name: "licence appendix",
    render: (l) => renderAppendix(APPENDIX, l),
    text: (l) => appendixText(APPENDIX, l),
  },
];

/** The page text without its footer (the last line of each page: «<document> · 1 / 2»). */
function bodyOf(pages: string[]): { body: string; footers: string[] } {
  const footers: string[] = [];
  const bodies = pages.map((p) => {
    const lines = p.trimEnd().split("\n");
    footers.push(lines.pop() ?? "");
    return lines.join("\n");
  });
  return { body: bodies.join("\n"), footers };
}

// ── the word lists for the language checks ──
const localeStrings = (lang: DocLang): string[] => {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(JSON.parse(readFileSync(new URL(`../../locales/${lang}/documents.json`, import.meta.url), "utf8")));
  return out;
};
const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}]+/gu) ?? [];
/** Every classifier name a fixture carries, per language. */
const fixtureNames = (lang: DocLang): string[] => {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === "object" && "kk" in v && "ru" in v) out.push((v as Record<DocLang, string>)[lang]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object" && !(v instanceof Date)) Object.values(v).forEach(walk);
  };
  walk([FORM, CONSENT, INCLUSION, REJECTION, EXCLUSION, APPENDIX]);
  return out;
};
const kkWords = new Set([...localeStrings("kk"), ...fixtureNames("kk")].flatMap(words));
/** Russian words of the ru documents (locale texts and classifier names) that Kazakh does not share. */
const RU_ONLY = new Set(
  [...localeStrings("ru"), ...fixtureNames("ru")]
    .flatMap(words)
    .filter((w) => w.length >= 3 && !kkWords.has(w)),
);
const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Leave out what is printed as given (names, addresses, typed text): the language checks are about the rest. */
const withoutGiven = (s: string): string =>
  [...AS_GIVEN]
    .sort((a, b) => b.length - a.length)
    .map((g) =>
      g
        .replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
        .replace(/\s+/g, "\\s+")
        .replace(/-/g, "-\\s*"),
    )
    .reduce((acc, re) => acc.replace(new RegExp(re, "g"), " "), s);

describe("documents are deterministic", () => {
  for (const c of CASES) {
    it(`${c.name}: the same data gives the same bytes and hash; kk and ru differ`, async () => {
      const [kk1, kk2, ru1] = [await c.render("kk"), await c.render("kk"), await c.render("ru")];
      expect(kk1.bytes.equals(kk2.bytes)).toBe(true);
      expect(kk1.sha256).toBe(kk2.sha256);
      expect(kk1.sha256).toBe(sha256Hex(kk1.bytes));
      expect(kk1.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(ru1.sha256).not.toBe(kk1.sha256);
      expect(kk1.mimeType).toBe("application/pdf");
      expect(kk1.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    });
  }

  it("a changed note, ground or date changes the notice's hash", async () => {
    const base = await renderNotice(REJECTION, "kk");
    const note = await renderNotice({ ...REJECTION, note: "Басқа ескертпе" }, "kk");
    const grounds = await renderNotice({ ...REJECTION, grounds: REJECTION.grounds.slice(0, 1) }, "kk");
    const later = await renderNotice(
      { ...REJECTION, date: new Date(REJECTION.date.getTime() + 60_000) },
      "kk",
    );
    expect(new Set([base.sha256, note.sha256, grounds.sha256, later.sha256]).size).toBe(4);
  });

  it("the PDF's dates and file ID come from the data, not the clock", async () => {
    const doc = await renderNotice(EXCLUSION, "ru");
    const { info } = await readPdf(doc.bytes);
    expect(info.CreationDate).toBe("D:20261123134500Z");
    expect(info.ModDate).toBe("D:20261123134500Z");
    expect(info.Title).toBe("Уведомление об исключении из базы данных субъектов здравоохранения");
    expect(info.Language).toBe("ru-RU");
    const kk = await readPdf((await renderNotice(EXCLUSION, "kk")).bytes);
    expect(kk.info.Title).toBe("Денсаулық сақтау субъектілерінің дерекқорынан шығару туралы хабарлама");
    expect(kk.info.Language).toBe("kk-KZ");
  });
});

describe("each PDF says exactly what its text twin says", () => {
  for (const c of CASES) {
    for (const lang of LANGS) {
      it(`${c.name} (${lang}): the PDF's text is the twin's lines, page footers aside`, async () => {
        const doc = await c.render(lang);
        const { pages } = await readPdf(doc.bytes);
        const { body, footers } = bodyOf(pages);
        expect(squash(body)).toBe(squash(c.text(lang).join("\n")));
        footers.forEach((f, i) => {
          expect(f).toMatch(new RegExp(`· ${i + 1} / ${pages.length}$`));
        });
      });
    }
  }

  it("renderNotice returns the same lines as noticeText", async () => {
    for (const lang of LANGS)
      expect((await renderNotice(EXCLUSION, lang)).lines).toEqual(noticeText(EXCLUSION, lang));
  });

  it("a long form (30 bases) runs over pages, numbered, with every base on them", async () => {
    const bases = Array.from({ length: 30 }, (_, i) => ({
      ...FORM.bases[0]!,
      address: `ул. Кенесары, ${i + 1}`,
    }));
    const form = { ...FORM, bases };
    const doc = await renderApplicationForm(form, "ru");
    const { pages } = await readPdf(doc.bytes);
    expect(pages.length).toBeGreaterThan(3);
    const { body, footers } = bodyOf(pages);
    expect(squash(body)).toBe(squash(applicationFormText(form, "ru").join("\n")));
    expect(footers[0]).toBe(`Заявка № 4CE558C2, версия 2 · 1 / ${pages.length}`);
    for (let i = 1; i <= 30; i++) expect(body).toContain(`Производственная база № ${i}`);
  });
});

describe("the reader's language, names not codes", () => {
  for (const c of CASES) {
    it(`${c.name} (kk): no Russian word outside names and typed values, no UUID, no raw code`, async () => {
      const { pages } = await readPdf((await c.render("kk")).bytes);
      const text = withoutGiven(pages.join("\n"));
      const russian = words(text).filter((w) => RU_ONLY.has(w));
      expect(russian).toEqual([]);
      expect(text).toMatch(KAZAKH_LETTERS);
      expect(text).not.toMatch(UUID);
      for (const code of ALL_CODES) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/);
      expect(pages.join("\n")).not.toMatch(/««|»»/);
    });

    it(`${c.name} (ru): no Kazakh letter outside names and typed values, no UUID, no raw code`, async () => {
      const { pages } = await readPdf((await c.render("ru")).bytes);
      const text = withoutGiven(pages.join("\n"));
      expect(text.match(new RegExp(KAZAKH_LETTERS, "gu")) ?? []).toEqual([]);
      expect(pages.join("\n")).not.toMatch(/««|»»/);
      expect(text).not.toMatch(UUID);
      for (const code of ALL_CODES) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/);
    });
  }

  it("the word list is a real one (the check above could fail)", () => {
    for (const w of ["заявка", "организация", "причины", "исключения", "примечание", "помощь", "версия"])
      expect(RU_ONLY.has(w), w).toBe(true);
    expect(RU_ONLY.has("лицензия")).toBe(false); // shared by both languages
  });

  it("the form shows subtype, ownership and KATO names, the licence's activity and licensor, the signer", () => {
    const kk = applicationFormText(FORM, "kk").join("\n");
    const ru = applicationFormText(FORM, "ru").join("\n");
    expect(kk).toContain(subtype("PHC_CAP").kk);
    expect(ru).toContain(
      `Вид / Форма медицинской помощи (Поставщик): ${subtype("PHC_CAP").ru}; ${subtype("ONCO_OUTPAT").ru}`,
    );
    expect(ru).toContain("Форма собственности СЗ: Частные организации");
    expect(kk).toContain("Денсаулық сақтау субъектісінің меншік нысаны: Жеке меншік ұйымдар");
    expect(ru).toContain("Населённый пункт (КАТО): г. Астана, район Есиль");
    expect(kk).toContain("Елді мекен (ӘАОЖ): Астана қаласы, Есіл ауданы");
    expect(ru).toContain("КАТО производственной базы: г. Астана, район Сарыарка");
    expect(ru).toContain("Широта, долгота: 51.1694, 71.4491");
    expect(ru).toContain("Разрешительный документ СЭС: СЭС-заключение база 1.pdf");
    expect(ru).toContain("Разрешительный документ СЭС: не прикреплён");
    expect(kk).toContain("Санитариялық-эпидемиологиялық рұқсат беру құжаты: қоса берілмеген");
    expect(ru).toContain(
      "Лицензия № KZ12LAA00012345\nВид деятельности: Медицинская деятельность\nДата выдачи: 15.03.2021",
    );
    expect(kk).toContain("Қызмет түрі: Медициналық қызмет");
    expect(kk).toContain(
      "Лицензиар: «Медициналық және фармацевтикалық бақылау комитеті» республикалық мемлекеттік мекемесі",
    );
    expect(ru).toContain("Наличие аптеки и (или) аптечного склада у субъекта здравоохранения: Да");
    expect(kk).toContain("Басшы: Абенова Айгерим Серикқызы");
    expect(
      applicationFormText({ ...FORM, signer: { fullName: "Сенім Берілген", role: "HEAD_ATTORNEY" } }, "ru"),
    ).toContain("Поверенное лицо руководителя: Сенім Берілген");
    expect(applicationFormText({ ...FORM, hasPharmacy: null }, "ru").join("\n")).not.toContain("аптеки");
  });

  it("notices: kind, application number and version, organisation, BIN, region, grounds, author, Astana time", () => {
    expect(noticeText(EXCLUSION, "ru")).toEqual([
      "Уведомление об исключении из базы данных субъектов здравоохранения",
      "Вид уведомления: об исключении из БД",
      "Заявка: № 4CE558C2, версия 2",
      "Организация: ТОО «Денсаулык-Центр»",
      "БИН/ИИН: 210940012345",
      "Регион: г. Астана",
      "Филиал Фонда: Филиал НАО «ФСМС» по городу Астана",
      "",
      "Субъект здравоохранения исключается из базы данных субъектов здравоохранения.",
      "Причины исключения:",
      "1. Прекращение действия (лишение) лицензии",
      "Дополнительное основание исключения: Решение суда от 01.11.2026",
      "",
      "Рассматривающий заявки БД: Жақсылықов Ерлан Бақытұлы",
      "Дата формирования: 23.11.2026 18:45",
    ]);
    expect(noticeText(EXCLUSION, "kk")).toEqual([
      "Денсаулық сақтау субъектілерінің дерекқорынан шығару туралы хабарлама",
      "Хабарлама түрі: дерекқордан шығару туралы",
      "Өтінім: № 4CE558C2, 2-нұсқа",
      "Ұйым: «Денсаулық-Орталық» ЖШС",
      "БСН/ЖСН: 210940012345",
      "Өңір: Астана қаласы",
      "Қордың филиалы: «ӘМСҚ» КЕАҚ Астана қаласы бойынша филиалы",
      "",
      "Денсаулық сақтау субъектісі денсаулық сақтау субъектілерінің дерекқорынан шығарылады.",
      "Шығару себептері:",
      "1. Лицензияның қолданысын тоқтату (лицензиядан айыру)",
      "Шығарудың қосымша негізі: Решение суда от 01.11.2026",
      "",
      "ДҚ өтінімдерін қараушы: Жақсылықов Ерлан Бақытұлы",
      "Қалыптастырылған күні: 23.11.2026 18:45",
    ]);
    const rej = noticeText(REJECTION, "kk");
    expect(rej).toContain("Қабылдамау негіздері:");
    expect(rej).toContain(
      "1. Өндірістік базаға халықтың санитариялық-эпидемиологиялық саламаттылығы саласындағы рұқсат беру құжаты жоқ",
    );
    expect(rej).toContain("2. Құжаттар топтамасы толық ұсынылмаған");
    expect(rej).toContain("Ескертпе: Нет договора аренды на вторую базу");
    const inc = noticeText(INCLUSION, "ru");
    expect(inc[0]).toBe("Уведомление о включении в базу данных субъектов здравоохранения");
    expect(inc.join("\n")).not.toMatch(/Основания|Причины|Примечание/);
  });

  it("the chat's HTML twin escapes typed values", () => {
    const html = noticeHtml({ ...REJECTION, note: "<b>жирный</b> & co" }, "ru");
    expect(html.split("\n")[0]).toBe(
      "<b>Уведомление об отклонении заявки о включении в базу данных субъектов здравоохранения</b>",
    );
    expect(html).toContain("Примечание: &lt;b&gt;жирный&lt;/b&gt; &amp; co");
  });

  it("the chat twin fits one Telegram message with every ground and the longest texts the rules allow", () => {
    const reasons = JSON.parse(
      readFileSync(new URL("../../prisma/data/reasons.json", import.meta.url), "utf8"),
    );
    const all = (xs: { nameKk: string; nameRu: string }[]) => xs.map((x) => ({ kk: x.nameKk, ru: x.nameRu }));
    const long = "ы".repeat(MAX_REASON_LENGTH);
    for (const lang of LANGS) {
      const exclusion = {
        ...EXCLUSION,
        grounds: all(reasons.exclusionReasons),
        note: long,
        additionalGround: long,
      };
      const rejection = { ...REJECTION, grounds: all(reasons.rejectionGrounds), note: long };
      expect(noticeHtml(exclusion, lang).length).toBeLessThanOrEqual(4096);
      expect(noticeHtml(rejection, lang).length).toBeLessThanOrEqual(4096);
    }
  });

  it("file names are safe ASCII in the reader's language, with the application's number, never a UUID", async () => {
    const names: Record<string, string> = {};
    for (const c of CASES)
      for (const lang of LANGS) {
        const { fileName } = await c.render(lang);
        expect(fileName).toMatch(/^[A-Za-z0-9._-]+\.pdf$/);
        expect(fileName).not.toMatch(UUID);
        names[`${c.name}:${lang}`] = fileName;
      }
    expect(names["exclusion notice:ru"]).toBe("Uvedomlenie-ob-isklyuchenii-4CE558C2-v2.pdf");
    expect(names["exclusion notice:kk"]).toBe("Shygaru-turaly-habarlama-4CE558C2-v2.pdf");
    expect(names["application form:kk"]).toBe("Engizu-turaly-otinim-4CE558C2-v2.pdf");
    expect(names["consent:ru"]).toBe("Soglasie-4CE558C2-v2.pdf");
    expect(names["licence appendix:kk"]).toBe("Litsenziyaga-qosymsha-KZ12LAA00012345-003.pdf");
    const odd = await renderAppendix({ ...APPENDIX, licenceNumber: "№ 15/ҚР-007", number: "../1" }, "ru");
    expect(odd.fileName).toBe("Prilozhenie-k-licenzii-15_QR-007-1.pdf");
  });

  it("the application's number is short and stable across versions, not the UUID", () => {
    expect(applicationNumber(CHAIN_ID)).toBe("4CE558C2");
    expect(applicationNumber(CHAIN_ID)).not.toMatch(UUID);
  });

  it("missing values print a dash, not «null» or an empty label", () => {
    const bare = {
      ...FORM,
      ownershipForm: null,
      region: null,
      legal: {
        kato: null,
        postcode: null,
        street: null,
        house: null,
        office: null,
        phone: null,
        email: null,
      },
      bases: [],
      licences: [],
      signer: null,
    };
    const ru = applicationFormText(bare, "ru").join("\n");
    expect(ru).not.toMatch(/null|undefined/);
    expect(ru).toContain("Форма собственности СЗ: —");
    expect(ru).toContain("Адреса производственных баз не указаны.");
    expect(ru).toContain("Лицензии не приложены.");
    expect(ru).toContain("Руководитель: —");
    const n = noticeText({ ...INCLUSION, authorName: null, region: null, branch: null }, "kk").join("\n");
    expect(n).toContain("ДҚ өтінімдерін қараушы: —");
    expect(n).not.toContain("Қордың филиалы");
  });
});
