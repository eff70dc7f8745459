// Resume: the step lives in Application.progress and the session in PostgreSQL (ChatState), so a restart (a new
// bot on the same database) continues where the supplier was; with the session lost, /drafts → «Продолжить» does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endBotTest, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { draftOf, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
const harnesses: Harness[] = [];

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => endBotTest(harnesses, db));

/** The bytes the person's chat state takes (the session and an open prompt, as stored). */
async function chatStateBytes(): Promise<number> {
  const rows = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(sum(octet_length(COALESCE(session::text, '')) + octet_length(COALESCE(prompt::text, ''))), 0)::int AS n
      FROM "ChatState" WHERE key = '100001:100001'`;
  return rows[0]?.n ?? 0;
}

describe("resume", () => {
  it("continues at the same step after a restart, and the chat state holds only the small session", async () => {
    const h1 = await wizardHarness(db.prisma);
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
    const bytes = await chatStateBytes();
    console.log(`chat state bytes for one user mid-wizard (after 12+ steps): ${bytes}`);
    expect(bytes).toBeLessThan(1024);
    expect(telegramLimitViolations(h1.calls)).toEqual([]);

    // "restart": a new bot process on the same database
    const h2 = await wizardHarness(db.prisma);
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
  });

  it("with the session lost, /drafts → «Продолжить» opens the current step from the database", async () => {
    await db.prisma.chatState.deleteMany({});
    const h3 = await wizardHarness(db.prisma);
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
    // typing a name searches the КАТО tree of the application's region at this step
    const s = h3.mark();
    await u.send("Есиль");
    expect(u.texts(h3.since(s)).join("\n")).toContain("Найдено по запросу «Есиль»");
  });
});
