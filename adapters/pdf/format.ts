// Values as a person reads them on a document: Astana time (UTC+5, one zone for the whole country since
// 1 March 2024), dd.mm.yyyy and dd.mm.yyyy HH:MM, coordinates, safe file names.

// Dates: the one formatter of the domain (Astana time with its history).
export { formatDate, formatDateTime } from "../../domain/format.ts";

/** «51.128207, 71.430411»: at most six decimals (about 0.1 m), no float noise, no trailing zeros. */
export function formatCoords(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const f = (x: number) => String(Number(x.toFixed(6)));
  return `${f(lat)}, ${f(lon)}`;
}

/**
 * A short human number for an application chain, from its id: the first 8 hex digits in capitals
 * («4CE558C2»). Not a UUID, stable across versions, and what the notices, the form and the consent print.
 * If the store later keeps a sequence number per chain, pass that instead.
 */
export function applicationNumber(chainId: string): string {
  const hex = chainId.replace(/[^0-9a-fA-F]/g, "");
  return (hex.slice(0, 8) || chainId.slice(0, 8)).toUpperCase();
}

// Cyrillic (Russian and the nine Kazakh letters) to ASCII, for file names only (never for text a person
// reads on the page).
const TRANSLIT: Record<string, string> = {
  а: "a",
  ә: "a",
  б: "b",
  в: "v",
  г: "g",
  ғ: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "i",
  і: "i",
  к: "k",
  қ: "q",
  л: "l",
  м: "m",
  н: "n",
  ң: "n",
  о: "o",
  ө: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ұ: "u",
  ү: "u",
  ф: "f",
  х: "h",
  һ: "h",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "sch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
};

/** A file-name part: ASCII letters, digits, «.», «_» and «-» only (no slashes, spaces or quotes). */
export function safeFilePart(s: string): string {
  const ascii = [...s.normalize("NFC")]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const t = TRANSLIT[lower];
      if (t === undefined) return ch;
      return ch === lower ? t : t.charAt(0).toUpperCase() + t.slice(1);
    })
    .join("");
  return ascii
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, 80);
}

/** `<stem>-<parts…>.pdf`, every part made safe; empty parts are left out. */
export function pdfFileName(stem: string, ...parts: (string | number)[]): string {
  const all = [stem, ...parts.map(String)].map(safeFilePart).filter(Boolean);
  return `${all.join("-")}.pdf`;
}
