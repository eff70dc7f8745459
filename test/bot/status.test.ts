// «Мои заявки»: the organisation's applications with status and date (paginated), the history from
// AuditEvent (who, when, action, reasons) and «Просмотр версий», in both languages.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/callbacks.ts";
import { PAGE_SIZE } from "../../bot/features/status.ts";
import { translator } from "../../bot/i18n.ts";
import { STATUSES } from "../../domain/types.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
let orgId: string;
let adminId: string;
let reviewerId: string;
const ids: string[] = [];
let chainV1: string;
let chainV2: string;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
  orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: "150340003212" } })).id;
  adminId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100008n } })).id;
  reviewerId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100003n } })).id;
  const regions = ["ALMATY", "ASTANA", "SHYMKENT"];
  // 7 applications in different statuses, the newest change first in the list
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
    await db.prisma.application.create({
      data: {
        id,
        chainId: id,
        orgId,
        authorId: adminId,
        regionCode: regions[i % 3]!,
        status: statuses[i]!,
        statusChangedAt: new Date(Date.UTC(2026, 0, 10 + i, 6, 30)),
      },
    });
  }
  // a version chain: v1 «Включен в БД», v2 «Проект»
  chainV1 = randomUUID();
  chainV2 = randomUUID();
  await db.prisma.application.create({
    data: {
      id: chainV1,
      chainId: chainV1,
      orgId,
      authorId: adminId,
      regionCode: "ALMATY",
      status: "INCLUDED",
      statusChangedAt: new Date(Date.UTC(2025, 5, 1)),
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
      regionCode: "ALMATY",
      status: "DRAFT",
      statusChangedAt: new Date(Date.UTC(2025, 5, 2)),
    },
  });
  const ground = await db.prisma.rejectionGround.findFirstOrThrow();
  await db.prisma.auditEvent.createMany({
    data: [
      {
        applicationId: ids[4]!,
        chainId: ids[4]!,
        actorId: adminId,
        action: "CREATE",
        toStatus: "DRAFT",
        at: new Date(Date.UTC(2026, 0, 1, 5)),
      },
      {
        applicationId: ids[4]!,
        chainId: ids[4]!,
        actorId: reviewerId,
        action: "FORM_REJECTION_NOTICE",
        fromStatus: "UNDER_REVIEW",
        toStatus: "UNDER_REVIEW",
        reasons: [ground.code],
        note: "Нет SES <заключения>",
        at: new Date(Date.UTC(2026, 0, 2, 5)),
      },
      {
        applicationId: ids[4]!,
        chainId: ids[4]!,
        actorId: null,
        action: "APPROVER_APPROVE",
        fromStatus: "REJECTED_APPROVAL",
        toStatus: "REJECTED",
        at: new Date(Date.UTC(2026, 0, 3, 5)),
      },
    ],
  });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const limitsOk = () => expect(telegramLimitViolations(h.calls)).toEqual([]);

describe("my applications", () => {
  it("lists the organisation's applications with status labels and dates, paginated", async () => {
    const u = h.user(100008);
    const out = await u.send("/applications");
    const text = u.texts(out)[0]!;
    expect(text).toContain("Мои заявки</b>: 9 заявок");
    expect(text).toContain("Страница 1 из 2");
    expect(text).toContain("Статус: «Изменена»"); // newest change first
    expect(text).toContain("Изменён: 16.01.2026 11:30"); // Kazakhstan time
    expect(u.buttons().filter((b) => b.data?.startsWith("st.v:"))).toHaveLength(PAGE_SIZE);
    const next = u.buttons().find((b) => b.data === "st.l:1");
    expect(next?.text).toBe("Далее ›");
    const page2 = await u.press("st.l:1");
    const t2 = u.texts(page2)[0]!;
    expect(t2).toContain("Страница 2 из 2");
    expect(t2).toContain("Включен в БД");
    expect(page2.some((c) => c.method === "editMessageText")).toBe(true);
    limitsOk();
  });

  it("shows the list in Kazakh for the head", async () => {
    const u = h.user(100009);
    const out = await u.send("/applications");
    const text = u.texts(out)[0]!;
    expect(text).toContain("Менің өтінімдерім</b>: 9 өтінім");
    expect(text).toContain("Мәртебесі: «Өзгертілді»");
    limitsOk();
  });

  it("shows the history timeline: who, when, action, status change, reasons and note (escaped)", async () => {
    const u = h.user(100008);
    const out = await u.press(cb("st.v", [ids[4]!]));
    const text = u.texts(out).join("\n");
    expect(text).toContain("Статус: «Отклонена»");
    expect(text).toContain("Создание заявки");
    expect(text).toContain("Кто: Марат Тұрсынов");
    expect(text).toContain("Сформировано уведомление об отклонении");
    expect(text).toContain("Кто: Динара Қасымова");
    expect(text).toContain("Основания:");
    expect(text).toContain("Нет SES &lt;заключения&gt;");
    expect(text).toContain("«Отклонена. На согласовании» → «Отклонена»");
    expect(text).toContain("Кто: Система");
    limitsOk();
  });

  it("lists the versions of a chain and opens one", async () => {
    const u = h.user(100008);
    const detail = await u.press(cb("st.v", [chainV2]));
    expect(u.buttons(detail.find((c) => c.payload.reply_markup)).map((b) => b.text)).toContain(
      "Просмотр версий",
    );
    const out = await u.press(cb("st.ver", [chainV2]));
    const text = u.texts(out)[0]!;
    expect(text).toContain("Версия 2 – «Проект»");
    expect(text).toContain("Версия 1 – «Включен в БД»");
    const v1 = await u.press(cb("st.v", [chainV1]));
    expect(u.texts(v1).join("\n")).toContain("Статус: «Включен в БД»");
    limitsOk();
  });

  it("refuses another organisation's application and a user without an organisation", async () => {
    const other = h.user(100001); // polyclinic admin
    const out = await other.press(cb("st.v", [ids[0]!]));
    expect(out.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Заявка не найдена или недоступна.",
    );
    const staff = h.user(100004); // checker, kk, no organisation
    const o2 = await staff.send("/applications");
    expect(staff.texts(o2)[0]).toContain("өнім беруші ұйымның пайдаланушыларына");
    limitsOk();
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
