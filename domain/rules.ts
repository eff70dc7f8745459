// Validation of the application form (SPEC §3.3–§3.5, §3.7; DECISIONS 2, 5, 7, 8, 18).
// Pure functions over a plain draft; classifiers and facts from the store are passed in.
// Field ids are the form ids of SPEC §3.3: "A4".."A9", "C" (section), "C.<i>.C2".."C.<i>.C7" (base i, 0-based),
// "D1".."D3". Error params carry `row` (1-based) for production bases.
import {
  type LicenceData,
  type LicenceOwner,
  isDisplayable,
  isFresh,
  licenceActivityCode,
  licenceEligibilityErrors,
  licenceHasCode,
} from "./licences.ts";
import type { DomainError, SubjectRole } from "./types.ts";
import {
  coordinatesPlausibility,
  KAZAKHSTAN_BOUNDS,
  katoRegionErrors,
  latitudeErrors,
  longitudeErrors,
  parseCoordinate,
  validateCoordinates,
} from "./plausibility.ts";

// The coordinates rule lives in plausibility.ts (one rule for the wizard and the save); re-exported here.
export { KAZAKHSTAN_BOUNDS, latitudeErrors, longitudeErrors, parseCoordinate, validateCoordinates };
import { ALLOWED_MIME_TYPES, MAX_FILE_BYTES } from "./types.ts";

// ───────────── the draft ─────────────

/** Section C: one production base. */
export interface DraftBase {
  /** C2, from the licence appendices. */
  address: string;
  /** C3 / C4, decimal degrees. */
  latitude: number | null;
  longitude: number | null;
  /** C5, 9-digit КАТО code. */
  katoCode: string | null;
  /** True when the chosen КАТО object has no children (the wizard knows it from the tree). */
  katoIsLeaf: boolean | null;
  /** False when the object is not in the edition in force (kept for old applications only). */
  katoActive?: boolean | null;
  /** Coordinates the supplier confirmed despite a plausibility warning (plausibility.ts confirmationKey). */
  coordsConfirmed?: string | null;
  /** C6, the stored SES permit file. */
  sesFileId: string | null;
  /** C7, care subtypes served at this address. */
  subtypes: readonly string[];
}

/** A licence attached to the draft (D1), with the moment its data were fetched. */
export interface DraftLicence extends LicenceData {
  id?: string;
  fetchedAt: Date;
}

/** Read-only identity (A1–A3), from the registration data; only compared for immutability. */
export interface DraftIdentity {
  nameKk: string;
  nameRu: string;
  bin: string;
}

/** The application form (SPEC §3.3, sections A, C, D). Section B is read-only and not validated. */
export interface DraftApplication {
  identity?: DraftIdentity;
  /** A4 */
  ownershipFormCode: string | null;
  /** A5: «Поставщик» and/or «Соисполнитель». */
  asSupplier: boolean;
  asCoExecutor: boolean;
  /** A6 / A7 */
  supplierSubtypes: readonly string[];
  coExecutorSubtypes: readonly string[];
  /** A8 */
  regionCode: string | null;
  /** A9: null = not answered (or not applicable). */
  hasPharmacy: boolean | null;
  bases: readonly DraftBase[];
  /** D2 (mandatory) */
  registrationFileIds: readonly string[];
  /** D3 (optional) */
  powerOfAttorneyFileIds: readonly string[];
  /** D1 */
  licences: readonly DraftLicence[];
}

// ───────────── classifier data ─────────────

export interface CareSubtypeInfo {
  code: string;
  /** «ПМСП по комплексному подушевому нормативу»: enables A9. */
  isPhc: boolean;
  asSupplier: boolean;
  asCoExecutor: boolean;
  sort?: number;
}

/** R1–R3 as data (CareSubtypeRequirement). */
export interface SubtypeRequirement {
  subtypeCode: string;
  asStatus: SubjectRole;
  /** Licence (sub)code required, e.g. "A15B", "L61I", "L64A". */
  licenceCode: string;
  /** "PHARMACY": only when A9 = «Да» (R1). */
  condition: null | "PHARMACY";
  ruleId: string;
}

