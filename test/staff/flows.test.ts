// End to end through the real bot: reviewer → checker → approver by button presses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, endBotTest } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { cb } from "../../bot/kit/callbacks.ts";
import { storedFile } from "../helpers/e2e.ts";
import {
  applicationUnderReview,
  button,
  DEMO,
  drain,
  FAST_OUTBOX,
  hasButton,
  includeWithButtons,
  pressVerb,
  sendToCheckers,
  status,
  step,
  userId,
} from "./setup.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
});
afterAll(() => endBotTest([h], db));

describe("staff flows", () => {
  it("includes an application: reviewer forms the inclusion notice, picks a checker, checker confirms, approver approves", async () => {
    const id = await applicationUnderReview(db.prisma);
    const reviewer = h.user(DEMO.reviewer);
    const checker = h.user(DEMO.checker);
    const approver = h.user(DEMO.approver);
    const supplier = h.user(DEMO.supplier);
    await drain(h);
    // the reviewer got the new application with its summary and buttons
    const msg = reviewer.last()!;
    expect(String(msg.payload.text)).toContain("Поступила новая заявка");
    await reviewer.press(button(reviewer, h, "fs.in").data, button(reviewer, h, "fs.in").messageId);
    expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
    expect(
      await db.prisma.notice.count({ where: { applicationId: id, kind: "INCLUSION", deletedAt: null } }),
    ).toBe(1);

    // checker picker: the two checkers of the branch, never the reviewer themself
    const m = h.mark();
    await reviewer.press(button(reviewer, h, "fs.sc").data);
    const picker = h.since(m);
    const reviewerId = await userId(db.prisma, DEMO.reviewer);
    const toggles = reviewer.buttons(picker.at(-1)).filter((b) => b.data?.startsWith("fs.tc:"));
    expect(toggles.length).toBe(2);
    expect(
      toggles.some((b) =>
        b.data!.includes(Buffer.from(reviewerId.replace(/-/g, ""), "hex").toString("base64url")),
      ),
    ).toBe(false);
    const checkerId = await userId(db.prisma, DEMO.checker);
    const mine = toggles.find((b) =>
      b.data!.includes(Buffer.from(checkerId.replace(/-/g, ""), "hex").toString("base64url")),
    )!;
    await reviewer.press(mine.data!);
    await reviewer.press(button(reviewer, h, "fs.go").data);
    expect(await status(db.prisma, id)).toBe("AGREED_CHECK");

    await drain(h);
    expect(checker.texts().join("\n")).toContain("тексеруге жіберілді");
    await checker.press(button(checker, h, "fs.cc").data);
    expect(await status(db.prisma, id)).toBe("CONFIRMED_APPROVAL");

    await drain(h);
    await approver.press(button(approver, h, "fs.aa").data);
    expect(await status(db.prisma, id)).toBe("INCLUDED");
    await drain(h);
    expect(supplier.texts().join("\n")).toContain("включена в базу данных");
    // the reviewer's first message lost its buttons and shows who decided
    const edits = h.calls.filter(
      (c) => c.method === "editMessageText" && Number(c.payload.chat_id) === DEMO.reviewer,
    );
    expect(edits.some((e) => String(e.payload.text).includes("Решение принято"))).toBe(true);
  });
});

