// The webhook server in-process: secret first, then the claim, then grammY; a failed update releases
// its claim so Telegram's retry is processed; both de-duplication stores let exactly one caller win.
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../bot/context.ts";
import { PostgresDeduper, RedisDeduper, type UpdateDeduper } from "../../bot/runtime/dedupe.ts";
import { createWebhookServer, type WebhookServer, webhookPath } from "../../bot/runtime/webhook.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import { postUpdate, startUpdate } from "./helpers.ts";

const SECRET = "in_process_secret_0123456789";
const BOT_INFO = { id: 1, is_bot: true, first_name: "t", username: "t_bot" } as UserFromGetMe;

let db: TestDb;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  db = await createTestDb();
  redis = new Redis("redis://127.0.0.1:6379");
  prefix = redisPrefix("dedupe");
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
});

describe.each(["redis", "postgres"] as const)("%s de-duplication", (kind) => {
  const make = (): UpdateDeduper =>
    kind === "redis" ? new RedisDeduper(redis, prefix) : new PostgresDeduper(db.prisma);

  it("lets exactly one of many concurrent claims of an update win, from several clients", async () => {
    const a = make();
    const b = make();
    const id = kind === "redis" ? 7_000_001 : 7_000_002;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim(id)));
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    // the others see it being handled: Telegram is asked to come back (503), not told it is done
    expect(results.filter((r) => r === "busy")).toHaveLength(39);
    await a.release(id);
    expect(await b.claim(id)).toBe("claimed");
  });

  it("two phases: processing while handled, done afterwards; a dead instance's claim runs out", async () => {
    const d = make();
    const id = kind === "redis" ? 7_200_001 : 7_200_002;
    expect(await d.claim(id, 60_000)).toBe("claimed");
    expect(await d.claim(id)).toBe("busy");
    await d.done(id);
    expect(await d.claim(id)).toBe("duplicate");
    // an instance that claimed and died: its short lease runs out and the retry is taken
    const dead = id + 10;
    expect(await d.claim(dead, 150)).toBe("claimed");
    expect(await d.claim(dead)).toBe("busy");
    await new Promise((r) => setTimeout(r, 250));
    expect(await d.claim(dead)).toBe("claimed");
  });

  it("prunes only old claims", async () => {
    const d = make();
    expect(await d.claim(7_100_000)).toBe("claimed");
    await d.done(7_100_000);
    await d.prune();
    expect(await d.claim(7_100_000)).toBe("duplicate");
  });
});

describe("webhook server", () => {
  let server: WebhookServer;
  let port: number;
  const handled: number[] = [];
  let failNext = false;
  let readyChecks: Record<string, boolean> = { database: true };

  beforeAll(async () => {
    const bot = new Bot("1:in-process-token-0123456789abc", { botInfo: BOT_INFO });
    bot.use(async (ctx) => {
      if (failNext) {
        failNext = false;
        throw new Error("boom");
      }
      await new Promise((r) => setTimeout(r, 30));
      handled.push(ctx.update.update_id);
    });
    // no bot.catch: an error reaches the webhook server, which answers 500 and releases the claim
    server = createWebhookServer({
      bot: bot as unknown as Bot<AppContext>,
      deduper: new RedisDeduper(redis, `${prefix}srv:`),
      secret: SECRET,
      path: "/hook",
      ready: async () => readyChecks,
      logger: pino({ level: "silent" }),
    });
    port = await server.listen(0, "127.0.0.1");
  });
  afterAll(async () => {
    await server.close(1000);
  });

  it("takes the path from WEBHOOK_URL", () => {
    expect(webhookPath("https://bot.example.kz/telegram/hook?x=1")).toBe("/telegram/hook");
    expect(webhookPath("https://bot.example.kz")).toBe("/");
  });

  it("refuses a wrong or missing secret without claiming the update", async () => {
    expect(await postUpdate(port, "/hook", "nope_nope_nope_nope", startUpdate(1, 10))).toBe(401);
    const res = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: "POST",
      body: JSON.stringify(startUpdate(1, 10)),
    });
    expect(res.status).toBe(401);
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(1, 10))).toBe(200);
    expect(handled).toEqual([1]);
  });

  it("answers a copy of an update in progress 503 (Telegram comes back), a copy of a done one 200", async () => {
    const statuses = await Promise.all(
      [2, 2, 2, 3].map((id) => postUpdate(port, "/hook", SECRET, startUpdate(id, 10))),
    );
    expect(statuses.filter((x) => x === 200)).toHaveLength(2);
    expect(statuses.filter((x) => x === 503)).toHaveLength(2);
    // Telegram's retry after the first one finished: a duplicate, answered 200 and not handled again
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(2, 10))).toBe(200);
    expect(handled.filter((x) => x === 2)).toHaveLength(1);
    expect(handled.filter((x) => x === 3)).toHaveLength(1);
  });

  it("processes Telegram's retry of an update whose instance died while handling it", async () => {
    // another instance claimed update 9 and was killed: its processing claim has a short lease
    const other = new RedisDeduper(redis, `${prefix}srv:`);
    expect(await other.claim(9, 200)).toBe("claimed");
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(9, 10))).toBe(503);
    expect(handled).not.toContain(9);
    await new Promise((r) => setTimeout(r, 300));
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(9, 10))).toBe(200);
    expect(handled.filter((x) => x === 9)).toHaveLength(1);
  });

  it("releases the claim of a failed update so that the retry is handled", async () => {
    failNext = true;
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(4, 10))).toBe(500);
    expect(handled).not.toContain(4);
    expect(await postUpdate(port, "/hook", SECRET, startUpdate(4, 10))).toBe(200);
    expect(handled.filter((x) => x === 4)).toHaveLength(1);
  });

  it("rejects bodies that are not updates", async () => {
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/hook`, {
        method: "POST",
        headers: { "x-telegram-bot-api-secret-token": SECRET },
        body,
      }).then((r) => r.status);
    expect(await post("{not json")).toBe(400);
    expect(await post(JSON.stringify({ message: {} }))).toBe(400);
  });

  it("reports readiness per dependency", async () => {
    readyChecks = { database: true, redis: false };
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "unavailable", database: true, redis: false });
    readyChecks = { database: true };
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });
});
