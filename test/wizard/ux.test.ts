// Issue 14 in the wizard: the step counter («Шаг N из M» / «N-қадам, барлығы M», M from the answers so far), an
// album of files taken as one answer with ONE reply, a chat action before the slow steps; and issue 10's cost of
// a wizard step: at most 3 database round trips (the person's read, the draft's read, the answer's write).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainAlbums } from "../../conversations/wizard/album.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { PDF, setLanguage } from "../helpers/e2e.ts";
import { decoded, draftOf, pressVerb, selectAll, stepOf, wizardHarness } from "./helpers.ts";

let db: TestDb;
let h: Harness;
beforeAll(async () => {
  db = await createTestDb();
  h = await wizardHarness(db.prisma);
});
afterAll(() => endBotTest([h], db));

const counterOf = (text: unknown) => {
  const m = /Шаг (\d+) из (\d+)|(\d+)-қадам, барлығы (\d+)/.exec(String(text));
  return m ? { n: Number(m[1] ?? m[3]), m: Number(m[2] ?? m[4]) } : null;
};

describe("the step counter", () => {
  it("counts only the steps the answers so far lead to (ru)", async () => {
    const u = h.user(100001);
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const app = await draftOf(db.prisma, "100140001231");
    const start = counterOf(u.last()?.payload.text);
    // A4, A5, the region, the base list, 4 steps for each of the 3 bases, D2, D3, the summary
    expect(start).toEqual({ n: 1, m: 19 });
    await pressVerb(u, "wz.own", "1");
    expect(counterOf(u.last()?.payload.text)).toEqual({ n: 2, m: 19 });
    await pressVerb(u, "wz.role", "2"); // both statuses: A6 and A7 count now
    expect(counterOf(u.last()?.payload.text)).toEqual({ n: 3, m: 21 });
    await selectAll(u, "s"); // a PHC subtype: A9 counts now
    expect(await stepOf(db.prisma, app.id)).toBe("A_CO");
    expect(counterOf(u.last()?.payload.text)).toEqual({ n: 4, m: 22 });
    await db.prisma.application.delete({ where: { id: app.id } });
  });

  it("in Kazakh: «N-қадам, барлығы M»", async () => {
    const u = h.user(100008);
    await setLanguage(u, "kk");
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    expect(String(u.last()?.payload.text)).toMatch(/<i>1-қадам, барлығы \d+<\/i>/);
    await pressVerb(u, "wz.own", "0");
    expect(String(u.last()?.payload.text)).toMatch(/<i>2-қадам, барлығы \d+<\/i>/);
  });
});

describe("albums", () => {
  it("three files sent at once are one answer: ONE reply lists them, all three attached", async () => {
    const u = h.user(100001);
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const app = await draftOf(db.prisma, "100140001231");
    const a = await db.prisma.application.update({
      where: { id: app.id },
      data: { progress: { step: "D2" }, version: { increment: 1 } },
    });
    await u.press((await import("../../bot/kit/callbacks.ts")).cb("ap.cont", [app.id], a.version));
    const m = h.mark();
    for (const name of ["svid-1.pdf", "svid-2.pdf", "svid-3.pdf"])
      await u.sendDocument({
        fileName: name,
        mimeType: "application/pdf",
        bytes: PDF(name),
        mediaGroupId: "album-1",
      });
    // nothing is answered while the album comes in
    expect(h.since(m).filter((c) => c.method === "sendMessage")).toHaveLength(0);
    await drainAlbums();
    const replies = h
      .since(m)
      .filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === u.id);
    expect(replies).toHaveLength(1);
    const text = String(replies[0]!.payload.text);
    expect(text).toContain("прикреплено 3 из 3");
    for (const name of ["svid-1.pdf", "svid-2.pdf", "svid-3.pdf"]) expect(text).toContain(name);
    expect(text).toContain("Свидетельство (справка) о государственной регистрации");
    const docs = await db.prisma.applicationDocument.findMany({
      where: { applicationId: app.id, kind: "REGISTRATION" },
    });
    expect(docs).toHaveLength(3);
    // a file of the album that is refused is listed with the reason, in the same one reply
    const m2 = h.mark();
    await u.sendDocument({
      fileName: "svid-4.pdf",
      mimeType: "application/pdf",
      bytes: PDF("4"),
      mediaGroupId: "album-2",
    });
    await u.sendDocument({
      fileName: "svid.docx",
      mimeType: "application/msword",
      bytes: Buffer.from("PK"),
      mediaGroupId: "album-2",
    });
    await drainAlbums();
    const second = h
      .since(m2)
      .filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === u.id);
    expect(second).toHaveLength(1);
    expect(String(second[0]!.payload.text)).toContain("прикреплено 1 из 2");
    expect(String(second[0]!.payload.text)).toContain(
      "svid.docx — не прикреплён: допускаются только PDF, JPEG, PNG",
    );
  });
});

