// Per-chat spacing of the outbox (Telegram: about 1 message per second to one chat), per process or shared by
// every worker process through Redis.
//
// A chat's rows are delivered one at a time (only its oldest PENDING row can be claimed), but successive rows
// may be claimed by different processes: the next one is claimed as soon as the previous one is committed, by
// whichever worker polls first. So the chat's "next free slot" must be shared, and it is set from when Telegram
// answered the previous message (`answered`, before the commit): Telegram had it by then, so the next message
// reaches Telegram at least one gap later whatever the event loop or network delays on either side (measured
// from the moment of sending, such delays showed 170-ms gaps for a 200-ms limit on a loaded machine). The cost
// is one answer's latency per message to the same chat. RedisChatGate keeps, per chat, the next free slot and
// the time of the last message in one Redis hash, on Redis' clock, updated by one Lua script (peek | sent |
// pause). The key carries the outbox hash tag (`<prefix>{outbox}:chat:<id>`) like the
// global pacer's keys, so every key of the outbox lives in one Redis Cluster slot. Without Redis (or while it
// does not answer) the in-process ChatPacer is used.
import type { Redis } from "ioredis";
import { ChatPacer } from "./ratelimit.ts";

export interface ChatGate {
  /** Spacing between two messages to one chat (ms). */
  readonly gapMs: number;
  /** ms until the chat may receive its next message (0: now). Takes nothing. */
  waitFor(chat: string): Promise<number>;
  /**
   * A message to the chat goes now: the next one no sooner than one gap from now. Resolves with the ms since the
   * previous message to this chat (Infinity: none known). Call it right before the request, without awaiting.
   */
  sent(chat: string): Promise<number>;
  /** Telegram answered the message: the next one no sooner than one gap from now. Call it without awaiting. */
  answered(chat: string): void;
  /** Telegram asked this chat to wait (429 retry_after). */
  pause(chat: string, ms: number): void;
}

/** Per process (no Redis). */
export class LocalChatGate implements ChatGate {
  readonly pacer: ChatPacer;
  constructor(ratePerSec: number, clock?: () => number) {
    this.pacer = new ChatPacer(ratePerSec, clock);
  }
  get gapMs(): number {
    return this.pacer.gapMs;
  }
  async waitFor(chat: string): Promise<number> {
    return this.pacer.waitFor(chat);
  }
  async sent(chat: string): Promise<number> {
    const since = this.pacer.sinceLast(chat);
    this.pacer.sent(chat);
    return since;
  }
  answered(chat: string): void {
    this.pacer.pause(chat, this.pacer.gapMs);
  }
  pause(chat: string, ms: number): void {
    this.pacer.pause(chat, ms);
  }
}

// KEYS[1]: the chat's hash (n = next free slot, l = last message; ms on Redis' clock).
// ARGV[1]: 'peek' | 'sent' | 'pause'; ARGV[2]: gap (ms); ARGV[3]: pause (ms, for 'pause').
// peek → ms until the next free slot; sent → ms since the previous message (-1: none), and the next free slot
// becomes max(next, now + gap); pause → the next free slot becomes max(next, now + pause).
const CHAT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local mode = ARGV[1]
local gap = tonumber(ARGV[2])
local nxt = tonumber(redis.call('HGET', KEYS[1], 'n') or '0') or 0
if mode == 'peek' then
  return tostring(math.max(0, nxt - now))
end
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or '-1') or -1
local until_t
if mode == 'sent' then
  until_t = math.max(nxt, now + gap)
  redis.call('HSET', KEYS[1], 'n', tostring(until_t), 'l', tostring(now))
else
  until_t = math.max(nxt, now + tonumber(ARGV[3]))
  redis.call('HSET', KEYS[1], 'n', tostring(until_t))
end
redis.call('PEXPIRE', KEYS[1], math.ceil(until_t - now) + 60000)
if last < 0 then return '-1' end
return tostring(now - last)
`;

export interface RedisChatGateOptions {
  /** Keys are `<keyPrefix>chat:<chat id>`; give it the outbox hash tag, e.g. `fsms:{outbox}:`. */
  keyPrefix: string;
  /** How long to wait for Redis before using the in-process pacer for that call (ms, default 500). */
  timeoutMs?: number;
  onError?: (e: unknown) => void;
}

/** Shared by every process through Redis; falls back to the in-process pacer call by call. */
export class RedisChatGate implements ChatGate {
  private readonly local: LocalChatGate;
  private readonly timeoutMs: number;
  private readonly onError: (e: unknown) => void;
  constructor(
    private readonly redis: Redis,
    ratePerSec: number,
    private readonly opts: RedisChatGateOptions,
  ) {
    this.local = new LocalChatGate(ratePerSec);
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.onError = opts.onError ?? (() => {});
  }

  get gapMs(): number {
    return this.local.gapMs;
  }

  private key(chat: string): string {
    return `${this.opts.keyPrefix}chat:${chat}`;
  }

  /** The script's answer, or undefined (error or no answer in time: the caller falls back). */
  private run(chat: string, mode: "peek" | "sent" | "pause", arg = 0): Promise<number | undefined> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.onError(new Error(`Redis chat pacer: no answer in ${this.timeoutMs} ms`));
        resolve(undefined);
      }, this.timeoutMs);
      this.redis.eval(CHAT_LUA, 1, this.key(chat), mode, String(this.gapMs), String(arg)).then(
        (v) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(Number(v));
        },
        (e: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.onError(e);
          resolve(undefined);
        },
      );
    });
  }

  async waitFor(chat: string): Promise<number> {
    const local = await this.local.waitFor(chat);
    const shared = await this.run(chat, "peek");
    return shared === undefined ? local : Math.max(local, shared);
  }

  async sent(chat: string): Promise<number> {
    // The local pacer learns it too: it is the fallback, and a lower bound for this process.
    const local = await this.local.sent(chat);
    const since = await this.run(chat, "sent");
    if (since === undefined) return local;
    return since < 0 ? Number.POSITIVE_INFINITY : since;
  }

  answered(chat: string): void {
    this.pause(chat, this.gapMs);
  }

  pause(chat: string, ms: number): void {
    this.local.pause(chat, ms);
    void this.run(chat, "pause", ms);
  }
}
