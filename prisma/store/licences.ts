// E-licences (seed 000 §1.1, SPEC §2): the organisation's copy of the registry's licences, its licence requests
// («Запросы по лицензиям»: «В обработке» → «Обработан» | «Ошибка обработки»), one licence with its appendices.
// Every screen is ONE statement; a processed request replaces the organisation's licences of that BIN in ONE
// statement (claim + withdrawn removed + upserts + appendices), whatever the number of licences.
import type { LicenceData } from "../../domain/licences.ts";
import type { LicenceRequestStatus } from "../../domain/types.ts";
import { type Db, dateOf, Prisma, type PrismaClient, TX_OPTIONS, textArray, ts } from "./db.ts";

const sql = Prisma.sql;

export interface LicenceRequestRow {
  id: string;
  bin: string;
  status: LicenceRequestStatus;
  requestedAt: Date;
  completedAt: Date | null;
  requestedByName: string | null;
}

export interface LicenceListRow {
  id: string;
  number: string;
  holderBin: string;
  activityCode: string;
  category: string;
  type: string;
  status: string;
  issueDate: Date;
  fetchedAt: Date;
  appendixCount: number;
}

export interface LicenceOverview {
  org: { id: string; bin: string; nameKk: string; nameRu: string; linkedBins: string[] };
  licences: LicenceListRow[];
  /** The newest requests first (at most `requests` of them). */
  requests: LicenceRequestRow[];
}

const requestJson = (limit: number) => sql`
  COALESCE((SELECT json_agg(q ORDER BY q."requestedAt" DESC, q.id) FROM (
      SELECT r.id, r.bin, r.status, r."requestedAt", r."completedAt", u."fullName" AS "requestedByName"
        FROM "LicenceRequest" r LEFT JOIN "User" u ON u.id = r."requestedById"
       WHERE r."orgId" = o.id ORDER BY r."requestedAt" DESC, r.id LIMIT ${limit}) q), '[]'::json)`;

const requestOf = (r: LicenceRequestRow): LicenceRequestRow => ({
  ...r,
  requestedAt: dateOf(r.requestedAt) as Date,
  completedAt: dateOf(r.completedAt),
});

/** «Мои электронные лицензии»: the organisation, its licences (unfiltered) and its latest requests, ONE statement. */
export async function overview(db: Db, orgId: string, requests = 1): Promise<LicenceOverview | null> {
  const rows = await db.$queryRaw<
    { org: LicenceOverview["org"]; licences: LicenceListRow[]; requests: LicenceRequestRow[] }[]
  >`
    SELECT json_build_object('id', o.id, 'bin', o.bin, 'nameKk', o."nameKk", 'nameRu', o."nameRu",
             'linkedBins', ARRAY(SELECT k."linkedBin" FROM "OrganisationLink" k WHERE k."orgId" = o.id ORDER BY k."linkedBin")) AS org,
           COALESCE((SELECT json_agg(json_build_object('id', l.id, 'number', l.number, 'holderBin', l."holderBin",
               'activityCode', l."activityCode", 'category', l.category, 'type', l.type, 'status', l.status,
               'issueDate', l."issueDate", 'fetchedAt', l."fetchedAt",
               'appendixCount', (SELECT count(*) FROM "LicenceAppendix" x WHERE x."licenceId" = l.id))
               ORDER BY l."activityCode", l.number, l."holderBin")
             FROM "Licence" l WHERE l."orgId" = o.id), '[]'::json) AS licences,
           ${requestJson(requests)} AS requests
      FROM "Organisation" o WHERE o.id = ${orgId}`;
  const r = rows[0];
  if (!r) return null;
  return {
    org: r.org,
    licences: r.licences.map((l) => ({
      ...l,
      issueDate: dateOf(l.issueDate) as Date,
      fetchedAt: dateOf(l.fetchedAt) as Date,
      appendixCount: Number(l.appendixCount),
    })),
    requests: r.requests.map(requestOf),
  };
}

/** «Запросы по лицензиям»: the organisation's requests, newest first. */
export async function requests(db: Db, orgId: string, limit: number): Promise<LicenceRequestRow[]> {
  const rows = await db.$queryRaw<{ requests: LicenceRequestRow[] }[]>`
    SELECT ${requestJson(limit)} AS requests FROM "Organisation" o WHERE o.id = ${orgId}`;
  return (rows[0]?.requests ?? []).map(requestOf);
}

