// The sandbox page in a real browser against a real bot (bot/main.ts in sandbox mode, embedded
// PostgreSQL in a temporary folder): pick a person, send /start, choose a language, press buttons.
// Screenshots go to test-results/browser/. Run: npm run test:browser (needs /usr/bin/chromium:
// `apt-get install -y chromium`, or set CHROMIUM_PATH).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCb } from "../../bot/kit/callbacks.ts";
import { PDF } from "../helpers/e2e.ts";
import {
  type BotProcess,
  freePort,
  StopWaiting,
  ROOT,
  startBotProcess,
  waitUntil,
} from "../webhook/helpers.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-results", "browser");

let bot: BotProcess;
let browser: Browser;
let page: Page;
let url: string;
let dataDir: string;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

/** Bot bubbles (incoming) currently shown. */
const botBubbles = () => page.locator(".msg.in");

async function waitForNewBotMessage(before: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll(".msg.in").length > ${before}`, undefined, {
    timeout: 60_000,
  });
  // let a burst (reply + menu) arrive
  await settled();
}

async function send(text: string): Promise<void> {
  const before = await botBubbles().count();
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  await waitForNewBotMessage(before);
}

/** Presses an inline button of the last bot message that has buttons; returns its text. */
async function pressButton(match?: RegExp): Promise<string> {
  const lastWithButtons = page.locator(".msg.in:has(.kb-btn)").last();
  const buttons = lastWithButtons.locator(".kb-btn");
  const btn = match ? buttons.filter({ hasText: match }).first() : buttons.first();
  const text = (await btn.textContent()) ?? "";
  const beforeHtml = await page.locator("#messages").innerHTML();
  await btn.click();
  // a new message or an edit of an existing one
  await expect.poll(() => page.locator("#messages").innerHTML(), { timeout: 20_000 }).not.toBe(beforeHtml);
  await settled();
  return text;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "fsms-e2e-"));
  const port = await freePort();
  bot = startBotProcess({
    PGLITE_DIR: join(dataDir, "pglite"),
    FILES_DIR: join(dataDir, "files"),
    SANDBOX_PORT: String(port),
    PORT: String(await freePort()),
    LOG_LEVEL: "warn",
  });
  url = await waitUntil(
    () => {
      if (bot.child.exitCode !== null) throw new StopWaiting(`bot exited:\n${bot.output()}`);
      return /Open (http:\/\/\S+)/.exec(bot.output())?.[1];
    },
    150_000,
    "the sandbox to start",
  ).catch((e) => {
    throw new Error(`${e.message}\n${bot.output()}`);
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "ru-RU" });
  page.on("pageerror", (e) => console.error("page error:", e.message));
});

afterAll(async () => {
  await browser?.close();
  const code = await bot?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe("sandbox web chat", () => {
  it("lists the demo people and a way to add a new user", async () => {
    await page.goto(url);
    await expect.poll(() => page.locator(".person").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator(".person .name").allTextContents()).toContain("Айгерим Садықова");
    await shot("01-people");
  });

  it("lets a new user start, choose a language and press a menu button", async () => {
    await page.click("#newUser");
    await page.fill("#personName", "Асель");
    await page.click("#personForm button.primary");
    await expect.poll(() => page.locator("#chatTitle").textContent()).toBe("Асель");
    await send("/start");
    await shot("02-new-user-start");
    expect(await page.locator(".msg.out .text").last().textContent()).toContain("/start");
    // a language picker: two buttons
    const chosen = await pressButton(/Рус|Орыс/);
    expect(chosen).toMatch(/Рус|Орыс/);
    await shot("03-language-chosen");
    // then any button of the next keyboard
    if ((await page.locator(".msg.in:has(.kb-btn)").count()) > 0) {
      await pressButton();
      await shot("04-button-pressed");
    }
    // no Bot API error surfaced on the page
    expect(await page.locator(".system.error").count()).toBe(0);
  });

  it("works for a demo person with a role: /start, then the first menu button", async () => {
    await page.locator(".person", { hasText: "Айгерим" }).click();
    await expect.poll(() => page.locator("#chatTitle").textContent()).toBe("Айгерим Садықова");
    await send("/start");
    await shot("05-supplier-start");
    await pressButton();
    await shot("06-supplier-menu-button");
    expect(await page.locator(".system.error").count()).toBe(0);
  });
});

describe("sandbox web chat: what the bot is about to send, and the page's language", () => {
  it("shows a document album and a map pin (sent through the Bot API) and switches to Kazakh and back", async () => {
    const base = url.replace("localhost", "127.0.0.1");
    const ui = { "x-sandbox": "1", "content-type": "application/json" };
    // a person of its own, so the application flow below is not disturbed
    const made = await fetch(`${base}/ui/persons`, {
      method: "POST",
      headers: ui,
      body: JSON.stringify({ first_name: "Карточка", last_name: "Проверки", language_code: "ru" }),
    });
    const person = ((await made.json()) as { person: { id: number } }).person;
    const form = new FormData();
    form.set("chat_id", String(person.id));
    const docs = ["Свидетельство о регистрации.pdf", "Заявка о включении.pdf", "Согласие.pdf"];
    form.set(
      "media",
      JSON.stringify(
        docs.map((name, i) => ({
          type: "document",
          media: `attach://d${i}`,
          caption: `${name} · SHA-256 ${"ab".repeat(4)}${i}`,
        })),
      ),
    );
    docs.forEach((name, i) => {
      form.set(`d${i}`, new Blob([PDF(name)]), name);
    });
    const sentAlbum = await fetch(`${base}/botsandbox:token/sendMediaGroup`, { method: "POST", body: form });
    expect(((await sentAlbum.json()) as { ok: boolean }).ok).toBe(true);
    const venue = await fetch(`${base}/botsandbox:token/sendVenue`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        chat_id: person.id,
        latitude: 51.1694,
        longitude: 71.4491,
        title: "Производственная база № 1",
        address: "г. Астана, ул. Кенесары, 40",
      }),
    });
    expect(((await venue.json()) as { ok: boolean }).ok).toBe(true);
    await openPerson("Карточка Проверки");
    await expect.poll(() => page.locator(".msg.album .album-item").count()).toBe(3);
    expect(await page.locator(".msg.album .doc-name").allTextContents()).toEqual(docs);
    await expect
      .poll(() => page.locator(".map-card .venue-title").textContent())
      .toBe("Производственная база № 1");
    await shot("07-album-and-map-pin");
    await page.click('#langSwitch [data-lang="kk"]');
    await expect.poll(() => page.locator(".brand").textContent()).toBe("Telegram құмсалғышы");
    await expect
      .poll(() => page.locator(".map-card .coords").textContent())
      .toBe("Координаттар: 51.1694, 71.4491");
    await shot("08-page-in-kazakh");
    await page.click('#langSwitch [data-lang="ru"]');
    await expect.poll(() => page.locator(".brand").textContent()).toBe("Песочница Telegram");
  });
});

