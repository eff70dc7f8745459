// «Мои заявки» through bot.handleUpdate, in kk and ru: the list (paged, newest change first, Astana time), the
// seed's search filter («Найти» / «Сбросить параметры поиска»: status, region, period, number), «Просмотр» with
// the whole application read-only, its collapsed history and the actions the table allows, «Просмотр версий»
// opening that version; unsaved drafts only for their author; the status check in 2 database round trips.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { STATUSES } from "../../domain/types.ts";
import { createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { pressVerb } from "../helpers/e2e.ts";

let db: TestDb;
let h: Harness;
let orgId: string;
let adminId: string;
let reviewerId: string;
const ids: string[] = [];
let chainV1: string;
let chainV2: string;
let unsaved: string;
const ADMIN = 100008; // «Диагностический центр Шипагер», supplier + admin (ru)
const HEAD = 100009; // its head (kk)
const SECOND_ADMIN = 790201;

const ru = translator("ru");
/** An application's number: its chain's (the first version's id here). */
const no = (chainId: string) => chainId.slice(0, 8).toUpperCase();

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
  orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: "150340003212" } })).id;
  adminId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(ADMIN) } })).id;
  reviewerId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100003n } })).id;
  const second = await db.prisma.user.create({
    data: { telegramId: BigInt(SECOND_ADMIN), fullName: "Арман Екінші", language: "ru" },
  });
  await db.prisma.orgMembership.createMany({
    data: [
      { userId: second.id, orgId, role: "SUPPLIER" },
      { userId: second.id, orgId, role: "ORG_ADMIN" },
    ],
  });
  // open applications in distinct regions (DECISIONS 8, enforced by the database)
  const regions = ["ALMATY", "ASTANA", "SHYMKENT", "AKMOLA", "ALMATY", "ASTANA", "SHYMKENT"];
  // 7 saved applications in different statuses; the newest change first in the list
  const statuses = [
    "DRAFT",
    "HEAD_APPROVAL",
    "UNDER_REVIEW",
    "AGREED_CHECK",
    "REJECTED",
    "EXCLUDED",
    "CHANGED",
  ] as const;
  for (let i = 0; i < statuses.length; i++) {
    const id = randomUUID();
    ids.push(id);
    const at = new Date(Date.UTC(2026, 0, 10 + i, 6, 30));
    await db.prisma.application.create({
      data: {
        id,
        chainId: id,
        orgId,
        authorId: adminId,
        regionCode: regions[i]!,
        status: statuses[i]!,
        savedAt: at,
        createdAt: at,
        statusChangedAt: at,
        asSupplier: true,
        supplierSubtypes: ["DIAG_CT_MRI"],
      },
    });
  }
  // a version chain: v1 «Включен в БД», v2 «Проект»
  chainV1 = randomUUID();
  chainV2 = randomUUID();
  const v1At = new Date(Date.UTC(2025, 5, 1));
  await db.prisma.application.create({
    data: {
      id: chainV1,
      chainId: chainV1,
      orgId,
      authorId: adminId,
      regionCode: "KARAGANDA",
      status: "INCLUDED",
      savedAt: v1At,
      createdAt: v1At,
      statusChangedAt: v1At,
    },
  });
  await db.prisma.application.create({
    data: {
      id: chainV2,
      chainId: chainV1,
      versionNo: 2,
      previousId: chainV1,
      orgId,
      authorId: adminId,
      regionCode: "KARAGANDA",
      status: "DRAFT",
      savedAt: new Date(Date.UTC(2025, 5, 2)),
      createdAt: new Date(Date.UTC(2025, 5, 2)),
      statusChangedAt: new Date(Date.UTC(2025, 5, 2)),
      asCoExecutor: true,
      coExecutorSubtypes: ["DIAG_PET"],
    },
  });
  // an unsaved draft of the second admin (DECISIONS 28: theirs alone)
  unsaved = randomUUID();
  await db.prisma.application.create({
    data: {
      id: unsaved,
      chainId: unsaved,
      orgId,
      authorId: second.id,
      regionCode: "ASTANA",
      status: "DRAFT",
      statusChangedAt: new Date(Date.UTC(2026, 1, 1)),
    },
  });
  const ground = await db.prisma.rejectionGround.findFirstOrThrow({ orderBy: { sort: "asc" } });
  const rejected = ids[4]!;
  await db.prisma.auditEvent.createMany({
    data: [
      {
        applicationId: rejected,
        chainId: rejected,
        actorId: adminId,
        action: "CREATE",
        toStatus: "DRAFT",
        reasons: [],
        at: new Date(Date.UTC(2026, 0, 1, 5)),
      },
      {
        applicationId: rejected,
        chainId: rejected,
        actorId: adminId,
        action: "EDIT",
        fromStatus: "DRAFT",
        toStatus: "DRAFT",
        changes: { fields: ["regionCode"] },
        reasons: [],
        at: new Date(Date.UTC(2026, 0, 1, 5, 1)),
      },
      {
        applicationId: rejected,
        chainId: rejected,
        actorId: adminId,
        action: "EDIT",
        fromStatus: "DRAFT",
        toStatus: "DRAFT",
        changes: { fields: ["supplierSubtypes"] },
        reasons: [],
        at: new Date(Date.UTC(2026, 0, 1, 5, 2)),
      },
      {
        applicationId: rejected,
        chainId: rejected,
        actorId: reviewerId,
        action: "FORM_REJECTION_NOTICE",
        fromStatus: "UNDER_REVIEW",
        toStatus: "UNDER_REVIEW",
        reasons: [ground.code],
        note: "Нет SES <заключения>",
        at: new Date(Date.UTC(2026, 0, 2, 5)),
      },
      {
        applicationId: rejected,
        chainId: rejected,
        actorId: null,
        action: "APPROVER_APPROVE",
        fromStatus: "REJECTED_APPROVAL",
        toStatus: "REJECTED",
        reasons: [],
        at: new Date(Date.UTC(2026, 0, 3, 5)),
      },
    ],
  });
});
afterAll(() => endBotTest([h], db));

