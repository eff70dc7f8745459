// The draft a wizard step read, updated in memory after its one write (the next screen is drawn from it, no
// reload), and the plain domain draft «Сохранить» validates. Pure.
import { d1Licences, type Selection } from "../domain/draftRules.ts";
import { type DraftPatch, isContentPatch, normaliseBase } from "../domain/drafts.ts";
import type { Classifiers, DraftApplication } from "../domain/rules.ts";
import type { DraftBaseRow, DraftDocumentRow, WizardDraft } from "../prisma/store/index.ts";

/** A file stored during this step (its record, to show it without reading it back). */
export interface AddedFile {
  id: string;
  fileName: string;
  size: number;
  mimeType: string;
}

/** A KATO object picked during this step. */
export interface PickedKato {
  code: string;
  nameKk: string | null;
  nameRu: string;
  active?: boolean;
  path?: { nameKk: string | null; nameRu: string }[];
}

export const selectionOf = (d: Pick<WizardDraft, keyof Selection>): Selection => ({
  asSupplier: d.asSupplier,
  asCoExecutor: d.asCoExecutor,
  supplierSubtypes: d.supplierSubtypes,
  coExecutorSubtypes: d.coExecutorSubtypes,
  hasPharmacy: d.hasPharmacy,
});

const SELECTION_KEYS: readonly (keyof Selection)[] = [
  "asSupplier",
  "asCoExecutor",
  "supplierSubtypes",
  "coExecutorSubtypes",
  "hasPharmacy",
];

/**
 * D1 follows the selection (issue 10): a patch that changes Section A's choice also writes the licences that now
 * belong to the application, drawn from the pool, in the same statement.
 */
export function withD1(
  d: WizardDraft,
  patch: DraftPatch,
  pool: WizardDraft["pool"],
  classifiers: Pick<Classifiers, "requirements">,
): DraftPatch {
  if (patch.licenceIds || !SELECTION_KEYS.some((k) => patch[k] !== undefined)) return patch;
  const next = {
    ...selectionOf(d),
    ...Object.fromEntries(SELECTION_KEYS.filter((k) => patch[k] !== undefined).map((k) => [k, patch[k]])),
  } as Selection;
  const ids = d1Licences(pool, next, classifiers).map((l) => l.id);
  const was = d.licences.map((l) => l.id);
  const same = ids.length === was.length && ids.every((id) => was.includes(id));
  return same ? patch : { ...patch, licenceIds: ids };
}

