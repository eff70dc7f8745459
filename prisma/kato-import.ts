// Imports КАТО (the classifier of administrative-territorial objects) into "KatoObject".
//
// Input: a UTF-8 CSV (BOM allowed), `;` or `,` separated, with a header. Recognised columns:
//   id, parent_id (0 or empty = a region / city of republican significance), code (9 digits),
//   name | name_ru | nameRu (Russian name), optional name_kk | nameKk | kk (Kazakh name).
// The default file is prisma/data/kato-2022-10-17-ru.csv (a versioned copy of ../shared/data/…:
// 16,264 objects, Russian only; override with KATO_FILE or an argument).
// A later official file with Kazakh names is imported the same way; a file without a Kazakh column
// keeps the Kazakh names already stored. Level (1 = region), isLeaf and childCount are computed.
// Rows are upserted in batches (one `INSERT … SELECT FROM unnest(…)` per batch); unchanged rows are
// not rewritten, so a re-import is cheap. Objects missing from a newer file are kept (they may be
// referenced by stored addresses).
//
// CLI: `tsx prisma/kato-import.ts [file.csv]` (DATABASE_URL).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { runCli, withPrisma } from "./cli.ts";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the default КАТО file is looked for (first existing wins). */
export const DEFAULT_KATO_FILES = [
  process.env.KATO_FILE,
  resolve(HERE, "data/kato-2022-10-17-ru.csv"),
  resolve(HERE, "../../shared/data/kato-2022-10-17-ru.csv"),
].filter((p): p is string => !!p);

export function defaultKatoFile(): string | null {
  return DEFAULT_KATO_FILES.find((p) => existsSync(p)) ?? null;
}

export interface KatoRow {
  id: number;
  parentId: number | null;
  code: string;
  nameRu: string;
  nameKk: string | null;
  level: number;
  isLeaf: boolean;
  childCount: number;
}

export interface KatoImportResult {
  file: string;
  rows: number;
  leaves: number;
  roots: number;
  /** Rows inserted or changed. */
  written: number;
  parseMs: number;
  writeMs: number;
}

function splitLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parse and compute the tree attributes. Throws on a malformed file (unknown parent, duplicate id/code). */
export function parseKato(text: string): KatoRow[] {
  const lines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  if (lines.length < 2) throw new Error("KATO file is empty");
  const headerLine = lines[0]!;
  const sep = headerLine.includes(";") ? ";" : headerLine.includes("\t") ? "\t" : ",";
  const header = splitLine(headerLine, sep).map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const iId = col("id");
  const iParent = col("parent_id", "parentid", "parent");
  const iCode = col("code", "kato", "kato_code");
  const iRu = col("name", "name_ru", "nameru", "ru");
  const iKk = col("name_kk", "namekk", "kk", "name_kz", "namekz");
  if (iId < 0 || iParent < 0 || iCode < 0 || iRu < 0) {
    throw new Error(`KATO header must have id, parent_id, code and name columns; got: ${header.join(", ")}`);
  }
  const rows: KatoRow[] = [];
  const byId = new Map<number, KatoRow>();
  const codes = new Set<string>();
  for (let n = 1; n < lines.length; n++) {
    const f = splitLine(lines[n]!, sep);
    const id = Number(f[iId]);
    const parentRaw = (f[iParent] ?? "").trim();
    const parent = parentRaw === "" ? 0 : Number(parentRaw);
    const code = (f[iCode] ?? "").trim();
    const nameRu = (f[iRu] ?? "").trim();
    const nameKk = iKk >= 0 ? (f[iKk] ?? "").trim() || null : null;
    if (!Number.isInteger(id) || id <= 0 || !Number.isInteger(parent) || !/^\d{9}$/.test(code) || !nameRu) {
      throw new Error(`KATO line ${n + 1} is malformed: ${lines[n]}`);
    }
    if (byId.has(id)) throw new Error(`KATO line ${n + 1}: duplicate id ${id}`);
    if (codes.has(code)) throw new Error(`KATO line ${n + 1}: duplicate code ${code}`);
    codes.add(code);
    const row: KatoRow = {
      id,
      parentId: parent === 0 ? null : parent,
      code,
      nameRu,
      nameKk,
      level: 0,
      isLeaf: true,
      childCount: 0,
    };
    rows.push(row);
    byId.set(id, row);
  }
  for (const r of rows) {
    if (r.parentId === null) continue;
    const p = byId.get(r.parentId);
    if (!p) throw new Error(`KATO id ${r.id}: parent ${r.parentId} does not exist`);
    p.childCount++;
    p.isLeaf = false;
  }
  const levelOf = (r: KatoRow, depth = 0): number => {
    if (r.level) return r.level;
    if (depth > 32) throw new Error(`KATO id ${r.id}: cycle in parent links`);
    r.level = r.parentId === null ? 1 : levelOf(byId.get(r.parentId)!, depth + 1) + 1;
    return r.level;
  };
  for (const r of rows) levelOf(r);
  return rows;
}

