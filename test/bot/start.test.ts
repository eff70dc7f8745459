// Onboarding by one-time invite deep link: org roles and Fund staff, in both languages; used/expired/unknown codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
let polyclinic: { id: string; bin: string; nameRu: string; nameKk: string };
let seq = 0;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
  polyclinic = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: "100140001231" } });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const limitsOk = () => expect(telegramLimitViolations(h.calls)).toEqual([]);

async function invite(data: {
  org?: boolean;
  branchId?: string;
  orgRoles?: ("SUPPLIER" | "ORG_ADMIN" | "HEAD" | "HEAD_ATTORNEY")[];
  staffRoles?: ("REVIEWER" | "CHECKER" | "APPROVER" | "MANAGER")[];
  fullName?: string;
  expiresInMs?: number;
}) {
  const code = `inv${Date.now().toString(36)}${seq++}`;
  await db.prisma.invite.create({
    data: {
      code,
      orgId: data.org ? polyclinic.id : null,
      branchId: data.branchId ?? null,
      orgRoles: data.orgRoles ?? [],
      staffRoles: data.staffRoles ?? [],
      fullName: data.fullName ?? null,
      expiresAt: new Date(Date.now() + (data.expiresInMs ?? 86400_000)),
    },
  });
  return code;
}

describe("invite deep link", () => {
  it("onboards a supplier admin: language first, then organisation with checked BIN, roles, full name, menu", async () => {
    const code = await invite({ org: true, orgRoles: ["SUPPLIER", "ORG_ADMIN"] });
    const u = h.user(710001);
    const first = await u.send(`/start ${code}`);
    expect(u.texts(first)).toEqual(["Выберите язык / Тілді таңдаңыз"]);
    const out = await u.press("lang:ru");
    const text = u.texts(out).join("\n");
    expect(text).toContain("Приглашение принято.");
    expect(text).toContain(polyclinic.nameRu);
    expect(text).toContain("БИН/ИИН: 100140001231");
    expect(text).toContain("БИН/ИИН проверен");
    expect(text).toContain("Поставщик, Администратор организации");
    expect(text).toContain("фамилию, имя и отчество");
    // a sticker where the name is expected
    expect(u.texts(await u.sendSticker())[0]).toBe("Пожалуйста, отправьте ФИО текстом.");
    expect(u.texts(await u.send("x"))[0]).toContain("Не похоже на ФИО");
    const saved = await u.send("Иванова Мария Петровна");
    expect(u.texts(saved)[0]).toBe("Спасибо, Иванова Мария Петровна! Данные сохранены.");
    expect(u.buttons().map((b) => b.text)).toContain("Мои электронные лицензии");
    const user = await db.prisma.user.findUniqueOrThrow({
      where: { telegramId: 710001n },
      include: { orgRoles: true },
    });
    expect(user.fullName).toBe("Иванова Мария Петровна");
    expect(user.orgRoles.map((r) => r.role).sort()).toEqual(["ORG_ADMIN", "SUPPLIER"]);
    const inv = await db.prisma.invite.findUniqueOrThrow({ where: { code } });
    expect(inv.usedByUserId).toBe(user.id);
    limitsOk();
  });

  it("onboards Fund staff in Kazakh with the branch and the name from the invite", async () => {
    const code = await invite({
      branchId: "BR-ASTANA",
      staffRoles: ["REVIEWER", "CHECKER"],
      fullName: "Асқар Бекұлы",
    });
    const u = h.user(710002);
    await u.send("/start");
    await u.press("lang:kk");
    const out = await u.send(`/start ${code}`);
    const text = u.texts(out).join("\n");
    expect(text).toContain("Шақыру қабылданды.");
    expect(text).toContain("Қор филиалы:");
    expect(text).toContain("ДҚ өтінімдерін қараушы, ДҚ өтінімдерін тексеруші");
    expect(text).toContain("Басты мәзір");
    expect(u.buttons().map((b) => b.text)).toContain("Өтінімдер кезегі");
    const roles = await db.prisma.staffMembership.findMany({
      where: { user: { telegramId: 710002n } },
    });
    expect(roles.map((r) => r.role).sort()).toEqual(["CHECKER", "REVIEWER"]);
    limitsOk();
  });

  it("refuses a used invite, also to a second person, and grants nothing", async () => {
    const code = await invite({ org: true, orgRoles: ["HEAD"], fullName: "Первый Руководитель" });
    const a = h.user(710003);
    await a.send("/start");
    await a.press("lang:ru");
    await a.send(`/start ${code}`);
    const b = h.user(710004);
    await b.send("/start");
    await b.press("lang:kk");
    const out = await b.send(`/start ${code}`);
    expect(u0(b.texts(out))).toContain("Бұл шақыру бұрын пайдаланылған");
    const again = await a.send(`/start ${code}`);
    expect(u0(a.texts(again))).toContain("Это приглашение уже использовано");
    expect(await db.prisma.orgMembership.count({ where: { user: { telegramId: 710004n } } })).toBe(0);
    limitsOk();
  });

  it("refuses an expired or unknown invite with a clear message", async () => {
    const code = await invite({ org: true, orgRoles: ["SUPPLIER"], expiresInMs: -1000 });
    const u = h.user(710005);
    await u.send("/start");
    await u.press("lang:ru");
    expect(u0(u.texts(await u.send(`/start ${code}`)))).toContain("Срок действия приглашения истёк");
    expect(u0(u.texts(await u.send("/start nosuchcode123")))).toContain("Приглашение не найдено");
    expect(u0(u.texts(await u.send("/start <b>&")))).toContain("Приглашение не найдено");
    expect(await db.prisma.orgMembership.count({ where: { user: { telegramId: 710005n } } })).toBe(0);
    limitsOk();
  });

  it("redeems an invite exactly once when two people use it at the same moment", async () => {
    const code = await invite({ org: true, orgRoles: ["SUPPLIER"], fullName: "Кто Первый" });
    const x = h.user(710006);
    const y = h.user(710007);
    for (const u of [x, y]) {
      await u.send("/start");
      await u.press("lang:ru");
    }
    await Promise.all([x.send(`/start ${code}`), y.send(`/start ${code}`)]);
    const members = await db.prisma.orgMembership.count({
      where: { user: { telegramId: { in: [710006n, 710007n] } } },
    });
    expect(members).toBe(1);
    limitsOk();
  });
});

