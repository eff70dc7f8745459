// «Вся информация по заявке» for the people who decide (issue 11), end to end through bot.handleUpdate: the paged
// card (sections A, B, the bases with the KATO path, licences, signatures, history) in ru and kk within
// Telegram's limit, the map pin, the licence view, the documents as an album with captions and hashes, a missing
// file named, the notice as a PDF, what the approver's buttons do, and forged / foreign buttons refused.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { htmlToText } from "../../bot/kit/html.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type ApiCall, createHarness, endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { PDF, setLanguage, storedFile } from "../helpers/e2e.ts";
import { readPdf, squash } from "../documents/pdfText.ts";
import {
  applicationUnderReview,
  DEMO,
  drain,
  FAST_OUTBOX,
  includeWithButtons,
  sendToCheckers,
  step,
} from "./setup.ts";

let db: TestDb;
let h: Harness;
/** The fake Telegram refuses every file_id in an album (a forged or foreign one). */
let refuseFileIds = false;
/** The bot's clock: moved on between two presses of «Документы» that are not a double tap. */
let nowMs = Date.now();
const later = () => {
  nowMs += 11_000;
};

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({
    prisma: db.prisma,
    env: FAST_OUTBOX,
    now: () => new Date(nowMs),
    // Telegram answers an album with one message per file
    answer: (method, payload) => {
      if (method !== "sendMediaGroup") return undefined;
      const media = payload.media as { media: unknown }[];
      if (refuseFileIds && media.some((m) => typeof m.media === "string" && !m.media.startsWith("attach://")))
        return {
          ok: false,
          error_code: 400,
          description: "Bad Request: wrong file identifier/HTTP URL specified",
        };
      return media.map((_, i) => ({
        message_id: 90_000 + i,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(payload.chat_id), type: "private" },
        document: { file_id: `album-${i}`, file_unique_id: `ua-${i}` },
      }));
    },
  });
});
afterAll(() => endBotTest([h], db));

interface Seeded {
  id: string;
  files: Record<
    "reg" | "poa" | "ses1" | "ses2" | "form" | "consent",
    { id: string; sha256: string; name: string }
  >;
  kato: { ru: string[]; kk: string[] };
  legal: { ru: string; kk: string };
}

/** The KATO object's names from the top down (ru and kk). */
async function katoPath(prisma: PrismaClient, code: string) {
  const ru: string[] = [];
  const kk: string[] = [];
  let k = await prisma.katoObject.findUnique({ where: { code } });
  while (k) {
    ru.unshift(k.nameRu);
    kk.unshift(k.nameKk ?? k.nameRu);
    k = k.parentId === null ? null : await prisma.katoObject.findUnique({ where: { id: k.parentId } });
  }
  return { ru, kk };
}

/** A stored file with real bytes (through the FileStore port). */
const put = (name: string) =>
  h.app.ports.files.put(PDF(name), { fileName: name, mimeType: "application/pdf", uploadedById: null });