// ───────────── a short application through the whole chain, by the real UI ─────────────

/** Buttons of the page (or of one message) with their decoded callback data and their index among all `.kb-btn`. */
async function buttonsOf(scope: Locator | "all") {
  const all = await page.locator(".kb-btn").evaluateAll((els) =>
    els.map((e) => ({
      data: e.getAttribute("data-data") ?? "",
      text: e.textContent ?? "",
      message: e.closest(".msg")?.getAttribute("data-id") ?? "",
    })),
  );
  const only = scope === "all" ? undefined : await scope.getAttribute("data-id");
  return all
    .map((b, index) => ({ index, ...b, cb: parseCb(b.data) }))
    .filter((b) => only === undefined || b.message === only);
}

/** The bot's last message that has inline buttons (the current keyboard). */
const lastKeyboard = () => page.locator(".msg.in:has(.kb-btn)").last();

/** Wait until the current keyboard (or, anywhere: any bot message) offers a button of one of the verbs. */
async function waitForVerb(verbs: string | string[], anywhere = false, timeout = 60_000): Promise<string> {
  const list = Array.isArray(verbs) ? verbs : [verbs];
  let found = "";
  await expect
    .poll(
      async () => {
        const scope = anywhere ? "all" : lastKeyboard();
        if (!anywhere && (await page.locator(".msg.in:has(.kb-btn)").count()) === 0) return false;
        const bs = await buttonsOf(scope);
        found = list.find((v) => bs.some((b) => b.cb?.verb === v)) ?? "";
        return found !== "";
      },
      { timeout, message: `a button ${list.join("|")}` },
    )
    .toBe(true);
  return found;
}

/** Wait until the chat's messages are quiet: no pressed button awaiting its answer, no change for a moment. */
async function settled(timeout = 30_000): Promise<void> {
  let last = "";
  let since = Date.now();
  await expect
    .poll(
      async () => {
        const html = await page.locator("#messages").innerHTML();
        const pending = await page.locator(".kb-btn.pending").count();
        if (html !== last || pending > 0) {
          last = html;
          since = Date.now();
          return false;
        }
        return Date.now() - since >= 300;
      },
      { timeout, interval: 100, message: "the chat to settle" },
    )
    .toBe(true);
}

/** Do something and wait for the bot's answer (a new or edited message), then for quiet. */
async function act(fn: () => Promise<void>): Promise<void> {
  const before = await page.locator("#messages").innerHTML();
  await fn();
  await expect
    .poll(() => page.locator("#messages").innerHTML(), { timeout: 60_000, message: "the bot to answer" })
    .not.toBe(before);
  await settled();
}

