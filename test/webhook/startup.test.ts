// Starting bot/main.ts: configuration errors exit 1 with the message; --set-webhook registers the
// webhook; long polling refuses to start while a webhook is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { freePort, StopWaiting, startBotProcess, waitUntil } from "./helpers.ts";

const TOKEN = "5550002:AAstartup-test-token-0123456789";
const SECRET = "startup_secret_0123456789abcdef";

let sandbox: Sandbox;
let db: TestDb;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  db = await createTestDb();
});
afterAll(async () => {
  await sandbox.close();
  await db.drop();
});

const exitOf = (p: ReturnType<typeof startBotProcess>) =>
  new Promise<number | null>((r) => {
    if (p.child.exitCode !== null) r(p.child.exitCode);
    else p.child.once("exit", (code) => r(code));
  });

describe("bot/main.ts start-up", () => {
  it("prints the configuration problems and exits with 1", async () => {
    const p = startBotProcess({ WEBHOOK_URL: "not a url", PORT: "70000" });
    expect(await exitOf(p)).toBe(1);
    expect(p.output()).toContain("Invalid configuration:");
    expect(p.output()).toContain("WEBHOOK_URL: must be the public https URL");
    expect(p.output()).toContain("PORT:");
  }, 30_000);

  it("registers the webhook with --set-webhook and serves updates", async () => {
    const port = await freePort();
    const p = startBotProcess(
      {
        BOT_TOKEN: TOKEN,
        BOT_API_ROOT: sandbox.url,
        WEBHOOK_URL: "https://bot.example.kz/hook",
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        DATABASE_URL: db.url,
        LOG_LEVEL: "warn",
      },
      ["--set-webhook"],
    );
    try {
      await waitUntil(
        () => {
          if (p.child.exitCode !== null) throw new StopWaiting(`exited:\n${p.output()}`);
          return sandbox.calls.some((c) => c.method === "setWebhook" && c.ok);
        },
        90_000,
        "setWebhook",
      );
      const call = sandbox.calls.find((c) => c.method === "setWebhook")!;
      expect(call.params).toMatchObject({ url: "https://bot.example.kz/hook", secret_token: SECRET });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 120_000);

  it("refuses long polling while a webhook is set", async () => {
    // the webhook set by the previous test is still there
    const p = startBotProcess({
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: sandbox.url,
      DATABASE_URL: db.url,
      PORT: String(await freePort()),
      LOG_LEVEL: "warn",
    });
    expect(await exitOf(p)).toBe(1);
    expect(p.output()).toContain("A webhook is set for this bot");
  }, 120_000);
});
