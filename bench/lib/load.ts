// A closed-loop load generator: `concurrency` lanes, each running its own sequence of operations
// one after another (a lane = a different chat, like a runner with several updates in flight).
import { type LatencySummary, nowMs, percentile, summarize } from "./stats.ts";

export interface LoadOptions {
  /** Operations in flight at once. */
  concurrency: number;
  /** Total operations; op(i) is called with i = 0..total-1. */
  total: number;
  /** Operations run before measuring (their latencies are discarded). Default: none. */
  warmup?: number;
  /** Maps an operation index to a lane key; ops with the same key never overlap (same chat). */
  laneOf?: (i: number) => number;
}

/**
 * Runs op(0..total-1) with at most `concurrency` in flight. Index i goes to lane i % concurrency
 * unless laneOf is given, so two operations of one chat never overlap.
 */
export async function runLoad(
  op: (i: number) => Promise<unknown>,
  opts: LoadOptions,
): Promise<LatencySummary> {
  const { concurrency, total } = opts;
  const warmup = Math.min(opts.warmup ?? 0, total);
  const lanes: number[][] = Array.from({ length: concurrency }, () => []);
  for (let i = 0; i < total; i++) lanes[(opts.laneOf?.(i) ?? i) % concurrency]!.push(i);
  const samples: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let started = 0;
  let measuredStart = Number.NaN;
  const t0 = nowMs();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const i of lane) {
        const k = started++;
        if (k === warmup) measuredStart = nowMs();
        const t = nowMs();
        try {
          await op(i);
        } catch (e) {
          errors++;
          firstError ??= e;
        }
        if (k >= warmup) samples.push(nowMs() - t);
      }
    }),
  );
  const end = nowMs();
  const cpu = process.cpuUsage(cpu0);
  if (errors) throw new Error(`${errors} of ${total} operations failed; first: ${String(firstError)}`);
  return summarize(samples, end - (Number.isNaN(measuredStart) ? t0 : measuredStart), cpu.user + cpu.system);
}

/** Warm-up operations before a measured run of `count` (the scenarios prepare this many extra). */
export const warmupOf = (count: number): number => Math.min(200, Math.floor(count / 5));

// ───────────── open loop ─────────────
// Closed loop (runLoad) measures throughput: a new update starts only when one ends, so its latencies
// are saturation latencies (p50 ≈ in flight / throughput). The open loop models users: updates arrive
// at their own times, whether or not the bot is still busy, so its latencies are what a user feels at
// that offered load (queueing included) – and they grow without bound once the offered rate nears the
// throughput.

/** A small seeded PRNG (mulberry32), so that every run offers the same arrivals and users. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrival times (ms from the start) of a Poisson process: exponential gaps with mean 1000 / ratePerS. */
export function poissonArrivals(ratePerS: number, durationMs: number, rnd: () => number): number[] {
  const out: number[] = [];
  for (let t = 0; ; ) {
    t += (-Math.log(1 - rnd()) * 1000) / ratePerS;
    if (t >= durationMs) return out;
    out.push(t);
  }
}

export interface OpenLoopSummary {
  /** Arrivals offered per second (arrivals / duration). */
  offered: number;
  /** Updates completed per second, from the first arrival to the last completion. */
  achieved: number;
  /** Latency from the scheduled arrival to the end of the operation (includes any wait in this process). */
  p50: number;
  p99: number;
  max: number;
  n: number;
  /** Most operations in flight at once. */
  maxInFlight: number;
  /** p99 of how late an arrival was dispatched (event loop busy): part of the latency above. */
  dispatchLagP99: number;
  /** CPU time of this process per operation (user + system), ms. */
  cpuMs: number;
}

/**
 * Starts op(i) at arrivals[i] ms after the start, whether or not earlier ops have finished (no limit on
 * the number in flight), and measures each from its scheduled arrival to its end.
 */
export async function runOpenLoop(
  op: (i: number) => Promise<unknown>,
  arrivals: number[],
  durationMs: number,
): Promise<OpenLoopSummary> {
  const n = arrivals.length;
  const samples: number[] = new Array(n);
  const lags: number[] = new Array(n);
  const pending: Promise<unknown>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let errors = 0;
  let firstError: unknown;
  const t0 = nowMs();
  let lastDone = t0;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      while (next < n && t0 + arrivals[next]! <= nowMs()) {
        const k = next++;
        const at = t0 + arrivals[k]!;
        lags[k] = nowMs() - at;
        inFlight++;
        if (inFlight > maxInFlight) maxInFlight = inFlight;
        pending.push(
          Promise.resolve()
            .then(() => op(k))
            .catch((e: unknown) => {
              errors++;
              firstError ??= e;
            })
            .finally(() => {
              const done = nowMs();
              samples[k] = done - at;
              if (done > lastDone) lastDone = done;
              inFlight--;
            }),
        );
      }
      if (next >= n) return resolve();
      setTimeout(tick, Math.max(0, t0 + arrivals[next]! - nowMs()));
    };
    tick();
  });
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpu0);
  if (errors) throw new Error(`${errors} of ${n} operations failed; first: ${String(firstError)}`);
  const s = summarize(samples, Math.max(lastDone - t0, durationMs), cpu.user + cpu.system);
  return {
    offered: (n * 1000) / durationMs,
    achieved: s.throughput,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    n,
    maxInFlight,
    dispatchLagP99: percentile(lags, 0.99),
    cpuMs: s.cpuMs,
  };
}