export interface Classifiers {
  subtypes: readonly CareSubtypeInfo[];
  requirements: readonly SubtypeRequirement[];
  /** Licence subcode → activity type (LicenceCode.parentCode); falls back to the code's prefix. */
  licenceParents?: Readonly<Record<string, string>>;
  /** Known ownership-form codes (A4); unchecked when absent. */
  ownershipForms?: readonly string[];
  /** Known region codes (A8); unchecked when absent. */
  regions?: readonly string[];
  /** Region code → its top-level КАТО code (plausibility of the bases); unchecked when absent. */
  regionKatoCodes?: Readonly<Record<string, string>>;
}

export interface FileMeta {
  size: number;
  mimeType: string;
}

export interface SectionContext extends Classifiers {
  now: Date;
  /** The organisation's own and linked BINs: licences of other holders are refused. */
  owner?: LicenceOwner;
  /** Metadata of the referenced files, to re-check V7 at save. */
  files?: Readonly<Record<string, FileMeta>>;
}

export type SaveMode = "CREATE" | "EDIT" | "MAKE_CHANGES";

export interface SaveContext extends SectionContext {
  /** CREATE (T1), EDIT (T2, ownership form locked) or MAKE_CHANGES (T20, ownership form editable). */
  mode: SaveMode;
  /** EDIT: the stored draft; MAKE_CHANGES: the version the changes are made to. */
  previous?: DraftApplication | null;
  /** The application being saved (EDIT), excluded from the one-open-application check. */
  applicationId?: string | null;
  /** DECISIONS 7: the latest exclusion (X7) of any application of this IIN/BIN, any region. */
  lastExclusionAt: Date | null;
  /** DECISIONS 8: the organisation's applications in an open status (OPEN_STATUSES). */
  openApplications: readonly { id: string; regionCode: string | null }[];
}

export interface ValidationReport {
  ok: boolean;
  errors: DomainError[];
  /** Not blocking (e.g. coordinates outside Kazakhstan). */
  warnings: DomainError[];
}

/** Error and warning codes of this module (the bot maps each to a kk/ru text). */
export const RULES_ERROR_CODES = [
  "required", // V1, V2 (M1 «Это обязательное поле»)
  "unknown_value", // A4 / A8 not in the reference list
  "subtypes_without_status", // A6/A7 filled without «Поставщик»/«Соисполнитель» in A5
  "subtype_not_available", // A6/A7/C7 not allowed by the licence appendices or the classifier
  "pharmacy_not_applicable", // A9 answered without a PHC subtype
  "base_without_subtypes", // V3 (M2)
  "bases_do_not_cover_subtypes", // V4 (M3)
  "ses_file_required", // V5
  "kato_invalid", // C5 not 9 digits
  "kato_not_leaf", // V6
  "kato_inactive", // C5 not in the КАТО edition in force
  "kato_outside_region", // C5 outside the region of A8 (plausibility)
  "latitude_out_of_range", // C3
  "longitude_out_of_range", // C4
  "file_empty", // V7
  "file_too_large", // V7 (M7)
  "file_type_not_allowed", // DECISIONS 18
  "licences_required", // D1: at least one licence
  "licence_not_eligible", // D1: fails the §2.4 filter
  "licence_bin_not_allowed", // D1: not own / linked BIN
  "licences_stale", // DECISIONS 1: fetched more than 24 h ago
  "licence_required", // R1–R3 (blocking at save)
  "registration_file_required", // V8
  "excluded_less_than_3_years", // G6 / V10
  "open_application_exists", // DECISIONS 8
  "field_immutable", // §3.7
] as const;
export const RULES_WARNING_CODES = ["coordinates_outside_kazakhstan", "coordinates_outside_region"] as const;

// ───────────── constants (DECISIONS: change here) ─────────────

/** G6 / DECISIONS 7. */
export const EXCLUSION_WAIT_YEARS = 3;

const baseField = (i: number, id: string) => `C.${i}.${id}`;
const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

// ───────────── files and coordinates ─────────────

