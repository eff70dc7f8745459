// A random crawl: the demo people (suppliers, heads, Fund staff, the manager; Russian and Kazakh) press random
// buttons of their latest and of older messages (stale buttons), double-tap, type commands and random texts
// (with zero-width and bidi characters, over-long ones), through bot.handleUpdate against the sandbox, which
// refuses what Telegram refuses (unchanged edits, a second callback answer, > 4096 characters, > 64-byte
// callback data, bad HTML). Part of the time every method answers 429 (then 502): every callback is still
// answered exactly once and every reply delivered. Ends with 0 refused requests and 0 unanswered callbacks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type BotOnSandbox, startBotOnSandbox } from "./botOnSandbox.ts";

const PEOPLE = [100001, 100002, 100003, 100004, 100005, 100006, 100007, 100008, 100009, 100010];
const CRAWL_MS = Number(process.env.FAULTS_CRAWL_MS ?? 45_000);

let db: TestDb;
let b: BotOnSandbox;

beforeAll(async () => {
  db = await createTestDb();
  b = await startBotOnSandbox({
    prisma: db.prisma,
    persons: PEOPLE.map((id) => ({ id, first_name: `Demo${id}`, language_code: id % 2 ? "ru" : "kk" })),
  });
});
afterAll(async () => {
  await b?.close();
  await db?.drop();
});

/** A small seeded generator (the run can be repeated with FAULTS_SEED). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const TEXTS = [
  "/start",
  "/menu",
  "/help",
  "/queue",
  "/applications",
  "/drafts",
  "/licences",
  "/sign",
  "/failed",
  "/survey_stats",
  "/cancel",
  "/language",
  "привет",
  "Сәлем",
  "Причина\u202E отказа",
  "При\u200Bчина",
  "<b>жирный</b> & <i>",
  "1234567890",
  "ы".repeat(1200),
];

describe("random crawl", () => {
  it("ends with 0 refused requests, 0 unanswered or twice-answered callbacks, nothing escaped", async () => {
    const seed = Number(process.env.FAULTS_SEED ?? 20261202);
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (const id of PEOPLE) b.sandbox.sendText(id, "/menu");
    await b.pump();
    await b.idle();

    const started = Date.now();
    let actions = 0;
    let faultPhase = 0;
    while (Date.now() - started < CRAWL_MS) {
      const elapsed = Date.now() - started;
      // 429 on every method for 4 s at a third of the run, 502 for 3 s at two thirds
      if (faultPhase === 0 && elapsed > CRAWL_MS / 3) {
        b.sandbox.faults.add({ error: 429, retryAfter: 1, forMs: 4000 });
        faultPhase = 1;
      } else if (faultPhase === 1 && elapsed > (2 * CRAWL_MS) / 3) {
        b.sandbox.faults.add({ error: 502, forMs: 3000 });
        faultPhase = 2;
      }
      // a burst of a few people acting at once
      const burst = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < burst; i++) {
        const id = pick(PEOPLE);
        const r = rand();
        const msgs = b.sandbox
          .botMessages(id)
          .filter((m) => ((m.reply_markup?.inline_keyboard ?? []) as unknown[][]).flat().length);
        if (r < 0.7 && msgs.length) {
          // mostly the latest message, sometimes an older one (a stale button)
          const m = rand() < 0.8 ? msgs.at(-1)! : pick(msgs);
          const data = ((m.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][])
            .flat()
            .map((x) => x.callback_data)
            .filter((d): d is string => !!d);
          if (!data.length) continue;
          const d = pick(data);
          b.sandbox.press(id, m.message_id, d);
          if (rand() < 0.15) b.sandbox.press(id, m.message_id, d); // a double tap
        } else {
          b.sandbox.sendText(id, pick(TEXTS));
        }
        actions++;
      }
      await b.pump();
      await new Promise((r) => setTimeout(r, 50 + rand() * 250));
    }
    b.sandbox.faults.clear();
    await b.pump();
    await b.idle(90_000);
    // let the callbacks still in their window run out (an unanswered one counts when it expires)
    const s = b.sandbox.stats();
    console.log(
      `crawl: ${actions} actions in ${Date.now() - started} ms, ${s.calls.total} Bot API calls, ` +
        `${s.calls.injected} injected faults, ${s.callbacks.pressed} presses (seed ${seed})`,
    );
    expect(s.calls.injected).toBeGreaterThan(0);
    expect(s.refused).toEqual({});
    expect(s.callbacks.answered_twice).toBe(0);
    expect(s.callbacks.answered_late).toBe(0);
    expect(s.callbacks.invalid).toBe(0);
    expect(s.callbacks.unanswered).toBe(0);
    expect(s.callbacks.pending).toBe(0);
    expect(s.callbacks.answered).toBe(s.callbacks.pressed);
    expect(b.escaped).toEqual([]);
  }, 180_000);
});
