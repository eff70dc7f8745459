// The KATO picker's reads (C5), each ONE statement, on the КАТО table of prisma/store/kato.ts (the edition in
// force is `active`; `sortKk`/`sortRu` the reader's alphabetical order; `search` the folded names of
// domain/kato.ts foldForSearch): a level of the tree (paged, with the path of the node), a search by typed name
// inside a region (with the two levels above each result), the paths of objects. app/drafts.ts
// katoChildren / katoSearch / katoPath call these, so a wizard step that draws a level stays at one read.
import { foldForSearch, KATO_SEARCH_MIN, type KatoLang, katoRegionCode } from "../../domain/kato.ts";
import { type Db, Prisma } from "./db.ts";

const sql = Prisma.sql;

export interface KatoItem {
  code: string;
  nameKk: string | null;
  nameRu: string;
  isLeaf: boolean;
  active: boolean;
}

export interface KatoLevel {
  /** The node whose children these are (null: the top level). */
  node: (KatoItem & { parentCode: string | null }) | null;
  /** Names from the top level down to the node (the node included). */
  path: { nameKk: string | null; nameRu: string }[];
  items: KatoItem[];
  total: number;
}

const sortCol = (lang: KatoLang) => (lang === "kk" ? sql`k."sortKk"` : sql`k."sortRu"`);

/** The active children of `parentCode` (null: the top level), one page, with the node and its path. */
export async function katoLevel(
  db: Db,
  parentCode: string | null,
  lang: KatoLang,
  page: { offset: number; limit: number },
): Promise<KatoLevel> {
  const rows = await db.$queryRaw<
    { node: KatoLevel["node"]; path: KatoLevel["path"]; items: KatoItem[]; total: number }[]
  >`
    WITH RECURSIVE node AS (
      SELECT n.id, n.code, n."nameKk", n."nameRu", n."isLeaf", n.active, n."parentId" FROM "KatoObject" n WHERE n.code = ${parentCode}
    ), up AS (
      SELECT n.id, n."parentId", n."nameKk", n."nameRu", 0 AS depth FROM node n
      UNION ALL
      SELECT p.id, p."parentId", p."nameKk", p."nameRu", up.depth + 1 FROM "KatoObject" p JOIN up ON p.id = up."parentId"
       WHERE up.depth < 10
    ), kids AS (
      SELECT k.code, k."nameKk", k."nameRu", k."isLeaf", k.active, ${sortCol(lang)} AS rank, k.id FROM "KatoObject" k
       WHERE k.active AND ((${parentCode}::text IS NULL AND k."parentId" IS NULL) OR k."parentId" = (SELECT id FROM node))
    )
    SELECT (SELECT json_build_object('code', n.code, 'nameKk', n."nameKk", 'nameRu', n."nameRu", 'isLeaf', n."isLeaf",
                   'active', n.active, 'parentCode', (SELECT p.code FROM "KatoObject" p WHERE p.id = n."parentId")) FROM node n) AS node,
           COALESCE((SELECT json_agg(json_build_object('nameKk', up."nameKk", 'nameRu', up."nameRu") ORDER BY up.depth DESC)
                       FROM up), '[]'::json) AS path,
           COALESCE((SELECT json_agg(json_build_object('code', p.code, 'nameKk', p."nameKk", 'nameRu', p."nameRu",
                       'isLeaf', p."isLeaf", 'active', p.active) ORDER BY p.rank, p.id)
                       FROM (SELECT * FROM kids ORDER BY rank, id OFFSET ${page.offset} LIMIT ${page.limit}) p), '[]'::json) AS items,
           (SELECT count(*)::int FROM kids) AS total`;
  const r = rows[0];
  return { node: r?.node ?? null, path: r?.path ?? [], items: r?.items ?? [], total: r?.total ?? 0 };
}

export interface KatoFound extends KatoItem {
  /** The names of the parent and grandparent (nearest last), to tell equal names apart. */
  parents: { nameKk: string | null; nameRu: string }[];
}

/**
 * Active objects whose kk or ru name (or code) contains `query` in either spelling («Еңбекші» = «Енбекши»), inside
 * the region of `regionKato` (any code of it); words starting with the query first, then higher levels, then the
 * reader's order. Index: the trigram index on "search".
 */
export async function katoSearch(
  db: Db,
  query: string,
  regionKato: string | null,
  lang: KatoLang,
  limit = 10,
): Promise<KatoFound[]> {
  const q = foldForSearch(query);
  if (q.length < KATO_SEARCH_MIN) return [];
  const region = regionKato ? katoRegionCode(regionKato) : null;
  const inRegion = region
    ? sql`AND k.id BETWEEN ${Number(region)} AND ${Number(region) + 9_999_999}`
    : Prisma.empty;
  return db.$queryRaw<KatoFound[]>`
    SELECT k.code, k."nameKk", k."nameRu", k."isLeaf", k.active,
           COALESCE((SELECT json_agg(json_build_object('nameKk', x."nameKk", 'nameRu', x."nameRu") ORDER BY x.o DESC)
             FROM (SELECT p."nameKk", p."nameRu", 1 AS o FROM "KatoObject" p WHERE p.id = k."parentId"
                   UNION ALL
                   SELECT g."nameKk", g."nameRu", 2 FROM "KatoObject" p JOIN "KatoObject" g ON g.id = p."parentId"
                    WHERE p.id = k."parentId") x), '[]'::json) AS parents
      FROM "KatoObject" k
     WHERE k.search LIKE ${`%${q}%`} AND k.active ${inRegion}
     ORDER BY (k.search LIKE ${`${q}%`} OR k.search LIKE ${`% ${q}%`}) DESC, k.level, ${sortCol(lang)}, k.id
     LIMIT ${Math.min(Math.max(1, limit), 50)}`;
}

/** One object by code (active or not), or null. */
export async function katoOne(db: Db, code: string): Promise<KatoItem | null> {
  const rows = await db.$queryRaw<KatoItem[]>`
    SELECT code, "nameKk", "nameRu", "isLeaf", active FROM "KatoObject" WHERE code = ${code}`;
  return rows[0] ?? null;
}

/** The paths (top level down to the object) of several objects, in ONE statement; unknown codes are left out. */
export async function katoPaths(
  db: Db,
  codes: readonly string[],
): Promise<Map<string, { nameKk: string | null; nameRu: string }[]>> {
  const wanted = [...new Set(codes.filter((c) => /^\d{9}$/.test(c)))];
  const out = new Map<string, { nameKk: string | null; nameRu: string }[]>();
  if (!wanted.length) return out;
  const rows = await db.$queryRaw<{ code: string; nameKk: string | null; nameRu: string; depth: number }[]>`
    WITH RECURSIVE up AS (
      SELECT k.code AS code, k."parentId", k."nameKk", k."nameRu", 0 AS depth FROM "KatoObject" k WHERE k.code = ANY(${wanted}::text[])
      UNION ALL
      SELECT up.code, p."parentId", p."nameKk", p."nameRu", up.depth + 1 FROM "KatoObject" p JOIN up ON p.id = up."parentId"
       WHERE up.depth < 10
    )
    SELECT code, "nameKk", "nameRu", depth FROM up ORDER BY code, depth DESC`;
  for (const r of rows) out.set(r.code, [...(out.get(r.code) ?? []), { nameKk: r.nameKk, nameRu: r.nameRu }]);
  return out;
}