const UPSERT = `
INSERT INTO "KatoObject" ("id", "parentId", "code", "nameRu", "nameKk", "level", "isLeaf", "childCount")
SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::int[])
ON CONFLICT ("id") DO UPDATE SET
  "parentId" = EXCLUDED."parentId",
  "code" = EXCLUDED."code",
  "nameRu" = EXCLUDED."nameRu",
  "nameKk" = COALESCE(EXCLUDED."nameKk", "KatoObject"."nameKk"),
  "level" = EXCLUDED."level",
  "isLeaf" = EXCLUDED."isLeaf",
  "childCount" = EXCLUDED."childCount"
WHERE ("KatoObject"."parentId", "KatoObject"."code", "KatoObject"."nameRu", "KatoObject"."level",
       "KatoObject"."isLeaf", "KatoObject"."childCount")
      IS DISTINCT FROM
      (EXCLUDED."parentId", EXCLUDED."code", EXCLUDED."nameRu", EXCLUDED."level", EXCLUDED."isLeaf", EXCLUDED."childCount")
   OR (EXCLUDED."nameKk" IS NOT NULL AND EXCLUDED."nameKk" IS DISTINCT FROM "KatoObject"."nameKk")`;

type RawExecutor = Pick<PrismaClient, "$executeRawUnsafe">;

/** Import a КАТО CSV file (default: the shared 2022-10-17 file). */
export async function importKato(
  prisma: RawExecutor,
  opts: { file?: string; batchSize?: number; log?: (l: string) => void } = {},
): Promise<KatoImportResult> {
  const file = opts.file ?? defaultKatoFile();
  if (!file)
    throw new Error(`KATO file not found (looked in: ${DEFAULT_KATO_FILES.join(", ")}); set KATO_FILE`);
  const t0 = Date.now();
  const rows = parseKato(readFileSync(file, "utf8"));
  const parseMs = Date.now() - t0;
  const t1 = Date.now();
  const batch = opts.batchSize ?? 5000;
  let written = 0;
  // Parents first (ordered by level), so a partial import never leaves a child without its parent.
  const ordered = [...rows].sort((a, b) => a.level - b.level || a.id - b.id);
  for (let i = 0; i < ordered.length; i += batch) {
    const part = ordered.slice(i, i + batch);
    written += await prisma.$executeRawUnsafe(
      UPSERT,
      part.map((r) => r.id),
      part.map((r) => r.parentId),
      part.map((r) => r.code),
      part.map((r) => r.nameRu),
      part.map((r) => r.nameKk),
      part.map((r) => r.level),
      part.map((r) => r.isLeaf),
      part.map((r) => r.childCount),
    );
  }
  const result: KatoImportResult = {
    file,
    rows: rows.length,
    leaves: rows.filter((r) => r.isLeaf).length,
    roots: rows.filter((r) => r.parentId === null).length,
    written,
    parseMs,
    writeMs: Date.now() - t1,
  };
  opts.log?.(
    `KATO: ${result.rows} objects (${result.roots} top-level, ${result.leaves} leaves), ${written} written; ` +
      `parse ${parseMs} ms, write ${result.writeMs} ms`,
  );
  return result;
}

runCli(import.meta.url, async (url) => {
  await withPrisma(url, (prisma) => importKato(prisma, { file: process.argv[2], log: console.log }));
});
