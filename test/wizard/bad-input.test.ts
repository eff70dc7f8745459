// Bad input at the wizard's steps: each gets a clear message in the user's language and the draft row
// (with its bases and documents) stays exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { setLanguage } from "../helpers/e2e.ts";
import {
  decoded,
  draftOf,
  PDF,
  pickKatoLeaf,
  pressVerb,
  selectAll,
  stepOf,
  wizardHarness,
} from "./helpers.ts";

let db: TestDb;
let h: Harness;
let u: TestUser;
let appId: string;

const BIN = "100140001231";

async function snapshot(id: string) {
  const app = await db.prisma.application.findUniqueOrThrow({
    where: { id },
    include: { bases: { orderBy: { position: "asc" } }, documents: { orderBy: { id: "asc" } } },
  });
  return JSON.stringify(app, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Move the draft to a step directly (test set-up only). */
async function goTo(step: string, extra: Record<string, unknown> = {}) {
  const a = await db.prisma.application.findUniqueOrThrow({ where: { id: appId } });
  await db.prisma.application.update({
    where: { id: appId },
    data: { progress: { ...(a.progress as object), step, ...extra }, version: { increment: 1 } },
  });
  const fresh = await db.prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const { cb } = await import("../../bot/kit/callbacks.ts");
  await u.press(cb("ap.cont", [appId], fresh.version));
}

beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
  u = h.user(100001);
  await u.send("/new");
  await pressVerb(u, "ap.new1");
  appId = (await draftOf(db.prisma, BIN)).id;
  await pressVerb(u, "wz.own", "1");
  await pressVerb(u, "wz.role", "0");
  await selectAll(u, "s");
  await pressVerb(u, "wz.ph", "1");
  await pressVerb(u, "wz.reg", "ASTANA");
});
afterAll(() => endBotTest([h], db));

