// Webhook mode, two real instances (bot/main.ts) on this test's own PostgreSQL cluster and redis-server, the
// sandbox as Telegram; updates are taken from the sandbox and posted to the instances the way Telegram does
// (again while the answer is 5xx):
// - an instance killed (SIGKILL) in the middle of an update: Telegram's retry, posted to the other instance, is
//   processed once the dead instance's "processing" claim runs out, and the person is answered;
// - PostgreSQL stopped: the update is answered 503 (Telegram keeps it) and the person is told at once that the
//   service is temporarily unavailable (kk/ru); after the restart the retry is handled;
// - Redis stopped, then started again empty: actions are still answered (claims fall back to PostgreSQL), and
//   a full name typed into a prompt opened before the outage is taken (prompts live in PostgreSQL).
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../sandbox/server.ts";
import {
  type BotProcess,
  deliverUpdate,
  freePort,
  postUpdate,
  StopWaiting,
  startBotProcess,
  waitUntil,
} from "../webhook/helpers.ts";
import { type OwnPostgres, type OwnRedis, startOwnPostgres, startOwnRedis } from "./services.ts";

const TOKEN = "7000000003:FAULTS-webhook-token-abcdefghijk";
const SECRET = "faults_webhook_secret_0123456789";
const PATH = "/telegram/hook";
const CLAIM_MS = 3000;
const P = { killed: 720001, pgDown: 720002, prompt: 720003, other: 720004 } as const;
const UNAVAILABLE_RU = "Система временно недоступна. Попробуйте ещё раз через минуту.";

let pg: OwnPostgres;
let redis: OwnRedis;
let sandbox: Sandbox;
const procs: BotProcess[] = [];
const ports: number[] = [];

