// The documents' words: locales/<lang>/documents.json, read once. A small lookup of its own (no i18next, no
// bot/ import) so the renderer stays a pure function of data and language; a missing key is an error, not
// a silent fallback to the other language.
import { readFileSync } from "node:fs";
import type { Bilingual, DocLang, KatoPlace } from "./types.ts";

type Tree = { [k: string]: string | Tree };

const LOCALES = new URL("../../locales/", import.meta.url);
const cache = new Map<DocLang, Tree>();

function load(lang: DocLang): Tree {
  let tree = cache.get(lang);
  if (!tree) {
    tree = JSON.parse(readFileSync(new URL(`${lang}/documents.json`, LOCALES), "utf8")) as Tree;
    cache.set(lang, tree);
  }
  return tree;
}

export type DocT = (key: string, vars?: Record<string, string | number>) => string;

/** `t("notice.title_EXCLUSION")`, `t("common.application_value", { number, version })`. */
export function docText(lang: DocLang): DocT {
  const tree = load(lang);
  return (key, vars) => {
    let node: string | Tree | undefined = tree;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    if (typeof node !== "string") throw new Error(`documents: no text ${lang}:${key}`);
    return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const v = vars?.[name];
      if (v === undefined) throw new Error(`documents: ${lang}:${key} needs {{${name}}}`);
      return String(v);
    });
  };
}

/** The reader's spelling of a classifier name. */
export const pick = (b: Bilingual, lang: DocLang): string => (lang === "kk" ? b.kk : b.ru);

/** Names in the reader's spelling, «; »-separated. */
export const names = (xs: Bilingual[], lang: DocLang): string => xs.map((x) => pick(x, lang)).join("; ");

/** A KATO object by its names, top level first («г. Астана, район Есиль»); empty when unknown. */
export const katoPath = (k: KatoPlace | null, lang: DocLang): string =>
  k ? k.path.map((x) => pick(x, lang)).join(", ") : "";

/** The value, or the document's dash when there is none. */
export const orDash = (t: DocT, v: string | null | undefined): string =>
  v?.trim() ? v.trim() : t("common.none");