describe("«Мои заявки»: the list", () => {
  it("lists the organisation's applications with number, status label and Astana time, paged (ru)", async () => {
    const u = h.user(ADMIN);
    const out = await u.send("/applications");
    const text = u.texts(out)[0]!;
    expect(text).toContain("<b>Мои заявки</b>: 9 заявок");
    expect(text).toContain("Страница 1 из 2");
    expect(text).toContain(`1. № ${no(ids[6]!)} · ТОО «Диагностический центр Шипагер»`);
    expect(text).toContain("Статус: «Изменена»"); // newest change first
    expect(text).toContain("Изменён: 16.01.2026 11:30"); // Astana time
    expect(text).not.toContain(no(unsaved)); // another admin's unsaved draft
    expect(u.buttons().filter((b) => b.data?.startsWith("my.v:"))).toHaveLength(5);
    const next = u.buttons().find((b) => b.data === "my.l:1");
    expect(next?.text).toBe("Далее ›");
    const page2 = await u.press("my.l:1");
    const t2 = u.texts(page2)[0]!;
    expect(t2).toContain("Страница 2 из 2");
    expect(t2).toContain("Включен в БД");
    expect(page2.some((c) => c.method === "editMessageText")).toBe(true);
  });

  it("shows the list in Kazakh for the head", async () => {
    const u = h.user(HEAD);
    const text = u.texts(await u.send("/applications"))[0]!;
    expect(text).toContain("<b>Менің өтінімдерім</b>: 9 өтінім");
    expect(text).toContain("Мәртебесі: «Өзгертілді»");
    expect(text).toContain("«Шипагер диагностикалық орталығы» ЖШС");
  });

  it("shows an unsaved draft to its author only, marked so", async () => {
    const author = h.user(SECOND_ADMIN);
    const text = author.texts(await author.send("/applications"))[0]!;
    expect(text).toContain("10 заявок");
    expect(text).toContain(`№ ${no(unsaved)}`);
    expect(text).toContain("не сохранена, видна только вам");
    const other = h.user(ADMIN);
    expect(
      (await other.press(cb("my.v", [unsaved]))).find((c) => c.method === "answerCallbackQuery")?.payload
        .text,
    ).toBe(ru("applications:not_found"));
  });

  it("costs two database round trips: the user read and one list statement", async () => {
    const counting = new PrismaClient({
      adapter: new PrismaPg({ connectionString: db.url }),
      log: [{ emit: "event", level: "query" }],
    });
    let queries = 0;
    counting.$on("query", () => {
      queries++;
    });
    const hc = await createHarness({ prisma: counting });
    try {
      const u = hc.user(ADMIN);
      await u.send("/applications"); // warm: the reference lists are loaded once per process
      queries = 0;
      const out = await u.send("/applications");
      expect(u.texts(out)[0]).toContain("9 заявок");
      expect(queries).toBe(2);
      queries = 0;
      await u.press("my.l:1");
      expect(queries).toBe(2);
    } finally {
      await endBotTest([hc], undefined);
      await counting.$disconnect();
    }
  });
});

