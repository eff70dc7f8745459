// The sandbox page in a real browser against a sandbox alone (the test plays the bot through the Bot API):
// «starting…» until the bot polls, kk/ru (browser default, switch), document albums, map pins, chat actions,
// the command menu of the chat's scope, albums a person sends, and pressed buttons: settled by the answer
// even when it beats the press request, and visibly timed out when nobody answers.
// Screenshots go to test-results/browser/. Run: npm run test:browser (needs /usr/bin/chromium).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METHODS } from "../../sandbox/botapi/index.ts";
import { Sandbox, type TgMessage, type TgUpdate } from "../../sandbox/server.ts";
import { ROOT } from "../webhook/helpers.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-results", "browser");
const RU = { id: 7101, first_name: "Айгерим", last_name: "Садықова", language_code: "ru", role: "Поставщик" };
const KK = { id: 7102, first_name: "Ерлан", last_name: "Жұмабаев", language_code: "kk", role: "Басшы" };
const TIMEOUT_MS = 2000;

let sandbox: Sandbox;
let browser: Browser;
let page: Page;

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
const pdf = (s: string, size = 10) => Buffer.from(`%PDF-1.4 ${s}`.padEnd(size, "."));
/** A real w×h PNG of one colour (so the browser draws it). */
function makePng(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A Bot API call as the bot makes it (JSON, or multipart when given a FormData). */
async function bot<T = TgMessage>(method: string, body: Record<string, unknown> | FormData): Promise<T> {
  const init =
    body instanceof FormData
      ? { method: "POST", body }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const r = (await (await fetch(`${sandbox.url}/botsandbox:token/${method}`, init)).json()) as {
    ok: boolean;
    result: T;
    description?: string;
  };
  if (!r.ok) throw new Error(`${method}: ${r.description}`);
  return r.result;
}

function album(
  chatId: number,
  items: { name: string; bytes: Buffer; caption?: string }[],
  type = "document",
) {
  const form = new FormData();
  form.set("chat_id", String(chatId));
  form.set(
    "media",
    JSON.stringify(items.map((it, i) => ({ type, media: `attach://f${i}`, caption: it.caption }))),
  );
  items.forEach((it, i) => {
    form.set(`f${i}`, new Blob([it.bytes]), it.name);
  });
  return bot<TgMessage[]>("sendMediaGroup", form);
}

async function openPerson(p: Page, name: string) {
  await p.locator(".person", { hasText: name }).click();
  await expect.poll(() => p.locator("#chatTitle").textContent()).toContain(name);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  sandbox = await Sandbox.start({
    persons: [RU, KK],
    invites: [
      {
        code: "demo_reviewer",
        name: "Жанар Бекова",
        label: { kk: "Жанар Бекова · Қараушы", ru: "Жанар Бекова · Рассматривающий" },
      },
    ],
    callbackTimeoutMs: TIMEOUT_MS,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "ru-RU" });
  page.on("pageerror", (e) => console.error("page error:", e.message));
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe("sandbox page", () => {
  it("shows «starting…» until the bot polls; then people can chat and open the demo invites", async () => {
    await page.goto(`${sandbox.url}/#chat=${RU.id}`);
    await expect.poll(() => page.locator("#starting").isVisible()).toBe(true);
    expect(await page.locator("#starting").textContent()).toContain("Бот запускается…");
    expect(await page.locator("#text").isDisabled()).toBe(true);
    expect(await page.locator("#inviteList .invite-open").isDisabled()).toBe(true);
    expect(await page.locator("#inviteList").textContent()).toContain("/start demo_reviewer");
    await shot(page, "p01-starting");
    await bot("getUpdates", { timeout: 0 }); // the bot is there
    await expect.poll(() => page.locator("#starting").isVisible()).toBe(false);
    expect(await page.locator("#text").isDisabled()).toBe(false);
    await page.locator("#inviteList .invite-open").click();
    await expect.poll(() => page.locator("#chatTitle").textContent()).toBe("Жанар Бекова");
    await expect
      .poll(() => page.locator(".msg.out .text").last().textContent())
      .toContain("/start demo_reviewer");
    await bot<TgUpdate[]>("getUpdates", { offset: -1 });
  });

  it("defaults to Kazakh in a Kazakh browser and switches to Russian (remembered)", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "kk-KZ" });
    const kk = await ctx.newPage();
    await kk.goto(sandbox.url);
    await expect.poll(() => kk.locator(".brand").textContent()).toBe("Telegram құмсалғышы");
    expect(await kk.locator("html").getAttribute("lang")).toBe("kk");
    expect(await kk.locator("#newUser").textContent()).toBe("+ Жаңа пайдаланушы");
    expect(await kk.locator(".invites-title").textContent()).toBe("Сынақ шақырулары");
    await openPerson(kk, "Ерлан");
    expect(await kk.locator("#text").getAttribute("placeholder")).toBe("Хабарлама");
    await shot(kk, "p02-kk");
    await kk.click('#langSwitch [data-lang="ru"]');
    await expect.poll(() => kk.locator(".brand").textContent()).toBe("Песочница Telegram");
    expect(await kk.locator("#newUser").textContent()).toBe("+ Новый пользователь");
    expect(await kk.locator("#text").getAttribute("placeholder")).toBe("Сообщение");
    await kk.reload();
    await expect.poll(() => kk.locator(".brand").textContent()).toBe("Песочница Telegram");
    // no element shows a raw key
    const raw = await kk
      .locator("[data-i18n]")
      .evaluateAll((els) =>
        els
          .filter((e) => e.textContent === e.getAttribute("data-i18n"))
          .map((e) => e.getAttribute("data-i18n")),
      );
    expect(raw).toEqual([]);
    await ctx.close();
  });

  it("shows a document album (name, size, caption, download), a map pin and a photo album", async () => {
    await openPerson(page, "Айгерим");
    const sent = await album(RU.id, [
      {
        name: "Свидетельство о регистрации.pdf",
        bytes: pdf("a", 2048),
        caption: "Свидетельство · SHA-256 3f2a9c",
      },
      {
        name: "Заявка о включении.pdf",
        bytes: pdf("b", 200_000),
        caption: "Заявка о включении · SHA-256 77b1d0",
      },
      { name: "Согласие.pdf", bytes: pdf("c") },
    ]);
    await bot("sendVenue", {
      chat_id: RU.id,
      latitude: 51.128207,
      longitude: 71.43042,
      title: "Производственная база № 1",
      address: "г. Астана, пр. Мәңгілік Ел, 12",
    });
    await album(
      RU.id,
      [
        { name: "a.png", bytes: makePng(160, 120, [101, 170, 221]) },
        { name: "b.png", bytes: makePng(160, 120, [123, 200, 98]), caption: "Фасад" },
      ],
      "photo",
    );
    const albumEl = page.locator(".msg.album.in").first();
    await expect.poll(() => albumEl.locator(".album-item").count()).toBe(3);
    expect(await albumEl.locator(".doc-name").allTextContents()).toEqual([
      "Свидетельство о регистрации.pdf",
      "Заявка о включении.pdf",
      "Согласие.pdf",
    ]);
    expect(await albumEl.locator(".doc-size").allTextContents()).toEqual([
      "2,0 КБ · скачать",
      "195,3 КБ · скачать",
      "10 Б · скачать",
    ]);
    expect(await albumEl.locator(".caption").allTextContents()).toEqual([
      "Свидетельство · SHA-256 3f2a9c",
      "Заявка о включении · SHA-256 77b1d0",
    ]);
    const href = await albumEl.locator(".download").nth(1).getAttribute("href");
    const res = await fetch(`${sandbox.url}${href}`);
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("Заявка о включении.pdf"));
    expect(sent[1]!.document!.file_size).toBe(200_000);
    const pin = page.locator(".map-card").last();
    await expect.poll(() => pin.locator(".venue-title").textContent()).toBe("Производственная база № 1");
    expect(await pin.locator(".venue-address").textContent()).toBe("г. Астана, пр. Мәңгілік Ел, 12");
    expect(await pin.locator(".coords").textContent()).toBe("Координаты: 51.128207, 71.43042");
    expect(await pin.locator("a").first().getAttribute("href")).toBe("geo:51.128207,71.43042");
    expect(await pin.locator("a").last().getAttribute("href")).toContain(
      "openstreetmap.org/?mlat=51.128207&mlon=71.43042",
    );
    await expect.poll(() => page.locator(".album-items.photos .photo").count()).toBe(2);
    await page.locator(".msg.album.in").first().scrollIntoViewIfNeeded();
    await shot(page, "p03-album-and-pin");
  });

  it("shows chat actions as Telegram does, in the page's language", async () => {
    await bot("sendChatAction", { chat_id: RU.id, action: "typing" });
    await expect.poll(() => page.locator("#chatStatus").textContent()).toBe("печатает…");
    await bot("sendChatAction", { chat_id: RU.id, action: "upload_document" });
    await expect.poll(() => page.locator("#chatStatus").textContent()).toBe("отправляет файл…");
    await page.click('#langSwitch [data-lang="kk"]');
    await expect.poll(() => page.locator(".brand").textContent()).toBe("Telegram құмсалғышы");
    await bot("sendChatAction", { chat_id: RU.id, action: "typing" });
    await expect.poll(() => page.locator("#chatStatus").textContent()).toBe("жазып жатыр…");
    await page.click('#langSwitch [data-lang="ru"]');
    await expect.poll(() => page.locator(".brand").textContent()).toBe("Песочница Telegram");
  });

  it("the / button lists the commands the bot set for this chat and its language", async () => {
    await bot("setMyCommands", { commands: [{ command: "start", description: "Начать" }] });
    await bot("setMyCommands", {
      commands: [
        { command: "drafts", description: "Черновики заявок" },
        { command: "new", description: "Создать заявку" },
      ],
      scope: { type: "chat", chat_id: RU.id },
      language_code: "ru",
    });
    await page.click("#menuBtn");
    await expect
      .poll(() => page.locator("#commandsMenu .cmd-name").allTextContents())
      .toEqual(["/drafts", "/new"]);
    await shot(page, "p04-commands");
    await page.click("#menuBtn");
    await page.fill("#text", "/n");
    await page.locator("#text").dispatchEvent("input");
    await expect.poll(() => page.locator("#commandsMenu .cmd-name").allTextContents()).toEqual(["/new"]);
    await page.fill("#text", "");
    await openPerson(page, "Ерлан"); // no chat scope: the default list
    await page.click("#menuBtn");
    await expect.poll(() => page.locator("#commandsMenu .cmd-name").allTextContents()).toEqual(["/start"]);
    await page.click("#menuBtn");
    await openPerson(page, "Айгерим");
  });

  it("a pressed button stops spinning when the bot answers, even before the press request returns", async () => {
    const m = await bot("sendMessage", {
      chat_id: RU.id,
      text: "Меню",
      reply_markup: { inline_keyboard: [[{ text: "Справка", callback_data: "m.help" }]] },
    });
    // the bot answers inside the press, before the page's request gets its answer
    const press = sandbox.press.bind(sandbox);
    sandbox.press = (chatId, messageId, data) => {
      const id = press(chatId, messageId, data);
      void METHODS.answercallbackquery!({
        s: sandbox,
        p: { callback_query_id: id, text: "Готово" },
        files: new Map(),
        res: undefined as never,
      });
      return id;
    };
    try {
      const btn = page.locator(`.msg[data-id="${m.message_id}"] .kb-btn`);
      await btn.click();
      await expect.poll(() => page.locator(".toast", { hasText: "Готово" }).count()).toBe(1);
      await expect
        .poll(() => btn.evaluate((e) => e.classList.contains("pending")), { timeout: 1000 })
        .toBe(false);
    } finally {
      sandbox.press = press;
    }
    await bot<TgUpdate[]>("getUpdates", { offset: -1 });
  });

  it("an unanswered button times out visibly after the timeout", async () => {
    const m = await bot("sendMessage", {
      chat_id: RU.id,
      text: "Язык",
      reply_markup: { inline_keyboard: [[{ text: "Язык", callback_data: "m.lang" }]] },
    });
    const btn = page.locator(`.msg[data-id="${m.message_id}"] .kb-btn`);
    await btn.click();
    await expect.poll(() => btn.evaluate((e) => e.classList.contains("pending"))).toBe(true);
    await expect
      .poll(() => page.locator(".system.warn").last().textContent(), { timeout: TIMEOUT_MS + 3000 })
      .toBe("Бот не ответил на нажатие кнопки «Язык» за 2 с");
    expect(await btn.evaluate((e) => e.classList.contains("pending"))).toBe(false);
    await shot(page, "p05-callback-timeout");
    expect(sandbox.stats().callbacks.unanswered).toBe(1);
    await bot<TgUpdate[]>("getUpdates", { offset: -1 });
  });

  it("a person sends several files at once: one album, one update per file", async () => {
    const last = (await bot<TgUpdate[]>("getUpdates", { offset: -1 })).at(-1);
    const offset = last ? last.update_id + 1 : 0;
    await page.click("#attachBtn");
    const chooser = page.waitForEvent("filechooser");
    await page.click('#attachMenu [data-attach="document"]');
    await (await chooser).setFiles(
      ["СЭС-1.pdf", "СЭС-2.pdf", "СЭС-3.pdf"].map((name) => ({
        name,
        mimeType: "application/pdf",
        buffer: pdf(name),
      })),
    );
    await expect.poll(() => page.locator(".msg.album.out .album-item").count()).toBe(3);
    const updates = await bot<TgUpdate[]>("getUpdates", { offset });
    const files = updates.filter((u) => u.message?.document);
    expect(files.map((u) => u.message!.document!.file_name)).toEqual(["СЭС-1.pdf", "СЭС-2.pdf", "СЭС-3.pdf"]);
    expect(new Set(files.map((u) => u.message!.media_group_id)).size).toBe(1);
    expect(files[0]!.message!.media_group_id).toBeDefined();
    await shot(page, "p06-person-album");
  });
});
