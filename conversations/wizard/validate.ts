// «Сохранить»'s errors (validateForSave and the draft rules, app/drafts.ts) in the person's language, one line each
// with the section to fix: «• Раздел (поле): текст».
import type { Names } from "../../app/classifiers.ts";
import type { AppContext } from "../../bot/context.ts";
import { fmtDate } from "../../bot/kit/format.ts";
import { escapeHtml } from "../../bot/kit/html.ts";
import type { DomainError } from "../../domain/types.ts";

export type Section = "A" | "R" | "C" | "D";

/** The wizard section where an error is fixed. */
export function sectionOf(e: DomainError): Section {
  const f = e.field ?? "";
  if (f === "A8") return "R";
  if (f.startsWith("A")) return "A";
  if (f.startsWith("C")) return "C";
  if (f.startsWith("D")) return "D";
  return e.code === "excluded_less_than_3_years" ? "A" : "D";
}

const MAX_PER_SECTION = 8;
const DATE_PARAMS = ["excludedAt", "allowedFrom", "fetchedAt"];

/** The text of one validation error (the wizard's wording first, then the errors namespace). */
/** A region as the plausibility errors name it: by its top-level KATO code. */
export type RegionRef = { katoCode: string; nameKk: string; nameRu: string };

export function errorLine(
  ctx: AppContext,
  e: DomainError,
  names: Names,
  regions: readonly RegionRef[] = [],
): string {
  const p = { ...(e.params ?? {}) } as Record<string, string | number>;
  if (typeof p.subtype === "string") p.subtype = escapeHtml(names.subtype(p.subtype));
  if (typeof p.missing === "string")
    p.missing = escapeHtml(
      p.missing
        .split(",")
        .map((c) => names.subtype(c))
        .join("; "),
    );
  if (typeof p.licenceCode === "string") p.licenceCode = escapeHtml(names.licenceCode(p.licenceCode));
  if (typeof p.activityCode === "string") p.activityCode = escapeHtml(names.licenceCode(p.activityCode));
  if (typeof p.region === "string" && /^\d{9}$/.test(p.region)) {
    const r = regions.find((x) => x.katoCode === p.region);
    if (r) p.region = escapeHtml(ctx.lang === "kk" && r.nameKk ? r.nameKk : r.nameRu);
  }
  if (typeof p.regionCode === "string") p.region = escapeHtml(names.region(p.regionCode) ?? p.regionCode);
  for (const k of DATE_PARAMS) if (typeof p[k] === "string") p[k] = fmtDate(new Date(String(p[k])));
  const generic = ctx.t("wizard:err.generic", { code: e.code });
  return ctx.t(`wizard:err.${e.code}`, {
    ...p,
    defaultValue: ctx.t(`errors:${e.code}`, { ...p, defaultValue: generic }),
  });
}

/** One line per error, in the person's language, grouped by section in form order. */
export function errorLines(
  ctx: AppContext,
  errors: readonly DomainError[],
  names: Names,
  regions: readonly RegionRef[] = [],
): string[] {
  const bySection: Record<Section, string[]> = { A: [], R: [], C: [], D: [] };
  const seen = new Set<string>();
  // One line per production base for its empty mandatory fields (instead of one line per field).
  const emptyByBase = new Map<number, string[]>();
  const rest: DomainError[] = [];
  for (const e of errors) {
    const m = e.field?.match(/^C\.(\d+)\.(C\d)$/);
    if (m && (e.code === "required" || e.code === "ses_file_required")) {
      const i = Number(m[1]);
      emptyByBase.set(i, [...(emptyByBase.get(i) ?? []), ctx.t(`wizard:field.${m[2]}`)]);
    } else rest.push(e);
  }
  for (const [i, fields] of [...emptyByBase].sort((a, b) => a[0] - b[0]))
    bySection.C.push(
      `• <b>${ctx.t("wizard:section.C")}</b> (${ctx.t("wizard:field.base_short", { n: i + 1 })}): ${ctx.t(
        "wizard:err.base_empty",
        {
          fields: fields.join(", "),
        },
      )}`,
    );
  // the section-level M3 first, then the bases
  rest.sort((a, b) => Number(b.field === "C") - Number(a.field === "C"));
  for (const e of rest) {
    const field = fieldLabel(ctx, e.field);
    const section = sectionOf(e);
    const line = `• <b>${ctx.t(`wizard:section.${section}`)}</b>${field ? ` (${field})` : ""}: ${errorLine(ctx, e, names, regions)}`;
    if (!seen.has(line)) {
      seen.add(line);
      bySection[section].push(line);
    }
  }
  const lines: string[] = [];
  // at most MAX_PER_SECTION lines each, so one long section cannot hide the others
  for (const s of ["A", "R", "C", "D"] as const) {
    const list = bySection[s];
    lines.push(...list.slice(0, MAX_PER_SECTION));
    if (list.length > MAX_PER_SECTION)
      lines.push(`  ${ctx.t("wizard:err.more", { count: list.length - MAX_PER_SECTION })}`);
  }
  return lines;
}

function fieldLabel(ctx: AppContext, field: string | undefined): string {
  if (!field) return "";
  const m = field.match(/^C\.(\d+)\.(C\d)$/);
  if (m) return ctx.t("wizard:field.base", { n: Number(m[1]) + 1, field: ctx.t(`wizard:field.${m[2]}`) });
  return ctx.t(`wizard:field.${field}`, { defaultValue: field });
}
