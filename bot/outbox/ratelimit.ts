// In-process rate limits for the outbox worker: a global pacer (Telegram: ~30 messages/s per bot) and per-chat
// pacing (~1 message/s per chat); both can be paused when Telegram answers 429 retry_after.
//
// The global limit is smooth pacing (GCRA, "virtual scheduling"), not a bucket that starts full: sends are
// spaced T = 1/rate apart, and a sender that is late (a late timer, a busy event loop) may catch up on its
// schedule by at most a tolerance τ; in any window W at most ⌊(W + τ)/T⌋ + 1 messages go. The worker paces at
// 0.97 × the limit with τ = windowSafeToleranceMs (27.8 ms): at Telegram's 30/s that is a burst of < 2 messages,
// and no 1-second window ever holds more than the limit, at any rate.
// RateGate puts a FIFO queue in front of the pacer: waiting rows are granted one by one by a single timer, so
// rows waiting for the global limit never poll, never herd, and add no listener per row.
// RedisRateGate is the same FIFO gate with the global schedule kept in Redis, shared by every process on one bot:
// see its comment.

import type { Redis } from "ioredis";

/** Smooth pacing (GCRA) with a small burst tolerance and a pause (429 retry_after). Clock in ms. */
export class TokenBucket {
  /** Theoretical arrival time of the next message (ms). */
  private tat: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly clock: () => number;
  /**
   * @param burst messages that may go back to back (≥ 1; default 1: evenly spaced).
   * @param catchUpMs how late a sender may be (a late timer, a busy event loop) and still catch up on its
   *   schedule; the tolerance is the larger of `(burst − 1)·T` and this. `windowSafeToleranceMs` gives the
   *   largest value that keeps every 1-s window within the limit.
   */
  constructor(ratePerSec: number, opts: { burst?: number; catchUpMs?: number; clock?: () => number } = {}) {
    if (!(ratePerSec > 0)) throw new Error("TokenBucket: rate must be > 0");
    this.clock = opts.clock ?? Date.now;
    this.intervalMs = 1000 / ratePerSec;
    this.toleranceMs = Math.max(Math.max(0, (opts.burst ?? 1) - 1) * this.intervalMs, opts.catchUpMs ?? 0);
    this.tat = Number.NEGATIVE_INFINITY;
  }

  /** Spacing between two messages (ms). */
  get interval(): number {
    return this.intervalMs;
  }

  /** ms until a message may go (0: now); does not take it. */
  delay(): number {
    const now = this.clock();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    return Math.max(0, this.tat - this.toleranceMs - now);
  }

  /** Take a slot now, or return how many ms to wait before trying again (nothing taken then). */
  tryTake(): number {
    const wait = this.delay();
    if (wait > 0) return wait;
    const now = this.clock();
    this.tat = Math.max(this.tat, now) + this.intervalMs;
    return 0;
  }

  /**
   * Telegram asked to wait `ms` (429 retry_after): nothing goes before then, and afterwards sending resumes
   * paced (the first message at the end of the pause, no burst of what would have gone meanwhile).
   * A shorter pause never shortens a longer one already running.
   */
  pause(ms: number) {
    const until = this.clock() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      // The first message goes at `until`, the next one T later: no burst of what was held back.
      this.tat = Math.max(this.tat, until + this.toleranceMs);
    }
  }

  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }
}

/**
 * The largest catch-up (ms) for which a pacer at `share` × the limit never puts more than the limit into any
 * window of `windowMs`: at most ⌊(W + τ)/T⌋ + 1 messages, T = W/(share·limit), so τ < W·(1/share − 1)
 * (30.9 ms for 0.97 and a 1-s window, whatever the rate). A 10% margin is kept below that bound.
 */
export function windowSafeToleranceMs(share: number, windowMs = 1000): number {
  return 0.9 * windowMs * (1 / share - 1);
}

interface Waiter {
  /** Clock time after which the waiter would rather give its row back than keep waiting. */
  deadline: number;
  resolve: (granted: boolean) => void;
}

export interface GateTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: GateTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What the worker needs of a global pacer: FIFO slots, a 429 pause, and how long the pause still runs. */
export interface GlobalGate {
  readonly waiting: number;
  /**
   * Wait for a slot. Resolves false (nothing taken) if the slot cannot come before `deadline` (e.g. a long
   * 429 pause) or after `cancel()`; the caller then hands its row back.
   */
  acquire(deadline?: number): { ready: Promise<boolean>; cancel: () => void };
  /** Telegram asked to wait `ms` (429 retry_after): hold every slot that long. */
  pause(ms: number): void;
  /** ms the known pause still runs (0: none). */
  pausedFor(): number;
}

