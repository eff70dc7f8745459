// Two bot processes in webhook mode on one database (and one Redis prefix), the sandbox as Telegram, and a
// stream of updates WITH duplicates that carries staff DECISIONS: the checker's «Подтвердить», the approver's
// «Согласовать» and the reviewer's «Сформировать уведомление о включении», each posted to both instances (some
// a third time, some again after they were handled), mixed with /start of other users, plus a genuine double
// tap (a second press = a new update). Every decision is taken exactly once: one audit row, the status and
// version moved once, each callback query answered once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Action } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { Sandbox, type TgMessage } from "../../sandbox/server.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";
import { applicationUnderReview, packedUuid, step, userIdOf } from "../helpers/e2e.ts";
import {
  type BotProcess,
  deliverUpdate,
  postUpdate,
  startUpdate,
  startWebhookInstances,
  stopWebhookInstances,
  settle as settleQuiet,
} from "./helpers.ts";

const TOKEN = "5550002:AAwebhook-decisions-token-0123456789";
const SECRET = "test_webhook_secret_decisions_0123";
const PATH = "/telegram/hook";

const STAFF = { reviewer: 100003, checker: 100004, approver: 100006 } as const;
const ORGS = {
  polyclinic: { bin: "100140001231", author: 100001, head: 100002 },
  diagnostic: { bin: "150340003212", author: 100008, head: 100009 },
  soleTrader: { bin: "850615400125", author: 100010, head: 100010 },
} as const;

/** A new application of the organisation in Astana, signed by its head: «На рассмотрении». */
const underReview = (prisma: PrismaClient, org: (typeof ORGS)[keyof typeof ORGS]) =>
  applicationUnderReview(prisma, "ASTANA", org.bin, org.author, org.head);

