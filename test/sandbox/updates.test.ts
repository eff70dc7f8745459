// getUpdates as Telegram does it: an offset confirms what came before, long polling waits for the next
// update, a second poller ends the first with 409; and a real grammY bot runs against it.
import { Bot } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, type TgUpdate } from "../../sandbox/server.ts";
import { call, PERSON, TOKEN } from "./helpers.ts";

let sandbox: Sandbox;
const chat = PERSON.id;

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON] });
});
afterAll(async () => {
  await sandbox.close();
});

/** Confirm everything queued so each test starts from an empty queue. */
async function drain(): Promise<void> {
  const r = await call<TgUpdate[]>(sandbox, "getUpdates", { offset: -1 });
  const last = r.result!.at(-1);
  if (last) await call(sandbox, "getUpdates", { offset: last.update_id + 1 });
}
afterEach(drain);

describe("getUpdates", () => {
  it("returns queued updates in order until an offset confirms them", async () => {
    sandbox.sendText(chat, "one");
    sandbox.sendText(chat, "two");
    sandbox.sendText(chat, "three");
    const first = await call<TgUpdate[]>(sandbox, "getUpdates", {});
    expect(first.result!.map((u) => u.message?.text)).toEqual(["one", "two", "three"]);
    const ids = first.result!.map((u) => u.update_id);
    expect(ids[1]! - ids[0]!).toBe(1);
    // not confirmed: the same updates again
    expect((await call<TgUpdate[]>(sandbox, "getUpdates", {})).result!.length).toBe(3);
    // offset = id of the second: the first is confirmed and gone for good
    const rest = await call<TgUpdate[]>(sandbox, "getUpdates", { offset: ids[1] });
    expect(rest.result!.map((u) => u.message?.text)).toEqual(["two", "three"]);
    expect((await call<TgUpdate[]>(sandbox, "getUpdates", { offset: ids[0] })).result!.length).toBe(2);
    expect((await call<TgUpdate[]>(sandbox, "getUpdates", { offset: ids[2]! + 1 })).result).toEqual([]);
  });

  it("honours limit and a negative offset (the last N updates)", async () => {
    for (const t of ["a", "b", "c", "d"]) sandbox.sendText(chat, t);
    expect(
      (await call<TgUpdate[]>(sandbox, "getUpdates", { limit: 2 })).result!.map((u) => u.message?.text),
    ).toEqual(["a", "b"]);
    expect(
      (await call<TgUpdate[]>(sandbox, "getUpdates", { offset: -1 })).result!.map((u) => u.message?.text),
    ).toEqual(["d"]);
    // the negative offset dropped the older ones
    expect((await call<TgUpdate[]>(sandbox, "getUpdates", {})).result!.length).toBe(1);
  });

  it("long-polls: waits for the next update and returns it at once", async () => {
    const started = Date.now();
    const poll = call<TgUpdate[]>(sandbox, "getUpdates", { timeout: 10 });
    setTimeout(() => sandbox.sendText(chat, "late"), 150);
    const r = await poll;
    expect(r.result!.map((u) => u.message?.text)).toEqual(["late"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("long-polls: returns an empty list after the timeout", async () => {
    const started = Date.now();
    const r = await call<TgUpdate[]>(sandbox, "getUpdates", { timeout: 1 });
    expect(r.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("ends the first of two concurrent long polls with 409 Conflict", async () => {
    const first = call<TgUpdate[]>(sandbox, "getUpdates", { timeout: 5 });
    await new Promise((r) => setTimeout(r, 100));
    const second = call<TgUpdate[]>(sandbox, "getUpdates", { timeout: 5 });
    expect(await first).toMatchObject({
      status: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    sandbox.sendText(chat, "to the second");
    expect((await second).result!.map((u) => u.message?.text)).toEqual(["to the second"]);
  });

  it("refuses getUpdates while a webhook is set, as Telegram does", async () => {
    await call(sandbox, "setWebhook", { url: "https://example.kz/hook" });
    expect((await call(sandbox, "getWebhookInfo")).result).toMatchObject({ url: "https://example.kz/hook" });
    expect((await call(sandbox, "getUpdates", {})).status).toBe(409);
    await call(sandbox, "deleteWebhook");
    expect((await call(sandbox, "getUpdates", {})).ok).toBe(true);
  });

  it("gives commands their bot_command entity and callback queries the current message", async () => {
    const m = sandbox.sendText(chat, "/start abc");
    expect(m.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", {
      chat_id: chat,
      text: "Choose",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    sandbox.press(chat, sent.result!.message_id, "a");
    const updates = (await call<TgUpdate[]>(sandbox, "getUpdates", {})).result!;
    const cq = updates.find((u) => u.callback_query)!.callback_query!;
    expect(cq).toMatchObject({
      data: "a",
      from: { id: chat },
      message: { message_id: sent.result!.message_id, text: "Choose" },
    });
    expect(() => sandbox.press(chat, sent.result!.message_id, "nope")).toThrow(/no such button/);
  });
});

describe("a grammY bot against the sandbox", () => {
  it("receives a command by long polling and its reply lands in the chat", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
    bot.command("start", (ctx) => ctx.reply(`<b>Hello</b>, ${ctx.from?.first_name}`, { parse_mode: "HTML" }));
    bot.on("callback_query:data", (ctx) =>
      ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` }),
    );
    const started = new Promise<void>((resolve) => {
      void bot.start({ timeout: 1, onStart: () => resolve() });
    });
    await started;
    try {
      const before = sandbox.botMessages(chat).length;
      sandbox.sendText(chat, "/start");
      const reply = await sandbox.waitFor(() =>
        sandbox
          .botMessages(chat)
          .slice(before)
          .find((m) => m.text),
      );
      expect(reply).toMatchObject({
        text: "Hello, Тест",
        entities: [{ type: "bold", offset: 0, length: 5 }],
      });
      expect(reply.from).toMatchObject({ is_bot: true, id: 123456 });
    } finally {
      await bot.stop();
    }
  });
});
