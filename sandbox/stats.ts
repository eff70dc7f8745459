// What the strict stand-in saw: every request Telegram would refuse, counted by reason (with the last
// example of each), the answers fault injection made up, and the callback queries (answered once, twice,
// late, or never). Read through GET /ui/stats or Sandbox.stats().

export interface RefusalExample {
  at: number;
  method: string;
  chat_id?: number;
  description: string;
}

export interface SandboxStats {
  /** ms since epoch of the start (or of the last reset). */
  since: number;
  calls: { total: number; ok: number; refused: number; injected: number };
  /** Requests Telegram would refuse, by reason (the description with variable parts removed). */
  refused: Record<string, { count: number; methods: Record<string, number>; last: RefusalExample }>;
  /** Answers made up by fault injection and the optional rate limit, by kind ("429", "502", "delay", "reset"). */
  injected: Record<string, number>;
  callbacks: {
    pressed: number;
    /** Answered once, in time. */
    answered: number;
    /** A second answer to the same query (refused: "query is too old…"). */
    answered_twice: number;
    /** Answered after the timeout (refused). */
    answered_late: number;
    /** An answer to an id that never existed (refused). */
    invalid: number;
    /** Expired without any answer: the person saw a spinner until the timeout. */
    unanswered: number;
    /** Pressed, not answered yet, still in time. */
    pending: number;
    /** The last unanswered ones (oldest first, at most 50). */
    unanswered_list: { callback_query_id: string; chat_id: number; message_id?: number; data?: string }[];
  };
}

/** Groups descriptions whose details vary (offsets, seconds, positions) under one reason. */
export function reasonOf(description: string): string {
  const rules: [RegExp, string][] = [
    [/^(Bad Request: can't parse entities):.*/s, "$1"],
    [/^(Too Many Requests): retry after \d+.*/s, "$1"],
    [/^(Bad Request: failed to send message) #\d+.*/s, "$1"],
    [/^(Bad Request: file of size) \d+ (bytes is too big.*)$/s, "$1 N $2"],
    [/^(Bad Request: can't parse InputMedia): .*/s, "$1"],
    [/^(Request Entity Too Large).*/s, "$1"],
  ];
  for (const [re, to] of rules) if (re.test(description)) return description.replace(re, to);
  return description;
}

export class StatsRecorder {
  private s: SandboxStats = StatsRecorder.empty();

  private static empty(): SandboxStats {
    return {
      since: Date.now(),
      calls: { total: 0, ok: 0, refused: 0, injected: 0 },
      refused: {},
      injected: {},
      callbacks: {
        pressed: 0,
        answered: 0,
        answered_twice: 0,
        answered_late: 0,
        invalid: 0,
        unanswered: 0,
        pending: 0,
        unanswered_list: [],
      },
    };
  }

  reset(): void {
    this.s = StatsRecorder.empty();
  }

  /** A copy, with `pending` filled in by the caller (it knows the open queries). */
  snapshot(pending: number): SandboxStats {
    const copy = structuredClone(this.s);
    copy.callbacks.pending = pending;
    return copy;
  }

  ok(): void {
    this.s.calls.total++;
    this.s.calls.ok++;
  }

  refused(method: string, description: string, chatId?: number): void {
    this.s.calls.total++;
    this.s.calls.refused++;
    const reason = reasonOf(description);
    let r = this.s.refused[reason];
    if (!r) {
      r = { count: 0, methods: {}, last: { at: 0, method, description } };
      this.s.refused[reason] = r;
    }
    r.count++;
    r.methods[method] = (r.methods[method] ?? 0) + 1;
    r.last = { at: Date.now(), method, description, ...(chatId !== undefined ? { chat_id: chatId } : {}) };
  }

  /** An injected answer (a fault, not the bot's mistake); `counted` false for a delay that still answers. */
  injected(kind: string, counted = true): void {
    this.s.injected[kind] = (this.s.injected[kind] ?? 0) + 1;
    if (counted) {
      this.s.calls.total++;
      this.s.calls.injected++;
    }
  }

  pressed(): void {
    this.s.callbacks.pressed++;
  }

  answer(outcome: "answered" | "answered_twice" | "answered_late" | "invalid"): void {
    this.s.callbacks[outcome]++;
  }

  unanswered(q: { callback_query_id: string; chat_id: number; message_id?: number; data?: string }): void {
    this.s.callbacks.unanswered++;
    const list = this.s.callbacks.unanswered_list;
    list.push(q);
    if (list.length > 50) list.splice(0, list.length - 50);
  }
}
