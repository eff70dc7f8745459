// The head (T6–T8): queue, summary, consent PDF with SHA-256, M4 notices, the Signer's explicit confirmation,
// «На рассмотрении»; «Отклонить» with a reason → «Проект» (the reason prompt is a conversation: stickers, files,
// «Отмена», a decision taken meanwhile, a restart in the middle); stale buttons; permissions; both languages.
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

describe("head: the reason prompt (conversations/prompts.ts)", () => {
  it("refuses a sticker, a file and a too long text in Russian and keeps waiting; the reason then applies", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    await head.send("/language");
    await head.press("lang:ru");
    const ask = await head.press(cb("hd.r", [app.id], app.version));
    expect(head.texts(ask)[0]).toContain("Укажите причину отклонения одним сообщением");
    expect(head.buttons().map((b) => b.text)).toEqual(["Отмена"]);
    const textOnly = "Пожалуйста, отправьте причину отклонения текстом или нажмите «Отмена».";
    expect(head.texts(await head.sendSticker())).toEqual([textOnly]);
    const file = await head.sendDocument({
      fileName: "reason.pdf",
      mimeType: "application/pdf",
      bytes: 2048,
    });
    expect(head.texts(file)).toEqual([textOnly]);
    expect(head.texts(await head.send("x".repeat(1001)))).toEqual([
      "Причина должна содержать от 3 до 1000 символов.",
    ]);
    expect(head.texts(await head.send("  ок  "))).toEqual([
      "Причина должна содержать от 3 до 1000 символов.",
    ]);
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).version).toBe(
      app.version,
    );
    const out = await head.send("Нет лицензии <L64> & копии");
    expect(head.texts(out)[0]).toContain("Статус: «Проект»");
    expect(head.texts(out)[0]).toContain("Причина: Нет лицензии &lt;L64&gt; &amp; копии");
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.status).toBe("DRAFT");
    expect(after.headRejectReason).toBe("Нет лицензии <L64> & копии");
    expect(
      await db.prisma.auditEvent.count({ where: { applicationId: app.id, action: "HEAD_REJECT" } }),
    ).toBe(1);
    // the prompt is over: the next text is an ordinary message
    expect(head.texts(await head.send("ещё текст"))[0]).toBe("Пожалуйста, пользуйтесь кнопками меню.");
    await head.send("/language");
    await head.press("lang:kk");
    limitsOk();
  });

  it("«Отмена» under the question leaves the prompt: nothing changes and the next text is not a reason", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    await head.press(cb("hd.r", [app.id], app.version));
    const cancelled = await head.press(cb("hd.x", [app.id]));
    expect(head.texts(cancelled)).toContain("Әрекет болдырылмады, өтінім өзгертілген жоқ.");
    expect(cancelled.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    const later = await head.send("Бұл себеп емес");
    expect(head.texts(later)[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.status).toBe("HEAD_APPROVAL");
    expect(after.version).toBe(app.version);
    expect(after.headRejectReason).toBeNull();
    limitsOk();
  });

  it("another button or a command leaves the prompt and is handled as usual", async () => {
    const app = await pendingApplication();
    const head = h.user(100002);
    await head.press(cb("hd.r", [app.id], app.version));
    const opened = await head.press(cb("hd.o", [app.id], app.version));
    expect(head.texts(opened).join("\n")).toContain("Дерекқорға енгізу туралы өтінім");
    expect(head.texts(await head.send("Себеп мәтіні"))[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    await head.press(cb("hd.r", [app.id], app.version));
    const queue = await head.send("/sign");
    expect(head.texts(queue)[0]).toContain("Басшының келісуінде");
    expect(head.texts(await head.send("Себеп мәтіні"))[0]).toBe("Мәзір түймелерін пайдаланыңыз.");
    expect((await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe(
      "HEAD_APPROVAL",
    );
    limitsOk();
  });

  it("a decision taken by someone else while the head types: «already decided» by NAME at TIME, nothing changes", async () => {
    const app = await pendingApplication();
    const second = await db.prisma.user.upsert({
      where: { telegramId: 790060n },
      update: {},
      create: { telegramId: 790060n, fullName: "Сәбит Екінші", language: "ru" },
    });
    await db.prisma.orgMembership.upsert({
      where: { userId_orgId_role: { userId: second.id, orgId, role: "HEAD" } },
      update: {},
      create: { userId: second.id, orgId, role: "HEAD" },
    });
    const head = h.user(100002);
    await head.press(cb("hd.r", [app.id], app.version));
    // the second head rejects first, in their own chat
    const other = h.user(790060);
    await other.press(cb("hd.r", [app.id], app.version));
    expect(other.texts(await other.send("Отклоняю первым"))[0]).toContain("Статус: «Проект»");
    const decided = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    const audit = await db.prisma.auditEvent.count({ where: { applicationId: app.id } });
    const out = await head.send("Менің себебім");
    const text = head.texts(out).join("\n");
    expect(text).toContain("Бұл өтінім бойынша шешім қабылданып қойған, ештеңе өзгертілген жоқ.");
    expect(text).toContain("Сәбит Екінші");
    expect(text).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    const after = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(after.version).toBe(decided.version);
    expect(after.headRejectReason).toBe("Отклоняю первым");
    expect(await db.prisma.auditEvent.count({ where: { applicationId: app.id } })).toBe(audit);
    limitsOk();
  });

  it("survives a restart in the middle: a new bot on the same Redis and database resumes the prompt", async () => {
    const prefix = `t${process.pid}_restart_${Date.now().toString(36)}:`;
    const app = await pendingApplication();
    const before = await createHarness({ prisma: db.prisma, env: { REDIS_PREFIX: prefix } });
    const after = await createHarness({ prisma: db.prisma, env: { REDIS_PREFIX: prefix } });
    try {
      await before.user(100002).press(cb("hd.r", [app.id], app.version));
      // the waiting prompt is small: the entering update and the language, nothing else
      const keys = await after.redis!.keys(`${prefix}c:*`);
      expect(keys).toHaveLength(1);
      const stored = (await after.redis!.get(keys[0]!))!;
      expect(stored).toContain("reasonPrompt");
      expect(stored.length).toBeLessThan(3000);
      // a refused sticker does not grow it
      await before.user(100002).sendSticker();
      expect((await after.redis!.get(keys[0]!))!.length).toBe(stored.length);
      await before.close();
      // the restarted bot gets the answer
      const head = after.user(100002);
      const out = await head.send("Қайта іске қосылғаннан кейінгі себеп");
      expect(head.texts(out)[0]).toContain("Мәртебесі: «Жоба»");
      const row = await db.prisma.application.findUniqueOrThrow({ where: { id: app.id } });
      expect(row.status).toBe("DRAFT");
      expect(row.headRejectReason).toBe("Қайта іске қосылғаннан кейінгі себеп");
      expect(await after.redis!.keys(`${prefix}c:*`)).toEqual([]);
      expect(telegramLimitViolations([...before.calls, ...after.calls])).toEqual([]);
    } finally {
      const keys = await after.redis!.keys(`${prefix}*`);
      if (keys.length) await after.redis!.del(...keys);
      await after.close();
    }
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
