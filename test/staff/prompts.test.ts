// The staff's typed answers as a conversation (conversations/prompts.ts): refusal reasons, the rejection note,
// the additional exclusion ground. Stickers and bad lengths keep the prompt waiting, «Отмена» and /cancel leave
// it, a decision taken meanwhile wins ("already decided by NAME at TIME"), and a restart resumes the prompt.
import { Prisma } from "../../generated/prisma/client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { createHarness, type Harness, telegramLimitViolations, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  applicationUnderReview,
  DEMO,
  drain,
  FAST_OUTBOX,
  pressVerb,
  sendToCheckers,
  status,
  addAstanaApprover,
} from "./setup.ts";

let db: TestDb;
let h: Harness;
const APPROVER2 = 100098;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  await addAstanaApprover(db.prisma, APPROVER2);
});
afterAll(() => endBotTest([h], db));

/** An application «На проверке» with DEMO.checker as its only checker (outbox drained). */
async function atChecker(hs: Harness = h): Promise<string> {
  const id = await applicationUnderReview(db.prisma);
  await drain(hs);
  const reviewer = hs.user(DEMO.reviewer);
  await reviewer.press(cb("fs.v", [id]));
  await pressVerb(hs, reviewer, "fs.in");
  await sendToCheckers(hs, db.prisma, reviewer, [DEMO.checker]);
  await drain(hs);
  return id;
}

const version = async (id: string) =>
  (await db.prisma.application.findUniqueOrThrow({ where: { id } })).version;