export interface LicenceDetail {
  id: string;
  orgId: string;
  number: string;
  holderBin: string;
  issueDate: Date;
  licensor: string;
  activityCode: string;
  category: string;
  type: string;
  status: string;
  fetchedAt: Date;
  appendices: {
    id: string;
    number: string;
    licenceSubtypes: string[];
    careSubtypes: string[];
    addresses: string[];
    fileId: string | null;
  }[];
}

const detailColumns = sql`
  l.id, l."orgId", l.number, l."holderBin", l."issueDate", l.licensor, l."activityCode", l.category, l.type,
  l.status, l."fetchedAt",
  COALESCE((SELECT json_agg(json_build_object('id', x.id, 'number', x.number, 'licenceSubtypes', x."licenceSubtypes",
      'careSubtypes', x."careSubtypes", 'addresses', x.addresses, 'fileId', x."fileId") ORDER BY x.number, x.id)
    FROM "LicenceAppendix" x WHERE x."licenceId" = l.id), '[]'::json) AS appendices`;

/** One licence of the organisation with its appendices (null when it is not the organisation's). */
export async function licence(db: Db, orgId: string, licenceId: string): Promise<LicenceDetail | null> {
  const rows = await db.$queryRaw<LicenceDetail[]>`
    SELECT ${detailColumns} FROM "Licence" l WHERE l.id = ${licenceId} AND l."orgId" = ${orgId}`;
  return rows[0] ?? null;
}

/** The licence an appendix of the organisation belongs to, with that appendix id. */
export async function licenceOfAppendix(
  db: Db,
  orgId: string,
  appendixId: string,
): Promise<LicenceDetail | null> {
  const rows = await db.$queryRaw<LicenceDetail[]>`
    SELECT ${detailColumns} FROM "LicenceAppendix" a JOIN "Licence" l ON l.id = a."licenceId"
     WHERE a.id = ${appendixId} AND l."orgId" = ${orgId}`;
  return rows[0] ?? null;
}

/** What a new request is decided on: the owner's BINs and the latest request of each BIN asked for. */
export interface RequestFacts {
  bin: string;
  linkedBins: string[];
  latest: { bin: string; status: LicenceRequestStatus; requestedAt: Date }[];
}

/**
 * Start requests «В обработке» for `bins` of the organisation, ONE transaction: the organisation's row is locked
 * (one start at a time per organisation), `allow` decides on the facts read under the lock which BINs may start,
 * and their requests are inserted. Returns the facts and the created requests.
 */
export async function startRequests(
  prisma: PrismaClient,
  a: { orgId: string; requestedById: string | null; now: Date },
  allow: (facts: RequestFacts) => string[],
): Promise<{ facts: RequestFacts; created: { id: string; bin: string }[] } | null> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ bin: string; linkedBins: string[]; latest: RequestFacts["latest"] }[]>`
      SELECT o.bin,
             ARRAY(SELECT k."linkedBin" FROM "OrganisationLink" k WHERE k."orgId" = o.id ORDER BY k."linkedBin") AS "linkedBins",
             COALESCE((SELECT json_agg(json_build_object('bin', q.bin, 'status', q.status, 'requestedAt', q."requestedAt"))
                 FROM (SELECT DISTINCT ON (r.bin) r.bin, r.status, r."requestedAt" FROM "LicenceRequest" r
                        WHERE r."orgId" = o.id ORDER BY r.bin, r."requestedAt" DESC) q), '[]'::json) AS latest
        FROM "Organisation" o WHERE o.id = ${a.orgId} FOR UPDATE OF o`;
    const r = rows[0];
    if (!r) return null;
    const facts: RequestFacts = {
      bin: r.bin,
      linkedBins: r.linkedBins,
      latest: r.latest.map((x) => ({ ...x, requestedAt: dateOf(x.requestedAt) as Date })),
    };
    const bins = [...new Set(allow(facts))];
    if (!bins.length) return { facts, created: [] };
    const created = await tx.$queryRaw<{ id: string; bin: string }[]>`
      INSERT INTO "LicenceRequest" (id, "orgId", bin, status, "requestedById", "requestedAt")
      SELECT gen_random_uuid()::text, ${a.orgId}, b.bin, 'PROCESSING', ${a.requestedById}, ${ts(a.now)}
        FROM unnest(${textArray(bins)}) WITH ORDINALITY AS b(bin, n) ORDER BY b.n
      RETURNING id, bin`;
    return { facts, created };
  }, TX_OPTIONS);
}

