// The outbox limiter with an injected clock (no real time): spacing, burst, 429 pause scope, FIFO gate.
import { describe, expect, it } from "vitest";
import {
  backoffMs,
  ChatPacer,
  type GateTimers,
  RateGate,
  TokenBucket,
  windowSafeToleranceMs,
} from "../../bot/outbox/ratelimit.ts";

function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(t: number) {
      now = t;
    },
  };
}

/** Fake timers driven by the same clock: `run(until)` fires due timers in order. */
function fakeTimers(clock: ReturnType<typeof fakeClock>) {
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: GateTimers = {
    set(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: clock.now() + ms, fn });
      return id;
    },
    clear(h) {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    get count() {
      return pending.size;
    },
    /** Advance to `until`, firing every timer due on the way (each at its own time). */
    run(until: number) {
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of pending) if (!next || e[1].at < next[1].at) next = e;
        if (!next || next[1].at > until) break;
        pending.delete(next[0]);
        clock.set(Math.max(clock.now(), next[1].at));
        next[1].fn();
      }
      clock.set(until);
    },
  };
}

/** Take as soon as allowed, `n` times; returns the send times. */
function sendTimes(bucket: TokenBucket, clock: ReturnType<typeof fakeClock>, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const wait = bucket.tryTake();
    if (wait === 0) out.push(clock.now());
    else clock.advance(wait);
  }
  return out;
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("TokenBucket (smooth pacing)", () => {
  it("spaces messages 1/rate apart from the very first one: no initial burst of a full second", () => {
    const clock = fakeClock();
    const b = new TokenBucket(29.1, { clock: clock.now });
    const t = sendTimes(b, clock, 100);
    const gaps = t.slice(1).map((x, i) => x - t[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(1000 / 29.1, 6);
    // nothing more than the first message goes at once
    expect(b.tryTake()).toBeGreaterThan(0);
    expect(maxInWindow(t, 1000)).toBeLessThanOrEqual(30);
  });

  it("a burst of 2 lets exactly two go back to back after idling, then paces", () => {
    const clock = fakeClock();
    const b = new TokenBucket(10, { burst: 2, clock: clock.now });
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(100);
    clock.advance(100);
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(100);
    // a long idle does not save up more than the burst
    clock.advance(10_000);
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBeGreaterThan(0);
  });

  it("a late sender catches up by at most catchUpMs, and no 1-s window ever exceeds the limit", () => {
    for (const limit of [30, 300]) {
      const clock = fakeClock();
      const share = 0.97;
      const b = new TokenBucket(limit * share, { clock: clock.now, catchUpMs: windowSafeToleranceMs(share) });
      const t: number[] = [];
      // the sender's timer fires late by 0..40 ms (deterministic pattern), then it sends as soon as allowed
      let k = 0;
      while (t.length < 20 * limit) {
        const wait = b.tryTake();
        if (wait === 0) {
          t.push(clock.now());
          continue;
        }
        clock.advance(wait + ((k++ * 7) % 41));
      }
      expect(maxInWindow(t, 1000)).toBeLessThanOrEqual(limit);
      // the worst case: a sender that waits out every gap exactly and then catches up in one go
      const c2 = fakeClock();
      const b2 = new TokenBucket(limit * share, { clock: c2.now, catchUpMs: windowSafeToleranceMs(share) });
      expect(maxInWindow(sendTimes(b2, c2, 20 * limit), 1000)).toBeLessThanOrEqual(limit);
    }
    expect(windowSafeToleranceMs(0.97)).toBeGreaterThan(25);
    expect(windowSafeToleranceMs(0.97)).toBeLessThan(1000 * (1 / 0.97 - 1));
  });

  it("a late timer does not lose throughput while it is within the catch-up tolerance", () => {
    const clock = fakeClock();
    const b = new TokenBucket(300, { clock: clock.now, catchUpMs: 20 });
    const start = clock.now();
    let sent = 0;
    // the event loop only gets around every 10 ms (e.g. busy rendering), but the average rate holds
    while (clock.now() - start < 10_000) {
      while (b.tryTake() === 0) sent++;
      clock.advance(10);
    }
    expect(sent).toBeGreaterThanOrEqual(2990);
    expect(sent).toBeLessThanOrEqual(3000 + 7);
  });

  it("pause(retry_after) holds everything exactly that long, then resumes paced without a burst", () => {
    const clock = fakeClock();
    const b = new TokenBucket(10, { burst: 2, clock: clock.now });
    expect(b.tryTake()).toBe(0);
    b.pause(1000);
    expect(b.pausedFor()).toBe(1000);
    expect(b.tryTake()).toBe(1000);
    clock.advance(999);
    expect(b.tryTake()).toBe(1);
    clock.advance(1);
    expect(b.tryTake()).toBe(0);
    // paced again: the next one a full interval later, not a burst of what waited
    expect(b.tryTake()).toBe(100);
    clock.advance(100);
    expect(b.tryTake()).toBe(0);
  });

  it("a shorter pause never shortens a longer one", () => {
    const clock = fakeClock();
    const b = new TokenBucket(10, { clock: clock.now });
    b.pause(3000);
    clock.advance(500);
    b.pause(1000);
    expect(b.pausedFor()).toBe(2500);
  });
});

describe("ChatPacer", () => {
  it("spaces messages to one chat 1/rate apart and leaves other chats alone", () => {
    const clock = fakeClock();
    const p = new ChatPacer(1, clock.now);
    expect(p.waitFor("a")).toBe(0);
    p.sent("a");
    expect(p.waitFor("a")).toBe(1000);
    expect(p.waitFor("b")).toBe(0);
    clock.advance(400);
    expect(p.waitFor("a")).toBe(600);
    expect(p.sinceLast("a")).toBe(400);
    expect(p.sinceLast("b")).toBe(Number.POSITIVE_INFINITY);
    clock.advance(600);
    expect(p.waitFor("a")).toBe(0);
  });

  it("a chat-scoped 429 pauses only that chat, as long as asked", () => {
    const clock = fakeClock();
    const p = new ChatPacer(1, clock.now);
    p.sent("a");
    p.pause("a", 5000);
    expect(p.waitFor("a")).toBe(5000);
    expect(p.waitFor("b")).toBe(0);
    // a shorter pause or a later send never shortens it
    p.pause("a", 1000);
    expect(p.waitFor("a")).toBe(5000);
    clock.advance(5000);
    expect(p.waitFor("a")).toBe(0);
  });

  it("forgets idle chats (bounded memory)", () => {
    const clock = fakeClock();
    const p = new ChatPacer(1, clock.now);
    for (let i = 0; i < 1000; i++) p.sent(String(i));
    clock.advance(61_000);
    p.sent("x"); // triggers the once-a-minute sweep
    expect(p.size).toBe(1);
  });
});

describe("RateGate (FIFO in front of the pacer)", () => {
  it("grants waiters in order, one interval apart, with a single timer", async () => {
    const clock = fakeClock();
    const t = fakeTimers(clock);
    const gate = new RateGate(new TokenBucket(10, { clock: clock.now }), clock.now, t.timers);
    const grantedAt: number[] = [];
    const order: number[] = [];
    const slots = [0, 1, 2, 3].map(() => gate.acquire());
    for (const [i, s] of slots.entries()) {
      void s.ready.then((ok) => {
        expect(ok).toBe(true);
        grantedAt.push(clock.now());
        order.push(i);
      });
    }
    expect(t.count).toBe(1);
    const t0 = clock.now();
    for (let step = 0; step <= 300; step += 50) {
      t.run(t0 + step);
      await Promise.resolve();
    }
    await Promise.all(slots.map((s) => s.ready));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(grantedAt.map((x) => x - t0)).toEqual([0, 100, 200, 300]);
    expect(t.count).toBe(0);
  });

  it("a 429 pause holds every waiter for retry_after, then resumes paced", async () => {
    const clock = fakeClock();
    const t = fakeTimers(clock);
    const gate = new RateGate(new TokenBucket(10, { clock: clock.now }), clock.now, t.timers);
    const t0 = clock.now();
    expect(await gate.acquire().ready).toBe(true);
    gate.pause(1000);
    const grantedAt: number[] = [];
    const slots = [gate.acquire(), gate.acquire()];
    for (const s of slots) s.ready.then(() => grantedAt.push(clock.now() - t0));
    for (let step = 0; step <= 1200; step += 10) {
      t.run(t0 + step);
      await Promise.resolve();
    }
    await Promise.all(slots.map((s) => s.ready));
    expect(grantedAt).toEqual([1000, 1100]);
  });

  it("waiters whose deadline falls inside a long pause give up at once (row handed back)", async () => {
    const clock = fakeClock();
    const t = fakeTimers(clock);
    const gate = new RateGate(new TokenBucket(10, { clock: clock.now }), clock.now, t.timers);
    const t0 = clock.now();
    const late = gate.acquire(t0 + 60_000);
    const soon = gate.acquire(t0 + 5_000);
    gate.pause(30_000);
    expect(await soon.ready).toBe(false);
    t.run(t0 + 30_000);
    expect(await late.ready).toBe(true);
    expect(gate.waiting).toBe(0);
  });

  it("cancel() releases a waiter and keeps the others in order", async () => {
    const clock = fakeClock();
    const t = fakeTimers(clock);
    const gate = new RateGate(new TokenBucket(10, { clock: clock.now }), clock.now, t.timers);
    const a = gate.acquire();
    const b = gate.acquire();
    const c = gate.acquire();
    expect(await a.ready).toBe(true);
    b.cancel();
    expect(await b.ready).toBe(false);
    t.run(clock.now() + 100);
    expect(await c.ready).toBe(true);
    expect(t.count).toBe(0);
  });
});

describe("backoffMs", () => {
  it("doubles per attempt within [exp/2, exp], capped", () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