/** V7 / G5 / DECISIONS 18: ≤ 20 MB, PDF/JPEG/PNG, not empty. */
export function validateFile(file: FileMeta, field?: string): DomainError[] {
  const errors: DomainError[] = [];
  const at = field === undefined ? {} : { field };
  if (!Number.isFinite(file.size) || file.size <= 0) errors.push({ code: "file_empty", ...at });
  else if (file.size > MAX_FILE_BYTES)
    errors.push({ code: "file_too_large", ...at, params: { size: file.size, max: MAX_FILE_BYTES } });
  const mime = file.mimeType.toLowerCase().trim();
  if (!(ALLOWED_MIME_TYPES as readonly string[]).includes(mime))
    errors.push({ code: "file_type_not_allowed", ...at, params: { mimeType: file.mimeType } });
  return errors;
}

// ───────────── subtypes and licences ─────────────

/**
 * A6/A7 options: the care subtypes listed in the appendices of the eligible licences (SPEC §2.4), limited
 * to those the classifier allows for the status. With a catalogue, unknown codes are dropped and the
 * catalogue order is kept; without one, the appendix order is kept.
 */
export function availableSubtypes(
  licences: readonly Pick<LicenceData, "activityCode" | "category" | "type" | "status" | "appendices">[],
  status: SubjectRole,
  catalogue?: readonly CareSubtypeInfo[],
): string[] {
  const fromLicences = unique(
    licences.filter(isDisplayable).flatMap((l) => l.appendices.flatMap((a) => [...a.careSubtypes])),
  );
  if (!catalogue) return fromLicences;
  const allowed = new Set(fromLicences);
  return [...catalogue]
    .map((s, i) => ({ s, i }))
    .sort((x, y) => (x.s.sort ?? 0) - (y.s.sort ?? 0) || x.i - y.i)
    .map(({ s }) => s)
    .filter((s) => allowed.has(s.code) && (status === "SUPPLIER" ? s.asSupplier : s.asCoExecutor))
    .map((s) => s.code);
}

/** I-PHARMACY: A9 exists iff A6 (as supplier) contains a PHC subtype. */
export function isPharmacyQuestionAvailable(
  draft: Pick<DraftApplication, "asSupplier" | "supplierSubtypes">,
  classifiers: Pick<Classifiers, "subtypes" | "requirements">,
): boolean {
  if (!draft.asSupplier) return false;
  const phc = new Set([
    ...classifiers.subtypes.filter((s) => s.isPhc).map((s) => s.code),
    ...classifiers.requirements.filter((r) => r.condition === "PHARMACY").map((r) => r.subtypeCode),
  ]);
  return draft.supplierSubtypes.some((s) => phc.has(s));
}

/** One licence requirement that applies to the draft (R1–R3), and whether D1 satisfies it. */
export interface LicenceNotice {
  subtype: string;
  asStatus: SubjectRole;
  licenceCode: string;
  activityCode: string;
  ruleId: string;
  satisfied: boolean;
}

/**
 * The requirements of R1–R3 that apply to the chosen subtypes (R1 only when A9 = «Да»), each with
 * `satisfied` = an eligible licence in D1 carries the code. The head's M4 messages (SPEC §3.6) are
 * the unsatisfied items; `onlyMissing: false` lists every applicable requirement.
 */