/** Click the newest button of the verb (and the extra id), in the current keyboard or anywhere in the chat. */
async function clickVerb(
  verb: string,
  opts: { arg?: string; anywhere?: boolean; text?: RegExp; unchecked?: boolean } = {},
): Promise<string> {
  await waitForVerb(verb, opts.anywhere);
  const bs = await buttonsOf(opts.anywhere ? "all" : lastKeyboard());
  const b = bs
    .filter(
      (x) =>
        x.cb?.verb === verb &&
        (opts.arg === undefined || x.cb.ids[1] === opts.arg) &&
        (!opts.text || opts.text.test(x.text)) &&
        (!opts.unchecked || !x.text.startsWith("✅")),
    )
    .at(-1);
  if (!b) throw new Error(`no ${verb} ${opts.arg ?? ""} button in ${JSON.stringify(bs.map((x) => x.data))}`);
  await act(() => page.locator(".kb-btn").nth(b.index).click());
  return b.text;
}

async function openPerson(name: string): Promise<void> {
  await page.locator(".person", { hasText: name }).click();
  await expect.poll(() => page.locator("#chatTitle").textContent()).toBe(name);
  await settled();
}

async function attachFile(name: string, bytes: Buffer, mimeType: string): Promise<void> {
  await act(async () => {
    await page.click("#attachBtn");
    const chooser = page.waitForEvent("filechooser");
    await page.click('#attachMenu [data-attach="document"]');
    await (await chooser).setFiles({ name, mimeType, buffer: bytes });
  });
}

async function shareLocation(lat: number, lon: number): Promise<void> {
  await act(async () => {
    await page.click("#attachBtn");
    await page.click('#attachMenu [data-attach="location"]');
    await page.fill("#lat", String(lat));
    await page.fill("#lon", String(lon));
    await page.click("#locationForm button.primary");
  });
}

/** Wait until a bot message containing the text is shown. */
async function waitForText(text: string | RegExp, timeout = 60_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const all = (await page.locator(".msg.in").allTextContents()).join("\n");
        return typeof text === "string" ? all.includes(text) : text.test(all);
      },
      { timeout, message: `a bot message with ${text}` },
    )
    .toBe(true);
}