async function startInstance(): Promise<number> {
  const port = await freePort();
  const proc = startBotProcess({
    BOT_TOKEN: TOKEN,
    BOT_API_ROOT: sandbox.url,
    WEBHOOK_URL: `https://bot.example.kz${PATH}`,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_CLAIM_MS: String(CLAIM_MS),
    PORT: String(port),
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "faults:",
    DEMO_DATA: "false",
    LOG_LEVEL: "warn",
    OUTBOX_POLL_MS: "300",
  });
  procs.push(proc);
  ports.push(port);
  await waitUntil(
    async () => {
      if (proc.child.exitCode !== null) throw new StopWaiting(`instance exited:\n${proc.output()}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
    },
    90_000,
    "instance ready",
  ).catch((e) => {
    throw new Error(`${e.message}\n${proc.output()}`);
  });
  return port;
}

beforeAll(async () => {
  [pg, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
  sandbox = await Sandbox.start({
    persons: Object.values(P).map((id) => ({ id, first_name: `User${id}`, language_code: "ru" })),
  });
  await startInstance();
  await startInstance();
  // The instances set a webhook; this test reads the sandbox's updates itself and posts them.
  sandbox.webhookUrl = "";
}, 200_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await sandbox?.close();
  await redis?.close();
  await pg?.close();
}, 60_000);

let offset = 0;
/** The updates people made in the sandbox since the last call (as Telegram would post them). */
async function takeUpdates(): Promise<Update[]> {
  const res = await fetch(`${sandbox.url}/bot${TOKEN}/getUpdates`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ offset, timeout: 0 }),
  });
  const body = (await res.json()) as { ok: boolean; result: Update[]; description?: string };
  if (!body.ok) throw new Error(`getUpdates: ${body.description}`);
  for (const u of body.result) offset = u.update_id + 1;
  return body.result;
}
async function one(): Promise<Update> {
  const us = await takeUpdates();
  expect(us).toHaveLength(1);
  return us[0]!;
}

const textsTo = (chatId: number, since = 0) =>
  sandbox
    .botMessages(chatId)
    .filter((m) => m.date * 1000 >= since - 1000)
    .map((m) => m.text ?? "");
const sentAfter = (chatId: number, at: number) =>
  sandbox.calls.filter(
    (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId && c.at >= at,
  );

describe("webhook faults", () => {
  it("an instance killed mid-update: Telegram's retry on the other instance is processed, the person answered", async () => {
    // The first answer to this person hangs: the update is in the middle of its handler when the kill comes.
    sandbox.faults.add({ methods: ["sendMessage"], chatId: P.killed, delayMs: 30_000, times: 1 });
    sandbox.sendText(P.killed, "/start");
    const u = await one();
    const [portA, portB] = ports as [number, number];
    const first = postUpdate(portA, PATH, SECRET, u).catch(() => 0);
    // the person's row is written by the update's first read; the handler then waits for its sendMessage
    await waitUntil(
      async () => (await pg.prisma.user.count({ where: { telegramId: BigInt(P.killed) } })) === 1,
      20_000,
      "the handler to start",
    );
    await new Promise((r) => setTimeout(r, 500));
    procs[0]!.child.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await first).toBe(0); // no answer: Telegram will deliver the update again
    // Telegram's retry goes to the other instance: 503 while the dead one's claim holds, then handled.
    expect(await postUpdate(portB, PATH, SECRET, u)).toBe(503); // "in progress" elsewhere
    const status = await deliverUpdate(portB, PATH, SECRET, u, { tries: 100, waitMs: 250 });
    const handledAt = Date.now();
    expect(status).toBe(200);
    console.log(`retry handled ${handledAt - killedAt} ms after the kill (claim ${CLAIM_MS} ms)`);
    expect(handledAt - killedAt).toBeLessThan(CLAIM_MS + 8000);
    const answered = sentAfter(P.killed, killedAt).filter((c) => c.ok && !c.injected);
    expect(answered.map((c) => c.params.text)).toContain("Выберите язык / Тілді таңдаңыз");
    // the same update once more (Telegram did not get our 200 in time): a duplicate, not handled again
    const before = sandbox.calls.length;
    expect(await postUpdate(portB, PATH, SECRET, u)).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(sandbox.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
    sandbox.faults.clear();
  }, 90_000);

  it("PostgreSQL stopped: 503 and «temporarily unavailable» at once; after the restart the retry is handled", async () => {
    const portB = ports[1]!;
    await pg.stop();
    let u: Update;
    try {
      sandbox.sendText(P.pgDown, "/start");
      u = await one();
      const t0 = Date.now();
      const status = await postUpdate(portB, PATH, SECRET, u);
      expect(status).toBe(503);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(textsTo(P.pgDown)).toEqual([UNAVAILABLE_RU]);
      // Telegram retries while the database is still down: 503 again
      expect(await postUpdate(portB, PATH, SECRET, u)).toBe(503);
    } finally {
      await pg.start();
    }
    // Telegram's next retry, after the restart: handled by itself
    const upAt = Date.now();
    expect(await deliverUpdate(portB, PATH, SECRET, u, { tries: 60, waitMs: 500 })).toBe(200);
    expect(sentAfter(P.pgDown, upAt).map((c) => c.params.text)).toContain("Выберите язык / Тілді таңдаңыз");
  }, 60_000);

  it("Redis stopped and started again empty: actions answered, the typed full name taken", async () => {
    const portB = ports[1]!;
    const code = `FLT${Date.now().toString(36).toUpperCase()}`;
    const org = await pg.prisma.organisation.findUniqueOrThrow({ where: { bin: "100140001231" } });
    await pg.prisma.invite.create({
      data: {
        code,
        orgId: org.id,
        orgRoles: ["SUPPLIER"],
        staffRoles: [],
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    sandbox.sendText(P.prompt, `/start ${code}`);
    expect(await deliverUpdate(portB, PATH, SECRET, await one())).toBe(200);
    const lang = sandbox.botMessages(P.prompt).at(-1)!;
    sandbox.press(P.prompt, lang.message_id, "lang:ru");
    expect(await deliverUpdate(portB, PATH, SECRET, await one())).toBe(200);
    expect(textsTo(P.prompt).join("\n")).toContain("фамилию, имя и отчество");

    await redis.stop();
    // an action while Redis is down: answered
    const t0 = Date.now();
    sandbox.sendText(P.other, "/help");
    expect(await deliverUpdate(portB, PATH, SECRET, await one(), { tries: 20, waitMs: 250 })).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(sentAfter(P.other, t0).some((c) => c.ok)).toBe(true);

    await redis.start(); // empty
    const t1 = Date.now();
    sandbox.sendText(P.prompt, "Петров Пётр Петрович");
    expect(await deliverUpdate(portB, PATH, SECRET, await one(), { tries: 40, waitMs: 250 })).toBe(200);
    expect(sentAfter(P.prompt, t1).map((c) => c.params.text)).toContain(
      "Спасибо, Петров Пётр Петрович! Данные сохранены.",
    );
    const user = await pg.prisma.user.findUniqueOrThrow({ where: { telegramId: BigInt(P.prompt) } });
    expect(user.fullName).toBe("Петров Пётр Петрович");

    const s = sandbox.stats();
    expect(s.refused, JSON.stringify(s.refused)).toEqual({});
    expect(s.callbacks.answered_twice).toBe(0);
  }, 90_000);
});
