// «Сохранить»: build the domain's plain draft and context from the database and run validateForSave.
// Errors come back as codes; errorLines() turns them into the user's language with the section to fix.
import type { AppContext } from "../../bot/context.ts";
import { escapeHtml } from "../../bot/i18n.ts";
import { draftLicence, requirementClassifiers } from "../../bot/services/licensing.ts";
import {
  type DraftApplication,
  type SaveContext,
  type SaveMode,
  type ValidationReport,
  validateForSave,
} from "../../domain/rules.ts";
import { OPEN_STATUSES, type DomainError } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { katoByCodes } from "../../prisma/store/kato.ts";
import { type LockedFields, readProgress } from "./progress.ts";
import { type DraftFull, loadDraft } from "./repo.ts";

const NONE: ReadonlySet<string> = new Set();

export function toDomainDraft(
  app: DraftFull,
  leafCodes: ReadonlySet<string>,
  knownCodes: ReadonlySet<string>,
  inactiveCodes: ReadonlySet<string> = NONE,
): DraftApplication {
  return {
    identity: { nameKk: app.org.nameKk, nameRu: app.org.nameRu, bin: app.org.bin },
    ownershipFormCode: app.ownershipFormCode,
    asSupplier: app.asSupplier,
    asCoExecutor: app.asCoExecutor,
    supplierSubtypes: app.supplierSubtypes,
    coExecutorSubtypes: app.coExecutorSubtypes,
    regionCode: app.regionCode,
    hasPharmacy: app.hasPharmacy,
    bases: app.bases.map((b) => ({
      address: b.address,
      latitude: b.latitude,
      longitude: b.longitude,
      katoCode: b.katoCode,
      katoIsLeaf: b.katoCode && knownCodes.has(b.katoCode) ? leafCodes.has(b.katoCode) : null,
      katoActive: b.katoCode && knownCodes.has(b.katoCode) ? !inactiveCodes.has(b.katoCode) : null,
      coordsConfirmed: b.coordsConfirmed,
      sesFileId: b.sesFileId,
      subtypes: b.subtypes,
    })),
    registrationFileIds: app.documents.filter((d) => d.kind === "REGISTRATION").map((d) => d.fileId),
    powerOfAttorneyFileIds: app.documents.filter((d) => d.kind === "POWER_OF_ATTORNEY").map((d) => d.fileId),
    licences: app.licences.map(({ licence }) => draftLicence(licence)),
  };
}

export function saveMode(app: Pick<DraftFull, "versionNo">, saved: boolean): SaveMode {
  return app.versionNo > 1 ? "MAKE_CHANGES" : saved ? "EDIT" : "CREATE";
}

/** What «Сохранить» records as locked (progress.locked): A1–A3 and A4 as saved. */
export function lockedFields(app: DraftFull): LockedFields {
  return {
    nameKk: app.org.nameKk,
    nameRu: app.org.nameRu,
    bin: app.org.bin,
    ownershipFormCode: app.ownershipFormCode,
  };
}

/**
 * The snapshot the domain's immutability check (§3.7) compares the draft with: for «Внести изменение»
 * (MAKE_CHANGES) the version the changes are made to; for an edit of a saved draft (EDIT) the draft as it
 * was saved — its locked fields from the last «Сохранить»; nothing before the first save (CREATE).
 */
export async function previousDraft(
  prisma: PrismaClient,
  app: DraftFull,
  draft: DraftApplication,
): Promise<DraftApplication | null> {
  if (app.versionNo > 1) {
    const prev = app.previousId ? await loadDraft(prisma, app.previousId) : null;
    return prev ? toDomainDraft(prev, NONE, NONE) : null;
  }
  const p = readProgress(app.progress);
  if (!p.saved || !p.locked) return null;
  const { ownershipFormCode, ...identity } = p.locked;
  return { ...draft, identity, ownershipFormCode };
}