/** An application «На рассмотрении» with everything a reviewer has to see: address, 2 bases, licence, files. */
async function seeded(): Promise<Seeded> {
  const p = db.prisma;
  const id = await applicationUnderReview(p);
  const app = await p.application.findUniqueOrThrow({ where: { id }, include: { org: true } });
  const leaf = await p.katoObject.findFirstOrThrow({
    where: { code: { startsWith: "71" }, isLeaf: true, nameKk: { not: null }, level: { gte: 2 } },
    orderBy: { code: "asc" },
  });
  const legal = await p.katoObject.findFirstOrThrow({
    where: { code: { startsWith: "71" }, level: 1, nameKk: { not: null } },
  });
  await p.organisation.update({
    where: { id: app.orgId },
    data: {
      legalKato: legal.code,
      legalPostcode: "010000",
      legalStreet: "пр. Мәңгілік Ел",
      legalHouse: "55/11",
      legalOffice: "12",
      phone: "+77172555555",
      email: "info@polyclinic.kz",
    },
  });
  const reg = await put("registration.pdf");
  const poa = await put("poa.pdf");
  const ses1 = await put("ses-1.pdf");
  const ses2 = await put("ses-2.pdf");
  const form = await put("form.pdf");
  const consent = await put("consent.pdf");
  await p.applicationDocument.deleteMany({ where: { applicationId: id } });
  await p.applicationDocument.createMany({
    data: [
      { applicationId: id, kind: "REGISTRATION", fileId: reg.id },
      { applicationId: id, kind: "POWER_OF_ATTORNEY", fileId: poa.id },
      { applicationId: id, kind: "APPLICATION_FORM", fileId: form.id },
      { applicationId: id, kind: "CONSENT", fileId: consent.id },
    ],
  });
  await p.productionBase.createMany({
    data: [
      {
        applicationId: id,
        position: 0,
        address: "г. Астана, ул. Сыганак, 10",
        latitude: 51.128,
        longitude: 71.43,
        katoCode: leaf.code,
        sesFileId: ses1.id,
        subtypes: ["PALLIATIVE"],
      },
      {
        applicationId: id,
        position: 1,
        address: "г. Астана, ул. Кенесары, 40",
        latitude: 51.17,
        longitude: 71.41,
        katoCode: leaf.code,
        sesFileId: ses2.id,
        subtypes: [],
      },
    ],
  });
  const lic = await p.licence.create({
    data: {
      orgId: app.orgId,
      holderBin: app.org.bin,
      number: "KZ99CARD0000001",
      issueDate: new Date("2021-03-04T00:00:00Z"),
      licensor: "Комитет медицинского и фармацевтического контроля",
      activityCode: "L64",
      category: "Лицензия на вид деятельности",
      type: "генеральная лицензия",
      status: "Действительный",
      fetchedAt: new Date(),
      appendices: {
        create: [
          {
            number: "001",
            licenceSubtypes: ["L64A"],
            careSubtypes: ["PALLIATIVE"],
            addresses: ["г. Астана, ул. Сыганак, 10"],
          },
        ],
      },
    },
  });
  await p.applicationLicence.create({ data: { applicationId: id, licenceId: lic.id } });
  await p.signature.updateMany({
    where: { applicationId: id, document: "APPLICATION" },
    data: { method: "telegram-confirmation" },
  });
  const f = (x: { id: string; sha256: string }, name: string) => ({ id: x.id, sha256: x.sha256, name });
  return {
    id,
    files: {
      reg: f(reg, "registration.pdf"),
      poa: f(poa, "poa.pdf"),
      ses1: f(ses1, "ses-1.pdf"),
      ses2: f(ses2, "ses-2.pdf"),
      form: f(form, "form.pdf"),
      consent: f(consent, "consent.pdf"),
    },
    kato: await katoPath(p, leaf.code),
    legal: { ru: legal.nameRu, kk: legal.nameKk ?? legal.nameRu },
  };
}

const mine = (u: TestUser, calls: ApiCall[]) => calls.filter((c) => Number(c.payload.chat_id) === u.id);
const alerts = (calls: ApiCall[]) =>
  calls
    .filter((c) => c.method === "answerCallbackQuery" && c.payload.text)
    .map((c) => String(c.payload.text));

/** Open the card and press ▶ until the last page; the text of every page, each checked against 4096. */
async function allPages(u: TestUser, id: string, first = cb("fs.v", [id])): Promise<string[]> {
  const pages: string[] = [];
  let calls = await u.press(first);
  for (let i = 0; i < 30; i++) {
    const shown = mine(u, calls).filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
    const last = shown.at(-1);
    if (!last) throw new Error("no page shown");
    const text = String(last.payload.text);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(htmlToText(text).length).toBeLessThanOrEqual(4096);
    pages.push(text);
    const next = u.buttons(last).find((b) => b.text === "▶");
    if (!next) return pages;
    calls = await u.press(next.data!);
  }
  throw new Error("the card never ends");
}

