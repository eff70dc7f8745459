// A supplier completes the whole wizard (Russian, then Kazakh), saves, forms the PDF and sends it to the head.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endBotTest, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { draftOf, fillBase, PDF, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
});
afterAll(() => endBotTest([h], db));

describe("application wizard, end to end", () => {
  it("a Russian-speaking supplier+admin fills every section, saves, forms the PDF and sends it to the head", async () => {
    const u = h.user(100001);
    const start = h.mark();
    await u.send("/new");
    expect(u.texts(h.since(start)).join("\n")).toContain(
      "Внимание! На каждый регион, населению которого будут оказываться услуги, необходимо создавать отдельные заявки",
    );
    await pressVerb(u, "ap.new1");
    // licences were older than 24 h (none fetched yet): a request was made and processed
    const texts = u.texts(h.since(start)).join("\n");
    expect(texts).toContain("«В обработке»");
    expect(texts).toContain("«Обработан»");
    const app = await draftOf(db.prisma, "100140001231");
    expect(app.status).toBe("DRAFT");
    // D1 is drawn from the fetched licences by the chosen subtypes: nothing chosen yet, nothing attached
    expect(app.licences).toHaveLength(0);
    // the bases come from the appendices of the own and the linked BIN's licences
    expect(app.bases.map((b) => b.address)).toEqual([
      "г. Астана, район Есиль, проспект Мәңгілік Ел, 55",
      "г. Астана, район Сарыарка, улица Бейбітшілік, 10",
      "г. Астана, район Байқоңыр, улица Жұбанова, 7",
    ]);
    // A1–A3 read-only, and the step counter
    expect(u.last()?.payload.text).toContain("100140001231");
    expect(u.last()?.payload.text).toMatch(/Шаг 1 из \d+/);
    expect(await stepOf(db.prisma, app.id)).toBe("A_OWN");

    await pressVerb(u, "wz.own", "1");
    await pressVerb(u, "wz.role", "2"); // both statuses
    await selectAll(u, "s");
    await selectAll(u, "c");
    expect(await stepOf(db.prisma, app.id)).toBe("A_PHARM"); // PHC chosen → A9
    await pressVerb(u, "wz.ph", "1");
    // D1 (issue 10): only the licences whose codes match a chosen subtype — the L60 ones whose appendices list the
    // chosen care, L61/L64 that PHC with a pharmacy requires (R1); not the A15 licence no chosen subtype needs
    const d1 = await db.prisma.applicationLicence.findMany({
      where: { applicationId: app.id },
      include: { licence: true },
    });
    expect(d1.map((l) => l.licence.number).sort()).toEqual([
      "KZ12LAA00012345",
      "KZ31LAA00056789",
      "KZ45LCA00023456",
      "KZ78LHA00034567",
    ]);
    await pressVerb(u, "wz.reg", "ASTANA");
    expect(await stepOf(db.prisma, app.id)).toBe("C_LIST");
    for (const n of [1, 2, 3]) await fillBase(db.prisma, u, app.id, n);
    await pressVerb(u, "wz.bd");
    expect(await stepOf(db.prisma, app.id)).toBe("D2");
    await u.sendDocument({ fileName: "registration.pdf", mimeType: "application/pdf", bytes: PDF("reg") });
    await u.sendPhoto(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await pressVerb(u, "wz.d2");
    await u.sendDocument({ fileName: "доверенность.pdf", mimeType: "application/pdf", bytes: PDF("poa") });
    await pressVerb(u, "wz.d3");
    expect(await stepOf(db.prisma, app.id)).toBe("SUM");
    const summary = u.last()?.payload.text as string;
    expect(summary).toContain("✅ <b>Субъект здравоохранения</b>");
    expect(summary).not.toContain("⚠️");

    const m = h.mark();
    await pressVerb(u, "wz.sv");
    expect(u.texts(h.since(m)).join("\n")).toContain("Заявка сохранена в статусе «Проект»");

    const saved = await draftOf(db.prisma, "100140001231");
    expect(saved.ownershipFormCode).toBeTruthy();
    expect(saved.asSupplier && saved.asCoExecutor).toBe(true);
    expect(saved.hasPharmacy).toBe(true);
    expect(saved.regionCode).toBe("ASTANA");
    expect(
      saved.bases.every((b) => b.latitude === 51.1694 && b.katoCode && b.sesFileId && b.subtypes.length),
    ).toBe(true);
    expect(saved.documents.filter((d) => d.kind === "REGISTRATION")).toHaveLength(2);
    expect(saved.documents.filter((d) => d.kind === "POWER_OF_ATTORNEY")).toHaveLength(1);
    const files = await db.prisma.storedFile.findMany();
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.size > 0)).toBe(true);
    expect(files.map((f) => f.fileName)).toContain("доверенность.pdf");

    const f = h.mark();
    await pressVerb(u, "ap.form");
    expect(h.since(f).some((c) => c.method === "sendDocument")).toBe(true);
    await pressVerb(u, "ap.send");
    const sent = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(sent.status).toBe("HEAD_APPROVAL");
    expect(u.texts().at(-1)).toContain("На согласовании руководителя");
    // the head is told through the outbox (written in the same transaction)
    const head = await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100002n } });
    expect(
      await db.prisma.outbox.count({ where: { applicationId: app.id, userId: head.id } }),
    ).toBeGreaterThan(0);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("a Kazakh-speaking supplier completes the wizard in Kazakh and sends it to the head", async () => {
    await db.prisma.user.update({ where: { telegramId: 100008n }, data: { language: "kk" } });
    const u = h.user(100008);
    const start = h.mark();
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const app = await draftOf(db.prisma, "150340003212");
    expect(u.texts(h.since(start)).join("\n")).toContain("Назар аударыңыз!");
    await pressVerb(u, "wz.own", "0");
    expect(u.last()?.payload.text).toContain("Денсаулық сақтау субъектісінің мәртебесін таңдаңыз");
    await pressVerb(u, "wz.role", "0");
    await selectAll(u, "s");
    await pressVerb(u, "wz.reg", "ALMATY");
    const current = await draftOf(db.prisma, "150340003212");
    for (const b of current.bases) await fillBase(db.prisma, u, app.id, b.position, "43.2389, 76.8897");
    await pressVerb(u, "wz.bd");
    await u.sendDocument({
      fileName: "tirkeu.png",
      mimeType: "image/png",
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    await pressVerb(u, "wz.d2");
    await pressVerb(u, "wz.d3");
    const m = h.mark();
    await pressVerb(u, "wz.sv");
    expect(u.texts(h.since(m)).join("\n")).toContain("Өтінім «Жоба» мәртебесінде сақталды");
    await pressVerb(u, "ap.form");
    await pressVerb(u, "ap.send");
    expect(u.texts().at(-1)).toContain("Өтінім басшыға қол қоюға жіберілді");
    const sent = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(sent.status).toBe("HEAD_APPROVAL");
    // every message of this user was Kazakh (no Russian-only wizard texts)
    expect(u.texts(h.since(start)).join("\n")).not.toContain("Выберите");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});
