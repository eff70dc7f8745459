// The supplier's side of issue 11 through bot.handleUpdate: the head's rejection push carries the button back to
// the draft, «Просмотр» shows the content read-only with the reason and the actions the table allows,
// «Просмотр версий» opens that version's content, the list's search filter («Найти» / «Сбросить параметры
// поиска»), forged and foreign buttons answered clearly — in ru and kk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationNumber } from "../../app/head.ts";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { createHarness, endBotTest, type Harness } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  appOf,
  deliverAll,
  FAST_OUTBOX,
  PEOPLE,
  POLYCLINIC_BIN,
  pressVerb,
  setLanguage,
  statusOf,
  step,
  storedFile,
  userIdOf,
} from "../helpers/e2e.ts";
import { applicationUnderReview, includeWithButtons } from "../staff/setup.ts";

let db: TestDb;
let h: Harness;
let rejected: string;
let v1: string;
let v2: string;
let chain: string;
const ru = translator("ru");
const kk = translator("kk");
const REASON = "Нет копии лицензии <L64>";

type Calls = { method: string; payload: Record<string, unknown> }[];
const alert = (calls: Calls) =>
  String(calls.find((c) => c.method === "answerCallbackQuery")?.payload.text ?? "");

/** A saved draft of the polyclinic (Astana) with its form, sent to the head: «На согласовании руководителя». */
async function sentToHead(): Promise<string> {
  const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: POLYCLINIC_BIN } });
  await db.prisma.application.updateMany({
    where: {
      orgId: org.id,
      regionCode: "ASTANA",
      status: { notIn: ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"] },
    },
    data: { status: "CHANGED" },
  });
  const a = await appOf(db.prisma);
  const d = await a.ports.store.drafts.create({
    orgId: org.id,
    authorId: await userIdOf(db.prisma, PEOPLE.supplier),
    now: new Date(),
    ownershipFormCode: org.ownershipFormCode,
    licenceIds: [],
    bases: [],
    progress: { step: "SUM", sum: true },
    prefill: {
      asSupplier: true,
      asCoExecutor: false,
      supplierSubtypes: [],
      coExecutorSubtypes: [],
      hasPharmacy: null,
      regionCode: "ASTANA",
      documents: [],
    },
  });
  await step(db.prisma, d.id, PEOPLE.supplier, "SAVE");
  const form = await storedFile(db.prisma, "form.pdf");
  await step(db.prisma, d.id, PEOPLE.supplier, "GENERATE_FORM", {
    document: { kind: "APPLICATION_FORM", fileId: form.id },
  });
  await step(db.prisma, d.id, PEOPLE.supplier, "SEND_TO_HEAD");
  return d.id;
}

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  // two versions of one chain in Almaty: v1 included, v2 the change being prepared
  const org = await db.prisma.organisation.findUniqueOrThrow({ where: { bin: POLYCLINIC_BIN } });
  const authorId = await userIdOf(db.prisma, PEOPLE.supplier);
  const chainId = crypto.randomUUID();
  chain = chainId;
  const at = new Date("2026-09-01T05:00:00Z");
  v1 = (
    await db.prisma.application.create({
      data: {
        chainId,
        versionNo: 1,
        orgId: org.id,
        authorId,
        regionCode: "ALMATY",
        status: "INCLUDED",
        decisionKind: "INCLUSION",
        createdAt: at,
        savedAt: at,
        statusChangedAt: at,
      },
    })
  ).id;
  v2 = (
    await db.prisma.application.create({
      data: {
        chainId,
        versionNo: 2,
        orgId: org.id,
        authorId,
        regionCode: "ALMATY",
        status: "DRAFT",
        createdAt: new Date("2026-09-02T05:00:00Z"),
        savedAt: new Date("2026-09-02T05:00:00Z"),
        statusChangedAt: new Date("2026-09-02T05:00:00Z"),
      },
    })
  ).id;
  await deliverAll(h, "test", 50);
}, 120_000);
afterAll(() => endBotTest([h], db));

