// Drafts: T1 (a new unsaved draft, its own chain), the whole draft in ONE statement for the wizard and the
// documents, and what «Сохранить» validates against (classifiers, files, the 3-year rule, open applications).
import { randomUUID } from "node:crypto";
import { IN_REGISTER_STATUSES } from "../../domain/draftRules.ts";
import { type BaseInput, normaliseBase } from "../../domain/drafts.ts";
import type { DraftContent } from "../../domain/ports.ts";
import type { DecisionKind, Status } from "../../domain/types.ts";
import { OPEN_STATUSES } from "../../domain/workflow.ts";
import { type Db, dateOf, Prisma, textArray, ts } from "./db.ts";

const sql = Prisma.sql;

export interface DraftBaseRow {
  id: string;
  position: number;
  address: string;
  latitude: number | null;
  longitude: number | null;
  katoCode: string | null;
  sesFileId: string | null;
  subtypes: string[];
  coordsConfirmed?: string | null;
  katoNameKk?: string | null;
  katoNameRu?: string | null;
  /** The KATO object is in the edition in force (null: no or an unknown code). */
  katoActive?: boolean | null;
  /** The KATO object's names from the top level down to it (empty: no or an unknown code). */
  katoPath?: { nameKk: string | null; nameRu: string }[];
}

export interface DraftLicenceRow {
  id: string;
  number: string;
  holderBin: string;
  issueDate: Date;
  licensor: string;
  activityCode: string;
  category: string;
  type: string;
  status: string;
  fetchedAt: Date;
  appendices: { number: string; licenceSubtypes: string[]; careSubtypes: string[]; addresses: string[] }[];
}

export interface DraftDocumentRow {
  id: string;
  kind: string;
  fileId: string;
  createdAt: Date;
  fileName: string | null;
  size: number | null;
  mimeType: string | null;
  sha256: string | null;
}

/** The whole application as the wizard, the summary and the documents read it. */
export interface DraftRow {
  id: string;
  chainId: string;
  versionNo: number;
  previousId: string | null;
  orgId: string;
  authorId: string;
  status: Status;
  decisionKind: DecisionKind | null;
  version: number;
  savedAt: Date | null;
  editSeq: number;
  formEditSeq: number | null;
  formFileId: string | null;
  ownershipFormCode: string | null;
  asSupplier: boolean;
  asCoExecutor: boolean;
  supplierSubtypes: string[];
  coExecutorSubtypes: string[];
  regionCode: string | null;
  hasPharmacy: boolean | null;
  progress: unknown;
  headRejectReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  statusChangedAt: Date;
  submittedAt: Date | null;
  org: {
    id: string;
    bin: string;
    kind: string;
    nameKk: string;
    nameRu: string;
    ownershipFormCode: string | null;
    legalKato: string | null;
    legalPostcode: string | null;
    legalStreet: string | null;
    legalHouse: string | null;
    legalOffice: string | null;
    phone: string | null;
    email: string | null;
    /** The legal address's KATO object by name (B: never the raw code where a person reads). */
    legalKatoNameKk: string | null;
    legalKatoNameRu: string | null;
  };
  region: { code: string; nameKk: string; nameRu: string; katoCode: string } | null;
  bases: DraftBaseRow[];
  licences: DraftLicenceRow[];
  documents: DraftDocumentRow[];
}

/** One licence (alias `l`) with its appendices, as JSON (the shape of DraftLicenceRow). */
export const licenceJson = sql`json_build_object('id', l.id, 'number', l.number, 'holderBin', l."holderBin",
  'issueDate', l."issueDate", 'licensor', l.licensor, 'activityCode', l."activityCode",
  'category', l.category, 'type', l.type, 'status', l.status, 'fetchedAt', l."fetchedAt",
  'appendices', COALESCE((SELECT json_agg(json_build_object('number', x.number,
       'licenceSubtypes', x."licenceSubtypes", 'careSubtypes', x."careSubtypes", 'addresses', x.addresses)
       ORDER BY x.number) FROM "LicenceAppendix" x WHERE x."licenceId" = l.id), '[]'::json))`;

/** A licence that came as JSON (its dates are strings there). */
export const licenceOf = (l: DraftLicenceRow): DraftLicenceRow => ({
  ...l,
  issueDate: dateOf(l.issueDate) as Date,
  fetchedAt: dateOf(l.fetchedAt) as Date,
});

