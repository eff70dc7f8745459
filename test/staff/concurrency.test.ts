// Two staff members pressing at the same moment, and forged / unauthorised presses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { createHarness, type Harness, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  applicationUnderReview,
  button,
  DEMO,
  drain,
  FAST_OUTBOX,
  packed,
  pressVerb,
  sendToCheckers,
  status,
  userId,
  addAstanaApprover,
} from "./setup.ts";

let db: TestDb;
let h: Harness;
let h2: Harness;
const APPROVER2 = 100099;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  h2 = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  await addAstanaApprover(db.prisma, APPROVER2);
});
afterAll(() => endBotTest([h, h2], db));

const answers = (hs: Harness) =>
  hs.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => String(c.payload.text ?? ""));

async function snapshot(id: string) {
  const [app, audit, notices, outbox] = await Promise.all([
    db.prisma.application.findUniqueOrThrow({ where: { id } }),
    db.prisma.auditEvent.count({ where: { applicationId: id } }),
    db.prisma.notice.count({ where: { applicationId: id } }),
    db.prisma.outbox.count({ where: { applicationId: id } }),
  ]);
  return { status: app.status, version: app.version, audit, notices, outbox };
}

describe("concurrent decisions", () => {
  it("two checkers and then two approvers pressing at once: one decision each, one audit row, every message edited", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.in");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker, DEMO.checker2]);
    await drain(h);
    const c1 = h.user(DEMO.checker);
    const c2 = h2.user(DEMO.checker2);
    const b1 = button(c1, h, "fs.cc");
    const b2 = button(h.user(DEMO.checker2), h, "fs.cc");
    await Promise.all([c1.press(b1.data, b1.messageId), c2.press(b2.data, b2.messageId)]);
    expect(await status(db.prisma, id)).toBe("CONFIRMED_APPROVAL");
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: id, action: "CHECKER_CONFIRM" } }),
    ).toBe(1);
    const all = [...answers(h), ...answers(h2)];
    expect(all.filter((t) => /Шешім қабылданып қойған|Решение уже принято/.test(t)).length).toBe(1);

    const m = h.mark();
    await drain(h);
    const edits = h.since(m).filter((c) => c.method === "editMessageText");
    for (const chat of [DEMO.checker, DEMO.checker2]) {
      const e = edits.find((x) => Number(x.payload.chat_id) === chat);
      expect(e, `edit for ${chat}`).toBeDefined();
      expect(String(e!.payload.text)).toMatch(/Шешім қабылданды|Решение принято/);
      expect((e!.payload.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
    }

    // two approvers
    const a1 = h.user(DEMO.approver);
    const a2 = h2.user(APPROVER2);
    const x1 = button(a1, h, "fs.aa");
    const x2 = button(h.user(APPROVER2), h, "fs.aa");
    await Promise.all([a1.press(x1.data, x1.messageId), a2.press(x2.data, x2.messageId)]);
    expect(await status(db.prisma, id)).toBe("INCLUDED");
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: id, action: "APPROVER_APPROVE" } }),
    ).toBe(1);
    const m2 = h.mark();
    await drain(h);
    const edits2 = h.since(m2).filter((c) => c.method === "editMessageText");
    for (const chat of [DEMO.approver, APPROVER2]) {
      expect(
        edits2.some(
          (x) =>
            Number(x.payload.chat_id) === chat &&
            /Решение принято|Шешім қабылданды/.test(String(x.payload.text)),
        ),
      ).toBe(true);
    }
    // a second tap later: answered, nothing changes
    const before = await snapshot(id);
    const mm = h.mark();
    await a1.press(x1.data, x1.messageId);
    const ans = h.since(mm).find((c) => c.method === "answerCallbackQuery");
    expect(String(ans?.payload.text)).toMatch(/Решение уже принято: .+, \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect(await snapshot(id)).toEqual(before);
  });
});

describe("every press is authorised again", () => {
  it("refuses a callback with another branch's application id", async () => {
    const other = await applicationUnderReview(db.prisma, "ALMATY");
    const before = await snapshot(other);
    const reviewer = h.user(DEMO.reviewer);
    const m = h.mark();
    await reviewer.press(cb("fs.in", [other], before.version));
    await reviewer.press(cb("fs.v", [other]));
    expect(await snapshot(other)).toEqual(before);
    const texts = h
      .since(m)
      .filter((c) => c.method === "answerCallbackQuery")
      .map((c) => String(c.payload.text));
    expect(texts.every((t) => /не найдена|недоступно/.test(t))).toBe(true);
    expect(h.since(m).some((c) => c.method === "sendMessage" || c.method === "editMessageText")).toBe(false);
  });

  it("refuses a decision from a user without the role", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.in");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker]);
    const before = await snapshot(id);
    // the supplier, the manager, the approver and a checker who was not chosen press «Подтвердить»
    for (const tg of [DEMO.supplier, DEMO.manager, DEMO.approver, DEMO.checker2]) {
      await h.user(tg).press(cb("fs.cc", [id], before.version));
    }
    // the reviewer tries to approve
    await reviewer.press(cb("fs.aa", [id], before.version));
    expect(await snapshot(id)).toEqual(before);
  });

  it("refuses a forged version and a forged checker toggle for oneself", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    const before = await snapshot(id);
    const m = h.mark();
    await reviewer.press(cb("fs.in", [id], before.version + 3));
    expect(await snapshot(id)).toEqual(before);
    // a version the application never had is named as such (not "already decided")
    expect(String(h.since(m).find((c) => c.method === "answerCallbackQuery")?.payload.text)).toMatch(
      /такой версии у заявки не было/,
    );
    // an older version: "already decided by NAME at TIME"
    const m1 = h.mark();
    await reviewer.press(cb("fs.in", [id], before.version - 1));
    expect(String(h.since(m1).find((c) => c.method === "answerCallbackQuery")?.payload.text)).toMatch(
      /Решение уже принято/,
    );

    await pressVerb(h, reviewer, "fs.in");
    const v = (await snapshot(id)).version;
    await pressVerb(h, reviewer, "fs.sc");
    const self = await userId(db.prisma, DEMO.reviewer);
    expect(reviewer.buttons().some((b) => b.data?.includes(packed(self)))).toBe(false);
    const m2 = h.mark();
    await reviewer.press(cb("fs.tc", [id, self], v));
    expect(String(h.since(m2).find((c) => c.method === "answerCallbackQuery")?.payload.text)).toContain(
      "самому себе",
    );
    // sending with nobody chosen is refused as well
    await reviewer.press(cb("fs.go", [id], v));
    expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
    const notice = await db.prisma.notice.findFirstOrThrow({ where: { applicationId: id, deletedAt: null } });
    expect(notice.checkerIds).toEqual([]);
  });
});
