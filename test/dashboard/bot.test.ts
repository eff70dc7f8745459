// Issue 15 through bot.handleUpdate: /dashboard sends the branch's picture (PNG signature and size) with the
// key numbers of a query on seeded data (a breach across the Capital Day holiday, Mon 6 July 2026), the period
// switch edits the photo in place, the oldest overdue item opens the staff card, an approver reads only, anyone
// else (or another branch) is refused; /export sends CSV and XLSX parsed back; the stage deadlines are edited by
// the manager and audited; the weekly and morning digests are written once at the right Astana time.
import ExcelJS from "exceljs";
import { Api } from "grammy";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { createOutboxHooks } from "../../bot/outbox/render.ts";
import { deliverOnce } from "../../bot/outbox/worker.ts";
import { outboxWorkerDeps } from "../../bot/runtime/outbox.ts";
import { fromAstana } from "../../domain/calendar.ts";
import { createHarness, type Harness, type ApiCall, telegramLimitViolations } from "../helpers/bot.ts";
import { Chain, type World, world } from "../app/chain.ts";

const at = (m: number, d: number, h = 10, min = 0) => fromAstana(2026, m, d, h, min)!;
const NOW = at(7, 8, 12); // Wednesday 8 July 2026, 12:00 Astana (Mon 6 July: Capital Day)
const BRANCH = "BR-ASTANA";
const REGION = "ASTANA";
const ru = translator("ru");
const kk = translator("kk");

let w: World;
let f: Chain;
let h: Harness;
const ids: Record<string, string> = {};
let manager: number;
let approver: number;
let reviewer: number;
let supplier: number;

async function on<T>(when: Date, fn: () => Promise<T>): Promise<T> {
  w.clock.set(when, { frozen: true });
  return fn();
}

/** Press a button under a photo (the harness' press sends a text message). */
async function pressOnPhoto(user: number, data: string, messageId: number): Promise<ApiCall[]> {
  const mark = h.mark();
  await h.handle({
    callback_query: {
      id: `cqp${Math.random().toString(36).slice(2, 8)}`,
      from: { id: user, is_bot: false, first_name: "U" },
      chat_instance: `ci${user}`,
      data,
      message: {
        message_id: messageId,
        date: 0,
        chat: { id: user, type: "private", first_name: "U" },
        photo: [{ file_id: "p", file_unique_id: "p", width: 960, height: 1280 }],
        caption: "…",
      },
    },
  } as never);
  return h.since(mark);
}

const photoOf = (c: ApiCall | undefined) => (c?.payload.photo as { bytes: Buffer; size: number }) ?? null;
const isPng = (b: Buffer) =>
  b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
const buttonsOf = (c: ApiCall | undefined) =>
  (
    (c?.payload.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] })
      ?.inline_keyboard ?? []
  ).flat();

