// КАТО in the wizard, through bot.handleUpdate: a Kazakh supplier picks a base's КАТО object and sees only
// Kazakh (picker, search in both spellings, path, base list, summary); a КАТО outside the application's
// region is refused (kk and ru); coordinates outside the region's box are a warning the supplier confirms
// (kk and ru); an object of 2022 that no longer exists is not offered, but an old base keeps its name.
// The picker's buttons: 📂 wz.kt opens a level, 📍 wz.kl picks a leaf (both carry the object's 9-digit code).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { katoName } from "../../domain/kato.ts";
import { confirmationKey } from "../../domain/plausibility.ts";
import { endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { setLanguage } from "../helpers/e2e.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { decoded, draftOf, fillBase, PDF, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
let h: Harness;
let u: TestUser;
let appId: string;
const BIN = "100140001231";
const SUPPLIER = 100001;

async function setLang(lang: "kk" | "ru") {
  await setLanguage(u, lang);
}

const isEntry = (verb: string) => verb === "wz.kt" || verb === "wz.kl";

/** Put the draft at a step (as a resumed draft) and show it. */
async function goTo(step: string, extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  const a = await db.prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const b = await db.prisma.application.update({
    where: { id: appId },
    data: { ...data, progress: { ...(a.progress as object), step, ...extra }, version: { increment: 1 } },
  });
  await u.press(cb("ap.cont", [appId], b.version));
}

async function setBase(data: Record<string, unknown>) {
  await db.prisma.productionBase.updateMany({ where: { applicationId: appId, position: 1 }, data });
}

/** Russian words that must not reach a Kazakh reader of КАТО names (kinds of objects, expanded or not). */
const RUSSIAN = /(^|[\s(«›])(район|город|село|сельский|округ|поселок|область|г\.|с\.|с\.о\.)(?=$|[\s,.)»])/i;

beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
  u = h.user(SUPPLIER);
  await u.send("/new");
  await pressVerb(u, "ap.new1");
  appId = (await draftOf(db.prisma, BIN)).id;
  await db.prisma.application.update({ where: { id: appId }, data: { regionCode: "ASTANA" } });
});
afterAll(() => endBotTest([h], db));

describe("КАТО picker in the reader's language", () => {
  it("a Kazakh supplier walks the region's КАТО in Kazakh, searches «Есіл» or «Есиль», and sees the path in Kazakh", async () => {
    await setLang("kk");
    await goTo("C_KATO", { pos: 1, kato: null });
    // the picker starts inside the application's region, in Kazakh alphabetical order
    const text = u.last()!.payload.text as string;
    expect(text).toContain("Таңдалды: Астана қаласы");
    const names = decoded(u)
      .filter((b) => isEntry(b.cb.verb))
      .map((b) => b.text);
    expect(names).toEqual([
      "📍 Алматы ауданы",
      "📍 Байқоңыр ауданы",
      "📍 Есіл ауданы",
      "📍 Нұра ауданы",
      "📍 Сарайшық ауданы",
      "📍 Сарыарқа ауданы",
    ]);
    expect(decoded(u).some((b) => b.cb.verb === "wz.ku")).toBe(false); // never above the region
    for (const q of ["Есіл", "Есиль"]) {
      const m = h.mark();
      await u.send(q);
      const found = decoded(u).filter((b) => isEntry(b.cb.verb));
      expect(
        found.map((b) => b.text),
        q,
      ).toContain("📍 Есіл ауданы (Астана қаласы)");
      expect(u.texts(h.since(m)).join("\n"), q).toContain(`«${q}» сұрауы бойынша табылды`);
    }
    const esil = decoded(u).find((b) => b.text.startsWith("📍 Есіл ауданы"))!;
    const m = h.mark();
    await u.press(esil.data!);
    expect(await stepOf(db.prisma, appId)).toBe("C_SES");
    expect((await draftOf(db.prisma, BIN)).bases[0]!.katoCode).toBe("711210000");
    // the base list and the summary name the object in Kazakh
    await goTo("C_LIST");
    expect(u.last()!.payload.text).toMatch(/ӘАОЖ( коды)?: Есіл ауданы/);
    await goTo("SUM", { sum: true });
    expect(u.last()!.payload.text).toMatch(/ӘАОЖ( коды)?: Есіл ауданы/);
    // every КАТО name shown (buttons, «Таңдалды», «ӘАОЖ:» lines) is Kazakh; the registry's address stays as given
    const katoLines = u
      .texts(h.since(m))
      .flatMap((t) => t.split("\n"))
      .filter((l) => /Таңдалды|ӘАОЖ|қазіргісі/.test(l));
    expect(katoLines.length).toBeGreaterThan(2);
    for (const l of katoLines) expect(l).not.toMatch(RUSSIAN);
    for (const b of names) expect(b).not.toMatch(RUSSIAN);
  });

  it("the same picker in Russian shows the Russian names with the abbreviations expanded", async () => {
    await setLang("ru");
    await goTo("C_KATO", { pos: 1, kato: null });
    expect(u.last()!.payload.text).toContain("Выбрано: город Астана");
    expect(u.last()!.payload.text).toContain("текущий: город Астана › район Есиль (711210000)");
    expect(decoded(u).map((b) => b.text)).toContain("📍 район Есиль");
  });
});

