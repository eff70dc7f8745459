// Fault injection for the fault suite and the crawler: chosen Bot API methods answer late, answer 429 with
// retry_after, or 5xx, or drop the connection, for a time window or a number of calls; and an optional rate
// limit as Telegram's (30 sends/s overall, 1/s per chat → 429). Driven by Sandbox.faults or /ui/faults.

export type FaultError = 429 | 500 | 502 | 503 | 504 | "reset";

export interface FaultRule {
  /** Bot API method names (any case). Omitted, [] or ["*"]: every method except getUpdates (name it to hit it). */
  methods?: string[];
  /** Only calls whose chat_id is this chat. */
  chatId?: number;
  /** Wait this long before answering (ms). */
  delayMs?: number;
  /**
   * Answer this instead of the result: 429 (Too Many Requests, with retry_after), 500, 502, 503, 504 (Telegram's
   * JSON envelope), or "reset" (the connection is dropped without an answer).
   */
  error?: FaultError;
  /** 429: the retry_after announced, in seconds (default: what is left of the window, at least 1). */
  retryAfter?: number;
  /** 5xx: nginx's HTML error page instead of Telegram's JSON (what a proxy in front of the Bot API sends). */
  html?: boolean;
  /**
   * "before" (default): the delay, then the error and the method does not run. "after": the method runs (the
   * message is in the chat), then the delay, then the error or the result: the bot sees a failure or a slow
   * answer for something that did happen.
   */
  when?: "before" | "after";
  /** The rule lasts this long after it is added (ms; default: until removed). */
  forMs?: number;
  /** The rule applies to this many matching calls, then goes away (default: unlimited). */
  times?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  addedAt: number;
  /** ms since epoch when the window ends (absent: no window). */
  until?: number;
  hits: number;
}

export interface RateLimitOptions {
  /** Sends per second overall (default 30). */
  perSecond?: number;
  /** Sends per second to one chat (default 1). */
  perChatPerSecond?: number;
  /** How many sends to one chat may go at once before the per-chat rate applies (default 1). */
  perChatBurst?: number;
}

/** Methods that count against Telegram's send limits. */
const SENDS = new Set([
  "sendmessage",
  "senddocument",
  "sendphoto",
  "sendmediagroup",
  "sendlocation",
  "sendvenue",
  "sendcontact",
  "copymessage",
  "forwardmessage",
  "editmessagetext",
  "editmessagecaption",
  "editmessagereplymarkup",
]);

const ERRORS: FaultError[] = [429, 500, 502, 503, 504, "reset"];

class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly rate: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }
  /** Takes a token; returns 0, or the seconds to wait (at least 1). */
  take(): number {
    const t = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.at) / 1000) * this.rate);
    this.at = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

export class RateLimiter {
  private readonly global: Bucket;
  private readonly chats = new Map<number, Bucket>();
  readonly options: Required<RateLimitOptions>;

  constructor(opts: RateLimitOptions = {}) {
    this.options = {
      perSecond: opts.perSecond ?? 30,
      perChatPerSecond: opts.perChatPerSecond ?? 1,
      perChatBurst: opts.perChatBurst ?? 1,
    };
    for (const [k, v] of Object.entries(this.options)) {
      if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new Error(`rate limit: bad ${k}`);
    }
    this.global = new Bucket(this.options.perSecond, this.options.perSecond);
  }

  /** 0 when the send may go, else the retry_after (s) Telegram would announce. */
  check(method: string, chatId: number | undefined): number {
    if (!SENDS.has(method)) return 0;
    if (chatId !== undefined) {
      let b = this.chats.get(chatId);
      if (!b) {
        b = new Bucket(this.options.perChatPerSecond, this.options.perChatBurst);
        this.chats.set(chatId, b);
      }
      const wait = b.take();
      if (wait) return wait;
    }
    return this.global.take();
  }
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private seq = 0;
  private readonly sleeping = new Set<() => void>();
  private limiter: RateLimiter | undefined;

  /** Adds a rule (validated; throws on a bad one). */
  add(rule: FaultRule): ActiveFault {
    if (rule.error !== undefined && !ERRORS.includes(rule.error))
      throw new Error(`fault: error must be one of ${ERRORS.join(", ")}`);
    for (const k of ["delayMs", "forMs", "times", "retryAfter"] as const) {
      const v = rule[k];
      if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= 0))
        throw new Error(`fault: ${k} must be a number ≥ 0`);
    }
    if (rule.when !== undefined && rule.when !== "before" && rule.when !== "after")
      throw new Error('fault: when must be "before" or "after"');
    if (
      rule.methods !== undefined &&
      !(Array.isArray(rule.methods) && rule.methods.every((m) => typeof m === "string"))
    )
      throw new Error("fault: methods must be a list of method names");
    if (rule.delayMs === undefined && rule.error === undefined)
      throw new Error("fault: give delayMs or error");
    const addedAt = Date.now();
    const active: ActiveFault = {
      ...rule,
      ...(rule.methods ? { methods: rule.methods.map((m) => m.toLowerCase()) } : {}),
      id: `f${++this.seq}`,
      addedAt,
      ...(rule.forMs !== undefined ? { until: addedAt + rule.forMs } : {}),
      hits: 0,
    };
    this.rules.push(active);
    return active;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    this.prune();
    return this.rules.map((r) => ({ ...r }));
  }

  /** Turns Telegram's rate limits on (options) or off (null). */
  setRateLimit(opts: RateLimitOptions | null | boolean): void {
    this.limiter = opts === null || opts === false ? undefined : new RateLimiter(opts === true ? {} : opts);
  }

  rateLimit(): Required<RateLimitOptions> | null {
    return this.limiter?.options ?? null;
  }

  /** The retry_after when the optional rate limit refuses this send, else 0. */
  limited(method: string, chatId: number | undefined): number {
    return this.limiter?.check(method, chatId) ?? 0;
  }

  /** The first rule for this call (its hit is counted), or undefined. */
  match(method: string, chatId: number | undefined): ActiveFault | undefined {
    this.prune();
    const rule = this.rules.find(
      (r) =>
        (r.methods?.length && !r.methods.includes("*")
          ? r.methods.includes(method)
          : method !== "getupdates" || r.methods?.includes("getupdates")) &&
        (r.chatId === undefined || r.chatId === chatId),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
    return rule;
  }

  /** retry_after for a 429 rule: as given, else the rest of its window (at least 1 s). */
  retryAfter(rule: ActiveFault): number {
    if (rule.retryAfter !== undefined) return Math.max(1, Math.ceil(rule.retryAfter));
    if (rule.until !== undefined) return Math.max(1, Math.ceil((rule.until - Date.now()) / 1000));
    return 1;
  }

  /** A delay that ends early when the sandbox closes. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleeping.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeping.add(done);
    });
  }

  stop(): void {
    for (const wake of [...this.sleeping]) wake();
  }

  private prune(): void {
    const t = Date.now();
    this.rules = this.rules.filter((r) => r.until === undefined || r.until > t);
  }
}
