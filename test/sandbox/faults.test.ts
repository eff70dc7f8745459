// Fault injection (delay, 429 with retry_after for a window, 5xx, a dropped connection; by method, chat,
// count) through the API and through /ui/faults; the optional rate limit; and the strict stand-in's counters
// (/ui/stats): refused requests by reason, callback queries answered twice, late or never.
import { Api, GrammyError, HttpError } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, type SandboxStats, type TgUpdate } from "../../sandbox/server.ts";
import { call, PERSON, TOKEN } from "./helpers.ts";

let sandbox: Sandbox;
let api: Api;
const chat_id = PERSON.id;
const OTHER = { id: 555010, first_name: "Другой" };
const kb = { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] };

const ui = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(`${sandbox.url}${path}`, {
    ...init,
    headers: { "x-sandbox": "1", "content-type": "application/json" },
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
/** Callback queries the sandbox reported as timed out (the page's visible timeout). */
const timeouts: string[] = [];
const stats = async () => (await (await fetch(`${sandbox.url}/ui/stats`)).json()) as SandboxStats;

beforeAll(async () => {
  sandbox = await Sandbox.start({ persons: [PERSON, OTHER], callbackTimeoutMs: 400 });
  api = new Api(TOKEN, { apiRoot: sandbox.url });
  sandbox.events.on("event", (e: { type: string; callback_query_id?: string }) => {
    if (e.type === "callback_timeout") timeouts.push(e.callback_query_id!);
  });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  sandbox.faults.clear();
  sandbox.faults.setRateLimit(null);
  const r = await call<TgUpdate[]>(sandbox, "getUpdates", { offset: -1 });
  const last = r.result!.at(-1);
  if (last) await call(sandbox, "getUpdates", { offset: last.update_id + 1 });
});

describe("fault injection", () => {
  it("answers 429 with retry_after for the window, then the method works again", async () => {
    sandbox.faults.add({ methods: ["sendMessage"], error: 429, forMs: 600 });
    const before = sandbox.messages(chat_id).length;
    const err = (await api.sendMessage(chat_id, "x").catch((e: unknown) => e)) as GrammyError;
    expect(err).toBeInstanceOf(GrammyError);
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 1");
    expect(err.parameters.retry_after).toBe(1);
    // the method did not run; other methods are not touched
    expect(sandbox.messages(chat_id).length).toBe(before);
    expect((await api.getMe()).is_bot).toBe(true);
    await new Promise((r) => setTimeout(r, 650));
    expect((await api.sendMessage(chat_id, "after the window")).text).toBe("after the window");
    expect(sandbox.calls.filter((c) => c.injected === "429")).toHaveLength(1);
  });

  it("announces the given retry_after and stops after `times` calls", async () => {
    sandbox.faults.add({
      methods: ["answerCallbackQuery", "sendMessage"],
      error: 429,
      retryAfter: 30,
      times: 2,
    });
    const first = await call(sandbox, "sendMessage", { chat_id, text: "a" });
    expect(first).toMatchObject({ status: 429, parameters: { retry_after: 30 } });
    expect((await call(sandbox, "sendMessage", { chat_id, text: "b" })).status).toBe(429);
    expect((await call(sandbox, "sendMessage", { chat_id, text: "c" })).ok).toBe(true);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it("answers 502 Bad Gateway as Telegram's JSON, or as nginx's HTML page (grammY: HttpError)", async () => {
    sandbox.faults.add({ methods: ["sendMessage"], error: 502, times: 1 });
    expect(await call(sandbox, "sendMessage", { chat_id, text: "x" })).toMatchObject({
      status: 502,
      ok: false,
      error_code: 502,
      description: "Bad Gateway",
    });
    sandbox.faults.add({ methods: ["sendMessage"], error: 502, html: true, times: 1 });
    expect(await api.sendMessage(chat_id, "x").catch((e: unknown) => e)).toBeInstanceOf(HttpError);
  });

  it("drops the connection without an answer (reset)", async () => {
    sandbox.faults.add({ methods: ["sendMessage"], error: "reset", times: 1 });
    await expect(api.sendMessage(chat_id, "x")).rejects.toBeInstanceOf(HttpError);
  });

  it("delays before the method, or runs it first and then answers late or with an error", async () => {
    sandbox.faults.add({ methods: ["sendMessage"], delayMs: 300, times: 1 });
    let t = Date.now();
    await api.sendMessage(chat_id, "slow");
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);

    // "after": the message is in the chat while the bot still waits, then it sees a 502 for it
    sandbox.faults.add({ methods: ["sendMessage"], delayMs: 300, error: 502, when: "after", times: 1 });
    t = Date.now();
    const pending = api.sendMessage(chat_id, "delivered anyway").catch((e: unknown) => e);
    await sandbox.waitFor(() => sandbox.messages(chat_id).find((m) => m.text === "delivered anyway"), 2000);
    expect(Date.now() - t).toBeLessThan(280);
    expect(await pending).toMatchObject({ error_code: 502 });
  });

  it("targets one chat only", async () => {
    sandbox.faults.add({ chatId: OTHER.id, error: 429 });
    expect((await call(sandbox, "sendMessage", { chat_id: OTHER.id, text: "x" })).status).toBe(429);
    expect((await call(sandbox, "sendMessage", { chat_id, text: "x" })).ok).toBe(true);
    // a rule without methods leaves getUpdates alone
    expect((await call(sandbox, "getUpdates", {})).ok).toBe(true);
  });

  it("is driven over HTTP: POST /ui/faults, GET, DELETE one or all; a bad rule is refused", async () => {
    const added = (await (
      await ui("/ui/faults", { method: "POST", json: { methods: ["getMe"], error: 503 } })
    ).json()) as {
      fault: { id: string };
    };
    expect((await call(sandbox, "getMe")).status).toBe(503);
    const listed = (await (await ui("/ui/faults")).json()) as { faults: { id: string; hits: number }[] };
    expect(listed.faults).toMatchObject([{ id: added.fault.id, hits: 1 }]);
    expect((await ui(`/ui/faults/${added.fault.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(sandbox, "getMe")).ok).toBe(true);
    await ui("/ui/faults", { method: "POST", json: { delayMs: 1 } });
    expect((await ui("/ui/faults", { method: "DELETE" })).status).toBe(200);
    expect(sandbox.faults.list()).toEqual([]);
    const badRule = await ui("/ui/faults", { method: "POST", json: { error: 418 } });
    expect(badRule.status).toBe(400);
    // without the header another site's page cannot add faults
    const forged = await fetch(`${sandbox.url}/ui/faults`, {
      method: "POST",
      body: JSON.stringify({ error: 429 }),
    });
    expect(forged.status).toBe(403);
  });

  it("starts with the faults given to Sandbox.start", async () => {
    const s = await Sandbox.start({ persons: [PERSON], faults: [{ methods: ["getMe"], error: 500 }] });
    try {
      expect((await call(s, "getMe")).description).toBe("Internal Server Error");
    } finally {
      await s.close();
    }
  });
});

describe("rate limit (behind a flag)", () => {
  it("1 send per second per chat and 30 per second overall answer 429 beyond", async () => {
    sandbox.faults.setRateLimit(true);
    expect((await call(sandbox, "sendMessage", { chat_id, text: "1" })).ok).toBe(true);
    const second = await call(sandbox, "sendMessage", { chat_id, text: "2" });
    expect(second).toMatchObject({ status: 429, description: "Too Many Requests: retry after 1" });
    // another chat is not held back by this one; chat actions do not count
    expect((await call(sandbox, "sendMessage", { chat_id: OTHER.id, text: "1" })).ok).toBe(true);
    expect((await call(sandbox, "sendChatAction", { chat_id, action: "typing" })).ok).toBe(true);

    sandbox.faults.setRateLimit({ perSecond: 3, perChatPerSecond: 100, perChatBurst: 100 });
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push((await call(sandbox, "sendMessage", { chat_id, text: `${i}` })).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    // over HTTP
    const off = (await (await ui("/ui/rate-limit", { method: "POST", json: { enabled: false } })).json()) as {
      rate_limit: unknown;
    };
    expect(off.rate_limit).toBeNull();
  });
});

describe("strict stand-in counters (/ui/stats)", () => {
  it("counts requests Telegram would refuse by reason, apart from injected answers", async () => {
    await ui("/ui/stats/reset", { method: "POST" });
    const sent = await api.sendMessage(chat_id, "<b>same</b>", { parse_mode: "HTML" });
    for (let i = 0; i < 2; i++) {
      await call(sandbox, "editMessageText", {
        chat_id,
        message_id: sent.message_id,
        text: "<b>same</b>",
        parse_mode: "HTML",
      });
    }
    await call(sandbox, "sendMessage", { chat_id, text: "a < b", parse_mode: "HTML" });
    await call(sandbox, "sendMessage", { chat_id, text: "<x>", parse_mode: "HTML" });
    sandbox.faults.add({ methods: ["getMe"], error: 429, times: 1 });
    await call(sandbox, "getMe");
    const s = await stats();
    expect(s.calls).toMatchObject({ ok: 1, refused: 4, injected: 1 });
    expect(s.refused).toMatchObject({
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message":
        { count: 2, methods: { editMessageText: 2 } },
      "Bad Request: can't parse entities": { count: 2, last: { method: "sendMessage", chat_id } },
    });
    expect(s.injected).toEqual({ "429": 1 });
  });

  it("counts callback queries answered once, twice, late, never, and pending", async () => {
    await ui("/ui/stats/reset", { method: "POST" });
    const m = await api.sendMessage(chat_id, "pick", { reply_markup: kb });
    const once = sandbox.press(chat_id, m.message_id, "go");
    await api.answerCallbackQuery(once);
    const twice = (await api.answerCallbackQuery(once).catch((e: unknown) => e)) as GrammyError;
    expect(twice.description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );

    const late = sandbox.press(chat_id, m.message_id, "go");
    const never = sandbox.press(chat_id, m.message_id, "go");
    const pendingNow = await stats();
    expect(pendingNow.callbacks.pending).toBe(2);
    // the timeout passes: both expire, the page is told, a late answer is refused
    await expect
      .poll(() => timeouts.filter((t) => t === late || t === never).length, { timeout: 3000 })
      .toBe(2);
    expect((await call(sandbox, "answerCallbackQuery", { callback_query_id: late })).status).toBe(400);
    expect((await call(sandbox, "answerCallbackQuery", { callback_query_id: "123" })).status).toBe(400);
    const s = await stats();
    expect(s.callbacks).toMatchObject({
      pressed: 3,
      answered: 1,
      answered_twice: 1,
      answered_late: 1,
      invalid: 1,
      unanswered: 2,
      pending: 0,
    });
    expect(s.callbacks.unanswered_list.map((q) => q.callback_query_id)).toEqual([late, never]);
    expect(s.callbacks.unanswered_list[0]).toMatchObject({ chat_id, message_id: m.message_id, data: "go" });
    expect(
      s.refused["Bad Request: query is too old and response timeout expired or query ID is invalid"]!.count,
    ).toBe(3);
  });
});