describe("a chat action before the slow steps", () => {
  it("«печатает…» while licences are requested, «отправляет файл…» while the form is made", async () => {
    const u = h.user(100008);
    // licences older than 24 h: a request is made (typing), then the draft starts
    await db.prisma.licence.updateMany({ data: { fetchedAt: new Date(Date.now() - 48 * 3600_000) } });
    const m = h.mark();
    await u.send("/new");
    await pressVerb(u, "ap.new1");
    const calls = h.since(m).filter((c) => Number(c.payload.chat_id) === u.id);
    const typing = calls.findIndex((c) => c.method === "sendChatAction" && c.payload.action === "typing");
    expect(typing).toBeGreaterThanOrEqual(0);
    // the action comes before the answer that waited for the registry
    expect(
      calls.findIndex((c, i) => i > typing && String(c.payload.text ?? "").includes("«Өңделді»")),
    ).toBeGreaterThan(typing);
    const app = await draftOf(db.prisma, "150340003212");
    const f = h.mark();
    await u.press((await import("../../bot/kit/callbacks.ts")).cb("ap.form", [app.id], app.version));
    const formCalls = h
      .since(f)
      .filter((c) => Number(c.payload.chat_id) === u.id)
      .map((c) => c.method);
    expect(formCalls.indexOf("sendChatAction")).toBeGreaterThanOrEqual(0);
    expect(formCalls.indexOf("sendChatAction")).toBeLessThan(formCalls.indexOf("sendDocument"));
  });
});

describe("the cost of a wizard step", () => {
  it("an answer costs at most 3 database round trips: the person, the draft (with its facts), the write", async () => {
    // a client whose every statement is counted
    let count = 0;
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on("error", () => {});
    pool.on("connect", (client) => {
      client.on("error", () => {});
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
        count++;
        return query(...a);
      };
    });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const hc = await createHarness({ prisma });
    try {
      const u = hc.user(100010); // the sole trader: one base
      await u.send("/new");
      await pressVerb(u, "ap.new1");
      const app = await draftOf(prisma, "850615400125");

      const steps: [string, () => Promise<unknown>][] = [
        ["A4 ownership form", () => pressVerb(u, "wz.own", "1")],
        ["A5 status", () => pressVerb(u, "wz.role", "0")],
        ["A6 toggle", () => u.press(decoded(u).find((b) => b.cb.verb === "wz.tg")!.data!)],
        ["A6 done", () => pressVerb(u, "wz.ok", "s")],
        ["A8 region", () => pressVerb(u, "wz.reg", "SHYMKENT")],
        ["C base", () => pressVerb(u, "wz.be", "1")],
        // the first KATO screen of a process reads the region's level once (then it is kept in memory)
        [
          "C3/C4 typed coordinates (first time in this process: + the region's KATO level)",
          () => u.send("42.3417, 69.5901"),
        ],
        ["C5 back to the list", () => pressVerb(u, "wz.bl")],
        ["C base again", () => pressVerb(u, "wz.be", "1")],
        ["C3/C4 typed coordinates", () => u.send("42.3417, 69.5901")],
      ];
      const costs: Record<string, number> = {};
      const measure = async (label: string, act: () => Promise<unknown>) => {
        const before = count;
        await act();
        costs[label] = count - before;
      };
      for (const [label, act] of steps) await measure(label, act);
      // down the tree, one level a press, then the leaf
      for (let i = 1; i < 6 && !decoded(u).some((b) => b.cb.verb === "wz.kl"); i++)
        await measure(`C5 open a KATO level (${i})`, () =>
          u.press(decoded(u).find((b) => b.cb.verb === "wz.kt")!.data!),
        );
      await measure("C5 pick a leaf", () => u.press(decoded(u).find((b) => b.cb.verb === "wz.kl")!.data!));
      // a file answer writes the file's record too (the FileStore port): one more
      await measure("C6 SES file (+ the stored file's record)", () =>
        u.sendDocument({ fileName: "ses.pdf", mimeType: "application/pdf", bytes: PDF("ses") }),
      );
      console.log("database round trips per wizard step:", JSON.stringify(costs));
      for (const [label, n] of Object.entries(costs))
        expect(n, label).toBeLessThanOrEqual(label.includes("+") ? 4 : 3);
      expect(await stepOf(prisma, app.id)).toBe("C_SUB");
    } finally {
      await hc.close();
      await prisma.$disconnect();
      await pool.end();
    }
  });
});