beforeAll(async () => {
  w = await world();
  f = new Chain(w);
  expect(await w.prisma.application.count({ where: { regionCode: REGION } })).toBe(0);
  const store = w.app.ports.store;
  for (const [stage, days] of [
    ["REVIEW", 3],
    ["CHECK", 2],
    ["APPROVAL", 2],
  ] as const)
    expect(
      (
        await store.sla.setThreshold({
          branchId: BRANCH,
          stage,
          days,
          actorId: f.id("manager"),
          now: at(5, 1),
        })
      ).ok,
    ).toBe(true);

  // A1: included on Thu 18 June (review 15 → 16, check 16 → 17, approval 17 → 18): the register and June's decisions.
  await f.newOrg();
  ids.A1 = await on(at(6, 15), () => f.underReview(REGION));
  await on(at(6, 16), () => f.must("reviewer", ids.A1!, "FORM_INCLUSION_NOTICE"));
  await on(at(6, 16), () => f.must("reviewer", ids.A1!, "SEND_TO_CHECK", { checkerIds: [f.id("checker")] }));
  await on(at(6, 17), () => f.must("checker", ids.A1!, "CHECKER_CONFIRM"));
  await on(at(6, 18), () => f.must("approver", ids.A1!, "APPROVER_APPROVE"));
  // A2: under review since Wed 1 July 10:00, 3 working days: Thu 2, Fri 3, (Mon 6 holiday) Tue 7 18:00 →
  // BREACHED on 8 July, overdue by 1 working day.
  await f.newOrg();
  ids.A2 = await on(at(7, 1), () => f.underReview(REGION));
  // A3: under review since Tue 7 July: in time (2 working days left on 8 July).
  await f.newOrg();
  ids.A3 = await on(at(7, 7), () => f.underReview(REGION));
  w.clock.set(NOW, { frozen: true });

  manager = Number(w.users.manager.telegramId);
  approver = Number(w.users.approver.telegramId);
  reviewer = Number(w.users.reviewer.telegramId);
  supplier = Number(w.users.supplierOnly.telegramId);
  await w.prisma.user.updateMany({
    where: {
      id: {
        in: [w.users.manager.id, w.users.reviewer.id, w.users.supplierOnly.id, w.users.supplierAdmin.id],
      },
    },
    data: { language: "ru" },
  });
  await w.prisma.user.update({ where: { id: w.users.approver.id }, data: { language: "kk" } });
  h = await createHarness({ prisma: w.prisma, now: w.clock.now });
}, 180_000);

afterAll(async () => {
  if (h) expect(telegramLimitViolations(h.calls)).toEqual([]);
  await h?.close();
  await w?.close();
});

