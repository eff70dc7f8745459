// The licensing registry (elicense.kz) answers in Russian: a licence's status («Действительный»), type
// («генеральная лицензия»), category («Лицензия на вид деятельности») and licensor (a state body's name). A Kazakh
// reader sees the official Kazakh term (GLOSSARY-kk-ru.md §2.6, §2.8); a Russian reader sees the value as the
// registry gave it. This table is data: a value the registry starts sending is added here. An unknown value is
// shown as given (`known: false`, the caller logs it once).
import { normalizeLabel } from "./licences.ts";

export type RegistryField = "status" | "type" | "category" | "licensor";

export interface RegistryTerm {
  /** The official Russian term (as the registry spells it). */
  ru: string;
  /** The official Kazakh term. */
  kk: string;
  /** Other spellings the registry is known to send (the seed's «деяятельности», a short «Генеральная»). */
  also?: readonly string[];
}

export const REGISTRY_TERMS: Readonly<Record<RegistryField, readonly RegistryTerm[]>> = {
  status: [
    { ru: "Действительный", kk: "Жарамды", also: ["Действительная", "Действует"] },
    { ru: "Прекращен", kk: "Тоқтатылған", also: ["Прекращена", "Прекращено"] },
    { ru: "Приостановлен", kk: "Тоқтатыла тұрған", also: ["Приостановлена"] },
    { ru: "Аннулирован", kk: "Күші жойылған", also: ["Аннулирована"] },
    { ru: "Переоформлен", kk: "Қайта ресімделген", also: ["Переоформлена"] },
  ],
  type: [
    { ru: "генеральная лицензия", kk: "бас лицензия", also: ["Генеральная"] },
    { ru: "Лицензия на подвид деятельности", kk: "Қызметтің кіші түріне лицензия" },
  ],
  category: [
    {
      ru: "Лицензия на вид деятельности",
      kk: "Қызмет түріне лицензия",
      also: ["Лицензия на вид деяятельности"],
    },
    { ru: "Лицензия на подвид деятельности", kk: "Қызметтің кіші түріне лицензия" },
  ],
  licensor: [
    {
      ru: "ГУ «Управление общественного здравоохранения города Астаны»",
      kk: "«Астана қаласының Қоғамдық денсаулық сақтау басқармасы» ММ",
    },
    {
      ru: "ГУ «Управление общественного здравоохранения города Алматы»",
      kk: "«Алматы қаласының Қоғамдық денсаулық сақтау басқармасы» ММ",
    },
    {
      ru: "ГУ «Управление общественного здравоохранения города Шымкент»",
      kk: "«Шымкент қаласының Қоғамдық денсаулық сақтау басқармасы» ММ",
    },
    {
      ru: "Комитет атомного и энергетического надзора и контроля МЭ РК",
      kk: "ҚР ЭМ Атомдық және энергетикалық қадағалау және бақылау комитеті",
    },
    {
      ru: "Комитет медицинского и фармацевтического контроля МЗ РК",
      kk: "ҚР ДСМ Медициналық және фармацевтикалық бақылау комитеті",
    },
  ],
};

const INDEX: ReadonlyMap<string, RegistryTerm> = new Map(
  (Object.entries(REGISTRY_TERMS) as [RegistryField, readonly RegistryTerm[]][]).flatMap(([field, terms]) =>
    terms.flatMap((t) => [t.ru, ...(t.also ?? [])].map((v) => [`${field}|${normalizeLabel(v)}`, t] as const)),
  ),
);

/** The term for a registry value, if the table knows it (case, «ё», quotes and spacing do not matter). */
export const registryTerm = (field: RegistryField, value: string): RegistryTerm | null =>
  INDEX.get(`${field}|${normalizeLabel(value)}`) ?? null;

/**
 * A registry value for a reader: Kazakh readers get the official Kazakh term, Russian readers the value as the
 * registry gave it. Unknown values (or empty ones) are returned as given with `known: false`.
 */
export function registryValue(
  field: RegistryField,
  value: string,
  lang: "kk" | "ru",
): { text: string; known: boolean } {
  const term = value.trim() ? registryTerm(field, value) : null;
  if (!term) return { text: value, known: value.trim() === "" };
  return { text: lang === "kk" ? term.kk : value, known: true };
}
