// Work queues and lists: the staff queues on the partial index "Application_open_queue_idx" (keyset pages in
// date order), the supplier's applications (one statement with the count), versions of a chain.
import type { Status } from "../../domain/types.ts";
import { FUND_STAGE_STATUSES, OPEN_STATUSES, STAGES } from "../../domain/workflow.ts";
import { type Db, Prisma, textArray, ts } from "./db.ts";

const sql = Prisma.sql;

export interface Cursor {
  at: Date;
  id: string;
}

/**
 * The statuses of the partial index "Application_open_queue_idx" (migration 20261124064000): the Fund stages
 * of the transition table (a test checks the two lists agree).
 */
export const OPEN_QUEUE_STATUSES: readonly Status[] = FUND_STAGE_STATUSES;

export interface OpenQueueFilter {
  regions: string[];
  /** A subset of OPEN_QUEUE_STATUSES. */
  statuses: readonly Status[];
  /** The checker's queue: only applications whose current notice names this user. */
  checkerId?: string;
}

export interface OpenQueueItem {
  id: string;
  status: Status;
  version: number;
  statusChangedAt: Date;
  orgNameKk: string;
  orgNameRu: string;
  bin: string;
}

/**
 * The WHERE of a staff queue. The statuses are written as literals (checked against the index's list), so that
 * the planner can prove the partial index's predicate; one region is an equality, so the index returns the rows
 * in (statusChangedAt, id) order without a sort.
 */
function openQueueWhere(f: OpenQueueFilter): Prisma.Sql {
  const statuses = f.statuses.filter((s) => OPEN_QUEUE_STATUSES.includes(s));
  if (!statuses.length || statuses.length !== f.statuses.length)
    throw new Error(`not a queue status list: ${f.statuses.join(",")}`);
  const region =
    f.regions.length === 1
      ? sql`a."regionCode" = ${f.regions[0]}`
      : sql`a."regionCode" = ANY(${textArray(f.regions)})`;
  const status = Prisma.raw(`a.status IN (${statuses.map((s) => `'${s}'`).join(", ")})`);
  // A scalar subquery with LIMIT is not turned into a semi-join: PostgreSQL walks the queue index in date order
  // and probes each row's notice through Notice(applicationId, deletedAt), stopping after one page.
  const checker = f.checkerId
    ? sql` AND (SELECT true FROM "Notice" n WHERE n."applicationId" = a.id AND n."deletedAt" IS NULL
                               AND n."checkerIds" @> ARRAY[${f.checkerId}]::text[] LIMIT 1)`
    : Prisma.empty;
  return sql`${region} AND ${status}${checker}`;
}

/**
 * One keyset page of a staff queue, oldest status change first, with the queue's size counted up to `cap` + 1
 * rows — in ONE statement. `after` a cursor (next page) or `before` it (previous page, read backwards and
 * returned in ascending order). `more`: whether rows lie beyond the page in the direction read.
 */
export async function openQueuePage(
  db: Db,
  f: OpenQueueFilter,
  opts: { limit: number; after?: Cursor | null; before?: Cursor | null; cap: number },
): Promise<{ items: OpenQueueItem[]; more: boolean; total: number }> {
  if (!f.regions.length) return { items: [], more: false, total: 0 };
  const back = !!opts.before;
  const c = opts.before ?? opts.after ?? null;
  const cursor = c
    ? back
      ? sql` AND (a."statusChangedAt", a.id) < (${ts(c.at)}, ${c.id})`
      : sql` AND (a."statusChangedAt", a.id) > (${ts(c.at)}, ${c.id})`
    : Prisma.empty;
  const order = Prisma.raw(back ? `a."statusChangedAt" DESC, a.id DESC` : `a."statusChangedAt", a.id`);
  const where = openQueueWhere(f);
  const rows = await db.$queryRaw<(OpenQueueItem & { total: number })[]>`
    WITH total AS (SELECT count(*)::int AS n FROM (SELECT 1 FROM "Application" a WHERE ${where} LIMIT ${opts.cap + 1}) q)
    SELECT p.*, total.n AS total FROM total LEFT JOIN LATERAL (
      SELECT a.id, a.status::text AS status, a.version, a."statusChangedAt", o."nameKk" AS "orgNameKk",
             o."nameRu" AS "orgNameRu", o.bin
        FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId"
       WHERE ${where}${cursor}
       ORDER BY ${order}
       LIMIT ${opts.limit + 1}) p ON true`;
  const total = rows[0]?.total ?? 0;
  const found = rows.filter((r) => r.id !== null);
  const more = found.length > opts.limit;
  const items = found.slice(0, opts.limit).map(({ total: _t, ...r }) => r);
  return { items: back ? items.reverse() : items, more, total };
}

export interface SupplierListItem {
  id: string;
  chainId: string;
  versionNo: number;
  status: Status;
  decisionKind: string | null;
  version: number;
  statusChangedAt: Date;
  createdAt: Date;
  saved: boolean;
  authorId: string;
  regionCode: string | null;
  regionNameKk: string | null;
  regionNameRu: string | null;
  orgNameKk: string;
  orgNameRu: string;
}