describe("the application card for staff", () => {
  let s: Seeded;
  beforeAll(async () => {
    s = await seeded();
  });

  it("shows a reviewer every section, the bases with the KATO path, the licence and the signatures (ru)", async () => {
    const reviewer = h.user(DEMO.reviewer);
    const text = htmlToText((await allPages(reviewer, s.id)).join("\n"));
    // section A
    expect(text).toContain("Субъект здравоохранения");
    expect(text).toContain("БИН/ИИН: 100140001231");
    expect(text).toContain("Статус субъекта здравоохранения: Поставщик");
    expect(text).toContain("Форма собственности СЗ:");
    // section B: the KATO by name, never the code
    expect(text).toContain("Юридический адрес");
    expect(text).toContain(`КАТО: ${s.legal.ru}`);
    expect(text).toContain("Индекс: 010000");
    expect(text).toContain("Улица: пр. Мәңгілік Ел");
    expect(text).toContain("№ дома: 55/11");
    expect(text).toContain("№ офиса: 12");
    expect(text).toContain("Номер телефона: +77172555555");
    expect(text).toContain("E-mail: info@polyclinic.kz");
    // every base: address, coordinates, the KATO path by name, the SES permit, the subtypes
    expect(text).toContain("Адреса производственных баз (2)");
    expect(text).toContain("1. г. Астана, ул. Сыганак, 10");
    expect(text).toContain("Широта, долгота: 51.128, 71.43");
    expect(text).toContain(`КАТО: ${s.kato.ru.join(" → ")}`);
    expect(text).toContain("Разрешительный документ СЭС: ses-1.pdf");
    expect(text).toContain("2. г. Астана, ул. Кенесары, 40");
    expect(text).toContain("Разрешительный документ СЭС: ses-2.pdf");
    // licences, documents, signatures (who, Astana time, method, hash), history
    expect(text).toContain("№ KZ99CARD0000001");
    expect(text).toContain("Подтверждающие документы");
    expect(text).toContain("Подписи");
    expect(text).toMatch(
      /Заявка о включении: .+, \d\d\.\d\d\.\d{4} \d\d:\d\d, способ: подтверждение в Telegram\s+SHA-256: a{64}/,
    );
    expect(text).toContain("История заявки");
  });

  it("shows the same card in Kazakh", async () => {
    const reviewer = h.user(DEMO.reviewer);
    await setLanguage(reviewer, "kk");
    try {
      const text = htmlToText((await allPages(reviewer, s.id)).join("\n"));
      expect(text).toContain("Денсаулық сақтау субъектісі");
      expect(text).toContain("БСН/ЖСН: 100140001231");
      expect(text).toContain("Заңды мекенжай");
      expect(text).toContain(`ӘАОЖ: ${s.legal.kk}`);
      expect(text).toContain("Өндірістік базалардың мекенжайлары (2)");
      expect(text).toContain("Ендік, бойлық: 51.128, 71.43");
      expect(text).toContain(s.kato.kk.join(" → "));
      expect(text).toContain("Қолтаңбалар");
      expect(text).toContain("Telegram-да растау");
      expect(text).not.toContain("telegram-confirmation");
      expect(text).toContain("Өтінім тарихы");
      expect(text).not.toContain("Юридический адрес");
    } finally {
      await setLanguage(reviewer, "ru");
    }
  });

  it("sends a base's location as a map pin and opens a licence with its appendices", async () => {
    const reviewer = h.user(DEMO.reviewer);
    const pin = mine(reviewer, await reviewer.press(cb("fs.pin", [s.id, 1])));
    const venue = pin.find((c) => c.method === "sendVenue");
    expect(venue?.payload).toMatchObject({
      latitude: 51.17,
      longitude: 71.41,
      address: "г. Астана, ул. Кенесары, 40",
    });
    expect(String(venue?.payload.title)).toContain("Производственная база 2");
    // a base that is not there: a clear answer, nothing sent
    const gone = await reviewer.press(cb("fs.pin", [s.id, 7]));
    expect(alerts(gone)).toEqual([
      "Этой производственной базы в заявке больше нет. Откройте карточку заново.",
    ]);
    expect(gone.some((c) => c.method === "sendVenue")).toBe(false);

    const lic = htmlToText(reviewer.texts(await reviewer.press(cb("fs.lc", [s.id, 0]))).join("\n"));
    expect(lic).toContain("Лицензия № KZ99CARD0000001");
    expect(lic).toContain("Приложение № 001");
    expect(lic).toContain("L64A");
    expect(lic).toContain("1) г. Астана, ул. Сыганак, 10");
  });

  it("sends the documents as one album with captions naming each and its SHA-256", async () => {
    const reviewer = h.user(DEMO.reviewer);
    later();
    const calls = mine(reviewer, await reviewer.press(cb("fs.dc", [s.id])));
    const album = calls.find((c) => c.method === "sendMediaGroup");
    const media = album?.payload.media as { type: string; caption: string }[];
    expect(media.map((m) => m.type)).toEqual(Array(6).fill("document"));
    const caps = media.map((m) => m.caption);
    expect(caps[0]).toContain("Свидетельство о государственной регистрации");
    expect(caps[0]).toContain(`registration.pdf\nSHA-256: <code>${s.files.reg.sha256}</code>`);
    expect(caps[1]).toContain("Доверенность");
    expect(caps[2]).toContain("Разрешительный документ СЭС, база 1");
    expect(caps[2]).toContain(s.files.ses1.sha256);
    expect(caps[3]).toContain(s.files.ses2.sha256);
    expect(caps[4]).toContain("Заявка о включении");
    expect(caps[4]).toContain(s.files.form.sha256);
    expect(caps[5]).toContain("Согласие о внесении данных");
    expect(caps[5]).toContain(s.files.consent.sha256);
    expect(caps.every((c) => c.length <= 1024)).toBe(true);
    // nothing reported missing
    expect(calls.some((c) => c.method === "sendMessage")).toBe(false);
    // Telegram's copies are remembered: the next time the album goes by file_id
    const f = await db.prisma.storedFile.findUniqueOrThrow({ where: { id: s.files.reg.id } });
    expect(f.telegramFileId).toBe("album-0");
    later();
    const again = mine(reviewer, await reviewer.press(cb("fs.dc", [s.id])));
    const media2 = again.find((c) => c.method === "sendMediaGroup")?.payload.media as { media: unknown }[];
    expect(media2[0]?.media).toBe("album-0");
    // a double tap: answered, not sent twice
    const twice = await reviewer.press(cb("fs.dc", [s.id]));
    expect(twice.some((c) => c.method === "sendMediaGroup")).toBe(false);
    expect(alerts(twice)).toEqual(["Документы этой заявки только что отправлены — они выше в чате."]);
  });

  it("names a removed file instead of skipping it, and sends the rest", async () => {
    const reviewer = h.user(DEMO.reviewer);
    const gone = await storedFile(db.prisma, "poa-lost.pdf"); // a record whose bytes are not in the store
    await db.prisma.applicationDocument.updateMany({
      where: { applicationId: s.id, kind: "POWER_OF_ATTORNEY" },
      data: { fileId: gone.id },
    });
    try {
      later();
      const calls = mine(reviewer, await reviewer.press(cb("fs.dc", [s.id])));
      const media = calls.find((c) => c.method === "sendMediaGroup")?.payload.media as unknown[];
      expect(media).toHaveLength(5);
      const msg = htmlToText(reviewer.texts(calls).join("\n"));
      expect(msg).toContain("Не удалось отправить документы (1)");
      expect(msg).toContain("• Доверенность: poa-lost.pdf");

      await setLanguage(reviewer, "kk");
      later();
      const kk = htmlToText(reviewer.texts(await reviewer.press(cb("fs.dc", [s.id]))).join("\n"));
      expect(kk).toContain("Құжаттарды жіберу мүмкін болмады (1)");
      expect(kk).toContain("• Сенімхат: poa-lost.pdf");
    } finally {
      await setLanguage(reviewer, "ru");
      await db.prisma.applicationDocument.updateMany({
        where: { applicationId: s.id, kind: "POWER_OF_ATTORNEY" },
        data: { fileId: s.files.poa.id },
      });
    }
  });

  it("uploads the bytes when Telegram refuses a stored file_id (forged or another bot's)", async () => {
    const reviewer = h.user(DEMO.reviewer);
    await db.prisma.storedFile.updateMany({
      where: { id: { in: [s.files.reg.id, s.files.poa.id] } },
      data: { telegramFileId: "forged-file-id" },
    });
    refuseFileIds = true;
    try {
      later();
      const calls = mine(reviewer, await reviewer.press(cb("fs.dc", [s.id])));
      const albums = calls.filter((c) => c.method === "sendMediaGroup");
      expect(albums).toHaveLength(2);
      const media = albums[1]!.payload.media as { media: string; caption: string }[];
      expect(media.every((m) => m.media.startsWith("attach://"))).toBe(true);
      expect(media[0]!.caption).toContain(s.files.reg.sha256);
      expect(calls.some((c) => c.method === "sendMessage")).toBe(false);
    } finally {
      refuseFileIds = false;
    }
    const f = await db.prisma.storedFile.findUniqueOrThrow({ where: { id: s.files.reg.id } });
    expect(f.telegramFileId).toBe("album-0");
  });

  it("gives the organisation's head the same paged card and documents, and nobody else", async () => {
    const head = h.user(DEMO.head);
    await setLanguage(head, "ru");
    const text = htmlToText((await allPages(head, s.id, cb("fs.cp", [s.id, 0]))).join("\n"));
    expect(text).toContain("Юридический адрес");
    expect(text).toContain("Адреса производственных баз (2)");
    later();
    const docs = mine(head, await head.press(cb("fs.dc", [s.id])));
    expect(docs.find((c) => c.method === "sendMediaGroup")?.payload.media as unknown[]).toHaveLength(6);
    // no notice button for the organisation's side
    expect(head.buttons().some((b) => b.data?.startsWith("fs.nt:"))).toBe(false);
    // a supplier employee who neither decides nor signs
    const stranger = h.user(100099);
    later();
    const refused = await stranger.press(cb("fs.dc", [s.id]));
    expect(refused.some((c) => c.method === "sendMediaGroup")).toBe(false);
  });

  it("refuses the card, the pin and the documents to staff of another branch, and forged buttons", async () => {
    const other = await applicationUnderReview(db.prisma, "ALMATY");
    const reviewer = h.user(DEMO.reviewer);
    for (const data of [
      cb("fs.cp", [other, 0]),
      cb("fs.dc", [other]),
      cb("fs.pin", [other, 0]),
      cb("fs.nt", [other]),
    ]) {
      const calls = await reviewer.press(data);
      expect(alerts(calls)).toEqual(["Заявка не найдена или недоступна."]);
      expect(calls.some((c) => /^send|^edit/.test(c.method))).toBe(false);
    }
    // a forged page number: the first page, and why
    const forged = await reviewer.press(cb("fs.cp", [s.id, 99]));
    expect(alerts(forged)[0]).toContain("Такой страницы в карточке нет");
    expect(htmlToText(reviewer.texts(forged).join("\n"))).toContain("Субъект здравоохранения");
    const junk = await reviewer.press(cb("fs.cp", [s.id, "x"]));
    expect(alerts(junk)[0]).toContain("Такой страницы в карточке нет");
  });

  it("opens the rejection notice as a PDF and tells the approver what «Согласовать» and «Отклонить» do", async () => {
    const ground = await db.prisma.rejectionGround.findFirstOrThrow({ where: { active: true } });
    await step(db.prisma, s.id, DEMO.reviewer, "FORM_REJECTION_NOTICE", {
      reasons: [ground.code],
      note: "Нет СЭС",
    });
    const reviewer = h.user(DEMO.reviewer);
    const calls = mine(reviewer, await reviewer.press(cb("fs.nt", [s.id])));
    const doc = calls.find((c) => c.method === "sendDocument");
    const file = doc?.payload.document as { bytes: Buffer; filename: string };
    expect(file.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // the notice in the reader's language, with the ground by name and the note
    const pdfText = squash((await readPdf(file.bytes)).pages.join("\n"));
    expect(pdfText).toContain(squash(ground.nameRu));
    expect(pdfText).toContain(squash("Нет СЭС"));
    expect(String(doc?.payload.caption)).toMatch(/SHA-256: <code>[0-9a-f]{64}<\/code>/);
    // the card shows the notice and offers its PDF
    const card = await allPages(reviewer, s.id);
    expect(htmlToText(card.join("\n"))).toContain(ground.nameRu);
    expect(reviewer.buttons().some((b) => b.data === cb("fs.nt", [s.id]))).toBe(true);

    // through the checker to the approver: each button's consequence stated, in ru and kk
    const checkerId = (
      await db.prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(DEMO.checker) } })
    ).id;
    await step(db.prisma, s.id, DEMO.reviewer, "SEND_TO_CHECK", { checkerIds: [checkerId] });
    const checker = h.user(DEMO.checker);
    await setLanguage(checker, "ru");
    const seen = htmlToText((await allPages(checker, s.id)).join("\n"));
    expect(seen).toContain("«Подтвердить» — уведомление об отклонении уходит на согласование согласующему.");
    const approver = h.user(DEMO.approver);
    await setLanguage(approver, "ru");
    await drain(h);
    await step(db.prisma, s.id, DEMO.checker, "CHECKER_CONFIRM");
    // the push with the buttons says it too
    const m = h.mark();
    await drain(h);
    const push = htmlToText(approver.texts(h.since(m)).join("\n"));
    expect(push).toContain("«Согласовать» — отклонение заявки подтверждается");
    expect(push).toContain("«Отклонить» — уведомление об отклонении возвращается рассматривающему");
    const ru = htmlToText((await allPages(approver, s.id)).join("\n"));
    expect(ru).toContain(
      "«Согласовать» — отклонение заявки подтверждается, поставщик получает уведомление об отклонении.",
    );
    expect(ru).toContain(
      "«Отклонить» — уведомление об отклонении возвращается рассматривающему с указанной вами причиной",
    );
    expect(approver.buttons().map((b) => b.text)).toEqual(
      expect.arrayContaining(["Согласовать", "Отклонить"]),
    );
    await setLanguage(approver, "kk");
    try {
      const kk = htmlToText((await allPages(approver, s.id)).join("\n"));
      expect(kk).toContain("«Келісу» — өтінімді қабылдамау расталады");
      expect(kk).toContain(
        "«Қабылдамау» — қабылдамау туралы хабарлама сіз көрсеткен себеппен қараушыға қайтарылады",
      );
      expect(approver.buttons().map((b) => b.text)).toEqual(expect.arrayContaining(["Келісу", "Қабылдамау"]));
      // the notice PDF in the reader's language
      const pdf = mine(approver, await approver.press(cb("fs.nt", [s.id]))).find(
        (c) => c.method === "sendDocument",
      );
      expect((pdf!.payload.document as { bytes: Buffer }).bytes.subarray(0, 5).toString("latin1")).toBe(
        "%PDF-",
      );
      expect(String(pdf?.payload.caption)).toContain("Өтінім бойынша хабарлама");
    } finally {
      await setLanguage(approver, "ru");
    }
  });

  it("pages a card longer than 4096 characters, each page within the limit, with the pins on the bases' pages", async () => {
    const { id } = { id: s.id };
    const leaf = await db.prisma.productionBase.findFirstOrThrow({ where: { applicationId: id } });
    await db.prisma.productionBase.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        applicationId: id,
        position: 10 + i,
        address: `г. Астана, район Есиль, проспект Туран, дом ${i + 1}, нежилое помещение ${100 + i}, блок «В»`,
        latitude: 51.1 + i / 1000,
        longitude: 71.4,
        katoCode: leaf.katoCode,
        subtypes: ["PALLIATIVE"],
      })),
    });
    const manager = h.user(DEMO.manager);
    await setLanguage(manager, "ru");
    const pages = await allPages(manager, id);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[0]).toContain(`Страница 1 из ${pages.length}`);
    const text = htmlToText(pages.join("\n"));
    expect(text).toContain("42. г. Астана, район Есиль, проспект Туран, дом 40");
    expect(text).toContain("История заявки");
    // the pins of a bases' page point at its bases
    const pins = manager.buttons(
      h.calls.filter(
        (c) =>
          Number(c.payload.chat_id) === DEMO.manager &&
          /Адреса производственных баз/.test(String(c.payload.text)),
      )[0],
    );
    expect(pins.some((b) => b.data?.startsWith("fs.pin:"))).toBe(true);
    await db.prisma.productionBase.deleteMany({ where: { applicationId: id, position: { gte: 10 } } });
  });
  it("opens the inclusion notice as a PDF in the reader's language (kk)", async () => {
    const id = await applicationUnderReview(db.prisma);
    await step(db.prisma, id, DEMO.reviewer, "FORM_INCLUSION_NOTICE");
    const reviewer = h.user(DEMO.reviewer);
    await setLanguage(reviewer, "kk");
    try {
      const calls = mine(reviewer, await reviewer.press(cb("fs.nt", [id])));
      const doc = calls.find((c) => c.method === "sendDocument");
      const file = doc!.payload.document as { bytes: Buffer };
      const text = squash((await readPdf(file.bytes)).pages.join("\n"));
      expect(text).toContain(squash("Денсаулық сақтау субъектілерінің дерекқорына енгізу туралы хабарлама"));
      expect(text).toContain("100140001231");
      // no notice any more (deleted): a clear answer, nothing sent
      await step(db.prisma, id, DEMO.reviewer, "DELETE_NOTICE");
      const none = await reviewer.press(cb("fs.nt", [id]));
      expect(alerts(none)).toEqual(["Өтінім бойынша қолданыстағы хабарлама жоқ."]);
      expect(none.some((c) => c.method === "sendDocument")).toBe(false);
    } finally {
      await setLanguage(reviewer, "ru");
    }
  });

  it("opens a signed exclusion notice as the very PDF the approver signed", async () => {
    const id = await applicationUnderReview(db.prisma);
    await includeWithButtons(h, db.prisma, id);
    // the exclusion comes later than the inclusion (the test's clock stands still otherwise, and the current
    // notice is the latest one)
    later();
    const reviewer = h.user(DEMO.reviewer);
    const included = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    await reviewer.press(cb("fs.v", [id]));
    await reviewer.press(cb("fs.xs", [id], included.version));
    await reviewer.press(reviewer.buttons().find((b) => b.data?.startsWith("fs.xr:"))!.data!);
    await reviewer.press(reviewer.buttons().find((b) => b.data?.startsWith("fs.xk:"))!.data!);
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker]);
    await step(db.prisma, id, DEMO.checker, "CHECKER_CONFIRM");
    const approver = h.user(DEMO.approver);
    await setLanguage(approver, "ru");
    // the approver's card says what «Согласовать исключение» does
    const card = htmlToText((await allPages(approver, id)).join("\n"));
    expect(card).toContain("«Согласовать исключение» — вы подписываете PDF уведомления об исключении");
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    await approver.press(cb("fs.xa", [id], app.version));
    await approver.press(cb("fs.xc", [id], app.version));
    const sig = await db.prisma.signature.findFirstOrThrow({
      where: { applicationId: id, document: "EXCLUSION_NOTICE" },
    });
    const sent = mine(reviewer, await reviewer.press(cb("fs.nt", [id]))).find(
      (c) => c.method === "sendDocument",
    );
    const file = sent!.payload.document as { bytes: Buffer };
    expect(createHash("sha256").update(file.bytes).digest("hex")).toBe(sig.sha256);
    expect(String(sent!.payload.caption)).toContain(`SHA-256: <code>${sig.sha256}</code>`);
    expect(String(sent!.payload.caption)).toContain("подписанное согласующим");
    // and the card's signatures name it
    const after = htmlToText((await allPages(reviewer, id)).join("\n"));
    expect(after).toContain(`Уведомление об исключении: `);
    expect(after).toContain(sig.sha256);
  });
});
