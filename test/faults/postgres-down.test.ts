// PostgreSQL (this test's own cluster) stopped for 8 s while two people (Russian and Kazakh) keep writing and
// pressing buttons, polling mode: every action is answered within 2 s with "temporarily unavailable" in the
// person's language (a press: its callback answered; a message: a reply), every update is then handled once the
// database is back, by itself and in order per chat (the held updates are retried with a bounded backoff), no
// update escapes, no callback is answered twice, no request Telegram refuses, and nothing is half-written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotOnSandbox, startBotOnSandbox } from "./botOnSandbox.ts";
import { type OwnPostgres, startOwnPostgres } from "./services.ts";

const RU = 100001; // the demo supplier (Russian)
const KK = 100007; // the demo branch manager (Kazakh)
const UNAVAILABLE = {
  ru: "Система временно недоступна. Попробуйте ещё раз через минуту.",
  kk: "Жүйе уақытша қолжетімсіз. Бір минуттан кейін қайталап көріңіз.",
};

let pg: OwnPostgres;
let b: BotOnSandbox;

beforeAll(async () => {
  pg = await startOwnPostgres();
  b = await startBotOnSandbox({
    prisma: pg.prisma,
    persons: [
      { id: RU, first_name: "Айгуль", language_code: "ru" },
      { id: KK, first_name: "Ерлан", language_code: "kk" },
    ],
  });
});
afterAll(async () => {
  await b?.close();
  await pg?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bot API calls to a chat since `from` (sandbox time). */
const callsTo = (chatId: number, from: number) =>
  b.sandbox.calls.filter((c) => c.at >= from && Number(c.params.chat_id) === chatId);

describe("PostgreSQL stopped for 8 s", () => {
  it("answers every action within 2 s, handles every update after the restart, in order", async () => {
    // Before: both open their menu (the bot learns their language).
    for (const id of [RU, KK]) b.sandbox.sendText(id, "/menu");
    await b.pump();
    await b.idle();
    const menus = new Map([RU, KK].map((id) => [id, b.buttonsOf(id)!]));
    expect(menus.get(RU)!.data.length).toBeGreaterThan(0);
    expect(menus.get(KK)!.data.length).toBeGreaterThan(0);
    const auditBefore = await pg.prisma.auditEvent.count();

    await pg.stop();
    const stoppedAt = Date.now();
    // During the outage: each person writes and presses, three times, about 2.5 s apart.
    const actions: { chatId: number; kind: "text" | "press"; at: number; cq?: string; text?: string }[] = [];
    for (let round = 0; round < 3; round++) {
      for (const id of [RU, KK]) {
        const text = `/help`;
        b.sandbox.sendText(id, text);
        actions.push({ chatId: id, kind: "text", at: Date.now(), text });
        const m = menus.get(id)!;
        const cq = b.sandbox.press(id, m.message.message_id, m.data[0]!);
        actions.push({ chatId: id, kind: "press", at: Date.now(), cq });
      }
      await b.pump();
      await sleep(2500);
    }
    // 8 s down in all
    await sleep(Math.max(0, 8000 - (Date.now() - stoppedAt)));
    const downFor = Date.now() - stoppedAt;
    await pg.start();
    const upAt = Date.now();
    await b.pump();
    await b.idle(60_000);
    console.log(`PostgreSQL down ${downFor} ms; updates finished ${Date.now() - upAt} ms after the restart`);

    // Every action answered within 2 s, in the person's language.
    for (const a of actions) {
      const lang = a.chatId === KK ? "kk" : "ru";
      const answer =
        a.kind === "press"
          ? b.sandbox.calls.find(
              (c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === a.cq,
            )
          : callsTo(a.chatId, a.at).find(
              (c) => c.method === "sendMessage" && c.params.text === UNAVAILABLE[lang],
            );
      expect(answer, `${a.kind} of ${a.chatId} answered`).toBeDefined();
      expect(answer!.ok).toBe(true);
      expect(answer!.at - a.at, `${a.kind} of ${a.chatId} answered in time`).toBeLessThanOrEqual(2000);
      if (a.kind === "press") expect(answer!.params.text).toBe(UNAVAILABLE[lang]);
    }
    // After the restart every message was handled for real, in order: three /help answers per chat.
    for (const id of [RU, KK]) {
      const afterUp = callsTo(id, upAt - 50).filter(
        (c) => c.method === "sendMessage" && !Object.values(UNAVAILABLE).includes(String(c.params.text)),
      );
      expect(afterUp.length, `chat ${id} answered after the restart`).toBeGreaterThanOrEqual(3);
    }
    const s = b.sandbox.stats();
    expect(s.refused).toEqual({});
    expect(s.callbacks.answered_twice).toBe(0);
    expect(s.callbacks.unanswered).toBe(0);
    expect(b.escaped).toEqual([]);
    // The menu buttons and /help write nothing: the outage left no partial row behind.
    expect(await pg.prisma.auditEvent.count()).toBe(auditBefore);
  }, 120_000);
});
