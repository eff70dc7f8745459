// Two bot processes in webhook mode on one database and one Redis prefix, the sandbox as Telegram.
// A stream of updates is posted with duplicates to both instances (as a retrying Telegram or load
// balancer would): every update is handled exactly once — its chat gets exactly the replies a single
// delivery produces (measured first on chats that got each update once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import {
  type BotProcess,
  deliverUpdate,
  postUpdate,
  startUpdate,
  startWebhookInstances,
  stopWebhookInstances,
  settle as settleQuiet,
} from "./helpers.ts";

const TOKEN = "5550001:AAwebhook-test-token-0123456789";
const SECRET = "test_webhook_secret_0123456789";
const PATH = "/telegram/hook";

describe.each([
  { dedupe: "redis", withRedis: true },
  { dedupe: "postgres", withRedis: false },
])("webhook mode, two instances, de-duplication in $dedupe", ({ withRedis }) => {
  let sandbox: Sandbox;
  let db: TestDb;
  let prefix: string;
  const procs: BotProcess[] = [];
  const ports: number[] = [];
  const base = withRedis ? 910_000 : 920_000;
  const baselineUsers = [1, 2, 3].map((i) => base + i);
  const streamUsers = Array.from({ length: 30 }, (_, i) => base + 100 + i);

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      persons: [...baselineUsers, ...streamUsers].map((id) => ({
        id,
        first_name: `User${id}`,
        language_code: "ru",
      })),
    });
    db = await createTestDb();
    prefix = redisPrefix("webhook");
    await startWebhookInstances(
      {
        token: TOKEN,
        secret: SECRET,
        path: PATH,
        apiRoot: sandbox.url,
        databaseUrl: db.url,
        redisPrefix: prefix,
        withRedis,
        env: { OUTBOX_POLL_MS: "1000" },
      },
      procs,
      ports,
    );
  }, 120_000);

  afterAll(async () => {
    const codes = await stopWebhookInstances({ procs, sandbox, db, redisPrefix: prefix, withRedis });
    expect(codes).toEqual([0, 0]); // graceful shutdown on SIGTERM
  }, 60_000);

  /** Successful Bot API calls the sandbox recorded for a chat (replies, edits, chat actions...). */
  const callsTo = (chatId: number) =>
    sandbox.calls.filter((c) => c.ok && Number(c.params.chat_id) === chatId).map((c) => c.method);

  const settle = () => settleQuiet(sandbox, 1500);

  it("serves /healthz, /readyz and refuses a wrong secret", async () => {
    for (const port of ports) {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({
        status: "ready",
        database: true,
        ...(withRedis ? { redis: true } : {}),
      });
      expect(
        await postUpdate(
          port,
          PATH,
          "wrong_secret_wrong_secret",
          startUpdate(base + 99_000, baselineUsers[0]!),
        ),
      ).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/other`, { method: "POST" })).status).toBe(404);
    }
  });

  it("handles each update exactly once when duplicates reach both instances", async () => {
    // Baseline: what one delivery of /start produces for a new user.
    let updateId = base * 10;
    for (const user of baselineUsers)
      expect(await postUpdate(ports[0]!, PATH, SECRET, startUpdate(++updateId, user))).toBe(200);
    await settle();
    const baseline = baselineUsers.map(callsTo);
    expect(baseline[0]!.length, "a /start must produce at least one Bot API call").toBeGreaterThan(0);
    expect(baseline[1]).toEqual(baseline[0]);
    expect(baseline[2]).toEqual(baseline[0]);

    // The stream: every update goes to both instances at once, some a third time, in shuffled order.
    const posts: Promise<number>[] = [];
    for (const [i, user] of streamUsers.entries()) {
      const u = startUpdate(++updateId, user);
      posts.push(deliverUpdate(ports[0]!, PATH, SECRET, u), deliverUpdate(ports[1]!, PATH, SECRET, u));
      if (i % 3 === 0) posts.push(deliverUpdate(ports[i % 2]!, PATH, SECRET, u));
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    // every copy is finally answered 200 (Telegram re-delivers the ones answered 503 while in progress)
    const statuses = await Promise.all(posts);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // and late retries of updates that were already handled
    for (const user of streamUsers.slice(0, 5)) {
      const id = base * 10 + baselineUsers.length + streamUsers.indexOf(user) + 1;
      expect(await postUpdate(ports[1]!, PATH, SECRET, startUpdate(id, user))).toBe(200);
    }
    await settle();

    for (const user of streamUsers) expect(callsTo(user), `chat ${user}`).toEqual(baseline[0]);
    const created = await db.prisma.user.count({ where: { telegramId: { in: streamUsers.map(BigInt) } } });
    expect(created).toBe(streamUsers.length);
  }, 120_000);
});