describe("negative decisions and returns", () => {
  it("rejects an application: grounds picked with ✅ toggles, a typed note, checker and approver agree; the supplier sees the reasons", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.rj");
    const grounds = reviewer.buttons().filter((b) => b.data?.startsWith("fs.rg:"));
    expect(grounds.length).toBeGreaterThanOrEqual(2);
    // pick, unpick, pick another two
    await reviewer.press(grounds[0]!.data!);
    expect(
      reviewer
        .buttons()
        .find((b) => b.data === grounds[0]!.data)
        ?.text.startsWith("✅"),
    ).toBe(true);
    await reviewer.press(grounds[0]!.data!);
    expect(
      reviewer
        .buttons()
        .find((b) => b.data === grounds[0]!.data)
        ?.text.startsWith("✅"),
    ).toBe(false);
    await reviewer.press(grounds[1]!.data!);
    await reviewer.press(grounds[2]!.data!);
    await pressVerb(h, reviewer, "fs.rn");
    await reviewer.send("Копия лицензии нечитаема");
    await pressVerb(h, reviewer, "fs.rk");
    const notice = await db.prisma.notice.findFirstOrThrow({ where: { applicationId: id, deletedAt: null } });
    expect(notice.kind).toBe("REJECTION");
    expect(notice.reasons.length).toBe(2);
    expect(notice.note).toBe("Копия лицензии нечитаема");

    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker2]);
    expect(await status(db.prisma, id)).toBe("REJECTED_CHECK");
    await drain(h);
    await pressVerb(h, h.user(DEMO.checker2), "fs.cc");
    expect(await status(db.prisma, id)).toBe("REJECTED_APPROVAL");
    await drain(h);
    await pressVerb(h, h.user(DEMO.approver), "fs.aa");
    expect(await status(db.prisma, id)).toBe("REJECTED");
    await drain(h);
    // the final status message, then the satisfaction questionnaire (SPEC §5.12)
    const supplierTexts = h.user(DEMO.supplier).texts();
    expect(supplierTexts.at(-1)).toContain("Анкета");
    const supplierText = supplierTexts.at(-2)!;
    expect(supplierText).toContain("Заявка отклонена");
    expect(supplierText).toContain("Копия лицензии нечитаема");
    expect(supplierText).toContain("Основания:");
  });

  it("deletes a formed notice (T11)", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.in");
    await pressVerb(h, reviewer, "fs.dn");
    expect(await db.prisma.notice.count({ where: { applicationId: id, deletedAt: null } })).toBe(0);
    expect(hasButton(reviewer, [reviewer.last()!], "fs.in")).toBe(true);
  });

  it("a checker's refusal needs a typed reason and returns the application to the reviewer with it", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.in");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker2]);
    await drain(h);
    const checker = h.user(DEMO.checker2);
    await pressVerb(h, checker, "fs.cr");
    expect(await status(db.prisma, id)).toBe("AGREED_CHECK");
    await checker.send("Не приложена справка СЭС");
    expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
    const m = h.mark();
    await drain(h);
    const returned = reviewer.texts(h.since(m)).join("\n");
    expect(returned).toContain("возвращена на повторное рассмотрение");
    expect(returned).toContain("Не приложена справка СЭС");
  });

  it("an approver's refusal returns the application to the reviewer with the reason", async () => {
    const id = await applicationUnderReview(db.prisma);
    await drain(h);
    const reviewer = h.user(DEMO.reviewer);
    await pressVerb(h, reviewer, "fs.in");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker2]);
    await drain(h);
    await pressVerb(h, h.user(DEMO.checker2), "fs.cc");
    await drain(h);
    const approver = h.user(DEMO.approver);
    await pressVerb(h, approver, "fs.ar");
    await approver.send("Лицензия не покрывает подвид");
    expect(await status(db.prisma, id)).toBe("UNDER_REVIEW");
    const m = h.mark();
    await drain(h);
    expect(reviewer.texts(h.since(m)).join("\n")).toContain("Лицензия не покрывает подвид");
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { applicationId: id, action: "APPROVER_REFUSE" },
    });
    expect(audit.note ?? JSON.stringify(audit.changes)).toContain("Лицензия не покрывает подвид");
  });
});

