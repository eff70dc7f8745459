// Issue 13's proof: the whole journey with everyone in Kazakh (then everyone in Russian) through the real bot,
// every text a person is shown recorded (messages, edits, buttons, captions, callback alerts, the chat's
// command menu, the text of every PDF sent), and checked against word lists of the locale texts: a Kazakh
// user meets no Russian-only word outside what is shown as given (people's names, addresses, licence numbers,
// the organisation's name), a Russian user no Kazakh word. The journey: the supplier's wizard with a production
// base and its KATO pick, the head signs, reviewer → checker → approver include it, then the exclusion
// (reviewer X1 … the approver signs the exclusion notice: its text and PDF in the signer's language, the hash the
// SHA-256 of that PDF), the licensing guide (a service card and the deadline calculator), the e-licences, «my
// applications», menus and help, a forged button, a second tap. A second journey: the checker's refusal, the deleted
// notice, the rejection. Besides foreign words, no locale key, placeholder or program code may be shown.
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_ORGANISATIONS, DEMO_PEOPLE } from "../../prisma/data/demo.ts";
import { readPdf } from "../documents/pdfText.ts";
import { type ApiCall, type Harness, telegramLimitViolations, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  applicationUnderReview,
  completeWizardAndSend,
  deliverAll,
  e2eHarness,
  newestButton,
  PEOPLE,
  packedUuid,
  pressNewest,
  statusOf,
  userIdOf,
} from "../helpers/e2e.ts";
import {
  documentsTo,
  KAZAKH_LETTERS,
  KK_ONLY,
  kazakhWords,
  rawCodes,
  rawKeys,
  type Lang,
  RU_ONLY,
  russianWords,
  shownTo,
} from "../helpers/language.ts";

const opened: { db: TestDb; h: Harness }[] = [];
afterAll(async () => {
  for (const { db, h } of opened) {
    await h.close();
    await db.drop();
  }
});

const TYPED = {
  kk: { ground: "Денсаулық сақтау басқармасының 12-хаты" },
  ru: { ground: "Письмо управления здравоохранения № 12" },
} as const;

const EXPECT = {
  kk: {
    INCLUDED: "Дерекқорға енгізілді",
    EXCLUDED: "шығарылды",
    noticeTitle: "Денсаулық сақтау субъектілерінің дерекқорынан шығару туралы хабарлама",
    guide: "Лицензиялау және бекіту",
    deadline: "25.12.2026 10:30",
  },
  ru: {
    INCLUDED: "Включен в БД",
    EXCLUDED: "исключена",
    noticeTitle: "Уведомление об исключении из базы данных субъектов здравоохранения",
    guide: "Лицензирование и прикрепление",
    deadline: "25.12.2026 10:30",
  },
} as const;

/** What every person of the journey was shown since the mark, as one list (with who and how, for messages). */
interface Shown {
  who: number;
  method: string;
  text: string;
}

async function recorded(h: Harness, people: TestUser[], mark: number): Promise<Shown[]> {
  const calls = h.since(mark);
  const out: Shown[] = [];
  for (const u of people) {
    for (const s of shownTo(u.id, calls)) out.push({ who: u.id, ...s });
    for (const d of documentsTo(u.id, calls)) {
      const { pages } = await readPdf(d.bytes);
      out.push({ who: u.id, method: `pdf ${d.filename}`, text: `${d.filename}\n${pages.join("\n")}` });
    }
  }
  // callback alerts and toasts (every person of the journey speaks the same language)
  for (const c of calls)
    if (c.method === "answerCallbackQuery" && typeof c.payload.text === "string")
      out.push({ who: 0, method: c.method, text: c.payload.text });
  return out;
}

/**
 * The values shown as given: people's names, the organisation's names (the wizard and the form show both by
 * design), addresses, licence numbers, the files the supplier sent, the text typed; for a Russian reader also the
 * official Russian names of the regions and of the KATO objects offered (several carry Kazakh letters:
 * «район Байқоңыр», «область Жетісу»).
 */
