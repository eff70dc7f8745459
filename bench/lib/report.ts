// Results: one row per figure, with its baseline (same run) and target; printed as a table and
// written to bench/results.json with stable keys.
import { round } from "./stats.ts";

export type Verdict = "ok" | "FAIL" | "n/a" | "info";

export interface Row {
  /** Stable key, e.g. "updates.status.p99_ms". */
  key: string;
  label: string;
  unit: string;
  /** null when the figure could not be measured (see note). */
  value: number | null;
  baseline?: number | null;
  /** Human-readable target, e.g. "≤ 25". */
  target?: string;
  verdict: Verdict;
  note?: string;
}

export interface Section {
  name: string;
  rows: Row[];
  /** Free text printed under the table (plans, missing pieces). */
  notes: string[];
}

export function check(value: number | null, op: "<=" | ">=", limit: number): Verdict {
  if (value === null || !Number.isFinite(value)) return "n/a";
  return (op === "<=" ? value <= limit : value >= limit) ? "ok" : "FAIL";
}

export function missing(key: string, label: string, unit: string, why: string, target?: string): Row {
  return { key, label, unit, value: null, target, verdict: "n/a", note: why };
}

const fmt = (v: number | null | undefined): string => {
  if (v === null || v === undefined) return "–";
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000
    ? Math.round(v).toLocaleString("en-US")
    : a >= 100
      ? v.toFixed(0)
      : a >= 10
        ? v.toFixed(1)
        : v.toFixed(2);
};

export function printTable(sections: Section[], out: (s: string) => void = console.log): void {
  const header = ["figure", "value", "baseline", "target", "unit", ""];
  const lines: string[][] = [];
  for (const s of sections) {
    lines.push([`[${s.name}]`, "", "", "", "", ""]);
    for (const r of s.rows) {
      lines.push([
        `  ${r.label}`,
        fmt(r.value),
        r.baseline === undefined ? "" : fmt(r.baseline),
        r.target ?? "",
        r.unit,
        r.verdict === "info" ? "" : r.verdict,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const pad = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  out(pad(header));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) out(pad(l).trimEnd());
  for (const s of sections) {
    const notes = [...s.rows.filter((r) => r.note).map((r) => `${r.label}: ${r.note}`), ...s.notes];
    if (!notes.length) continue;
    out("");
    out(`${s.name} notes:`);
    for (const n of notes) out(`  - ${n.replace(/\n/g, "\n    ")}`);
  }
}

/** A JSON document with stable keys: sections and rows in a fixed order, numbers rounded. */
export function toJson(sections: Section[], meta: Record<string, unknown>): string {
  const results: Record<string, unknown> = {};
  for (const s of sections) {
    for (const r of s.rows) {
      results[r.key] = {
        value: r.value === null ? null : round(r.value),
        ...(r.baseline !== undefined ? { baseline: r.baseline === null ? null : round(r.baseline) } : {}),
        unit: r.unit,
        ...(r.target ? { target: r.target } : {}),
        verdict: r.verdict,
        ...(r.note ? { note: r.note } : {}),
      };
    }
  }
  return `${JSON.stringify({ meta, results }, null, 2)}\n`;
}