/** The JSON aggregates of one application: bases, licences with appendices, documents with their files. */
export const draftChildrenSql = (a: Prisma.Sql) => sql`
  COALESCE((SELECT json_agg(json_build_object('id', b.id, 'position', b.position, 'address', b.address,
              'latitude', b.latitude, 'longitude', b.longitude, 'katoCode', b."katoCode", 'sesFileId', b."sesFileId",
              'subtypes', COALESCE(b.subtypes, '{}'::text[]), 'coordsConfirmed', b."coordsConfirmed",
              'katoNameKk', k."nameKk", 'katoNameRu', k."nameRu", 'katoActive', k.active,
              'katoPath', COALESCE((WITH RECURSIVE up AS (
                   SELECT k.id, k."parentId", k."nameKk", k."nameRu", 0 AS depth WHERE k.id IS NOT NULL
                   UNION ALL
                   SELECT p.id, p."parentId", p."nameKk", p."nameRu", up.depth + 1
                     FROM "KatoObject" p JOIN up ON p.id = up."parentId" WHERE up.depth < 10)
                 SELECT json_agg(json_build_object('nameKk', up."nameKk", 'nameRu', up."nameRu") ORDER BY up.depth DESC)
                   FROM up), '[]'::json)) ORDER BY b.position)
              FROM "ProductionBase" b LEFT JOIN "KatoObject" k ON k.code = b."katoCode"
             WHERE b."applicationId" = ${a}), '[]'::json) AS bases,
  COALESCE((SELECT json_agg(${licenceJson} ORDER BY l.number)
              FROM "ApplicationLicence" al JOIN "Licence" l ON l.id = al."licenceId"
             WHERE al."applicationId" = ${a}), '[]'::json) AS licences,
  COALESCE((SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind, 'fileId', d."fileId",
              'createdAt', d."createdAt", 'fileName', f."fileName", 'size', f.size, 'mimeType', f."mimeType",
              'sha256', f.sha256) ORDER BY d."createdAt", d.id)
              FROM "ApplicationDocument" d LEFT JOIN "StoredFile" f ON f.id = d."fileId"
             WHERE d."applicationId" = ${a}), '[]'::json) AS documents`;

export type RawDraft = Omit<DraftRow, "licences" | "documents"> & {
  licences: unknown[];
  documents: unknown[];
};

export function fixDates(r: RawDraft): DraftRow {
  return {
    ...r,
    licences: (r.licences as DraftLicenceRow[]).map(licenceOf),
    documents: (r.documents as DraftDocumentRow[]).map((d) => ({
      ...d,
      createdAt: dateOf(d.createdAt) as Date,
    })),
  };
}

/** The columns of the whole application (alias `a`, joined with its organisation `o` and region `r`). */
export const draftColumns = sql`
  a.id, a."chainId", a."versionNo", a."previousId", a."orgId", a."authorId", a.status::text AS status,
  a."decisionKind"::text AS "decisionKind", a.version, a."savedAt", a."editSeq", a."formEditSeq",
  a."formFileId", a."ownershipFormCode", a."asSupplier", a."asCoExecutor", a."supplierSubtypes",
  a."coExecutorSubtypes", a."regionCode", a."hasPharmacy", a.progress, a."headRejectReason",
  a."createdAt", a."updatedAt", a."statusChangedAt", a."submittedAt",
  json_build_object('id', o.id, 'bin', o.bin, 'kind', o.kind, 'nameKk', o."nameKk", 'nameRu', o."nameRu",
    'ownershipFormCode', o."ownershipFormCode", 'legalKato', o."legalKato", 'legalPostcode', o."legalPostcode",
    'legalStreet', o."legalStreet", 'legalHouse', o."legalHouse", 'legalOffice', o."legalOffice",
    'phone', o.phone, 'email', o.email,
    'legalKatoNameKk', (SELECT lk."nameKk" FROM "KatoObject" lk WHERE lk.code = o."legalKato"),
    'legalKatoNameRu', (SELECT lk."nameRu" FROM "KatoObject" lk WHERE lk.code = o."legalKato")) AS org,
  CASE WHEN r.code IS NULL THEN NULL ELSE json_build_object('code', r.code, 'nameKk', r."nameKk",
    'nameRu', r."nameRu", 'katoCode', r."katoCode") END AS region,
  ${draftChildrenSql(sql`a.id`)}`;

export const draftFrom = sql`"Application" a JOIN "Organisation" o ON o.id = a."orgId" LEFT JOIN "Region" r ON r.code = a."regionCode"`;

/** The whole application in ONE statement (null when it does not exist). */
export async function loadDraft(db: Db, id: string): Promise<DraftRow | null> {
  const rows = await db.$queryRaw<RawDraft[]>`SELECT ${draftColumns} FROM ${draftFrom} WHERE a.id = ${id}`;
  return rows[0] ? fixDates(rows[0]) : null;
}

