// The renderer: every kind in kk and ru, Telegram-valid HTML and limits, reasons of negative decisions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderOutbox } from "../../bot/outbox/render.ts";
import { loadResources } from "../../bot/i18n.ts";
import { htmlProblems } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview, DEMO, userId } from "../staff/setup.ts";

let db: TestDb;
let appId: string;

beforeAll(async () => {
  db = await createTestDb();
  appId = await applicationUnderReview(db.prisma);
});
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
        const r = await renderOutbox(
          db.prisma,
          {
            kind,
            payload: {
              to: "UNDER_REVIEW",
              reasonText: "<причина> & ко",
              days: 3,
              limit: 2,
              stageStatus: "UNDER_REVIEW",
            },
            applicationId: appId,
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
    await db.prisma.notice.create({
      data: {
        applicationId: appId,
        kind: "REJECTION",
        reasons: ["NO_LICENCE"],
        note: "Нет <лицензии>",
        createdById: author,
      },
    });
    const ru = await renderOutbox(
      db.prisma,
      {
        kind: "status_changed",
        payload: { to: "REJECTED" },
        applicationId: appId,
        userId: author,
        chatId: 1n,
      },
      "ru",
    );
    expect(ru.text).toContain("«Отклонена»");
    expect(ru.text).toContain("Нет &lt;лицензии&gt;");
    expect(ru.text).toContain("Основания:");
    const kk = await renderOutbox(
      db.prisma,
      {
        kind: "status_changed",
        payload: { to: "REJECTED" },
        applicationId: appId,
        userId: author,
        chatId: 1n,
      },
      "kk",
    );
    expect(kk.text).toContain("«Қабылданбады»");
    expect(kk.text).toContain("Негіздер:");
  });
});
