// A licence appendix as a PDF, drawn when the registry gave no file of its own (moved from
// bot/services/pdf.ts): names instead of codes for the activity and the subtypes.
import { formatDate, pdfFileName } from "./format.ts";
import { type Block, type DocModel, modelLines, toDocument } from "./layout.ts";
import { docText, names, orDash, pick } from "./text.ts";
import type { AppendixData, DocLang, RenderedDocument } from "./types.ts";

export function appendixModel(a: AppendixData, lang: DocLang): DocModel {
  const t = docText(lang);
  const title = t("appendix.title", { number: a.number, licence: a.licenceNumber });
  const blocks: Block[] = [
    { kind: "title", text: title },
    { kind: "field", label: t("appendix.activity"), value: pick(a.activity, lang) },
    {
      kind: "field",
      label: t("appendix.licence_subtypes"),
      value: orDash(t, names(a.licenceSubtypes, lang)),
    },
    { kind: "field", label: t("appendix.care_subtypes"), value: orDash(t, names(a.careSubtypes, lang)) },
    { kind: "heading", text: t("appendix.addresses") },
  ];
  if (!a.addresses.length) blocks.push({ kind: "item", text: t("appendix.addresses_none") });
  a.addresses.forEach((x, i) => {
    blocks.push({ kind: "item", text: `${i + 1}. ${x}` });
  });
  blocks.push({ kind: "small", text: t("appendix.source", { date: formatDate(a.fetchedAt) }) });
  const short = t("appendix.short", { number: a.number, licence: a.licenceNumber });
  return {
    lang,
    title,
    date: a.fetchedAt,
    footer: (page, pages) => t("common.page", { doc: short, page, pages }),
    blocks,
  };
}

export const appendixText = (a: AppendixData, lang: DocLang): string[] => modelLines(appendixModel(a, lang));

export function renderAppendix(a: AppendixData, lang: DocLang): Promise<RenderedDocument> {
  const t = docText(lang);
  return toDocument(appendixModel(a, lang), pdfFileName(t("appendix.file"), a.licenceNumber, a.number));
}