describe("«Мои заявки»: the search filter", () => {
  it("finds by status, region and period with buttons, by a typed number, and resets (ru)", async () => {
    const u = h.user(ADMIN);
    await u.send("/applications");
    const filter = await pressVerb(u, "my.f");
    expect(u.texts(filter)[0]).toContain("Фильтр поиска заявок");
    expect(u.buttons().map((b) => b.text)).toEqual([
      "Статус: любой",
      "Регион: любой",
      "Этот месяц",
      "Последние 3 месяца",
      "Этот год",
      "Номер заявки: любой",
      "Найти",
      "Сбросить параметры поиска",
      "« Назад к списку заявок",
    ]);
    await pressVerb(u, "my.fs");
    expect(u.buttons()).toHaveLength(12);
    await u.press("my.fs:DRAFT");
    const found = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(found).toContain("<b>Мои заявки</b>: 2 заявки");
    expect(found).toContain("Параметры поиска: Статус: «Проект»");
    expect(found).toContain(no(ids[0]!));
    expect(found).toContain(no(chainV1)); // the number of a chain: the same for every version
    // + region: Almaty
    await pressVerb(u, "my.f");
    await pressVerb(u, "my.fr");
    await u.press("my.fr:ALMATY");
    const both = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(both).toContain("1 заявка");
    expect(both).toContain(no(ids[0]!));
    expect(both).toContain("Регион: г. Алматы");
    // a typed number instead (the status and region kept)
    await pressVerb(u, "my.f");
    await pressVerb(u, "my.fr");
    await u.press("my.fr:x");
    await pressVerb(u, "my.fs");
    await u.press("my.fs:x");
    await pressVerb(u, "my.fn");
    expect(u.texts(await u.send("№ zz"))[0]).toBe(ru("errors:app_number_invalid"));
    const typed = await u.send(`№ ${no(ids[3]!)}`);
    expect(u.texts(typed)[0]).toContain(`Номер заявки: ${no(ids[3]!)}`);
    const one = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(one).toContain("1 заявка");
    expect(one).toContain("Статус: «Согласована. На проверке»");
    // a period with nothing in it: a clear message and the reset
    await pressVerb(u, "my.f");
    await u.press("my.fp:month");
    const none = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(none).toContain("По заданным параметрам поиска заявок не найдено.");
    const reset = u.texts(await pressVerb(u, "my.fx"))[0]!;
    expect(reset).toContain("9 заявок");
    expect(reset).not.toContain("Параметры поиска");
  });
});

