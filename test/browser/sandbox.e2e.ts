// The sandbox page in a real browser against a real bot (bot/main.ts in sandbox mode, embedded
// PostgreSQL in a temporary folder): pick a person, send /start, choose a language, press buttons.
// Screenshots go to test-results/browser/. Run: npm run test:browser (needs /usr/bin/chromium:
// `apt-get install -y chromium`, or set CHROMIUM_PATH).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    timeout: 20_000,
  });
  // let a burst (reply + menu) arrive
  await page.waitForTimeout(400);
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
  await page.waitForTimeout(400);
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
