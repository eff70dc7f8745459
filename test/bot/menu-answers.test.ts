// Every button of the main menu, for every role and in both languages: the press is answered exactly once,
// first (before the screen is edited or sent) and within a second; a double tap is answered once per press.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
/** When the fake Bot API received each call (same order as h.calls). */
const at: number[] = [];

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({
    prisma: db.prisma,
    answer: () => {
      at.push(Date.now());
      return undefined;
    },
  });
});
afterAll(() => endBotTest([h], db));

const PEOPLE = [
  { id: 100001, who: "supplier admin" },
  { id: 100002, who: "head" },
  { id: 100003, who: "reviewer" },
  { id: 100006, who: "approver" },
  { id: 100007, who: "branch manager" },
  { id: 100010, who: "sole trader (supplier, admin and head)" },
] as const;

async function pressEveryMenuButton(id: number, lang: "kk" | "ru") {
  const u = h.user(id);
  await u.send("/language");
  await u.press(`lang:${lang}`);
  await u.send("/menu");
  const buttons = u.buttons();
  expect(buttons.length).toBeGreaterThanOrEqual(3);
  const problems: string[] = [];
  for (const b of buttons) {
    await u.send("/menu");
    const menuId = u.last()?.messageId;
    const start = Date.now();
    const first = h.mark();
    const out = await u.press(b.data!, menuId);
    const answers = out.filter((c) => c.method === "answerCallbackQuery");
    const ids = new Set(answers.map((c) => c.payload.callback_query_id));
    if (answers.length !== 1 || ids.size !== 1)
      problems.push(`${b.text}: ${answers.length} answers (${[...ids].join(", ")})`);
    // the answer comes before any screen (a chat action may precede it: it shows «typing…» at once)
    const before = out
      .slice(
        0,
        out.findIndex((c) => c.method === "answerCallbackQuery"),
      )
      .filter((c) => c.method !== "sendChatAction");
    if (before.length)
      problems.push(`${b.text}: ${before.map((c) => c.method).join(", ")} before the answer`);
    const answeredAt = at[first + out.findIndex((c) => c.method === "answerCallbackQuery")];
    if (answeredAt === undefined || answeredAt - start > 1000)
      problems.push(
        `${b.text}: answered after ${answeredAt === undefined ? "never" : answeredAt - start} ms`,
      );
    // the press shows something: a screen, a document, or the answer's own text
    const shown = out.some((c) => /^(send|edit)/.test(c.method) && c.method !== "sendChatAction");
    if (!shown && !answers[0]?.payload.text) problems.push(`${b.text}: nothing shown`);
  }
  return { problems, buttons };
}

describe("every main-menu button is answered once, first, within 1 s", () => {
  for (const p of PEOPLE) {
    for (const lang of ["ru", "kk"] as const) {
      it(`${p.who} (${lang})`, async () => {
        const { problems, buttons } = await pressEveryMenuButton(p.id, lang);
        expect(problems).toEqual([]);
        // «Язык» / «Тіл» and «Справка» / «Анықтама» are there for everybody
        expect(buttons.map((b) => b.data)).toEqual(expect.arrayContaining(["m.lang", "m.help"]));
      });
    }
  }

  it("a double tap on «Справка», «Язык» and «Черновики заявок» is answered once per press", async () => {
    const u = h.user(100001);
    await u.send("/language");
    await u.press("lang:ru");
    for (const data of ["m.help", "m.lang", "m.drafts"]) {
      await u.send("/menu");
      const menuId = u.last()?.messageId;
      const m = h.mark();
      await Promise.all([u.press(data, menuId), u.press(data, menuId)]);
      const answers = h.since(m).filter((c) => c.method === "answerCallbackQuery");
      const perPress = new Map<unknown, number>();
      for (const c of answers)
        perPress.set(c.payload.callback_query_id, (perPress.get(c.payload.callback_query_id) ?? 0) + 1);
      expect([...perPress.values()]).toEqual([1, 1]);
    }
  });

  it("a user without roles: language and help answered, nothing else offered", async () => {
    const u = h.user(7_100_001);
    await u.send("/start");
    await u.press("lang:ru");
    await u.send("/menu");
    expect(u.buttons().map((b) => b.data)).toEqual(["m.lang", "m.help"]);
    for (const data of ["m.lang", "m.help"]) {
      const out = await u.press(data, u.last()?.messageId);
      expect(out.filter((c) => c.method === "answerCallbackQuery")).toHaveLength(1);
      expect(out[0]?.method).toBe("answerCallbackQuery");
    }
  });
});
