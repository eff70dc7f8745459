// The head (T6–T8; DECISIONS 2, 14, 26) through bot.handleUpdate, in kk and ru: the queue and the whole card;
// «Отправить» → M4 for every selected subtype with a licence requirement → «ОК» → both documents with their
// SHA-256 → one press: two signatures over the two documents' hashes, T6 and T8 in one transaction; the attorney
// (D3 and the head's consent first); «Подписать согласие» alone; «Отклонить» with a typed reason (the one
// free-text rule) → «Проект» with the reason on the draft card; stale, forged and foreign buttons.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/kit/callbacks.ts";
import { translator } from "../../bot/kit/i18n.ts";
import type { ApplyArgs } from "../../domain/ports.ts";
import { decide } from "../../domain/stateMachine.ts";
import { createHarness, endBotTest, type Harness, type TestUser } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import {
  deliverAll,
  FAST_OUTBOX,
  newestButton,
  PDF,
  PEOPLE,
  POLYCLINIC_BIN,
  setLanguage,
  userIdOf,
} from "../helpers/e2e.ts";

let db: TestDb;
let h: Harness;
let orgId: string;
let authorId: string;
let headId: string;
let attorneyId: string;
const ATTORNEY = 790101;
const OTHER_HEAD = 790102;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma, env: FAST_OUTBOX });
  orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: POLYCLINIC_BIN } })).id;
  authorId = await userIdOf(db.prisma, PEOPLE.supplier);
  headId = await userIdOf(db.prisma, PEOPLE.head);
  const attorney = await db.prisma.user.create({
    data: { telegramId: BigInt(ATTORNEY), fullName: "Серік Омаров", language: "ru" },
  });
  attorneyId = attorney.id;
  await db.prisma.orgMembership.create({ data: { userId: attorney.id, orgId, role: "HEAD_ATTORNEY" } });
  const second = await db.prisma.user.create({
    data: { telegramId: BigInt(OTHER_HEAD), fullName: "Сәбит Екінші", language: "ru" },
  });
  await db.prisma.orgMembership.create({ data: { userId: second.id, orgId, role: "HEAD" } });
});
afterAll(() => endBotTest([h], db));

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const ru = translator("ru");
const kk = translator("kk");

/**
 * A draft of the polyclinic (Astana) brought to «На согласовании руководителя» through the application layer:
 * subtypes (palliative care and CT/MRI as supplier: L64A and A15B are required), a licence L64 with L64A
 * attached (M4 is shown for it all the same), the form generated at T4 (its bytes stored), optionally D3.
 */
