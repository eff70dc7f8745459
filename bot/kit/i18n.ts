// i18next with one namespace per feature: locales/<lang>/<namespace>.json.
// Russian is the fallback only for a missing key; a test forbids missing keys.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type TFunction } from "i18next";

export const LANGUAGES = ["kk", "ru"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const isLang = (v: unknown): v is Lang => v === "kk" || v === "ru";

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "locales");

export function loadResources(dir = LOCALES_DIR): Record<Lang, Record<string, Record<string, unknown>>> {
  const out = { kk: {}, ru: {} } as Record<Lang, Record<string, Record<string, unknown>>>;
  for (const lang of LANGUAGES) {
    for (const file of readdirSync(join(dir, lang))) {
      if (!file.endsWith(".json")) continue;
      out[lang][file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, lang, file), "utf8"));
    }
  }
  return out;
}

let instance: i18n | undefined;

/** One shared, fully loaded i18next instance (resources are read once, synchronously). */
export function getI18n(): i18n {
  if (instance) return instance;
  const resources = loadResources();
  const namespaces = Object.keys(resources.ru);
  const inst = i18next.createInstance();
  void inst.init({
    initAsync: false,
    resources,
    lng: "ru",
    fallbackLng: "ru",
    supportedLngs: [...LANGUAGES],
    ns: namespaces,
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

export type Translate = TFunction;

export function translator(lang: Lang): Translate {
  return getI18n().getFixedT(lang);
}

/** The language of a Telegram user before they chose one in the bot (kk when their app is in Kazakh). */
export const langOfTelegram = (code: string | undefined): Lang =>
  code?.toLowerCase().startsWith("kk") ? "kk" : "ru";