describe("/dashboard", () => {
  it("sends the branch's PNG with the numbers of the query, the breach and the oldest overdue item", async () => {
    const d = (await w.app.dashboard.load(BRANCH, "week", 0, NOW))!;
    expect(d.open).toMatchObject({ open: 2, breached: 1 });
    expect(d.open.byStage.REVIEW).toEqual({ open: 2, breached: 1 });
    expect(d.overdue.map((o) => [o.applicationId, o.overdueDays])).toEqual([[ids.A2, 1]]);

    const calls = await h.user(manager).send("/dashboard");
    expect(telegramLimitViolations(calls)).toEqual([]);
    const sent = calls.find((c) => c.method === "sendPhoto");
    const png = photoOf(sent)!;
    expect(isPng(png.bytes)).toBe(true);
    expect(png.size).toBeGreaterThan(10_000);
    expect(png.size).toBeLessThan(1_000_000);
    const caption = String(sent!.payload.caption);
    expect(caption).toContain(`Открытые заявки: ${d.open.open}, просрочено: ${d.open.breached}`);
    expect(caption).toContain("• Рассмотрение: 2, просрочено: 1");
    expect(caption).toContain("На рассмотрении с 01.07, просрочено на 1 рабочий день");
    const b = buttonsOf(sent);
    expect(b.map((x) => x.text)).toEqual(
      expect.arrayContaining(["• Неделя", "Месяц", "Квартал", "📥 Выгрузка", "🕒 Сроки этапов"]),
    );
    // The oldest overdue item opens the staff card (the staff feature's verb).
    expect(b.find((x) => x.text.startsWith("⚠️"))?.callback_data).toBe(cb("fs.v", [ids.A2!]));
  });

  it("switches the period in place (editMessageMedia) and goes back to the previous one", async () => {
    const month = await pressOnPhoto(manager, cb("db.p", [BRANCH, "month", 0]), 4242);
    const edit = month.find((c) => c.method === "editMessageMedia");
    expect(edit).toBeDefined();
    const media = edit!.payload.media as { type: string; caption: string };
    expect(media.type).toBe("photo");
    expect(media.caption).toContain("Решения за 01.07–08.07: 0");
    expect(buttonsOf(edit).map((x) => x.text)).toContain("• Месяц");
    const june = await pressOnPhoto(manager, cb("db.p", [BRANCH, "month", -1]), 4242);
    const c = (june.find((x) => x.method === "editMessageMedia")!.payload.media as { caption: string })
      .caption;
    // June: A1's reviewer (sent to check; forming the notice is not a decision), checker and approver
    expect(c).toContain("Решения за 01.06–30.06: 3, возвращено: 0");
    expect(june.filter((x) => x.method === "answerCallbackQuery")).toHaveLength(1);
  });

  it("opens the oldest overdue item's card for the manager", async () => {
    const calls = await h.user(manager).press(cb("fs.v", [ids.A2!]));
    expect(calls.filter((x) => x.method === "answerCallbackQuery")).toHaveLength(1);
    const texts = h.user(manager).texts(calls).join("\n");
    expect(texts).not.toContain(ru("staff:not_found"));
  });

  it("is read-only for an approver (kk), and refused to a supplier and for another branch", async () => {
    const calls = await h.user(approver).send("/dashboard");
    const sent = calls.find((c) => c.method === "sendPhoto");
    expect(isPng(photoOf(sent)!.bytes)).toBe(true);
    expect(String(sent!.payload.caption)).toContain("Ашық өтінімдер");
    const texts = buttonsOf(sent).map((x) => x.text);
    expect(texts).not.toContain(kk("dashboard:bot.btn.export"));
    expect((await h.user(approver).send("/export")).map((c) => c.payload.text)).toContain(
      kk("dashboard:bot.manager_only"),
    );
    // An approver of two branches switches between them.
    await w.prisma.staffMembership.create({
      data: { userId: w.users.approver.id, branchId: "BR-ALMATY", role: "APPROVER" },
    });
    const two = await h.user(approver).send("/dashboard");
    const other = buttonsOf(two.find((c) => c.method === "sendPhoto")).find((x) => x.text.startsWith("🏢"));
    expect(other?.callback_data).toBe(cb("db.p", ["BR-ALMATY", "week", 0]));
    const almaty = await pressOnPhoto(approver, other!.callback_data!, 4343);
    expect(almaty.some((c) => c.method === "editMessageMedia")).toBe(true);
    await w.prisma.staffMembership.deleteMany({
      where: { userId: w.users.approver.id, branchId: "BR-ALMATY" },
    });
    const refused = await h.user(supplier).send("/dashboard");
    expect(refused.some((c) => c.method === "sendPhoto")).toBe(false);
    expect(h.user(supplier).texts(refused)).toContain(ru("dashboard:bot.denied"));
    const forged = await pressOnPhoto(manager, cb("db.p", ["BR-ALMATY", "week", 0]), 4242);
    expect(forged.some((c) => c.method === "editMessageMedia")).toBe(false);
    expect(forged.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("dashboard:bot.denied"),
    );
    const junk = await pressOnPhoto(manager, "db.p:BR-ASTANA:year:0", 4242);
    expect(junk.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("common:errors.stale_button"),
    );
  });
});