export function licenceNotices(
  draft: Pick<
    DraftApplication,
    "asSupplier" | "asCoExecutor" | "supplierSubtypes" | "coExecutorSubtypes" | "hasPharmacy" | "licences"
  >,
  classifiers: Pick<Classifiers, "requirements" | "licenceParents">,
  options: { onlyMissing?: boolean } = {},
): LicenceNotice[] {
  const onlyMissing = options.onlyMissing ?? true;
  const eligible = draft.licences.filter(isDisplayable);
  const chosen: Record<SubjectRole, readonly string[]> = {
    SUPPLIER: draft.asSupplier ? draft.supplierSubtypes : [],
    CO_EXECUTOR: draft.asCoExecutor ? draft.coExecutorSubtypes : [],
  };
  const result: LicenceNotice[] = [];
  const seen = new Set<string>();
  for (const r of classifiers.requirements) {
    if (!chosen[r.asStatus].includes(r.subtypeCode)) continue;
    if (r.condition === "PHARMACY" && draft.hasPharmacy !== true) continue;
    const key = `${r.subtypeCode}|${r.asStatus}|${r.licenceCode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const satisfied = eligible.some((l) => licenceHasCode(l, r.licenceCode));
    if (onlyMissing && satisfied) continue;
    result.push({
      subtype: r.subtypeCode,
      asStatus: r.asStatus,
      licenceCode: r.licenceCode,
      activityCode: licenceActivityCode(r.licenceCode, classifiers.licenceParents),
      ruleId: r.ruleId,
      satisfied,
    });
  }
  return result;
}

// ───────────── sections ─────────────

function checkFiles(
  ids: readonly string[],
  field: string,
  ctx: Pick<SectionContext, "files">,
): DomainError[] {
  if (!ctx.files) return [];
  return ids.flatMap((id) => {
    const meta = ctx.files?.[id];
    return meta ? validateFile(meta, field).map((e) => ({ ...e, params: { ...e.params, fileId: id } })) : [];
  });
}

/** Section A (A4–A9). */
export function validateSectionA(draft: DraftApplication, ctx: Classifiers): DomainError[] {
  const errors: DomainError[] = [];
  if (!draft.ownershipFormCode) errors.push({ code: "required", field: "A4" });
  else if (ctx.ownershipForms && !ctx.ownershipForms.includes(draft.ownershipFormCode))
    errors.push({ code: "unknown_value", field: "A4", params: { value: draft.ownershipFormCode } });

  if (!draft.asSupplier && !draft.asCoExecutor) errors.push({ code: "required", field: "A5" });

  const sides: { status: SubjectRole; on: boolean; subtypes: readonly string[]; field: string }[] = [
    { status: "SUPPLIER", on: draft.asSupplier, subtypes: draft.supplierSubtypes, field: "A6" },
    { status: "CO_EXECUTOR", on: draft.asCoExecutor, subtypes: draft.coExecutorSubtypes, field: "A7" },
  ];
  for (const side of sides) {
    if (side.on && side.subtypes.length === 0) errors.push({ code: "required", field: side.field });
    if (!side.on && side.subtypes.length > 0)
      errors.push({ code: "subtypes_without_status", field: side.field, params: { asStatus: side.status } });
    if (side.on) {
      const offered = new Set(availableSubtypes(draft.licences, side.status, ctx.subtypes));
      for (const s of unique(side.subtypes))
        if (!offered.has(s))
          errors.push({
            code: "subtype_not_available",
            field: side.field,
            params: { subtype: s, asStatus: side.status },
          });
    }
  }

  if (!draft.regionCode) errors.push({ code: "required", field: "A8" });
  else if (ctx.regions && !ctx.regions.includes(draft.regionCode))
    errors.push({ code: "unknown_value", field: "A8", params: { value: draft.regionCode } });

  const pharmacy = isPharmacyQuestionAvailable(draft, ctx);
  if (pharmacy && draft.hasPharmacy === null) errors.push({ code: "required", field: "A9" });
  if (!pharmacy && draft.hasPharmacy !== null) errors.push({ code: "pharmacy_not_applicable", field: "A9" });
  return errors;
}

/**
 * Section C (production bases): V3, V4, V5, V6, C3/C4 ranges, V7 for SES files; plausibility: the КАТО
 * inside the region (error), unconfirmed coordinate warnings (outside Kazakhstan / the region's box).
 */
export function validateSectionC(
  draft: DraftApplication,
  ctx: Classifiers & Pick<SectionContext, "files">,
): { errors: DomainError[]; warnings: DomainError[] } {
  const errors: DomainError[] = [];
  const warnings: DomainError[] = [];
  if (draft.bases.length === 0) {
    errors.push({ code: "required", field: "C" });
    return { errors, warnings };
  }
  const regionKato = (draft.regionCode && ctx.regionKatoCodes?.[draft.regionCode]) || null;
  const offered = new Set([
    ...availableSubtypes(draft.licences, "SUPPLIER", ctx.subtypes),
    ...availableSubtypes(draft.licences, "CO_EXECUTOR", ctx.subtypes),
  ]);
  draft.bases.forEach((base, i) => {
    const row = i + 1;
    if (!base.address.trim()) errors.push({ code: "required", field: baseField(i, "C2"), params: { row } });
    if (base.latitude === null) errors.push({ code: "required", field: baseField(i, "C3"), params: { row } });
    if (base.longitude === null)
      errors.push({ code: "required", field: baseField(i, "C4"), params: { row } });
    const at = (e: DomainError): DomainError => ({ ...e, params: { ...e.params, row } });
    if (base.latitude !== null && base.longitude !== null) {
      const c = coordinatesPlausibility(base, regionKato, `C.${i}.`);
      errors.push(...c.errors.map(at));
      warnings.push(...c.warnings.map(at));
    } else {
      // one coordinate given: still check its range
      if (base.latitude !== null) errors.push(...latitudeErrors(base.latitude, baseField(i, "C3")).map(at));
      if (base.longitude !== null)
        errors.push(...longitudeErrors(base.longitude, baseField(i, "C4")).map(at));
    }
    if (!base.katoCode) errors.push({ code: "required", field: baseField(i, "C5"), params: { row } });
    else if (!/^\d{9}$/.test(base.katoCode))
      errors.push({ code: "kato_invalid", field: baseField(i, "C5"), params: { row, value: base.katoCode } });
    else if (base.katoIsLeaf !== true)
      errors.push({ code: "kato_not_leaf", field: baseField(i, "C5"), params: { row } });
    else if (base.katoActive === false)
      errors.push({
        code: "kato_inactive",
        field: baseField(i, "C5"),
        params: { row, value: base.katoCode },
      });
    else errors.push(...katoRegionErrors(base.katoCode, regionKato, baseField(i, "C5")).map(at));
    if (!base.sesFileId)
      errors.push({ code: "ses_file_required", field: baseField(i, "C6"), params: { row } });
    else
      errors.push(
        ...checkFiles([base.sesFileId], baseField(i, "C6"), ctx).map((e) => ({
          ...e,
          params: { ...e.params, row },
        })),
      );
    if (base.subtypes.length === 0)
      errors.push({ code: "base_without_subtypes", field: baseField(i, "C7"), params: { row } });
    for (const s of unique(base.subtypes))
      if (!offered.has(s))
        errors.push({
          code: "subtype_not_available",
          field: baseField(i, "C7"),
          params: { subtype: s, row },
        });
  });
  const covered = new Set(draft.bases.flatMap((b) => [...b.subtypes]));
  const missing = unique([...draft.supplierSubtypes, ...draft.coExecutorSubtypes]).filter(
    (s) => !covered.has(s),
  );
  if (missing.length > 0)
    errors.push({ code: "bases_do_not_cover_subtypes", field: "C", params: { missing: missing.join(",") } });
  return { errors, warnings };
}

/** Section D: D1 (≥1 eligible, own/linked, fresh licence; R1–R3 blocking), D2 mandatory, V7 for D2/D3. */
export function validateSectionD(draft: DraftApplication, ctx: SectionContext): DomainError[] {
  const errors: DomainError[] = [];
  if (draft.licences.length === 0) errors.push({ code: "licences_required", field: "D1" });
  errors.push(...licenceEligibilityErrors(draft.licences, ctx.owner));
  const stale = draft.licences.filter((l) => !isFresh(l.fetchedAt, ctx.now));
  if (stale.length > 0) {
    const oldest = stale.reduce((a, b) => (a.fetchedAt.getTime() <= b.fetchedAt.getTime() ? a : b));
    errors.push({
      code: "licences_stale",
      field: "D1",
      params: { fetchedAt: oldest.fetchedAt.toISOString() },
    });
  }
  for (const n of licenceNotices(draft, ctx))
    errors.push({
      code: "licence_required",
      field: "D1",
      params: {
        subtype: n.subtype,
        licenceCode: n.licenceCode,
        activityCode: n.activityCode,
        ruleId: n.ruleId,
        asStatus: n.asStatus,
      },
    });
  if (draft.registrationFileIds.length === 0)
    errors.push({ code: "registration_file_required", field: "D2" });
  errors.push(...checkFiles(draft.registrationFileIds, "D2", ctx));
  errors.push(...checkFiles(draft.powerOfAttorneyFileIds, "D3", ctx));
  return errors;
}

export type Section = "A" | "C" | "D";

/** Per-step validation for the wizard (same codes as at save). */
export function validateSection(
  section: Section,
  draft: DraftApplication,
  ctx: SectionContext,
): ValidationReport {
  let errors: DomainError[] = [];
  let warnings: DomainError[] = [];
  if (section === "A") errors = validateSectionA(draft, ctx);
  else if (section === "C") ({ errors, warnings } = validateSectionC(draft, ctx));
  else errors = validateSectionD(draft, ctx);
  return { ok: errors.length === 0, errors, warnings };
}

// ───────────── save-time global rules ─────────────

/** The moment a new application may be saved again after an exclusion (G6: 3 full years). */
export function exclusionWaitEnds(excludedAt: Date, years: number = EXCLUSION_WAIT_YEARS): Date {
  const d = new Date(excludedAt.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** G6 / V10 / DECISIONS 7: per IIN/BIN, any region; blocked until 3 years after the X7 decision. */
export function checkExclusionWait(lastExclusionAt: Date | null, now: Date): DomainError[] {
  if (!lastExclusionAt) return [];
  const allowedFrom = exclusionWaitEnds(lastExclusionAt);
  if (now.getTime() >= allowedFrom.getTime()) return [];
  return [
    {
      code: "excluded_less_than_3_years",
      params: { excludedAt: lastExclusionAt.toISOString(), allowedFrom: allowedFrom.toISOString() },
    },
  ];
}

/** DECISIONS 8: at most one open application per organisation and region. */
export function checkOneOpenPerRegion(
  regionCode: string | null,
  openApplications: readonly { id: string; regionCode: string | null }[],
  selfId?: string | null,
): DomainError[] {
  if (!regionCode) return [];
  const other = openApplications.find((a) => a.regionCode === regionCode && a.id !== selfId);
  return other
    ? [{ code: "open_application_exists", field: "A8", params: { applicationId: other.id, regionCode } }]
    : [];
}

/**
 * §3.7 / I-IDENTITY: names and IIN/BIN never change; the ownership form (A4) is locked on EDIT (T2) and
 * editable on MAKE_CHANGES (T20). Nothing is locked on CREATE.
 */
export function validateImmutable(
  before: DraftApplication | null | undefined,
  after: DraftApplication,
  mode: SaveMode,
): DomainError[] {
  if (mode === "CREATE" || !before) return [];
  const errors: DomainError[] = [];
  if (before.identity && after.identity) {
    if (before.identity.nameKk !== after.identity.nameKk)
      errors.push({ code: "field_immutable", field: "A1", params: { field: "nameKk" } });
    if (before.identity.nameRu !== after.identity.nameRu)
      errors.push({ code: "field_immutable", field: "A2", params: { field: "nameRu" } });
    if (before.identity.bin !== after.identity.bin)
      errors.push({ code: "field_immutable", field: "A3", params: { field: "bin" } });
  }
  if (mode === "EDIT" && before.ownershipFormCode !== after.ownershipFormCode)
    errors.push({ code: "field_immutable", field: "A4", params: { field: "ownershipFormCode" } });
  return errors;
}

/**
 * «Сохранить» (T1, T2, T20): every error at once (V1–V10, R1–R3 blocking per DECISIONS 2, G6, DECISIONS 8,
 * immutable fields), plus non-blocking warnings.
 */
export function validateForSave(draft: DraftApplication, ctx: SaveContext): ValidationReport {
  const c = validateSectionC(draft, ctx);
  const errors = [
    ...validateImmutable(ctx.previous, draft, ctx.mode),
    ...validateSectionA(draft, ctx),
    ...c.errors,
    ...validateSectionD(draft, ctx),
    ...checkExclusionWait(ctx.lastExclusionAt, ctx.now),
    ...checkOneOpenPerRegion(draft.regionCode, ctx.openApplications, ctx.applicationId),
  ];
  return { ok: errors.length === 0, errors, warnings: c.warnings };
}

/** An empty draft (T1 start): nothing chosen. */
export function emptyDraft(): DraftApplication {
  return {
    ownershipFormCode: null,
    asSupplier: false,
    asCoExecutor: false,
    supplierSubtypes: [],
    coExecutorSubtypes: [],
    regionCode: null,
    hasPharmacy: null,
    bases: [],
    registrationFileIds: [],
    powerOfAttorneyFileIds: [],
    licences: [],
  };
}
