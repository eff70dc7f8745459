// Every text exists in kk and ru: same keys, all plural forms, no empty strings, and every literal
// ctx.t("ns:key") / t("ns:key") in bot/ and conversations/ points at an existing key.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, loadResources } from "../../bot/kit/i18n.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const resources = loadResources();

const PLURAL: Record<string, string[]> = { kk: ["one", "other"], ru: ["one", "few", "many", "other"] };
const ALL_SUFFIXES = ["zero", "one", "two", "few", "many", "other"];

function flatten(obj: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v))
        for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
      else out.set(key, v);
    }
  }
  return out;
}

const pluralBase = (key: string): string | null => {
  const m = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
  return m ? m[1]! : null;
};

/**
 * Plural groups: a base with an `_other` form or with at least two plural-suffixed keys. (A lone key such as
 * `need_one` – "choose at least one" – is an ordinary key.)
 */
function pluralGroups(flat: Map<string, unknown>): Set<string> {
  const count = new Map<string, number>();
  for (const k of flat.keys()) {
    const b = pluralBase(k);
    if (b !== null) count.set(b, (count.get(b) ?? 0) + 1);
  }
  return new Set([...count].filter(([b, n]) => n >= 2 || flat.has(`${b}_other`)).map(([b]) => b));
}

/** Keys with plural suffixes collapsed to their base (what the code asks for), plus every literal key. */
function baseKeys(flat: Map<string, unknown>): Set<string> {
  const groups = pluralGroups(flat);
  const out = new Set(flat.keys());
  for (const k of flat.keys()) {
    const b = pluralBase(k);
    if (b !== null && groups.has(b)) {
      out.delete(k);
      out.add(b);
    }
  }
  return out;
}

const flat = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    Object.fromEntries(Object.entries(resources[lang]).map(([ns, obj]) => [ns, flatten(obj)])),
  ]),
) as Record<string, Record<string, Map<string, unknown>>>;

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

describe("locales", () => {
  it("has the same namespaces in kk and ru", () => {
    expect(Object.keys(resources.kk).sort()).toEqual(Object.keys(resources.ru).sort());
  });

  for (const ns of Object.keys(resources.ru)) {
    it(`namespace ${ns}: every key exists in both languages`, () => {
      const kk = baseKeys(flat.kk![ns] ?? new Map());
      const ru = baseKeys(flat.ru![ns] ?? new Map());
      expect(
        [...ru].filter((k) => !kk.has(k)),
        "missing in kk",
      ).toEqual([]);
      expect(
        [...kk].filter((k) => !ru.has(k)),
        "missing in ru",
      ).toEqual([]);
    });

    it(`namespace ${ns}: plural keys have every form, no string is empty`, () => {
      for (const lang of LANGUAGES) {
        const m = flat[lang]![ns] ?? new Map();
        const problems: string[] = [];
        for (const [k, v] of m) {
          if (typeof v !== "string" || v.trim() === "")
            problems.push(`${lang}:${ns}:${k} is empty or not a string`);
        }
        // a group in either language must be complete in this one
        const bases = new Set([
          ...pluralGroups(flat.kk![ns] ?? new Map()),
          ...pluralGroups(flat.ru![ns] ?? new Map()),
        ]);
        for (const b of bases) {
          for (const form of PLURAL[lang]!) {
            if (!m.has(`${b}_${form}`)) problems.push(`${lang}:${ns}:${b}_${form} missing`);
          }
          for (const s of ALL_SUFFIXES) {
            if (!PLURAL[lang]!.includes(s) && m.has(`${b}_${s}`))
              problems.push(`${lang}:${ns}:${b}_${s} is not a ${lang} form`);
          }
        }
        expect(problems).toEqual([]);
      }
    });
  }

  it('every literal t("ns:key") in bot/ and conversations/ exists', () => {
    const sources = [...files(join(ROOT, "bot")), ...files(join(ROOT, "conversations"))];
    expect(sources.length).toBeGreaterThan(5);
    const missing: string[] = [];
    const re = /\bt\(\s*["'`]([a-z][\w-]*):([\w.]+)["'`]/g;
    for (const file of sources) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(re)) {
        const [, ns, key] = m;
        for (const lang of LANGUAGES) {
          const keys = flat[lang]![ns!];
          if (!keys || !(keys.has(key!) || baseKeys(keys).has(key!)))
            missing.push(`${lang}:${ns}:${key} (${file.slice(ROOT.length + 1)})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("kk texts use Kazakh Cyrillic, not Latin look-alikes inside words", () => {
    const bad: string[] = [];
    for (const [ns, m] of Object.entries(flat.kk!)) {
      for (const [k, v] of m) {
        if (typeof v === "string" && /[\p{Script=Cyrillic}][a-zA-Z]|[a-zA-Z][\p{Script=Cyrillic}]/u.test(v)) {
          bad.push(`${ns}:${k}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
