// Imports КАТО (the classifier of administrative-territorial objects) into "KatoObject".
//
// Input: a UTF-8 CSV (BOM allowed), `;`, tab or `,` separated, with a header. The layout is detected by it:
//   2026 (НК РК 11-2025): code;parent_code;level;name_kk;name_ru   (parent_code empty for the 20 top-level)
//   2022:                 id;parent_id;code;name                   (parent_id 0 for the top level; ru only)
// Column aliases: name | name_ru | nameRu | ru, name_kk | nameKk | kk | name_kz, parent_code | parent.
// The seeded edition is prisma/data/kato-2026-07-17-kk-ru.csv (15,594 objects, kk and ru names); the 2022
// file (16,264 objects, ru) is imported first as history, so objects that no longer exist stay readable.
//
// - id = the 9-digit code as a number: stable across files, so callback data and references survive.
// - Names are repaired mechanically (kato-clean.ts); level (1 = region), isLeaf and childCount are computed;
//   sortKk/sortRu (alphabetical rank) and search (folded kk + ru names and the code) come from domain/kato.ts.
// - mode "edition" (default): the file is the classifier in force: its objects are upserted as active and
//   every stored object it does not list becomes inactive (kept for old applications, not offered).
//   An edition older than the stored one is refused (pass `force`).
// - mode "history": only objects not stored yet are added, inactive (an earlier edition's leftovers).
// A file without Kazakh names keeps the Kazakh names already stored. Unchanged rows are not rewritten,
// so a re-import is cheap.
//
// CLI: `tsx prisma/kato-import.ts [file.csv] [--history] [--edition yyyy-mm-dd] [--force]` (DATABASE_URL).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { foldForSearch, katoDisplayName, katoSortName } from "../domain/kato.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { runCli, withPrisma } from "./cli.ts";
import { cleanKatoName } from "./kato-clean.ts";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The classifier in force (first existing wins). */
export const DEFAULT_KATO_FILES = [
  process.env.KATO_FILE,
  resolve(HERE, "data/kato-2026-07-17-kk-ru.csv"),
  resolve(HERE, "../../shared/data/kato-2026-07-17-kk-ru.csv"),
].filter((p): p is string => !!p);

/** Earlier editions, imported before the current one as history (oldest first). */
export const KATO_HISTORY_FILES = [resolve(HERE, "data/kato-2022-10-17-ru.csv")];

export function defaultKatoFile(): string | null {
  return DEFAULT_KATO_FILES.find((p) => existsSync(p)) ?? null;
}

export type KatoLayout = "2022" | "2026";

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

export interface KatoParsed {
  layout: KatoLayout;
  rows: KatoRow[];
}

