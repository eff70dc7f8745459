// Delivery: 429 retry_after, 5xx, 403, per-chat order, and two workers in parallel.
import { Api } from "grammy";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  deliverOnce,
  type OutboxDeps,
  startOutboxWorker,
  type WorkerOptions,
} from "../../bot/outbox/worker.ts";
import { outboxWorkerDeps } from "../../bot/runtime/outbox.ts";
import { claimBatch } from "../../prisma/store/outbox.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import { appOf } from "../helpers/e2e.ts";
import { applicationUnderReview } from "../staff/setup.ts";

let db: TestDb;
let deps: OutboxDeps;

beforeAll(async () => {
  db = await createTestDb();
  deps = outboxWorkerDeps({
    prisma: db.prisma,
    app: await appOf(db.prisma),
    config: { OUTBOX_GLOBAL_RATE: 1000, OUTBOX_CHAT_RATE: 1000, OUTBOX_POLL_MS: 20 },
    logger: pino({ level: "silent" }),
  });
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.outbox.deleteMany({});
});

interface StubCall {
  at: number;
  method: string;
  chatId: number;
  ok: boolean;
  messageId?: number;
}

/** A Bot API stub: `script(n)` decides the answer of the n-th call (0-based). */
function stubApi(
  script: (n: number, payload: Record<string, unknown>) => { code: number; retryAfter?: number } | null,
) {
  const calls: StubCall[] = [];
  let n = 0;
  let nextId = 1;
  const fetch = async (input: unknown, init?: { body?: unknown }) => {
    const url = String(typeof input === "object" && input && "url" in input ? (input as Request).url : input);
    const method = url.split("/").pop() ?? "";
    const payload = JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>;
    const fail = script(n++, payload);
    const call: StubCall = { at: Date.now(), method, chatId: Number(payload.chat_id), ok: !fail };
    calls.push(call);
    if (fail) {
      const body = {
        ok: false,
        error_code: fail.code,
        description:
          fail.code === 429
            ? "Too Many Requests: retry later"
            : fail.code === 403
              ? "Forbidden: bot was blocked by the user"
              : "Bad Gateway",
        ...(fail.retryAfter ? { parameters: { retry_after: fail.retryAfter } } : {}),
      };
      return new Response(JSON.stringify(body), {
        status: fail.code,
        headers: { "content-type": "application/json" },
      });
    }
    call.messageId = nextId++;
    const result = {
      message_id: call.messageId,
      date: 0,
      chat: { id: call.chatId, type: "private" },
      text: payload.text,
    };
    return new Response(JSON.stringify({ ok: true, result }), {
      headers: { "content-type": "application/json" },
    });
  };
  const api = new Api("123456:TEST-TOKEN-abcdefghijklmnop", {
    fetch: fetch as never,
    apiRoot: "http://stub.test",
  });
  return { api, calls };
}

async function addRows(chats: number[], perChat: number, kind = "status_changed") {
  const data = [];
  for (let i = 0; i < perChat; i++) {
    for (const c of chats) data.push({ eventKey: `ev-${c}-${i}`, chatId: BigInt(c), kind, payload: { i } });
  }
  await db.prisma.outbox.createMany({ data });
}

