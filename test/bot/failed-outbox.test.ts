// Notifications that failed for good are visible: /failed lists them for a branch manager (Kazakh for the demo
// manager), refuses everybody else (Russian for the demo supplier); the invite CLI's --name follows the one
// free-text rule (zero-width removed, bidi overrides refused).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInviteArgs } from "../../scripts/invite.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const DEMO = { supplier: 100001, manager: 100007 } as const;
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

/** The texts of the messages sent or edited (not the chat's command menu, which the bot may refresh too). */
const textOf = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls
    .filter((c) => c.method === "sendMessage" || c.method === "editMessageText")
    .map((c) => String(c.payload.text ?? ""))
    .join("\n");

describe("/failed", () => {
  it("a manager sees that nothing failed, then the rows that failed for good with Telegram's answer", async () => {
    await db.prisma.outbox.deleteMany({});
    const none = textOf(await h.user(DEMO.manager).send("/failed"));
    expect(none).toBe("Жеткізілмеген хабарламалар жоқ. Жіберуді күтуде: 0.");

    const failedAt = new Date("2026-11-30T06:15:00Z");
    await db.prisma.outbox.createMany({
      data: [
        {
          eventKey: "f-1",
          chatId: 1n,
          kind: "status_changed",
          payload: {},
          status: "FAILED",
          attempts: 1,
          failedAt,
          lastError: "403 Forbidden: bot was blocked by the user",
        },
        {
          eventKey: "f-2",
          chatId: 2n,
          kind: "review_task",
          payload: {},
          status: "FAILED",
          attempts: 2,
          failedAt: new Date(failedAt.getTime() + 60_000),
          lastError: "400 Bad Request: chat not found <x>",
        },
        { eventKey: "p-1", chatId: 3n, kind: "status_changed", payload: {}, status: "PENDING" },
      ],
    });
    const calls = await h.user(DEMO.manager).send("/failed");
    const text = textOf(calls);
    expect(text).toContain("<b>Жеткізілмеген хабарламалар</b>\nЖеткізілмеген: 2, жіберуді күтуде: 1.");
    // newest first, Telegram's answer escaped, Astana time
    expect(text.indexOf("review_task")).toBeLessThan(text.indexOf("status_changed"));
    expect(text).toContain(
      "· 30.11.2026 11:15\nӘрекет саны: 1. Telegram жауабы: 403 Forbidden: bot was blocked",
    );
    expect(text).toContain("chat not found &lt;x&gt;");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("anybody else is refused, in their language", async () => {
    const calls = await h.user(DEMO.supplier).send("/failed");
    expect(textOf(calls)).toBe("Список недоставленных уведомлений доступен только руководителю филиала.");
  });
});

describe("invite --name", () => {
  const base = ["--bin", "100140001231", "--role", "SUPPLIER"];
  it("removes zero-width characters and refuses direction overrides and control characters", () => {
    expect(parseInviteArgs([...base, "--name", "Иванов\u200B Иван\uFEFF"]).name).toBe("Иванов Иван");
    expect(() => parseInviteArgs([...base, "--name", "Иванов \u202EнавИ"])).toThrow(/direction-override/);
    expect(() => parseInviteArgs([...base, "--name", "Иванов \u2066Иван\u2069"])).toThrow(
      /direction-override/,
    );
    expect(() => parseInviteArgs([...base, "--name", "Иванов\u0007"])).toThrow(/control characters/);
    expect(() => parseInviteArgs([...base, "--name", "\u200B"])).toThrow(/2 to 200/);
  });
});
