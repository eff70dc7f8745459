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

/** A FIFO queue in front of a TokenBucket: `acquire()` resolves true when the caller may send. */
export class RateGate {
  private readonly queue: Waiter[] = [];
  private timer: unknown = null;
  constructor(
    readonly bucket: TokenBucket,
    private readonly clock: () => number = Date.now,
    private readonly timers: GateTimers = realTimers,
  ) {}

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

  /** A pause changes when the head may go: re-arm the timer. */
  pause(ms: number) {
    this.bucket.pause(ms);
    this.pump();
  }

  private pump = () => {
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
        for (let i = this.queue.length - 1; i >= 0; i--) {
          const w = this.queue[i]!;
          if (w.deadline < now + paused) {
            this.queue.splice(i, 1);
            w.resolve(false);
          }
        }
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
