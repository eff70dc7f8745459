// The register for Fund staff (seed 000 §7, issue 11): the applications of the staff member's regions that are
// in the register now (included, or with an exclusion under way), searched by BIN/IIN or a part of the name,
// newest status change first, in keyset pages (statusChangedAt, id) — the page and the count in ONE statement.
import { DECISION_KINDS, type DecisionKind, STATUSES, type Status } from "../../domain/types.ts";
import { type Db, Prisma, textArray, ts } from "./db.ts";
import type { Cursor } from "./queues.ts";

const sql = Prisma.sql;

export interface RegisterFilter {
  regions: readonly string[];
  /** Statuses that are in the register whatever the decision kind (the included ones). */
  included: readonly Status[];
  /** Statuses that are in the register while the decision under way is this kind (an exclusion). */
  pending: { statuses: readonly Status[]; decisionKind: DecisionKind };
  /** Digits: the beginning of the BIN/IIN; otherwise a part of the name (kk or ru), case-insensitive. */
  query?: string | null;
}

export interface RegisterItem {
  id: string;
  chainId: string;
  status: Status;
  version: number;
  statusChangedAt: Date;
  regionCode: string | null;
  orgNameKk: string;
  orgNameRu: string;
  bin: string;
}

const likeSafe = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * A list of statuses as enum literals (checked against the domain's list), so that the planner can use
 * "Application_regionCode_status_statusChangedAt_idx"; a cast to text would hide the column from the index.
 */
function statusIn(statuses: readonly Status[]): Prisma.Sql {
  const ok = statuses.filter((s) => (STATUSES as readonly string[]).includes(s));
  if (!ok.length || ok.length !== statuses.length)
    throw new Error(`not a status list: ${statuses.join(",")}`);
  return Prisma.raw(`a.status IN (${ok.map((s) => `'${s}'`).join(", ")})`);
}

function registerWhere(f: RegisterFilter): Prisma.Sql {
  const q = (f.query ?? "").trim();
  const search = !q
    ? Prisma.empty
    : /^\d+$/.test(q)
      ? sql` AND o.bin LIKE ${`${q}%`}`
      : sql` AND (o."nameRu" ILIKE ${`%${likeSafe(q)}%`} OR o."nameKk" ILIKE ${`%${likeSafe(q)}%`})`;
  if (!DECISION_KINDS.includes(f.pending.decisionKind))
    throw new Error(`not a decision kind: ${f.pending.decisionKind}`);
  const kind = Prisma.raw(`'${f.pending.decisionKind}'`);
  return sql`a."regionCode" = ANY(${textArray(f.regions)})
     AND (${statusIn(f.included)} OR (${statusIn(f.pending.statuses)} AND a."decisionKind" = ${kind}))${search}`;
}

/**
 * One page, newest status change first. `after` a cursor (next page) or `before` it (previous page, read the
 * other way and returned in display order). `more`: rows lie beyond the page in the direction read.
 */
export async function registerPage(
  db: Db,
  f: RegisterFilter,
  opts: { limit: number; after?: Cursor | null; before?: Cursor | null; cap: number },
): Promise<{ items: RegisterItem[]; more: boolean; total: number }> {
  if (!f.regions.length) return { items: [], more: false, total: 0 };
  const back = !!opts.before;
  const c = opts.before ?? opts.after ?? null;
  const cursor = c
    ? back
      ? sql` AND (a."statusChangedAt", a.id) > (${ts(c.at)}, ${c.id})`
      : sql` AND (a."statusChangedAt", a.id) < (${ts(c.at)}, ${c.id})`
    : Prisma.empty;
  const order = Prisma.raw(back ? `a."statusChangedAt", a.id` : `a."statusChangedAt" DESC, a.id DESC`);
  const where = registerWhere(f);
  const rows = await db.$queryRaw<(RegisterItem & { total: number })[]>`
    WITH total AS (SELECT count(*)::int AS n FROM (SELECT 1 FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId"
                    WHERE ${where} LIMIT ${opts.cap + 1}) q)
    SELECT p.*, total.n AS total FROM total LEFT JOIN LATERAL (
      SELECT a.id, a."chainId", a.status::text AS status, a.version, a."statusChangedAt", a."regionCode",
             o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu", o.bin
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
