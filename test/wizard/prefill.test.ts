// Issue 14 «nothing typed twice»: a new application of the organisation starts pre-filled from its latest saved
// one — Section A, the bases with coordinates, KATO, SES permit files and subtypes, the registration certificate —
// each shown for confirmation («Оставить» / «Изменить»), never silently: «Сохранить» refuses what was not confirmed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { setLanguage } from "../helpers/e2e.ts";
import { decoded, draftOf, pressVerb, stepOf, wizardHarness } from "./helpers.ts";
import { completeDraft } from "./setup.ts";

let db: TestDb;
let h: Harness;
beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
});
afterAll(() => endBotTest([h], db));

const lastText = (u: TestUser) => String(u.last()?.payload.text ?? "");

describe("pre-filled from the previous application, each part confirmed", () => {
  it("in Russian: Section A, every base and the documents are shown with «Оставить» / «Изменить»; unconfirmed parts block «Сохранить»", async () => {
    const source = await completeDraft(h, db.prisma, 100001, "ASTANA");
    // rejected: the organisation may start a new application in that region (with its bases there)
    await db.prisma.application.update({
      where: { id: source },
      data: { status: "REJECTED", decisionKind: "REJECTION" },
    });
    const src = await db.prisma.productionBase.findFirstOrThrow({ where: { applicationId: source } });
    const u = h.user(100001);
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const draft = await draftOf(db.prisma, "100140001231");
    expect(draft.id).not.toBe(source);
    expect(await stepOf(db.prisma, draft.id)).toBe("PF_A");
    expect(lastText(u)).toContain("Данные перенесены из заявки организации (версия 1");
    expect(lastText(u)).toContain("Первичная медико-санитарная помощь по комплексному подушевому нормативу");
    expect(decoded(u).map((b) => b.text)).toEqual(["✅ Оставить", "✏️ Изменить"]);
    // what was carried: the content, not the region (one application per region), not the licences' D1 alone
    expect(draft.supplierSubtypes.length).toBeGreaterThan(0);
    expect(draft.regionCode).toBeNull();
    expect(
      draft.bases.every((b) => b.latitude === src.latitude && b.katoCode && b.sesFileId && b.subtypes.length),
    ).toBe(true);
    expect(draft.documents.filter((d) => d.kind === "REGISTRATION")).toHaveLength(1);
    expect(draft.licences.length).toBeGreaterThan(0);

    await pressVerb(u, "wz.pk");
    expect(await stepOf(db.prisma, draft.id)).toBe("REGION");
    await pressVerb(u, "wz.reg", "ASTANA");
    expect(await stepOf(db.prisma, draft.id)).toBe("C_LIST");
    expect(lastText(u)).toContain("перенесено из предыдущей заявки — подтвердите");

    // never silently: «Сохранить» before the bases and the documents are confirmed is refused
    const now = await db.prisma.application.findUniqueOrThrow({ where: { id: draft.id } });
    const atSum = await db.prisma.application.update({
      where: { id: draft.id },
      data: { progress: { ...(now.progress as object), step: "SUM", sum: true }, version: { increment: 1 } },
    });
    await u.press(cb("ap.cont", [draft.id], atSum.version));
    const m = h.mark();
    await pressVerb(u, "wz.sv");
    const errors = u.texts(h.since(m)).join("\n");
    expect(errors).toContain("данные перенесены из предыдущей заявки и ещё не подтверждены");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: draft.id } })).savedAt).toBeNull();

    // confirm each base (coordinates, KATO, SES file and subtypes shown), then the documents
    await pressVerb(u, "wz.j", "C");
    await pressVerb(u, "wz.bd");
    for (const b of draft.bases) {
      expect(await stepOf(db.prisma, draft.id)).toBe("PF_C");
      expect(lastText(u)).toContain(`Адрес № ${b.position}`);
      expect(lastText(u)).toContain(`${src.latitude}, ${src.longitude}`);
      expect(lastText(u)).toContain("ses.pdf");
      await pressVerb(u, "wz.pk");
    }
    expect(await stepOf(db.prisma, draft.id)).toBe("PF_D");
    expect(lastText(u)).toContain("registration.pdf");
    await pressVerb(u, "wz.pk");
    expect(await stepOf(db.prisma, draft.id)).toBe("SUM");
    expect(lastText(u)).not.toContain("⚠️");
    const s = h.mark();
    await pressVerb(u, "wz.sv");
    expect(u.texts(h.since(s)).join("\n")).toContain("Заявка сохранена в статусе «Проект»");
    const saved = await db.prisma.application.findUniqueOrThrow({ where: { id: draft.id } });
    expect(saved.savedAt).not.toBeNull();
    expect(saved.regionCode).toBe("ASTANA");
  });

  it("in Kazakh: the confirmation is in Kazakh, and «Өзгерту» opens the section's own steps", async () => {
    await completeDraft(h, db.prisma, 100008, "ALMATY");
    const u = h.user(100008);
    await setLanguage(u, "kk");
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const draft = await draftOf(db.prisma, "150340003212");
    expect(await stepOf(db.prisma, draft.id)).toBe("PF_A");
    expect(lastText(u)).toContain("Деректер ұйымның өтінімінен");
    expect(lastText(u)).toMatch(/1-қадам, барлығы \d+/);
    expect(decoded(u).map((b) => b.text)).toEqual(["✅ Қалдыру", "✏️ Өзгерту"]);
    await pressVerb(u, "wz.pc");
    expect(await stepOf(db.prisma, draft.id)).toBe("A_OWN");
    // the values are there, pre-selected, to be changed or kept
    expect(decoded(u).some((b) => b.text.startsWith("✅ "))).toBe(true);
  });
});
