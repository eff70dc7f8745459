// The command menu of each chat follows the person's roles and language: set for the chat (scope chat) in the
// language chosen in the bot, again when a role is granted or removed (also outside the bot), and not again
// while nothing changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiCall, createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { userIdOf } from "../helpers/e2e.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
});
afterAll(() => endBotTest([h], db));

type Cmd = { command: string; description: string };
const menusOf = (calls: ApiCall[], chatId: number) =>
  calls
    .filter(
      (c) => c.method === "setMyCommands" && (c.payload.scope as { chat_id?: number })?.chat_id === chatId,
    )
    .map((c) => c.payload.commands as Cmd[]);
const names = (list: Cmd[] | undefined) => (list ?? []).map((c) => c.command);

describe("the command menu per chat, role and language", () => {
  it("a supplier-admin: the supplier's commands with /drafts, no staff ones; set once, not on every update", async () => {
    const u = h.user(100001);
    const first = await u.send("/menu");
    const menus = menusOf(first, u.id);
    expect(menus).toHaveLength(1);
    expect(names(menus[0])).toEqual(
      expect.arrayContaining(["new", "drafts", "applications", "licences", "services", "help"]),
    );
    for (const staffOnly of ["queue", "survey_stats", "sign"])
      expect(names(menus[0])).not.toContain(staffOnly);
    expect(menus[0]!.find((c) => c.command === "drafts")?.description).toBe("Проекты заявок");
    // nothing changed: no second call
    expect(menusOf(await u.send("/menu"), u.id)).toEqual([]);
    expect(menusOf(await u.press("m.help", u.last()?.messageId), u.id)).toEqual([]);
  });

  it("the head sees /sign; a reviewer /queue; a branch manager /queue and /survey_stats — none sees /new", async () => {
    const seen = async (id: number) => {
      const u = h.user(id);
      return names(menusOf(await u.send("/menu"), id).at(-1));
    };
    const head = await seen(100002);
    expect(head).toContain("sign");
    expect(head).not.toContain("queue");
    const reviewer = await seen(100003);
    expect(reviewer).toContain("queue");
    expect(reviewer).not.toContain("survey_stats");
    expect(reviewer).not.toContain("new");
    const manager = await seen(100007);
    expect(manager).toEqual(expect.arrayContaining(["queue", "survey_stats"]));
    expect(manager).not.toContain("new");
  });

  it("switching to Kazakh sets the menu once, described in Kazakh", async () => {
    const u = h.user(100003);
    await u.send("/language");
    const out = await u.press("lang:kk");
    const menus = menusOf(out, u.id);
    expect(menus).toHaveLength(1);
    expect(menus[0]!.find((c) => c.command === "queue")?.description).toBe(
      "Өтінімдер кезегі (Қор қызметкерлері)",
    );
    expect(menus[0]!.find((c) => c.command === "help")?.description).toBe("Анықтама");
  });

  it("a role granted or removed outside the bot: the next update sets the new menu", async () => {
    const u = h.user(100003);
    await u.send("/menu");
    const userId = await userIdOf(db.prisma, 100003);
    const branch = await db.prisma.staffMembership.findFirstOrThrow({ where: { userId } });
    const grant = await db.prisma.staffMembership.create({
      data: { userId, branchId: branch.branchId, role: "MANAGER" },
    });
    const after = menusOf(await u.send("/menu"), u.id);
    expect(after).toHaveLength(1);
    expect(names(after[0])).toContain("survey_stats");
    expect(after[0]!.find((c) => c.command === "survey_stats")?.description).toBe(
      "Сауалнама нәтижелері (филиал басшысы)",
    );
    await db.prisma.staffMembership.delete({ where: { id: grant.id } });
    const removed = menusOf(await u.send("/menu"), u.id);
    expect(removed).toHaveLength(1);
    expect(names(removed[0])).not.toContain("survey_stats");
  });
});