export interface KatoImportResult {
  file: string;
  layout: KatoLayout;
  mode: "edition" | "history";
  edition: string | null;
  rows: number;
  /** Rows of the file with a Kazakh name. */
  withKk: number;
  leaves: number;
  roots: number;
  /** Rows inserted or changed. */
  written: number;
  /** Stored objects not in the current edition (inactive), after the import. */
  inactive: number;
  parseMs: number;
  writeMs: number;
  /** The same file and rules as the latest import of this mode: nothing was read or written. */
  skipped?: boolean;
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

/** Parse a file of either layout and compute the tree. Throws on a malformed file. */
export function parseKatoFile(text: string): KatoParsed {
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
  const iParentId = col("parent_id", "parentid");
  const iParentCode = col("parent_code", "parentcode", "parent");
  const iCode = col("code", "kato", "kato_code");
  const iRu = col("name", "name_ru", "nameru", "ru");
  const iKk = col("name_kk", "namekk", "kk", "name_kz", "namekz");
  let layout: KatoLayout;
  if (iCode >= 0 && iParentCode >= 0 && iRu >= 0) layout = "2026";
  else if (iId >= 0 && iParentId >= 0 && iCode >= 0 && iRu >= 0) layout = "2022";
  else
    throw new Error(
      `KATO header must be "code;parent_code;level;name_kk;name_ru" or "id;parent_id;code;name"; got: ${header.join(", ")}`,
    );

  const rows: KatoRow[] = [];
  const byCode = new Map<string, KatoRow>();
  const codeOfFileId = new Map<number, string>();
  const parentOf: (string | number | null)[] = [];
  for (let n = 1; n < lines.length; n++) {
    const f = splitLine(lines[n]!, sep);
    const code = (f[iCode] ?? "").trim();
    const ruRaw = (f[iRu] ?? "").trim();
    const kkRaw = iKk >= 0 ? (f[iKk] ?? "").trim() : "";
    if (!/^\d{9}$/.test(code) || !ruRaw) throw new Error(`KATO line ${n + 1} is malformed: ${lines[n]}`);
    if (byCode.has(code)) throw new Error(`KATO line ${n + 1}: duplicate code ${code}`);
    let parent: string | number | null;
    if (layout === "2026") {
      const p = (f[iParentCode] ?? "").trim();
      if (p !== "" && !/^\d{9}$/.test(p)) throw new Error(`KATO line ${n + 1}: bad parent code ${p}`);
      parent = p === "" ? null : p;
    } else {
      const id = Number(f[iId]);
      const p = (f[iParentId] ?? "").trim();
      const pid = p === "" ? 0 : Number(p);
      if (!Number.isInteger(id) || id <= 0 || !Number.isInteger(pid))
        throw new Error(`KATO line ${n + 1} is malformed: ${lines[n]}`);
      if (codeOfFileId.has(id)) throw new Error(`KATO line ${n + 1}: duplicate id ${id}`);
      codeOfFileId.set(id, code);
      parent = pid === 0 ? null : pid;
    }
    const row: KatoRow = {
      id: Number(code),
      parentId: null,
      code,
      nameRu: cleanKatoName(ruRaw, "ru"),
      nameKk: kkRaw ? cleanKatoName(kkRaw, "kk") : null,
      level: 0,
      isLeaf: true,
      childCount: 0,
    };
    rows.push(row);
    byCode.set(code, row);
    parentOf.push(parent);
  }
  rows.forEach((r, i) => {
    const p = parentOf[i];
    if (p === null || p === undefined) return;
    const parentCode = typeof p === "number" ? codeOfFileId.get(p) : p;
    const parent = parentCode ? byCode.get(parentCode) : undefined;
    if (!parent) throw new Error(`KATO ${r.code}: parent ${p} does not exist`);
    if (parent === r) throw new Error(`KATO ${r.code}: is its own parent`);
    r.parentId = parent.id;
    parent.childCount++;
    parent.isLeaf = false;
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const levelOf = (r: KatoRow, depth = 0): number => {
    if (r.level) return r.level;
    if (depth > 32) throw new Error(`KATO ${r.code}: cycle in parent links`);
    r.level = r.parentId === null ? 1 : levelOf(byId.get(r.parentId)!, depth + 1) + 1;
    return r.level;
  };
  for (const r of rows) levelOf(r);
  return { layout, rows };
}

/** Rows only (compatibility with the earlier importer's API). */
export const parseKato = (text: string): KatoRow[] => parseKatoFile(text).rows;

/** The derived columns of a row: alphabetical ranks in both languages and the folded search text. */
export interface KatoDerived {
  sortKk: number;
  sortRu: number;
  search: string;
}

export function deriveKato(rows: readonly KatoRow[]): KatoDerived[] {
  const kk = new Intl.Collator("kk", { sensitivity: "base", numeric: true });
  const ru = new Intl.Collator("ru", { sensitivity: "base", numeric: true });
  const keyKk = rows.map((r) => (r.nameKk ? katoSortName(r.nameKk, "kk") : katoSortName(r.nameRu, "ru")));
  const keyRu = rows.map((r) => katoSortName(r.nameRu, "ru"));
  const rank = (keys: string[], c: Intl.Collator) => {
    const order = rows.map((_r, i) => i).sort((a, b) => c.compare(keys[a]!, keys[b]!) || a - b);
    const out = new Array<number>(rows.length);
    order.forEach((idx, pos) => {
      out[idx] = pos + 1;
    });
    return out;
  };
  const rk = rank(keyKk, kk);
  const rr = rank(keyRu, ru);
  return rows.map((r, i) => {
    const parts = new Set(
      [
        r.nameKk ? foldForSearch(katoDisplayName(r.nameKk, "kk")) : "",
        foldForSearch(katoDisplayName(r.nameRu, "ru")),
        r.nameKk ? foldForSearch(r.nameKk) : "",
        foldForSearch(r.nameRu),
        r.code,
      ].filter(Boolean),
    );
    return { sortKk: rk[i]!, sortRu: rr[i]!, search: [...parts].join(" ") };
  });
}

/** The edition date in a file name such as kato-2026-07-17-kk-ru.csv. */
export function editionOf(file: string): string | null {
  return /(\d{4}-\d{2}-\d{2})/.exec(basename(file))?.[1] ?? null;
}

const COLUMNS = `"id", "parentId", "code", "nameRu", "nameKk", "level", "isLeaf", "childCount", "active", "edition", "sortKk", "sortRu", "search"`;
const VALUES = `SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[],
  $8::int[], $9::bool[], $10::text[], $11::int[], $12::int[], $13::text[])`;
const CHANGED = `("KatoObject"."parentId", "KatoObject"."nameRu", "KatoObject"."nameKk", "KatoObject"."level",
       "KatoObject"."isLeaf", "KatoObject"."childCount", "KatoObject"."active", "KatoObject"."edition",
       "KatoObject"."sortKk", "KatoObject"."sortRu", "KatoObject"."search")
      IS DISTINCT FROM
      (EXCLUDED."parentId", EXCLUDED."nameRu", EXCLUDED."nameKk", EXCLUDED."level", EXCLUDED."isLeaf",
       EXCLUDED."childCount", EXCLUDED."active", EXCLUDED."edition", EXCLUDED."sortKk", EXCLUDED."sortRu",
       EXCLUDED."search")`;
const UPSERT = `INSERT INTO "KatoObject" (${COLUMNS}) ${VALUES}
ON CONFLICT ("id") DO UPDATE SET
  "parentId" = EXCLUDED."parentId", "code" = EXCLUDED."code", "nameRu" = EXCLUDED."nameRu",
  "nameKk" = EXCLUDED."nameKk", "level" = EXCLUDED."level", "isLeaf" = EXCLUDED."isLeaf",
  "childCount" = EXCLUDED."childCount", "active" = EXCLUDED."active", "edition" = EXCLUDED."edition",
  "sortKk" = EXCLUDED."sortKk", "sortRu" = EXCLUDED."sortRu", "search" = EXCLUDED."search"
WHERE ${CHANGED}`;
/** History: add what is missing; an object stored before editions were recorded gets this edition's date. */
const INSERT_HISTORY = `INSERT INTO "KatoObject" (${COLUMNS}) ${VALUES}
ON CONFLICT ("id") DO UPDATE SET "edition" = EXCLUDED."edition"
WHERE "KatoObject"."edition" IS NULL`;

type RawExecutor = Pick<PrismaClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

export interface ImportOptions {
  file?: string;
  /** "edition" (default): the classifier in force; "history": an earlier edition's objects, inactive. */
  mode?: "edition" | "history";
  /** Edition date (yyyy-mm-dd); default: from the file name. */
  edition?: string | null;
  /** Import an edition older than the stored one. */
  force?: boolean;
  batchSize?: number;
  log?: (l: string) => void;
}

/** Import a КАТО CSV file (default: the current edition, prisma/data/kato-2026-07-17-kk-ru.csv). */
export async function importKato(prisma: RawExecutor, opts: ImportOptions = {}): Promise<KatoImportResult> {
  const file = opts.file ?? defaultKatoFile();
  if (!file)
    throw new Error(`KATO file not found (looked in: ${DEFAULT_KATO_FILES.join(", ")}); set KATO_FILE`);
  const mode = opts.mode ?? "edition";
  const edition = opts.edition === undefined ? editionOf(file) : opts.edition;
  const t0 = Date.now();
  const bytes = readFileSync(file);
  const fingerprint = createHash("sha256")
    .update(mode)
    .update(bytes)
    .update(RULES_SOURCE)
    .update(String(edition))
    .digest("hex");
  if (!opts.force) {
    const header = bytes.subarray(0, 200).toString("utf8").split(/\r?\n/)[0] ?? "";
    const skipped = await unchangedImport(
      prisma,
      fingerprint,
      mode,
      file,
      /parent_code/i.test(header) ? "2026" : "2022",
    );
    if (skipped) {
      opts.log?.(importLine(skipped, mode));
      return skipped;
    }
  }
  const { layout, rows } = parseKatoFile(bytes.toString("utf8"));
  const withKk = rows.filter((r) => r.nameKk).length;
  if (mode === "edition" && withKk < rows.length) {
    // a file without (some) Kazakh names keeps the stored ones
    const stored = await prisma.$queryRawUnsafe<{ code: string; nameKk: string }[]>(
      `SELECT "code", "nameKk" FROM "KatoObject" WHERE "nameKk" IS NOT NULL`,
    );
    const kk = new Map(stored.map((s) => [s.code, s.nameKk]));
    for (const r of rows) r.nameKk ??= kk.get(r.code) ?? null;
  }
  if (mode === "edition" && edition && !opts.force) {
    const [latest] = await prisma.$queryRawUnsafe<{ e: string | null }[]>(
      `SELECT max("edition") AS e FROM "KatoObject" WHERE "active"`,
    );
    if (latest?.e && latest.e > edition)
      throw new Error(
        `KATO edition ${edition} is older than the stored ${latest.e}; pass --force to import it`,
      );
  }
  const derived = deriveKato(rows);
  const parseMs = Date.now() - t0;
  const t1 = Date.now();
  const batch = opts.batchSize ?? 5000;
  const active = mode === "edition";
  let written = 0;
  // Parents first (ordered by level), so a partial import never leaves a child without its parent.
  const order = rows
    .map((_r, i) => i)
    .sort((a, b) => rows[a]!.level - rows[b]!.level || rows[a]!.id - rows[b]!.id);
  for (let i = 0; i < order.length; i += batch) {
    const part = order.slice(i, i + batch);
    const r = (k: number) => rows[k]!;
    const d = (k: number) => derived[k]!;
    written += await prisma.$executeRawUnsafe(
      active ? UPSERT : INSERT_HISTORY,
      part.map((k) => r(k).id),
      part.map((k) => r(k).parentId),
      part.map((k) => r(k).code),
      part.map((k) => r(k).nameRu),
      part.map((k) => r(k).nameKk),
      part.map((k) => r(k).level),
      part.map((k) => r(k).isLeaf),
      part.map((k) => r(k).childCount),
      part.map(() => active),
      part.map(() => edition),
      part.map((k) => d(k).sortKk),
      part.map((k) => d(k).sortRu),
      part.map((k) => d(k).search),
    );
  }
  if (active)
    written += await prisma.$executeRawUnsafe(
      `UPDATE "KatoObject" SET "active" = false WHERE "active" AND NOT ("id" = ANY($1::int[]))`,
      rows.map((r) => r.id),
    );
  const [inactive] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "KatoObject" WHERE NOT "active"`,
  );
  const result: KatoImportResult = {
    file,
    layout,
    mode,
    edition,
    rows: rows.length,
    withKk: rows.filter((r) => r.nameKk).length,
    leaves: rows.filter((r) => r.isLeaf).length,
    roots: rows.filter((r) => r.parentId === null).length,
    written,
    inactive: Number(inactive?.n ?? 0),
    parseMs,
    writeMs: Date.now() - t1,
  };
  await prisma.$executeRawUnsafe(
    `INSERT INTO "KatoImport" ("fingerprint", "mode", "file", "edition", "rows", "withKk", "leaves", "roots")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT ("fingerprint") DO UPDATE SET "importedAt" = CURRENT_TIMESTAMP`,
    fingerprint,
    mode,
    basename(file),
    edition,
    result.rows,
    result.withKk,
    result.leaves,
    result.roots,
  );
  opts.log?.(importLine(result, mode));
  return result;
}

function importLine(r: KatoImportResult, mode: "edition" | "history"): string {
  const timing = r.skipped
    ? "unchanged since the last import"
    : `parse ${r.parseMs} ms, write ${r.writeMs} ms`;
  return mode === "edition"
    ? `KATO ${r.edition ?? "(no edition date)"}: ${r.rows} objects loaded, ${r.withKk} with a Kazakh name ` +
        `(${r.roots} top-level, ${r.leaves} leaves); ${r.inactive} of earlier editions kept inactive; ` +
        `${r.written} written; ${timing}`
    : `KATO history ${r.edition ?? ""}: ${r.rows} objects read, ${r.written} added or dated; ${timing}`;
}

/** The source of the rules that shape the stored rows: a change of any of them re-imports. */
const RULES_SOURCE = ["../domain/kato.ts", "./kato-clean.ts", "./kato-import.ts"]
  .map((f) => {
    try {
      return readFileSync(resolve(HERE, f), "utf8");
    } catch {
      return f;
    }
  })
  .join("\n");

/** The result of the latest import of this mode when it had this fingerprint (nothing to do), else null. */
async function unchangedImport(
  prisma: RawExecutor,
  fingerprint: string,
  mode: "edition" | "history",
  file: string,
  layout: KatoLayout,
): Promise<KatoImportResult | null> {
  const [last] = await prisma.$queryRawUnsafe<
    {
      fingerprint: string;
      edition: string | null;
      rows: number;
      withKk: number;
      leaves: number;
      roots: number;
    }[]
  >(
    `SELECT "fingerprint", "edition", "rows", "withKk", "leaves", "roots" FROM "KatoImport"
      WHERE "mode" = $1 ORDER BY "importedAt" DESC LIMIT 1`,
    mode,
  );
  if (!last || last.fingerprint !== fingerprint) return null;
  const [inactive] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "KatoObject" WHERE NOT "active"`,
  );
  return {
    file,
    layout,
    mode,
    edition: last.edition,
    rows: last.rows,
    withKk: last.withKk,
    leaves: last.leaves,
    roots: last.roots,
    written: 0,
    inactive: Number(inactive?.n ?? 0),
    parseMs: 0,
    writeMs: 0,
    skipped: true,
  };
}

runCli(import.meta.url, async (url) => {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.includes(name);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--edition");
  await withPrisma(url, (prisma) =>
    importKato(prisma, {
      file,
      mode: flag("--history") ? "history" : "edition",
      edition: value("--edition"),
      force: flag("--force"),
      log: console.log,
    }),
  );
});
