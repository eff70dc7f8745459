// The outbox under faults, two real worker processes on this test's own PostgreSQL cluster and redis-server, a
// Bot API stub that answers 429 (retry_after) and then 502 for a while, and 403 for one blocked chat:
// - transient answers never fail a row: every message of the busy chat is delivered exactly once, in order, and
//   successive deliveries to that chat keep the per-chat gap although two processes send to it;
// - Redis stopped in the middle (and started again empty): delivery goes on;
// - only the permanent 403 fails its row for good, and it is listed for the managers (listFailedOutbox).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFailedOutbox } from "../../prisma/store/outbox.ts";
import { startWorkerProcess, type WorkerProcess } from "../outbox/processes.ts";
import { type BotApiStub, startBotApiStub } from "../outbox/stub.ts";
import { type OwnPostgres, type OwnRedis, startOwnPostgres, startOwnRedis } from "./services.ts";

const BUSY = 4001;
const BLOCKED = 4999;
const CHAT_RATE = 2; // per second: at least 500 ms between two messages to one chat
const N = 12;

let pg: OwnPostgres;
let redis: OwnRedis;
let stub: BotApiStub;
const procs: WorkerProcess[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
  await pg.prisma.outbox.deleteMany({});
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop().catch(() => p.kill())));
  await stub?.close();
  await redis?.close();
  await pg?.close();
}, 60_000);

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("outbox under 429, 502, a blocked chat and a Redis restart", () => {
  it("delivers every message once with the per-chat gap; only the 403 fails, and it is listed", async () => {
    let t0 = 0;
    stub = await startBotApiStub((r) => {
      if (r.chatId === BLOCKED) return { code: 403 };
      if (!t0) t0 = Date.now(); // the windows start with the first message
      const since = Date.now() - t0;
      if (since < 2500) return { code: 429, retryAfter: 1 };
      if (since < 4500) return { code: 502 };
      return null;
    });
    await pg.prisma.outbox.createMany({
      data: [
        ...Array.from({ length: N }, (_, i) => ({
          eventKey: `busy-${String(i).padStart(2, "0")}`,
          chatId: BigInt(BUSY),
          kind: "status_changed",
          payload: {},
        })),
        { eventKey: "blocked-0", chatId: BigInt(BLOCKED), kind: "status_changed", payload: {} },
      ],
    });
    const env = {
      DATABASE_URL: pg.url,
      API_ROOT: stub.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: "faults:",
      OUTBOX_CHAT_RATE: String(CHAT_RATE),
      OUTBOX_POLL_MS: "200",
    };
    procs.push(await startWorkerProcess({ ...env, WORKER_ID: "A" }));
    procs.push(await startWorkerProcess({ ...env, WORKER_ID: "B" }));
    const sentCount = () => pg.prisma.outbox.count({ where: { status: "SENT" } });
    // half-way, Redis goes away and comes back empty
    await until(async () => (await sentCount()) >= N / 2, 60_000, "half delivered");
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    await until(async () => (await sentCount()) === N, 90_000, "all delivered");

    const accepted = stub.sent().filter((r) => r.chatId === BUSY && r.answered === 200);
    expect(accepted.map((r) => r.text)).toEqual(
      Array.from({ length: N }, (_, i) => `busy-${String(i).padStart(2, "0")}`),
    );
    expect(stub.sent().some((r) => r.answered === 429)).toBe(true);
    expect(stub.sent().some((r) => r.answered === 502)).toBe(true);
    // per-chat gap across the two processes (a little slack for the clocks of the stub and the workers)
    const gaps = accepted.slice(1).map((r, i) => r.at - accepted[i]!.at);
    console.log(`per-chat gaps (ms): min ${Math.min(...gaps)}, over ${gaps.length} deliveries`);
    const byRedis = gaps.filter((g) => g < 1000 / CHAT_RATE - 30);
    // only while Redis was down may the two processes space the chat each on its own
    expect(byRedis.length).toBeLessThanOrEqual(2);

    const rows = await pg.prisma.outbox.findMany({ orderBy: { id: "asc" } });
    // The duplicate window: from Telegram's answer (the stub answers at arrival) to the committed SENT. A worker
    // killed inside it sends that message again after its lease; outside it, nothing is sent twice.
    const sentAt = new Map(rows.map((r) => [r.eventKey, r.sentAt?.getTime() ?? Number.NaN]));
    const windows = accepted.map((r) => sentAt.get(r.text)! - r.at).sort((a, b) => a - b);
    console.log(
      `duplicate window (answer → committed SENT), ms: median ${windows[Math.floor(windows.length / 2)]}, ` +
        `max ${windows.at(-1)}`,
    );
    expect(windows.at(-1)!).toBeLessThan(1000);
    const failed = rows.filter((r) => r.status === "FAILED");
    expect(failed.map((r) => Number(r.chatId))).toEqual([BLOCKED]);
    expect(failed[0]!.lastError).toMatch(/^403 /);
    const listed = await listFailedOutbox(pg.prisma, { limit: 10 });
    expect(listed.map((r) => r.id)).toEqual([failed[0]!.id]);
  }, 150_000);
});
