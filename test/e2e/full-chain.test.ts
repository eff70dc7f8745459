// The whole life of an application through the real bot, by what each person sees and presses, once per
// language: the supplier admin walks the wizard and sends it to the head; the head gets the push, opens it,
// signs (M4 → ОК → confirmation with the SHA-256) → «На рассмотрении»; the reviewer forms the inclusion notice
// and picks a checker; the checker confirms; the approver approves; the supplier and the head get «Включен в БД»
// and the questionnaire, answer it; the manager sees /survey_stats. And the head's rejection with a reason.
// Only the test database is prepared outside the bot; pushes are delivered by the outbox worker's
// deliverOnce through the same recording Bot API.
import { afterAll, describe, expect, it } from "vitest";
import { QUESTIONNAIRE } from "../../domain/licensing/questionnaire.ts";
import { type Harness, telegramLimitViolations, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  completeWizardAndSend,
  deliverAll,
  e2eHarness,
  type Lang,
  newestButton,
  PEOPLE,
  packedUuid,
  pressNewest,
  setLanguage,
  statusOf,
  userIdOf,
} from "../helpers/e2e.ts";

const LABEL = {
  ru: {
    HEAD_APPROVAL: "На согласовании руководителя",
    UNDER_REVIEW: "На рассмотрении",
    AGREED_CHECK: "Согласована. На проверке",
    CONFIRMED_APPROVAL: "Подтверждена. На согласовании",
    INCLUDED: "Включен в БД",
    DRAFT: "Проект",
    headPush: "Заявка организации ожидает вашей подписи",
    reviewerPush: "Поступила новая заявка на рассмотрение",
    checkerPush: "Заявка направлена вам на проверку",
    approverPush: "Заявка направлена вам на согласование",
    includedPush:
      "Ваша организация включена в базу данных субъектов здравоохранения. Статус: «Включен в БД».",
    questionnaire: "Анкета",
    thanks: "Спасибо за ответы!",
    stats: "Результаты анкет",
    answered: "ответили: 2",
    notQualified: "не является квалифицированной ЭЦП",
  },
  kk: {
    HEAD_APPROVAL: "Басшының келісуінде",
    UNDER_REVIEW: "Қарауда",
    AGREED_CHECK: "Келісілді. Тексеруде",
    CONFIRMED_APPROVAL: "Расталды. Келісуде",
    INCLUDED: "Дерекқорға енгізілді",
    DRAFT: "Жоба",
    headPush: "Ұйымның өтінімі Сіздің қолыңызды күтуде",
    reviewerPush: "Қарауға жаңа өтінім түсті",
    checkerPush: "Өтінім Сізге тексеруге жіберілді",
    approverPush: "Өтінім Сізге келісуге жіберілді",
    includedPush:
      "Сіздің ұйымыңыз денсаулық сақтау субъектілерінің дерекқорына енгізілді. Мәртебесі: «Дерекқорға енгізілді».",
    questionnaire: "Сауалнама",
    thanks: "Жауаптарыңызға рақмет!",
    stats: "сауалнамаларының нәтижелері",
    answered: "жауап бергендер: 2",
    notQualified: "білікті ЭЦҚ болып табылмайды",
  },
} as const;

const opened: { db: TestDb; h: Harness }[] = [];
afterAll(async () => {
  for (const { db, h } of opened) {
    await h.close();
    await db.drop();
  }
});

async function setup() {
  const db = await createTestDb();
  const h = await e2eHarness(db.prisma);
  opened.push({ db, h });
  return { db, h };
}

/** The texts this user was shown since a mark (sent or edited), joined. */
const seen = (h: Harness, u: TestUser, mark: number) => u.texts(h.since(mark)).join("\n");

