// The real bot counts every update by kind and times it (metricsMiddleware is the first middleware of createBot):
// what GET /metrics shows is what the bot handled, not a toy bot's numbers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsText } from "../../bot/runtime/metrics.ts";
import { createHarness, type Harness } from "../helpers/bot.ts";
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

async function sample(series: string): Promise<number> {
  const { body } = await metricsText();
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("metrics of the real bot", () => {
  it("counts messages and button presses by kind and times each update", async () => {
    const msgs = await sample('fsms_updates_total{kind="message"}');
    const cbs = await sample('fsms_updates_total{kind="callback"}');
    const timed = await sample('fsms_update_duration_seconds_count{kind="message"}');
    const u = h.user(7301, "Metrics");
    const shown = await u.send("/start");
    expect(u.texts(shown).length).toBeGreaterThan(0);
    await u.press("forged:data");
    expect(await sample('fsms_updates_total{kind="message"}')).toBe(msgs + 1);
    expect(await sample('fsms_updates_total{kind="callback"}')).toBe(cbs + 1);
    expect(await sample('fsms_update_duration_seconds_count{kind="message"}')).toBe(timed + 1);
  });
});