describe.each([
  { dedupe: "redis", withRedis: true },
  { dedupe: "postgres", withRedis: false },
])("webhook mode, two instances, staff decisions with duplicates ($dedupe)", ({ withRedis }) => {
  let sandbox: Sandbox;
  let db: TestDb;
  let prefix: string;
  const procs: BotProcess[] = [];
  const ports: number[] = [];
  const base = withRedis ? 930_000 : 940_000;
  const streamUsers = Array.from({ length: 12 }, (_, i) => base + 100 + i);
  const apps = { checked: "", approved: "", noticed: "" };
  const versions: Record<string, number> = {};

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      persons: [
        // every demo person (staff, authors, heads, the manager): the pushes reach real chats
        ...Array.from({ length: 10 }, (_, i) => ({
          id: 100001 + i,
          first_name: `Demo${i + 1}`,
          language_code: "ru",
        })),
        ...streamUsers.map((id) => ({ id, first_name: `User${id}`, language_code: "ru" })),
      ],
    });
    db = await createTestDb();
    const p = db.prisma;
    const checkerId = await userIdOf(p, STAFF.checker);
    // «Согласована. На проверке»: the checker is to confirm
    apps.checked = await underReview(p, ORGS.polyclinic);
    await step(p, apps.checked, STAFF.reviewer, "FORM_INCLUSION_NOTICE");
    await step(p, apps.checked, STAFF.reviewer, "SEND_TO_CHECK", { checkerIds: [checkerId] });
    // «Подтверждена. На согласовании»: the approver is to approve
    apps.approved = await underReview(p, ORGS.diagnostic);
    await step(p, apps.approved, STAFF.reviewer, "FORM_INCLUSION_NOTICE");
    await step(p, apps.approved, STAFF.reviewer, "SEND_TO_CHECK", { checkerIds: [checkerId] });
    await step(p, apps.approved, STAFF.checker, "CHECKER_CONFIRM");
    // «На рассмотрении»: the reviewer is to form the inclusion notice
    apps.noticed = await underReview(p, ORGS.soleTrader);
    for (const id of Object.values(apps))
      versions[id] = (await p.application.findUniqueOrThrow({ where: { id } })).version;
    expect(
      await Promise.all(
        Object.values(apps).map(
          async (id) => (await p.application.findUniqueOrThrow({ where: { id } })).status,
        ),
      ),
    ).toEqual(["AGREED_CHECK", "CONFIRMED_APPROVAL", "UNDER_REVIEW"]);

    prefix = redisPrefix("webhook-decisions");
    await startWebhookInstances(
      {
        token: TOKEN,
        secret: SECRET,
        path: PATH,
        apiRoot: sandbox.url,
        databaseUrl: db.url,
        redisPrefix: prefix,
        withRedis,
        env: { OUTBOX_POLL_MS: "300", OUTBOX_GLOBAL_RATE: "1000", OUTBOX_CHAT_RATE: "100" },
      },
      procs,
      ports,
    );
  }, 150_000);

  afterAll(async () => {
    const codes = await stopWebhookInstances({ procs, sandbox, db, redisPrefix: prefix, withRedis });
    expect(codes).toEqual([0, 0]);
  }, 60_000);

  /** The push (delivered by the instances' outbox workers) that carries the staff button for this app. */
  const pushWith = (chatId: number, verb: string, appId: string) =>
    sandbox.waitFor(() => {
      const prefixData = `${verb}:~${packedUuid(appId)}`;
      return sandbox
        .botMessages(chatId)
        .filter((m) =>
          ((m.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][])
            .flat()
            .some((b) => b.callback_data?.startsWith(prefixData)),
        )
        .at(-1);
    }, 30_000);

  const dataOf = (m: TgMessage, verb: string) =>
    ((m.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][])
      .flat()
      .map((b) => b.callback_data ?? "")
      .find((d) => d.startsWith(`${verb}:`))!;

  /** A callback_query update as Telegram would send it (the query id registered in the sandbox). */
  function pressUpdate(updateId: number, chatId: number, m: TgMessage, data: string) {
    const queryId = sandbox.press(chatId, m.message_id, data);
    return {
      queryId,
      update: {
        update_id: updateId,
        callback_query: {
          id: queryId,
          from: { id: chatId, is_bot: false, first_name: `Staff${chatId}`, language_code: "ru" },
          message: m,
          chat_instance: `ci${chatId}`,
          data,
        },
      },
    };
  }

  const settle = () => settleQuiet(sandbox, 2000);

  it("takes each decision exactly once", async () => {
    const checkerPush = await pushWith(STAFF.checker, "fs.cc", apps.checked);
    const approverPush = await pushWith(STAFF.approver, "fs.aa", apps.approved);
    const reviewerPush = await pushWith(STAFF.reviewer, "fs.in", apps.noticed);
    let updateId = base * 10;
    const decisions = [
      pressUpdate(++updateId, STAFF.checker, checkerPush, dataOf(checkerPush, "fs.cc")),
      pressUpdate(++updateId, STAFF.approver, approverPush, dataOf(approverPush, "fs.aa")),
      pressUpdate(++updateId, STAFF.reviewer, reviewerPush, dataOf(reviewerPush, "fs.in")),
    ];
    // the checker tapped twice before the first tap was handled: a second query of the same button,
    // a NEW update (not a duplicate); it is posted after the first one was handled
    const tap = pressUpdate(base * 10 + 500, STAFF.checker, checkerPush, dataOf(checkerPush, "fs.cc"));

    // The stream: /start of other users and the decisions; every update to both instances at once,
    // every third a third time; the decisions sit in the middle of the stream.
    const stream: { update_id: number }[] = [];
    for (const [i, user] of streamUsers.entries()) {
      stream.push(startUpdate(++updateId, user));
      if (i === 4) stream.push(...decisions.map((d) => d.update));
    }
    const posts: Promise<number>[] = [];
    for (const [i, u] of stream.entries()) {
      const [first, second] = i % 2 ? [ports[1]!, ports[0]!] : [ports[0]!, ports[1]!];
      posts.push(deliverUpdate(first, PATH, SECRET, u), deliverUpdate(second, PATH, SECRET, u));
      if (i % 3 === 0) posts.push(deliverUpdate(ports[i % 2]!, PATH, SECRET, u));
      if (i % 4 === 0) await new Promise((r) => setTimeout(r, 15));
    }
    // every copy is finally answered 200 (Telegram re-delivers the ones answered 503 while in progress)
    const statuses = await Promise.all(posts);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await settle();
    // late retries of the decisions, after they were handled
    for (const d of decisions) {
      expect(await postUpdate(ports[1]!, PATH, SECRET, d.update)).toBe(200);
      expect(await postUpdate(ports[0]!, PATH, SECRET, d.update)).toBe(200);
    }
    await settle();

    // the checker's genuine double tap arrives late: a NEW update (another query) of the same button
    expect(await postUpdate(ports[1]!, PATH, SECRET, tap.update)).toBe(200);
    await settle();

    const p = db.prisma;
    const app = (id: string) => p.application.findUniqueOrThrow({ where: { id } });
    const audit = (id: string, action: Action) =>
      p.auditEvent.count({ where: { applicationId: id, action } });

    // checker «Подтвердить»: once
    expect((await app(apps.checked)).status).toBe("CONFIRMED_APPROVAL");
    expect((await app(apps.checked)).version).toBe(versions[apps.checked]! + 1);
    expect(await audit(apps.checked, "CHECKER_CONFIRM")).toBe(1);
    // approver «Согласовать»: once
    expect((await app(apps.approved)).status).toBe("INCLUDED");
    expect((await app(apps.approved)).version).toBe(versions[apps.approved]! + 1);
    expect(await audit(apps.approved, "APPROVER_APPROVE")).toBe(1);
    // reviewer «Сформировать уведомление о включении»: once, one notice
    expect((await app(apps.noticed)).status).toBe("UNDER_REVIEW");
    expect((await app(apps.noticed)).version).toBe(versions[apps.noticed]! + 1);
    expect(await audit(apps.noticed, "FORM_INCLUSION_NOTICE")).toBe(1);
    expect(
      await p.notice.count({ where: { applicationId: apps.noticed, kind: "INCLUSION", deletedAt: null } }),
    ).toBe(1);

    // every query was answered exactly once, successfully; nothing failed at the Bot API
    const answers = (queryId: string) =>
      sandbox.calls.filter(
        (c) => c.method.toLowerCase() === "answercallbackquery" && c.params.callback_query_id === queryId,
      );
    for (const d of [...decisions, tap]) {
      expect(answers(d.queryId).map((c) => c.ok)).toEqual([true]);
    }
    // the double tap was told the decision had been taken, and changed nothing
    const tapAnswer = answers(tap.queryId)[0]!;
    expect(String(tapAnswer.params.text ?? "")).toMatch(/^(Шешім қабылданып қойған|Решение уже принято): /);
    const failed = sandbox.calls.filter((c) => !c.ok);
    expect(failed.map((c) => `${c.method}: ${c.description}`)).toEqual([]);

    // the next stage was told once: one outbox row per recipient and event
    const outbox = await p.outbox.findMany({ where: { applicationId: { in: Object.values(apps) } } });
    const keys = outbox.map((o) => `${o.eventKey}|${o.chatId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const approverId = await userIdOf(p, STAFF.approver);
    expect(
      outbox.filter(
        (o) => o.applicationId === apps.checked && o.userId === approverId && o.kind === "approval_requested",
      ),
    ).toHaveLength(1);

    // the /start users of the stream: each exactly once (one user row, the same calls as each other)
    const created = await p.user.count({ where: { telegramId: { in: streamUsers.map(BigInt) } } });
    expect(created).toBe(streamUsers.length);
    const callsTo = (chatId: number) =>
      sandbox.calls.filter((c) => c.ok && Number(c.params.chat_id) === chatId).map((c) => c.method);
    const first = callsTo(streamUsers[0]!);
    expect(first.length).toBeGreaterThan(0);
    for (const u of streamUsers) expect(callsTo(u), `chat ${u}`).toEqual(first);
  }, 150_000);
});