describe("plausibility: the base's КАТО lies inside the application's region", () => {
  for (const [lang, expected] of [
    ["ru", "не относится к региону заявки («г. Астана»)"],
    ["kk", "өтінімнің өңіріне («Астана қаласы») жатпайды"],
  ] as const)
    it(`an Almaty object for an Astana application is refused (${lang})`, async () => {
      await setLang(lang);
      await goTo("C_KATO", { pos: 1, kato: null });
      const before = (await draftOf(db.prisma, BIN)).bases[0]!.katoCode;
      const version = (await db.prisma.application.findUniqueOrThrow({ where: { id: appId } })).version;
      const m = h.mark();
      // a button of another region (an old message, a forged press): 751510000 Жетісу ауданы, Almaty city
      await u.press(cb("wz.kt", [appId, "751510000"], version));
      const text = u.texts(h.since(m)).join("\n");
      expect(text).toContain(expected);
      expect(text).toContain(lang === "kk" ? "«Жетісу ауданы»" : "«Жетысуский район»");
      expect((await draftOf(db.prisma, BIN)).bases[0]!.katoCode).toBe(before);
      expect(await stepOf(db.prisma, appId)).toBe("C_KATO");
    });

  it("a region changed after the КАТО was chosen: «Сохранить» names the base and the region (kk and ru)", async () => {
    await setBase({ katoCode: "751510000" });
    try {
      for (const [lang, expected] of [
        ["ru", "КАТО не относится к региону заявки «г. Астана»"],
        ["kk", "ӘАОЖ коды өтінімнің өңіріне («Астана қаласы») жатпайды"],
      ] as const) {
        await setLang(lang);
        await goTo("SUM", { sum: true });
        const m = h.mark();
        await pressVerb(u, "wz.sv");
        expect(u.texts(h.since(m)).join("\n"), lang).toContain(expected);
      }
    } finally {
      await setBase({ katoCode: "711210000" });
    }
  });
});