async function pendingApplication(opts: { poa?: boolean; subtypes?: string[] } = {}) {
  // one open application per organisation and region (DECISIONS 8): close the earlier ones of this file
  await db.prisma.application.updateMany({
    where: {
      orgId,
      regionCode: "ASTANA",
      status: { notIn: ["INCLUDED", "REJECTED", "EXCLUDED", "CHANGED"] },
    },
    data: { status: "CHANGED" },
  });
  const licence = await db.prisma.licence.upsert({
    where: { orgId_holderBin_number: { orgId, holderBin: POLYCLINIC_BIN, number: "KZ64LAA00064064" } },
    update: {},
    create: {
      orgId,
      holderBin: POLYCLINIC_BIN,
      number: "KZ64LAA00064064",
      issueDate: new Date("2020-02-02"),
      licensor: "ГУ «Управление общественного здравоохранения города Астаны»",
      activityCode: "L64",
      category: "Лицензия на вид деятельности",
      type: "генеральная лицензия",
      status: "Действительный",
      fetchedAt: new Date(),
      appendices: { create: [{ number: "001", licenceSubtypes: ["L64A"], careSubtypes: [], addresses: [] }] },
    },
  });
  const files = h.app.ports.files;
  const poa = opts.poa
    ? await files.put(PDF("poa"), { fileName: "доверенность.pdf", mimeType: "application/pdf" })
    : null;
  const d = await h.app.ports.store.drafts.create({
    orgId,
    authorId,
    now: new Date(),
    ownershipFormCode: "STATE",
    licenceIds: [licence.id],
    bases: [{ address: "г. Астана, проспект Мәңгілік Ел, 55" }],
    progress: { step: "SUM", sum: true },
    prefill: {
      asSupplier: true,
      asCoExecutor: false,
      supplierSubtypes: opts.subtypes ?? ["PALLIATIVE", "DIAG_CT_MRI"],
      coExecutorSubtypes: [],
      hasPharmacy: null,
      regionCode: "ASTANA",
      documents: poa ? [{ kind: "POWER_OF_ATTORNEY", fileId: poa.id }] : [],
    },
  });
  const formBytes = PDF(`form ${d.id}`);
  const form = await files.put(formBytes, { fileName: "form.pdf", mimeType: "application/pdf" });
  const run = async (action: "SAVE" | "GENERATE_FORM" | "SEND_TO_HEAD", input = {}) => {
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: d.id } });
    const r = await h.app.act(
      { applicationId: d.id, expectedVersion: row.version, action, userId: authorId, input },
      { draftComplete: async () => true },
    );
    if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r)}`);
  };
  await run("SAVE");
  await run("GENERATE_FORM", { document: { kind: "APPLICATION_FORM", fileId: form.id } });
  await run("SEND_TO_HEAD");
  const app = await db.prisma.application.findUniqueOrThrow({ where: { id: d.id } });
  expect(app.status).toBe("HEAD_APPROVAL");
  return { ...app, formSha: sha(formBytes), formFileId: form.id };
}

const alert = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;
const captions = (u: TestUser, calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls
    .filter((c) => c.method === "sendDocument" && Number(c.payload.chat_id) === u.id)
    .map((c) => String(c.payload.caption));
const hashIn = (caption: string | undefined) =>
  /SHA-256: <code>([0-9a-f]{64})<\/code>/.exec(String(caption))?.[1];

describe("the head: queue and card", () => {
  it("lists the applications awaiting the head and opens the whole application with the allowed actions (kk)", async () => {
    const app = await pendingApplication();
    const head = h.user(PEOPLE.head);
    // the push asking the head to sign carries the button to the card
    await deliverAll(h);
    const push = newestButton(h, head, "hd.o");
    expect(push?.data).toBe(cb("hd.o", [app.id], app.version));
    expect(head.texts(await head.press(push!.data, push!.messageId)).join("\n")).toContain(
      "Мәртебесі: «Басшының келісуінде»",
    );
    const out = await head.send("/sign");
    expect(head.texts(out)[0]).toContain("Басшының келісуінде");
    const open = head.buttons().find((b) => b.data === cb("hd.o", [app.id], app.version));
    expect(open).toBeDefined();
    const card = head.texts(await head.press(open!.data!)).join("\n");
    expect(card).toContain(`№ ${app.id.slice(0, 8).toUpperCase()} өтінім, 1-нұсқа`);
    expect(card).toContain("Мәртебесі: «Басшының келісуінде»");
    expect(card).toContain("Денсаулық сақтау субъектісі");
    expect(card).toContain("БСН/ЖСН: 100140001231");
    expect(card).toContain("Паллиативтік медициналық көмек");
    expect(card).toContain("Заңды мекенжай");
    expect(card).toContain("Өндірістік базалардың мекенжайлары (1)");
    expect(card).toContain("№ KZ64LAA00064064");
    expect(card).toContain("мәртебесі: Жарамды");
    expect(head.buttons().map((b) => b.text)).toEqual([
      "Жіберу",
      "Келісімге қол қою",
      "Қабылдамау",
      "📜 № KZ64LAA00064064 лицензия",
      "Енгізу туралы өтінім (PDF)",
      "📎 Құжаттар",
      "« Қол қоюға арналған өтінімдер",
    ]);
    // the form as stored at T4: the exact bytes the head signs
    const pdf = await head.press(cb("hd.f", [app.id], app.version));
    expect(hashIn(captions(head, pdf)[0])).toBe(app.formSha);
  });

  it("refuses the card to people who do not sign for the organisation", async () => {
    const app = await pendingApplication();
    const other = h.user(100009); // the head of another organisation
    expect(alert(await other.press(cb("hd.o", [app.id], app.version)))).toBe(kk("head:not_allowed"));
    const supplier = h.user(PEOPLE.supplier); // the author: not a signer
    expect(alert(await supplier.press(cb("hd.s", [app.id], app.version)))).toBe(ru("head:not_allowed"));
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version).toBe(
      app.version,
    );
  });
});

describe("the head: «Отправить» → M4 → «ОК» → both documents → one press (T6 + T8)", () => {
  it("shows M4 for every selected subtype with a licence requirement, attached licence or not, and «ОК» continues (ru)", async () => {
    const app = await pendingApplication();
    const head = h.user(PEOPLE.head);
    await setLanguage(head, "ru");
    const m4 = head.texts(await head.press(cb("hd.s", [app.id], app.version))).join("\n");
    const law =
      'В соответствии с Законом Республики Казахстан от 16 мая 2014 года "О разрешениях и уведомлениях" для оказания вида/формы медицинской помощи';
    expect(m4).toContain(
      `${law} Паллиативная медицинская помощь требуется наличие лицензии на вид деятельности «L64 - Деятельность в сфере оборота наркотических средств`,
    );
    expect(m4).toContain(
      "по подвиду деятельности L64A - Деятельность в сфере оборота наркотических средств (в системе здравоохранения)",
    );
    expect(m4).toContain(
      "«A15 - Обращение с приборами и установками, генерирующими ионизирующее излучение» по подвиду деятельности A15B",
    );
    expect(m4).toContain(
      "Внимание! Данное сообщение уведомительного характера, при нажатии на кнопку «ОК», можно продолжить работу.",
    );
    expect(head.buttons().map((b) => b.text)).toEqual(["ОК", "Отмена"]);
    const shown = await head.press(cb("hd.ok", [app.id], app.version));
    const caps = captions(head, shown);
    expect(caps).toHaveLength(2);
    expect(caps[0]).toContain("«Заявка о включении»");
    expect(hashIn(caps[0])).toBe(app.formSha);
    expect(caps[1]).toContain(
      "«Согласие о внесении данных и их актуализации в информационных системах МЗ РК»",
    );
    const consentSha = hashIn(caps[1])!;
    expect(consentSha).toMatch(/^[0-9a-f]{64}$/);
    expect(consentSha).not.toBe(app.formSha);
    const confirm = head.texts(shown).at(-1)!;
    expect(confirm).toContain(app.formSha);
    expect(confirm).toContain(consentSha);
    expect(confirm).toContain("не является квалифицированной ЭЦП");
    expect(shown.some((c) => c.method === "sendChatAction" && c.payload.action === "upload_document")).toBe(
      true,
    );

    const done = await head.press(cb("hd.cf", [app.id], app.version));
    expect(head.texts(done).join("\n")).toContain("Статус: «На рассмотрении»");
    const after = await db.prisma.application.findUniqueOrThrow({
      where: { id: app.id },
      include: { signatures: true, documents: true },
    });
    expect(after.status).toBe("UNDER_REVIEW");
    // two signatures, each over its own document's hash, by the head
    const byDoc = Object.fromEntries(after.signatures.map((s) => [s.document, s]));
    expect(Object.keys(byDoc).sort()).toEqual(["APPLICATION", "CONSENT"]);
    expect(byDoc.APPLICATION!.sha256).toBe(app.formSha);
    expect(byDoc.APPLICATION!.fileId).toBe(app.formFileId);
    expect(byDoc.CONSENT!.sha256).toBe(consentSha);
    expect(after.signatures.every((s) => s.signerId === headId && s.method === "telegram-confirmation")).toBe(
      true,
    );
    // the consent signed is the stored PDF (the head's language), attached to the application
    const consentDoc = after.documents.find((d) => d.kind === "CONSENT")!;
    expect(consentDoc.fileId).toBe(byDoc.CONSENT!.fileId);
    expect((await db.prisma.storedFile.findUniqueOrThrow({ where: { id: consentDoc.fileId } })).sha256).toBe(
      consentSha,
    );
    // T6 and T8: one audit row and one version step each, at the same moment (one transaction)
    const audit = await db.prisma.auditEvent.findMany({
      where: { applicationId: app.id, action: { in: ["HEAD_SIGN_CONSENT", "HEAD_SUBMIT"] } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, (a.changes as { version: number }).version])).toEqual([
      ["HEAD_SIGN_CONSENT", app.version + 1],
      ["HEAD_SUBMIT", app.version + 2],
    ]);
    expect(audit[0]!.at.getTime()).toBe(audit[1]!.at.getTime());
    expect(after.version).toBe(app.version + 2);

    // the double tap: the same button again changes nothing and says who decided, when
    const again = head.texts(await head.press(cb("hd.cf", [app.id], app.version))).join("\n");
    expect(again).toContain("По этой заявке решение уже принято, ничего не изменено.");
    expect(again).toContain("Ерлан Жұмабаев");
    expect(again).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version).toBe(
      after.version,
    );
    await setLanguage(head, "kk");
  });

  it("T6 + T8 are all or nothing: a stale second step rolls the consent back", async () => {
    const app = await pendingApplication();
    const store = h.app.ports.store.applications;
    const facts = (await store.facts(app.id, headId))!;
    const sig = (document: "CONSENT" | "APPLICATION") => ({
      document,
      sha256: "b".repeat(64),
      method: "test",
    });
    const t6Input = {
      signatures: [sig("CONSENT")],
      document: { kind: "CONSENT" as const, fileId: app.formFileId },
    };
    const t6 = decide(facts.snapshot, "HEAD_SIGN_CONSENT", facts.actor, t6Input);
    if (!t6.ok) throw new Error(JSON.stringify(t6.errors));
    const after6 = { ...facts.snapshot, consentSigned: true, version: facts.snapshot.version + 1 };
    const t8Input = { confirmed: true, signatures: [sig("APPLICATION")] };
    const t8 = decide(after6, "HEAD_SUBMIT", facts.actor, t8Input);
    if (!t8.ok) throw new Error(JSON.stringify(t8.errors));
    const now = new Date();
    const steps: ApplyArgs[] = [
      { facts, decision: t6.value, input: t6Input, now, silentStatusPush: false },
      // decided on a version the first step does not leave: the database refuses it
      {
        facts: { ...facts, snapshot: { ...after6, version: after6.version + 5 } },
        decision: t8.value,
        input: t8Input,
        now,
        silentStatusPush: false,
      },
    ];
    expect(await store.applyAll(steps)).toEqual({ ok: false, reason: "stale" });
    const row = await db.prisma.application.findUniqueOrThrow({
      where: { id: app.id },
      include: { signatures: true },
    });
    expect(row.version).toBe(app.version);
    expect(row.signatures).toEqual([]);
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: app.id, action: "HEAD_SIGN_CONSENT" } }),
    ).toBe(0);
  });

  it("a confirmation never shown, a version the application never had, and «Отмена»", async () => {
    const app = await pendingApplication();
    const head = h.user(PEOPLE.head);
    expect(alert(await head.press(cb("hd.cf", [app.id], app.version)))).toBe(kk("head:confirm_expired"));
    const never = head.texts(await head.press(cb("hd.s", [app.id], app.version + 7))).join("\n");
    expect(never).toBe(kk("errors:stale_unknown_version"));
    await head.press(cb("hd.s", [app.id], app.version));
    const cancelled = await head.press(cb("hd.x", [app.id]));
    expect(head.texts(cancelled)).toContain(kk("head:cancelled"));
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect([row.status, row.version]).toEqual(["HEAD_APPROVAL", app.version]);
  });
});

describe("the attorney («Поверенное лицо руководителя») and «Подписать согласие»", () => {
  it("an attorney is told the head signs the consent first; without D3 the application is refused even then", async () => {
    const app = await pendingApplication();
    const attorney = h.user(ATTORNEY);
    const card = keys(attorney);
    const text = attorney.texts(await attorney.press(cb("hd.o", [app.id], app.version))).join("\n");
    expect(text).toContain(ru("errors:consent_not_signed"));
    expect(card.buttons()).not.toContain("Отправить");
    expect(card.buttons()).not.toContain("Подписать согласие");
    expect(card.buttons()).toContain("Отклонить");
    // the head must sign the consent first (the consent is «Руководитель»'s alone)
    expect(alert(await attorney.press(cb("hd.s", [app.id], app.version)))).toBe(
      ru("errors:consent_not_signed"),
    );
    expect(alert(await attorney.press(cb("hd.sc", [app.id], app.version)))).toBe(
      ru("errors:consent_not_signed"),
    );

    // the head signs the consent alone (T6): the application stays with the head
    const boss = h.user(PEOPLE.head);
    const shown = await boss.press(cb("hd.sc", [app.id], app.version));
    const consentSha = hashIn(captions(boss, shown)[0])!;
    expect(boss.texts(shown).at(-1)).toContain(consentSha);
    const signed = await boss.press(cb("hd.scf", [app.id], app.version));
    expect(boss.texts(signed).join("\n")).toContain(
      "Келісімге қол қойылды. Мәртебесі: «Басшының келісуінде»",
    );
    const row = await db.prisma.application.findUniqueOrThrow({
      where: { id: app.id },
      include: { signatures: true },
    });
    expect(row.status).toBe("HEAD_APPROVAL");
    expect(row.signatures.map((s) => [s.document, s.sha256, s.signerId])).toEqual([
      ["CONSENT", consentSha, headId],
    ]);

    // the attorney without D3: still refused, now because of the power of attorney
    const now = attorney.texts(await attorney.press(cb("hd.o", [app.id], row.version))).join("\n");
    expect(now).toContain(ru("errors:power_of_attorney_required"));
    expect(alert(await attorney.press(cb("hd.s", [app.id], row.version)))).toBe(
      ru("errors:power_of_attorney_required"),
    );
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version).toBe(
      row.version,
    );
  });

  it("an attorney with D3 sends the application once the head has signed the consent: only the form is signed", async () => {
    const app = await pendingApplication({ poa: true });
    const boss = h.user(PEOPLE.head);
    await boss.press(cb("hd.sc", [app.id], app.version));
    await boss.press(cb("hd.scf", [app.id], app.version));
    const v = (await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version;
    const attorney = h.user(ATTORNEY);
    await attorney.press(cb("hd.o", [app.id], v));
    expect(keys(attorney).buttons()).toContain("Отправить");
    expect(keys(attorney).buttons()).not.toContain("Подписать согласие");
    await attorney.press(cb("hd.s", [app.id], v));
    const shown = await attorney.press(cb("hd.ok", [app.id], v));
    const caps = captions(attorney, shown);
    expect(caps).toHaveLength(1);
    expect(hashIn(caps[0])).toBe(app.formSha);
    expect(attorney.texts(shown).at(-1)).toContain("Согласие уже подписано руководителем");
    const done = await attorney.press(cb("hd.cf", [app.id], v));
    expect(attorney.texts(done).join("\n")).toContain("Статус: «На рассмотрении»");
    const row = await db.prisma.application.findUniqueOrThrow({
      where: { id: app.id },
      include: { signatures: true },
    });
    expect(row.status).toBe("UNDER_REVIEW");
    expect(row.signatures.map((s) => [s.document, s.signerId]).sort()).toEqual(
      [
        ["APPLICATION", attorneyId],
        ["CONSENT", headId],
      ].sort(),
    );
    expect(row.signatures.find((s) => s.document === "APPLICATION")?.sha256).toBe(app.formSha);
  });
});

/** The texts of the buttons of a user's latest keyboard. */
function keys(u: TestUser) {
  return { buttons: () => u.buttons().map((b) => b.text) };
}

describe("the head: «Отклонить» with a typed reason (T7)", () => {
  it("asks for the reason, applies the one free-text rule, returns the draft to the author with the reason on its card", async () => {
    const app = await pendingApplication();
    const boss = h.user(PEOPLE.head);
    const ask = await boss.press(cb("hd.r", [app.id], app.version));
    expect(boss.texts(ask)[0]).toBe(kk("head:reject_ask"));
    expect(boss.texts(await boss.sendSticker())[0]).toBe(kk("common:prompt.text_only"));
    expect(boss.texts(await boss.send("no"))[0]).toBe(kk("errors:text_too_short", { min: 3 }));
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version).toBe(
      app.version,
    );
    const out = boss.texts(await boss.send("Нет лицензии <L64> & копии")).join("\n");
    expect(out).toContain("Мәртебесі: «Жоба»");
    expect(out).toContain("Себебі: Нет лицензии &lt;L64&gt; &amp; копии");
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(row.status).toBe("DRAFT");
    expect(row.headRejectReason).toBe("Нет лицензии <L64> & копии");
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: app.id, action: "HEAD_REJECT" } }),
    ).toBe(1);
    // the author sees the reason on the draft's card in «Мои заявки»
    const author = h.user(PEOPLE.supplier);
    const card = author.texts(await author.press(cb("my.v", [app.id]))).join("\n");
    expect(card).toContain("Статус: «Проект»");
    expect(card).toContain("Причина отклонения руководителем: Нет лицензии &lt;L64&gt; &amp; копии");
    // the prompt is over; a stale reject button says it was decided
    expect(boss.texts(await boss.send("ещё текст"))[0]).toBe(kk("common:errors.use_buttons"));
    const stale = boss.texts(await boss.press(cb("hd.r", [app.id], app.version))).join("\n");
    expect(stale).toContain("Бұл өтінім бойынша шешім қабылданып қойған");
    expect(stale).toContain("Ерлан Жұмабаев");
  });

  it("a decision taken by another head while this one types: «already decided» by NAME at TIME, nothing changes", async () => {
    const app = await pendingApplication();
    const boss = h.user(PEOPLE.head);
    await boss.press(cb("hd.r", [app.id], app.version));
    const other = h.user(OTHER_HEAD);
    await other.press(cb("hd.r", [app.id], app.version));
    expect(other.texts(await other.send("Отклоняю первым")).join("\n")).toContain("Статус: «Проект»");
    const decided = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    const text = boss.texts(await boss.send("Менің себебім")).join("\n");
    expect(text).toContain("Бұл өтінім бойынша шешім қабылданып қойған, ештеңе өзгертілген жоқ.");
    expect(text).toContain("Сәбит Екінші");
    expect(text).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect([row.version, row.headRejectReason]).toEqual([decided.version, "Отклоняю первым"]);
  });

  it("«Отмена» and /cancel leave the prompt: nothing changes and the next text is not a reason", async () => {
    const app = await pendingApplication();
    const boss = h.user(PEOPLE.head);
    await boss.press(cb("hd.r", [app.id], app.version));
    expect(boss.texts(await boss.press(cb("hd.x", [app.id])))).toContain(kk("head:cancelled"));
    expect(boss.texts(await boss.send("Бұл себеп емес"))[0]).toBe(kk("common:errors.use_buttons"));
    await boss.press(cb("hd.r", [app.id], app.version));
    await boss.send("/cancel");
    expect(boss.texts(await boss.send("Бұл да себеп емес"))[0]).toBe(kk("common:errors.use_buttons"));
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect([row.status, row.version, row.headRejectReason]).toEqual(["HEAD_APPROVAL", app.version, null]);
  });

  it("survives a restart in the middle: a new bot on the same database takes the answer", async () => {
    const app = await pendingApplication();
    const before = await createHarness({ prisma: db.prisma });
    const after = await createHarness({ prisma: db.prisma });
    await before.user(PEOPLE.head).press(cb("hd.r", [app.id], app.version));
    const out = after.user(PEOPLE.head);
    expect(out.texts(await out.send("Қайта іске қосылғаннан кейінгі себеп")).join("\n")).toContain(
      "Мәртебесі: «Жоба»",
    );
    const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect([row.status, row.headRejectReason]).toEqual(["DRAFT", "Қайта іске қосылғаннан кейінгі себеп"]);
    await endBotTest([before, after], undefined);
  });
});
