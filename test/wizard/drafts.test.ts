// Drafts: «Сохранить» with every error and its section (M1–M3 exact texts, ru and kk), G1, delete with
// confirmation (T3), edit with the ownership form locked (§3.7, checked on every write), «Внести изменение»
// (T20), T4/T5 guards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb, parseCb } from "../../bot/kit/callbacks.ts";
import { endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { userIdOf } from "../helpers/e2e.ts";
import { decoded, draftOf, fillBase, PDF, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
let h: Harness;
let u: TestUser;
const BIN = "100140001231";

beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
  u = h.user(100001);
});
afterAll(() => endBotTest([h], db));

async function newDraft(user = u) {
  await user.send("/new");
  await pressVerb(user, "ap.new1");
  return draftOf(db.prisma, BIN);
}

/** Put the draft at the summary (set-up only) and open it. */
async function openSummary(id: string, user = u) {
  const a = await db.prisma.application.update({
    where: { id },
    data: { progress: { step: "SUM", sum: true }, version: { increment: 1 } },
  });
  await user.press(cb("ap.cont", [id], a.version));
}

describe("drafts", () => {
  it("G1: a user without «Поставщик» + «Администратор организации» cannot create an application", async () => {
    const head = h.user(100002);
    await head.send("/new");
    expect(head.texts().at(-1)).toBe(
      "Өтінімді «Өнім беруші» және «Ұйым әкімшісі» рөлдері бар пайдаланушы ғана құра алады.",
    ); // the demo head speaks Kazakh
  });

  it("«Сохранить» lists every error with its section, with M2 and M3 verbatim", async () => {
    const app = await newDraft();
    await db.prisma.application.update({
      where: { id: app.id },
      data: { asSupplier: true, supplierSubtypes: ["PHC_CAP", "PALLIATIVE"], ownershipFormCode: null },
    });
    await db.prisma.productionBase.update({
      where: { applicationId_position: { applicationId: app.id, position: 1 } },
      data: { subtypes: ["PHC_CAP"] },
    });
    await openSummary(app.id);
    expect(u.last()?.payload.text).toContain("⚠️");
    const before = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    const m = h.mark();
    await pressVerb(u, "wz.sv");
    const text = u.texts(h.since(m)).join("\n");
    expect(text).toContain("Заявку нельзя сохранить");
    expect(text).toContain("<b>Субъект здравоохранения</b> (Форма собственности СЗ): Это обязательное поле");
    expect(text).toContain("<b>Регион</b> (Регион): Это обязательное поле");
    expect(text).toContain("Ошибка: Не выбрано ни одного подвида для адреса производственной базы");
    expect(text).toContain(
      "Вы не выбрали все подвиды, соответствующие данным из раздела «Субъект здравоохранения». Пожалуйста, укажите их в разделе «Адрес производственной базы».",
    );
    expect(text).toContain("<b>Подтверждающие документы</b>");
    // jump buttons to the sections with errors
    const verbs = decoded(u).map((b) => `${b.cb.verb}:${b.cb.ids[1]}`);
    expect(verbs).toEqual(expect.arrayContaining(["wz.j:A", "wz.j:R", "wz.j:C", "wz.j:D"]));
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.version).toBe(before.version);
    expect(after.savedAt).toBeNull();
    // jump to Section C from the error list
    await pressVerb(u, "wz.j", "C");
    expect(await stepOf(db.prisma, app.id)).toBe("C_LIST");
  });

  it("the same errors in Kazakh", async () => {
    await db.prisma.user.update({ where: { telegramId: 100008n }, data: { language: "kk" } });
    const kk = h.user(100008);
    await kk.send("/new");
    await pressVerb(kk, "ap.new1");
    const app = await draftOf(db.prisma, "150340003212");
    await db.prisma.application.update({
      where: { id: app.id },
      data: { asSupplier: true, supplierSubtypes: ["DIAG_CT_MRI", "DIAG_PET"] },
    });
    await db.prisma.productionBase.updateMany({ where: { applicationId: app.id }, data: { subtypes: [] } });
    await db.prisma.productionBase.update({
      where: { applicationId_position: { applicationId: app.id, position: 1 } },
      data: { subtypes: ["DIAG_CT_MRI"] },
    });
    await db.prisma.productionBase.create({
      data: { applicationId: app.id, position: 99, address: "қосымша мекенжай", subtypes: [] },
    });
    await openSummary(app.id, kk);
    const m = h.mark();
    await pressVerb(kk, "wz.sv");
    const text = kk.texts(h.since(m)).join("\n");
    expect(text).toContain("Өтінімді сақтау мүмкін емес");
    expect(text).toContain("Бұл – міндетті өріс");
    expect(text).toContain("Қате: өндірістік база мекенжайы үшін бірде-бір кіші түр таңдалмаған");
    expect(text).toContain(
      "«Денсаулық сақтау субъектісі» бөліміндегі деректерге сәйкес келетін барлық кіші түрлерді таңдамадыңыз",
    );
    expect(text).not.toMatch(/Это обязательное поле|Ошибка:/);
  });

  it("T3: delete asks for confirmation; «Отмена» keeps the draft, «Да, удалить» deletes it with an audit row", async () => {
    const app = await draftOf(db.prisma, BIN);
    await u.press(cb("ap.view", [app.id]));
    await pressVerb(u, "ap.del");
    expect(u.last()?.payload.text).toContain("Удалить заявку в статусе «Проект»?");
    const yes = decoded(u).find((b) => b.cb.verb === "ap.dely")!.data!;
    await pressVerb(u, "ap.view"); // «Отмена»
    expect(await db.prisma.application.count({ where: { id: app.id } })).toBe(1);
    await u.press(yes);
    expect(await db.prisma.application.count({ where: { id: app.id } })).toBe(0);
    expect(u.texts().at(-1)).toBe("Заявка удалена.");
    const audit = await db.prisma.auditEvent.findFirst({ where: { chainId: app.chainId, action: "DELETE" } });
    expect(audit?.actorId).toBeTruthy();
    // the same confirmation again (double tap) changes nothing and says so
    const m = h.mark();
    await u.press(yes);
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Заявка не найдена.",
    );
  });

  it("T4/T5: sending needs a saved draft and the generated form; edit keeps the ownership form locked", async () => {
    const app = await newDraft();
    await pressVerb(u, "wz.own", "1");
    await pressVerb(u, "wz.role", "0");
    await selectAll(u, "s");
    await pressVerb(u, "wz.ph", "0");
    await pressVerb(u, "wz.reg", "ASTANA");
    for (const b of (await draftOf(db.prisma, BIN)).bases) await fillBase(db.prisma, u, app.id, b.position);
    await pressVerb(u, "wz.bd");
    await u.sendDocument({ fileName: "reg.pdf", mimeType: "application/pdf", bytes: PDF() });
    await pressVerb(u, "wz.d2");
    await pressVerb(u, "wz.d3");
    await pressVerb(u, "wz.sv");
    const saved = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(saved.savedAt).not.toBeNull();
    // the buttons after «Сохранить» are the table's: no «Отправить» before the form exists
    expect(decoded(u).map((b) => b.cb.verb)).toEqual(
      expect.arrayContaining(["ap.cont", "ap.form", "ap.del"]),
    );
    expect(decoded(u).map((b) => b.cb.verb)).not.toContain("ap.send");
    // a forged «Отправить» before the form is generated: refused with the button to make it
    const m = h.mark();
    await u.press(cb("ap.send", [app.id], saved.version));
    expect(u.texts(h.since(m)).join("\n")).toContain("Сначала сформируйте заявку о включении");
    expect(decoded(u).some((b) => b.cb.verb === "ap.form")).toBe(true);
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("DRAFT");

    // edit: Section A starts at the status, the ownership form is shown read-only
    await u.press(cb("ap.cont", [app.id], saved.version));
    await pressVerb(u, "wz.j", "A");
    expect(await stepOf(db.prisma, app.id)).toBe("A_ROLE");
    expect(u.last()?.payload.text).toContain("при редактировании не изменяется");
    // an old ownership button (from before the save) is refused and changes nothing
    const oldOwn = h.calls
      .flatMap(
        (c) =>
          (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] })?.inline_keyboard ??
          [],
      )
      .flat()
      .map((b) => b.callback_data)
      .find((d) => d?.startsWith("wz.own:") && parseCb(d)?.ids[0] === app.id)!;
    const m2 = h.mark();
    await u.press(oldOwn);
    expect(h.since(m2).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("устарела");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).ownershipFormCode).toBe(
      saved.ownershipFormCode,
    );
  });

  it("§3.7: once the first version was saved, a write of another ownership form is refused by the domain", async () => {
    const app = await draftOf(db.prisma, BIN);
    const saved = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    const other = await db.prisma.ownershipForm.findFirstOrThrow({
      where: { code: { not: saved.ownershipFormCode ?? "" } },
    });
    // a write that got past the UI lock, straight through the application layer
    const view = (await h.app.drafts.load(app.id, saved.authorId))!;
    const r = await h.app.drafts.edit(view, { ownershipFormCode: other.code });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.kind === "denied" && r.errors[0]?.code).toBe("field_immutable");
    // a forged ownership button at the current version and at A_OWN: told why, nothing written
    const atOwn = await db.prisma.application.update({
      where: { id: app.id },
      data: { progress: { step: "A_OWN", sum: true }, version: { increment: 1 } },
    });
    const m = h.mark();
    await u.press(cb("wz.own", [app.id, 0], atOwn.version));
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain(
      "нельзя изменить",
    );
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).ownershipFormCode).toBe(
      saved.ownershipFormCode,
    );
  });

  it("T20: «Внести изменение» on «Включен в БД» makes a new version in «Проект»; the old one stays", async () => {
    const app = await draftOf(db.prisma, BIN);
    const included = await db.prisma.application.update({
      where: { id: app.id },
      data: { status: "INCLUDED", decisionKind: "INCLUSION", version: { increment: 1 } },
    });
    await u.send("/drafts");
    await u.press(cb("ap.view", [app.id]));
    await pressVerb(u, "ap.chg");
    const next = await db.prisma.application.findFirstOrThrow({ where: { previousId: app.id } });
    expect(next.status).toBe("DRAFT");
    expect(next.versionNo).toBe(2);
    expect(next.chainId).toBe(app.chainId);
    expect(next.regionCode).toBe("ASTANA");
    expect(next.savedAt).toBeNull();
    const old = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(old.status).toBe("INCLUDED");
    expect(old.ownershipFormCode).toBe(included.ownershipFormCode);
    expect(old.supplierSubtypes).toEqual(included.supplierSubtypes);
    expect(u.texts().join("\n")).toContain("Создана новая версия заявки");
    // what the version took over is shown for confirmation first (issue 14), Section A first
    expect(await stepOf(db.prisma, next.id)).toBe("PF_A");
    expect(u.last()?.payload.text).toContain("Данные перенесены из заявки");
    // the ownership form is editable in «Внести изменение»
    await pressVerb(u, "wz.pc");
    expect(await stepOf(db.prisma, next.id)).toBe("A_OWN");
    await pressVerb(u, "wz.own", "0");
    const changed = await db.prisma.application.findUniqueOrThrow({ where: { id: next.id } });
    expect(changed.ownershipFormCode).not.toBe(old.ownershipFormCode);
    const nextView = (await h.app.drafts.load(next.id, await userIdOf(db.prisma, 100001)))!;
    expect((await h.app.drafts.validate(nextView)).errors.map((e) => e.code)).not.toContain(
      "field_immutable",
    );
    // DECISIONS 28: the new version is unsaved, so it blocks nothing: «Внести изменение» on the old one is still offered
    await u.press(cb("ap.view", [app.id]));
    expect(decoded(u).some((b) => b.cb.verb === "ap.chg")).toBe(true);
    // once a new version is saved, a second «Внести изменение» is refused
    await db.prisma.application.update({ where: { id: next.id }, data: { savedAt: new Date() } });
    await u.press(cb("ap.chg", [app.id], old.version));
    expect(u.texts().at(-1)).toContain("Внести изменения нельзя");
    expect(await db.prisma.application.count({ where: { chainId: app.chainId } })).toBe(2);
  });
});