export interface SupplierListFilter {
  statuses?: readonly Status[];
  regionCode?: string;
  /** Created on or after / before (the search filter «период»). */
  from?: Date;
  to?: Date;
  /** The beginning of the application's number (its chain's short id: the same for every version). */
  number?: string;
  /** Only the latest version of each chain (the drafts list). */
  latestOnly?: boolean;
}

/**
 * The applications of the user's organisations, newest status change first, one page and the total in ONE
 * statement. Unsaved drafts are shown only to their author (DECISIONS 28).
 */
export async function supplierList(
  db: Db,
  userId: string,
  opts: { offset: number; limit: number; filter?: SupplierListFilter },
): Promise<{ items: SupplierListItem[]; total: number }> {
  const f = opts.filter ?? {};
  const conds: Prisma.Sql[] = [sql`(a."savedAt" IS NOT NULL OR a."authorId" = ${userId})`];
  if (f.statuses?.length) conds.push(sql`a.status::text = ANY(${textArray(f.statuses)})`);
  if (f.regionCode) conds.push(sql`a."regionCode" = ${f.regionCode}`);
  if (f.from) conds.push(sql`a."createdAt" >= ${ts(f.from)}`);
  if (f.to) conds.push(sql`a."createdAt" < ${ts(f.to)}`);
  if (f.number) conds.push(sql`a."chainId" ILIKE ${`${f.number.replace(/[%_\\]/g, "")}%`}`);
  if (f.latestOnly)
    conds.push(sql`NOT EXISTS (SELECT 1 FROM "Application" x WHERE x."chainId" = a."chainId" AND x."versionNo" > a."versionNo"
                    AND (x."savedAt" IS NOT NULL OR x."authorId" = ${userId}))`);
  const where = Prisma.join(conds, " AND ");
  const rows = await db.$queryRaw<(SupplierListItem & { total: number })[]>`
    SELECT a.id, a."chainId", a."versionNo", a.status::text AS status, a."decisionKind"::text AS "decisionKind",
           a.version, a."statusChangedAt", a."createdAt", a."savedAt" IS NOT NULL AS saved, a."authorId",
           a."regionCode", r."nameKk" AS "regionNameKk", r."nameRu" AS "regionNameRu",
           o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu", count(*) OVER ()::int AS total
      FROM "Application" a
      JOIN "Organisation" o ON o.id = a."orgId"
      LEFT JOIN "Region" r ON r.code = a."regionCode"
     WHERE a."orgId" IN (SELECT m."orgId" FROM "OrgMembership" m WHERE m."userId" = ${userId}) AND ${where}
     ORDER BY a."statusChangedAt" DESC, a.id
     OFFSET ${opts.offset} LIMIT ${opts.limit}`;
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** «Просмотр версий»: the versions of a chain the user may see, oldest first. */
export async function chainVersions(db: Db, chainId: string, userId: string) {
  return db.$queryRaw<
    { id: string; versionNo: number; status: Status; statusChangedAt: Date; saved: boolean }[]
  >`
    SELECT id, "versionNo", status::text AS status, "statusChangedAt", "savedAt" IS NOT NULL AS saved
      FROM "Application" WHERE "chainId" = ${chainId} AND ("savedAt" IS NOT NULL OR "authorId" = ${userId})
     ORDER BY "versionNo"`;
}

/**
 * «Просмотр версий» from one version: every version of its chain the user may see (a member of the organisation;
 * unsaved versions only to their author), oldest first, ONE statement. Empty when the user may not see it.
 */
export async function versionsOf(db: Db, applicationId: string, userId: string) {
  return db.$queryRaw<
    {
      id: string;
      chainId: string;
      versionNo: number;
      status: Status;
      statusChangedAt: Date;
      saved: boolean;
    }[]
  >`
    SELECT x.id, x."chainId", x."versionNo", x.status::text AS status, x."statusChangedAt",
           x."savedAt" IS NOT NULL AS saved
      FROM "Application" a JOIN "Application" x ON x."chainId" = a."chainId"
     WHERE a.id = ${applicationId}
       AND a."orgId" IN (SELECT m."orgId" FROM "OrgMembership" m WHERE m."userId" = ${userId})
       AND (x."savedAt" IS NOT NULL OR x."authorId" = ${userId})
     ORDER BY x."versionNo"`;
}

/** The statuses where the head acts (the table's HEAD stage: «На согласовании руководителя»). */
const HEAD_STATUSES = OPEN_STATUSES.filter((s) => STAGES[s]?.side === "HEAD");

/** The head's queue: applications awaiting the head in the organisations where the user signs. */
export async function headQueue(db: Db, orgIds: readonly string[], limit = 20) {
  if (!orgIds.length) return [];
  return db.$queryRaw<
    {
      id: string;
      version: number;
      statusChangedAt: Date;
      orgNameKk: string;
      orgNameRu: string;
      regionNameKk: string | null;
      regionNameRu: string | null;
    }[]
  >`
    SELECT a.id, a.version, a."statusChangedAt", o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu",
           r."nameKk" AS "regionNameKk", r."nameRu" AS "regionNameRu"
      FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId" LEFT JOIN "Region" r ON r.code = a."regionCode"
     WHERE a."orgId" = ANY(${textArray(orgIds)}) AND a.status::text = ANY(${textArray(HEAD_STATUSES)})
     ORDER BY a."statusChangedAt" LIMIT ${limit}`;
}
