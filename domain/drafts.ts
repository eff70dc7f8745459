// The editable content of a draft (SPEC §3.3 A4–A9, C, D) as the wizard writes it (T2), and the pure helpers
// around it. The store persists a DraftPatch; the state machine decides who may write one.

/** A production base as written by the wizard (position = order in the list). */
export interface BaseInput {
  address: string;
  latitude?: number | null;
  longitude?: number | null;
  katoCode?: string | null;
  sesFileId?: string | null;
  subtypes?: string[];
  /** Coordinates the supplier confirmed despite a plausibility warning (plausibility.ts confirmationKey). */
  coordsConfirmed?: string | null;
}

/** The supplier's own documents of section D (D2, D3); generated ones are attached by transitions. */
export type SupplierDocumentKind = "REGISTRATION" | "POWER_OF_ATTORNEY";

/** One write to a draft. Arrays replace the stored ones; absent fields are unchanged. */
export interface DraftPatch {
  ownershipFormCode?: string | null;
  asSupplier?: boolean;
  asCoExecutor?: boolean;
  supplierSubtypes?: string[];
  coExecutorSubtypes?: string[];
  regionCode?: string | null;
  hasPharmacy?: boolean | null;
  bases?: BaseInput[];
  /** The licence pool attached from the registry (D1 shows the ones matching the chosen subtypes). */
  licenceIds?: string[];
  /** Replace the documents of these kinds. */
  documents?: { kind: SupplierDocumentKind; fileIds: string[] }[];
  /** Where the author is in the wizard (UI state that survives restarts). Not content: never audited. */
  progress?: unknown;
}

/** The scalar content fields of a draft, in form order. */
export const DRAFT_SCALAR_FIELDS = [
  "ownershipFormCode",
  "asSupplier",
  "asCoExecutor",
  "supplierSubtypes",
  "coExecutorSubtypes",
  "regionCode",
  "hasPharmacy",
] as const;

/** Does the patch change the application's content (not only the wizard position)? */
export function isContentPatch(p: DraftPatch): boolean {
  return (Object.keys(p) as (keyof DraftPatch)[]).some((k) => k !== "progress" && p[k] !== undefined);
}

/** A stored production base as the store reads it back (the one mapping of a base row to input). */
export function baseInputOf(b: {
  address: string;
  latitude: number | null;
  longitude: number | null;
  katoCode: string | null;
  sesFileId: string | null;
  subtypes: readonly string[];
  coordsConfirmed?: string | null;
}): BaseInput {
  return {
    address: b.address,
    latitude: b.latitude,
    longitude: b.longitude,
    katoCode: b.katoCode,
    sesFileId: b.sesFileId,
    subtypes: [...b.subtypes],
    coordsConfirmed: b.coordsConfirmed ?? null,
  };
}

/** A base as stored (every field present). */
export function normaliseBase(b: BaseInput): Required<BaseInput> {
  return {
    address: b.address,
    latitude: b.latitude ?? null,
    longitude: b.longitude ?? null,
    katoCode: b.katoCode ?? null,
    sesFileId: b.sesFileId ?? null,
    subtypes: [...(b.subtypes ?? [])],
    coordsConfirmed: b.coordsConfirmed ?? null,
  } as Required<BaseInput>;
}

/**
 * T20: one base per address of the refreshed appendices, keeping what `old` knew about the same address
 * (compared trimmed and case-insensitively); an address no longer in the appendices is dropped.
 */
export function refreshBases(old: readonly BaseInput[], addresses: readonly string[]): BaseInput[] {
  const byAddress = new Map(old.map((b) => [b.address.trim().toLowerCase(), b]));
  return addresses.map((address) => {
    const prev = byAddress.get(address.trim().toLowerCase());
    return prev ? { ...prev, address } : { address };
  });
}

/** The fields a patch changes against the stored draft (for the audit row), with their old and new values. */
export function changedFields(
  before: Record<string, unknown>,
  patch: DraftPatch,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const f of DRAFT_SCALAR_FIELDS) {
    if (patch[f] === undefined) continue;
    if (!same(before[f] ?? null, patch[f] ?? null))
      out[f] = { from: before[f] ?? null, to: patch[f] ?? null };
  }
  if (patch.bases) {
    const was = ((before.bases as BaseInput[] | undefined) ?? []).map(normaliseBase);
    const now = patch.bases.map(normaliseBase);
    if (!same(was, now)) out.bases = { from: was, to: now };
  }
  if (patch.licenceIds) {
    const was = [...((before.licenceIds as string[] | undefined) ?? [])].sort();
    const now = [...new Set(patch.licenceIds)].sort();
    if (!same(was, now)) out.licenceIds = { from: was, to: now };
  }
  const docs = (before.documents as { kind: string; fileId: string }[] | undefined) ?? [];
  for (const d of patch.documents ?? []) {
    const was = docs.filter((x) => x.kind === d.kind).map((x) => x.fileId);
    if (!same(was, d.fileIds)) out[`documents.${d.kind}`] = { from: was, to: d.fileIds };
  }
  return out;
}