// The exclusion runs last: afterwards the organisation may not apply for 3 years (DECISIONS 7).
describe("change and exclusion of an included application", () => {
  it("includes a changed version: the previous included version becomes «Изменена»", async () => {
    const first = await applicationUnderReview(db.prisma);
    await includeWithButtons(h, db.prisma, first);
    const r = await step(db.prisma, first, DEMO.supplier, "MAKE_CHANGES");
    const second = (r as { newApplicationId?: string }).newApplicationId!;
    expect(second).toBeDefined();
    const sig = (document: "CONSENT" | "APPLICATION") => ({
      document,
      sha256: "b".repeat(64),
      method: "test",
    });
    const form = await storedFile(db.prisma, "form.pdf");
    await step(db.prisma, second, DEMO.supplier, "SAVE");
    await step(db.prisma, second, DEMO.supplier, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await step(db.prisma, second, DEMO.supplier, "SEND_TO_HEAD");
    const consent = await storedFile(db.prisma, "consent.pdf");
    await step(db.prisma, second, DEMO.head, "HEAD_SIGN_CONSENT", {
      signatures: [sig("CONSENT")],
      document: { kind: "CONSENT", fileId: consent.id },
    });
    await step(db.prisma, second, DEMO.head, "HEAD_SUBMIT", {
      confirmed: true,
      signatures: [sig("APPLICATION")],
    });
    await drain(h);
    expect(h.user(DEMO.reviewer).texts().join("\n")).toContain("Версия заявки: 2");
    await includeWithButtons(h, db.prisma, second);
    expect(await status(db.prisma, second)).toBe("INCLUDED");
    expect(await status(db.prisma, first)).toBe("CHANGED");
  });

  it("excludes an included application: reason + additional ground, checker confirms, approver signs the SHA-256", async () => {
    const id = await applicationUnderReview(db.prisma);
    await includeWithButtons(h, db.prisma, id);
    expect(await status(db.prisma, id)).toBe("INCLUDED");
    const reviewer = h.user(DEMO.reviewer);
    const app = await db.prisma.application.findUniqueOrThrow({ where: { id } });
    await reviewer.press(cb("fs.v", [id]));
    await reviewer.press(cb("fs.xs", [id], app.version));
    const reasons = reviewer.buttons().filter((b) => b.data?.startsWith("fs.xr:"));
    await reviewer.press(reasons[0]!.data!);
    await pressVerb(h, reviewer, "fs.xg");
    await reviewer.send("Письмо управления здравоохранения № 12");
    await pressVerb(h, reviewer, "fs.xk");
    const notice = await db.prisma.notice.findFirstOrThrow({
      where: { applicationId: id, kind: "EXCLUSION", deletedAt: null },
    });
    expect(notice.additionalGround).toBe("Письмо управления здравоохранения № 12");
    await sendToCheckers(h, db.prisma, reviewer, [DEMO.checker]);
    expect(await status(db.prisma, id)).toBe("REJECTED_CHECK");
    await drain(h);
    await pressVerb(h, h.user(DEMO.checker), "fs.cc");
    expect(await status(db.prisma, id)).toBe("CONFIRMED_APPROVAL");
    await drain(h);
    const approver = h.user(DEMO.approver);
    await pressVerb(h, approver, "fs.xa");
    const shown = String(approver.last()!.payload.text);
    const hash = /([0-9a-f]{64})/.exec(shown)?.[1];
    expect(hash).toBeDefined();
    expect(await status(db.prisma, id)).toBe("CONFIRMED_APPROVAL");
    await pressVerb(h, approver, "fs.xc");
    expect(await status(db.prisma, id)).toBe("EXCLUDED");
    const sig = await db.prisma.signature.findFirstOrThrow({
      where: { applicationId: id, document: "EXCLUSION_NOTICE" },
    });
    expect(sig.sha256).toBe(hash);
    expect(sig.method).toBe("telegram-confirmation");
    // the signed document is the notice PDF the approver was sent, kept with its hash (DECISIONS 27)
    const file = await db.prisma.storedFile.findUniqueOrThrow({ where: { id: sig.fileId! } });
    expect(file.sha256).toBe(hash);
    expect(file.mimeType).toBe("application/pdf");
    const sent = h.calls.filter(
      (c) => c.method === "sendDocument" && Number(c.payload.chat_id) === DEMO.approver,
    );
    expect(sent.at(-1)?.payload.caption).toContain(hash);
    await drain(h);
    expect(h.user(DEMO.supplier).texts().at(-2)).toContain("исключена из базы данных");
    expect(h.user(DEMO.supplier).texts().at(-1)).toContain("Анкета");
  });
});
