// The branch's register and the decisions of a period as a table in the reader's language (headers and status
// labels from locales/, dates as Astana calendar dates). adapters/export/{csv,xlsx}.ts write it as a file.
import { astanaDateKey } from "../../domain/calendar.ts";
import type { ExportRow, ExportTable } from "../../domain/dashboard.ts";
import type { Lang, Translate } from "../kit/i18n.ts";

export type ExportKind = "register" | "decisions";

const COLUMNS = [
  ["number", "text", 38],
  ["version", "number", 8],
  ["org", "text", 44],
  ["bin", "text", 15],
  ["region", "text", 24],
  ["status", "text", 24],
  ["submitted", "date", 13],
  ["decided", "date", 13],
  ["reviewer", "text", 28],
  ["checker", "text", 28],
  ["approver", "text", 28],
] as const;

const day = (d: Date | null) => (d ? { date: astanaDateKey(d) } : null);

/**
 * The application number is its id (the register has no other stable number today); the version is its own
 * column. Status: the register shows the current status, the decisions the status each decision set.
 */
export function exportTable(
  t: Translate,
  lang: Lang,
  kind: ExportKind,
  rows: readonly ExportRow[],
): ExportTable {
  return {
    sheetName: t(
      kind === "register" ? "dashboard:export.sheet_register" : "dashboard:export.sheet_decisions",
    ),
    columns: COLUMNS.map(([key, k, width]) => ({ header: t(`dashboard:export.col.${key}`), kind: k, width })),
    rows: rows.map((r) => [
      r.applicationId,
      r.versionNo,
      lang === "kk" ? r.orgNameKk : r.orgNameRu,
      r.bin,
      (lang === "kk" ? r.regionKk : r.regionRu) ?? "",
      t(`status:labels.${r.status}`),
      day(r.submittedAt),
      day(r.decidedAt),
      r.reviewer,
      r.checker,
      r.approver,
    ]),
  };
}

/** e.g. "reestr-ASTANA-2026-07-08.xlsx" (ASCII: Telegram clients show it as sent). */
export function exportFileName(
  t: Translate,
  kind: ExportKind,
  regionCode: string,
  now: Date,
  extension: string,
) {
  const base = t(kind === "register" ? "dashboard:export.file_register" : "dashboard:export.file_decisions");
  return `${base}-${regionCode}-${astanaDateKey(now)}.${extension}`;
}