/** Everything validateForSave needs, read from the database (the mode from the draft's progress). */
export async function validateDraft(
  prisma: PrismaClient,
  app: DraftFull,
  now: Date,
): Promise<ValidationReport> {
  const saved = Boolean(readProgress(app.progress).saved);
  const katoCodes = app.bases.map((b) => b.katoCode).filter((c): c is string => !!c);
  const [katos, subtypes, requirements, codes, forms, regions, links, files, excluded, open] =
    await Promise.all([
      katoByCodes(prisma, katoCodes).then((m) => [...m.values()]),
      prisma.careSubtype.findMany(),
      prisma.careSubtypeRequirement.findMany(),
      prisma.licenceCode.findMany({ select: { code: true, parentCode: true } }),
      prisma.ownershipForm.findMany({ select: { code: true } }),
      prisma.region.findMany({ select: { code: true, katoCode: true } }),
      prisma.organisationLink.findMany({ where: { orgId: app.orgId }, select: { linkedBin: true } }),
      prisma.storedFile.findMany({
        where: {
          id: {
            in: [
              ...app.documents.map((d) => d.fileId),
              ...app.bases.map((b) => b.sesFileId).filter((x): x is string => !!x),
            ],
          },
        },
        select: { id: true, size: true, mimeType: true },
      }),
      prisma.application.findFirst({
        where: { org: { bin: app.org.bin }, excludedAt: { not: null } },
        orderBy: { excludedAt: "desc" },
        select: { excludedAt: true },
      }),
      prisma.application.findMany({
        where: { orgId: app.orgId, status: { in: [...OPEN_STATUSES] } },
        select: { id: true, regionCode: true },
      }),
    ]);
  const draft = toDomainDraft(
    app,
    new Set(katos.filter((k) => k.isLeaf).map((k) => k.code)),
    new Set(katos.map((k) => k.code)),
    new Set(katos.filter((k) => !k.active).map((k) => k.code)),
  );
  const ctx: SaveContext = {
    subtypes,
    ...requirementClassifiers(requirements, codes),
    ownershipForms: forms.map((f) => f.code),
    regions: regions.map((r) => r.code),
    regionKatoCodes: Object.fromEntries(regions.map((r) => [r.code, r.katoCode])),
    now,
    owner: { bin: app.org.bin, linkedBins: links.map((l) => l.linkedBin) },
    files: Object.fromEntries(files.map((f) => [f.id, { size: f.size, mimeType: f.mimeType }])),
    mode: saveMode(app, saved),
    previous: await previousDraft(prisma, app, draft),
    applicationId: app.id,
    lastExclusionAt: excluded?.excludedAt ?? null,
    openApplications: open,
  };
  return validateForSave(draft, ctx);
}

/** "A" | "R" | "C" | "D" – the wizard section where an error is fixed. */
export function sectionOf(e: DomainError): "A" | "R" | "C" | "D" {
  const f = e.field ?? "";
  if (f === "A8") return "R";
  if (f.startsWith("A")) return "A";
  if (f.startsWith("C")) return "C";
  if (f.startsWith("D")) return "D";
  return e.code === "excluded_less_than_3_years" ? "A" : "D";
}

/** One line per error, in the user's language: «Раздел …: текст». */
export async function errorLines(ctx: AppContext, errors: DomainError[]): Promise<string[]> {
  const subtypeNames = new Map(
    (await ctx.deps.prisma.careSubtype.findMany()).map((s) => [
      s.code,
      ctx.lang === "kk" ? s.nameKk : s.nameRu,
    ]),
  );
  // plausibility errors name the region by its top-level КАТО code
  const regionNames = errors.some((e) => typeof e.params?.region === "string")
    ? new Map(
        (await ctx.deps.prisma.region.findMany()).map((r) => [
          r.katoCode,
          ctx.lang === "kk" ? r.nameKk : r.nameRu,
        ]),
      )
    : new Map<string, string>();
  const lines: string[] = [];
  const bySection: Record<"A" | "R" | "C" | "D", string[]> = { A: [], R: [], C: [], D: [] };
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
        { fields: fields.join(", ") },
      )}`,
    );
  // the section-level M3 first, then the bases
  rest.sort((a, b) => Number(b.field === "C") - Number(a.field === "C"));
  for (const e of rest) {
    const p = { ...(e.params ?? {}) } as Record<string, string | number>;
    if (typeof p.subtype === "string") p.subtype = escapeHtml(subtypeNames.get(p.subtype) ?? p.subtype);
    if (typeof p.region === "string") p.region = escapeHtml(regionNames.get(p.region) ?? p.region);
    if (typeof p.missing === "string")
      p.missing = escapeHtml(
        p.missing
          .split(",")
          .map((c) => subtypeNames.get(c) ?? c)
          .join("; "),
      );
    for (const k of ["excludedAt", "allowedFrom", "fetchedAt"])
      if (typeof p[k] === "string") p[k] = String(p[k]).slice(0, 10);
    const field = fieldLabel(ctx, e.field);
    // codes without a wizard wording (the plausibility rules) read from the errors namespace
    const text = ctx.t([`wizard:err.${e.code}`, `errors:${e.code}`], {
      ...p,
      field,
      defaultValue: ctx.t("wizard:err.generic", { code: e.code }),
    });
    const section = sectionOf(e);
    const line = `• <b>${ctx.t(`wizard:section.${section}`)}</b>${field ? ` (${field})` : ""}: ${text}`;
    if (!seen.has(line)) {
      seen.add(line);
      bySection[section].push(line);
    }
  }
  // form order; at most MAX_PER_SECTION lines each, so one long section cannot hide the others
  for (const s of ["A", "R", "C", "D"] as const) {
    const list = bySection[s];
    lines.push(...list.slice(0, MAX_PER_SECTION));
    if (list.length > MAX_PER_SECTION)
      lines.push(`  ${ctx.t("wizard:err.more", { count: list.length - MAX_PER_SECTION })}`);
  }
  return lines;
}

const MAX_PER_SECTION = 8;

function fieldLabel(ctx: AppContext, field: string | undefined): string {
  if (!field) return "";
  const m = field.match(/^C\.(\d+)\.(C\d)$/);
  if (m) return ctx.t("wizard:field.base", { n: Number(m[1]) + 1, field: ctx.t(`wizard:field.${m[2]}`) });
  return ctx.t(`wizard:field.${field}`, { defaultValue: field });
}