async function drain(api: Api, opts: WorkerOptions, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await deliverOnce(deps, api, opts);
    const pending = await db.prisma.outbox.count({ where: { status: "PENDING" } });
    if (pending === 0) return;
    if (Date.now() > until) throw new Error(`still ${pending} pending`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every row sent once, and per chat the message ids grow with the row ids. */
async function expectExactlyOnceInOrder(calls: StubCall[], total: number) {
  const rows = await db.prisma.outbox.findMany({ orderBy: { id: "asc" } });
  expect(rows.every((r) => r.status === "SENT")).toBe(true);
  expect(calls.filter((c) => c.ok).length).toBe(total);
  const ids = rows.map((r) => r.messageId);
  expect(new Set(ids).size).toBe(total);
  const byChat = new Map<string, number[]>();
  for (const r of rows) byChat.set(String(r.chatId), [...(byChat.get(String(r.chatId)) ?? []), r.messageId!]);
  for (const list of byChat.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
  // The stub saw each chat's messages in row order too.
  for (const [chat, list] of byChat) {
    const seen = calls.filter((c) => c.ok && String(c.chatId) === chat).map((c) => c.messageId);
    expect(seen).toEqual(list);
  }
}

describe("outbox worker", () => {
  it("delivers every notification exactly once after 429 and 502 answers, keeping per-chat order", async () => {
    await addRows([501, 502, 503], 4);
    const { api, calls } = stubApi((n) =>
      n === 0 ? { code: 429, retryAfter: 1 } : n <= 4 ? { code: 502 } : null,
    );
    await drain(api, { baseBackoffMs: 10, maxBackoffMs: 50 });
    await expectExactlyOnceInOrder(calls, 12);
    expect(calls.filter((c) => !c.ok).length).toBe(5);
  });

  it("honours retry_after: nothing is sent to anyone until the pause is over", async () => {
    await addRows([601, 602], 2);
    const { api, calls } = stubApi((n) => (n === 0 ? { code: 429, retryAfter: 1 } : null));
    await drain(api, {});
    const first = calls[0]!;
    expect(first.ok).toBe(false);
    // Only a request already in flight at the moment of the 429 may go out; every later one waits.
    const inFlight = calls.slice(1).filter((c) => c.at - first.at < 50);
    const later = calls.slice(1).filter((c) => c.at - first.at >= 50);
    expect(inFlight.length).toBeLessThanOrEqual(1);
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const c of later) expect(c.at - first.at).toBeGreaterThanOrEqual(950);
    await expectExactlyOnceInOrder(calls, 4);
  });

  it("marks a row FAILED without retry when the bot is blocked (403), and goes on with the chat", async () => {
    await addRows([701], 3);
    const { api, calls } = stubApi((n) => (n === 0 ? { code: 403 } : null));
    await drain(api, {});
    const rows = await db.prisma.outbox.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["FAILED", "SENT", "SENT"]);
    expect(rows[0]!.attempts).toBe(1);
    expect(calls.length).toBe(3);
  });

  it("retries 5xx with capped backoff for as long as it takes, never failing the row", async () => {
    await addRows([801], 1);
    const { api, calls } = stubApi((n) => (n < 30 ? { code: 502 } : null));
    await drain(api, { baseBackoffMs: 2, maxBackoffMs: 10 });
    const row = await db.prisma.outbox.findFirstOrThrow();
    expect(row.status).toBe("SENT");
    expect(row.attempts).toBe(31);
    expect(calls.length).toBe(31);
  });

  it("never sends a later row to a chat while an earlier one waits for a retry", async () => {
    await addRows([901], 2);
    const first = await db.prisma.outbox.findFirstOrThrow({ orderBy: { id: "asc" } });
    await db.prisma.outbox.update({
      where: { id: first.id },
      data: { nextAttemptAt: new Date(Date.now() + 60_000) },
    });
    const claimed = await claimBatch(db.prisma, "w-test", 10, 1000);
    expect(claimed).toEqual([]);
  });

  it("two workers in parallel never send the same row twice", async () => {
    const chats = Array.from({ length: 10 }, (_, i) => 1000 + i);
    await addRows(chats, 5);
    const a = stubApi((n) => (n % 7 === 3 ? { code: 502 } : null));
    const b = stubApi((n) => (n % 5 === 2 ? { code: 502 } : null));
    await Promise.all([
      drain(a.api, { workerId: "A", batchSize: 4, baseBackoffMs: 5, maxBackoffMs: 20 }),
      drain(b.api, { workerId: "B", batchSize: 4, baseBackoffMs: 5, maxBackoffMs: 20 }),
    ]);
    const ok = [...a.calls, ...b.calls].filter((c) => c.ok);
    expect(ok.length).toBe(50);
    const rows = await db.prisma.outbox.findMany();
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
    // per chat, sends happened in row order (timestamps non-decreasing across both workers)
    for (const chat of chats) {
      const sent = rows.filter((r) => Number(r.chatId) === chat).sort((x, y) => (x.id < y.id ? -1 : 1));
      const times = sent.map((r) => r.sentAt!.getTime());
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
    expect(a.calls.some((c) => c.ok) && b.calls.some((c) => c.ok)).toBe(true);
  });

  it("delivers the notifications of real transitions exactly once through 429 and 502", async () => {
    await applicationUnderReview(db.prisma);
    const total = await db.prisma.outbox.count({ where: { status: "PENDING" } });
    expect(total).toBeGreaterThanOrEqual(3);
    const { api, calls } = stubApi((n) =>
      n === 0 ? { code: 429, retryAfter: 1 } : n <= 2 ? { code: 502 } : null,
    );
    await drain(api, { baseBackoffMs: 10, maxBackoffMs: 50 });
    const rows = await db.prisma.outbox.findMany({ orderBy: { id: "asc" } });
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
    // the head's "please sign" message whose step was already decided before delivery is not sent
    const skipped = rows.filter((r) => r.messageId === null);
    expect(skipped.map((r) => r.kind)).toEqual(["head_approval_requested"]);
    const delivered = rows.filter((r) => r.messageId !== null);
    expect(calls.filter((c) => c.ok).length).toBe(delivered.length);
    expect(new Set(delivered.map((r) => `${r.eventKey}|${r.chatId}`)).size).toBe(delivered.length);
    expect(delivered.some((r) => r.kind === "new_for_review")).toBe(true);
    expect(delivered.some((r) => r.kind === "status_changed")).toBe(true);
  });

  it("the pipelined worker paces each chat without holding up the others, with one abort listener", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      await addRows([1101], 3);
      const others = Array.from({ length: 30 }, (_, i) => 1200 + i);
      await addRows(others, 1);
      const { api, calls } = stubApi(() => null);
      const paced: OutboxDeps = { ...deps, config: { ...deps.config, OUTBOX_CHAT_RATE: 5 } };
      const w = startOutboxWorker(paced, api, { pollMs: 20 });
      const until = Date.now() + 10_000;
      while ((await db.prisma.outbox.count({ where: { status: "PENDING" } })) > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await w.stop();
      await expectExactlyOnceInOrder(calls, 33);
      const a = calls.filter((c) => c.chatId === 1101).map((c) => c.at);
      for (let i = 1; i < a.length; i++) expect(a[i]! - a[i - 1]!).toBeGreaterThanOrEqual(195);
      // every other chat's message went before chat 1101's second one (no head-of-line blocking)
      const lastOther = Math.max(...calls.filter((c) => c.chatId !== 1101).map((c) => c.at));
      expect(lastOther).toBeLessThan(a[1]!);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a 429 for a chat that was being written to at its own pace holds only that chat", async () => {
    await addRows([1301], 2);
    await addRows([1302, 1303, 1304], 1);
    let n = 0;
    const { api, calls } = stubApi((_i, payload) =>
      Number(payload.chat_id) === 1301 && n++ === 1 ? { code: 429, retryAfter: 1 } : null,
    );
    const paced: OutboxDeps = { ...deps, config: { ...deps.config, OUTBOX_CHAT_RATE: 10 } };
    // 1301's first row goes; its second (sent one gap later) gets 429; the other chats are not paused
    await deliverOnce(paced, api, { maxChatWaitMs: 500 });
    await deliverOnce(paced, api, { maxChatWaitMs: 500 });
    const t429 = calls.find((c) => !c.ok)!;
    expect(t429.chatId).toBe(1301);
    await addRows([1305], 1);
    const before = Date.now();
    await deliverOnce(paced, api, {});
    const c1305 = calls.find((c) => c.chatId === 1305)!;
    expect(c1305.ok).toBe(true);
    expect(c1305.at - before).toBeLessThan(500);
    await drain(api, {});
    const rows = await db.prisma.outbox.findMany();
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
    const retried = calls.filter((c) => c.chatId === 1301 && c.ok).map((c) => c.at);
    expect(retried[1]! - t429.at).toBeGreaterThanOrEqual(950);
  });

  it("two processes sharing the Redis pacer stay within the global limit together, and share a 429 pause", async () => {
    const limit = 60;
    const chats = Array.from({ length: 150 }, (_, i) => 2000 + i);
    await addRows(chats, 1);
    const prefix = redisPrefix("outbox-worker");
    const ra = new Redis("redis://127.0.0.1:6379");
    const rb = new Redis("redis://127.0.0.1:6379");
    try {
      const config = { ...deps.config, OUTBOX_GLOBAL_RATE: limit };
      // The 5th call of process A is a global 429 (nobody was writing to that chat): B must hold too.
      const a = stubApi((n) => (n === 4 ? { code: 429, retryAfter: 1 } : null));
      const b = stubApi(() => null);
      const wa = startOutboxWorker({ ...deps, config, redis: { client: ra, prefix } }, a.api, { pollMs: 20 });
      const wb = startOutboxWorker({ ...deps, config, redis: { client: rb, prefix } }, b.api, { pollMs: 20 });
      const until = Date.now() + 15_000;
      while ((await db.prisma.outbox.count({ where: { status: "PENDING" } })) > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all([wa.stop(), wb.stop()]);
      const all = [...a.calls, ...b.calls];
      // (the two stubs number their messages independently: count deliveries by chat, one row per chat)
      const rows = await db.prisma.outbox.findMany();
      expect(rows.every((r) => r.status === "SENT")).toBe(true);
      const ok = all.filter((c) => c.ok);
      expect(ok.length).toBe(150);
      expect(new Set(ok.map((c) => c.chatId)).size).toBe(150);
      expect(a.calls.filter((c) => c.ok).length).toBeGreaterThan(20);
      expect(b.calls.filter((c) => c.ok).length).toBeGreaterThan(20);
      // Any 1-s window (sliding) holds at most the limit, across both processes.
      const t = all.map((c) => c.at).sort((x, y) => x - y);
      let j = 0;
      for (let i = 0; i < t.length; i++) {
        while (t[i]! - t[j]! >= 1000) j++;
        expect(i - j + 1).toBeLessThanOrEqual(limit);
      }
      // The 429 seen by A held B as well (a request already on its way may still land).
      const t429 = a.calls.find((c) => !c.ok)!;
      const during = all.filter((c) => c.at - t429.at >= 50 && c.at - t429.at < 950);
      expect(during).toEqual([]);
    } finally {
      const keys = await ra.keys(`${prefix}*`);
      if (keys.length) await ra.del(...keys);
      ra.disconnect();
      rb.disconnect();
    }
  });
});