/** The "before" of a T2 patch: the draft's content as read. */
export function contentOf(d: DraftRow): DraftContent {
  return {
    ownershipFormCode: d.ownershipFormCode,
    asSupplier: d.asSupplier,
    asCoExecutor: d.asCoExecutor,
    supplierSubtypes: d.supplierSubtypes,
    coExecutorSubtypes: d.coExecutorSubtypes,
    regionCode: d.regionCode,
    hasPharmacy: d.hasPharmacy,
    bases: d.bases,
    licenceIds: d.licences.map((l) => l.id),
    documents: d.documents.map((x) => ({ id: x.id, kind: x.kind, fileId: x.fileId })),
  };
}

export interface CreateDraftArgs {
  orgId: string;
  authorId: string;
  now: Date;
  ownershipFormCode: string | null;
  licenceIds: string[];
  /** The production bases (position = order): addresses of the appendices, with what a previous one knew. */
  bases: BaseInput[];
  progress: unknown;
  /** Prefill from the organisation's previous application (issue 14: nothing typed twice). */
  prefill?: {
    asSupplier: boolean;
    asCoExecutor: boolean;
    supplierSubtypes: string[];
    coExecutorSubtypes: string[];
    hasPharmacy: boolean | null;
    regionCode: string | null;
    documents: { kind: "REGISTRATION" | "POWER_OF_ATTORNEY"; fileId: string }[];
  };
}

const BASES_RECORD = Prisma.raw(
  `v("position" int, address text, latitude float8, longitude float8, "katoCode" text, "sesFileId" text, subtypes jsonb, "coordsConfirmed" text)`,
);

/** T1: a new unsaved draft in «Проект» (its own chain, version 1) with its audit row, in ONE statement. */
export async function createDraft(db: Db, args: CreateDraftArgs): Promise<{ id: string; version: number }> {
  const id = randomUUID();
  const at = ts(args.now);
  const p = args.prefill;
  const bases = JSON.stringify(args.bases.map((b, i) => ({ ...normaliseBase(b), position: i + 1 })));
  const docs = JSON.stringify((p?.documents ?? []).map((d, n) => ({ ...d, n })));
  await db.$executeRaw`
    WITH app AS (
      INSERT INTO "Application" (id, "chainId", "orgId", "authorId", "regionCode", "ownershipFormCode", "asSupplier",
        "asCoExecutor", "supplierSubtypes", "coExecutorSubtypes", "hasPharmacy", progress, "createdAt", "updatedAt",
        "statusChangedAt")
      VALUES (${id}, ${id}, ${args.orgId}, ${args.authorId}, ${p?.regionCode ?? null}, ${args.ownershipFormCode},
        ${p?.asSupplier ?? false}, ${p?.asCoExecutor ?? false}, ${textArray(p?.supplierSubtypes ?? [])},
        ${textArray(p?.coExecutorSubtypes ?? [])}, ${p?.hasPharmacy ?? null}::boolean,
        ${JSON.stringify(args.progress ?? null)}::jsonb, ${at}, ${at}, ${at})
      RETURNING id),
    b AS (
      INSERT INTO "ProductionBase" (id, "applicationId", position, address, latitude, longitude, "katoCode", "sesFileId", subtypes,
        "coordsConfirmed")
      SELECT gen_random_uuid()::text, app.id, v.position, v.address, v.latitude, v.longitude, v."katoCode", v."sesFileId",
             ARRAY(SELECT jsonb_array_elements_text(v.subtypes)), v."coordsConfirmed"
        FROM app, jsonb_to_recordset(${bases}::jsonb) AS ${BASES_RECORD}),
    l AS (
      INSERT INTO "ApplicationLicence" ("applicationId", "licenceId")
      SELECT app.id, x FROM app, unnest(${textArray([...new Set(args.licenceIds)])}) x),
    d AS (
      INSERT INTO "ApplicationDocument" (id, "applicationId", kind, "fileId", "createdAt")
      SELECT gen_random_uuid()::text, app.id, v.kind::"DocumentKind", v."fileId", ${at} + (v.n * interval '1 millisecond')
        FROM app, jsonb_to_recordset(${docs}::jsonb) AS v(kind text, "fileId" text, n int))
    INSERT INTO "AuditEvent" ("applicationId", "chainId", "actorId", action, "toStatus", reasons, changes, at)
    SELECT app.id, app.id, ${args.authorId}, 'CREATE', 'DRAFT', '{}'::text[], '{"transitionId":"T1"}'::jsonb, ${at}
      FROM app`;
  return { id, version: 1 };
}

/** An application of the organisation that counts for the region rules (named when one refuses a region). */
export interface RegionApplication {
  id: string;
  chainId: string;
  regionCode: string | null;
  status: Status;
  versionNo: number;
  version: number;
  createdAt: Date;
}

