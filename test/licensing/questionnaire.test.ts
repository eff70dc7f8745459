// The satisfaction questionnaire (SPEC §5.12): domain validation, the store (idempotent saves, counts per
// branch) and the bot (offer → answers → thanks; authorisation re-checked; /survey_stats for a MANAGER).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { questionnaireCallback, questionnaireScreen } from "../../bot/views/questionnaire.ts";
import {
  canAnswer,
  emptyCounts,
  nextQuestion,
  parseAnswer,
  QUESTIONNAIRE,
} from "../../domain/licensing/questionnaire.ts";
import type { Status } from "../../domain/types.ts";
import {
  questionnaireAccess,
  questionnaireAnswers,
  questionnaireStats,
  saveQuestionnaireAnswer,
} from "../../prisma/store/questionnaire.ts";
import { createHarness, type Harness, htmlProblems, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const DEMO = { supplier: 100001, head: 100002, manager: 100007, otherSupplier: 100008 } as const;
const ORG_BIN = "100140001231";

describe("domain", () => {
  it("accepts questions 1–2 and answers 1–3, as numbers or digits", () => {
    expect(parseAnswer("1", "3")).toEqual({ ok: true, value: { question: 1, answer: 3 } });
    expect(parseAnswer(2, 1)).toEqual({ ok: true, value: { question: 2, answer: 1 } });
    expect(parseAnswer("3", "1")).toMatchObject({
      ok: false,
      errors: [{ code: "questionnaire.invalid_question" }],
    });
    expect(parseAnswer(1, 4)).toMatchObject({
      ok: false,
      errors: [{ code: "questionnaire.invalid_answer" }],
    });
    expect(parseAnswer("x", "")).toMatchObject({ ok: false });
  });

  it("lets only the author or a head answer, and only after a final decision", () => {
    const base = { userId: "u1", authorId: "u1", isOrgHead: false };
    for (const status of ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"] as Status[]) {
      expect(canAnswer({ ...base, status }).ok).toBe(true);
    }
    expect(canAnswer({ ...base, status: "UNDER_REVIEW" })).toMatchObject({
      ok: false,
      errors: [{ code: "questionnaire.not_final" }],
    });
    expect(canAnswer({ ...base, userId: "u2", status: "INCLUDED" })).toMatchObject({
      ok: false,
      errors: [{ code: "questionnaire.forbidden" }],
    });
    expect(canAnswer({ ...base, userId: "u2", isOrgHead: true, status: "REJECTED" }).ok).toBe(true);
  });

  it("asks question 1, then 2, then nothing", () => {
    expect(nextQuestion({ q1: null, q2: null })).toBe(1);
    expect(nextQuestion({ q1: 3, q2: null })).toBe(2);
    expect(nextQuestion({ q1: null, q2: 2 })).toBe(1);
    expect(nextQuestion({ q1: 1, q2: 2 })).toBeNull();
  });

  it("offers two questions with three answers in kk and ru, callback data within 64 bytes", () => {
    const id = randomUUID();
    for (const lang of ["kk", "ru"] as const) {
      for (const q of [1, 2] as const) {
        const offer = questionnaireScreen(lang, id, q);
        expect(htmlProblems(offer.text)).toEqual([]);
        expect(offer.text).toContain(QUESTIONNAIRE.questions[q][lang]);
        const buttons = offer.keyboard.inline_keyboard.flat();
        expect(buttons.map((b) => ("callback_data" in b ? b.callback_data : ""))).toEqual([
          questionnaireCallback(id, q, 1),
          questionnaireCallback(id, q, 2),
          questionnaireCallback(id, q, 3),
        ]);
        for (const b of buttons)
          expect(
            Buffer.byteLength(String((b as { callback_data: string }).callback_data)),
          ).toBeLessThanOrEqual(64);
      }
    }
    expect(questionnaireCallback(id, 2, 3)).toMatch(/^q:~[A-Za-z0-9_-]{22}:2:3$/);
  });
});

describe("store and bot", () => {
  let db: TestDb;
  let h: Harness;
  let orgId: string;
  const uid = async (telegramId: number) =>
    (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(telegramId) } })).id;

  async function application(status: Status, regionCode = "ASTANA", author = DEMO.supplier): Promise<string> {
    const app = await db.prisma.application.create({
      data: { chainId: randomUUID(), orgId, authorId: await uid(author), regionCode, status },
    });
    return app.id;
  }

  beforeAll(async () => {
    db = await createTestDb();
    h = await createHarness({ prisma: db.prisma });
    orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: ORG_BIN } })).id;
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it("saves idempotently: created, unchanged on a double tap, updated on a different answer", async () => {
    const app = await application("INCLUDED");
    const user = await uid(DEMO.supplier);
    const args = { applicationId: app, userId: user, question: 1 as const, answer: 3 as const };
    expect(await saveQuestionnaireAnswer(db.prisma, args)).toEqual({ status: "created", q1: 3, q2: null });
    expect(await saveQuestionnaireAnswer(db.prisma, args)).toEqual({ status: "unchanged", q1: 3, q2: null });
    expect(await saveQuestionnaireAnswer(db.prisma, { ...args, answer: 2 })).toEqual({
      status: "updated",
      q1: 2,
      q2: null,
    });
    expect(await saveQuestionnaireAnswer(db.prisma, { ...args, question: 2, answer: 1 })).toEqual({
      status: "updated",
      q1: 2,
      q2: 1,
    });
    expect(await db.prisma.questionnaireAnswer.count({ where: { applicationId: app } })).toBe(1);
  });

  it("keeps one row when the same answer arrives five times at once", async () => {
    const app = await application("REJECTED");
    const user = await uid(DEMO.head);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        saveQuestionnaireAnswer(db.prisma, { applicationId: app, userId: user, question: 2, answer: 2 }),
      ),
    );
    expect(results.filter((r) => r.status === "created")).toHaveLength(1);
    expect(await db.prisma.questionnaireAnswer.count({ where: { applicationId: app } })).toBe(1);
  });

  it("re-reads who may answer: author, head, anyone else", async () => {
    const app = await application("INCLUDED");
    expect(await questionnaireAccess(db.prisma, app, await uid(DEMO.supplier))).toMatchObject({
      isOrgHead: false,
    });
    expect(await questionnaireAccess(db.prisma, app, await uid(DEMO.head))).toMatchObject({
      isOrgHead: true,
    });
    expect(await questionnaireAccess(db.prisma, app, await uid(DEMO.otherSupplier))).toMatchObject({
      isOrgHead: false,
      status: "INCLUDED",
    });
    expect(await questionnaireAccess(db.prisma, randomUUID(), await uid(DEMO.supplier))).toBeNull();
  });

  it("counts per question and answer for a branch and overall", async () => {
    const almaty = await application("EXCLUDED", "ALMATY");
    await saveQuestionnaireAnswer(db.prisma, {
      applicationId: almaty,
      userId: await uid(DEMO.supplier),
      question: 1,
      answer: 1,
    });
    const astana = await questionnaireStats(db.prisma, { branchId: "BR-ASTANA" });
    const alm = await questionnaireStats(db.prisma, { branchId: "BR-ALMATY" });
    const all = await questionnaireStats(db.prisma);
    expect(alm).toEqual({ respondents: 1, q1: { 1: 1, 2: 0, 3: 0 }, q2: { 1: 0, 2: 0, 3: 0 } });
    expect(astana.respondents).toBe(2);
    expect(astana.q1).toEqual({ 1: 0, 2: 1, 3: 0 });
    expect(astana.q2).toEqual({ 1: 1, 2: 1, 3: 0 });
    expect(all.respondents).toBe(3);
    expect(await questionnaireStats(db.prisma, { branchId: "BR-NOWHERE" })).toEqual(emptyCounts());
  });

  it("bot: the supplier answers both questions; a double tap is harmless; the row holds both answers", async () => {
    const app = await application("INCLUDED");
    const supplier = h.user(DEMO.supplier);
    const offer = questionnaireScreen("ru", app);
    await h.bot.api.sendMessage(DEMO.supplier, offer.text, {
      parse_mode: "HTML",
      reply_markup: offer.keyboard,
    });

    const first = await supplier.press(questionnaireCallback(app, 1, 3));
    expect(first.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("Ответ сохранён.");
    const edit = first.find((c) => c.method === "editMessageText");
    expect(String(edit?.payload.text)).toContain(QUESTIONNAIRE.questions[2].ru);
    expect(supplier.buttons(edit).map((b) => b.data)).toEqual([
      questionnaireCallback(app, 2, 1),
      questionnaireCallback(app, 2, 2),
      questionnaireCallback(app, 2, 3),
    ]);

    const again = await supplier.press(questionnaireCallback(app, 1, 3));
    expect(again.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("Этот ответ уже учтён.");

    const second = await supplier.press(questionnaireCallback(app, 2, 2));
    const thanks = second.find((c) => c.method === "editMessageText");
    expect(String(thanks?.payload.text)).toContain("Спасибо за ответы!");
    expect(String(thanks?.payload.text)).toContain("частично удовлетворен");
    expect(await questionnaireAnswers(db.prisma, app, await uid(DEMO.supplier))).toEqual({ q1: 3, q2: 2 });
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });

  it("bot: refuses a user of another organisation and an application without a final decision", async () => {
    const app = await application("INCLUDED");
    const other = await h.user(DEMO.otherSupplier).press(questionnaireCallback(app, 1, 1));
    expect(other.find((c) => c.method === "answerCallbackQuery")?.payload).toMatchObject({
      text: "Анкету может заполнить только автор заявки или руководитель организации.",
      show_alert: true,
    });
    const open = await application("UNDER_REVIEW");
    const early = await h.user(DEMO.supplier).press(questionnaireCallback(open, 1, 1));
    expect(early.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Анкета доступна после окончательного решения по заявке.",
    );
    const forged = await h.user(DEMO.supplier).press(`q:${app}:3:9`);
    expect(forged.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("Некорректный ответ.");
    expect(await db.prisma.questionnaireAnswer.count({ where: { applicationId: { in: [app, open] } } })).toBe(
      0,
    );
  });

  it("bot: /survey_stats shows the branch counts to a MANAGER (in the manager's Kazakh) and refuses others", async () => {
    const manager = await h.user(DEMO.manager).send("/survey_stats");
    const text = manager.map((c) => String(c.payload.text ?? "")).join("\n");
    expect(text).toContain("сауалнамаларының нәтижелері");
    expect(text).toMatch(/жауап бергендер: [1-9]/);
    expect(text).toContain(`${QUESTIONNAIRE.answers[3].kk}: `);
    const supplier = await h.user(DEMO.supplier).send("/survey_stats");
    expect(String(supplier.at(-1)?.payload.text)).toBe("Результаты анкет доступны руководителю филиала.");
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});
