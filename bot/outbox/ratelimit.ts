// In-process rate limits for the outbox worker: a global token bucket (Telegram: ~30 messages/s per bot)
// and per-chat pacing (~1 message/s per chat); both can be paused when Telegram answers 429 retry_after.

export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  constructor(
    private readonly ratePerSec: number,
    private readonly burst = Math.max(1, Math.ceil(ratePerSec)),
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = this.burst;
    this.last = clock();
  }

  private refill(now: number) {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSec);
    this.last = now;
  }

  /** Take a token now, or return how many ms to wait before trying again. */
  tryTake(): number {
    const now = this.clock();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }

  /** Telegram asked everyone to wait (429 retry_after). */
  pause(ms: number) {
    const until = this.clock() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.tokens = 0;
      this.last = until;
    }
  }

  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }
}

/** Per-chat pacing: the earliest time the next message may go to a chat. */
export class ChatPacer {
  private readonly next = new Map<string, number>();
  constructor(
    private readonly ratePerSec: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** ms until this chat may receive the next message (0: now). */
  waitFor(chat: string): number {
    return Math.max(0, (this.next.get(chat) ?? 0) - this.clock());
  }

  /** Record a message sent now. */
  sent(chat: string) {
    this.next.set(chat, this.clock() + Math.ceil(1000 / this.ratePerSec));
    if (this.next.size > 50_000) this.gc();
  }

  /** Telegram asked this chat to wait (429 retry_after). */
  pause(chat: string, ms: number) {
    const until = this.clock() + ms;
    if (until > (this.next.get(chat) ?? 0)) this.next.set(chat, until);
  }

  private gc() {
    const now = this.clock();
    for (const [k, v] of this.next) if (v < now) this.next.delete(k);
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
