// «Согласие о внесении данных и их актуализации в информационных системах МЗ РК» (D4, seed 000 §4): the
// head's consent, one of the two documents the head signs (DECISIONS 26). The seed gives the title only;
// the body is the project's wording in both languages (locales/<lang>/documents.json, consent.body).
import { formatDateTime, pdfFileName } from "./format.ts";
import { type DocModel, modelLines, toDocument } from "./layout.ts";
import { docText, orDash, pick } from "./text.ts";
import type { ConsentData, DocLang, RenderedDocument } from "./types.ts";

export function consentModel(d: ConsentData, lang: DocLang): DocModel {
  const t = docText(lang);
  const number = d.application.number;
  const version = d.application.versionNo;
  const org = lang === "kk" ? d.org.nameKk : d.org.nameRu;
  const title = t("consent.title");
  const short = t("consent.short", { number, version });
  return {
    lang,
    title,
    date: d.date,
    footer: (page, pages) => t("common.page", { doc: short, page, pages }),
    blocks: [
      { kind: "title", text: title },
      {
        kind: "field",
        label: t("common.application"),
        value: t("common.application_value", { number, version }),
      },
      { kind: "field", label: t("common.org"), value: orDash(t, org) },
      { kind: "field", label: t("common.bin"), value: orDash(t, d.org.bin) },
      { kind: "field", label: t("common.region"), value: orDash(t, d.region ? pick(d.region, lang) : null) },
      { kind: "gap" },
      { kind: "para", text: t("consent.body", { org, bin: d.org.bin, number, version }) },
      { kind: "gap" },
      { kind: "field", label: t("consent.head"), value: orDash(t, d.headName) },
      { kind: "field", label: t("common.generated"), value: formatDateTime(d.date) },
    ],
  };
}

export const consentText = (d: ConsentData, lang: DocLang): string[] => modelLines(consentModel(d, lang));

/** The consent as a PDF in the reader's (the head's) language. */
export function renderConsent(d: ConsentData, lang: DocLang): Promise<RenderedDocument> {
  const t = docText(lang);
  const name = pdfFileName(t("consent.file"), d.application.number, `v${d.application.versionNo}`);
  return toDocument(consentModel(d, lang), name);
}
