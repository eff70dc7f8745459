// The staff register (seed 000 §7, issue 11): search by BIN/IIN and by a part of the name, keyset pages, the
// staff card opened from a row with «Исключить из БД», the exclusion started from it and continued, `/find`
// within the person's own branch only, bad input and forged buttons — through bot.handleUpdate, in ru and kk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationNumber } from "../../app/head.ts";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { createHarness, type Harness, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  applicationUnderReview,
  DEMO,
  drain,
  FAST_OUTBOX,
  includeWithButtons,
  ORG_BIN,
  pressVerb,
  sendToCheckers,
  status,
} from "../staff/setup.ts";

let db: TestDb;
let h: Harness;
let included: string;
let almaty: string;
const ALMATY_REVIEWER = 100_091;
const SHIPAGER_BIN = "150340003212";
const SOLE_BIN = "850615400125";

async function fixture(bin: string, regionCode: string, statusName: "INCLUDED" | "REJECTED", at: string) {
  const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin } });
  const author = await db.prisma.user.findFirstOrThrow({ where: { telegramId: BigInt(DEMO.supplier) } });
  const a = await db.prisma.application.create({
    data: {
      chainId: crypto.randomUUID(),
      orgId: org.id,
      authorId: author.id,
      regionCode,
      status: statusName,
      decisionKind: statusName === "INCLUDED" ? "INCLUSION" : "REJECTION",
      savedAt: new Date(at),
      statusChangedAt: new Date(at),
    },
  });
  return a.id;
}

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  // the polyclinic's application goes the whole way to «Включен в БД» with the buttons
  included = await applicationUnderReview(db.prisma);
  await includeWithButtons(h, db.prisma, included);
  // the diagnostic centre is in the Astana register too; six older inclusions of the polyclinic make 2 pages
  await fixture(SHIPAGER_BIN, "ASTANA", "INCLUDED", "2026-09-01T05:00:00Z");
  for (let i = 0; i < 6; i++) await fixture(ORG_BIN, "ASTANA", "INCLUDED", `2026-08-0${i + 1}T05:00:00Z`);
  // a rejected one is not in the register; the sole trader is included in Almaty (another branch)
  await fixture(SHIPAGER_BIN, "ASTANA", "REJECTED", "2026-09-02T05:00:00Z");
  almaty = await fixture(SOLE_BIN, "ALMATY", "INCLUDED", "2026-09-03T05:00:00Z");
  const u = await db.prisma.user.create({
    data: { telegramId: BigInt(ALMATY_REVIEWER), fullName: "Ерлан Жақыпов", language: "ru" },
  });
  await db.prisma.staffMembership.create({ data: { userId: u.id, branchId: "BR-ALMATY", role: "REVIEWER" } });
  await drain(h);
}, 120_000);
afterAll(() => endBotTest([h], db));

const text = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls
    .filter((c) => c.method === "sendMessage" || c.method === "editMessageText")
    .map((c) => String(c.payload.text))
    .join("\n");
const alert = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  String(calls.find((c) => c.method === "answerCallbackQuery")?.payload.text ?? "");
const ru = translator("ru");

