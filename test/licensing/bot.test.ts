// The licensing guide in the bot: /services → service → regulation & channel → operation → sections, and the
// deadline calculator flow (free-text date, invalid input, result, cancel), in the user's language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARDS, cardsOf } from "../../domain/licensing/data/index.ts";
import { canComputeDeadlines } from "../../domain/licensing/deadlines.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const SUPPLIER = 100001; // Russian
const MANAGER = 100007; // Kazakh

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

const texts = (calls: { payload: Record<string, unknown> }[]) =>
  calls.map((c) => String(c.payload.text ?? ""));

describe("guide", () => {
  it("/services lists the four services; the buttons lead to cards, operations and sections", async () => {
    const u = h.user(SUPPLIER);
    const home = await u.send("/services");
    expect(texts(home).join()).toContain("Лицензирование и прикрепление");
    expect(texts(home).join()).toContain("утратили силу");
    expect(u.buttons().map((b) => b.data)).toEqual([
      "lic:s:med",
      "lic:s:pha",
      "lic:s:nar",
      "lic:s:phc",
      "m.menu",
    ]);

    const svc = await u.press("lic:s:med");
    expect(svc.some((c) => c.method === "editMessageText")).toBe(true);
    expect(u.buttons().map((b) => b.data)).toEqual([
      ...cardsOf("medical").map((c) => `lic:c:${c.id}`),
      "lic:h",
    ]);

    await u.press("lic:c:nko-med-con");
    expect(u.buttons().map((b) => b.data)).toEqual([
      "lic:o:nko-med-con:i",
      "lic:o:nko-med-con:r",
      "lic:o:nko-med-con:d",
      "lic:s:med",
    ]);

    await u.press("lic:o:nko-med-con:i");
    const sectionButtons = u.buttons().map((b) => b.data);
    expect(sectionButtons).toContain("lic:v:nko-med-con:i:stp");
    expect(sectionButtons).toContain("lic:d:nko-med-con:i");

    const steps = await u.press("lic:v:nko-med-con:i:stp");
    const sent = steps.filter((c) => c.method === "sendMessage");
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(texts(sent).join()).toContain("11 рабочих дней");
    expect(u.buttons(sent.at(-1)).map((b) => b.data)).toEqual(["lic:o:nko-med-con:i:n", "lic:h:n"]);

    // «back» from a content message sends the section menu as a new message (the content stays)
    const back = await u.press("lic:o:nko-med-con:i:n");
    expect(back.some((c) => c.method === "sendMessage")).toBe(true);
    expect(back.some((c) => c.method === "editMessageText")).toBe(false);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("every section of every card opens from its button", async () => {
    const u = h.user(SUPPLIER);
    const m = h.mark();
    const codes = { i: "issue", r: "reissue", d: "duplicate", a: "attach" } as const;
    for (const card of CARDS) {
      for (const [code, op] of Object.entries(codes)) {
        if (!card.operations.some((o) => o.id === op)) continue;
        for (const sec of ["ov", "doc", "stp", "rcp", "sts", "ref"]) {
          const calls = await u.press(`lic:v:${card.id}:${code}:${sec}`);
          expect(
            calls.filter((c) => c.method === "sendMessage").length,
            `${card.id} ${op} ${sec}`,
          ).toBeGreaterThan(0);
        }
      }
    }
    expect(telegramLimitViolations(h.since(m))).toEqual([]);
  });

  it("the main-menu «Государственные услуги» button opens the guide", async () => {
    const calls = await h.user(SUPPLIER).press("m.svc");
    expect(texts(calls).join()).toContain("Лицензирование и прикрепление");
  });

  it("answers a stale or forged button with an alert", async () => {
    const calls = await h.user(SUPPLIER).press("lic:c:no-such-card");
    expect(calls.find((c) => c.method === "answerCallbackQuery")?.payload).toMatchObject({
      show_alert: true,
    });
  });

  it("speaks Kazakh to a Kazakh-speaking user", async () => {
    const calls = await h.user(MANAGER).send("/services");
    expect(texts(calls).join()).toContain("Лицензиялау және бекіту");
    await h.user(MANAGER).press("lic:s:phc");
    expect(
      h
        .user(MANAGER)
        .buttons()
        .map((b) => b.text),
    ).toContain("Ақтөбе облысы (2012) · Портал");
  });
});

describe("deadline calculator", () => {
  it("asks for the date, explains invalid input, computes the result and names the repealed source", async () => {
    const u = h.user(SUPPLIER);
    const ask = await u.press("lic:d:nko-med-con:i");
    expect(texts(ask).join()).toContain("Введите дату и время подачи");

    const bad = await u.send("32.13.2026");
    expect(texts(bad).join()).toContain("Не удалось распознать дату");
    const old = await u.send("01.01.1990 10:00");
    expect(texts(old).join()).toContain("Введите год от 2000 до 2099");

    const result = await u.send("25.12.2026 10:30");
    const text = texts(result).join("\n");
    expect(text).toContain("Подача:</b> 25.12.2026 10:30 (пятница)");
    expect(text).toContain("Результат — не позднее 19.01.2027 14:25 (вторник)");
    expect(text).toContain("№ 195");
    expect(text).toContain("утратило силу 20.08.2015");
    expect(u.buttons(result.at(-1)).map((b) => b.data)).toEqual([
      "lic:d:nko-med-con:i",
      "lic:o:nko-med-con:i:n",
      "lic:h:n",
    ]);

    // the calculator is done: free text now goes to the fallback
    const after = await u.send("26.12.2026");
    expect(texts(after).join()).not.toContain("Результат");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("accepts a date without time (09:00) and can be cancelled", async () => {
    const u = h.user(SUPPLIER);
    await u.press("lic:d:akt-med-portal:d");
    const result = await u.send("05.01.2025");
    expect(texts(result).join()).toContain("Результат — не позднее 08.01.2025 18:00");

    await u.press("lic:d:akt-med-portal:d");
    const cancel = await u.press("lic:x");
    expect(texts(cancel).join()).toContain("Расчёт сроков отменён");
    const after = await u.send("05.01.2025");
    expect(texts(after).join()).not.toContain("Результат");
  });

  it("works in Kazakh", async () => {
    const u = h.user(MANAGER);
    await u.press("lic:d:eko-nar-office:i");
    const bad = await u.send("ертең");
    expect(texts(bad).join()).toContain("Күн танылмады");
    const result = await u.send("02.06.2026 10:00");
    const text = texts(result).join("\n");
    expect(text).toContain("Нәтиже мерзімі");
    expect(text).toContain("№ 70");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});

describe("calculator: estimated calendar years and channels without durations", () => {
  it("says in Russian that a deadline relying on the 2027 calendar is preliminary, and not for one within 2026", async () => {
    const u = h.user(SUPPLIER);
    await u.press("lic:d:akt-med-portal:i");
    const est = texts(await u.send("25.12.2026 10:30")).join("\n");
    expect(est).toContain("Результат — не позднее 20.01.2027 18:00 (среда)");
    expect(est).toContain("⚠️ <b>Это предварительный срок.</b> Расчёт опирается на календарь 2027 года");
    expect(est).toContain(
      "Календарь на 2027 год предварительный: переносы выходных дней ещё не опубликованы",
    );

    await u.press("lic:d:akt-med-portal:i");
    const official = texts(await u.send("02.06.2026 10:00")).join("\n");
    expect(official).toContain("Результат — не позднее");
    expect(official).not.toContain("предварительный");
  });

  it("says it in Kazakh too", async () => {
    const u = h.user(MANAGER);
    await u.press("lic:d:eko-nar-office:i");
    const est = texts(await u.send("28.12.2026 10:00")).join("\n");
    expect(est).toContain("Нәтиже мерзімі");
    expect(est).toContain(
      "⚠️ <b>Бұл – алдын ала есептелген мерзім.</b> Есептеу 2027 жылғы күнтізбеге сүйенеді",
    );
    expect(est).toContain("2027 жылғы күнтізбе алдын ала жасалған");

    await u.press("lic:d:eko-nar-office:i");
    const official = texts(await u.send("02.06.2026 10:00")).join("\n");
    expect(official).toContain("Нәтиже мерзімі");
    expect(official).not.toContain("алдын ала");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("offers no calculator where the regulation gives no durations (NKO portal), says why, and refuses an old button", async () => {
    const codes = { issue: "i", reissue: "r", duplicate: "d", attach: "a" } as const;
    for (const [uid, lang] of [
      [SUPPLIER, "ru"],
      [MANAGER, "kk"],
    ] as const) {
      const u = h.user(uid);
      for (const card of CARDS) {
        for (const op of card.operations) {
          const calls = await u.press(`lic:o:${card.id}:${codes[op.id]}`);
          const data = u.buttons().map((b) => b.data);
          const menu = texts(calls).join();
          const calc = `lic:d:${card.id}:${codes[op.id]}`;
          if (canComputeDeadlines(op)) {
            expect(data, `${card.id} ${op.id}`).toContain(calc);
          } else {
            expect(card.id).toBe("nko-med-portal");
            expect(data, `${card.id} ${op.id}`).not.toContain(calc);
            expect(data).toContain(`lic:v:${card.id}:${codes[op.id]}:stp`); // the sections stay
            expect(menu).toContain(
              lang === "ru"
                ? "Сроков для этого канала источник не устанавливает, поэтому расчёт сроков недоступен."
                : "Бұл арна үшін дереккөз мерзімдерді белгілемейді, сондықтан мерзімдерді есептеу қолжетімсіз.",
            );
          }
        }
      }
    }

    // a button left on an old message: an alert, no prompt for a date
    const u = h.user(SUPPLIER);
    const old = await u.press("lic:d:nko-med-portal:i");
    expect(old.find((c) => c.method === "answerCallbackQuery")?.payload).toMatchObject({
      text: "Для этого канала источник не устанавливает сроков — рассчитать нельзя.",
      show_alert: true,
    });
    expect(texts(old).join()).not.toContain("Введите дату");
    const after = await u.send("02.06.2026 10:00");
    expect(texts(after).join()).not.toContain("Результат");
  });
});
