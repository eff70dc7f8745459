// Issue 10 «Must show»: the bot and the guided flows ask the application layer and show; they never reach the
// store or the Prisma client (the composition root excepted), and never name a status: they ask
// domain/workflow.ts, allowedActions or the snapshot. The files are read with the TypeScript parser, so comments
// and strings that merely look like imports do not count, and `import type`, `export … from` and `import()` do.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { STATUSES } from "../../domain/types.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SCANNED = ["bot", "conversations"];

/** The composition root builds the Prisma client, the store and the adapters: it may import them. */
const isCompositionRoot = (file: string) => file === "bot/main.ts" || file.startsWith("bot/runtime/");

/**
 * SPINE.md: type imports of prisma/store/index.ts (CardData, Cursor…) are allowed until the lead re-exports
 * those types through app/. Set to false then.
 */
const STORE_INDEX_TYPES_ALLOWED = false;

/**
 * Being migrated onto the new layers by other branches (the lead empties these lists when merging them). Each
 * file here gets an `it.fails` test: it fails (as expected) while the file still offends, and turns red the day
 * the file is clean or gone — take it off the list then. A file not listed here must be clean.
 */
const IMPORTS_BEING_MIGRATED: readonly string[] = [];
const STATUS_LITERALS_BEING_MIGRATED: readonly string[] = [];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

const FILES = SCANNED.flatMap((d) => tsFiles(join(ROOT, d))).map((p) =>
  relative(ROOT, p).split("\\").join("/"),
);
const parse = (file: string, text = readFileSync(join(ROOT, file), "utf8")) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);

interface ImportRef {
  file: string;
  line: number;
  target: string;
  typeOnly: boolean;
}

/** Every module a file imports or re-exports (static, type-only, dynamic and `import("…")` types). */
function importsOf(file: string, text?: string): ImportRef[] {
  const sf = parse(file, text);
  const out: ImportRef[] = [];
  const add = (spec: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(spec) || !spec.text.startsWith(".")) return;
    const target = relative(ROOT, resolve(dirname(join(ROOT, file)), spec.text))
      .split("\\")
      .join("/");
    out.push({ file, line: sf.getLineAndCharacterOfPosition(spec.getStart()).line + 1, target, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : [];
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier)
      add(node.moduleSpecifier, node.isTypeOnly);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0]
    )
      add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const reachesStore = (r: ImportRef) => {
  const t = r.target.replace(/\.ts$/, "");
  const store = t === "prisma/store" || t.startsWith("prisma/store/");
  const prisma = t === "generated/prisma" || t.startsWith("generated/prisma/");
  if (!store && !prisma) return false;
  if (STORE_INDEX_TYPES_ALLOWED && r.typeOnly && (t === "prisma/store/index" || t === "prisma/store"))
    return false;
  return true;
};

function importOffenders(files = FILES): string[] {
  return files
    .filter((f) => !isCompositionRoot(f))
    .flatMap((f) => importsOf(f).filter(reachesStore))
    .map((r) => `${r.file}:${r.line} imports ${r.target}${r.typeOnly ? " (type)" : ""}`);
}

const STATUS_SET: ReadonlySet<string> = new Set(STATUSES);

/** Every string literal (quotes or backticks without substitutions, types included) that is a status. */
function statusLiterals(files = FILES): string[] {
  const out: string[] = [];
  for (const file of files) {
    const sf = parse(file);
    const visit = (node: ts.Node) => {
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && STATUS_SET.has(node.text))
        out.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${node.text}"`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

describe("layering: bot/ and conversations/ never reach the store or Prisma (issue 10)", () => {
  it("finds the files it scans, and recognises every kind of import", () => {
    expect(FILES).toContain("bot/main.ts");
    expect(FILES.some((f) => f.startsWith("conversations/"))).toBe(true);
    const probe = importsOf(
      "bot/x.ts",
      `import a from "../prisma/store/a.ts"; import type { B } from "../generated/prisma/client.ts";
       import { type C1, type C2 } from "../prisma/store/index.ts"; import { D, type E } from "../app/index.ts";
       export { f } from "../prisma/store/f.ts"; const g = await import("../prisma/store/g.ts");
       type H = import("../prisma/store/index.ts").CardData; // import "../prisma/store/comment.ts"
       const s = "../prisma/store/string.ts";`,
    );
    expect(probe.map((r) => [r.target, r.typeOnly])).toEqual([
      ["prisma/store/a.ts", false],
      ["generated/prisma/client.ts", true],
      ["prisma/store/index.ts", true],
      ["app/index.ts", false],
      ["prisma/store/f.ts", false],
      ["prisma/store/g.ts", false],
      ["prisma/store/index.ts", true],
    ]);
    expect(probe.filter(reachesStore).map((r) => r.target)).toEqual([
      "prisma/store/a.ts",
      "generated/prisma/client.ts",
      ...(STORE_INDEX_TYPES_ALLOWED ? [] : ["prisma/store/index.ts"]),
      "prisma/store/f.ts",
      "prisma/store/g.ts",
      ...(STORE_INDEX_TYPES_ALLOWED ? [] : ["prisma/store/index.ts"]),
    ]);
  });

  it("no file outside the composition root (bot/main.ts, bot/runtime/*) imports prisma/store or generated/prisma", () => {
    const offenders = importOffenders(FILES.filter((f) => !IMPORTS_BEING_MIGRATED.includes(f)));
    expect(offenders).toEqual([]);
  });

  for (const file of IMPORTS_BEING_MIGRATED) {
    const now = importOffenders([file]);
    it.fails(`being migrated: ${file} (${now.length ? [...new Set(now.map((x) => x.split(" imports ")[1]))].join(", ") : "clean: take it off the list"})`, () => {
      expect(now).toEqual([]);
    });
  }
});

describe("layering: no status string literal in bot/ or conversations/ (issue 10)", () => {
  it(`names none of the ${STATUSES.length} statuses of domain/types.ts in quotes`, () => {
    expect(statusLiterals(FILES.filter((f) => !STATUS_LITERALS_BEING_MIGRATED.includes(f)))).toEqual([]);
  });

  for (const file of STATUS_LITERALS_BEING_MIGRATED) {
    const now = statusLiterals([file]);
    it.fails(`being migrated: ${file} (${now.length ? [...new Set(now.map((x) => x.split(" ")[1]))].join(", ") : "clean: take it off the list"})`, () => {
      expect(now).toEqual([]);
    });
  }
});