async function givenValues(db: TestDb, lang: Lang): Promise<string[]> {
  const p = db.prisma;
  const licences = await p.licence.findMany({ include: { appendices: true } });
  const bases = await p.productionBase.findMany();
  const users = await p.user.findMany();
  const files = await p.storedFile.findMany();
  const places =
    lang === "ru"
      ? [
          ...(await p.region.findMany()).map((r) => r.nameRu),
          ...(await p.katoObject.findMany({ where: { code: { startsWith: "71" } } })).map((k) => k.nameRu),
        ]
      : [];
  return [
    ...DEMO_PEOPLE.map((x) => x.fullName),
    ...users.flatMap((u) => [u.fullName ?? "", u.username ?? ""]),
    ...DEMO_ORGANISATIONS.flatMap((o) => [
      o.nameKk,
      o.nameRu,
      o.legalStreet,
      o.legalHouse,
      o.legalOffice ?? "",
      o.email,
    ]),
    ...licences.flatMap((l) => [l.number, ...l.appendices.flatMap((a) => [a.number, ...a.addresses])]),
    ...bases.map((b) => b.address),
    ...files.map((f) => f.fileName),
    ...places,
    TYPED[lang].ground,
  ].filter(Boolean);
}

function leaks(shown: Shown[], given: string[], lang: Lang): string[] {
  const bad = (t: string) => [
    ...(lang === "kk" ? russianWords(t, given) : kazakhWords(t, given)),
    ...rawKeys(t),
    ...rawCodes(t),
  ];
  return shown.flatMap((s) => {
    const w = bad(s.text);
    return w.length
      ? [`${s.who} ${s.method}: [${[...new Set(w)].join(", ")}] in «${s.text.slice(0, 300)}»`]
      : [];
  });
}

async function setup() {
  const db = await createTestDb();
  const h = await e2eHarness(db.prisma);
  opened.push({ db, h });
  return { db, h };
}

const seen = (h: Harness, u: TestUser, mark: number) => u.texts(h.since(mark)).join("\n");