describe("the head's rejection push", () => {
  it("carries the button back to the draft, whose card shows the reason and the actions (ru)", async () => {
    rejected = await sentToHead();
    await deliverAll(h, "test", 50);
    await step(db.prisma, rejected, PEOPLE.head, "HEAD_REJECT", { reasonText: REASON });
    expect(await statusOf(db.prisma, rejected)).toBe("DRAFT");
    const m = h.mark();
    await deliverAll(h, "test", 50);
    const push = h
      .since(m)
      .find((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === PEOPLE.supplier);
    expect(push).toBeDefined();
    expect(String(push!.payload.text)).toContain("Нет копии лицензии &lt;L64&gt;");
    expect(push!.payload.disable_notification).toBeFalsy(); // it asks the supplier to act: with sound
    const u = h.user(PEOPLE.supplier);
    const button = u.buttons(push!).find((b) => b.data === cb("my.v", [rejected]));
    expect(button?.text).toBe(ru("applications:push_open"));
    const card = u.texts(await u.press(button!.data!)).join("\n");
    expect(card).toContain("Статус: «Проект»");
    expect(card).toContain("Причина отклонения руководителем: Нет копии лицензии &lt;L64&gt;");
    expect(card).toContain(ru("content:section.a"));
    expect(card).toContain(ru("content:section.b"));
    expect(card).toContain(ru("content:section.history"));
    // the draft's actions come from the table (the drafts feature's buttons)
    expect(u.buttons().some((b) => b.data?.startsWith("ap."))).toBe(true);
  });
});

describe("the final decision's push", () => {
  it("«Включен в БД» reaches the supplier with sound and the button to the application (ru)", async () => {
    const id = await applicationUnderReview(db.prisma);
    const m = h.mark();
    await includeWithButtons(h, db.prisma, id);
    expect(await statusOf(db.prisma, id)).toBe("INCLUDED");
    const push = h
      .since(m)
      .find(
        (c) =>
          c.method === "sendMessage" &&
          Number(c.payload.chat_id) === PEOPLE.supplier &&
          String(c.payload.text).includes(ru("status:labels.INCLUDED")),
      );
    expect(push).toBeDefined();
    expect(push!.payload.disable_notification).toBeFalsy();
    const u = h.user(PEOPLE.supplier);
    const open = u.buttons(push!).find((b) => b.data === cb("my.v", [id]));
    expect(open?.text).toBe(ru("applications:push_open"));
    await u.press(open!.data!);
    // «Внести изменения» is what the table allows the organisation's administrator now
    expect(u.buttons().find((b) => b.data?.startsWith("ap.chg:"))?.text).toBe(ru("drafts:btn.changes"));
  });
});

describe("«Просмотр» and «Просмотр версий»", () => {
  it("lists the chain's versions and opens one version's content (kk)", async () => {
    const u = h.user(PEOPLE.supplier);
    await setLanguage(u, "kk");
    const view = u.texts(await u.press(cb("my.v", [v2]))).join("\n");
    expect(view).toContain(kk("content:status", { value: kk("status:labels.DRAFT") }));
    const versions = u.buttons().find((b) => b.data === cb("my.ver", [v2]));
    expect(versions?.text).toBe(kk("applications:versions_button"));
    const list = u.texts(await u.press(versions!.data!)).join("\n");
    expect(list).toContain("1-нұсқа");
    expect(list).toContain("2-нұсқа");
    const open1 = u.buttons().find((b) => b.data === cb("my.v", [v1]));
    expect(open1?.text).toBe(kk("applications:open_version", { version: 1 }));
    const first = u.texts(await u.press(open1!.data!)).join("\n");
    expect(first).toContain(kk("content:status", { value: kk("status:labels.INCLUDED") }));
    expect(first).toContain("өтінім, 1-нұсқа");
  });

  it("answers a forged or another organisation's application clearly, nothing leaked (ru)", async () => {
    const u = h.user(PEOPLE.supplier);
    await setLanguage(u, "ru");
    expect(alert(await u.press(cb("my.v", [crypto.randomUUID()])))).toBe(ru("applications:not_found"));
    expect(alert(await u.press(cb("my.ver", [crypto.randomUUID()])))).toBe(ru("applications:not_found"));
    const other = h.user(100008); // the diagnostic centre's supplier
    const out = await other.press(cb("my.v", [rejected]));
    expect(alert(out)).toBe(ru("applications:not_found"));
    expect(other.texts(out).join("\n")).not.toContain("Нет копии");
  });
});

describe("the list's search filter", () => {
  it("finds by status and region, and «Сбросить параметры поиска» shows everything again (kk)", async () => {
    const u = h.user(PEOPLE.supplier);
    await setLanguage(u, "kk");
    const all = u.texts(await u.send("/applications"))[0]!;
    const total = Number(/(\d+) өтінім/.exec(all)?.[1]);
    expect(total).toBeGreaterThanOrEqual(3);
    await pressVerb(u, "my.f");
    expect(String(u.last()!.payload.text)).toContain("Өтінімдерді іздеу сүзгісі");
    await pressVerb(u, "my.fs");
    await u.press("my.fs:INCLUDED");
    await pressVerb(u, "my.fr");
    await u.press("my.fr:ALMATY");
    const found = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(found).toContain("1 өтінім");
    expect(found).toContain(kk("status:labels.INCLUDED"));
    // a forged status is ignored: the filter stays as it was
    await pressVerb(u, "my.f");
    await u.press("my.fs:BOGUS");
    expect(String(u.last()!.payload.text)).toContain(kk("status:labels.INCLUDED"));
    const reset = u.texts(await pressVerb(u, "my.fx"))[0]!;
    expect(reset).toContain(`${total} өтінім`);
    expect(u.buttons().some((b) => b.data === "my.fx")).toBe(false);
    // «период»: this month leaves out the September versions
    const sep = `№ ${applicationNumber(chain)}`;
    expect(reset).toContain(sep);
    await pressVerb(u, "my.f");
    await u.press("my.fp:month");
    const month = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(month).toContain(kk("applications:filter.periods.month"));
    expect(month).not.toContain(sep);
    await pressVerb(u, "my.fx");
    // a filter with no match says so and offers the reset
    await pressVerb(u, "my.f");
    await pressVerb(u, "my.fs");
    await u.press("my.fs:EXCLUDED");
    const none = u.texts(await pressVerb(u, "my.go"))[0]!;
    expect(none).toContain(kk("applications:empty_filtered"));
    expect(u.buttons().some((b) => b.data === "my.fx")).toBe(true);
    await setLanguage(u, "ru");
  });
});