describe("bad input leaves the draft intact", () => {
  it("text where a button is expected: asks to use the buttons and shows the step again", async () => {
    await goTo("A_ROLE");
    const before = await snapshot(appId);
    const m = h.mark();
    await u.send("Поставщик");
    const texts = u.texts(h.since(m));
    expect(texts[0]).toBe("Пожалуйста, выберите вариант кнопкой под сообщением.");
    expect(texts[1]).toContain("Выберите статус субъекта здравоохранения");
    expect(await snapshot(appId)).toBe(before);
  });

  it("a sticker instead of the SES file: asks for a file", async () => {
    await goTo("C_SES", { pos: 1 });
    const before = await snapshot(appId);
    const m = h.mark();
    await u.sendSticker();
    expect(u.texts(h.since(m))[0]).toContain("Ожидается файл");
    expect(await snapshot(appId)).toBe(before);
  });

  it("a 25 MB file: the M7 text, refused before any download", async () => {
    await goTo("D2");
    const before = await snapshot(appId);
    const m = h.mark();
    await u.sendDocument({ fileName: "big.pdf", mimeType: "application/pdf", bytes: 25 * 1024 * 1024 });
    const calls = h.since(m);
    expect(u.texts(calls)[0]).toContain(
      "Внимание! Объём каждого прикрепляемого вложения не должен превышать 20 МБ.",
    );
    expect(calls.some((c) => c.method === "getFile")).toBe(false);
    expect(await snapshot(appId)).toBe(before);
  });

  it("a .docx file: only PDF, JPEG, PNG are accepted", async () => {
    const before = await snapshot(appId);
    const m = h.mark();
    await u.sendDocument({
      fileName: "cert.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      bytes: Buffer.from("PK"),
    });
    expect(u.texts(h.since(m))[0]).toContain("PDF, JPEG или PNG");
    expect(await snapshot(appId)).toBe(before);
  });

  it("coordinates out of range are an error; outside Kazakhstan is a warning, saved once confirmed", async () => {
    await goTo("C_COORD", { pos: 1 });
    const before = await snapshot(appId);
    let m = h.mark();
    await u.send("95.5, 200");
    expect(u.texts(h.since(m))[0]).toContain("вне допустимого диапазона");
    m = h.mark();
    await u.send("где-то в Астане");
    expect(u.texts(h.since(m))[0]).toContain("Не удалось распознать координаты");
    expect(await snapshot(appId)).toBe(before);
    m = h.mark();
    await u.sendLocation(40.7128, -74.006);
    expect(u.texts(h.since(m))[0]).toContain("за пределами Казахстана");
    // not taken silently: nothing saved until «Координаты верны»
    expect((await draftOf(db.prisma, BIN)).bases[0]!.latitude).not.toBe(40.7128);
    await pressVerb(u, "wz.cc");
    const base = (await draftOf(db.prisma, BIN)).bases[0]!;
    expect([base.latitude, base.longitude]).toEqual([40.7128, -74.006]);
    expect(await stepOf(db.prisma, appId)).toBe("C_KATO");
  });

  it("a button from an old message (stale version) is refused", async () => {
    await pickKatoLeaf(db.prisma, u, appId); // now at C_SES
    const oldKato = h.calls
      .flatMap(
        (c) =>
          (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] })?.inline_keyboard ??
          [],
      )
      .flat()
      .map((b) => b.callback_data)
      .find((d) => d?.startsWith("wz.kt:"))!;
    const before = await snapshot(appId);
    const m = h.mark();
    await u.press(oldKato);
    const answer = h.since(m).find((c) => c.method === "answerCallbackQuery");
    expect(answer?.payload.text).toContain("Эта кнопка устарела");
    expect(await snapshot(appId)).toBe(before);
  });

  it("a double tap records the answer once; the second tap is told it is out of date", async () => {
    await goTo("C_SUB", { pos: 1 });
    const first = decoded(u).find((b) => b.cb.verb === "wz.tg")!;
    await u.press(first.data!);
    const after = await snapshot(appId);
    expect((await draftOf(db.prisma, BIN)).bases[0]!.subtypes).toHaveLength(1);
    const m = h.mark();
    await u.press(first.data!);
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("устарела");
    expect(await snapshot(appId)).toBe(after);
  });

  it("V3: «Готово» with no subtype on a base shows M2 and stays", async () => {
    await goTo("C_SUB", { pos: 2 });
    const before = await snapshot(appId);
    const m = h.mark();
    await pressVerb(u, "wz.ok", "b");
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Ошибка: Не выбрано ни одного подвида для адреса производственной базы",
    );
    expect(await snapshot(appId)).toBe(before);
  });

  it("a forged or foreign button and another organisation's user change nothing", async () => {
    const before = await snapshot(appId);
    const other = h.user(100008);
    const { cb } = await import("../../bot/kit/callbacks.ts");
    const v = (await db.prisma.application.findUniqueOrThrow({ where: { id: appId } })).version;
    const m = h.mark();
    await other.press(cb("wz.bd", [appId], v));
    // another organisation's draft does not exist for them
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain(
      "Заявка не найдена",
    );
    await u.press("wz.zz:garbage@1");
    expect(await snapshot(appId)).toBe(before);
  });

  it("a region with an open application of the organisation is refused, naming the open one", async () => {
    // a second draft of the same organisation tries the same region
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const second = await draftOf(db.prisma, BIN);
    expect(second.id).not.toBe(appId);
    await pressVerb(u, "wz.own", "1");
    await pressVerb(u, "wz.role", "0");
    await selectAll(u, "s");
    await pressVerb(u, "wz.ph", "0");
    // DECISIONS 28: only a saved application blocks the region (test set-up: the first one was saved)
    await db.prisma.application.update({ where: { id: appId }, data: { savedAt: new Date() } });
    const before = await snapshot(second.id);
    const m = h.mark();
    await pressVerb(u, "wz.reg", "ASTANA");
    const text = u.texts(h.since(m)).join("\n");
    expect(text).toContain("В регионе «г. Астана» у организации уже есть открытая заявка");
    expect(text).toContain("статус «Проект»");
    expect(await snapshot(second.id)).toBe(before);
    // the message offers to open the existing one
    expect(decoded(u).some((b) => b.cb.verb === "ap.view" && b.cb.ids[0] === appId)).toBe(true);
  });

  it("/cancel leaves safely: the draft stays, later text is not taken as an answer", async () => {
    const id = (await draftOf(db.prisma, BIN)).id;
    const before = await snapshot(id);
    let m = h.mark();
    await u.send("/cancel");
    expect(u.texts(h.since(m))[0]).toBe("Действие отменено.");
    m = h.mark();
    await u.send("г. Алматы");
    expect(u.texts(h.since(m)).join("\n")).not.toContain("Выберите регион");
    expect(await snapshot(id)).toBe(before);
  });

  it("in Kazakh: the messages for wrong input are in Kazakh", async () => {
    await setLanguage(u, "kk");
    await goTo("D2");
    const before = await snapshot(appId);
    let m = h.mark();
    await u.sendSticker();
    expect(u.texts(h.since(m))[0]).toContain("Файл күтілуде");
    m = h.mark();
    await u.sendDocument({ fileName: "big.pdf", mimeType: "application/pdf", bytes: 21 * 1024 * 1024 });
    expect(u.texts(h.since(m))[0]).toContain("Файл көлемі 20 МБ шегінен асып кетті");
    expect(await snapshot(appId)).toBe(before);
    await u.sendDocument({ fileName: "ok.pdf", mimeType: "application/pdf", bytes: PDF() });
    expect((await draftOf(db.prisma, BIN)).id).not.toBe(appId); // newest is the second draft
    const docs = await db.prisma.applicationDocument.count({ where: { applicationId: appId } });
    expect(docs).toBe(1);
  });
});
