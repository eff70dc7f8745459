// A closed-loop load generator: `concurrency` lanes, each running its own sequence of operations
// one after another (a lane = a different chat, like a runner with several updates in flight).
import { type LatencySummary, nowMs, summarize } from "./stats.ts";

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
