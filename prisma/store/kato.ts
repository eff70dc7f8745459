// КАТО reads for the picker, cards, summaries and PDFs (the lead exposes them through app/).
// Names are stored as the official file gives them (repaired); domain/kato.ts turns them into what a person
// reads (katoName, katoPathText). Only active objects (the edition in force) are offered for new choices;
// reads by code also return inactive ones, so an old application keeps its base's name and path.
import { foldForSearch, KATO_SEARCH_MIN, type KatoLang, katoRegionCode } from "../../domain/kato.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";

type Db = Pick<PrismaClient, "$queryRawUnsafe">;

export interface KatoNode {
  id: number;
  parentId: number | null;
  code: string;
  nameKk: string | null;
  nameRu: string;
  level: number;
  isLeaf: boolean;
  childCount: number;
  /** In the edition in force (offered for new applications). */
  active: boolean;
}

export interface KatoWithPath extends KatoNode {
  /** Region → … → the object itself (at least the object). */
  path: KatoNode[];
}

export interface KatoPage {
  items: KatoNode[];
  total: number;
  /** The page shown (clamped to 0..pages-1). */
  page: number;
  pages: number;
}

const COLS = `"id", "parentId", "code", "nameKk", "nameRu", "level", "isLeaf", "childCount", "active"`;
const sortCol = (lang: KatoLang) => (lang === "kk" ? `"sortKk"` : `"sortRu"`);

/**
 * The active children of a node (`null` = the 20 regions and cities of republican significance), in the
 * reader's alphabetical order, one page. Index: (parentId, sortKk | sortRu).
 */
export async function katoChildren(
  prisma: Db,
  parentId: number | null,
  lang: KatoLang,
  opts: { page?: number; pageSize?: number } = {},
): Promise<KatoPage> {
  const size = opts.pageSize ?? 8;
  const where = parentId === null ? `"parentId" IS NULL` : `"parentId" = $1`;
  const params = parentId === null ? [] : [parentId];
  const [count] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "KatoObject" WHERE ${where} AND "active"`,
    ...params,
  );
  const total = Number(count?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(0, opts.page ?? 0), pages - 1);
  const items = await prisma.$queryRawUnsafe<KatoNode[]>(
    `SELECT ${COLS} FROM "KatoObject" WHERE ${where} AND "active"
      ORDER BY ${sortCol(lang)}, "id" LIMIT ${size} OFFSET ${page * size}`,
    ...params,
  );
  return { items, total, page, pages };
}

/** One object by id (active or not). */
export async function katoById(prisma: Db, id: number): Promise<KatoNode | null> {
  if (!Number.isSafeInteger(id)) return null;
  const rows = await prisma.$queryRawUnsafe<KatoNode[]>(
    `SELECT ${COLS} FROM "KatoObject" WHERE "id" = $1`,
    id,
  );
  return rows[0] ?? null;
}

export interface KatoSearch {
  /** Only inside this region (its top-level КАТО code, or any code of it). */
  regionKatoCode?: string | null;
  lang: KatoLang;
  limit?: number;
}

/**
 * Active objects whose kk or ru name (or code) contains the query, both spellings (domain/kato.ts
 * foldForSearch: «Еңбекші» = «Енбекши»). Words starting with the query first, then higher levels, then the
 * reader's alphabetical order. Index: GIN trigram on "search" (queries of 3+ folded characters).
 */
export async function searchKato(prisma: Db, query: string, opts: KatoSearch): Promise<KatoNode[]> {
  const q = foldForSearch(query);
  if (q.length < KATO_SEARCH_MIN) return [];
  const region = opts.regionKatoCode ? katoRegionCode(opts.regionKatoCode) : null;
  const params: unknown[] = [`%${q}%`, `${q}%`, `% ${q}%`];
  let inRegion = "";
  if (region) {
    const lo = Number(region);
    params.push(lo, lo + 9_999_999);
    inRegion = `AND "id" BETWEEN $4 AND $5`;
  }
  return prisma.$queryRawUnsafe<KatoNode[]>(
    `SELECT ${COLS} FROM "KatoObject"
      WHERE "search" LIKE $1 AND "active" ${inRegion}
      ORDER BY ("search" LIKE $2 OR "search" LIKE $3) DESC, "level", ${sortCol(opts.lang)}, "id"
      LIMIT ${Math.min(Math.max(1, opts.limit ?? 10), 50)}`,
    ...params,
  );
}

/** Objects and all their ancestors, by id (one recursive query). */
async function withAncestors(prisma: Db, where: string, param: unknown): Promise<Map<number, KatoNode>> {
  const rows = await prisma.$queryRawUnsafe<KatoNode[]>(
    `WITH RECURSIVE up AS (
       SELECT ${COLS} FROM "KatoObject" WHERE ${where}
       UNION
       SELECT k."id", k."parentId", k."code", k."nameKk", k."nameRu", k."level", k."isLeaf", k."childCount", k."active"
         FROM "KatoObject" k JOIN up ON k."id" = up."parentId")
     SELECT * FROM up`,
    param,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

function pathOf(byId: Map<number, KatoNode>, node: KatoNode): KatoNode[] {
  const path: KatoNode[] = [];
  let cur: KatoNode | undefined = node;
  for (let i = 0; cur && i < 12; i++) {
    path.unshift(cur);
    cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
  }
  return path;
}

/**
 * Objects by code with their paths, active or not (cards, summaries, PDFs, the wizard's base list).
 * Unknown codes are absent from the map.
 */
export async function katoByCodes(prisma: Db, codes: readonly string[]): Promise<Map<string, KatoWithPath>> {
  const wanted = [...new Set(codes.filter((c) => /^\d{9}$/.test(c)))];
  const out = new Map<string, KatoWithPath>();
  if (!wanted.length) return out;
  const byId = await withAncestors(prisma, `"code" = ANY($1::text[])`, wanted);
  for (const n of byId.values())
    if (wanted.includes(n.code)) out.set(n.code, { ...n, path: pathOf(byId, n) });
  return out;
}

/** One object by id with its path (the picker's «Выбрано: …» line), or null. */
export async function katoWithPath(prisma: Db, id: number): Promise<KatoWithPath | null> {
  if (!Number.isSafeInteger(id)) return null;
  const byId = await withAncestors(prisma, `"id" = $1`, id);
  const node = byId.get(id);
  return node ? { ...node, path: pathOf(byId, node) } : null;
}