describe("the full-name prompt (conversations/prompts.ts)", () => {
  it("in Kazakh: refuses a file and a one-word name, «Болдырмау» leaves it without saving, /start asks again", async () => {
    const code = await invite({ org: true, orgRoles: ["SUPPLIER"] });
    const u = h.user(710030);
    await u.send("/start");
    await u.press("lang:kk");
    const asked = await u.send(`/start ${code}`);
    expect(u.texts(asked).join("\n")).toContain("Тегіңізді, атыңызды және әкеңіздің атын");
    expect(u.buttons().map((b) => b.text)).toEqual(["Болдырмау"]);
    const file = await u.sendDocument({ fileName: "name.pdf", mimeType: "application/pdf", bytes: 100 });
    expect(u.texts(file)).toEqual(["Аты-жөніңізді мәтінмен жіберіңіз."]);
    expect(u.texts(await u.send("Айгерім"))[0]).toContain("Бұл аты-жөнге ұқсамайды");
    const later = await u.press("nm.x");
    expect(u.texts(later)[0]).toBe("Аты-жөніңізді кейінірек көрсетуге болады: /start ашыңыз.");
    expect(u.texts(later).join("\n")).toContain("Басты мәзір");
    expect(u.texts(await u.send("Сапарова Айгерім"))[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 710030n } })).fullName).toBeNull();
    // /start asks again; a command in the middle leaves the prompt and runs
    await u.send("/start");
    const menu = await u.send("/menu");
    expect(u.texts(menu).join("\n")).toContain("Басты мәзір");
    await u.send("/start");
    const saved = await u.send("  Сапарова   Айгерім  Нұрланқызы ");
    expect(u.texts(saved)[0]).toBe("Рақмет, Сапарова Айгерім Нұрланқызы! Деректер сақталды.");
    expect((await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 710030n } })).fullName).toBe(
      "Сапарова Айгерім Нұрланқызы",
    );
    limitsOk();
  });

  it("a restart while the name is asked: a new bot on the same Redis prefix and database takes the answer", async () => {
    const prefix = `t${process.pid}_namerestart_${Date.now().toString(36)}:`;
    const code = await invite({ org: true, orgRoles: ["SUPPLIER"] });
    const first = await createHarness({ prisma: db.prisma, env: { REDIS_PREFIX: prefix } });
    const second = await createHarness({ prisma: db.prisma, env: { REDIS_PREFIX: prefix } });
    try {
      await first.user(710031).send(`/start ${code}`);
      await first.user(710031).press("lang:ru");
      await first.close();
      const u = second.user(710031);
      expect(u.texts(await u.sendSticker())).toEqual(["Пожалуйста, отправьте ФИО текстом."]);
      const saved = await u.send("Петров Пётр Петрович");
      expect(u.texts(saved)[0]).toBe("Спасибо, Петров Пётр Петрович! Данные сохранены.");
      expect((await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 710031n } })).fullName).toBe(
        "Петров Пётр Петрович",
      );
      expect(telegramLimitViolations([...first.calls, ...second.calls])).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

const u0 = (xs: string[]) => xs[0] ?? "";

describe("npm run invite", () => {
  it("validates its arguments", async () => {
    const { parseInviteArgs } = await import("../../scripts/invite.ts");
    expect(parseInviteArgs(["--bin", "100140001231", "--role", "supplier,ORG_ADMIN"]).roles).toEqual([
      "SUPPLIER",
      "ORG_ADMIN",
    ]);
    expect(() => parseInviteArgs(["--bin", "100140001232", "--role", "HEAD"])).toThrow(/not a valid BIN/);
    expect(() => parseInviteArgs(["--bin", "100140001231", "--role", "REVIEWER"])).toThrow(
      /not organisation roles/,
    );
    expect(() => parseInviteArgs(["--branch", "BR-ASTANA", "--role", "HEAD"])).toThrow(
      /not Fund staff roles/,
    );
    expect(() => parseInviteArgs(["--role", "HEAD"])).toThrow(/exactly one of/);
  });

  it("prints a deep link whose code onboards the person once", async () => {
    const { issueInvite, parseInviteArgs } = await import("../../scripts/invite.ts");
    const r = await issueInvite(
      db.prisma,
      parseInviteArgs(["--branch", "BR-ASTANA", "--role", "APPROVER", "--name", "Тест Согласующий"]),
      "fsms_register_test_bot",
    );
    expect(r.link).toMatch(/^https:\/\/t\.me\/fsms_register_test_bot\?start=[A-Za-z0-9_-]{16}$/);
    const u = h.user(710020);
    await u.send("/start");
    await u.press("lang:ru");
    const out = await u.send(`/start ${r.code}`);
    expect(u.texts(out).join("\n")).toContain("Согласующий заявки БД");
    expect(u.buttons().map((b) => b.text)).toContain("Очередь заявок");
    limitsOk();
  });
});
