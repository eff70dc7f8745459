// «Мои электронные лицензии» through bot.handleUpdate, in kk and ru: «Получить лицензии» for the own and every
// linked BIN (one answer, then the requests run; the list is refreshed and the counts agree), «Запросы по
// лицензиям» with every request's status and dates, the display filter, a failed request and its retry, one
// request per BIN at a time, a licence with its appendices in the reader's language (registry values in Kazakh),
// the appendix PDF, foreign licences and roles refused.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbLicensingRegistry } from "../../adapters/registry.ts";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { composeApp } from "../../bot/runtime/compose.ts";
import type { LicensingRegistry } from "../../domain/ports.ts";
import { type ApiCall, createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
let failing = false;
let slow: Promise<void> | null = null;

beforeAll(async () => {
  db = await createTestDb();
  const real = new DbLicensingRegistry(db.prisma);
  const registry: LicensingRegistry = {
    fetchLicences: async (bin) => {
      if (slow) await slow;
      if (failing) throw new Error("elicense.kz timeout");
      return real.fetchLicences(bin);
    },
  };
  h = await createHarness({ prisma: db.prisma, registry });
});
afterAll(() => endBotTest([h], db));

const ru = translator("ru");
const POLY = "100140001231";
const POLY_BRANCH = "100141004567";
const answers = (calls: ApiCall[]) => calls.filter((c) => c.method === "answerCallbackQuery");
const packed = (id: string) => `~${Buffer.from(id.replace(/-/g, ""), "hex").toString("base64url")}`;

describe("«Получить лицензии» and «Запросы по лицензиям»", () => {
  it("shows the M5 hint and no licences before the first request", async () => {
    const u = h.user(100001);
    const text = u.texts(await u.send("/licences")).join("\n");
    expect(text).toContain("ВАЖНО: в случае если не отображаются лицензии или имеются ошибки в приложениях");
    expect(text).toContain("Запросов по лицензиям ещё не было");
    expect(text).toContain(`на свой БИН/ИИН ${POLY} и на БИН связанных организаций: ${POLY_BRANCH}`);
    expect(u.buttons().map((b) => b.text)).toEqual([
      "Получить лицензии",
      "Запросы по лицензиям",
      "« Главное меню",
    ]);
  });

  it("answers the press once, requests the own and the linked BIN, then refreshes the list with counts that agree", async () => {
    const u = h.user(100001);
    await u.send("/licences");
    const out = await u.press("lic.get");
    expect(answers(out)).toHaveLength(1);
    expect(answers(out)[0]!.payload.text).toBe("Запрос создан: «В обработке».");
    const typing = out.findIndex((c) => c.method === "sendChatAction" && c.payload.action === "typing");
    expect(typing).toBeGreaterThan(out.indexOf(answers(out)[0]!));
    const texts = u.texts(out);
    // the pressed screen is redrawn as the list, then the results per BIN
    const list = out.find((c) => c.method === "editMessageText")!;
    expect(String(list.payload.text)).toContain("Все лицензии: 5 лицензий.");
    expect(String(list.payload.text)).toContain("Ещё 1 полученная лицензия не показана");
    const results = texts.at(-1)!;
    expect(results).toContain(
      `БИН/ИИН ${POLY}: статус «Обработан». Получено 5 лицензий, в «Все лицензии» показано: 4.`,
    );
    expect(results).toContain(
      `БИН/ИИН ${POLY_BRANCH}: статус «Обработан». Получена 1 лицензия, в «Все лицензии» показано: 1.`,
    );
    const labels = u.buttons(list).map((b) => b.text);
    expect(labels).toContain("№ KZ12LAA00012345 (L60)");
    expect(labels).not.toContain("№ KZ99LAA00009999 (L60)"); // «Прекращен»: not shown
    expect(labels.filter((l) => l.startsWith("№ "))).toHaveLength(5);
    const requests = await db.prisma.licenceRequest.findMany({ orderBy: { bin: "asc" } });
    expect(requests.map((r) => [r.bin, r.status])).toEqual([
      [POLY, "PROCESSED"],
      [POLY_BRANCH, "PROCESSED"],
    ]);
    expect(await db.prisma.licence.count({ where: { holderBin: POLY } })).toBe(5);
    expect(await db.prisma.licence.count({ where: { holderBin: POLY_BRANCH } })).toBe(1);
    expect(await db.prisma.licenceAppendix.count({ where: { licence: { number: "KZ12LAA00012345" } } })).toBe(
      2,
    );
  });

  it("lists every request with its status, dates and who asked in «Запросы по лицензиям»", async () => {
    const u = h.user(100001);
    await u.send("/licences");
    const text = u.texts(await u.press("lic.rq"))[0]!;
    expect(text).toContain("<b>Запросы по лицензиям</b>");
    expect(text).toContain(`БИН/ИИН ${POLY}: «Обработан»`);
    expect(text).toContain(`БИН/ИИН ${POLY_BRANCH}: «Обработан»`);
    expect(text).toMatch(/Запрос: \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect(text).toMatch(/Завершён: \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect(text).toContain("Запросил: Айгерим Садықова");
  });

  it("refuses a BIN that is neither own nor linked (a forged button) with one answer, nothing started", async () => {
    const u = h.user(100001);
    const before = await db.prisma.licenceRequest.count();
    const out = await u.press("lic.get:150340003212");
    expect(answers(out)).toHaveLength(1);
    expect(answers(out)[0]!.payload.text).toBe(ru("errors:bin_not_linked"));
    const bad = await u.press("lic.get:100140001232");
    expect(answers(bad)[0]!.payload.text).toContain("контрольный разряд");
    expect(await db.prisma.licenceRequest.count()).toBe(before);
  });

  it("a failed request is «Ошибка обработки» with a retry for its BIN that works", async () => {
    const u = h.user(100001);
    failing = true;
    const out = await u.press(`lic.get:${POLY}`);
    failing = false;
    expect(u.texts(out).at(-1)).toContain(
      `БИН/ИИН ${POLY}: статус «Ошибка обработки». Реестр лицензий не ответил`,
    );
    expect(u.buttons().map((b) => b.text)).toEqual([`Повторить запрос (${POLY})`]);
    const failed = await db.prisma.licenceRequest.findFirstOrThrow({
      where: { bin: POLY },
      orderBy: { requestedAt: "desc" },
    });
    expect(failed.status).toBe("FAILED");
    // the licences fetched before are kept
    expect(await db.prisma.licence.count({ where: { holderBin: POLY } })).toBe(5);
    expect(u.texts(await u.send("/licences")).join("\n")).toContain("«Ошибка обработки»");
    const retry = await u.press(`lic.get:${POLY}`);
    expect(u.texts(retry).at(-1)).toContain(`БИН/ИИН ${POLY}: статус «Обработан»`);
  });

  it("does not start a second request for a BIN while one is «В обработке»", async () => {
    const u = h.user(100001);
    let release!: () => void;
    slow = new Promise((r) => {
      release = r;
    });
    const orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: POLY } })).id;
    const first = h.app.licences.fetch({ orgId, userId: null, bins: [POLY] });
    await new Promise((r) => setTimeout(r, 100));
    const second = await u.press(`lic.get:${POLY}`);
    expect(answers(second)[0]!.payload.text).toBe(ru("errors:request_in_progress"));
    slow = null;
    release();
    const r = await first;
    expect(r.ok && r.results.map((x) => x.status)).toEqual(["PROCESSED"]);
  });
});

