// The cross-process global pacer (RedisRateGate) against real Redis: two gates sharing one schedule never let
// more than the limit through in any 1-s window, a 429 pause set by one holds the other, and a Redis outage
// falls back to pacing in process.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRateGate, TokenBucket, windowSafeToleranceMs } from "../../bot/outbox/ratelimit.ts";
import { redisPrefix } from "../helpers/db.ts";

const SHARE = 0.97;
const LIMIT = 300; // a scaled Telegram limit (30/s × 10): more slots per second, same window arithmetic
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let a: Redis;
let b: Redis;
const prefix = redisPrefix("outbox-pace");
let n = 0;

beforeAll(() => {
  a = new Redis("redis://127.0.0.1:6379");
  b = new Redis("redis://127.0.0.1:6379");
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}*`);
  if (keys.length) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

/** Two gates (two connections, as two processes would have) sharing one fresh schedule. */
function pair(limit = LIMIT) {
  const keyPrefix = `${prefix}${n++}:`;
  const opts = { keyPrefix, maxLateMs: windowSafeToleranceMs(SHARE) };
  return [new RedisRateGate(a, limit * SHARE, opts), new RedisRateGate(b, limit * SHARE, opts)] as const;
}

/** Keep `gate` busy for `ms`: many waiters, each grant recorded; the rest are cancelled at the end. */
async function saturate(gate: RedisRateGate, ms: number, times: number[], waiters = 2000) {
  const slots = Array.from({ length: waiters }, () => gate.acquire());
  for (const s of slots) void s.ready.then((ok) => ok && times.push(now()));
  await sleep(ms);
  for (const s of slots) s.cancel();
}

/** The largest number of times within any window of `windowMs` (sliding, starting at each event). */
function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((x, y) => x - y);
  let best = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("RedisRateGate (global pacing shared through Redis)", () => {
  it("two pacers sharing one key never let more than the limit through in any 1-s window", async () => {
    const [g1, g2] = pair();
    const t1: number[] = [];
    const t2: number[] = [];
    await Promise.all([saturate(g1, 3500, t1), saturate(g2, 3500, t2)]);
    const all = [...t1, ...t2];
    expect(maxInWindow(all)).toBeLessThanOrEqual(LIMIT);
    // No initial burst: the first 100 ms hold about 0.1 s worth of slots, not a full second.
    const first = Math.min(...all);
    expect(all.filter((t) => t - first < 100).length).toBeLessThanOrEqual(Math.ceil(0.1 * LIMIT * SHARE) + 2);
    // The shared schedule is used, not lost: close to 0.97 × limit overall, and both processes get slots.
    expect(all.length / 3.5).toBeGreaterThan(0.85 * LIMIT * SHARE);
    expect(Math.min(t1.length, t2.length)).toBeGreaterThan(0.25 * all.length);
    expect(g1.waiting + g2.waiting).toBe(0);
  });

  it("alone, a pacer still paces (one process on the shared key)", async () => {
    const [g1] = pair(100);
    const t: number[] = [];
    await saturate(g1, 1500, t, 500);
    // Never ahead of the schedule: the i-th grant comes at least i·T after the first (less its allowed lateness).
    const s = [...t].sort((x, y) => x - y);
    for (let i = 1; i < s.length; i++) {
      expect(s[i]! - s[0]!).toBeGreaterThanOrEqual((i * 1000) / 97 - windowSafeToleranceMs(SHARE));
    }
    expect(maxInWindow(t)).toBeLessThanOrEqual(100);
    expect(t.length).toBeGreaterThan(0.85 * 97 * 1.5);
  });

  it("a 429 pause set by one pacer holds the other, then both resume paced", async () => {
    const [g1, g2] = pair();
    const t1: number[] = [];
    const t2: number[] = [];
    const run = Promise.all([saturate(g1, 1500, t1), saturate(g2, 1500, t2)]);
    await sleep(300);
    const pausedAt = now();
    g1.pause(500);
    await run;
    const all = [...t1, ...t2];
    // Only a slot reserved before the pause reached Redis may still go (a few ms); then nothing for 500 ms.
    const during = all.filter((t) => t > pausedAt + 20 && t < pausedAt + 500);
    expect(during).toEqual([]);
    expect(g2.pausedFor()).toBe(0);
    const after = all.filter((t) => t >= pausedAt + 500);
    expect(after.length).toBeGreaterThan(0.5 * LIMIT * SHARE * 0.7);
    expect(t1.some((t) => t >= pausedAt + 500) && t2.some((t) => t >= pausedAt + 500)).toBe(true);
    // no catch-up burst after the pause
    expect(maxInWindow(all)).toBeLessThanOrEqual(LIMIT);
    expect(maxInWindow(after, 100)).toBeLessThanOrEqual(Math.ceil(0.1 * LIMIT * SHARE) + 2);
  });

  it("a waiter of the other pacer whose deadline falls inside the pause gives up at once", async () => {
    const [g1, g2] = pair();
    const start = now();
    g1.pause(1000);
    await sleep(30); // the pause has reached Redis
    const early = g2.acquire(now() + 300);
    const late = g2.acquire(now() + 5000);
    expect(await early.ready).toBe(false);
    expect(now() - start).toBeLessThan(300);
    expect(g2.pausedFor()).toBeGreaterThan(800);
    expect(await late.ready).toBe(true);
    expect(now() - start).toBeGreaterThanOrEqual(1000);
  });

  it("a shorter pause never shortens a longer one set by another process", async () => {
    const [g1, g2] = pair();
    const start = now();
    g1.pause(800);
    g2.pause(100);
    expect(await g2.acquire().ready).toBe(true);
    expect(now() - start).toBeGreaterThanOrEqual(800);
  });

  it("falls back to pacing in process while Redis does not answer", async () => {
    const down = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on("error", () => {});
    const errors: unknown[] = [];
    const gate = new RedisRateGate(down, 97, {
      keyPrefix: `${prefix}down:`,
      fallback: new TokenBucket(97),
      onError: (e) => errors.push(e),
    });
    const t: number[] = [];
    await saturate(gate, 600, t, 200);
    down.disconnect();
    expect(errors.length).toBeGreaterThan(0);
    expect(t.length).toBeGreaterThan(40);
    expect(maxInWindow(t, 100)).toBeLessThanOrEqual(11);
  });

  it("a Redis that does not answer falls back after retryMs, and a late answer is ignored", async () => {
    const hung: Array<(v: unknown) => void> = [];
    const fake = { eval: () => new Promise((resolve) => hung.push(resolve)) } as unknown as Redis;
    const errors: unknown[] = [];
    const gate = new RedisRateGate(fake, 97, {
      keyPrefix: `${prefix}hung:`,
      retryMs: 100,
      fallback: new TokenBucket(97),
      onError: (e) => errors.push(e),
    });
    const start = now();
    const first = gate.acquire();
    expect(await first.ready).toBe(true);
    expect(now() - start).toBeGreaterThanOrEqual(99);
    expect(String(errors[0])).toMatch(/no answer/);
    // the late reply is ignored (no slot from it); the fallback still spaces the next waiter an interval later
    for (const r of hung) r([1, "0", "0"]);
    const waiting = gate.acquire(now() + 5);
    expect(await waiting.ready).toBe(false);
    expect(gate.waiting).toBe(0);
  });
});
