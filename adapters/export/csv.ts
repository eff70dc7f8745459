// CSV for Excel in Kazakh and Russian locales: UTF-8 with a byte-order mark (without it Excel reads the file as
// the ANSI code page, cp1251, and every Kazakh letter breaks), «;» between fields (Windows' list separator in the
// kk-KZ and ru-RU regional settings, where «,» is the decimal separator: a comma file opens as one column), CRLF
// line ends, RFC 4180 quoting. Dates are dd.mm.yyyy. A text cell starting with = + - @ (or a tab / CR) is prefixed
// with «'» so that a spreadsheet never runs it as a formula (CSV injection).
// Excel shows a 12-digit BIN of a CSV as a number (leading zeros lost): the XLSX file keeps it as text.
import type { ExportCell, ExportTable, ExportWriter } from "../../domain/dashboard.ts";

export const CSV_SEPARATOR = ";";
const BOM = "\uFEFF";

/** "YYYY-MM-DD" → "dd.mm.yyyy". */
export const ddmmyyyy = (key: string) => `${key.slice(8, 10)}.${key.slice(5, 7)}.${key.slice(0, 4)}`;

function cellText(c: ExportCell): string {
  if (c === null) return "";
  if (typeof c === "number") return String(c);
  if (typeof c === "object") return ddmmyyyy(c.date);
  return /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
}

function quote(s: string): string {
  return /[";\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(table: ExportTable): string {
  const lines = [
    table.columns.map((c) => quote(c.header)),
    ...table.rows.map((r) => r.map((c) => quote(cellText(c)))),
  ];
  return BOM + lines.map((l) => l.join(CSV_SEPARATOR)).join("\r\n") + "\r\n";
}

export const csvWriter: ExportWriter = {
  extension: "csv",
  mimeType: "text/csv; charset=utf-8",
  write: (table) => Buffer.from(tableToCsv(table), "utf8"),
};