describe("sandbox web chat: a short application through the whole chain", () => {
  it("supplier fills and sends, head signs, reviewer → checker → approver decide, the supplier gets the push", async () => {
    // ── the supplier admin (Russian): a short application of the polyclinic in Astana
    await openPerson("Айгерим Садықова");
    await send("/new");
    await clickVerb("ap.new1");
    await waitForVerb("wz.own", false, 90_000);
    await shot("10-wizard-licences-fetched");
    await clickVerb("wz.own", { arg: "1" });
    await clickVerb("wz.role", { arg: "0" }); // supplier only
    await clickVerb("wz.tg", { unchecked: true }); // one kind of care
    await clickVerb("wz.ok", { arg: "s" });
    if ((await waitForVerb(["wz.ph", "wz.reg"])) === "wz.ph") await clickVerb("wz.ph", { arg: "1" });
    await clickVerb("wz.reg", { arg: "ASTANA" });
    await waitForVerb("wz.be");
    await shot("11-wizard-bases");
    const bases = [
      ...new Set(
        (await buttonsOf(lastKeyboard())).filter((b) => b.cb?.verb === "wz.be").map((b) => b.cb!.ids[1]!),
      ),
    ];
    expect(bases.length).toBeGreaterThan(0);
    for (const [i, n] of bases.entries()) {
      await clickVerb("wz.be", { arg: n });
      await waitForText("Отправьте геопозицию");
      await shareLocation(51.1694, 71.4491);
      await waitForText("Координаты сохранены: 51.1694, 71.4491");
      if (i === 0) await shot("12-wizard-location-shared");
      // the KATO tree: the district the coordinates lie in (Есиль) where offered, else the first entry, until a
      // leaf is chosen (a district far from the coordinates would ask to confirm them first)
      for (let guard = 0; guard < 8; guard++) {
        const bs = await buttonsOf(lastKeyboard());
        // wz.kl: a leaf (chosen), wz.kt: a node with children (opened)
        const leaf = bs.filter((b) => b.cb?.verb === "wz.kl");
        if (leaf.length) {
          await clickVerb("wz.kl", leaf.some((b) => /Есиль/.test(b.text)) ? { text: /Есиль/ } : {});
          break;
        }
        const kt = bs.filter((b) => b.cb?.verb === "wz.kt");
        if (!kt.length) break;
        await clickVerb("wz.kt", kt.some((b) => /Есиль/.test(b.text)) ? { text: /Есиль/ } : {});
      }
      await attachFile(`ses-${n}.pdf`, PDF(`ses${n}`), "application/pdf");
      await waitForVerb("wz.tg");
      if (i === 0) await shot("13-wizard-ses-file-sent");
      for (let guard = 0; guard < 20; guard++) {
        const bs = await buttonsOf(lastKeyboard());
        if (!bs.some((b) => b.cb?.verb === "wz.tg" && !b.text.startsWith("✅"))) break;
        await clickVerb("wz.tg", { unchecked: true });
      }
      await clickVerb("wz.ok", { arg: "b" });
      await waitForVerb("wz.bd");
    }
    await clickVerb("wz.bd");
    await attachFile("registration.pdf", PDF("reg"), "application/pdf");
    await clickVerb("wz.d2");
    await clickVerb("wz.d3");
    await waitForVerb("wz.sv");
    await shot("14-wizard-summary");
    await clickVerb("wz.sv");
    await waitForText("Заявка сохранена в статусе «Проект»");
    await clickVerb("ap.form");
    await expect.poll(() => page.locator(".msg.in .doc").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await clickVerb("ap.send");
    await waitForText("На согласовании руководителя");
    await shot("15-supplier-sent-to-head");

    // ── the head (Kazakh): the push → the queue → the application → sign (M4 → ОК) → confirm the SHA-256
    await openPerson("Ерлан Жұмабаев");
    await waitForText("Ұйымның өтінімі Сіздің қолыңызды күтуде");
    // the push carries the button to the application (older layouts: the menu's «на подпись» first)
    if ((await waitForVerb(["hd.o", "m.head"], true)) === "m.head")
      await clickVerb("m.head", { anywhere: true });
    await clickVerb("hd.o", { anywhere: true });
    await shot("16-head-application");
    await clickVerb("hd.s");
    if ((await waitForVerb(["hd.ok", "hd.cf"])) === "hd.ok") {
      await shot("17-head-m4-notices");
      await clickVerb("hd.ok");
    }
    await waitForVerb("hd.cf");
    await waitForText(/SHA-256[\s\S]*[0-9a-f]{64}/);
    await shot("18-head-confirm-sha256");
    await clickVerb("hd.cf");
    await waitForText("«Қарауда»");
    await shot("19-head-signed-under-review");

    // ── the reviewer (Russian): the push → inclusion notice → pick the checker → send
    await openPerson("Динара Қасымова");
    await waitForText("Поступила новая заявка на рассмотрение");
    // the reviewer's card (issue 11): its documents as an album, and a production base as a map pin
    await clickVerb("fs.v", { anywhere: true });
    const docsBefore = await page.locator(".msg.in .doc").count();
    await clickVerb("fs.dc");
    await expect
      .poll(() => page.locator(".msg.in .doc").count(), { timeout: 60_000 })
      .toBeGreaterThan(docsBefore + 1);
    for (let guard = 0; guard < 6; guard++) {
      const bs = await buttonsOf("all");
      if (bs.some((b) => b.cb?.verb === "fs.pin")) break;
      await clickVerb("fs.cp", { anywhere: true, text: /▶/ });
    }
    await clickVerb("fs.pin", { anywhere: true });
    await expect
      .poll(() => page.locator(".msg.in .map-card").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await shot("20-reviewer-card-documents-and-pin");
    await clickVerb("fs.in", { anywhere: true });
    await clickVerb("fs.sc");
    await clickVerb("fs.tc", { text: /Нұрлан/ });
    await shot("20-reviewer-checker-picked");
    await clickVerb("fs.go");
    await waitForText("Согласована. На проверке");
    await shot("21-reviewer-sent-to-checker");

    // ── the checker (Kazakh) confirms
    await openPerson("Нұрлан Әбенов");
    await waitForText("Өтінім Сізге тексеруге жіберілді");
    await clickVerb("fs.cc", { anywhere: true });
    await waitForText("Расталды. Келісуде");
    await shot("22-checker-confirmed");

    // ── the approver (Russian) approves
    await openPerson("Бауыржан Оспанов");
    await waitForText("Заявка направлена вам на согласование");
    await clickVerb("fs.aa", { anywhere: true });
    await waitForText("Включен в БД");
    await shot("23-approver-approved");

    // ── the supplier sees the push «Включен в БД» and the questionnaire
    await openPerson("Айгерим Садықова");
    await waitForText(
      "Ваша организация включена в базу данных субъектов здравоохранения. Статус: «Включен в БД».",
    );
    await waitForText("Анкета");
    await shot("24-supplier-included-push");
    expect(await page.locator(".system.error").count()).toBe(0);
  }, 600_000);
});
