// «Мои электронные лицензии»: licence requests (own / linked BIN), the display filter, one licence with its
// appendices, appendix download, failed request with retry, permissions, both languages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LicensingRegistry } from "../../bot/services/licensing.ts";
import {
  DbLicensingRegistry,
  processLicenceRequest,
  startLicenceRequest,
} from "../../bot/services/licensing.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
let failing = false;

beforeAll(async () => {
  db = await createTestDb();
  const real = new DbLicensingRegistry(db.prisma);
  const registry: LicensingRegistry = {
    fetchLicences: async (bin) => {
      if (failing) throw new Error("elicense.kz timeout");
      return real.fetchLicences(bin);
    },
  };
  h = await createHarness({ prisma: db.prisma, services: { licensingRegistry: registry } });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const limitsOk = () => expect(telegramLimitViolations(h.calls)).toEqual([]);
const POLY = "100140001231";
const POLY_BRANCH = "100141004567";

describe("licence requests", () => {
  it("shows the M5 hint and no licences before the first request", async () => {
    const u = h.user(100001);
    const out = await u.send("/licences");
    const text = u.texts(out).join("\n");
    expect(text).toContain("ВАЖНО: в случае если не отображаются лицензии или имеются ошибки в приложениях");
    expect(text).toContain("Запросов по лицензиям ещё не было");
    expect(u.buttons().map((b) => b.data)).toContain(`lic.get:${POLY}`);
    limitsOk();
  });

  it("«Получить лицензии»: «В обработке» → «Обработан», and lists only the licences passing the display filter", async () => {
    const u = h.user(100001);
    const out = await u.press(`lic.get:${POLY}`);
    const texts = u.texts(out).join("\n");
    expect(texts).toContain("Статус: «В обработке»");
    expect(texts).toContain("статус «Обработан». Получено 5 лицензий.");
    expect(texts).toContain("Все лицензии: 4 лицензии.");
    const labels = u.buttons().map((b) => b.text);
    expect(labels).toContain("№ KZ12LAA00012345 (L60)");
    expect(labels).not.toContain("№ KZ99LAA00009999 (L60)"); // «Прекращен»: not shown
    const req = await db.prisma.licenceRequest.findFirstOrThrow({
      where: { bin: POLY },
      orderBy: { requestedAt: "desc" },
    });
    expect(req.status).toBe("PROCESSED");
    const stored = await db.prisma.licence.findMany({ where: { holderBin: POLY } });
    expect(stored).toHaveLength(5);
    expect(stored.every((l) => l.fetchedAt.getTime() > 0)).toBe(true);
    limitsOk();
  });

  it("fetches the licences of a linked BIN (branch)", async () => {
    const u = h.user(100001);
    const out = await u.press(`lic.get:${POLY_BRANCH}`);
    expect(u.texts(out).join("\n")).toContain("Получена 1 лицензия.");
    expect(await db.prisma.licence.count({ where: { holderBin: POLY_BRANCH } })).toBe(1);
    limitsOk();
  });

  it("refuses a BIN that is neither own nor linked (forged button)", async () => {
    const u = h.user(100001);
    const out = await u.press("lic.get:150340003212");
    const ans = out.find((c) => c.method === "answerCallbackQuery");
    expect(ans?.payload.text).toContain("Лицензию можно получить только на свою организацию");
    const bad = await u.press("lic.get:100140001232");
    expect(bad.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("контрольный разряд");
    limitsOk();
  });

  it("a failed request shows «Ошибка обработки» with a retry that works", async () => {
    const u = h.user(100001);
    failing = true;
    const out = await u.press(`lic.get:${POLY}`);
    failing = false;
    expect(u.texts(out).join("\n")).toContain("статус «Ошибка обработки»");
    expect(u.buttons().map((b) => b.text)).toEqual(["Повторить запрос"]);
    const req = await db.prisma.licenceRequest.findFirstOrThrow({
      where: { bin: POLY },
      orderBy: { requestedAt: "desc" },
    });
    expect(req.status).toBe("FAILED");
    const screen = await u.send("/licences");
    expect(u.texts(screen).join("\n")).toContain("«Ошибка обработки»");
    const retry = await u.press(`lic.get:${POLY}`);
    expect(u.texts(retry).join("\n")).toContain("статус «Обработан»");
    limitsOk();
  });

  it("does not start a second request while one is «В обработке»", async () => {
    const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: POLY } });
    const now = new Date();
    const first = await startLicenceRequest(db.prisma, {
      orgId: org.id,
      bin: POLY,
      requestedById: null,
      now,
    });
    expect(first.ok).toBe(true);
    const second = await startLicenceRequest(db.prisma, {
      orgId: org.id,
      bin: POLY,
      requestedById: null,
      now,
    });
    expect(second.ok ? null : second.errors[0]?.code).toBe("request_in_progress");
    if (first.ok) {
      const r = await processLicenceRequest(
        db.prisma,
        new DbLicensingRegistry(db.prisma),
        first.requestId,
        now,
      );
      expect(r.status).toBe("PROCESSED");
      const again = await processLicenceRequest(
        db.prisma,
        new DbLicensingRegistry(db.prisma),
        first.requestId,
        now,
      );
      expect(again.status).toBe("SKIPPED");
    }
  });
});

describe("viewing a licence", () => {
  it("shows the licence with its appendices (addresses, subtypes) and downloads an appendix", async () => {
    const u = h.user(100001);
    const lic = await db.prisma.licence.findFirstOrThrow({ where: { number: "KZ12LAA00012345" } });
    const out = await u.press(`lic.v:~${Buffer.from(lic.id.replace(/-/g, ""), "hex").toString("base64url")}`);
    const text = u.texts(out).join("\n");
    expect(text).toContain("Лицензия № KZ12LAA00012345");
    expect(text).toContain("Приложение № 001");
    expect(text).toContain("г. Астана, район Есиль, проспект Мәңгілік Ел, 55");
    expect(text).toContain("Приложение № 002");
    const download = u.buttons().find((b) => b.text === "Скачать приложение № 001");
    expect(download?.data).toBeDefined();
    const doc = await u.press(download!.data!);
    const sent = doc.find((c) => c.method === "sendDocument");
    expect(sent).toBeDefined();
    const file = sent!.payload.document as { filename: string; size: number; bytes: Buffer };
    expect(file.filename).toMatch(/\.pdf$/);
    expect(file.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(sent!.payload.caption).toContain("Приложение № 001 к лицензии № KZ12LAA00012345");
    limitsOk();
  });

  it("refuses another organisation's licence", async () => {
    const other = h.user(100008); // diagnostic centre admin
    const lic = await db.prisma.licence.findFirstOrThrow({ where: { number: "KZ12LAA00012345" } });
    const data = `lic.v:~${Buffer.from(lic.id.replace(/-/g, ""), "hex").toString("base64url")}`;
    const out = await other.press(data);
    expect(out.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Лицензия не найдена или недоступна.",
    );
    limitsOk();
  });

  it("works in Kazakh (sole trader) and refuses a head without supplier roles", async () => {
    const kk = h.user(100010);
    const out = await kk.send("/licences");
    expect(kk.texts(out).join("\n")).toContain("МАҢЫЗДЫ:");
    const done = await kk.press("lic.get:850615400125");
    expect(kk.texts(done).join("\n")).toContain("мәртебесі «Өңделді»");
    const head = h.user(100002);
    const denied = await head.send("/licences");
    expect(head.texts(denied)[0]).toContain("«Өнім беруші» және «Ұйым әкімшісі»");
    limitsOk();
  });
});