describe("staff prompts", () => {
  it("a checker's refusal (Kazakh): a sticker, a file, too short and too long texts are refused, then the reason applies", async () => {
    const id = await atChecker();
    const checker = h.user(DEMO.checker);
    const v = await version(id);
    const ask = await pressVerb(h, checker, "fs.cr");
    expect(checker.texts(ask)).toEqual(["Бас тарту себебін бір хабарламамен жазыңыз."]);
    expect(checker.buttons().map((b) => b.text)).toEqual(["Болдырмау"]);
    const textOnly = "Жауапты мәтінмен жіберіңіз немесе «Болдырмау» түймесін басыңыз.";
    expect(checker.texts(await checker.sendSticker())).toEqual([textOnly]);
    expect(checker.texts(await checker.sendPhoto(512))).toEqual([textOnly]);
    expect(checker.texts(await checker.send("жо"))).toEqual(["Мәтін тым қысқа: кемінде 3 таңба болуы тиіс."]);
    expect(checker.texts(await checker.send("ы".repeat(1001)))).toEqual([
      "Мәтін тым ұзын: 1001 таңба, 1000 таңбадан аспауы тиіс. Мәтінді қысқартып, қайта жіберіңіз.",
    ]);
    expect(await status(db.prisma, id)).toBe("AGREED_CHECK");
    expect(await version(id)).toBe(v);
    await checker.send("СЭС анықтамасы жоқ");
    expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { applicationId: id, action: "CHECKER_REFUSE" },
    });
    expect(audit.note ?? JSON.stringify(audit.changes)).toContain("СЭС анықтамасы жоқ");
    // the prompt is over
    expect(checker.texts(await checker.send("тағы мәтін"))[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
  });

  it("«Отмена» under the question (Kazakh) and /cancel (Russian) leave the prompt and change nothing", async () => {
    const id = await atChecker();
    const checker = h.user(DEMO.checker);
    const v = await version(id);
    await pressVerb(h, checker, "fs.cr");
    const cancelled = await pressVerb(h, checker, "fs.x");
    expect(checker.texts(cancelled)).toEqual(["Мәтінді енгізу тоқтатылды, ештеңе өзгертілген жоқ."]);
    expect(checker.texts(await checker.send("Бұл себеп емес"))[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    expect(await status(db.prisma, id)).toBe("AGREED_CHECK");
    expect(await version(id)).toBe(v);

    // the reviewer's note of a rejection notice, left with /cancel
    const other = await applicationUnderReview(db.prisma, "ALMATY");
    const reviewer = h.user(DEMO.reviewer);
    const ov = await version(other);
    await reviewer.press(cb("fs.rj", [other], ov));
    await reviewer.press(cb("fs.rn", [other], ov));
    expect(reviewer.texts(await reviewer.send("/cancel"))[0]).toBe("Действие отменено.");
    expect(reviewer.texts(await reviewer.send("Не примечание"))[0]).toBe(
      "Пожалуйста, пользуйтесь кнопками меню.",
    );
    expect(await version(other)).toBe(ov);
  });

  it("the rejection note goes into the draft; a note typed for an older version says who decided and is dropped", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    const v = await version(id);
    await reviewer.press(cb("fs.rj", [id], v));
    await reviewer.press(cb("fs.rn", [id], v));
    expect(reviewer.texts(await reviewer.sendSticker())).toEqual([
      "Пожалуйста, отправьте ответ текстом или нажмите «Отмена».",
    ]);
    const shown = await reviewer.send("Копия нечитаема");
    expect(reviewer.texts(shown).join("\n")).toContain("Копия нечитаема");
    // the reviewer forms the inclusion notice elsewhere; a note typed afterwards for the old version is refused
    await reviewer.press(cb("fs.rn", [id], v));
    await reviewer.press(cb("fs.in", [id], v)); // leaves the prompt and decides
    expect(await version(id)).toBeGreaterThan(v);
    await reviewer.press(cb("fs.rn", [id], v)); // an old «note» button starts a prompt for version v
    const stale = await reviewer.send("Поздняя заметка");
    expect(reviewer.texts(stale)[0]).toMatch(/^Решение уже принято: .+, \d\d\.\d\d\.\d{4} \d\d:\d\d\.$/);
    expect(reviewer.texts(stale).join("\n")).not.toContain("Поздняя заметка");
  });

  it("a decision taken by another approver while one types the refusal: «already decided» by NAME at TIME", async () => {
    const id = await atChecker();
    await pressVerb(h, h.user(DEMO.checker), "fs.cc");
    await drain(h);
    expect(await status(db.prisma, id)).toBe("CONFIRMED_APPROVAL");
    const approver = h.user(DEMO.approver);
    const v = await version(id);
    await approver.press(cb("fs.ar", [id], v));
    await h.user(APPROVER2).press(cb("fs.aa", [id], v));
    expect(await status(db.prisma, id)).toBe("INCLUDED");
    const decidedVersion = await version(id);
    const audit = await db.prisma.auditEvent.count({ where: { applicationId: id } });
    const out = await approver.send("Лицензия не покрывает подвид");
    expect(approver.texts(out)[0]).toMatch(
      /^Решение уже принято: Қайрат Сәрсенов, \d\d\.\d\d\.\d{4} \d\d:\d\d\.$/,
    );
    expect(await status(db.prisma, id)).toBe("INCLUDED");
    expect(await version(id)).toBe(decidedVersion);
    expect(await db.prisma.auditEvent.count({ where: { applicationId: id } })).toBe(audit);
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: id, action: "APPROVER_REFUSE" } }),
    ).toBe(0);
  });

  it("survives a restart in the middle of a refusal: a new bot on the same database takes the typed reason", async () => {
    const env = { ...FAST_OUTBOX };
    const first = await createHarness({ prisma: db.prisma, env });
    const second = await createHarness({ prisma: db.prisma, env });
    try {
      const id = await atChecker(first);
      await pressVerb(first, first.user(DEMO.checker), "fs.cr");
      // the open question is kept in PostgreSQL (ChatState.prompt), not in one process or in Redis
      const open = await db.prisma.chatState.findMany({ where: { prompt: { not: Prisma.DbNull } } });
      expect(open.filter((c) => c.key.endsWith(`:${DEMO.checker}`) && c.prompt !== null)).toHaveLength(1);
      await first.close();
      const checker = second.user(DEMO.checker);
      await checker.send("Қайта іске қосылғаннан кейін: СЭС жоқ");
      expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
      const audit = await db.prisma.auditEvent.findFirstOrThrow({
        where: { applicationId: id, action: "CHECKER_REFUSE" },
      });
      expect(audit.note ?? JSON.stringify(audit.changes)).toContain("Қайта іске қосылғаннан кейін: СЭС жоқ");
      const after = await db.prisma.chatState.findUniqueOrThrow({
        where: { key: `${DEMO.checker}:${DEMO.checker}` },
      });
      expect(after.prompt).toBeNull();
      expect(telegramLimitViolations([...first.calls, ...second.calls])).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