describe.each(["ru", "kk"] as const)("full chain in %s", (lang: Lang) => {
  const L = LABEL[lang];

  it("wizard → head signs → reviewer → checker → approver → «Включен в БД» → questionnaire → /survey_stats", async () => {
    const { db, h } = await setup();
    const supplier = h.user(PEOPLE.supplier, "Айгерим");
    const head = h.user(PEOPLE.head, "Ерлан");
    const reviewer = h.user(PEOPLE.reviewer, "Динара");
    const checker = h.user(PEOPLE.checker, "Нұрлан");
    const approver = h.user(PEOPLE.approver, "Бауыржан");
    const manager = h.user(PEOPLE.manager, "Сәуле");
    for (const u of [supplier, head, reviewer, checker, approver, manager]) await setLanguage(u, lang);

    // ── the supplier admin: the whole wizard, then «Отправить руководителю»
    const s0 = h.mark();
    const id = await completeWizardAndSend(h, db.prisma, supplier);
    expect(seen(h, supplier, s0)).toContain(L.HEAD_APPROVAL);
    expect(await statusOf(db.prisma, id)).toBe("HEAD_APPROVAL");

    // ── the head: the push, the queue, the application, sign (M4 if shown → ОК → confirm with the SHA-256)
    const h0 = h.mark();
    await deliverAll(h);
    const push = seen(h, head, h0);
    expect(push.length).toBeGreaterThan(0);
    if (L.headPush) expect(push).toContain(L.headPush);
    await pressNewest(h, head, "m.head"); // the push's button → the queue
    expect(seen(h, head, h0)).toContain(L.HEAD_APPROVAL);
    await pressNewest(h, head, "hd.o");
    await pressNewest(h, head, "hd.s");
    if (newestButton(h, head, "hd.ok") && !newestButton(h, head, "hd.cf"))
      await pressNewest(h, head, "hd.ok");
    const confirmShown = seen(h, head, h0);
    const sha = /\b([0-9a-f]{64})\b/.exec(confirmShown)?.[1];
    expect(sha, "the confirmation shows the SHA-256 of the signed document").toBeDefined();
    if (L.notQualified) expect(confirmShown).toContain(L.notQualified);
    const c0 = h.mark();
    await pressNewest(h, head, "hd.cf");
    expect(seen(h, head, c0)).toContain(`«${L.UNDER_REVIEW}»`);
    expect(await statusOf(db.prisma, id)).toBe("UNDER_REVIEW");
    const sigs = await db.prisma.signature.findMany({ where: { applicationId: id } });
    expect(sigs.map((s) => s.document).sort()).toEqual(["APPLICATION", "CONSENT"]);
    // two signatures, each over its own document's SHA-256 (the form and the consent), both shown before signing
    expect(new Set(sigs.map((s) => s.sha256)).size).toBe(2);
    expect(sigs.every((s) => confirmShown.includes(s.sha256) && s.method === "telegram-confirmation")).toBe(
      true,
    );

    // ── the reviewer: the push, the inclusion notice, the checker, send
    const r0 = h.mark();
    await deliverAll(h);
    const reviewerPush = seen(h, reviewer, r0);
    if (L.reviewerPush) expect(reviewerPush).toContain(L.reviewerPush);
    expect(reviewerPush).toContain(POLY_BIN);
    // the supplier was told too («На рассмотрении»)
    expect(seen(h, supplier, r0)).toContain(`«${L.UNDER_REVIEW}»`);
    await pressNewest(h, reviewer, "fs.in");
    expect(
      await db.prisma.notice.count({ where: { applicationId: id, kind: "INCLUSION", deletedAt: null } }),
    ).toBe(1);
    await pressNewest(h, reviewer, "fs.sc");
    const checkerId = await userIdOf(db.prisma, PEOPLE.checker);
    const toggle = reviewer
      .buttons()
      .find((b) => b.data?.startsWith("fs.tc:") && b.data.includes(packedUuid(checkerId)));
    expect(toggle, "the checker is offered").toBeDefined();
    await reviewer.press(toggle!.data!);
    const g0 = h.mark();
    await pressNewest(h, reviewer, "fs.go");
    expect(seen(h, reviewer, g0)).toContain(L.AGREED_CHECK);
    expect(await statusOf(db.prisma, id)).toBe("AGREED_CHECK");

    // ── the checker confirms
    const k0 = h.mark();
    await deliverAll(h);
    if (L.checkerPush) expect(seen(h, checker, k0)).toContain(L.checkerPush);
    const k1 = h.mark();
    await pressNewest(h, checker, "fs.cc");
    expect(seen(h, checker, k1)).toContain(L.CONFIRMED_APPROVAL);
    expect(await statusOf(db.prisma, id)).toBe("CONFIRMED_APPROVAL");

    // ── the approver approves
    const a0 = h.mark();
    await deliverAll(h);
    if (L.approverPush) expect(seen(h, approver, a0)).toContain(L.approverPush);
    const a1 = h.mark();
    await pressNewest(h, approver, "fs.aa");
    expect(seen(h, approver, a1)).toContain(L.INCLUDED);
    expect(await statusOf(db.prisma, id)).toBe("INCLUDED");

    // ── the supplier and the head: «Включен в БД» in their language, then the questionnaire
    const i0 = h.mark();
    await deliverAll(h);
    for (const u of [supplier, head]) {
      const texts = u.texts(h.since(i0));
      expect(texts.join("\n"), `${u.id}`).toContain(`«${L.INCLUDED}»`);
      const q = texts.findIndex((t) => t.includes(L.questionnaire));
      const inc = texts.findIndex((t) => t.includes(`«${L.INCLUDED}»`));
      expect(q, `questionnaire for ${u.id}`).toBeGreaterThan(inc);
      expect(texts[q]).toContain(QUESTIONNAIRE.questions[1][lang]);
    }
    expect(supplier.texts(h.since(i0)).join("\n")).toContain(L.includedPush);
    // answers: supplier «3» then «2», head «2» then «3»
    for (const [u, a1v, a2v] of [
      [supplier, 3, 2],
      [head, 2, 3],
    ] as const) {
      const q1 = await u.press(`q:${id}:1:${a1v}`, newestButton(h, u, "q")!.messageId);
      expect(u.texts(q1).join("\n")).toContain(QUESTIONNAIRE.questions[2][lang]);
      const q2 = await u.press(`q:${id}:2:${a2v}`, newestButton(h, u, "q")!.messageId);
      if (L.thanks) expect(u.texts(q2).join("\n")).toContain(L.thanks);
      expect(u.texts(q2).join("\n")).toContain(QUESTIONNAIRE.answers[a2v][lang]);
    }
    const answers = await db.prisma.questionnaireAnswer.findMany({ where: { applicationId: id } });
    expect(answers.map((a) => [a.q1, a.q2]).sort()).toEqual([
      [2, 3],
      [3, 2],
    ]);

    // ── the manager: /survey_stats counts
    const m0 = h.mark();
    await manager.send("/survey_stats");
    const stats = seen(h, manager, m0);
    expect(stats).toContain(L.stats);
    expect(stats).toContain(L.answered);
    for (const n of [1, 2, 3] as const) expect(stats).toContain(`${QUESTIONNAIRE.answers[n][lang]}: `);
    // per question: «1» never, «2» once, «3» once (supplier 3/2, head 2/3)
    const lines = stats.split("\n").map((l) => l.trim());
    for (const [n, count] of [
      [1, 0],
      [2, 1],
      [3, 1],
    ] as const) {
      const line = `${QUESTIONNAIRE.answers[n][lang]}: ${count}`;
      expect(
        lines.filter((l) => l === line),
        line,
      ).toHaveLength(2); // once per question
    }

    // ── «Мои заявки» of the supplier shows the final status in the supplier's language
    const st0 = h.mark();
    await supplier.send("/applications");
    expect(seen(h, supplier, st0)).toContain(L.INCLUDED);

    // ── DB at the end: one of each decision, in order
    const final = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(final.status).toBe("INCLUDED");
    const audit = await db.prisma.auditEvent.findMany({
      where: { applicationId: id },
      orderBy: { at: "asc" },
    });
    const actions = audit.map((a) => a.action);
    for (const a of [
      "SEND_TO_HEAD",
      "HEAD_SIGN_CONSENT",
      "HEAD_SUBMIT",
      "FORM_INCLUSION_NOTICE",
      "SEND_TO_CHECK",
      "CHECKER_CONFIRM",
      "APPROVER_APPROVE",
    ]) {
      expect(
        actions.filter((x) => x === a),
        a,
      ).toHaveLength(1);
    }
    expect(actions.indexOf("HEAD_SUBMIT")).toBeLessThan(actions.indexOf("APPROVER_APPROVE"));
    expect(await db.prisma.outbox.count({ where: { status: { not: "SENT" } } })).toBe(0);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});

const POLY_BIN = "100140001231";

describe("head rejection (kk)", () => {
  it("the head rejects with a reason; the Kazakh-speaking author sees the reason and «Жоба»", async () => {
    const { db, h } = await setup();
    const supplier = h.user(PEOPLE.supplier, "Айгерим");
    const head = h.user(PEOPLE.head, "Ерлан");
    for (const u of [supplier, head]) await setLanguage(u, "kk");
    const id = await completeWizardAndSend(h, db.prisma, supplier);
    expect(supplier.texts().at(-1)).toContain("Өтінім басшыға қол қоюға жіберілді");

    const h0 = h.mark();
    await deliverAll(h);
    expect(seen(h, head, h0).length).toBeGreaterThan(0);
    await pressNewest(h, head, "m.head");
    await pressNewest(h, head, "hd.o");
    const ask = await pressNewest(h, head, "hd.r");
    expect(head.texts(ask).join("\n")).toContain("Қабылдамау себебін");
    const reason = "Лицензия L64 қосымшасы жоқ";
    const done = await head.send(reason);
    expect(head.texts(done).join("\n")).toContain("«Жоба»");
    expect(await statusOf(db.prisma, id)).toBe("DRAFT");

    // the author's push names the reason (delivered by the outbox) and so does «Мои заявки»
    const p0 = h.mark();
    await deliverAll(h);
    const pushed = seen(h, supplier, p0);
    expect(pushed).toContain("«Жоба»");
    expect(pushed).toContain(reason);
    const v0 = h.mark();
    await supplier.send("/applications");
    await pressNewest(h, supplier, "my.v");
    const detail = seen(h, supplier, v0);
    expect(detail).toContain("«Жоба»");
    expect(detail).toContain(reason);
    expect(detail).not.toMatch(/Причина|Статус:/);

    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app.headRejectReason).toBe(reason);
    const audit = await db.prisma.auditEvent.findMany({ where: { applicationId: id } });
    expect(audit.filter((a) => a.action === "HEAD_REJECT")).toHaveLength(1);
    expect(await db.prisma.signature.count({ where: { applicationId: id } })).toBe(0);
    expect(telegramLimitViolations(h.calls)).toEqual([]);
  });
});
