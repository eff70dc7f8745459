// Every package the code imports is a direct dependency of package.json: what runs in production (the bot,
// the sandbox, migrations and seeds, the invite script) from `dependencies` — the Docker image drops the dev
// dependencies — and tests, benchmarks and tooling from `dependencies` or `devDependencies`. A package that is
// only there because another one depends on it may vanish or change with that one's next release.
//
//   npx tsx scripts/check-deps.ts      (exit 1 with the list of problems)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Code that runs in production: imports must be in `dependencies`. */
export const RUNTIME_DIRS = ["adapters", "app", "bot", "conversations", "domain", "prisma", "sandbox"];
/** Production scripts (the rest of scripts/ is tooling). */
export const RUNTIME_FILES = ["scripts/start.mjs", "scripts/invite.ts", "scripts/prisma-generate.mjs"];
/** Tests, benchmarks, tooling and configuration: `dependencies` or `devDependencies`. */
export const DEV_DIRS = ["test", "bench", "scripts"];
export const DEV_FILES = ["vitest.config.ts", "vitest.browser.config.ts", "prisma.config.ts"];

const SOURCE = /\.(ts|mts|mjs|js)$/;
// static imports and re-exports, dynamic import(), side-effect imports
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;()=]*?from\s*["']([^"']+)["']|(?:^|[\s;(=])import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[\s;])import\s*["']([^"']+)["']/gm;

function sourcesOf(root: string, dir: string): string[] {
  const abs = join(root, dir);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    return [];
  }
  if (st.isFile()) return SOURCE.test(abs) ? [abs] : [];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(abs, e.name);
    if (e.isDirectory()) out.push(...sourcesOf(root, relative(root, p)));
    else if (SOURCE.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative/builtin. */
export function packageOf(spec: string): string | null {
  if (!/^[@\w][\w.@/-]*$/.test(spec)) return null; // not a module specifier (a string that merely follows "from")
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:") || spec.startsWith("#"))
    return null;
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  if (builtinModules.includes(name)) return null;
  return name;
}

/** Strip comments so an example in a comment does not count as an import. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

export function importsOf(file: string): string[] {
  const found = new Set<string>();
  for (const m of code(readFileSync(file, "utf8")).matchAll(IMPORT)) {
    const pkg = packageOf(m[1] ?? m[2] ?? m[3] ?? "");
    if (pkg) found.add(pkg);
  }
  return [...found];
}

export function checkDependencies(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const dev = new Set(Object.keys(pkg.devDependencies ?? {}));
  const problems: string[] = [];
  const runtime = new Set([...RUNTIME_DIRS, ...RUNTIME_FILES].flatMap((d) => sourcesOf(root, d)));
  const all = new Set([...runtime, ...[...DEV_DIRS, ...DEV_FILES].flatMap((d) => sourcesOf(root, d))]);
  for (const file of all) {
    const rel = relative(root, file);
    if (rel.startsWith("generated/")) continue;
    for (const name of importsOf(file)) {
      if (name === pkg.name) continue;
      if (runtime.has(file)) {
        if (deps.has(name)) continue;
        problems.push(
          dev.has(name)
            ? `${rel}: imports ${name}, a devDependency (the production image does not have it)`
            : `${rel}: imports ${name}, which is not a direct dependency`,
        );
      } else if (!deps.has(name) && !dev.has(name)) {
        problems.push(`${rel}: imports ${name}, which is not a direct dependency`);
      }
    }
  }
  return problems.sort();
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === pathToFileURL(self).href) {
  const problems = checkDependencies(resolve(dirname(self), ".."));
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log("every imported package is a direct dependency");
}
