// The branch manager's dashboard as data (issue 15): what prisma/store/dashboard.ts reads and what the views
// (bot/views/dashboard.ts, bot/views/exports.ts) show. Types only; the rules are domain/sla.ts.
import type { DecisionRole, SlaStage, StageThresholds } from "./sla.ts";
import type { Status } from "./types.ts";

export interface OpenCell {
  stage: SlaStage;
  /** Index into AGE_BUCKETS (0: 0–1 working days … 4: more than 10). */
  bucket: number;
  count: number;
  breached: number;
}

export interface OpenSummary {
  cells: OpenCell[];
  byStage: Record<SlaStage, { open: number; breached: number }>;
  open: number;
  breached: number;
}

export interface WeekBreaches {
  /** Monday 00:00 Astana. */
  weekStart: Date;
  /** The next Monday 00:00 (the current week is counted up to now). */
  weekEnd: Date;
  /** Applications overdue at some moment of the week. */
  overdue: number;
  /** Of those, the ones whose deadline passed during the week. */
  newBreaches: number;
}

export interface PersonDecisions {
  userId: string;
  fullName: string | null;
  role: DecisionRole;
  /** Sent on (to check, to approval, into the register or out of it). */
  forward: number;
  /** Refused: returned to the reviewer (or an exclusion cancelled). */
  returned: number;
}

export interface OverdueItem {
  applicationId: string;
  versionNo: number;
  status: Status;
  stage: SlaStage;
  orgNameKk: string;
  orgNameRu: string;
  bin: string;
  since: Date;
  deadline: Date;
  overdueDays: number;
}

export interface BranchDashboard {
  branchId: string;
  regionCode: string;
  branchNameKk: string;
  branchNameRu: string;
  now: Date;
  period: { from: Date; to: Date };
  thresholds: StageThresholds;
  open: OpenSummary;
  weeks: WeekBreaches[];
  decisions: PersonDecisions[];
  overdue: OverdueItem[];
}

export interface ExportRow {
  applicationId: string;
  chainId: string;
  versionNo: number;
  orgNameKk: string;
  orgNameRu: string;
  bin: string;
  regionKk: string | null;
  regionRu: string | null;
  /** Register: the current status (INCLUDED). Decisions: the status the decision set. */
  status: Status;
  submittedAt: Date | null;
  /** When the decision was taken (the approver's action). */
  decidedAt: Date | null;
  reviewer: string | null;
  checker: string | null;
  approver: string | null;
}

// ───────────── what the chart and export adapters take (ports; the lead may move them to ports.ts) ─────────────

export interface ChartSeries {
  name: string;
  values: number[];
}

/** The dashboard picture, every text already in the reader's language (adapters/charts/dashboard.ts draws it). */
export interface DashboardChartInput {
  title: string;
  subtitle?: string;
  /** Open applications: one category per stage, one stacked series per age bucket. */
  open: { title: string; categories: string[]; series: ChartSeries[] };
  /** The last weeks (labels dd.mm): applications overdue during the week (bars) and new breaches (line). */
  weeks: { title: string; categories: string[]; overdue: ChartSeries; newBreaches: ChartSeries };
  /** Decisions of the period: one category per person, stacked series (forward, returned). */
  decisions: { title: string; categories: string[]; series: ChartSeries[]; empty: string };
}

export interface DashboardChart {
  /** A PNG for sendPhoto. */
  renderPng(input: DashboardChartInput): Buffer;
}

/** A cell of an exported table: text, a number, a local (Astana) calendar date "YYYY-MM-DD", or empty. */
export type ExportCell = string | number | { date: string } | null;

export interface ExportTable {
  sheetName: string;
  columns: { header: string; kind: "text" | "number" | "date"; width?: number }[];
  rows: ExportCell[][];
}

export interface ExportWriter {
  /** File extension without the dot ("csv", "xlsx") and MIME type. */
  readonly extension: string;
  readonly mimeType: string;
  write(table: ExportTable): Buffer;
}
