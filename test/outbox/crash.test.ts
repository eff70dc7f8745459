// A worker process killed (SIGKILL) while Telegram's answer to its sendMessage is on its way: another worker
// process, running all along, resumes the chat within 10 s (one short lease, no longer renewed by the dead
// process), and the only duplicate is the message whose answer was in transit, i.e. inside the window between
// Telegram's answer and the committed SENT. Nothing already committed is sent again; per-chat order holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { startWorkerProcess, type WorkerProcess } from "./processes.ts";
import { type BotApiStub, startBotApiStub } from "./stub.ts";

let db: TestDb;
let stub: BotApiStub;
const procs: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  for (const p of procs) p.kill();
  await stub?.close();
  await db?.drop();
});

const countSent = () => db.prisma.outbox.count({ where: { status: "SENT" } });

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a worker process killed mid-send", () => {
  it("the chat resumes within 10 s on another worker, and only the message in transit is sent twice", async () => {
    const chats = [4101, 4102, 4103, 4104, 4105];
    const data = [];
    for (let i = 0; i < 3; i++) {
      for (const c of chats)
        data.push({ eventKey: `k-${c}-${i}`, chatId: BigInt(c), kind: "status_changed", payload: {} });
    }
    await db.prisma.outbox.createMany({ data });
    const total = data.length;
    // The first request for k-4101-0 is received (Telegram has the message) but its answer never comes.
    let first = true;
    stub = await startBotApiStub((r) => {
      if (r.text === "k-4101-0" && first) {
        first = false;
        return { hang: true };
      }
      return null;
    });
    const env = { DATABASE_URL: db.url, API_ROOT: stub.url };
    const a = await startWorkerProcess({ ...env, WORKER_ID: "A" });
    procs.push(a);
    await stub.waitFor((r) => r.text === "k-4101-0");
    // B runs all along, as another instance would; it must not take A's row while A is alive.
    const b = await startWorkerProcess({ ...env, WORKER_ID: "B" });
    procs.push(b);
    await until(async () => (await countSent()) === total - 3, 20_000, "the other chats delivered");
    // Two heartbeats later, still A's: nobody sent k-4101-0 again.
    await new Promise((r) => setTimeout(r, 4000));
    expect(stub.sent().filter((r) => r.text === "k-4101-0")).toHaveLength(1);

    a.kill();
    const killedAt = Date.now();
    const sentAtKill = await countSent();
    const receivedAtKill = stub.sent().length;
    const inTransit = receivedAtKill - sentAtKill;
    expect(inTransit).toBe(1);

    const resent = await stub.waitFor((r) => r.text === "k-4101-0" && r.at > killedAt, 15_000);
    const resumedMs = resent.at - killedAt;
    await until(async () => (await countSent()) === total, 20_000, "everything delivered");
    await b.stop();
    console.log(`chat resumed ${resumedMs} ms after the kill (lease 8 s, poll 0.5 s; shared machine)`);
    expect(resumedMs).toBeLessThanOrEqual(10_000);

    const texts = stub.sent().map((r) => r.text);
    const counts = new Map<string, number>();
    for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
    // duplicates ≤ the rows in the window at the kill, and exactly that one
    expect(duplicated).toEqual(["k-4101-0"]);
    expect(texts.length - total).toBeLessThanOrEqual(inTransit);
    // the chat's order held: its later rows went after the resent one
    expect(
      stub
        .sent()
        .filter((r) => r.chatId === 4101)
        .map((r) => r.text),
    ).toEqual(["k-4101-0", "k-4101-0", "k-4101-1", "k-4101-2"]);
    const rows = await db.prisma.outbox.findMany();
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
  }, 90_000);
});
