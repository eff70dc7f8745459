// Step details: paginated multi-select, КАТО levels (up, search, leaf), adding/removing bases,
// licences older than 24 h refreshed from the summary (DECISIONS 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { endBotTest, type Harness, type TestUser, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { decoded, draftOf, pressVerb, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
let h: Harness;
let u: TestUser;
let appId: string;
let clock = new Date();
const BIN = "100140001231";

async function goTo(step: string, extra: Record<string, unknown> = {}) {
  const a = await db.prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const b = await db.prisma.application.update({
    where: { id: appId },
    data: { progress: { ...(a.progress as object), step, ...extra }, version: { increment: 1 } },
  });
  await u.press(cb("ap.cont", [appId], b.version));
}

beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma, {}, () => clock);
  u = h.user(100001);
  await u.send("/new");
  await pressVerb(u, "ap.new1");
  appId = (await draftOf(db.prisma, BIN)).id;
});
afterAll(() => endBotTest([h], db));

describe("wizard steps", () => {
  it("the subtype list is paginated with ✅ toggles; a toggle on page 2 stays on page 2", async () => {
    // the licence appendices allow every catalogue subtype
    const all = (await db.prisma.careSubtype.findMany({ where: { asSupplier: true } })).map((s) => s.code);
    expect(all.length).toBeGreaterThan(5);
    // the organisation's fetched licences are what Section A offers (D1 is drawn from them by the choice)
    const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: BIN } });
    const appendix = await db.prisma.licenceAppendix.findFirstOrThrow({
      where: { licence: { orgId: org.id }, careSubtypes: { isEmpty: false } },
    });
    await db.prisma.licenceAppendix.update({ where: { id: appendix.id }, data: { careSubtypes: all } });
    await db.prisma.application.update({ where: { id: appId }, data: { asSupplier: true } });
    await goTo("A_SUP");
    let kb = decoded(u);
    expect(kb.filter((b) => b.cb.verb === "wz.tg")).toHaveLength(5);
    expect(kb.some((b) => b.text === `1/${Math.ceil(all.length / 5)}`)).toBe(true);
    await pressVerb(u, "wz.pg", "s", "1");
    kb = decoded(u);
    const sixth = kb.find((b) => b.cb.verb === "wz.tg" && b.cb.ids[2] === "5")!;
    expect(sixth.text.startsWith("▫️ 6.")).toBe(true);
    await u.press(sixth.data!);
    kb = decoded(u);
    expect(kb.find((b) => b.cb.verb === "wz.tg" && b.cb.ids[2] === "5")?.text.startsWith("✅ 6.")).toBe(true);
    expect(kb.some((b) => b.text === `2/${Math.ceil(all.length / 5)}`)).toBe(true);
    expect((await draftOf(db.prisma, BIN)).supplierSubtypes).toHaveLength(1);
    expect(u.last()?.payload.text).toContain("Выбрано: 1.");
  });

  it("КАТО: levels down to a leaf, «up», and a search by typed name", async () => {
    await goTo("C_KATO", { pos: 1, kato: null });
    expect(u.last()?.payload.text).toMatch(/Шаг \d+ из \d+/);
    const firstTop = decoded(u).find((b) => b.cb.verb === "wz.kt")!;
    await u.press(firstTop.data!);
    expect(u.last()?.payload.text).toContain(firstTop.text.replace("📂 ", ""));
    await pressVerb(u, "wz.ku");
    expect(u.last()?.payload.text).toContain("верхний уровень");
    // top level is paginated (20 regions and cities)
    await pressVerb(u, "wz.kp", "0", "1");
    expect(decoded(u).some((b) => b.text === "2/3")).toBe(true);
    await u.send("район Есиль");
    const leaf = decoded(u).find((b) => b.cb.verb === "wz.kl" && b.text.startsWith("📍"))!;
    await u.press(leaf.data!);
    expect(await stepOf(db.prisma, appId)).toBe("C_SES");
    const base = (await draftOf(db.prisma, BIN)).bases[0]!;
    const kato = await db.prisma.katoObject.findUniqueOrThrow({ where: { code: base.katoCode! } });
    expect(kato.isLeaf).toBe(true);
  });

  it("a base can be added by typing its address and removed; the rows stay numbered 1..n", async () => {
    await goTo("C_LIST");
    const before = (await draftOf(db.prisma, BIN)).bases.length;
    await pressVerb(u, "wz.ba");
    await u.send("г. Астана, ул. Новая, 1");
    expect(await stepOf(db.prisma, appId)).toBe("C_COORD");
    let bases = (await draftOf(db.prisma, BIN)).bases;
    expect(bases).toHaveLength(before + 1);
    expect(bases.at(-1)?.address).toBe("г. Астана, ул. Новая, 1");
    await pressVerb(u, "wz.bl");
    await pressVerb(u, "wz.bx", "1");
    bases = (await draftOf(db.prisma, BIN)).bases;
    expect(bases.map((b) => b.position)).toEqual(bases.map((_b, i) => i + 1));
    expect(bases).toHaveLength(before);
    expect(bases.at(-1)?.address).toBe("г. Астана, ул. Новая, 1");
  });

  it("many bases: the list is paged and every message stays within Telegram's limits", async () => {
    const a = await db.prisma.application.findUniqueOrThrow({
      where: { id: appId },
      include: { bases: true },
    });
    await db.prisma.productionBase.createMany({
      data: Array.from({ length: 25 }, (_x, i) => ({
        applicationId: appId,
        position: a.bases.length + i + 1,
        address: `г. Астана, улица Длинного Адреса Производственной Базы Для Проверки Ограничений, дом ${i + 1}`,
      })),
    });
    await goTo("C_LIST");
    let kb = decoded(u);
    expect(kb.filter((b) => b.cb.verb === "wz.be")).toHaveLength(8);
    const pages = Math.ceil((a.bases.length + 25) / 8);
    expect(kb.some((b) => b.text === `1/${pages}`)).toBe(true);
    for (let i = 1; i < pages; i++)
      await u.press(decoded(u).find((b) => b.cb.verb === "wz.bp" && b.text === "▶️")!.data!);
    expect(decoded(u).some((b) => b.text === `${pages}/${pages}`)).toBe(true);
    kb = decoded(u);
    expect(kb.some((b) => b.cb.verb === "wz.be" && b.cb.ids[1] === String(a.bases.length + 25))).toBe(true);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
    await db.prisma.productionBase.deleteMany({
      where: { applicationId: appId, position: { gt: a.bases.length } },
    });
  });

  it("licences older than 24 h block «Сохранить»; «Получить лицензии» on the summary refreshes D1", async () => {
    clock = new Date(Date.now() + 25 * 3600_000);
    await goTo("SUM", { sum: true });
    expect(decoded(u).some((b) => b.cb.verb === "wz.lic")).toBe(true);
    await pressVerb(u, "wz.sv");
    expect(u.texts().at(-1)).toContain("данные лицензий получены более 24 часов назад");
    await goTo("SUM", { sum: true });
    const m = h.mark();
    await pressVerb(u, "wz.lic");
    const texts = u.texts(h.since(m)).join("\n");
    expect(texts).toContain("«Обработан»");
    const draft = await db.prisma.application.findUniqueOrThrow({
      where: { id: appId },
      include: { licences: { include: { licence: true } } },
    });
    expect(draft.licences.every((l) => l.licence.fetchedAt.getTime() === clock.getTime())).toBe(true);
    expect(decoded(u).some((b) => b.cb.verb === "wz.lic")).toBe(false);
  });
});