/** The draft as the write left it (version from the store; names of new files and KATO from this step). */
export function applyPatch(
  d: WizardDraft,
  patch: DraftPatch,
  version: number,
  now: Date,
  extra: { files?: readonly AddedFile[]; kato?: PickedKato } = {},
): WizardDraft {
  const next: WizardDraft = { ...d, version, updatedAt: now };
  if (patch.ownershipFormCode !== undefined) next.ownershipFormCode = patch.ownershipFormCode;
  if (patch.asSupplier !== undefined) next.asSupplier = patch.asSupplier;
  if (patch.asCoExecutor !== undefined) next.asCoExecutor = patch.asCoExecutor;
  if (patch.supplierSubtypes !== undefined) next.supplierSubtypes = [...patch.supplierSubtypes];
  if (patch.coExecutorSubtypes !== undefined) next.coExecutorSubtypes = [...patch.coExecutorSubtypes];
  if (patch.regionCode !== undefined) next.regionCode = patch.regionCode;
  if (patch.hasPharmacy !== undefined) next.hasPharmacy = patch.hasPharmacy;
  if (patch.progress !== undefined) next.progress = patch.progress;
  if (isContentPatch(patch)) next.editSeq = d.editSeq + 1;
  const files = [...d.saveFacts.files];
  for (const f of extra.files ?? []) if (!files.some((x) => x.id === f.id)) files.push({ ...f });
  const katos = [...d.saveFacts.katos];
  if (extra.kato && !katos.some((k) => k.code === extra.kato?.code))
    katos.push({ code: extra.kato.code, isLeaf: true, active: extra.kato.active ?? true });
  next.saveFacts = { ...d.saveFacts, files, katos };
  if (patch.bases) {
    next.bases = patch.bases.map((b, i): DraftBaseRow => {
      const n = normaliseBase(b);
      const old = d.bases[i];
      const sameKato = old && old.katoCode === n.katoCode;
      const picked = extra.kato && extra.kato.code === n.katoCode ? extra.kato : null;
      return {
        id: old?.id ?? `new-${i + 1}`,
        position: i + 1,
        address: n.address,
        latitude: n.latitude,
        longitude: n.longitude,
        katoCode: n.katoCode,
        sesFileId: n.sesFileId,
        subtypes: [...n.subtypes],
        coordsConfirmed: n.coordsConfirmed,
        katoNameKk: sameKato ? (old.katoNameKk ?? null) : (picked?.nameKk ?? null),
        katoNameRu: sameKato ? (old.katoNameRu ?? null) : (picked?.nameRu ?? null),
        katoActive: sameKato ? (old.katoActive ?? null) : picked ? (picked.active ?? true) : null,
        katoPath: sameKato ? (old.katoPath ?? []) : (picked?.path ?? []),
      };
    });
  }
  if (patch.licenceIds) {
    const known = [...d.pool, ...d.licences];
    next.licences = patch.licenceIds
      .map((id) => known.find((l) => l.id === id))
      .filter((l): l is WizardDraft["licences"][number] => !!l)
      .sort((a, b) => a.number.localeCompare(b.number));
  }
  if (patch.documents) {
    let docs = [...d.documents];
    for (const p of patch.documents) {
      const kept = docs.filter((x) => x.kind !== p.kind);
      const mine = p.fileIds.map((fileId, i): DraftDocumentRow => {
        const had = docs.find((x) => x.kind === p.kind && x.fileId === fileId);
        if (had) return had;
        const f = files.find((x) => x.id === fileId);
        return {
          id: `new-${p.kind}-${i}`,
          kind: p.kind,
          fileId,
          createdAt: now,
          fileName: f?.fileName ?? null,
          size: f?.size ?? null,
          mimeType: f?.mimeType ?? null,
          sha256: null,
        };
      });
      docs = [...kept, ...mine];
    }
    next.documents = docs;
  }
  return next;
}

/** The plain draft of the domain's rules (SPEC §3.3), with the KATO leaf facts read with it. */
export function toDomainDraft(d: WizardDraft): DraftApplication {
  const leaf = new Map(d.saveFacts.katos.map((k) => [k.code, k.isLeaf]));
  const active = new Map(d.saveFacts.katos.map((k) => [k.code, k.active]));
  const ids = (kind: string) => d.documents.filter((x) => x.kind === kind).map((x) => x.fileId);
  return {
    identity: { nameKk: d.org.nameKk, nameRu: d.org.nameRu, bin: d.org.bin },
    ownershipFormCode: d.ownershipFormCode,
    asSupplier: d.asSupplier,
    asCoExecutor: d.asCoExecutor,
    supplierSubtypes: d.supplierSubtypes,
    coExecutorSubtypes: d.coExecutorSubtypes,
    regionCode: d.regionCode,
    hasPharmacy: d.hasPharmacy,
    bases: d.bases.map((b) => ({
      address: b.address,
      latitude: b.latitude,
      longitude: b.longitude,
      katoCode: b.katoCode,
      katoIsLeaf: b.katoCode ? (leaf.get(b.katoCode) ?? null) : null,
      katoActive: b.katoCode ? (active.get(b.katoCode) ?? null) : null,
      coordsConfirmed: b.coordsConfirmed ?? null,
      sesFileId: b.sesFileId,
      subtypes: b.subtypes,
    })),
    registrationFileIds: ids("REGISTRATION"),
    powerOfAttorneyFileIds: ids("POWER_OF_ATTORNEY"),
    licences: d.licences.map((l) => ({ ...l, appendices: l.appendices })),
  };
}
