// The renderer: every kind in kk and ru, Telegram-valid HTML and limits, reasons of negative decisions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/index.ts";
import { loadResources } from "../../bot/kit/i18n.ts";
import { createOutboxHooks } from "../../bot/outbox/render.ts";
import { appOf } from "../helpers/e2e.ts";
import { htmlProblems } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview, DEMO, userId } from "../staff/setup.ts";

let db: TestDb;
let appId: string;
let app: App;

beforeAll(async () => {
  db = await createTestDb();
  appId = await applicationUnderReview(db.prisma);
  app = await appOf(db.prisma);
});

/** What the worker would send this recipient (in the recipient's language). */
async function render(
  row: { kind: string; payload: Record<string, unknown>; userId: string; chatId: bigint },
  lang: "kk" | "ru",
) {
  await db.prisma.user.update({ where: { id: row.userId }, data: { language: lang } });
  const r = await createOutboxHooks(app).prepare({
    id: 1n,
    eventKey: "render-test",
    attempts: 1,
    createdAt: new Date(),
    stageKey: null,
    stageAt: null,
    applicationId: appId,
    ...row,
  });
  if (!("rendered" in r)) throw new Error(`skipped: ${r.skip}`);
  return r.rendered;
}
afterAll(async () => {
  await db?.drop();
});

const KINDS = [
  "status_changed",
  "new_for_review",
  "returned_for_review",
  "check_requested",
  "approval_requested",
  "head_approval_requested",
  "exclusion_cancelled",
  "reminder",
  "escalation",
];

function keys(o: unknown, prefix = ""): string[] {
  if (typeof o !== "object" || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("render", () => {
  it("staff and notify locales have the same keys in kk and ru", () => {
    const r = loadResources();
    for (const ns of ["staff", "notify"]) expect(keys(r.kk[ns]).sort()).toEqual(keys(r.ru[ns]).sort());
  });

  it("renders every kind in both languages as valid Telegram HTML within 4096 characters", async () => {
    const reviewer = await userId(db.prisma, DEMO.reviewer);
    for (const lang of ["kk", "ru"] as const) {
      for (const kind of KINDS) {
        const r = await render(
          {
            kind,
            payload: {
              to: "UNDER_REVIEW",
              reasonText: "<причина> & ко",
              days: 3,
              limit: 2,
              stageStatus: "UNDER_REVIEW",
            },
            userId: reviewer,
            chatId: BigInt(DEMO.reviewer),
          },
          lang,
        );
        expect(r.text.length).toBeLessThanOrEqual(4096);
        expect(htmlProblems(r.text), `${lang} ${kind}`).toEqual([]);
        expect(r.text).not.toMatch(/notify:|staff:/);
      }
    }
  });

  it("gives the supplier the status label, the grounds and the note of a rejection (DECISIONS 13)", async () => {
    const author = await userId(db.prisma, DEMO.supplier);
    // what the store writes with a final rejection (the notice's grounds and note travel in the row)
    const payload = {
      to: "REJECTED",
      final: true,
      noticeKind: "REJECTION",
      reasons: ["NO_LICENCE"],
      note: "Нет <лицензии>",
    };
    const ru = await render({ kind: "status_changed", payload, userId: author, chatId: 1n }, "ru");
    expect(ru.text).toContain("«Отклонена»");
    expect(ru.text).toContain("Нет &lt;лицензии&gt;");
    expect(ru.text).toContain("Основания:");
    const kk = await render({ kind: "status_changed", payload, userId: author, chatId: 1n }, "kk");
    expect(kk.text).toContain("«Қабылданбады»");
    expect(kk.text).toContain("Негіздер:");
  });
});
