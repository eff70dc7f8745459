// What a worker run keeps besides its rows: the leases it holds (renewed by a heartbeat) and its waits (one abort
// listener for every sleeping row).
import type { Logger } from "pino";
import type { OutboxQueue } from "../../domain/ports.ts";

/**
 * The leases of the rows this worker has in flight, renewed together every quarter of the lease (one UPDATE for
 * all of them) while any is held: a row waiting for a slot or for a slow answer stays this worker's, and when
 * the process dies its rows are free again within one lease. A renewal that does not return a row means another
 * worker has it now: the row is "lost" and must not be sent (or recorded) by this worker.
 */
export class Leases {
  /** Row id → local time until which the lease is known to hold; -Infinity: lost to another worker. */
  private readonly held = new Map<bigint, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private beating: Promise<void> | null = null;
  private warnedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly queue: Pick<OutboxQueue, "renew">,
    private readonly workerId: string,
    readonly leaseMs: number,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Rows just claimed; `since`: when the claim was asked for (the lease runs from no earlier than that). */
  hold(ids: readonly bigint[], since: number): void {
    for (const id of ids) this.held.set(id, since + this.leaseMs);
    if (this.held.size && !this.timer) {
      this.timer = setInterval(() => void this.beat(), Math.max(10, this.leaseMs / 4));
      this.timer.unref?.();
    }
  }

  /** ms of lease left as far as this worker knows (-Infinity: not held, or lost). */
  left(id: bigint): number {
    const until = this.held.get(id);
    return until === undefined ? Number.NEGATIVE_INFINITY : until - this.clock();
  }

  /** Another worker holds the row now. */
  lost(id: bigint): boolean {
    return this.held.get(id) === Number.NEGATIVE_INFINITY;
  }

  release(id: bigint): void {
    this.held.delete(id);
    if (!this.held.size) this.stopTimer();
  }

  get size(): number {
    return this.held.size;
  }

  /** Renew every held lease now (also what the timer does); resolves when the renewal is answered. */
  beat(): Promise<void> {
    this.beating ??= this.renew().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async renew(): Promise<void> {
    const ids = [...this.held].filter(([, until]) => until !== Number.NEGATIVE_INFINITY).map(([id]) => id);
    if (!ids.length) return;
    const t0 = this.clock();
    try {
      const kept = new Set((await this.queue.renew(this.workerId, ids, this.leaseMs)).map(String));
      for (const id of ids) {
        if (!this.held.has(id)) continue;
        this.held.set(id, kept.has(String(id)) ? t0 + this.leaseMs : Number.NEGATIVE_INFINITY);
      }
    } catch (e) {
      // The database does not answer: the leases run out on their own (rows are then handed back unsent).
      if (this.clock() - this.warnedAt > 10_000) {
        this.warnedAt = this.clock();
        this.logger.warn(
          { err: e instanceof Error ? e.message.slice(0, 300) : String(e), rows: ids.length },
          "outbox: lease renewal failed",
        );
      }
    }
  }

  private stopTimer() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.stopTimer();
    this.held.clear();
  }
}

/**
 * Timers and waits of one worker run, with ONE abort listener however many rows wait (hundreds at a time):
 * a listener per sleeping row would trip MaxListenersExceededWarning. `dispose()` removes the listener.
 */
export class Waits {
  private readonly onStop = new Set<() => void>();
  private readonly abort = () => {
    for (const cb of [...this.onStop]) cb();
    this.onStop.clear();
  };
  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener("abort", this.abort, { once: true });
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Call `cb` on abort (at once if already aborted); returns the unregister function. */
  onAbort(cb: () => void): () => void {
    if (this.aborted) {
      cb();
      return () => {};
    }
    this.onStop.add(cb);
    return () => {
      this.onStop.delete(cb);
    };
  }

  /** Wait `ms`, or less if the run is stopped. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.onStop.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.onStop.add(done);
    });
  }

  dispose() {
    this.signal?.removeEventListener("abort", this.abort);
    this.onStop.clear();
  }
}
