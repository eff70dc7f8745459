// The three notices (DECISIONS 27): inclusion, rejection (grounds by name, the note) and exclusion (reasons,
// the additional ground). One model gives the PDF and its text twin: the chat shows the approver the same
// lines the PDF prints, and the hash (RenderedNotice.sha256) is over the PDF's bytes, which is what is signed.
import { formatDateTime, pdfFileName } from "./format.ts";
import { type Block, type DocModel, modelLines, toDocument } from "./layout.ts";
import { docText, orDash, pick } from "./text.ts";
import type { DocLang, NoticeData, RenderedDocument } from "./types.ts";

export function noticeModel(d: NoticeData, lang: DocLang): DocModel {
  const t = docText(lang);
  const number = d.application.number;
  const version = d.application.versionNo;
  const title = t(`notice.title_${d.kind}`);
  const blocks: Block[] = [
    { kind: "title", text: title },
    { kind: "field", label: t("notice.kind"), value: t(`notice.kind_${d.kind}`) },
    {
      kind: "field",
      label: t("common.application"),
      value: t("common.application_value", { number, version }),
    },
    { kind: "field", label: t("common.org"), value: orDash(t, lang === "kk" ? d.org.nameKk : d.org.nameRu) },
    { kind: "field", label: t("common.bin"), value: orDash(t, d.org.bin) },
    { kind: "field", label: t("common.region"), value: orDash(t, d.region ? pick(d.region, lang) : null) },
  ];
  if (d.branch) blocks.push({ kind: "field", label: t("notice.branch"), value: pick(d.branch, lang) });
  blocks.push({ kind: "gap" }, { kind: "para", text: t(`notice.body_${d.kind}`) });
  if (d.kind !== "INCLUSION" && d.grounds.length) {
    blocks.push({ kind: "item", text: `${t(`notice.grounds_${d.kind}`)}:`, bold: true });
    d.grounds.forEach((g, i) => {
      blocks.push({ kind: "item", text: `${i + 1}. ${pick(g, lang)}` });
    });
  }
  if (d.kind === "EXCLUSION" && d.additionalGround?.trim())
    blocks.push({ kind: "field", label: t("notice.additional_ground"), value: d.additionalGround.trim() });
  if (d.note?.trim()) blocks.push({ kind: "field", label: t("notice.note"), value: d.note.trim() });
  blocks.push(
    { kind: "gap" },
    { kind: "field", label: t("notice.author"), value: orDash(t, d.authorName) },
    { kind: "field", label: t("common.generated"), value: formatDateTime(d.date) },
  );
  const short = t(`notice.short_${d.kind}`, { number });
  return {
    lang,
    title,
    date: d.date,
    footer: (page, pages) => t("common.page", { doc: short, page, pages }),
    blocks,
  };
}

/** The notice's lines exactly as the PDF prints them (the title first; an empty line between parts). */
export const noticeText = (d: NoticeData, lang: DocLang): string[] => modelLines(noticeModel(d, lang));

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The same lines for a Telegram HTML message: every value escaped, the title in bold. */
export function noticeHtml(d: NoticeData, lang: DocLang): string {
  const [title = "", ...rest] = noticeText(d, lang);
  return [`<b>${escapeHtml(title)}</b>`, ...rest.map(escapeHtml)].join("\n");
}

export interface RenderedNotice extends RenderedDocument {
  /** The text twin (noticeText), for the chat. */
  lines: string[];
}

/** The notice as a PDF in the reader's language, with its text twin. */
export async function renderNotice(d: NoticeData, lang: DocLang): Promise<RenderedNotice> {
  const t = docText(lang);
  const model = noticeModel(d, lang);
  const name = pdfFileName(t(`notice.file_${d.kind}`), d.application.number, `v${d.application.versionNo}`);
  return { ...(await toDocument(model, name)), lines: modelLines(model) };
}
