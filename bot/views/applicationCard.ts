// «Вся информация по заявке» paged (seed 000 §4.1, issue 11): the whole application for the person who decides on
// it, in the reader's language, cut into pages each within Telegram's 4096 characters: the header and section A
// with B (legal address), the production bases (address, coordinates, the KATO path by name, the SES permit, the
// subtypes), the licences and documents, the signatures, the history. A page never cuts a tag; a section longer
// than a page continues on the next one. Pure: data in, pages out (the features add the buttons).
import type { CardFiles } from "../../app/cards.ts";
import type { CardData, DraftLicenceRow } from "../../app/index.ts";
import { registryValue } from "../../domain/registryValues.ts";
import { fmtDate, fmtDateTime, nameIn } from "../kit/format.ts";
import { escapeHtml, SAFE_MESSAGE, splitHtml, visibleLength } from "../kit/html.ts";
import type { CardView } from "./card.ts";
import {
  headerLines,
  headReasonLines,
  historySection,
  sectionA,
  sectionB,
  sectionC,
  sectionD,
} from "./content.ts";

/** Room left on a page for its «Страница i из n» line. */
const PAGE_TEXT = SAFE_MESSAGE - 60;

export type CardPart = "head" | "bases" | "licences" | "signatures" | "history";

export interface CardPage {
  text: string;
  /** Which parts (some or all of their lines) this page shows. */
  parts: CardPart[];
}

const dash = "—";
const or = (s: string | null | undefined) => (s?.trim() ? escapeHtml(s) : dash);

/** The KATO object's names from the top level down, in the reader's language. */
export function katoPathText(v: CardView, b: CardData["bases"][number]): string {
  const path = (b.katoPath ?? []).map((p) => nameIn(v.lang, { nameKk: p.nameKk, nameRu: p.nameRu }));
  if (path.length) return path.join(" → ");
  const leaf = v.lang === "kk" ? (b.katoNameKk ?? b.katoNameRu) : b.katoNameRu;
  return leaf ?? "";
}

/** Section C: every production base, with the KATO path by name. */
export function basesSection(v: CardView, card: CardData): string[] {
  return sectionC(v, card, (b) => katoPathText(v, b));
}

/** Who signed what, when (Astana time), by which method (by name, never its code), over which SHA-256. */
export function signaturesSection(v: CardView, card: CardData): string[] {
  const { t } = v;
  if (!card.signatures.length) return [];
  return [
    `<b>${t("content:section.signatures")}</b>`,
    ...card.signatures.map((s) =>
      t("content:signature", {
        document: t(`content:signed.${s.document}`),
        who: or(s.signerName),
        at: fmtDateTime(s.signedAt),
        method: escapeHtml(t(`head:sign_method.${s.method}`, { defaultValue: s.method })),
        sha256: s.sha256,
      }),
    ),
  ];
}

/** Pack blocks into pages: whole blocks while they fit, a block longer than a page split across pages. */
function pack(blocks: { part: CardPart; html: string }[], max: number): CardPage[] {
  const pages: CardPage[] = [];
  let cur: CardPage | null = null;
  for (const b of blocks) {
    if (!b.html.trim()) continue;
    if (cur && visibleLength(`${cur.text}\n\n${b.html}`) <= max) {
      cur.text = `${cur.text}\n\n${b.html}`;
      if (!cur.parts.includes(b.part)) cur.parts.push(b.part);
      continue;
    }
    if (cur) pages.push(cur);
    const pieces = visibleLength(b.html) <= max ? [b.html] : splitHtml(b.html, max);
    for (const p of pieces.slice(0, -1)) pages.push({ text: p, parts: [b.part] });
    cur = { text: pieces[pieces.length - 1] ?? "", parts: [b.part] };
  }
  if (cur) pages.push(cur);
  return pages.length ? pages : [{ text: dash, parts: ["head"] }];
}

export interface CardPagesOptions {
  /** The status to show (a decision may just have changed it). */
  status?: string;
  /** Lines under the header: the notice, what the buttons do, why a step is blocked. */
  extra?: string[];
  max?: number;
}

