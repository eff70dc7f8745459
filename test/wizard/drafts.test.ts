// Drafts: «Сохранить» with every error and its section (M1–M3 exact texts, ru and kk), G1, delete with
// confirmation (T3), edit with the ownership form locked (§3.7), «Внести изменение» (T20), T4/T5 guards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb, parseCb } from "../../bot/callbacks.ts";
import { endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { loadDraft } from "../../conversations/wizard/repo.ts";
import { previousDraft, toDomainDraft, validateDraft } from "../../conversations/wizard/validate.ts";
import { updateDraft } from "../../prisma/store/applications.ts";
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
      data: { applicationId: app.id, position: 99, address: "қосымша мекенжай" },
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
    await fillBase(db.prisma, u, app.id, 1);
    await fillBase(db.prisma, u, app.id, 2);
    await pressVerb(u, "wz.bd");
    await u.sendDocument({ fileName: "reg.pdf", mimeType: "application/pdf", bytes: PDF() });
    await pressVerb(u, "wz.d2");
    await pressVerb(u, "wz.d3");
    await pressVerb(u, "wz.sv");
    const saved = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    // send before the form is generated
    let m = h.mark();
    await u.press(cb("ap.send", [app.id], saved.version));
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain(
      "Сначала сформируйте заявку о включении",
    );
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
    m = h.mark();
    await u.press(oldOwn);
    expect(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("устарела");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).ownershipFormCode).toBe(
      saved.ownershipFormCode,
    );
  });

  it("§3.7: an ownership form changed behind the wizard's back after «Сохранить» is refused by the domain", async () => {
    const app = await draftOf(db.prisma, BIN);
    const saved = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect((saved.progress as { locked?: { ownershipFormCode: string } }).locked?.ownershipFormCode).toBe(
      saved.ownershipFormCode,
    );
    const other = await db.prisma.ownershipForm.findFirstOrThrow({
      where: { code: { not: saved.ownershipFormCode ?? "" } },
    });
    // a forged write that got past the UI lock (the store's T2 write does not know about §3.7)
    const forged = await updateDraft(
      db.prisma,
      app.id,
      saved.version,
      { ownershipFormCode: other.code },
      { actorId: saved.authorId, now: new Date() },
    );
    expect(forged.ok).toBe(true);
    const full = (await loadDraft(db.prisma, app.id))!;
    const report = await validateDraft(db.prisma, full, new Date());
    expect(report.errors).toContainEqual(expect.objectContaining({ code: "field_immutable", field: "A4" }));
    // «Сохранить» in the bot lists it and keeps the draft as it was
    const atSum = await db.prisma.application.update({
      where: { id: app.id },
      data: { progress: { ...(saved.progress as object), step: "SUM" }, version: { increment: 1 } },
    });
    await u.press(cb("ap.cont", [app.id], atSum.version));
    const m = h.mark();
    await pressVerb(u, "wz.sv");
    expect(u.texts(h.since(m)).join("\n")).toContain("(Форма собственности СЗ): это поле нельзя изменить");
    // «Отправить на подписание» is refused by the same check
    const cur = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    const m2 = h.mark();
    await u.press(cb("ap.send", [app.id], cur.version));
    expect(u.texts(h.since(m2)).join("\n")).toContain("это поле нельзя изменить");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("DRAFT");
    // back to the saved form: saving works again
    const back = await updateDraft(
      db.prisma,
      app.id,
      cur.version,
      { ownershipFormCode: saved.ownershipFormCode },
      { actorId: saved.authorId, now: new Date() },
    );
    expect(back.ok).toBe(true);
    expect(
      (await validateDraft(db.prisma, (await loadDraft(db.prisma, app.id))!, new Date())).errors.map(
        (e) => e.code,
      ),
    ).not.toContain("field_immutable");
  });

  it("T20: «Внести изменение» on «Включен в БД» makes a new version in «Проект»; the old one stays", async () => {
    const app = await draftOf(db.prisma, BIN);
    const included = await db.prisma.application.update({
      where: { id: app.id },
      data: { status: "INCLUDED", version: { increment: 1 } },
    });
    await u.send("/drafts");
    await u.press(cb("ap.view", [app.id]));
    await pressVerb(u, "ap.chg");
    const next = await db.prisma.application.findFirstOrThrow({ where: { previousId: app.id } });
    expect(next.status).toBe("DRAFT");
    expect(next.versionNo).toBe(2);
    expect(next.chainId).toBe(app.chainId);
    expect(next.regionCode).toBe("ASTANA");
    const old = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(old.status).toBe("INCLUDED");
    // the store takes the old row's lock (version + 1) but its data and status stay
    expect(old.version).toBeGreaterThanOrEqual(included.version);
    expect(old.ownershipFormCode).toBe(included.ownershipFormCode);
    expect(old.supplierSubtypes).toEqual(included.supplierSubtypes);
    expect(await stepOf(db.prisma, next.id)).toBe("SUM");
    expect(u.texts().join("\n")).toContain("Создана новая версия заявки");
    // the ownership form is editable in «Внести изменение»
    await pressVerb(u, "wz.j", "A");
    expect(await stepOf(db.prisma, next.id)).toBe("A_OWN");
    await pressVerb(u, "wz.own", "0");
    const changed = await db.prisma.application.findUniqueOrThrow({ where: { id: next.id } });
    expect(changed.ownershipFormCode).not.toBe(old.ownershipFormCode);
    // the immutability check compares with the version the changes are made to (MAKE_CHANGES: A4 free)
    const nextFull = (await loadDraft(db.prisma, next.id))!;
    const previous = await previousDraft(db.prisma, nextFull, toDomainDraft(nextFull, new Set(), new Set()));
    expect(previous?.ownershipFormCode).toBe(old.ownershipFormCode);
    expect(previous?.identity?.bin).toBe(BIN);
    expect((await validateDraft(db.prisma, nextFull, new Date())).errors.map((e) => e.code)).not.toContain(
      "field_immutable",
    );
    // a second «Внести изменение» on the old version is refused (an open version exists)
    await u.press(cb("ap.chg", [app.id], old.version));
    expect(u.texts().at(-1)).toContain("Внести изменения нельзя");
    expect(await db.prisma.application.count({ where: { chainId: app.chainId } })).toBe(2);
  });
});
