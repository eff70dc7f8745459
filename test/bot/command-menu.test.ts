// The command menu of each chat (setMyCommands with scope chat): the commands the person can use (supplier side,
// head, Fund staff, manager, a person without roles), described in the language the person chose in the bot, set
// again when the language changes and when an invite grants roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "../../bot/kit/i18n.ts";
import { type ApiCall, createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { PEOPLE } from "../helpers/e2e.ts";
import { KAZAKH_LETTERS, kazakhWords, rawKeys, russianWords } from "../helpers/language.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
});
afterAll(async () => {
  expect(telegramLimitViolations(h.calls)).toEqual([]);
  await h?.close();
  await db?.drop();
});

type Command = { command: string; description: string };

/** The last command menu set for this chat in these calls. */
function chatMenu(calls: ApiCall[], chatId: number): Command[] | undefined {
  const c = calls
    .filter(
      (x) =>
        x.method === "setMyCommands" &&
        (x.payload.scope as { type?: string; chat_id?: number } | undefined)?.type === "chat" &&
        Number((x.payload.scope as { chat_id?: number }).chat_id) === chatId,
    )
    .at(-1);
  return c?.payload.commands as Command[] | undefined;
}

const EVERYONE = ["start", "menu", "language", "help", "cancel"];

const ROLE_MENUS: { who: string; id: number; has: string[]; hasNot: string[] }[] = [
  {
    who: "supplier admin",
    id: PEOPLE.supplier,
    has: ["new", "drafts", "applications", "licences", "services"],
    hasNot: ["sign", "queue", "survey_stats"],
  },
  {
    who: "head",
    id: PEOPLE.head,
    has: ["sign", "drafts", "applications"],
    hasNot: ["new", "licences", "services", "queue", "survey_stats"],
  },
  {
    who: "reviewer",
    id: PEOPLE.reviewer,
    has: ["queue"],
    hasNot: ["new", "drafts", "applications", "sign", "survey_stats", "services"],
  },
  {
    who: "manager",
    id: PEOPLE.manager,
    has: ["queue", "survey_stats"],
    hasNot: ["new", "drafts", "sign"],
  },
];

describe("the chat's command menu", () => {
  for (const r of ROLE_MENUS) {
    it(`${r.who}: the role's commands, in Kazakh after «Қазақ тілі», in Russian after «Русский»`, async () => {
      const u = h.user(r.id);
      await u.send("/language");
      const kkMenu = chatMenu(await u.press("lang:kk"), r.id);
      expect(kkMenu, "a menu is set for the chat on the choice").toBeDefined();
      const names = kkMenu!.map((c) => c.command);
      expect(names).toEqual(expect.arrayContaining([...EVERYONE, ...r.has]));
      for (const c of r.hasNot) expect(names, c).not.toContain(c);
      const kk = translator("kk");
      for (const c of kkMenu!) {
        expect(c.description).toBe(kk(`common:commands.${c.command}`));
        expect(russianWords(c.description), c.command).toEqual([]);
        expect(rawKeys(c.description), c.command).toEqual([]); // a text, not its key
      }
      expect(kkMenu!.some((c) => KAZAKH_LETTERS.test(c.description))).toBe(true);

      await u.send("/language");
      const ruMenu = chatMenu(await u.press("lang:ru"), r.id);
      expect(ruMenu!.map((c) => c.command)).toEqual(names); // the same commands, in the other language
      const ru = translator("ru");
      for (const c of ruMenu!) {
        expect(c.description).toBe(ru(`common:commands.${c.command}`));
        expect(kazakhWords(c.description), c.command).toEqual([]);
        expect(rawKeys(c.description), c.command).toEqual([]);
      }
      expect(ruMenu!.map((c) => c.description)).not.toEqual(kkMenu!.map((c) => c.description));
    });
  }

  it("a person without roles gets the commands everybody has; an invite then adds the role's commands", async () => {
    const u = h.user(730001);
    await u.send("/start");
    const first = chatMenu(await u.press("lang:kk"), 730001);
    expect(first!.map((c) => c.command).sort()).toEqual([...EVERYONE].sort());
    const plain = chatMenu(await u.send("/start"), 730001);
    expect(plain!.map((c) => c.command).sort()).toEqual([...EVERYONE].sort());
    expect(plain!.find((c) => c.command === "help")?.description).toBe(
      translator("kk")("common:commands.help"),
    );

    const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: "100140001231" } });
    const code = `menu${Date.now().toString(36)}`;
    await db.prisma.invite.create({
      data: {
        code,
        orgId: org.id,
        orgRoles: ["HEAD"],
        staffRoles: [],
        fullName: "Серік Әлиев",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const granted = chatMenu(await u.send(`/start ${code}`), 730001);
    expect(granted!.map((c) => c.command)).toEqual(expect.arrayContaining([...EVERYONE, "sign"]));
    expect(granted!.map((c) => c.command)).not.toContain("new");
    expect(granted!.find((c) => c.command === "sign")?.description).toBe(
      translator("kk")("common:commands.sign"),
    );
  });
});