describe.each(["kk", "ru"] as const)("the whole journey in %s", (lang: Lang) => {
  const E = EXPECT[lang];

  it("wizard → head → inclusion → exclusion → guide: every text in the person's language", async () => {
    const { db, h } = await setup();
    const supplier = h.user(PEOPLE.supplier, "Айгерим");
    const head = h.user(PEOPLE.head, "Ерлан");
    const reviewer = h.user(PEOPLE.reviewer, "Динара");
    const checker = h.user(PEOPLE.checker, "Нұрлан");
    const approver = h.user(PEOPLE.approver, "Бауыржан");
    const people = [supplier, head, reviewer, checker, approver];
    // the language picker names both languages; everything after the choice is recorded
    for (const u of people) await u.send("/language");
    const m0 = h.mark();
    for (const u of people) await u.press(`lang:${lang}`);

    // ── the supplier: the wizard with its production base and KATO pick, the form, «send to the head»
    const id = await completeWizardAndSend(h, db.prisma, supplier);
    expect(await statusOf(db.prisma, id)).toBe("HEAD_APPROVAL");
    const base = await db.prisma.productionBase.findFirstOrThrow({ where: { applicationId: id } });
    expect(base.katoCode).toBeTruthy();

    // ── the head signs
    await deliverAll(h);
    await pressNewest(h, head, "m.head");
    await pressNewest(h, head, "hd.o");
    await pressNewest(h, head, "hd.s");
    if (newestButton(h, head, "hd.ok") && !newestButton(h, head, "hd.cf"))
      await pressNewest(h, head, "hd.ok");
    await pressNewest(h, head, "hd.cf");
    expect(await statusOf(db.prisma, id)).toBe("UNDER_REVIEW");

    // ── reviewer → checker → approver: inclusion
    await deliverAll(h);
    await pressNewest(h, reviewer, "fs.in");
    await pickChecker(h, db, reviewer);
    await deliverAll(h);
    await pressNewest(h, checker, "fs.cc");
    await deliverAll(h);
    await pressNewest(h, approver, "fs.aa");
    expect(await statusOf(db.prisma, id)).toBe("INCLUDED");
    await deliverAll(h);
    expect(seen(h, supplier, m0)).toContain(`«${E.INCLUDED}»`);

    // ── the exclusion: reviewer X1 (reason, an additional ground typed), checker, the approver signs
    await reviewer.send("/queue");
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    const { cb } = await import("../../bot/kit/callbacks.ts");
    await reviewer.press(cb("fs.v", [id]));
    await reviewer.press(cb("fs.xs", [id], app.version));
    const reasons = reviewer.buttons().filter((b) => b.data?.startsWith("fs.xr:"));
    expect(reasons.length).toBeGreaterThan(0);
    await reviewer.press(reasons[0]!.data!);
    await pressNewest(h, reviewer, "fs.xg");
    await reviewer.send(TYPED[lang].ground);
    await pressNewest(h, reviewer, "fs.xk");
    await pickChecker(h, db, reviewer);
    await deliverAll(h);
    await pressNewest(h, checker, "fs.cc");
    await deliverAll(h);
    const x0 = h.mark();
    await pressNewest(h, approver, "fs.xa");
    const shownNotice = approver.texts(h.since(x0)).join("\n");
    const hash = /\b([0-9a-f]{64})\b/.exec(shownNotice)?.[1];
    expect(hash, "the approver is shown the SHA-256 before signing").toBeDefined();
    const [pdf] = documentsTo(approver.id, h.since(x0));
    expect(pdf, "the approver is sent the notice PDF").toBeDefined();
    expect(createHash("sha256").update(pdf!.bytes).digest("hex")).toBe(hash);
    const pdfText = (await readPdf(pdf!.bytes)).pages.join("\n").replace(/\s+/g, " ");
    expect(pdfText).toContain(E.noticeTitle);
    expect(shownNotice).toContain(E.noticeTitle);
    expect(pdfText).toContain(TYPED[lang].ground);
    // the organisation is named in the signer's language
    const org = DEMO_ORGANISATIONS.find((o) => o.key === "POLYCLINIC")!;
    expect(pdfText).toContain(lang === "kk" ? org.nameKk : org.nameRu);
    expect(pdfText).not.toContain(lang === "kk" ? org.nameRu : org.nameKk);
    expect(shownNotice).not.toContain(lang === "kk" ? org.nameRu : org.nameKk);
    expect(pdfText).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/);
    expect(shownNotice).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/);
    if (lang === "kk") {
      expect(pdfText).toMatch(KAZAKH_LETTERS);
      expect(shownNotice).toMatch(KAZAKH_LETTERS);
    }
    // the date the notice was formed, in Astana time (UTC+5) as dd.mm.yyyy HH:MM, in the text and in the PDF
    const formed = await db.prisma.notice.findFirstOrThrow({
      where: { applicationId: id, kind: "EXCLUSION", deletedAt: null },
    });
    const astana = new Date(formed.createdAt.getTime() + 5 * 3600_000).toISOString();
    const when = `${astana.slice(8, 10)}.${astana.slice(5, 7)}.${astana.slice(0, 4)} ${astana.slice(11, 16)}`;
    expect(pdfText).toContain(when);
    expect(shownNotice).toContain(when);
    // the reason and the labels in the signer's language
    const reason = await db.prisma.exclusionReason.findUniqueOrThrow({ where: { code: formed.reasons[0]! } });
    expect(pdfText).toContain(lang === "kk" ? reason.nameKk : reason.nameRu);
    expect(shownNotice).toContain(lang === "kk" ? reason.nameKk : reason.nameRu);
    await pressNewest(h, approver, "fs.xc");
    expect(await statusOf(db.prisma, id)).toBe("EXCLUDED");
    const sig = await db.prisma.signature.findFirstOrThrow({
      where: { applicationId: id, document: "EXCLUSION_NOTICE" },
    });
    expect(sig.sha256).toBe(hash);
    await deliverAll(h);
    const x1 = h.mark();
    expect(seen(h, supplier, m0)).toContain(E.EXCLUDED);

    // ── the licensing guide: a service card, a section, the deadline calculator
    await supplier.send("/services");
    expect(seen(h, supplier, x1)).toContain(E.guide);
    await supplier.press("lic:s:med");
    await supplier.press("lic:c:nko-med-con");
    await supplier.press("lic:o:nko-med-con:i");
    await supplier.press("lic:v:nko-med-con:i:stp");
    await supplier.press("lic:d:nko-med-con:i");
    await supplier.send("32.13.2026");
    await supplier.send("25.12.2026 10:30");
    expect(seen(h, supplier, x1)).toContain(E.deadline);

    // ── the other screens: the e-licences (a card, an appendix PDF), «my applications», the menu and help of
    // everyone, a forged button, a second tap on a decision already taken, text nobody asked for
    await supplier.send("/licences");
    await pressNewest(h, supplier, "lic.v");
    await pressNewest(h, supplier, "lic.a");
    await supplier.send("/applications");
    await pressNewest(h, supplier, "my.v");
    await supplier.send("/drafts");
    for (const u of people) {
      await u.send("/menu");
      await u.send("/help");
    }
    const forged = await supplier.press("fs.v:AAAAAAAAAAAAAAAAAAAAAA@1");
    expect(forged.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    const again = await pressNewest(h, approver, "fs.aa");
    expect(again.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    await reviewer.send(lang === "kk" ? "Сәлем" : "Привет");

    // ── everything shown, checked against the word lists
    const shown = await recorded(h, people, m0);
    expect(shown.length).toBeGreaterThan(80);
    expect(shown.filter((s) => s.method.startsWith("pdf")).length).toBeGreaterThanOrEqual(3);
    expect(shown.some((s) => s.method === "setMyCommands")).toBe(true);
    const given = await givenValues(db, lang);
    if (process.env.JOURNEY_DUMP)
      (await import("node:fs")).writeFileSync(
        `${process.env.JOURNEY_DUMP}-${lang}.json`,
        JSON.stringify({ shown, leaks: leaks(shown, given, lang) }, null, 1),
      );
    expect(leaks(shown, given, lang)).toEqual([]);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});

describe.each(["kk", "ru"] as const)("the returns and the rejection in %s", (lang: Lang) => {
  const TEXT = {
    kk: {
      refuse: "СЭС қорытындысы қоса берілмеген",
      note: "Лицензия көшірмесі оқылмайды",
      rejected: "Қабылданбады",
    },
    ru: { refuse: "Не приложено заключение СЭС", note: "Копия лицензии нечитаема", rejected: "Отклонена" },
  }[lang];

  it("checker's refusal → the reviewer deletes the notice → rejection with grounds and a note → agreed", async () => {
    const { db, h } = await setup();
    const supplier = h.user(PEOPLE.supplier, "Айгерим");
    const head = h.user(PEOPLE.head, "Ерлан");
    const reviewer = h.user(PEOPLE.reviewer, "Динара");
    const checker = h.user(PEOPLE.checker, "Нұрлан");
    const approver = h.user(PEOPLE.approver, "Бауыржан");
    const people = [supplier, head, reviewer, checker, approver];
    for (const u of people) await u.send("/language");
    const m0 = h.mark();
    for (const u of people) await u.press(`lang:${lang}`);
    const id = await applicationUnderReview(db.prisma);
    await deliverAll(h);

    // the inclusion notice, the checker refuses with a typed reason: back to the reviewer
    await pressNewest(h, reviewer, "fs.in");
    await pickChecker(h, db, reviewer);
    await deliverAll(h);
    await pressNewest(h, checker, "fs.cr");
    await checker.send(TEXT.refuse);
    expect(await statusOf(db.prisma, id)).toBe("UNDER_REVIEW");
    await deliverAll(h);
    expect(seen(h, reviewer, m0)).toContain(TEXT.refuse);
    // the reviewer deletes the notice and forms a rejection: two grounds and a note
    await pressNewest(h, reviewer, "fs.dn");
    await pressNewest(h, reviewer, "fs.rj");
    const grounds = reviewer.buttons().filter((b) => b.data?.startsWith("fs.rg:"));
    await reviewer.press(grounds[0]!.data!);
    await reviewer.press(grounds[1]!.data!);
    await pressNewest(h, reviewer, "fs.rn");
    await reviewer.send(TEXT.note);
    await pressNewest(h, reviewer, "fs.rk");
    await pickChecker(h, db, reviewer);
    await deliverAll(h);
    await pressNewest(h, checker, "fs.cc");
    await deliverAll(h);
    await pressNewest(h, approver, "fs.aa");
    expect(await statusOf(db.prisma, id)).toBe("REJECTED");
    await deliverAll(h);
    const told = seen(h, supplier, m0);
    expect(told).toContain(TEXT.note);
    expect(told).toContain(TEXT.rejected);

    const shown = await recorded(h, people, m0);
    const given = [...(await givenValues(db, lang)), TEXT.refuse, TEXT.note];
    expect(leaks(shown, given, lang)).toEqual([]);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});

async function pickChecker(h: Harness, db: TestDb, reviewer: TestUser) {
  await pressNewest(h, reviewer, "fs.sc");
  const checkerId = await userIdOf(db.prisma, PEOPLE.checker);
  const toggle = reviewer
    .buttons()
    .find((b) => b.data?.startsWith("fs.tc:") && b.data.includes(packedUuid(checkerId)));
  expect(toggle, "the checker is offered").toBeDefined();
  await reviewer.press(toggle!.data!);
  await pressNewest(h, reviewer, "fs.go");
}

describe("the word lists are real", () => {
  it("catch a planted Russian text in a Kazakh message, and a Kazakh one in a Russian message", () => {
    const planted = "Өтінім қаралды. Заявка отклонена, причины указаны в уведомлении.";
    expect(russianWords(planted)).toEqual(expect.arrayContaining(["заявка", "отклонена", "причины"]));
    expect(russianWords("Өтінім Сізге тексеруге жіберілді.")).toEqual([]);
    expect(kazakhWords("Заявка направлена вам на проверку.")).toEqual([]);
    expect(kazakhWords("Заявка направлена. Өтінім жіберілді")).toEqual(
      expect.arrayContaining(["өтінім", "жіберілді"]),
    );
    // words both languages share are not Russian-only (licence, Astana…), given values are cut out
    expect(RU_ONLY.has("лицензия")).toBe(false);
    expect(RU_ONLY.size).toBeGreaterThan(1000);
    expect(KK_ONLY.size).toBeGreaterThan(1000);
    expect(russianWords("Мекенжайы: г. Астана, Адрес 5", ["г. Астана, Адрес 5"])).toEqual([]);
    expect(russianWords("Мекенжайы: г. Астана, Адрес 5")).toEqual(["адрес"]);
  });

  it("the recorder sees a planted leak in a message, a button, a caption and the chat's menu", () => {
    const calls: ApiCall[] = [
      { method: "sendMessage", payload: { chat_id: 1, text: "Сәлеметсіз бе" } },
      {
        method: "editMessageText",
        payload: {
          chat_id: 1,
          text: "Мәзір",
          reply_markup: { inline_keyboard: [[{ text: "Отправить", callback_data: "x" }]] },
        },
      },
      { method: "sendDocument", payload: { chat_id: 1, caption: "Уведомление" } },
      {
        method: "setMyCommands",
        payload: {
          scope: { type: "chat", chat_id: 1 },
          commands: [{ command: "help", description: "Справка" }],
        },
      },
      { method: "sendMessage", payload: { chat_id: 2, text: "Заявка" } },
    ];
    const found = shownTo(1, calls).flatMap((s) => russianWords(s.text));
    expect(found).toEqual(["отправить", "уведомление", "справка"]);
    // a missing translation shows its key: caught too (file names are not keys)
    expect(rawKeys("commands.start\nБасты мәзір")).toEqual(["commands.start"]);
    expect(rawKeys("commands.no_such_command")).toEqual(["commands.no_such_command"]); // a key never written
    expect(rawKeys("common:errors.stale_button")).toEqual(["common:errors.stale_button"]);
    expect(rawKeys("Сәлем, {{name}}")).toEqual(["{{name}}"]);
    expect(rawKeys("«доверенность.pdf» файлы, registration.pdf, SHA-256")).toEqual([]);
    expect(
      rawCodes("түзету (licenceIds, documents.POWER_OF_ATTORNEY), тәсілі: telegram-confirmation"),
    ).toEqual(["licenceIds", "POWER_OF_ATTORNEY", "telegram-confirmation"]);
    expect(
      rawCodes("№ KZ12LAA00012345, SHA-256: <code>5a80ab</code>, Engizu-turaly-otinim-49BC5CEE-v1.pdf"),
    ).toEqual([]);
  });
});