/**
 * The FIFO of waiting senders shared by both gates: `acquire()` queues a waiter and asks the gate to `pump()`,
 * which grants the head when its slot comes; `cancel()` and deadlines give a waiter up (resolved false).
 */
abstract class FifoGate implements GlobalGate {
  protected readonly queue: Waiter[] = [];
  protected abstract pump(): void;
  abstract pause(ms: number): void;
  abstract pausedFor(): number;

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Wait for a slot. Resolves false (nothing taken) if the slot cannot come before `deadline` (e.g. a long
   * 429 pause) or after `cancel()`; the caller then hands its row back.
   */
  acquire(deadline = Number.POSITIVE_INFINITY): { ready: Promise<boolean>; cancel: () => void } {
    let waiter!: Waiter;
    const ready = new Promise<boolean>((resolve) => {
      waiter = { deadline, resolve };
    });
    this.queue.push(waiter);
    this.pump();
    return {
      ready,
      cancel: () => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        waiter.resolve(false);
        this.pump();
      },
    };
  }

  /** Give up every waiter whose deadline falls before `at` (all of them from the head: FIFO). */
  protected dropBefore(at: number) {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const w = this.queue[i]!;
      if (w.deadline < at) {
        this.queue.splice(i, 1);
        w.resolve(false);
      }
    }
  }
}

/** A FIFO queue in front of a TokenBucket: `acquire()` resolves true when the caller may send. */
export class RateGate extends FifoGate {
  private timer: unknown = null;
  constructor(
    readonly bucket: TokenBucket,
    private readonly clock: () => number = Date.now,
    private readonly timers: GateTimers = realTimers,
  ) {
    super();
  }

  /** A pause changes when the head may go: re-arm the timer. */
  pause(ms: number) {
    this.bucket.pause(ms);
    this.pump();
  }

  pausedFor(): number {
    return this.bucket.pausedFor();
  }

  protected pump = () => {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const wait = this.bucket.tryTake();
      const now = this.clock();
      if (wait === 0) {
        this.queue.shift();
        head.resolve(true);
        continue;
      }
      // Everyone who cannot be served before their deadline gives up now (FIFO: nobody overtakes).
      const paused = this.bucket.pausedFor();
      if (paused > 0) {
        this.dropBefore(now + paused);
        if (!this.queue.length) return;
      } else if (head.deadline < now + wait) {
        this.queue.shift();
        head.resolve(false);
        continue;
      }
      this.timer = this.timers.set(this.pump, Math.max(1, Math.ceil(wait)));
      return;
    }
  };
}

// Reserve the next free slot of the shared schedule (GCRA with no tolerance, "next free slot"), on Redis' clock.
// KEYS[1]: the schedule (time of the next free slot, ms); KEYS[2]: the 429 pause (until when, ms).
// ARGV[1]: spacing T (ms); ARGV[2]: the longest wait the caller accepts (ms; < 0: any).
// Returns {reserved 0|1, wait ms, pause left ms}; nothing is reserved when the wait is longer than accepted.
const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local pauseUntil = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local slot = math.max(now, tat, pauseUntil)
local wait = slot - now
local paused = math.max(0, pauseUntil - now)
if maxWait >= 0 and wait > maxWait then
  return {0, tostring(wait), tostring(paused)}
end
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil(wait + interval) + 60000)
return {1, tostring(wait), tostring(paused)}
`;

// Set the shared 429 pause to now + ARGV[1] ms (never shortening a longer one); returns the pause left (ms).
const PAUSE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local untilT = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if untilT > cur then
  redis.call('SET', KEYS[1], tostring(untilT), 'PX', math.ceil(tonumber(ARGV[1])) + 60000)
  cur = untilT
end
return tostring(cur - now)
`;

export interface RedisGateOptions {
  /** The schedule key and the pause key derive from it (`<keyPrefix>pace`, `<keyPrefix>pause`). */
  keyPrefix: string;
  /**
   * Longest a granted slot may be late (the Redis round trip plus a late timer, ms) and still be used; a later
   * one is dropped (a lost slot, never a burst) and a new one reserved. Default `windowSafeToleranceMs(0.97)`.
   */
  maxLateMs?: number;
  /** Pacer used while Redis does not answer (this process alone; a 429 then pauses as usual). */
  fallback?: TokenBucket;
  /**
   * How long to wait for Redis' answer, and to stay on the fallback after a Redis error or timeout before
   * asking Redis again (ms, default 1000).
   */
  retryMs?: number;
  onError?: (e: unknown) => void;
  clock?: () => number;
  timers?: GateTimers;
}

