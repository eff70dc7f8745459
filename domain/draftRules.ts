// Rules of the draft that the wizard and «Сохранить» share (pure): which licences belong to D1 (issue 10: only
// those whose codes match a selected subtype), the included application that a new one in the same region must
// not duplicate (issue 14: use «Внести изменение»), and what a new application or version takes over from the
// organisation's previous one ("nothing typed twice"), each item confirmed by the supplier before it counts.
import { type BaseInput, refreshBases } from "./drafts.ts";
import { type LicenceData, licenceHasCode } from "./licences.ts";
import { type Classifiers, type FileMeta, validateFile } from "./rules.ts";
import { TRANSITIONS } from "./transitions.ts";
import type { DomainError, Status, SubjectRole } from "./types.ts";

/** Error codes of this module (each has a kk and ru text in locales/{kk,ru}/errors.json). */
export const DRAFT_RULE_ERROR_CODES = ["included_exists_use_changes", "prefill_unconfirmed"] as const;

/** What the supplier chose in Section A (the inputs of D1). */
export interface Selection {
  asSupplier: boolean;
  asCoExecutor: boolean;
  supplierSubtypes: readonly string[];
  coExecutorSubtypes: readonly string[];
  hasPharmacy: boolean | null;
}

const chosen = (s: Selection): Record<SubjectRole, readonly string[]> => ({
  SUPPLIER: s.asSupplier ? s.supplierSubtypes : [],
  CO_EXECUTOR: s.asCoExecutor ? s.coExecutorSubtypes : [],
});

/**
 * D1 (DECISIONS 1, issue 10): the licences of the fetched pool that belong to the application — those whose
 * appendices allow a selected subtype (the L60 appendices list the care subtypes), and those carrying a licence
 * code a selected subtype requires (R1–R3, R1 only with A9 «Да»). Pool order is kept; nothing selected → none.
 */
export function d1Licences<L extends Pick<LicenceData, "activityCode" | "appendices">>(
  pool: readonly L[],
  selection: Selection,
  classifiers: Pick<Classifiers, "requirements">,
): L[] {
  const by = chosen(selection);
  const subtypes = new Set([...by.SUPPLIER, ...by.CO_EXECUTOR]);
  if (subtypes.size === 0) return [];
  const codes = new Set(
    classifiers.requirements
      .filter((r) => by[r.asStatus].includes(r.subtypeCode))
      .filter((r) => r.condition !== "PHARMACY" || selection.hasPharmacy === true)
      .map((r) => r.licenceCode),
  );
  return pool.filter(
    (l) =>
      l.appendices.some((a) => a.careSubtypes.some((c) => subtypes.has(c))) ||
      [...codes].some((code) => licenceHasCode(l, code)),
  );
}

/** The statuses of an application in the register: where a final inclusion of the Fund leads (the table's T17). */
export const IN_REGISTER_STATUSES: readonly Status[] = [
  ...new Set(
    TRANSITIONS.filter((r) => r.final && r.toDecisionKind === "INCLUSION" && r.to !== "DELETED").map(
      (r) => r.to as Status,
    ),
  ),
];

/** An application of the organisation that is in the register (or being excluded from it). */
export interface IncludedApplication {
  id: string;
  chainId: string;
  regionCode: string | null;
}

/**
 * Issue 14: an organisation with an included application in a region does not start another one there; it uses
 * «Внести изменение» on the included one. A new version of that same chain is the way, so it is not refused.
 */
export function checkIncludedInRegion(
  draft: { regionCode: string | null; chainId: string },
  included: readonly IncludedApplication[],
): DomainError[] {
  if (!draft.regionCode) return [];
  const other = included.find((a) => a.regionCode === draft.regionCode && a.chainId !== draft.chainId);
  return other
    ? [
        {
          code: "included_exists_use_changes",
          field: "A8",
          params: { applicationId: other.id, regionCode: draft.regionCode },
        },
      ]
    : [];
}

/**
 * SPEC §3.7 ("field_immutable", one of RULES_ERROR_CODES): the ownership form (A4) of the first version no longer changes once the draft was saved (it does in
 * «Внести изменение»: later versions). Checked on every write of the draft, so the lock does not rest on the UI.
 */
export function checkPatchImmutable(
  draft: { versionNo: number; saved: boolean; ownershipFormCode: string | null },
  patch: { ownershipFormCode?: string | null },
): DomainError[] {
  if (patch.ownershipFormCode === undefined || patch.ownershipFormCode === draft.ownershipFormCode) return [];
  if (draft.versionNo === 1 && draft.saved)
    return [{ code: "field_immutable", field: "A4", params: { field: "ownershipFormCode" } }];
  return [];
}

