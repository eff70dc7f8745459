// The bot core: language choice, /language, /menu per role, /cancel, /help, commands, error handling, fallback.
import { GrammyError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError } from "../../bot/createBot.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const limitsOk = () => expect(telegramLimitViolations(h.calls)).toEqual([]);

describe("language", () => {
  it("asks for the language at the first /start and saves the choice", async () => {
    const u = h.user(700001);
    const out = await u.send("/start");
    expect(u.texts(out)).toEqual(["Выберите язык / Тілді таңдаңыз"]);
    expect(u.buttons().map((b) => b.data)).toEqual(["lang:kk", "lang:ru"]);
    const after = await u.press("lang:kk");
    expect(u.texts(after).join("\n")).toContain("Интерфейс тілі: қазақ тілі.");
    expect(u.texts(after).join("\n")).toContain("Сәлеметсіз бе!");
    const user = await db.prisma.user.findUnique({ where: { telegramId: 700001n } });
    expect(user?.language).toBe("kk");
    limitsOk();
  });

  it("keeps asking for the language until one is chosen, whatever is sent", async () => {
    const u = h.user(700002);
    const out = await u.send("привет");
    expect(u.texts(out)).toEqual(["Выберите язык / Тілді таңдаңыз"]);
    const out2 = await u.sendSticker();
    expect(u.texts(out2)).toEqual(["Выберите язык / Тілді таңдаңыз"]);
    limitsOk();
  });

  it("/language switches the language at any time and stores it in User.language", async () => {
    const u = h.user(100001); // demo supplier admin, Russian
    await u.send("/language");
    const out = await u.press("lang:kk");
    expect(u.texts(out)[0]).toBe("Интерфейс тілі: қазақ тілі.");
    expect((await db.prisma.user.findUnique({ where: { telegramId: 100001n } }))?.language).toBe("kk");
    const menu = await u.send("/menu");
    expect(u.texts(menu)[0]).toContain("Басты мәзір");
    await u.press("lang:ru");
    expect((await db.prisma.user.findUnique({ where: { telegramId: 100001n } }))?.language).toBe("ru");
    limitsOk();
  });
});

describe("main menu per role", () => {
  it("shows the supplier admin licences, new application, applications and services", async () => {
    const u = h.user(100001);
    await u.send("/menu");
    const labels = u.buttons().map((b) => b.text);
    expect(labels).toEqual(
      expect.arrayContaining([
        "Мои электронные лицензии",
        "Создать заявку",
        "Мои заявки",
        "Государственные услуги",
      ]),
    );
    expect(labels).not.toContain("Очередь заявок");
    expect(labels).not.toContain("Заявки на подписание");
    limitsOk();
  });

  it("shows the head applications awaiting signature (in Kazakh)", async () => {
    const u = h.user(100002);
    await u.send("/menu");
    const labels = u.buttons().map((b) => b.text);
    expect(labels).toContain("Қол қоюға арналған өтінімдер");
    expect(labels).not.toContain("Өтінім құру");
    limitsOk();
  });

  it("shows Fund staff the queue", async () => {
    const u = h.user(100003);
    await u.send("/menu");
    const labels = u.buttons().map((b) => b.text);
    expect(labels).toContain("Очередь заявок");
    expect(labels).not.toContain("Мои электронные лицензии");
    limitsOk();
  });

  it("tells a user without roles how to get access", async () => {
    const u = h.user(700003);
    await u.send("/start");
    await u.press("lang:ru");
    const out = await u.send("/menu");
    expect(u.texts(out)[0]).toContain("ссылку-приглашение");
    limitsOk();
  });
});

describe("/cancel, /help, /services", () => {
  it("/cancel clears the awaited answer and returns to the menu", async () => {
    const u = h.user(700004);
    await u.send("/start");
    await u.press("lang:ru");
    const code = `cancel${Date.now()}`;
    await db.prisma.invite.create({
      data: {
        code,
        orgRoles: ["SUPPLIER"],
        orgId: (await db.prisma.organisation.findFirstOrThrow()).id,
        expiresAt: new Date(Date.now() + 86400_000),
      },
    });
    const out = await u.send(`/start ${code}`);
    expect(u.texts(out).join("\n")).toContain("фамилию, имя");
    const c = await u.send("/cancel");
    expect(u.texts(c)[0]).toBe("Действие отменено.");
    const after = await u.send("Иванов Иван");
    expect(u.texts(after)[0]).toBe("Пожалуйста, пользуйтесь кнопками меню.");
    limitsOk();
  });

  it("/help lists the commands of the user's roles in the user's language", async () => {
    const kk = h.user(100002);
    const out = await kk.send("/help");
    expect(kk.texts(out)[0]).toContain("Анықтама");
    expect(kk.texts(out)[0]).toContain("/sign");
    const ru = h.user(100001);
    const out2 = await ru.send("/help");
    expect(ru.texts(out2)[0]).toContain("/licences");
    expect(ru.texts(out2)[0]).not.toContain("/queue");
    limitsOk();
  });

  it("/services opens the licensing services guidance, labelled as historical regulations", async () => {
    const u = h.user(100001);
    const out = await u.send("/services");
    expect(u.texts(out)[0]).toContain("утратили силу");
    limitsOk();
  });
});