describe("plausibility: coordinates outside the region are a warning the supplier confirms", () => {
  for (const [lang, warning, confirm, saved] of [
    [
      "ru",
      "точка 43.2389, 76.8897 находится за пределами региона «г. Астана» (границы приблизительные)",
      "✅ Координаты верны",
      "Координаты подтверждены и сохранены: 43.2389, 76.8897.",
    ],
    [
      "kk",
      "43.2389, 76.8897 нүктесі «Астана қаласы» шекарасынан тыс (шекара шамамен алынған)",
      "✅ Координаттар дұрыс",
      "Координаттар расталды және сақталды: 43.2389, 76.8897.",
    ],
  ] as const)
    it(`Almaty coordinates for an Astana base: warned, saved only after «${confirm}» (${lang})`, async () => {
      await setLang(lang);
      await setBase({ latitude: 51.1694, longitude: 71.4491, coordsConfirmed: null });
      await goTo("C_COORD", { pos: 1 });
      let m = h.mark();
      await u.send("43.2389, 76.8897");
      expect(u.texts(h.since(m)).join("\n")).toContain(warning);
      expect(u.buttons(u.last()).map((b) => b.text)).toContain(confirm);
      // never silently accepted
      expect((await draftOf(db.prisma, BIN)).bases[0]!.latitude).toBe(51.1694);
      expect(await stepOf(db.prisma, appId)).toBe("C_COORD");
      m = h.mark();
      await pressVerb(u, "wz.cc");
      expect(u.texts(h.since(m)).join("\n")).toContain(saved);
      const b = (await draftOf(db.prisma, BIN)).bases[0]!;
      expect([b.latitude, b.longitude]).toEqual([43.2389, 76.8897]);
      expect(b.coordsConfirmed).toBe(confirmationKey(43.2389, 76.8897, "710000000"));
      expect(await stepOf(db.prisma, appId)).toBe("C_KATO");
      // once confirmed, «Сохранить» does not ask again
      await goTo("SUM", { sum: true });
      m = h.mark();
      await pressVerb(u, "wz.sv");
      const after = u.texts(h.since(m)).join("\n");
      expect(after).not.toContain(lang === "ru" ? "подтвердите предупреждения" : "ескертулерді растаңыз");
    });

  it("«Ввести другие координаты» drops the point; coordinates inside the region are saved at once", async () => {
    await setLang("ru");
    await setBase({ latitude: 51.1694, longitude: 71.4491, coordsConfirmed: null });
    await goTo("C_COORD", { pos: 1 });
    await u.send("43.2389, 76.8897");
    await pressVerb(u, "wz.cn");
    expect(await stepOf(db.prisma, appId)).toBe("C_COORD");
    expect(
      (await db.prisma.application.findUniqueOrThrow({ where: { id: appId } })).progress,
    ).not.toHaveProperty("pending");
    const m = h.mark();
    await u.send("51.128, 71.43");
    expect(u.texts(h.since(m)).join("\n")).toContain("Координаты сохранены: 51.128, 71.43.");
    expect(await stepOf(db.prisma, appId)).toBe("C_KATO");
  });

  it("coordinates saved without a confirmation (data from before this rule) are confirmed at «Сохранить»", async () => {
    const other = h.user(100008);
    await other.send("/new");
    await pressVerb(other, "ap.new1");
    const app = await draftOf(db.prisma, "150340003212");
    await pressVerb(other, "wz.own", "0");
    await pressVerb(other, "wz.role", "0");
    await selectAll(other, "s");
    await pressVerb(other, "wz.reg", "ALMATY");
    for (const b of (await draftOf(db.prisma, "150340003212")).bases)
      await fillBase(db.prisma, other, app.id, b.position, "43.2389, 76.8897");
    await pressVerb(other, "wz.bd");
    await other.sendDocument({ fileName: "reg.pdf", mimeType: "application/pdf", bytes: PDF("reg") });
    await pressVerb(other, "wz.d2");
    await pressVerb(other, "wz.d3");
    expect(await stepOf(db.prisma, app.id)).toBe("SUM");
    // a base whose coordinates reached the database unconfirmed: Astana's point for an Almaty base
    await db.prisma.productionBase.updateMany({
      where: { applicationId: app.id, position: 1 },
      data: { latitude: 51.1694, longitude: 71.4491, coordsConfirmed: null },
    });
    const v = (await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version;
    let m = h.mark();
    await other.press(cb("wz.sv", [app.id], v));
    const asked = other.texts(h.since(m)).join("\n");
    expect(asked).toContain("Перед сохранением подтвердите предупреждения или исправьте координаты");
    expect(asked).toContain("за пределами региона «г. Алматы»");
    expect(
      (await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).progress,
    ).not.toHaveProperty("saved");
    m = h.mark();
    await pressVerb(other, "wz.svc");
    expect(other.texts(h.since(m)).join("\n")).toContain("Заявка сохранена в статусе «Проект»");
    const base = (await draftOf(db.prisma, "150340003212")).bases[0]!;
    expect(base.coordsConfirmed).toBe(confirmationKey(51.1694, 71.4491, base.katoCode));
  });
});

describe("КАТО of an earlier edition", () => {
  it("is not offered for a new base, but an old base keeps its name; «Сохранить» asks for a current one", async () => {
    await setLang("ru");
    // an abolished settlement whose okrug is still in force (its siblings are offered, it is not)
    const [row] = await db.prisma.$queryRaw<{ id: number }[]>`
      SELECT k.id FROM "KatoObject" k JOIN "KatoObject" p ON p.id = k."parentId"
       WHERE NOT k.active AND k."isLeaf" AND p.active AND p."childCount" > 0 ORDER BY k.id LIMIT 1`;
    const gone = await db.prisma.katoObject.findUniqueOrThrow({ where: { id: row!.id } });
    // an application of that object's region (Abai: Semey's districts were reorganised in 2022–2025)
    const region = await db.prisma.region.findFirstOrThrow({
      where: { katoCode: `${gone.code.slice(0, 2)}0000000` },
    });
    await db.prisma.application.update({ where: { id: appId }, data: { regionCode: region.code } });
    const parent = await db.prisma.katoObject.findUniqueOrThrow({ where: { id: gone.parentId! } });
    await goTo("C_KATO", { pos: 1 });
    // the level the abolished object was in (the level travels in the button)
    await u.press(
      cb(
        "wz.kt",
        [appId, parent.code],
        (await db.prisma.application.findUniqueOrThrow({ where: { id: appId } })).version,
      ),
    );
    const offered = decoded(u).filter((b) => isEntry(b.cb.verb));
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.map((b) => b.cb.ids[1])).not.toContain(gone.code);
    await setBase({ katoCode: gone.code });
    await goTo("C_LIST");
    expect(u.last()!.payload.text).toContain(`КАТО: ${katoName(gone, "ru")}`);
    // a forged pick of it is never saved: «Сохранить» asks for a current one
    await goTo("SUM", { sum: true });
    const s = h.mark();
    await pressVerb(u, "wz.sv");
    expect(u.texts(h.since(s)).join("\n")).toContain("Этот КАТО отсутствует в действующем классификаторе");
    await setBase({ katoCode: "711210000" });
    await db.prisma.application.update({ where: { id: appId }, data: { regionCode: "ASTANA" } });
  });
});
