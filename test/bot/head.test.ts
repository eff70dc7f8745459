// The head (T6–T8): queue, summary, consent PDF with SHA-256, M4 notices, the Signer's explicit confirmation,
// «На рассмотрении»; «Отклонить» with a reason → «Проект»; stale buttons; permissions; both languages.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cb } from "../../bot/callbacks.ts";
import { loadApplicationDocData, renderApplicationForm, renderConsent } from "../../bot/services/pdf.ts";
import { TelegramConfirmationSigner } from "../../bot/services/signer.ts";
import { createHarness, type Harness, telegramLimitViolations } from "../helpers/bot.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let h: Harness;
let orgId: string;
let authorId: string;
let headId: string;

beforeAll(async () => {
  db = await createTestDb();
  h = await createHarness({ prisma: db.prisma });
  orgId = (await db.prisma.organisation.findUniqueOrThrow({ where: { bin: "100140001231" } })).id;
  authorId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100001n } })).id;
  headId = (await db.prisma.user.findUniqueOrThrow({ where: { telegramId: 100002n } })).id;
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const limitsOk = () => expect(telegramLimitViolations(h.calls)).toEqual([]);

/** An application «На согласовании руководителя» of the polyclinic: palliative care as supplier, no licences (R3 → M4). */
async function pendingApplication() {
  const id = randomUUID();
  await db.prisma.application.create({
    data: {
      id,
      chainId: id,
      orgId,
      authorId,
      regionCode: "ASTANA",
      status: "HEAD_APPROVAL",
      ownershipFormCode: "PRIVATE",
      asSupplier: true,
      supplierSubtypes: ["PALLIATIVE"],
      hasPharmacy: null,
      bases: {
        create: [
          {
            position: 0,
            address: "г. Астана, проспект Мәңгілік Ел, 55",
            subtypes: ["PALLIATIVE"],
            latitude: 51.1,
            longitude: 71.4,
            katoCode: "711210000",
          },
        ],
      },
    },
  });
  return db.prisma.application.findUniqueOrThrow({ where: { id } });
}

const M4_RU =
  'В соответствии с Законом Республики Казахстан от 16 мая 2014 года "О разрешениях и уведомлениях" для оказания вида/формы медицинской помощи Паллиативная медицинская помощь требуется наличие лицензии на вид деятельности «L64';

describe("head: sign and send", () => {
  it("lists the applications awaiting the head and opens one (Kazakh)", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    const out = await head.send("/sign");
    expect(head.texts(out)[0]).toContain("Басшының келісуінде");
    const open = head.buttons().find((b) => b.data === cb("hd.o", [app.id], app.version));
    expect(open).toBeDefined();
    const summary = await head.press(open!.data!);
    const text = head.texts(summary).join("\n");
    expect(text).toContain("Дерекқорға енгізу туралы өтінім");
    expect(text).toContain("100140001231");
    expect(text).toContain("Паллиативтік медициналық көмек");
    expect(head.buttons().map((b) => b.text)).toEqual(
      expect.arrayContaining(["Келісім (PDF)", "Қол қою және жіберу", "Қабылдамау"]),
    );
    const pdf = await head.press(cb("hd.pdf", [app.id], app.version));
    const doc = pdf.find((c) => c.method === "sendDocument");
    expect(doc?.payload.caption).toMatch(/SHA-256: <code>[0-9a-f]{64}<\/code>/);
    limitsOk();
  });

  it("shows M4 in Russian, then the confirmation with the SHA-256, then sends to «На рассмотрении» and records the signature", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    await head.send("/language");
    await head.press("lang:ru");
    const m4 = await head.press(cb("hd.s", [app.id], app.version));
    const m4text = head.texts(m4).join("\n");
    expect(m4text).toContain(M4_RU);
    expect(m4text).toContain("по подвиду деятельности L64A");
    expect(m4text).toContain(
      "Внимание! Данное сообщение уведомительного характера, при нажатии на кнопку «ОК», можно продолжить работу.",
    );
    const confirm = await head.press(cb("hd.ok", [app.id], app.version));
    const doc = confirm.find((c) => c.method === "sendDocument");
    const sha = /SHA-256: <code>([0-9a-f]{64})<\/code>/.exec(String(doc?.payload.caption))?.[1];
    expect(sha).toBeDefined();
    const confirmText = head.texts(confirm).join("\n");
    expect(confirmText).toContain(sha!);
    expect(confirmText).toContain("не является квалифицированной ЭЦП");
    const done = await head.press(cb("hd.cf", [app.id], app.version));
    expect(head.texts(done).join("\n")).toContain("Статус: «На рассмотрении»");
    const after = await db.prisma.application.findUniqueOrThrow({
      where: { id: app.id },
      include: { signatures: true },
    });
    expect(after.status).toBe("UNDER_REVIEW");
    expect(after.signatures.map((s) => s.document).sort()).toEqual(["APPLICATION", "CONSENT"]);
    expect(
      after.signatures.every(
        (s) => s.sha256 === sha && s.method === "telegram-confirmation" && s.signerId === headId,
      ),
    ).toBe(true);
    const audit = await db.prisma.auditEvent.findMany({ where: { applicationId: app.id } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["HEAD_SIGN_CONSENT", "HEAD_SUBMIT"]));
    const kept = await db.prisma.applicationDocument.findFirstOrThrow({
      where: { applicationId: app.id, kind: "CONSENT" },
    });
    expect((await db.prisma.storedFile.findUniqueOrThrow({ where: { id: kept.fileId } })).sha256).toBe(sha);
    // the double tap: the same button again changes nothing and says so
    const again = await head.press(cb("hd.cf", [app.id], app.version));
    expect(head.texts(again).join("\n")).toContain("решение уже принято, ничего не изменено");
    const still = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(still.version).toBe(after.version);
    await head.send("/language");
    await head.press("lang:kk");
    limitsOk();
  });

  it("refuses a confirmation that was never shown (forged confirm button)", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    const out = await head.press(cb("hd.cf", [app.id], app.version));
    expect(out.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("Растау ескірді");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe(
      "HEAD_APPROVAL",
    );
    limitsOk();
  });

  it("refuses a user who is not the organisation's head", async () => {
    const app = await pendingApplication();
    const other = h.user(100009); // head of another organisation
    const out = await other.press(cb("hd.s", [app.id], app.version));
    expect(out.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Бұл әрекет Сізге қолжетімсіз.",
    );
    const supplier = h.user(100001);
    const out2 = await supplier.press(cb("hd.o", [app.id], app.version));
    expect(out2.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "Это действие вам недоступно.",
    );
    limitsOk();
  });
});