/** The card as pages (each with its «Страница i из n» line), within Telegram's limit. */
export function cardPages(v: CardView, card: CardData, opts: CardPagesOptions = {}): CardPage[] {
  const head = [...headerLines(v, card, opts.status), ...headReasonLines(v, card), ...(opts.extra ?? [])];
  const blocks: { part: CardPart; html: string }[] = [
    { part: "head", html: head.join("\n") },
    { part: "head", html: sectionA(v, card).join("\n") },
    { part: "head", html: sectionB(v, card).join("\n") },
    { part: "bases", html: basesSection(v, card).join("\n") },
    { part: "licences", html: sectionD(v, card).join("\n") },
    { part: "signatures", html: signaturesSection(v, card).join("\n") },
    { part: "history", html: historySection(v, card).join("\n") },
  ];
  const pages = pack(blocks, opts.max ?? PAGE_TEXT);
  if (pages.length === 1) return pages;
  return pages.map((p, i) => ({
    ...p,
    text: `${p.text}\n\n<i>${v.t("staff:card.page", { page: i + 1, pages: pages.length })}</i>`,
  }));
}

/** One licence with its appendices (seed 000 §1.1 «Просмотреть»), in the reader's language. */
export function licenceLines(v: CardView, l: DraftLicenceRow): string[] {
  const { t, names, lang } = v;
  const code = (c: string) => {
    const n = names.licenceCode(c);
    return n && n !== c ? `${c} – ${n}` : c;
  };
  const value = (f: "licensor" | "category" | "type" | "status", x: string) =>
    escapeHtml(registryValue(f, x, lang).text || dash);
  const lines = [
    `<b>${t("staff:licence.title", { number: escapeHtml(l.number) })}</b>`,
    t("staff:licence.activity", { value: escapeHtml(code(l.activityCode)) }),
    t("staff:licence.issued", { value: fmtDate(l.issueDate) }),
    t("staff:licence.licensor", { value: value("licensor", l.licensor) }),
    t("staff:licence.holder", { value: escapeHtml(l.holderBin) }),
    t("staff:licence.category", { value: value("category", l.category) }),
    t("staff:licence.type", { value: value("type", l.type) }),
    t("staff:licence.status", { value: value("status", l.status) }),
    t("staff:licence.fetched", { value: fmtDateTime(l.fetchedAt) }),
    "",
    `<b>${t("staff:licence.appendices", { count: l.appendices.length })}</b>`,
  ];
  if (!l.appendices.length) lines.push(dash);
  for (const a of l.appendices) {
    lines.push(
      t("staff:licence.appendix", {
        number: escapeHtml(a.number),
        subtypes: escapeHtml(a.licenceSubtypes.map(code).join("; ") || dash),
        care: escapeHtml(a.careSubtypes.map((c) => names.subtype(c)).join("; ") || dash),
      }),
    );
    for (const [i, x] of a.addresses.entries()) lines.push(`   ${i + 1}) ${escapeHtml(x)}`);
  }
  return lines;
}

/** The name of one file of the card, as its caption and the list of missing ones say it. */
export function fileLabel(v: CardView, f: { kind: string; baseNo?: number }): string {
  return f.kind === "SES"
    ? v.t("staff:docs.kind.SES", { n: f.baseNo ?? 1 })
    : v.t(`staff:docs.kind.${f.kind}`);
}

/** The caption of a sent file: what it is, its name and its SHA-256. */
export function fileCaption(v: CardView, f: CardFiles["files"][number]): string {
  return v.t("staff:docs.caption", {
    kind: escapeHtml(fileLabel(v, f)),
    name: escapeHtml(f.fileName),
    sha256: f.sha256,
  });
}

/** The message naming each file that could not be sent. */
export function missingFilesText(v: CardView, missing: CardFiles["missing"]): string {
  return [
    v.t("staff:docs.missing", { count: missing.length }),
    ...missing.map(
      (m) => `• ${escapeHtml(fileLabel(v, m))}${m.fileName ? `: ${escapeHtml(m.fileName)}` : ""}`,
    ),
  ].join("\n");
}
