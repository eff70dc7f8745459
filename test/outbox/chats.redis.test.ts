// Per-chat spacing across worker processes: successive rows of one chat delivered by different workers still
// go at least 1/OUTBOX_CHAT_RATE apart when the workers share Redis (the chat's next free slot, set when a
// message actually goes); without Redis the spacing is per process (the fallback).
import { Api } from "grammy";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverOnce, type OutboxDeps } from "../../bot/outbox/worker.ts";
import { outboxQueue } from "../../prisma/store/outbox.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import { startWorkerProcess, type WorkerProcess } from "./processes.ts";
import { type BotApiStub, startBotApiStub, TOKEN } from "./stub.ts";

let db: TestDb;
let stub: BotApiStub;
const prefix = redisPrefix("outbox-chat");
const clients: Redis[] = [];
const procs: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createTestDb();
  stub = await startBotApiStub();
});
afterAll(async () => {
  for (const p of procs) p.kill();
  const r = new Redis("redis://127.0.0.1:6379");
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
  for (const c of clients) c.disconnect();
  await stub?.close();
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.outbox.deleteMany({});
  stub.requests.length = 0;
});

async function addChat(chat: number, n: number) {
  await db.prisma.outbox.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      eventKey: `c-${chat}-${i}`,
      chatId: BigInt(chat),
      kind: "status_changed",
      payload: {},
    })),
  });
}

/** One worker instance: its own Api (so its own in-process pacers) and, optionally, its own Redis connection. */
function instance(chatRate: number, shared: boolean, tag: string) {
  let redis: OutboxDeps["redis"];
  if (shared) {
    const client = new Redis("redis://127.0.0.1:6379");
    clients.push(client);
    redis = { client, prefix: `${prefix}${tag}:` };
  }
  const deps: OutboxDeps = {
    queue: outboxQueue(db.prisma),
    hooks: { prepare: async (row) => ({ lang: "ru", rendered: { mode: "send", text: row.eventKey } }) },
    config: { OUTBOX_GLOBAL_RATE: 1000, OUTBOX_CHAT_RATE: chatRate, OUTBOX_POLL_MS: 20 },
    logger: pino({ level: "silent" }),
    redis,
  };
  return { deps, api: new Api(TOKEN, { apiRoot: stub.url }) };
}

const gaps = (chat: number) => {
  const t = stub
    .sent()
    .filter((r) => r.chatId === chat)
    .map((r) => r.at);
  return t.slice(1).map((x, i) => x - t[i]!);
};

describe("per-chat spacing across workers", () => {
  it("two workers taking turns on one chat keep the gap ≥ 1/OUTBOX_CHAT_RATE when they share Redis", async () => {
    await addChat(5101, 6);
    const a = instance(1000 / 300, true, "turns");
    const b = instance(1000 / 300, true, "turns");
    // A sends a row, B is the very next to claim the chat's next row, and so on.
    for (let i = 0; i < 6; i++) {
      const w = i % 2 === 0 ? a : b;
      const s = await deliverOnce(w.deps, w.api, { workerId: i % 2 === 0 ? "A" : "B" });
      expect(s.sent).toBe(1);
    }
    expect(stub.sent().map((r) => r.text)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `c-5101-${i}`));
    for (const g of gaps(5101)) expect(g).toBeGreaterThanOrEqual(299);
  });

  it("without Redis each process paces only its own sends (the fallback): the same turns come out unspaced", async () => {
    await addChat(5201, 2);
    const a = instance(1000 / 300, false, "local");
    const b = instance(1000 / 300, false, "local");
    await deliverOnce(a.deps, a.api, { workerId: "A" });
    await deliverOnce(b.deps, b.api, { workerId: "B" });
    expect(stub.sent()).toHaveLength(2);
    // B knows nothing of A's message: its row went right after A's
    expect(gaps(5201)[0]).toBeLessThan(295);
  });

  it("two worker processes racing for one chat's rows keep every gap ≥ the per-chat limit", async () => {
    await addChat(5301, 8);
    await addChat(5302, 8);
    const env = {
      DATABASE_URL: db.url,
      API_ROOT: stub.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_PREFIX: `${prefix}procs:`,
      OUTBOX_CHAT_RATE: "5",
      OUTBOX_POLL_MS: "20",
    };
    const [p1, p2] = await Promise.all([
      startWorkerProcess({ ...env, WORKER_ID: "P1", BOT_TOKEN: `${TOKEN}1` }),
      startWorkerProcess({ ...env, WORKER_ID: "P2", BOT_TOKEN: `${TOKEN}2` }),
    ]);
    procs.push(p1, p2);
    const end = Date.now() + 30_000;
    while ((await db.prisma.outbox.count({ where: { status: "PENDING" } })) > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([p1.stop(), p2.stop()]);
    expect(await db.prisma.outbox.count({ where: { status: "SENT" } })).toBe(16);
    expect(stub.sent()).toHaveLength(16);
    const all = [...gaps(5301), ...gaps(5302)];
    const byProcess = [`${TOKEN}1`, `${TOKEN}2`].map((t) => stub.sent().filter((r) => r.token === t).length);
    console.log(
      `two processes, 2 chats × 8 rows at 5/s per chat: smallest gap ${Math.min(...all)} ms (limit 200), sent by P1/P2 ${byProcess.join("/")}`,
    );
    for (const g of all) expect(g).toBeGreaterThanOrEqual(199);
  }, 60_000);
});