/** The request to process (only while «В обработке»). */
export async function processingRequest(
  db: Db,
  requestId: string,
): Promise<{ id: string; orgId: string; bin: string } | null> {
  const rows = await db.$queryRaw<{ id: string; orgId: string; bin: string }[]>`
    SELECT id, "orgId", bin FROM "LicenceRequest" WHERE id = ${requestId} AND status = 'PROCESSING'`;
  return rows[0] ?? null;
}

/**
 * «Обработан»: the registry's answer replaces what the organisation holds for the request's BIN (licences withdrawn
 * there disappear unless an application refers to them), in ONE statement. Null when the request was no longer
 * «В обработке» (someone else completed it): nothing is written.
 */
export async function completeRequest(
  db: Db,
  requestId: string,
  licences: readonly LicenceData[],
  now: Date,
): Promise<{ stored: number } | null> {
  const at = ts(now);
  const incoming = JSON.stringify(
    licences.map((l) => ({
      number: l.number,
      issueDate: l.issueDate.toISOString(),
      licensor: l.licensor,
      activityCode: l.activityCode,
      category: l.category,
      type: l.type,
      status: l.status,
      appendices: l.appendices.map((x) => ({
        number: x.number,
        licenceSubtypes: [...x.licenceSubtypes],
        careSubtypes: [...x.careSubtypes],
        addresses: [...x.addresses],
      })),
    })),
  );
  const rows = await db.$queryRaw<{ claimed: number; stored: number }[]>`
    WITH claimed AS (
      UPDATE "LicenceRequest" SET status = 'PROCESSED', "completedAt" = ${at}
       WHERE id = ${requestId} AND status = 'PROCESSING' RETURNING "orgId", bin),
    incoming AS (
      SELECT v.* FROM jsonb_to_recordset(${incoming}::jsonb) AS v(number text, "issueDate" timestamp, licensor text,
        "activityCode" text, category text, type text, status text, appendices jsonb)),
    gone AS (
      DELETE FROM "Licence" l USING claimed c
       WHERE l."orgId" = c."orgId" AND l."holderBin" = c.bin
         AND NOT EXISTS (SELECT 1 FROM incoming v WHERE v.number = l.number)
         AND NOT EXISTS (SELECT 1 FROM "ApplicationLicence" al WHERE al."licenceId" = l.id)),
    up AS (
      INSERT INTO "Licence" (id, "orgId", "holderBin", number, "issueDate", licensor, "activityCode", category, type,
                             status, "fetchedAt")
      SELECT gen_random_uuid()::text, c."orgId", c.bin, v.number, v."issueDate", v.licensor, v."activityCode",
             v.category, v.type, v.status, ${at}
        FROM claimed c, incoming v
      ON CONFLICT ("orgId", "holderBin", number) DO UPDATE SET "issueDate" = EXCLUDED."issueDate",
        licensor = EXCLUDED.licensor, "activityCode" = EXCLUDED."activityCode", category = EXCLUDED.category,
        type = EXCLUDED.type, status = EXCLUDED.status, "fetchedAt" = EXCLUDED."fetchedAt"
      RETURNING id, number),
    old_x AS (DELETE FROM "LicenceAppendix" x USING up WHERE x."licenceId" = up.id),
    new_x AS (
      INSERT INTO "LicenceAppendix" (id, "licenceId", number, "licenceSubtypes", "careSubtypes", addresses)
      SELECT gen_random_uuid()::text, up.id, x.number,
             ARRAY(SELECT jsonb_array_elements_text(x."licenceSubtypes")),
             ARRAY(SELECT jsonb_array_elements_text(x."careSubtypes")),
             ARRAY(SELECT jsonb_array_elements_text(x.addresses))
        FROM up JOIN incoming v ON v.number = up.number,
             jsonb_to_recordset(v.appendices) AS x(number text, "licenceSubtypes" jsonb, "careSubtypes" jsonb, addresses jsonb))
    SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM up)::int AS stored`;
  const r = rows[0];
  return r && r.claimed === 1 ? { stored: r.stored } : null;
}

/** «Ошибка обработки» with the reason kept for the operators (never shown raw to the supplier). */
export async function failRequest(db: Db, requestId: string, error: string, now: Date): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "LicenceRequest" SET status = 'FAILED', "completedAt" = ${ts(now)}, error = ${error.slice(0, 500)}
     WHERE id = ${requestId} AND status = 'PROCESSING'`;
  return n === 1;
}
