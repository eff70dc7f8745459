// The sandbox refuses what Telegram refuses, with Telegram's error texts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import { call, PERSON } from "./helpers.ts";

let sandbox: Sandbox;
const chat_id = PERSON.id;
const kb = (data: string) => ({ inline_keyboard: [[{ text: "Go", callback_data: data }]] });

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON] });
});
afterAll(async () => {
  await sandbox.close();
});

describe("callback_data", () => {
  it("accepts callback data of exactly 64 bytes", async () => {
    const r = await call(sandbox, "sendMessage", { chat_id, text: "ok", reply_markup: kb("a".repeat(64)) });
    expect(r.ok).toBe(true);
  });

  it("rejects callback data over 64 bytes with BUTTON_DATA_INVALID", async () => {
    const r = await call(sandbox, "sendMessage", { chat_id, text: "x", reply_markup: kb("a".repeat(65)) });
    expect(r).toMatchObject({
      status: 400,
      ok: false,
      error_code: 400,
      description: "Bad Request: BUTTON_DATA_INVALID",
    });
  });

  it("counts bytes, not characters (33 Cyrillic letters are 66 bytes)", async () => {
    const r = await call(sandbox, "sendMessage", { chat_id, text: "x", reply_markup: kb("я".repeat(33)) });
    expect(r.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("checks the keyboard of an edit too", async () => {
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", { chat_id, text: "base" });
    const r = await call(sandbox, "editMessageReplyMarkup", {
      chat_id,
      message_id: sent.result!.message_id,
      reply_markup: kb("b".repeat(65)),
    });
    expect(r.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("rejects an inline button without an action", async () => {
    const r = await call(sandbox, "sendMessage", {
      chat_id,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "no" }]] },
    });
    expect(r.description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  });
});

describe("text and caption length", () => {
  it("accepts 4096 characters and rejects 4097", async () => {
    expect((await call(sandbox, "sendMessage", { chat_id, text: "a".repeat(4096) })).ok).toBe(true);
    const r = await call(sandbox, "sendMessage", { chat_id, text: "a".repeat(4097) });
    expect(r).toMatchObject({ status: 400, description: "Bad Request: message is too long" });
  });

  it("measures the text after HTML parsing, as Telegram does", async () => {
    const text = `<b>${"a".repeat(4096)}</b>`;
    expect((await call(sandbox, "sendMessage", { chat_id, text, parse_mode: "HTML" })).ok).toBe(true);
  });

  it("rejects an edit to a text over 4096 characters", async () => {
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", { chat_id, text: "short" });
    const r = await call(sandbox, "editMessageText", {
      chat_id,
      message_id: sent.result!.message_id,
      text: "я".repeat(4097),
    });
    expect(r.description).toBe("Bad Request: message is too long");
  });

  it("rejects an empty text", async () => {
    expect((await call(sandbox, "sendMessage", { chat_id, text: "  \n " })).description).toBe(
      "Bad Request: message text is empty",
    );
  });

  it("rejects a caption over 1024 characters", async () => {
    const r = await call(sandbox, "sendDocument", {
      chat_id,
      document: "unknown",
      caption: "c".repeat(1025),
    });
    // the file is checked first, like Telegram; upload a real one to reach the caption check
    expect(r.ok).toBe(false);
    const form = new FormData();
    form.set("chat_id", String(chat_id));
    form.set("caption", "c".repeat(1025));
    form.set("document", new Blob([Buffer.from("%PDF-1.4 test")]), "a.pdf");
    const res = await fetch(`${sandbox.url}/bot1:x/sendDocument`, { method: "POST", body: form });
    expect(await res.json()).toMatchObject({
      ok: false,
      description: "Bad Request: message caption is too long",
    });
  });
});

describe("HTML parse mode", () => {
  const send = (text: string) =>
    call<{ text: string; entities?: unknown[] }>(sandbox, "sendMessage", {
      chat_id,
      text,
      parse_mode: "HTML",
    });

  it.each([
    ["<b>bold", `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
    ["line<br>break", `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 4`],
    ["<p>para</p>", `Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0`],
    ["a < b", `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`],
    [
      "<b><i>x</b></i>",
      `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
    ],
    ["x</b>", "Bad Request: can't parse entities: Unexpected end tag at byte offset 1"],
    ["<b", "Bad Request: can't parse entities: Unclosed start tag at byte offset 0"],
    [
      '<span class="x">s</span>',
      `Bad Request: can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`,
    ],
    ["Ә <x>", `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 3`],
  ])("rejects %j", async (text, description) => {
    expect((await send(text)).description).toBe(description);
  });

  it("accepts a bare & (Telegram keeps it as text) and decodes the four named entities", async () => {
    const r = await send("A & B &lt;tag&gt; &amp; &quot;q&quot; &#1178;&#x4D9;");
    expect(r.ok).toBe(true);
    expect(r.result!.text).toBe('A & B <tag> & "q" Қә');
  });

  it("returns plain text with entities in UTF-16 offsets", async () => {
    const r = await send('👍 <b>Жирный</b> <i>и <a href="https://fms.kz">ссылка</a></i>');
    expect(r.result).toMatchObject({
      text: "👍 Жирный и ссылка",
      entities: [
        { type: "bold", offset: 3, length: 6 },
        { type: "italic", offset: 10, length: 8 },
        { type: "text_link", offset: 12, length: 6, url: "https://fms.kz" },
      ],
    });
  });

  it('turns <pre><code class="language-x"> into one pre entity with the language', async () => {
    const r = await send('<pre><code class="language-json">{"a":1}</code></pre>');
    expect(r.result!.entities).toEqual([{ type: "pre", offset: 0, length: 7, language: "json" }]);
  });
});

describe("edits", () => {
  it("answers 'message is not modified' to an identical edit, and accepts a real change", async () => {
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", {
      chat_id,
      text: "<b>Status</b>",
      parse_mode: "HTML",
      reply_markup: kb("s:1"),
    });
    const message_id = sent.result!.message_id;
    const same = await call(sandbox, "editMessageText", {
      chat_id,
      message_id,
      text: "<b>Status</b>",
      parse_mode: "HTML",
      reply_markup: kb("s:1"),
    });
    expect(same.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    // same text, no keyboard: the keyboard goes away, so it is a change
    const noKb = await call(sandbox, "editMessageText", {
      chat_id,
      message_id,
      text: "<b>Status</b>",
      parse_mode: "HTML",
    });
    expect(noKb.ok).toBe(true);
    expect(
      sandbox.botMessages(chat_id).find((m) => m.message_id === message_id)!.reply_markup,
    ).toBeUndefined();
    const markupSame = await call(sandbox, "editMessageReplyMarkup", { chat_id, message_id });
    expect(markupSame.description).toMatch(/^Bad Request: message is not modified/);
    const changed = await call(sandbox, "editMessageText", { chat_id, message_id, text: "Status: done" });
    expect(changed.ok).toBe(true);
    expect(sandbox.botMessages(chat_id).find((m) => m.message_id === message_id)).toMatchObject({
      text: "Status: done",
    });
  });

  it("rejects editing a message that does not exist or that the person sent", async () => {
    expect(
      (await call(sandbox, "editMessageText", { chat_id, message_id: 99999, text: "x" })).description,
    ).toBe("Bad Request: message to edit not found");
    const mine = sandbox.sendText(chat_id, "hello");
    expect(
      (await call(sandbox, "editMessageText", { chat_id, message_id: mine.message_id, text: "x" }))
        .description,
    ).toBe("Bad Request: message can't be edited");
  });

  it("deletes a message once", async () => {
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", { chat_id, text: "bye" });
    const message_id = sent.result!.message_id;
    expect((await call(sandbox, "deleteMessage", { chat_id, message_id })).result).toBe(true);
    expect((await call(sandbox, "deleteMessage", { chat_id, message_id })).description).toBe(
      "Bad Request: message to delete not found",
    );
  });
});

describe("chats, callbacks, methods", () => {
  it("answers 'chat not found' for a chat that never talked to the bot", async () => {
    expect(await call(sandbox, "sendMessage", { chat_id: 42, text: "hi" })).toMatchObject({
      status: 400,
      description: "Bad Request: chat not found",
    });
  });

  it("answers an unknown method with 404 Not Found", async () => {
    expect(await call(sandbox, "sendDice", { chat_id })).toMatchObject({
      status: 404,
      ok: false,
      error_code: 404,
      description: "Not Found",
    });
  });

  it("accepts one answer per callback query, with at most 200 characters of text", async () => {
    const sent = await call<{ message_id: number }>(sandbox, "sendMessage", {
      chat_id,
      text: "pick",
      reply_markup: kb("p:1"),
    });
    const id = sandbox.press(chat_id, sent.result!.message_id, "p:1");
    expect(
      (await call(sandbox, "answerCallbackQuery", { callback_query_id: id, text: "x".repeat(201) }))
        .description,
    ).toBe("Bad Request: MESSAGE_TOO_LONG");
    expect((await call(sandbox, "answerCallbackQuery", { callback_query_id: id, text: "Done" })).ok).toBe(
      true,
    );
    expect((await call(sandbox, "answerCallbackQuery", { callback_query_id: id })).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
  });

  it("keeps commands per scope and language", async () => {
    await call(sandbox, "setMyCommands", { commands: [{ command: "start", description: "Начать" }] });
    await call(sandbox, "setMyCommands", {
      commands: [{ command: "start", description: "Бастау" }],
      language_code: "kk",
    });
    expect((await call(sandbox, "getMyCommands", { language_code: "kk" })).result).toEqual([
      { command: "start", description: "Бастау" },
    ]);
    expect(sandbox.commandsFor(chat_id)).toEqual([{ command: "start", description: "Начать" }]);
    expect(
      (await call(sandbox, "setMyCommands", { commands: [{ command: "Bad-Name", description: "x" }] }))
        .description,
    ).toBe("Bad Request: BOT_COMMAND_INVALID");
  });

  it("records every call with its outcome", async () => {
    const before = sandbox.calls.length;
    await call(sandbox, "sendMessage", { chat_id, text: "<x>", parse_mode: "HTML" });
    expect(sandbox.calls.slice(before)).toMatchObject([
      { method: "sendMessage", ok: false, description: expect.stringContaining("Unsupported start tag") },
    ]);
  });
});