describe("/export", () => {
  it("sends the register and last month's decisions as CSV and XLSX with Russian headers", async () => {
    const calls = await h.user(manager).send("/export");
    const docs = calls.filter((c) => c.method === "sendDocument");
    expect(docs).toHaveLength(4);
    const file = (c: ApiCall) => c.payload.document as { filename: string; bytes: Buffer };
    expect(docs.map((c) => file(c).filename)).toEqual([
      "reestr-ASTANA-2026-07-08.csv",
      "reestr-ASTANA-2026-07-08.xlsx",
      "resheniya-ASTANA-2026-07-08.csv",
      "resheniya-ASTANA-2026-07-08.xlsx",
    ]);
    const csv = file(docs[0]!)
      .bytes.toString("utf8")
      .replace(/^\uFEFF/, "");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain("№ заявки");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(ids.A1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file(docs[3]!).bytes as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe("Решения");
    expect(sheet.getRow(1).getCell(1).value).toBe("№ заявки");
    expect(sheet.getRow(2).getCell(1).value).toBe(ids.A1);
    expect(sheet.rowCount).toBe(2);
    expect(String(docs[2]!.payload.caption)).toContain("Решения за 01.06–30.06: 1");
  });
});

describe("/export in Kazakh", () => {
  it("writes Kazakh headers and status labels", async () => {
    await w.prisma.user.update({ where: { id: w.users.manager.id }, data: { language: "kk" } });
    try {
      const calls = await h.user(manager).send("/export");
      const docs = calls.filter((c) => c.method === "sendDocument");
      expect(docs).toHaveLength(4);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((docs[1]!.payload.document as { bytes: Buffer }).bytes as never);
      const sheet = wb.worksheets[0]!;
      expect(sheet.name).toBe(kk("dashboard:export.sheet_register"));
      expect(sheet.getRow(1).getCell(1).value).toBe(kk("dashboard:export.col.number"));
      expect(sheet.getRow(2).getCell(6).value).toBe(kk("status:labels.INCLUDED"));
      const csv = (docs[0]!.payload.document as { bytes: Buffer }).bytes.toString("utf8");
      expect(csv).toContain(kk("dashboard:export.col.org"));
    } finally {
      await w.prisma.user.update({ where: { id: w.users.manager.id }, data: { language: "ru" } });
    }
  });
});

describe("stage deadlines", () => {
  it("a manager changes one stage's deadline (audited); a stale button and an approver are refused", async () => {
    const screen = await h.user(manager).send("/deadlines");
    expect(h.user(manager).texts(screen).join("\n")).toContain("• Рассмотрение: 3 рабочих дня");
    const plus = cb("db.ts", [BRANCH, "REVIEW", 4], 3);
    expect(
      h
        .user(manager)
        .buttons()
        .map((b) => b.data),
    ).toContain(plus);
    const r = await h.user(manager).press(plus);
    expect(r.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Срок этапа «Рассмотрение»: 3 → 4 (рабочие дни)",
    );
    expect(h.user(manager).texts(r).join("\n")).toContain("• Рассмотрение: 4 рабочих дня");
    const audit = await w.prisma.settingChange.findFirst({
      where: { branchId: BRANCH, stage: "REVIEW" },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      actorId: w.users.manager.id,
      oldValue: { days: 3 },
      newValue: { days: 4 },
    });
    // the same (old) button again: the value changed since it was drawn
    const again = await h.user(manager).press(plus);
    expect(again.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("dashboard:bot.thresholds.stale"),
    );
    const denied = await h.user(approver).press(cb("db.ts", [BRANCH, "REVIEW", 9], 4));
    expect(denied.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      kk("dashboard:bot.manager_only"),
    );
    expect((await w.app.dashboard.thresholds(BRANCH))!.REVIEW).toBe(4);
    // back to 3 for the digests below
    await h.user(manager).press(cb("db.ts", [BRANCH, "REVIEW", 3], 4));
    expect((await w.app.dashboard.thresholds(BRANCH))!.REVIEW).toBe(3);
  });
});

describe("the deadline everyone sees", () => {
  it("the supplier's card names the stage's role, since when and the working days, across the holiday", async () => {
    const admin = Number(w.users.supplierAdmin.telegramId);
    const seen = async (when: Date) => {
      w.clock.set(when, { frozen: true });
      const calls = await h.user(admin).press(cb("my.v", [ids.A2!]));
      w.clock.set(NOW, { frozen: true });
      return h.user(admin).texts(calls).join("\n");
    };
    // Fri 3 July: Tue 7 is the next working day (Mon 6 July is Capital Day): 1 day left, not 2.
    expect(await seen(at(7, 3, 12))).toContain(
      "Рассматривающий заявки БД: на рассмотрении с 01.07, остался 1 рабочий день",
    );
    expect(await seen(at(7, 6, 12))).toContain(
      "Рассматривающий заявки БД: на рассмотрении с 01.07, остался 1 рабочий день",
    );
    expect(await seen(at(7, 7, 12))).toContain(
      "Рассматривающий заявки БД: на рассмотрении с 01.07, срок истекает сегодня",
    );
    expect(await seen(NOW)).toContain(
      "⚠️ Рассматривающий заявки БД: на рассмотрении с 01.07, просрочено на 1 рабочий день",
    );
    // In Kazakh (the supplier switched language): the same clock.
    await w.prisma.user.update({ where: { id: w.users.supplierAdmin.id }, data: { language: "kk" } });
    try {
      const line = kk("dashboard:deadline.holder", {
        role: kk("common:roles.REVIEWER"),
        line: kk("dashboard:deadline.overdue", {
          stage: kk("dashboard:stage_in.REVIEW"),
          since: "01.07",
          count: 1,
        }),
      });
      expect(await seen(NOW)).toContain(`⚠️ ${line}`);
    } finally {
      await w.prisma.user.update({ where: { id: w.users.supplierAdmin.id }, data: { language: "ru" } });
    }
    // Never the person: the reviewer's name is not on the line.
    expect(await seen(NOW)).not.toContain(`${w.users.reviewer.fullName}: на рассмотрении`);
  });

  it("the staff card shows the same clock, breached marked; a draft-free final status shows none", async () => {
    const calls = await h.user(reviewer).press(cb("fs.v", [ids.A2!]));
    expect(h.user(reviewer).texts(calls).join("\n")).toContain(
      "⚠️ На рассмотрении с 01.07, просрочено на 1 рабочий день",
    );
    const a3 = await h.user(reviewer).press(cb("fs.v", [ids.A3!]));
    expect(h.user(reviewer).texts(a3).join("\n")).toContain(
      "На рассмотрении с 07.07, осталось 2 рабочих дня",
    );
    const a1 = await h.user(reviewer).press(cb("fs.v", [ids.A1!]));
    expect(h.user(reviewer).texts(a1).join("\n")).not.toMatch(/рабоч(ий|их) д/);
  });

  it("the supplier's push carries the line too", async () => {
    const row = await w.prisma.outbox.findFirst({
      where: { applicationId: ids.A3!, kind: "status_changed", userId: w.users.supplierAdmin.id },
      orderBy: { id: "desc" },
    });
    expect(row).not.toBeNull();
    const p = await createOutboxHooks(h.app).prepare(row as never);
    if (!("rendered" in p)) throw new Error(JSON.stringify(p));
    expect(p.rendered.text).toContain(
      "Рассматривающий заявки БД: на рассмотрении с 07.07, осталось 2 рабочих дня",
    );
  });
});

describe("digests", () => {
  const rows = (kind: string) => w.prisma.outbox.findMany({ where: { kind }, orderBy: { id: "asc" } });

  it("writes the weekly digest once, on the first working day at 09:00 Astana (Mon 6 July is a holiday)", async () => {
    const managers = await w.prisma.staffMembership.count({ where: { branchId: BRANCH, role: "MANAGER" } });
    expect(managers).toBeGreaterThan(0);
    const astana = async () =>
      (await rows("digest_branch")).filter((r) => r.eventKey.includes(`:${BRANCH}:`));
    // Sat 4, Sun 5 July, and the holiday Mon 6 July 09:30: nothing for this week yet.
    for (const t of [at(7, 4, 9), at(7, 5, 12), at(7, 6, 9, 30), at(7, 7, 8, 59)]) {
      await w.app.dashboard.writeDue(t);
    }
    expect((await astana()).filter((r) => r.eventKey.endsWith("2026-07-06"))).toHaveLength(0);
    // Tue 7 July 09:00: due (moved past the holiday); once, however many runs.
    await w.app.dashboard.writeDue(at(7, 7, 9));
    await w.app.dashboard.writeDue(at(7, 7, 9, 5));
    await w.app.dashboard.writeDue(at(7, 10, 16));
    const week = (await astana()).filter((r) => r.eventKey.endsWith("2026-07-06"));
    expect(week).toHaveLength(managers);
    expect(week[0]!.nextAttemptAt).toEqual(at(7, 7, 9));
    // The next Monday 13 July 08:59: not yet; 09:00: the next week's.
    await w.app.dashboard.writeDue(at(7, 13, 8, 59));
    expect((await astana()).filter((r) => r.eventKey.endsWith("2026-07-13"))).toHaveLength(0);
    await w.app.dashboard.writeDue(at(7, 13, 9));
    expect((await astana()).filter((r) => r.eventKey.endsWith("2026-07-13"))).toHaveLength(managers);

    // Delivered as the picture with the breach list as its caption.
    const row = week.find((r) => r.userId === w.users.manager.id)!;
    w.clock.set(at(7, 7, 9), { frozen: true });
    const p = await createOutboxHooks(h.app).prepare(row as never);
    w.clock.set(NOW, { frozen: true });
    expect("rendered" in p).toBe(true);
    if (!("rendered" in p)) return;
    expect(isPng(p.rendered.photo!)).toBe(true);
    expect(p.rendered.text.length).toBeLessThanOrEqual(1024);
    expect(p.rendered.text).toContain(ru("dashboard:bot.weekly.title"));
  });

  it("a staff member chooses the morning digest in the bot: written on working days at their hour, pushes held", async () => {
    const screen = await h.user(reviewer).send("/digest");
    expect(h.user(reviewer).texts(screen).join("\n")).toContain("Сейчас: выключена");
    await h.user(reviewer).press(cb("db.g", ["on", 9]));
    expect(await w.app.dashboard.staffDigest(w.users.reviewer.id)).toEqual({ enabled: true, hour: 9 });
    await h.user(reviewer).press(cb("db.g", ["on", 8]));
    expect(await w.app.dashboard.staffDigest(w.users.reviewer.id)).toEqual({ enabled: true, hour: 8 });
    const mine = async () => (await rows("digest_staff")).filter((r) => r.userId === w.users.reviewer.id);
    await w.app.dashboard.writeDue(at(7, 6, 9)); // the holiday
    await w.app.dashboard.writeDue(at(7, 11, 9)); // Saturday
    await w.app.dashboard.writeDue(at(7, 8, 7, 59));
    expect(await mine()).toHaveLength(0);
    await w.app.dashboard.writeDue(at(7, 8, 8));
    await w.app.dashboard.writeDue(at(7, 8, 11));
    const r = await mine();
    expect(r).toHaveLength(1);
    expect(r[0]!.eventKey).toBe(`digest:u:${w.users.reviewer.id}:2026-07-08`);
    const p = await createOutboxHooks(h.app).prepare(r[0] as never);
    if (!("rendered" in p)) throw new Error(JSON.stringify(p));
    expect(p.rendered.text).toContain(ru("dashboard:bot.morning.title"));
    expect(p.rendered.text).toContain("⚠️ На рассмотрении с 01.07, просрочено на 1 рабочий день");
    expect(p.rendered.text).toContain("На рассмотрении с 07.07, осталось 2 рабочих дня");
    // A push about one item to the subscriber is held back (it is in the digest).
    const push = {
      id: 1n,
      kind: "returned_for_review",
      payload: {},
      chatId: BigInt(reviewer),
      userId: w.users.reviewer.id,
      applicationId: ids.A2!,
      stageKey: null,
      stageAt: null,
      attempts: 0,
    };
    expect(await createOutboxHooks(h.app).prepare(push as never)).toEqual({ skip: "in the morning digest" });
    // An empty queue sends nothing (the checker has nothing sent to them).
    await w.app.dashboard.setStaffDigest({
      memberships: await w.app.dashboard.memberships(w.users.checker.id),
      userId: w.users.checker.id,
      enabled: true,
      hour: 9,
    });
    await w.app.dashboard.writeDue(at(7, 8, 9));
    const empty = (await rows("digest_staff")).find((x) => x.userId === w.users.checker.id)!;
    expect(await createOutboxHooks(h.app).prepare(empty as never)).toEqual({ skip: "empty queue" });
    const bad = await h.user(reviewer).press("db.g:on:23");
    expect(bad.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("common:errors.stale_button"),
    );
    const none = await h.user(supplier).send("/digest");
    expect(h.user(supplier).texts(none)).toContain(ru("dashboard:bot.staff_only"));
  });

  it("a manager moves the branch's weekly digest in the bot (audited); it then comes on that day", async () => {
    const screen = await h.user(manager).send("/deadlines");
    expect(h.user(manager).texts(screen).join("\n")).toContain(
      "Еженедельная сводка руководителю:</b> понедельник, 09:00 (время Астаны), включена",
    );
    const wed = cb("db.w", [BRANCH, 3, 600, "on"]);
    expect(
      h
        .user(manager)
        .buttons()
        .map((b) => b.data),
    ).toContain(cb("db.w", [BRANCH, 3, 540, "on"]));
    const r = await h.user(manager).press(wed);
    expect(r.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("среда, 10:00");
    expect(await w.app.dashboard.branchDigest(BRANCH)).toEqual({ weekday: 3, minute: 600, enabled: true });
    const audit = await w.prisma.settingChange.findFirst({
      where: { branchId: BRANCH, key: "branch_digest" },
    });
    expect(audit).toMatchObject({
      actorId: w.users.manager.id,
      oldValue: { weekday: 1, minute: 540, enabled: true },
      newValue: { weekday: 3, minute: 600, enabled: true },
    });
    const week = async () =>
      (await rows("digest_branch")).filter((x) => x.eventKey === `digest:b:${BRANCH}:2026-07-20`);
    for (const t of [at(7, 20, 9), at(7, 22, 9, 59)]) await w.app.dashboard.writeDue(t);
    expect(await week()).toHaveLength(0);
    await w.app.dashboard.writeDue(at(7, 22, 10));
    expect((await week()).length).toBeGreaterThan(0);
    const denied = await h.user(approver).press(cb("db.w", [BRANCH, 1, 540, "off"]));
    expect(denied.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      kk("dashboard:bot.manager_only"),
    );
    const bad = await h.user(manager).press(`db.w:${BRANCH}:6:540:on`);
    expect(bad.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("common:errors.stale_button"),
    );
  });

  it("the outbox worker sends the weekly digest as a photo, once", async () => {
    const row = (await rows("digest_branch")).find(
      (x) => x.userId === w.users.manager.id && x.eventKey.endsWith("2026-07-13"),
    )!;
    // only this row is left to deliver
    await w.prisma.outbox.updateMany({ where: { id: { not: row.id } }, data: { status: "SENT" } });
    await w.prisma.outbox.update({
      where: { id: row.id },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    const seen: { method: string; body: number }[] = [];
    const api = new Api("123:TEST", {
      apiRoot: "http://telegram.test",
      fetch: (async (url: string, init?: { body?: unknown }) => {
        const method = String(url).split("/").pop()!;
        let size = 0;
        const b = init?.body as AsyncIterable<Uint8Array> | undefined;
        if (b && typeof (b as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function")
          for await (const c of b) size += c.length;
        seen.push({ method, body: size });
        const result = { message_id: 77, date: 0, chat: { id: manager, type: "private" } };
        return new Response(JSON.stringify({ ok: true, result }), {
          headers: { "content-type": "application/json" },
        });
      }) as never,
    });
    const deps = outboxWorkerDeps({
      prisma: w.prisma,
      app: h.app,
      config: h.config,
      logger: pino({ level: "silent" }),
    });
    const first = await deliverOnce(deps, api, { workerId: "T" });
    expect(first.sent).toBe(1);
    expect(seen.map((x) => x.method)).toEqual(["sendPhoto"]);
    expect(seen[0]!.body).toBeGreaterThan(10_000);
    const again = await deliverOnce(deps, api, { workerId: "T" });
    expect(again.claimed).toBe(0);
    expect((await w.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).messageId).toBe(77);
  });
});