describe("«Мои заявки»: «Просмотр» and «Просмотр версий»", () => {
  it("shows the whole application read-only with its history collapsed: who, when, action, reasons, note (escaped)", async () => {
    const u = h.user(ADMIN);
    const text = u.texts(await u.press(cb("my.v", [ids[4]!]))).join("\n");
    expect(text).toContain(`Заявка № ${no(ids[4]!)}, версия 1`);
    expect(text).toContain("Статус: «Отклонена»");
    expect(text).toContain("Автор заявки: Марат Тұрсынов");
    expect(text).toContain("<b>Субъект здравоохранения</b>");
    expect(text).toContain("Наименование на государственном языке: «Шипагер диагностикалық орталығы» ЖШС");
    expect(text).toContain(
      "Вид / Форма медицинской помощи (Поставщик): Дорогостоящие виды диагностических исследований",
    );
    expect(text).toContain("<b>Юридический адрес</b>");
    expect(text).toContain("Улица: улица Толе би");
    expect(text).toContain("<b>История заявки</b>");
    expect(text).toContain("Марат Тұрсынов: создание");
    // two consecutive edits by one person: one line with both fields
    expect(text.match(/Марат Тұрсынов: редактирование/g)).toHaveLength(1);
    expect(text).toContain("Динара Қасымова: уведомление об отклонении");
    expect(text).toContain("основания:");
    expect(text).toContain("Нет SES &lt;заключения&gt;");
    expect(text).toContain("система: согласование, «Отклонена. На согласовании» → «Отклонена»");
    expect(u.buttons().map((b) => b.text)).toContain("« Назад к списку заявок");
  });

  it("offers the actions the table allows the person now (a saved draft: its author's buttons)", async () => {
    const u = h.user(ADMIN);
    await u.press(cb("my.v", [ids[0]!]));
    const labels = u.buttons().map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(["📄 Сформировать заявку о включении", "🗑 Удалить"]));
    const included = h.user(ADMIN);
    await included.press(cb("my.v", [ids[2]!])); // «На рассмотрении»: nothing for the supplier
    expect(included.buttons().map((b) => b.text)).toEqual(["« Назад к списку заявок"]);
  });

  it("lists the versions of a chain and opens that version's content (kk)", async () => {
    const u = h.user(HEAD);
    await u.press(cb("my.v", [chainV2]));
    expect(u.buttons().map((b) => b.text)).toContain("Нұсқаларды қарау");
    const out = await u.press(cb("my.ver", [chainV2]));
    const text = u.texts(out)[0]!;
    expect(text).toContain("2-нұсқа – «Жоба»");
    expect(text).toContain("1-нұсқа – «Дерекқорға енгізілді»");
    const v1 = u.buttons().find((b) => b.text === "1-нұсқаны ашу")!;
    const content = u.texts(await u.press(v1.data!)).join("\n");
    expect(content).toContain(`№ ${no(chainV1)} өтінім, 1-нұсқа`);
    expect(content).toContain("Мәртебесі: «Дерекқорға енгізілді»");
  });

  it("refuses another organisation's application and a user without an organisation", async () => {
    const other = h.user(100001); // the polyclinic's admin
    const out = await other.press(cb("my.v", [ids[0]!]));
    expect(out.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("applications:not_found"),
    );
    const versions = await other.press(cb("my.ver", [chainV2]));
    expect(versions.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      ru("applications:not_found"),
    );
    const staff = h.user(100004); // a checker (kk), no organisation
    expect(staff.texts(await staff.send("/applications"))[0]).toContain(
      "өнім беруші ұйымның пайдаланушыларына",
    );
  });

  it("has a kk and ru label for all 11 statuses", () => {
    for (const lang of ["kk", "ru"] as const) {
      const t = translator(lang);
      const labels = STATUSES.map((s) => t(`status:labels.${s}`));
      expect(new Set(labels).size).toBe(11);
      expect(labels.every((l, i) => l !== `labels.${STATUSES[i]}`)).toBe(true);
    }
    expect(translator("ru")("status:labels.REJECTED_CHECK")).toBe("Отклонена. На проверке");
    expect(translator("kk")("status:labels.UNDER_REVIEW")).toBe("Қарауда");
  });
});