/** Everything validateForSave reads besides the draft (and the region rules of the wizard), in ONE value. */
export interface SaveFacts {
  katos: { code: string; isLeaf: boolean; active: boolean }[];
  linkedBins: string[];
  files: { id: string; size: number; mimeType: string; fileName: string }[];
  lastExclusionAt: Date | null;
  /** DECISIONS 8: the organisation's saved open applications (an included one under exclusion excepted). */
  open: RegionApplication[];
  /** The organisation's applications in the register (included, or included and being excluded). */
  included: RegionApplication[];
}

const regionAppJson = sql`json_build_object('id', x.id, 'chainId', x."chainId", 'regionCode', x."regionCode",
  'status', x.status, 'versionNo', x."versionNo", 'version', x.version, 'createdAt', x."createdAt")`;

/** The save facts of application `a` (joined with its organisation `o`) as one JSON value. */
export const saveFactsJson = sql`json_build_object(
  'katos', COALESCE((SELECT json_agg(json_build_object('code', k.code, 'isLeaf', k."isLeaf", 'active', k.active)) FROM "KatoObject" k
             WHERE k.code IN (SELECT b."katoCode" FROM "ProductionBase" b WHERE b."applicationId" = a.id)), '[]'::json),
  'linkedBins', ARRAY(SELECT x."linkedBin" FROM "OrganisationLink" x WHERE x."orgId" = a."orgId"),
  'files', COALESCE((SELECT json_agg(json_build_object('id', f.id, 'size', f.size, 'mimeType', f."mimeType",
             'fileName', f."fileName")) FROM "StoredFile" f
             WHERE f.id IN (SELECT d."fileId" FROM "ApplicationDocument" d WHERE d."applicationId" = a.id
                            UNION SELECT b."sesFileId" FROM "ProductionBase" b WHERE b."applicationId" = a.id)), '[]'::json),
  'lastExclusionAt', (SELECT max(x."excludedAt") FROM "Application" x JOIN "Organisation" xo ON xo.id = x."orgId"
             WHERE xo.bin = o.bin AND x."excludedAt" IS NOT NULL),
  'open', COALESCE((SELECT json_agg(${regionAppJson} ORDER BY x."createdAt") FROM "Application" x
             WHERE x."orgId" = a."orgId" AND x."savedAt" IS NOT NULL AND x.status::text = ANY(${textArray(OPEN_STATUSES)})
               AND (x."decisionKind" IS NULL OR x."decisionKind" <> 'EXCLUSION')), '[]'::json),
  'included', COALESCE((SELECT json_agg(${regionAppJson} ORDER BY x."createdAt") FROM "Application" x
             WHERE x."orgId" = a."orgId" AND (x.status::text = ANY(${textArray(IN_REGISTER_STATUSES)})
               OR (x."decisionKind" = 'EXCLUSION' AND x.status::text = ANY(${textArray(OPEN_STATUSES)})))), '[]'::json))`;

/** Save facts that came as JSON (their dates are strings there). */
export function saveFactsOf(j: unknown): SaveFacts {
  const r = (j ?? {}) as Partial<Omit<SaveFacts, "lastExclusionAt">> & { lastExclusionAt?: unknown };
  const apps = (xs: RegionApplication[] | undefined) =>
    (xs ?? []).map((x) => ({ ...x, createdAt: dateOf(x.createdAt) as Date }));
  return {
    katos: r.katos ?? [],
    linkedBins: r.linkedBins ?? [],
    files: r.files ?? [],
    lastExclusionAt: dateOf(r.lastExclusionAt),
    open: apps(r.open),
    included: apps(r.included),
  };
}

/** The save facts of one draft in ONE statement. */
export async function saveFacts(db: Db, d: Pick<DraftRow, "id">): Promise<SaveFacts> {
  const rows = await db.$queryRaw<{ f: unknown }[]>`
    SELECT ${saveFactsJson} AS f FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId" WHERE a.id = ${d.id}`;
  return saveFactsOf(rows[0]?.f);
}

/** DECISIONS 8: the organisation's saved open application in a region (to name it), other than `exceptId`. */
export async function openInRegion(
  db: Db,
  orgId: string,
  regionCode: string,
  exceptId?: string,
): Promise<{ id: string; status: Status; versionNo: number; createdAt: Date } | null> {
  const rows = await db.$queryRaw<{ id: string; status: Status; versionNo: number; createdAt: Date }[]>`
    SELECT id, status::text AS status, "versionNo", "createdAt" FROM "Application"
     WHERE "orgId" = ${orgId} AND "regionCode" = ${regionCode} AND "savedAt" IS NOT NULL
       AND status::text = ANY(${textArray(OPEN_STATUSES)})
       AND ("decisionKind" IS NULL OR "decisionKind" <> 'EXCLUSION')
       AND id <> ${exceptId ?? ""}
     ORDER BY "createdAt" LIMIT 1`;
  return rows[0] ?? null;
}
