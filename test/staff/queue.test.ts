// Queues per role (oldest first, working-day age, pages) and the audit view.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { createHarness, type Harness, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview, DEMO, drain, FAST_OUTBOX, pressVerb, sendToCheckers } from "./setup.ts";

let db: TestDb;
let h: Harness;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  // the three demo organisations each send one application to the Astana branch
  ids.push(await applicationUnderReview(db.prisma));
  ids.push(await applicationUnderReview(db.prisma, "ASTANA", "150340003212", 100008, 100009));
  ids.push(await applicationUnderReview(db.prisma, "ASTANA", "850615400125", 100010, 100010));
  // and four more older ones (fixtures), so there are two pages
  const base = await db.prisma.application.findUniqueOrThrow({ where: { id: ids[0]! } });
  for (let i = 0; i < 4; i++) {
    const a = await db.prisma.application.create({
      data: {
        chainId: crypto.randomUUID(),
        orgId: base.orgId,
        authorId: base.authorId,
        regionCode: "ASTANA",
        status: "UNDER_REVIEW",
        statusChangedAt: new Date(Date.parse("2026-10-01T05:00:00Z") + i * 86_400_000),
      },
    });
    ids.push(a.id);
  }
  await drain(h);
});
afterAll(() => endBotTest([h], db));

describe("queue", () => {
  it("shows the reviewer's queue oldest first with the working-day age, in pages", async () => {
    const reviewer = h.user(DEMO.reviewer);
    await reviewer.send("/queue");
    const page1 = String(reviewer.last()!.payload.text);
    expect(page1).toContain("стр. 1 из 2");
    const lines = page1.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(lines.length).toBe(5);
    const ages = lines.map((l) => Number(/, (\d+) раб\. дн\./.exec(l)?.[1]));
    expect(ages).toEqual([...ages].sort((a, b) => b - a));
    expect(ages[0]).toBeGreaterThan(20);
    await pressVerb(h, reviewer, "fs.q");
    expect(String(reviewer.last()!.payload.text)).toContain("стр. 2 из 2");
  });

  it("shows a checker only the applications sent to them, and the audit trail with reasons", async () => {
    const reviewer = h.user(DEMO.reviewer);
    const id = ids[0]!;
    await reviewer.press(cb("fs.v", [id]));
    await pressVerb(h, reviewer, "fs.in");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker2]);
    const c2 = h.user(DEMO.checker2);
    await c2.send("/queue");
    expect(String(c2.last()!.payload.text)).toMatch(/^1\. /m);
    expect(String(c2.last()!.payload.text)).not.toMatch(/^2\. /m);
    const c1 = h.user(DEMO.checker);
    await c1.send("/queue");
    expect(String(c1.last()!.payload.text)).toMatch(/жоқ|нет заявок/);

    await drain(h);
    await pressVerb(h, c2, "fs.cr");
    await c2.send("Нет справки");
    await reviewer.press(cb("fs.au", [id]));
    const audit = String(reviewer.last()!.payload.text);
    expect(audit).toContain("История заявки");
    expect(audit).toContain("отказ проверяющего");
    expect(audit).toContain("Нет справки");
    expect(audit).toContain("Динара");
  });

  it("refuses /queue to someone who is not Fund staff", async () => {
    const s = h.user(DEMO.supplier);
    await s.send("/queue");
    expect(String(s.last()!.payload.text)).toContain("только сотрудникам");
  });
});

describe("queue paging (keyset)", () => {
  it("pages forward and back with the (statusChangedAt, id) cursor in ≤ 64-byte callback data", async () => {
    const reviewer = h.user(DEMO.reviewer);
    await reviewer.send("/queue");
    const first = String(reviewer.last()!.payload.text);
    const next = reviewer.buttons().find((b) => b.data?.startsWith("fs.q:REVIEWER:1:n:"));
    expect(next).toBeDefined();
    expect(Buffer.byteLength(next!.data!, "utf8")).toBeLessThanOrEqual(64);
    await reviewer.press(next!.data!);
    const second = String(reviewer.last()!.payload.text);
    expect(second).toMatch(/стр\. 2 из \d/);
    expect(second).toMatch(/^6\. /m);
    const prev = reviewer.buttons().find((b) => b.data?.startsWith("fs.q:REVIEWER:0"));
    expect(prev).toBeDefined();
    await reviewer.press(prev!.data!);
    expect(String(reviewer.last()!.payload.text)).toBe(first);
  });

  it("answers a forged or malformed page button with the first page", async () => {
    const reviewer = h.user(DEMO.reviewer);
    await reviewer.press(cb("fs.q", ["REVIEWER", "7", "x", "zz", "nope"]));
    expect(String(reviewer.last()!.payload.text)).toContain("стр. 1 из");
  });
});
