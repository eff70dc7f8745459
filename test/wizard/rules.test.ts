// The draft rules of the transition table and the domain, through the real bot, in both languages:
// only the author edits (DECISIONS 25), a form older than the last edit cannot be sent (DECISIONS 26), an unsaved
// draft is invisible to others and blocks nothing (DECISIONS 28), and an organisation with an included application
// in a region is sent to «Внести изменение» instead of starting another one there (issue 14).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type Lang, PDF, setLanguage } from "../helpers/e2e.ts";
import { decoded, pressVerb, stepOf, wizardHarness } from "./helpers.ts";
import { completeDraft, secondAdmin } from "./setup.ts";

let db: TestDb;
let h: Harness;
beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
});
afterAll(() => endBotTest([h], db));

const version = async (id: string) =>
  (await db.prisma.application.findUniqueOrThrow({ where: { id } })).version;
const answerOf = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;

const T = {
  ru: {
    notAuthor: "Это действие может выполнить только автор заявки.",
    sectionA: "<b>Субъект здравоохранения</b>",
    formStale: "После формирования заявки о включении в заявку внесены изменения",
    formAgain: "📄 Сформировать заново",
    included: "организация уже включена в БД субъектов здравоохранения",
    includedStatus: "статус «Включен в БД»",
    changes: "✏️ Внести изменения",
  },
  kk: {
    notAuthor: "Бұл әрекетті тек өтінімнің авторы орындай алады.",
    sectionA: "<b>Денсаулық сақтау субъектісі</b>",
    formStale: "Енгізу туралы өтінім қалыптастырылғаннан кейін өтінім өзгертілді",
    formAgain: "📄 Қайта қалыптастыру",
    included: "ұйым денсаулық сақтау субъектілерінің дерекқорына енгізілген",
    includedStatus: "мәртебесі «Дерекқорға енгізілді»",
    changes: "✏️ Өзгерістер енгізу",
  },
} as const;

describe.each([
  ["ru", "ASTANA", 100201],
  ["kk", "AKMOLA", 100202],
] as const)("in %s", (lang: Lang, region, otherTg) => {
  const L = T[lang];

  it("DECISIONS 25: another supplier-admin of the organisation cannot edit the draft: told so, shown it read-only", async () => {
    await secondAdmin(db.prisma, otherTg, "100140001231", lang, "Серік Омаров");
    const id = await completeDraft(h, db.prisma, 100001, region);
    const other = h.user(otherTg);
    await setLanguage(other, lang);
    const v = await version(id);
    const m = h.mark();
    await other.press(cb("ap.cont", [id], v));
    const seen = other.texts(h.since(m)).join("\n");
    expect(seen).toContain(L.notAuthor);
    expect(seen).toContain(L.sectionA); // the content, read-only
    const verbs = decoded(other).map((b) => b.cb.verb);
    expect(verbs).not.toContain("ap.cont");
    expect(verbs.some((x) => x.startsWith("wz."))).toBe(false);
    // a wizard button (forged, or an old one) is refused with the same reason and writes nothing
    const m2 = h.mark();
    await other.press(cb("wz.role", [id, 1], v));
    expect(answerOf(h.since(m2))).toContain(L.notAuthor);
    expect(await version(id)).toBe(v);
    // the author still continues
    const author = h.user(100001);
    await author.press(cb("ap.cont", [id], v));
    expect(decoded(author).some((b) => b.cb.verb.startsWith("wz."))).toBe(true);
  });

  it("DECISIONS 26: a form generated before the last edit is refused at «Отправить», with the button to make it again", async () => {
    const author = h.user(100001);
    await setLanguage(author, lang);
    const app = await db.prisma.application.findFirstOrThrow({
      where: { regionCode: region },
      orderBy: { createdAt: "desc" },
    });
    await author.press(cb("ap.form", [app.id], await version(app.id)));
    const send = decoded(author).find((b) => b.cb.verb === "ap.send");
    expect(send, "the form's message offers «Отправить»").toBeDefined();
    // a later edit: another registration file
    await author.press(cb("ap.cont", [app.id], await version(app.id)));
    await pressVerb(author, "wz.j", "D");
    expect(await stepOf(db.prisma, app.id)).toBe("D2");
    await author.sendDocument({
      fileName: "registration-2.pdf",
      mimeType: "application/pdf",
      bytes: PDF("reg2"),
    });
    const m = h.mark();
    await author.press(send!.data!);
    expect(author.texts(h.since(m)).join("\n")).toContain(L.formStale);
    const again = decoded(author).find((b) => b.cb.verb === "ap.form");
    expect(again?.text).toBe(L.formAgain);
    expect(again?.cb.version).toBe(await version(app.id));
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("DRAFT");
    // made again, it goes
    await author.press(again!.data!);
    await pressVerb(author, "ap.send");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe(
      "HEAD_APPROVAL",
    );
  });

  it("issue 14: an organisation with an included application in the region is told to use «Внести изменение», naming it", async () => {
    const included = await db.prisma.application.findFirstOrThrow({
      where: { regionCode: region },
      orderBy: { createdAt: "desc" },
    });
    await db.prisma.application.update({
      where: { id: included.id },
      data: { status: "INCLUDED", decisionKind: "INCLUSION" },
    });
    const author = h.user(100001);
    await author.send("/new");
    await pressVerb(author, "ap.new1");
    const draft = await db.prisma.application.findFirstOrThrow({
      where: { authorId: included.authorId },
      orderBy: { createdAt: "desc" },
    });
    expect(draft.id).not.toBe(included.id);
    // pre-filled: Section A is confirmed first, then the region
    expect(await stepOf(db.prisma, draft.id)).toBe("PF_A");
    await pressVerb(author, "wz.pk");
    expect(await stepOf(db.prisma, draft.id)).toBe("REGION");
    const m = h.mark();
    await pressVerb(author, "wz.reg", region);
    const text = author.texts(h.since(m)).join("\n");
    expect(text).toContain(L.included);
    expect(text).toContain(L.includedStatus);
    const chg = decoded(author).find((b) => b.cb.verb === "ap.chg");
    expect(chg?.text).toBe(L.changes);
    expect(chg?.cb.ids[0]).toBe(included.id);
    expect(
      (await db.prisma.application.findUniqueOrThrow({ where: { id: draft.id } })).regionCode,
    ).toBeNull();
    // and «Сохранить» refuses it there too (domain checkIncludedInRegion)
    const view = (await h.app.drafts.load(draft.id, draft.authorId))!;
    const forged = await h.app.drafts.edit(view, { regionCode: region });
    expect(forged.ok).toBe(true);
    if (forged.ok)
      expect((await h.app.drafts.validate(forged.view)).errors.map((e) => e.code)).toContain(
        "included_exists_use_changes",
      );
    await db.prisma.application.delete({ where: { id: draft.id } });
  });
});

