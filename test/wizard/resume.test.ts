// Resume: the step lives in Application.progress, so a restart (a new bot on the same database and
// Redis prefix) continues where the supplier was; with the session lost, /drafts → «Продолжить» does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/bot.ts";
import { telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import { draftOf, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
const env = { REDIS_PREFIX: redisPrefix("wizard-resume") };
const harnesses: Harness[] = [];

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  const h = harnesses[0];
  if (h?.redis === undefined) {
    const { Redis } = await import("ioredis");
    const r = new Redis("redis://127.0.0.1:6379");
    const keys = await r.keys(`${env.REDIS_PREFIX}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  }
  await db?.drop();
});

async function redisBytes(h: Harness): Promise<number> {
  const keys = await h.redis!.keys(`${env.REDIS_PREFIX}*`);
  let total = 0;
  for (const k of keys) total += (await h.redis!.strlen(k)) + Buffer.byteLength(k);
  return total;
}

describe("resume", () => {
  it("continues at the same step after a restart, and Redis holds only the small session", async () => {
    const h1 = await wizardHarness(db.prisma, env);
    harnesses.push(h1);
    const u1 = h1.user(100001);
    await u1.send("/new");
    await pressVerb(u1, "ap.new1");
    const app = await draftOf(db.prisma, "100140001231");
    await pressVerb(u1, "wz.own", "1");
    await pressVerb(u1, "wz.role", "2");
    await selectAll(u1, "s");
    await selectAll(u1, "c");
    await pressVerb(u1, "wz.ph", "0");
    await pressVerb(u1, "wz.reg", "ASTANA");
    await pressVerb(u1, "wz.be", "1");
    expect(await stepOf(db.prisma, app.id)).toBe("C_COORD");
    const bytes = await redisBytes(h1);
    console.log(`Redis bytes for one user mid-wizard (after 12+ steps): ${bytes}`);
    expect(bytes).toBeLessThan(1024);
    expect(telegramLimitViolations(h1.calls)).toEqual([]);

    // "restart": a new bot process on the same database and Redis prefix
    const h2 = await wizardHarness(db.prisma, env);
    harnesses.push(h2);
    const u2 = h2.user(100001);
    const m = h2.mark();
    await u2.send("51.1694, 71.4491");
    expect(u2.texts(h2.since(m)).join("\n")).toContain("Координаты сохранены");
    expect(await stepOf(db.prisma, app.id)).toBe("C_KATO");
    const saved = await draftOf(db.prisma, "100140001231");
    expect(saved.supplierSubtypes.length).toBeGreaterThan(0);
    expect(saved.coExecutorSubtypes.length).toBeGreaterThan(0);
    expect(saved.regionCode).toBe("ASTANA");
    expect(telegramLimitViolations(h2.calls)).toEqual([]);
  });

  it("with the session lost (Redis flushed), /drafts → «Продолжить» opens the current step from the database", async () => {
    const h3 = await wizardHarness(db.prisma, { REDIS_PREFIX: redisPrefix("wizard-lost") });
    harnesses.push(h3);
    const u = h3.user(100001);
    const app = await draftOf(db.prisma, "100140001231");
    await u.send("/drafts");
    await pressVerb(u, "ap.view");
    expect(u.last()?.payload.text).toContain("Проект");
    const m = h3.mark();
    await pressVerb(u, "ap.cont");
    expect(u.texts(h3.since(m)).join("\n")).toContain("КАТО производственной базы");
    expect(await stepOf(db.prisma, app.id)).toBe("C_KATO");
    // typing a name searches the КАТО tree at this step
    const s = h3.mark();
    await u.send("Есиль");
    expect(u.texts(h3.since(s)).join("\n")).toContain("Найдено по запросу «Есиль»");
    expect(telegramLimitViolations(h3.calls)).toEqual([]);
  });
});