describe("a licence and its appendices", () => {
  it("shows the licence with its appendices and sends an appendix as a PDF (ru)", async () => {
    const u = h.user(100001);
    const lic = await db.prisma.licence.findFirstOrThrow({ where: { number: "KZ12LAA00012345" } });
    const text = u.texts(await u.press(`lic.v:${packed(lic.id)}`)).join("\n");
    expect(text).toContain("Лицензия № KZ12LAA00012345");
    expect(text).toContain("Вид деятельности: L60 – Медицинская деятельность");
    expect(text).toContain("Статус: Действительный");
    expect(text).toContain("Приложение № 001");
    expect(text).toContain("г. Астана, район Есиль, проспект Мәңгілік Ел, 55");
    expect(text).toContain("Паллиативная медицинская помощь");
    expect(text).toContain("Приложение № 002");
    const download = u.buttons().find((b) => b.text === "Скачать приложение № 001")!;
    const doc = await u.press(download.data!);
    expect(doc.some((c) => c.method === "sendChatAction" && c.payload.action === "upload_document")).toBe(
      true,
    );
    const sent = doc.find((c) => c.method === "sendDocument")!;
    const file = sent.payload.document as { filename: string; bytes: Buffer };
    expect(file.filename).toMatch(/\.pdf$/);
    expect(file.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(sent.payload.caption).toContain("Приложение № 001 к лицензии № KZ12LAA00012345");
  });

  it("shows the registry's values in Kazakh to a Kazakh reader (sole trader)", async () => {
    const kk = h.user(100010);
    expect(kk.texts(await kk.send("/licences")).join("\n")).toContain("МАҢЫЗДЫ:");
    const done = await kk.press("lic.get");
    expect(kk.texts(done).at(-1)).toContain("мәртебесі «Өңделді»");
    const lic = await db.prisma.licence.findFirstOrThrow({
      where: { holderBin: "850615400125", status: "Действительный" },
    });
    const text = kk.texts(await kk.press(`lic.v:${packed(lic.id)}`)).join("\n");
    expect(text).toContain(`№ ${lic.number} лицензия`);
    expect(text).toContain("Мәртебесі: Жарамды");
    expect(text).toContain("Түрі: бас лицензия");
    expect(text).toContain("Санаты: Қызмет түріне лицензия");
    expect(text).toContain("Лицензиар: «Шымкент қаласының Қоғамдық денсаулық сақтау басқармасы» ММ");
    expect(text).not.toContain("Действительный");
    expect(text).not.toContain("генеральная");
  });

  it("refuses another organisation's licence and a person without supplier roles", async () => {
    const lic = await db.prisma.licence.findFirstOrThrow({ where: { number: "KZ12LAA00012345" } });
    const other = h.user(100008); // the diagnostic centre's admin
    expect(answers(await other.press(`lic.v:${packed(lic.id)}`))[0]!.payload.text).toBe(
      ru("licences:not_found"),
    );
    const appendix = await db.prisma.licenceAppendix.findFirstOrThrow({ where: { licenceId: lic.id } });
    expect(answers(await other.press(cb("lic.a", [appendix.id])))[0]!.payload.text).toBe(
      ru("licences:not_found"),
    );
    const head = h.user(100002);
    expect(head.texts(await head.send("/licences"))[0]).toContain("«Өнім беруші» және «Ұйым әкімшісі»");
  });
});

describe("registry values without a Kazakh term", () => {
  it("are shown as given and logged once", async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: "warn" },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = composeApp({
      prisma: db.prisma,
      config: { FILES_DIR: "/tmp/fsms-test-files/licences" },
      logger,
    });
    expect(app.licences.value("status", "Действительный", "kk")).toBe("Жарамды");
    expect(app.licences.value("status", "Временно приостановлен судом", "kk")).toBe(
      "Временно приостановлен судом",
    );
    expect(app.licences.value("status", "Временно приостановлен судом", "ru")).toBe(
      "Временно приостановлен судом",
    );
    expect(lines.filter((l) => l.includes("without a Kazakh term"))).toHaveLength(1);
  });
});