/**
 * A FIFO gate (like RateGate) whose global schedule is shared through Redis by every process of the bot.
 *
 * The schedule is one key: the time of the next free slot. A Lua script (atomic) reserves the slot at
 * max(now, next free slot, pause end), moves the key T later and returns the wait. Slots are therefore spaced
 * exactly T apart across all processes, on Redis' clock (no clock skew between hosts). This process sleeps
 * until the slot and grants it to the head of its queue. A grant is never early (the wait runs from the
 * reply), and a grant later than `maxLateMs` after the slot (round trip + late timer) is dropped and a new
 * slot reserved, so every send falls within [slot, slot + maxLate]: in any window W at most
 * ⌊(W + maxLate)/T⌋ + 1 messages go, the same bound as the in-process pacer with catch-up τ = maxLate.
 * A 429 pause is a second key (pause-until time) that the reserve script honours, so a pause set by one
 * process holds every process; a slot reserved before the pause was known is dropped here.
 * (If the Redis round trip alone exceeds maxLate/2, a slot is still used up to maxLate/2 after the reply, so
 * the pacer never starves; the bound then loosens by that round trip.) Without an answer in `retryMs`, or on
 * an error, this process paces alone with the fallback bucket for `retryMs`, then asks Redis again.
 * One reservation at a time per process; a slot not used (its waiter gave up) goes to the next waiter, or is lost.
 */
export class RedisRateGate extends FifoGate {
  private timer: unknown = null;
  /** A request to Redis is on its way (at most one). */
  private busy = false;
  /** Id of the request on its way; a reply to an older one (timed out) is ignored. */
  private request = 0;
  /** Bumped by pause(): a reservation made before it is dropped. */
  private epoch = 0;
  /** A reserved slot: the local clock time it may be used from, and the latest it may be used. */
  private slot: { from: number; until: number } | null = null;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private fallbackUntil = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly paceKey: string;
  private readonly pauseKey: string;
  private readonly maxLateMs: number;
  private readonly fallback: TokenBucket;
  private readonly retryMs: number;
  private readonly onError: (e: unknown) => void;
  private readonly clock: () => number;
  private readonly timers: GateTimers;

  constructor(
    private readonly redis: Redis,
    ratePerSec: number,
    opts: RedisGateOptions,
  ) {
    super();
    if (!(ratePerSec > 0)) throw new Error("RedisRateGate: rate must be > 0");
    this.intervalMs = 1000 / ratePerSec;
    this.paceKey = `${opts.keyPrefix}pace`;
    this.pauseKey = `${opts.keyPrefix}pause`;
    this.maxLateMs = opts.maxLateMs ?? windowSafeToleranceMs(0.97);
    // Sub-millisecond and monotonic (lateness is measured in fractions of a ms), on the Date.now scale.
    this.clock = opts.clock ?? (() => performance.timeOrigin + performance.now());
    this.timers = opts.timers ?? realTimers;
    this.fallback = opts.fallback ?? new TokenBucket(ratePerSec, { clock: this.clock });
    this.retryMs = opts.retryMs ?? 1000;
    this.onError = opts.onError ?? (() => {});
  }