describe("bad input and errors", () => {
  it("answers a forged or stale button in the user's language", async () => {
    const ru = h.user(100001);
    const out = await ru.press("zz:forged");
    const ans = out.find((c) => c.method === "answerCallbackQuery");
    expect(ans?.payload.text).toBe("Эта кнопка устарела или недоступна. Откройте /menu.");
    const kk = h.user(100002);
    const out2 = await kk.press("hd.s:garbage@x");
    expect(out2.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain(
      "Бұл түйме ескірген",
    );
    limitsOk();
  });

  it("answers a sticker, an unknown command and free text with a clear message", async () => {
    const u = h.user(100001);
    expect(u.texts(await u.sendSticker())[0]).toBe(
      "Такие сообщения бот не обрабатывает. Пользуйтесь кнопками меню.",
    );
    expect(u.texts(await u.send("/nonsense"))[0]).toBe("Такой команды нет. Список команд: /help.");
    expect(u.texts(await u.send("хочу лицензию"))[0]).toBe("Пожалуйста, пользуйтесь кнопками меню.");
    limitsOk();
  });

  it("treats 403 (blocked by the user) as unreachable and harmless 400s as ignorable", () => {
    const blocked = new GrammyError(
      "x",
      { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      "sendMessage",
      {},
    );
    const same = new GrammyError(
      "x",
      { ok: false, error_code: 400, description: "Bad Request: message is not modified" },
      "editMessageText",
      {},
    );
    const other = new GrammyError(
      "x",
      { ok: false, error_code: 400, description: "Bad Request: can't parse entities" },
      "sendMessage",
      {},
    );
    expect(classifyError(blocked)).toBe("blocked");
    expect(classifyError(same)).toBe("harmless");
    expect(classifyError(other)).toBe("other");
    // the database or Redis out of reach: the person is told to try again in a minute
    expect(
      classifyError(
        Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      ),
    ).toBe("unavailable");
    expect(classifyError(new TypeError("x is undefined"))).toBe("other");
  });

  it("does not try to answer a user who blocked the bot", async () => {
    const h2 = await createHarness({
      prisma: db.prisma,
      answer: (method) => (method === "sendMessage" ? undefined : undefined),
    });
    // make every sendMessage fail with 403
    const api = h2.bot.api;
    api.config.use((prev, method, payload, signal) => {
      if (method === "sendMessage") {
        throw new GrammyError(
          "blocked",
          { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
          method,
          payload,
        );
      }
      return prev(method, payload, signal);
    });
    const u = h2.user(100001);
    await expect(u.send("/menu")).resolves.toBeDefined();
    await h2.close();
  });

  it("sets the default menus and descriptions in both languages", async () => {
    const { setDefaultCommands } = await import("../../bot/createBot.ts");
    const m = h.mark();
    await setDefaultCommands(h.bot.api);
    const calls = h.since(m);
    const commands = calls.filter((c) => c.method === "setMyCommands");
    expect(commands.map((c) => c.payload.language_code)).toEqual([undefined, "ru", "kk"]);
    // before a person chose a language and has roles: only what everybody can use
    const names = (commands[0]!.payload.commands as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(["start", "menu", "language", "help", "cancel"]));
    expect(names).not.toContain("queue");
    expect(calls.filter((c) => c.method === "setMyDescription").map((c) => c.payload.language_code)).toEqual([
      undefined,
      "kk",
    ]);
    const kk = calls.find((c) => c.method === "setMyShortDescription" && c.payload.language_code === "kk");
    expect(String(kk?.payload.short_description)).toContain("дерекқор");
  });

  it("sets each chat's command menu for the person's language and roles", async () => {
    const chatMenu = (calls: typeof h.calls, id: number) =>
      calls
        .filter(
          (c) => c.method === "setMyCommands" && (c.payload.scope as { chat_id?: number })?.chat_id === id,
        )
        .at(-1);
    // a reviewer switching to Kazakh: the staff commands, described in Kazakh
    const rev = h.user(100003);
    await rev.send("/language");
    const out = await rev.press("lang:kk");
    const menu = chatMenu(out, 100003);
    const list = menu!.payload.commands as { command: string; description: string }[];
    expect(list.map((c) => c.command)).toContain("queue");
    expect(list.map((c) => c.command)).not.toContain("new");
    expect(list.find((c) => c.command === "help")?.description).toBe("Анықтама");
    await rev.press("lang:ru");
    // a supplier-admin in Russian: the supplier's commands, no /queue
    const sup = h.user(100001);
    await sup.send("/language");
    const out2 = await sup.press("lang:ru");
    const list2 = chatMenu(out2, 100001)!.payload.commands as { command: string; description: string }[];
    expect(list2.map((c) => c.command)).not.toContain("queue");
    expect(list2.map((c) => c.command)).toContain("services");
    expect(list2.find((c) => c.command === "help")?.description).toBe("Справка");
  });
});

describe("callback codec", () => {
  it("packs UUIDs, keeps a version and stays within 64 bytes", async () => {
    const { cb, parseCb, cbPattern } = await import("../../bot/kit/callbacks.ts");
    const a = "0b6e7c1e-3f0a-4b7e-9d1c-2a3b4c5d6e7f";
    const b = "ffffffff-0000-4000-8000-000000000001";
    const data = cb("st.x", [a, b], 12);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(parseCb(data)).toEqual({ verb: "st.x", ids: [a, b], version: 12 });
    expect(parseCb(cb("m.menu"))).toEqual({ verb: "m.menu", ids: [] });
    expect(parseCb(cb("lic.get", ["100140001231"]))).toEqual({ verb: "lic.get", ids: ["100140001231"] });
    expect(cbPattern("hd.s").test(cb("hd.s", [a], 1))).toBe(true);
    expect(cbPattern("hd.s").test(cb("hd.sx", [a], 1))).toBe(false);
    expect(() => cb("x", [a, b, a])).toThrow(/64 bytes/);
    expect(() => cb("Bad verb")).toThrow();
    expect(() => cb("ok", ["has:colon"])).toThrow();
    for (const forged of ["", "x".repeat(65), "hd.s:~bad@1", "hd.s:id@x", "HD:1", "a:b:c@-1"]) {
      expect(parseCb(forged)).toBeNull();
    }
  });
});
