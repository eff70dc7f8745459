// The page's language: kk or ru (a switch; default from the browser, kk → kk, else ru; remembered), its
// texts (GET /ui/i18n: locales/<lang>/sandbox.json), and what a person reads formatted for Astana:
// times (UTC+5, HH:MM, or dd.mm.yyyy HH:MM on another day) and file sizes («1,2 МБ»).

const STORE_KEY = "sandbox.lang";
let texts = { kk: {}, ru: {} };
let lang = "ru";

/** kk when the browser says Kazakh, else ru; a choice made on the page wins. */
export function initialLang() {
  const saved = localStorage.getItem(STORE_KEY);
  if (saved === "kk" || saved === "ru") return saved;
  const nav = (navigator.languages?.[0] || navigator.language || "").toLowerCase();
  return nav === "kk" || nav.startsWith("kk-") ? "kk" : "ru";
}

export async function loadTexts() {
  const res = await fetch("/ui/i18n");
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  texts = await res.json();
}

export const currentLang = () => lang;

export function setLang(next, remember = false) {
  lang = next === "kk" ? "kk" : "ru";
  if (remember) localStorage.setItem(STORE_KEY, lang);
  document.documentElement.lang = lang;
  applyStatic();
}

function lookup(table, key) {
  let v = table;
  for (const part of key.split(".")) v = v?.[part];
  return typeof v === "string" ? v : undefined;
}

/** The text of a key in the page's language, with {{name}} filled in. */
export function t(key, vars = {}) {
  const s = lookup(texts[lang], key) ?? lookup(texts.ru, key) ?? key;
  return s.replace(/\{\{(\w+)\}\}/g, (_, k) => (vars[k] === undefined ? "" : String(vars[k])));
}

/** Fills the static page: data-i18n (text), data-i18n-placeholder, data-i18n-title, data-i18n-aria-label. */
export function applyStatic(root = document) {
  document.title = t("page.title");
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]"))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  for (const b of root.querySelectorAll("[data-lang]")) b.classList.toggle("active", b.dataset.lang === lang);
}

const pad = (n) => String(n).padStart(2, "0");

/** Astana time (UTC+5): HH:MM today, dd.mm.yyyy HH:MM on another day. */
export function timeOf(unix) {
  const d = new Date((unix + 5 * 3600) * 1000);
  const today = new Date(Date.now() + 5 * 3600 * 1000);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const sameDay =
    d.getUTCFullYear() === today.getUTCFullYear() &&
    d.getUTCMonth() === today.getUTCMonth() &&
    d.getUTCDate() === today.getUTCDate();
  return sameDay ? hm : `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${hm}`;
}

/** «512 Б», «1,2 КБ», «3,4 МБ» (decimal comma, as in kk and ru). */
export function sizeOf(n) {
  if (n == null) return "";
  if (n < 1024) return `${n} ${t("size.b")}`;
  const [v, unit] = n < 1048576 ? [n / 1024, "size.kb"] : [n / 1048576, "size.mb"];
  return `${v.toFixed(1).replace(".", ",")} ${t(unit)}`;
}

/** Coordinates as a person reads them: up to 6 decimals. */
export const coordOf = (v) => String(Number(v.toFixed(6)));