  /**
   * Hold every process for `ms` (429 retry_after): at once here, and through the pause key for the others.
   * A slot already reserved here is dropped; the next one comes at the end of the pause.
   */
  pause(ms: number) {
    const until = this.clock() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.fallback.pause(ms);
    this.epoch++;
    this.slot = null;
    this.clearTimer();
    // Sent before any later reservation on the same connection, so Redis sees the pause first.
    this.redis.eval(PAUSE_LUA, 1, this.pauseKey, String(ms)).then(
      (left) => this.notePause(Number(left)),
      (e: unknown) => this.onError(e),
    );
    this.pump();
  }

  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }

  private notePause(leftMs: number) {
    if (leftMs > 0) this.pausedUntil = Math.max(this.pausedUntil, this.clock() + leftMs);
  }

  private clearTimer() {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
  }

  private arm(ms: number) {
    this.clearTimer();
    this.timer = this.timers.set(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  protected pump = () => {
    // Whoever cannot be served before the known pause ends gives up at once, whatever is under way.
    if (this.clock() < this.pausedUntil) this.dropBefore(this.pausedUntil);
    if (this.busy || this.timer !== null) return;
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const now = this.clock();
      if (now < this.pausedUntil) {
        this.dropBefore(this.pausedUntil);
        if (!this.queue.length) return;
        this.arm(this.pausedUntil - now);
        return;
      }
      if (this.slot) {
        if (now < this.slot.from) {
          this.arm(this.slot.from - now);
          return;
        }
        const late = now > this.slot.until;
        this.slot = null;
        if (late) continue; // too late to use without bunching: reserve again
        this.queue.shift();
        if (head.deadline < now) {
          head.resolve(false);
          continue;
        }
        head.resolve(true);
        continue;
      }
      if (now < this.fallbackUntil) {
        const wait = this.fallback.tryTake();
        if (wait === 0) {
          this.queue.shift();
          head.resolve(true);
          continue;
        }
        if (head.deadline < now + wait) {
          this.queue.shift();
          head.resolve(false);
          continue;
        }
        this.arm(Math.min(wait, this.fallbackUntil - now));
        return;
      }
      if (head.deadline < now) {
        this.queue.shift();
        head.resolve(false);
        continue;
      }
      this.reserve(head, head.deadline - now);
      return;
    }
  };

  private reserve(head: Waiter, maxWaitMs: number) {
    this.busy = true;
    const id = ++this.request;
    const epoch = this.epoch;
    const t0 = this.clock();
    const current = () => id === this.request;
    const failed = (e: unknown) => {
      this.onError(e);
      this.fallbackUntil = this.clock() + this.retryMs;
    };
    // No answer in time: pace in process meanwhile; a late reply is ignored (its slot is lost, never doubled).
    const timeout = this.timers.set(() => {
      if (!current()) return;
      this.request++;
      this.busy = false;
      failed(new Error(`Redis pacer: no answer in ${this.retryMs} ms`));
      this.pump();
    }, this.retryMs);
    const max = Number.isFinite(maxWaitMs) ? String(Math.max(0, maxWaitMs)) : "-1";
    this.redis
      .eval(RESERVE_LUA, 2, this.paceKey, this.pauseKey, String(this.intervalMs), max)
      .then(
        (reply) => {
          const [reserved, waitS, pausedS] = reply as [number, string, string];
          const wait = Number(waitS);
          this.notePause(Number(pausedS));
          const now = this.clock();
          if (current() && epoch === this.epoch) {
            if (reserved === 1) {
              // The slot is at Redis time "now + wait", and Redis' now lies within [t0, reply]: waiting from the
              // reply is never early; the lateness is measured from t0, so it includes the round trip. (Should
              // the round trip itself be that long, half of maxLate is still left after the reply: no livelock.)
              this.slot = {
                from: now + wait,
                until: Math.max(t0 + wait + this.maxLateMs, now + wait + this.maxLateMs / 2),
              };
            } else {
              // The head cannot be served before its deadline (nor can anyone due before the pause ends).
              const i = this.queue.indexOf(head);
              if (i >= 0) {
                this.queue.splice(i, 1);
                head.resolve(false);
              }
              if (Number(pausedS) > 0) this.dropBefore(now + Number(pausedS));
            }
          }
        },
        (e: unknown) => {
          if (current()) failed(e);
        },
      )
      .finally(() => {
        this.timers.clear(timeout);
        if (!current()) return;
        this.busy = false;
        this.pump();
      });
  }
}

/** Per-chat pacing: the earliest time the next message may go to a chat. */
export class ChatPacer {
  private readonly next = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private gcAt: number;
  readonly gapMs: number;
  constructor(
    ratePerSec: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.gapMs = 1000 / ratePerSec;
    this.gcAt = clock();
  }

  /** ms until this chat may receive the next message (0: now). */
  waitFor(chat: string): number {
    return Math.max(0, (this.next.get(chat) ?? 0) - this.clock());
  }

  /** ms since the last message to this chat (Infinity: none remembered). */
  sinceLast(chat: string): number {
    const t = this.last.get(chat);
    return t === undefined ? Number.POSITIVE_INFINITY : this.clock() - t;
  }

  /** Record a message sent now. */
  sent(chat: string) {
    const now = this.clock();
    this.last.set(chat, now);
    this.next.set(chat, Math.max(this.next.get(chat) ?? 0, now + this.gapMs));
    if (now - this.gcAt > 60_000) this.gc(now);
  }

  /** Telegram asked this chat to wait (429 retry_after). */
  pause(chat: string, ms: number) {
    const until = this.clock() + ms;
    if (until > (this.next.get(chat) ?? 0)) this.next.set(chat, until);
  }

  get size(): number {
    return this.next.size;
  }

  /** Forget chats that may receive a message now and were not written to recently (at most once a minute). */
  private gc(now: number) {
    this.gcAt = now;
    for (const [k, v] of this.next) {
      if (v < now && now - (this.last.get(k) ?? 0) > 60_000) {
        this.next.delete(k);
        this.last.delete(k);
      }
    }
  }
}

/** Exponential backoff with jitter ("equal jitter": half fixed, half random). */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