describe("head: reject", () => {
  it("asks for the reason, refuses a sticker, returns the application to «Проект» with the reason for the author", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    const ask = await head.press(cb("hd.r", [app.id], app.version));
    expect(head.texts(ask)[0]).toContain("Қабылдамау себебін");
    expect(head.texts(await head.sendSticker())[0]).toContain("Қабылдамау себебін мәтінмен жіберіңіз");
    expect(head.texts(await head.send("no"))[0]).toContain("3-тен 1000 таңбаға дейін");
    const out = await head.send("Лицензия L64 отсутствует");
    expect(head.texts(out)[0]).toContain("Мәртебесі: «Жоба»");
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.status).toBe("DRAFT");
    expect(after.headRejectReason).toBe("Лицензия L64 отсутствует");
    const outbox = await db.prisma.outbox.findMany({ where: { applicationId: app.id } });
    expect(outbox.length).toBeGreaterThan(0);
    // the author sees the reason in «Мои заявки»
    const author = h.user(100001);
    const detail = await author.press(cb("st.v", [app.id]));
    const text = author.texts(detail).join("\n");
    expect(text).toContain("Статус: «Проект»");
    expect(text).toContain("Причина отклонения руководителем: Лицензия L64 отсутствует");
    // a stale reject button afterwards: nothing changes
    const stale = await head.press(cb("hd.r", [app.id], app.version));
    expect(head.texts(stale).join("\n")).toContain("шешім қабылданып қойған");
    limitsOk();
  });

  it("/cancel during the reason leaves the application unchanged", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    await head.press(cb("hd.r", [app.id], app.version));
    await head.send("/cancel");
    const after = await head.send("Some reason text");
    expect(head.texts(after)[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe(
      "HEAD_APPROVAL",
    );
    limitsOk();
  });
});

describe("documents and the signer", () => {
  it("renders the consent and the application form deterministically, in kk and ru", async () => {
    const app = await pendingApplication();
    const ru = await loadApplicationDocData(db.prisma, app.id, "ru", headId);
    const kk = await loadApplicationDocData(db.prisma, app.id, "kk", headId);
    const a = await renderConsent(ru!, "ru");
    const b = await renderConsent(ru!, "ru");
    const c = await renderConsent(kk!, "kk");
    expect(a.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    const form = await renderApplicationForm(ru!, "ru");
    expect(form.bytes.length).toBeGreaterThan(1000);
    expect(form.fileName).toMatch(/\.pdf$/);
  });

  it("signs only for a confirmed, verified head of the application's organisation", async () => {
    const app = await pendingApplication();
    const signer = new TelegramConfirmationSigner(db.prisma);
    const sha256 = "a".repeat(64);
    const base = { applicationId: app.id, document: "CONSENT" as const, sha256 };
    expect((await signer.sign({ ...base, signerUserId: headId, confirmed: false })).ok).toBe(false);
    const ok = await signer.sign({ ...base, signerUserId: headId, confirmed: true });
    expect(ok.ok && ok.signature.method).toBe("telegram-confirmation");
    const notHead = await signer.sign({ ...base, signerUserId: authorId, confirmed: true });
    expect(notHead.ok ? null : notHead.code).toBe("NOT_AUTHORISED");
    const nameless = await db.prisma.user.create({ data: { telegramId: 790001n } });
    await db.prisma.orgMembership.create({ data: { userId: nameless.id, orgId, role: "HEAD" } });
    const unverified = await signer.sign({ ...base, signerUserId: nameless.id, confirmed: true });
    expect(unverified.ok ? null : unverified.code).toBe("NOT_VERIFIED");
    const badHash = await signer.sign({ ...base, sha256: "xyz", signerUserId: headId, confirmed: true });
    expect(badHash.ok ? null : badHash.code).toBe("BAD_HASH");
  });
});
