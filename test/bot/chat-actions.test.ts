// A chat action («печатает…» / «отправляет файл…») before every slow step of a supplier's journey: the licence
// request when a new application starts, the application form's PDF, sending it to the head. Each press is
// answered first, then the chat action, then the slow work's result.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "../../bot/kit/i18n.ts";
import { type ApiCall, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { completeWizardAndSend, e2eHarness, PEOPLE } from "../helpers/e2e.ts";

let db: TestDb;
let h: Harness;

beforeAll(async () => {
  db = await createTestDb();
  h = await e2eHarness(db.prisma);
});
afterAll(() => endBotTest([h], db));

/** The chat's calls, from the answer of the press that led to `resultIndex` to that result. */
function leadUp(calls: ApiCall[], resultIndex: number): string[] {
  const start = calls.map((c) => c.method).lastIndexOf("answerCallbackQuery", resultIndex);
  return calls
    .slice(start, resultIndex + 1)
    .map((c) => (c.method === "sendChatAction" ? `sendChatAction:${String(c.payload.action)}` : c.method));
}

describe("chat actions before slow steps", () => {
  it("licence request → typing; the form PDF → upload_document; sending to the head → typing", async () => {
    const u = h.user(PEOPLE.supplier);
    await u.send("/language");
    await u.press("lang:ru");
    // licences older than 24 h: starting a new application requests them from the registry
    await db.prisma.licence.updateMany({ data: { fetchedAt: new Date(Date.now() - 48 * 3600_000) } });
    const m = h.mark();
    await completeWizardAndSend(h, db.prisma, u);
    const calls = h.since(m).filter((c) => Number(c.payload.chat_id) === u.id || c.payload.callback_query_id);

    // the licence request: typing before the registry's answer is shown
    const typing = calls.findIndex((c) => c.method === "sendChatAction" && c.payload.action === "typing");
    const processed = calls.findIndex((c) => String(c.payload.text ?? "").includes("«Обработан»"));
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(processed).toBeGreaterThan(typing);

    // the application form: answer, upload_document, the document
    const pdf = calls.findIndex((c) => c.method === "sendDocument");
    expect(leadUp(calls, pdf)).toEqual([
      "answerCallbackQuery",
      "sendChatAction:upload_document",
      "sendDocument",
    ]);

    // sending to the head: answer, typing, «Заявка отправлена на подписание руководителю…»
    const sentText = translator("ru")("drafts:sent");
    const sent = calls.findIndex((c) => c.payload.text === sentText);
    expect(sent).toBeGreaterThan(pdf);
    expect(leadUp(calls, sent)).toEqual(["answerCallbackQuery", "sendChatAction:typing", "sendMessage"]);
  });
});