describe("DECISIONS 28: an unsaved draft", () => {
  it("is invisible to the reviewer and to another admin, and does not block the region for them", async () => {
    const region = "SHYMKENT";
    const unsaved = await completeDraft(h, db.prisma, 100001, region, { save: false });
    await secondAdmin(db.prisma, 100203, "100140001231", "ru", "Жанна Әлиева");
    const other = h.user(100203);
    // not in the other admin's list, not openable by a forged button
    await other.send("/drafts");
    expect(decoded(other).some((b) => b.cb.ids[0] === unsaved)).toBe(false);
    const m = h.mark();
    await other.press(cb("ap.view", [unsaved]));
    expect(other.texts(h.since(m)).join("\n")).toContain("Заявка не найдена.");
    // the reviewer: not openable either (staff see nothing of another person's unsaved draft)
    await db.prisma.application.update({ where: { id: unsaved }, data: { regionCode: "ASTANA" } });
    const reviewer = h.user(100003);
    const r = h.mark();
    await reviewer.press(cb("fs.v", [unsaved]));
    expect(answerOf(h.since(r))).toBe("Заявка не найдена или недоступна.");
    await db.prisma.application.update({ where: { id: unsaved }, data: { regionCode: region } });
    // the other admin's own application in the same region saves (the database's one-open rule counts saved ones)
    const mine = await completeDraft(h, db.prisma, 100203, region);
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: mine } })).savedAt).not.toBeNull();
    // and now the first draft is the one refused at «Сохранить», naming the saved one
    const view = (await h.app.drafts.load(
      unsaved,
      (
        await db.prisma.application.findUniqueOrThrow({ where: { id: unsaved } })
      ).authorId,
    ))!;
    const saved = await h.app.drafts.save(view);
    expect(saved.ok).toBe(false);
    if (!saved.ok && saved.kind === "invalid")
      expect(saved.report.errors.map((e) => e.code)).toContain("open_application_exists");
  });
});
