// Parsing the submission date-time the user types for the deadline calculator (Astana time).
// Accepted: "25.12.2026 10:30", "25.12.2026" (→ 09:00, the start of the working day), one-digit day, month or
// hour ("5.1.2027 9:05"), and "-" or "/" instead of "." between date parts.
import { fromAstana } from "../calendar.ts";

export const SUBMISSION_YEAR_RANGE = { from: 2000, to: 2099 } as const;

export type SubmissionParse = { ok: true; date: Date } | { ok: false; code: "invalid" | "out_of_range" };

const RE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[\sT,]+(\d{1,2})[:.](\d{2}))?$/;

export function parseSubmission(text: string): SubmissionParse {
  const m = RE.exec(text.trim().replace(/\s+/g, " "));
  if (!m) return { ok: false, code: "invalid" };
  const [, d, mo, y, h, mi] = m;
  const year = Number(y);
  if (year < SUBMISSION_YEAR_RANGE.from || year > SUBMISSION_YEAR_RANGE.to)
    return { ok: false, code: "out_of_range" };
  const date = fromAstana(
    year,
    Number(mo),
    Number(d),
    h === undefined ? 9 : Number(h),
    mi === undefined ? 0 : Number(mi),
  );
  return date ? { ok: true, date } : { ok: false, code: "invalid" };
}
