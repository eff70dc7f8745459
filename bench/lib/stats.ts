// Small statistics helpers: percentiles over latency samples, rounding for stable JSON.

export interface LatencySummary {
  n: number;
  /** Updates (or operations) per second over the measured window. */
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** CPU time of this process per operation (user + system), ms: less sensitive to other load on the machine. */
  cpuMs: number;
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samplesMs: number[], elapsedMs: number, cpuMicros = Number.NaN): LatencySummary {
  const n = samplesMs.length;
  const sum = samplesMs.reduce((a, b) => a + b, 0);
  return {
    n,
    throughput: elapsedMs > 0 ? (n * 1000) / elapsedMs : Number.NaN,
    p50: percentile(samplesMs, 0.5),
    p99: percentile(samplesMs, 0.99),
    max: n ? Math.max(...samplesMs) : Number.NaN,
    mean: n ? sum / n : Number.NaN,
    cpuMs: n ? cpuMicros / 1000 / n : Number.NaN,
  };
}

/** Round to a few significant digits so results.json diffs stay readable. */
export function round(v: number, digits = 2): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const nowMs = (): number => performance.now();