describe("the register for staff", () => {
  it("is reached from the staff member's menu and lists the branch's included applications in pages (ru)", async () => {
    const r = h.user(DEMO.reviewer);
    await r.send("/menu");
    const entry = r.buttons().find((b) => b.data === "m.reg");
    expect(entry?.text).toBe("Реестр (поиск по БИН/ИИН)");
    const page1 = text(await r.press("m.reg"));
    expect(page1).toContain("Реестр: субъекты здравоохранения, включённые в БД");
    expect(page1).toContain("стр. 1 из 2, всего: 8");
    expect(page1).toContain("Городская поликлиника № 7");
    expect(page1).toContain("«Включен в БД»");
    const chain = (await db.prisma.application.findUniqueOrThrow({ where: { id: included } })).chainId;
    expect(page1).toContain(`Заявка № ${applicationNumber(chain)}`);
    expect(page1).not.toContain("Сейтқали"); // Almaty
    const rows = r.buttons().filter((b) => b.data?.startsWith("fs.v:"));
    expect(rows).toHaveLength(5);
    // the newest inclusion first: the application included with the buttons
    expect(rows[0]!.data).toBe(cb("fs.v", [included]));
    const next = r.buttons().find((b) => b.data?.startsWith("rg.p:1:n:"));
    expect(Buffer.byteLength(next!.data!, "utf8")).toBeLessThanOrEqual(64);
    const page2 = text(await r.press(next!.data!));
    expect(page2).toContain("стр. 2 из 2");
    expect(page2).toMatch(/^6\. /m);
    expect(r.buttons().filter((b) => b.data?.startsWith("fs.v:"))).toHaveLength(3);
    expect(r.buttons().some((b) => b.data?.startsWith("rg.p:") && b.data.includes(":n:"))).toBe(false);
    const back = r.buttons().find((b) => b.data === "rg.l");
    expect(text(await r.press(back!.data!))).toContain("стр. 1 из 2");
  });

  it("finds an included application by BIN and by a part of the name, and resets the search (ru)", async () => {
    const r = h.user(DEMO.reviewer);
    await r.press("rg.l");
    await r.press("rg.f");
    expect(String(r.last()!.payload.text)).toBe(ru("register:ask"));
    const byBin = text(await r.send(SHIPAGER_BIN));
    expect(byBin).toContain(`Реестр: поиск «${SHIPAGER_BIN}»`);
    expect(byBin).toContain("Диагностический центр Шипагер");
    expect(byBin).toContain(`БИН/ИИН ${SHIPAGER_BIN}`);
    expect(byBin).toContain("стр. 1 из 1, всего: 1"); // the rejected one is not in the register
    await r.press("rg.f");
    const byName = text(await r.send("шипаг"));
    expect(byName).toContain("Диагностический центр Шипагер");
    expect(byName).not.toContain("поликлиника");
    // LIKE's wildcards are searched as characters, never as "anything"
    expect(text(await r.send("/find %%"))).toContain(ru("register:no_match", { query: "%%" }));
    expect(text(await r.send("/find _%_"))).toContain(ru("register:no_match", { query: "_%_" }));
    expect(r.buttons().some((b) => b.data === "rg.x")).toBe(true);
    const reset = text(await r.press("rg.x"));
    expect(reset).toContain("всего: 8");
    expect(r.buttons().some((b) => b.data === "rg.x")).toBe(false);
  });

  it("says so when nothing matches, and refuses a search too short", async () => {
    const r = h.user(DEMO.reviewer);
    const none = text(await r.send("/find Несуществующая клиника"));
    expect(none).toContain(ru("register:no_match", { query: "Несуществующая клиника" }));
    expect(text(await r.send("/find 1"))).toContain(ru("register:query_invalid"));
    await r.send("/find");
    expect(String(r.last()!.payload.text)).toBe(ru("register:ask"));
    expect(text(await r.send("x"))).toContain(ru("register:query_invalid"));
    // still waiting: a good answer is taken
    expect(text(await r.send(ORG_BIN))).toContain("Городская поликлиника № 7");
  });

  it("/find never finds another branch's application; that branch's reviewer does", async () => {
    const r = h.user(DEMO.reviewer);
    const out = text(await r.send(`/find ${SOLE_BIN}`));
    expect(out).toContain(ru("register:no_match", { query: SOLE_BIN }));
    expect(out).not.toContain("Сейтқали");
    // the Almaty card itself is refused to the Astana reviewer (a forged row button)
    expect(alert(await r.press(cb("fs.v", [almaty])))).toBe(ru("staff:not_found"));
    const other = h.user(ALMATY_REVIEWER);
    const found = text(await other.send("/find Сейтқали"));
    expect(found).toContain("ИП «Сейтқали»");
    expect(text(await other.send(`/find ${ORG_BIN}`))).toContain(ru("register:no_match", { query: ORG_BIN }));
  });

  it("opens the staff card from a row with «Исключить из БД»; the exclusion starts there and continues", async () => {
    const r = h.user(DEMO.reviewer);
    await r.send(`/find ${ORG_BIN}`);
    const row = r.buttons().find((b) => b.data === cb("fs.v", [included]));
    expect(row).toBeDefined();
    await r.press(row!.data!);
    const exclude = r.buttons().find((b) => b.data?.startsWith("fs.xs:"));
    expect(exclude?.text).toBe(ru("staff:btn.exclude"));
    await r.press(exclude!.data!);
    const reason = r.buttons().find((b) => b.data?.startsWith("fs.xr:"));
    await r.press(reason!.data!);
    await pressVerb(h, r, "fs.xk");
    expect(String(r.last()!.payload.text)).toContain(ru("staff:done.FORM_EXCLUSION_NOTICE"));
    // a second tap on the old «Исключить из БД» (drawn for the version before the notice) is refused clearly
    const again = await r.press(exclude!.data!);
    expect(text(again) + alert(again)).toContain("Решение уже принято: Динара Қасымова");
    expect(
      await db.prisma.notice.count({
        where: { applicationId: included, kind: "EXCLUSION", deletedAt: null },
      }),
    ).toBe(1);
    await sendToCheckers(h, db.prisma, r, [DEMO.checker]);
    expect(await status(db.prisma, included)).toBe("REJECTED_CHECK");
    await drain(h);
    // still in the register while the exclusion is under way, with its current status
    const still = text(await r.send(`/find ${ORG_BIN}`));
    expect(still).toContain("«Отклонена. На проверке»");
    // the checker confirms, the approver signs the exclusion: it leaves the register
    await pressVerb(h, h.user(DEMO.checker), "fs.cc");
    await drain(h);
    const approver = h.user(DEMO.approver);
    await pressVerb(h, approver, "fs.xa");
    await pressVerb(h, approver, "fs.xc");
    expect(await status(db.prisma, included)).toBe("EXCLUDED");
    const after = text(await r.send("/register"));
    expect(after).toContain("всего: 7");
  });

  it("works in Kazakh for a checker, and answers forged page buttons with the first page (kk)", async () => {
    const c = h.user(DEMO.checker); // Нұрлан Әбенов reads Kazakh
    await c.send("/menu");
    expect(c.buttons().find((b) => b.data === "m.reg")?.text).toBe("Тізілім (БСН/ЖСН бойынша іздеу)");
    const out = text(await c.send("/find шипагер"));
    expect(out).toContain("Тізілім: «шипагер» бойынша іздеу");
    expect(out).toContain(`БСН/ЖСН ${SHIPAGER_BIN}`);
    expect(out).toContain("«Дерекқорға енгізілді»");
    expect(c.buttons().some((b) => b.text === "Іздеу параметрлерін тазарту")).toBe(true);
    const forged = text(await c.press(cb("rg.p", ["9", "n", "zz", "nope"])));
    expect(forged).toContain("1-бет");
    const none = text(await c.send("/find 999999"));
    expect(none).toContain("сұрауы бойынша филиалыңыздың тізілімінен ештеңе табылмады");
  });

  it("refuses the register to someone who is not Fund staff (ru)", async () => {
    const s = h.user(DEMO.supplier);
    expect(text(await s.send("/find 100140001231"))).toContain(ru("register:staff_only"));
    expect(text(await s.send("/register"))).toContain(ru("register:staff_only"));
    await s.send("/menu");
    expect(s.buttons().some((b) => b.data === "m.reg")).toBe(false);
    expect(alert(await s.press("rg.f"))).toBe(ru("register:staff_only"));
  });
});