// ───────────── nothing typed twice (issue 14) ─────────────

/** A part of a pre-filled draft the supplier has not confirmed yet: Section A, a base (by position), Section D. */
export type PrefillItem = "A" | "D" | `C:${number}`;

/** The content a new application or version is started with. */
export interface PrefillSource extends Selection {
  ownershipFormCode: string | null;
  bases: readonly BaseInput[];
  documents: readonly { kind: "REGISTRATION" | "POWER_OF_ATTORNEY"; fileId: string }[];
}

export interface Prefill extends Selection {
  supplierSubtypes: string[];
  coExecutorSubtypes: string[];
  ownershipFormCode: string | null;
  bases: BaseInput[];
  documents: { kind: "REGISTRATION" | "POWER_OF_ATTORNEY"; fileId: string }[];
  /** What the supplier must confirm («Оставить» / «Изменить») before «Сохранить» accepts the draft. */
  pending: PrefillItem[];
}

/**
 * What a new application (or version) takes over from the organisation's latest saved or included one: the
 * Section A answers still offered by the fresh licences, the bases of the current appendices with what was known
 * about the same address (coordinates, KATO, the SES permit while its file is still acceptable, subtypes), and
 * the registration certificate and power of attorney whose files are still acceptable. Never silently: every
 * carried part is pending until confirmed.
 */
export function prefillFrom(
  source: PrefillSource,
  fresh: {
    /** The production-base addresses of the fresh licences' appendices. */
    addresses: readonly string[];
    /** The subtypes the fresh licences offer per status. */
    offered: Record<SubjectRole, readonly string[]>;
    /** The stored files of the source (missing = gone). */
    files: Readonly<Record<string, FileMeta>>;
  },
): Prefill {
  const valid = (id: string | null | undefined) => {
    const f = id ? fresh.files[id] : undefined;
    return !!f && validateFile(f).length === 0;
  };
  const keep = (xs: readonly string[], status: SubjectRole) =>
    xs.filter((c) => fresh.offered[status].includes(c));
  const supplierSubtypes = source.asSupplier ? keep(source.supplierSubtypes, "SUPPLIER") : [];
  const coExecutorSubtypes = source.asCoExecutor ? keep(source.coExecutorSubtypes, "CO_EXECUTOR") : [];
  const asSupplier = source.asSupplier && supplierSubtypes.length > 0;
  const asCoExecutor = source.asCoExecutor && coExecutorSubtypes.length > 0;
  const selected = new Set([...supplierSubtypes, ...coExecutorSubtypes]);
  const bases = refreshBases(source.bases, fresh.addresses).map((b) => ({
    ...b,
    sesFileId: valid(b.sesFileId) ? (b.sesFileId ?? null) : null,
    subtypes: (b.subtypes ?? []).filter((c) => selected.has(c)),
  }));
  const documents = source.documents.filter((d) => valid(d.fileId)).map((d) => ({ ...d }));
  const pending: PrefillItem[] = [];
  if (asSupplier || asCoExecutor || source.ownershipFormCode) pending.push("A");
  bases.forEach((b, i) => {
    const carried = b.latitude != null || !!b.katoCode || !!b.sesFileId || (b.subtypes?.length ?? 0) > 0;
    if (carried) pending.push(`C:${i + 1}`);
  });
  if (documents.length) pending.push("D");
  return {
    ownershipFormCode: source.ownershipFormCode,
    asSupplier,
    asCoExecutor,
    supplierSubtypes,
    coExecutorSubtypes,
    hasPharmacy: asSupplier ? source.hasPharmacy : null,
    bases,
    documents,
    pending,
  };
}

/** «Сохранить» refuses a draft whose pre-filled parts were not all confirmed (one error per part). */
export function unconfirmedPrefill(pending: readonly string[]): DomainError[] {
  return pending.map((p) => {
    const m = /^C:(\d+)$/.exec(p);
    return m
      ? { code: "prefill_unconfirmed", field: `C.${Number(m[1]) - 1}.C2`, params: { row: Number(m[1]) } }
      : { code: "prefill_unconfirmed", field: p === "A" ? "A5" : "D2" };
  });
}

/** The pending items after base `position` was removed (later bases move up one place). */
export function pendingAfterBaseRemoved(pending: readonly string[], position: number): string[] {
  return pending.flatMap((p) => {
    const m = /^C:(\d+)$/.exec(p);
    if (!m) return [p];
    const n = Number(m[1]);
    if (n === position) return [];
    return [n > position ? `C:${n - 1}` : p];
  });
}
