// «Заявка о включении в базу данных субъектов здравоохранения» (seed 000 §4, the form the head signs,
// DECISIONS 26): sections 1 (the subject), 2 (legal address), 3 (production bases), 4 (licences), the signer.
import { formatCoords, formatDate, formatDateTime, pdfFileName } from "./format.ts";
import { type Block, type DocModel, modelLines, toDocument } from "./layout.ts";
import { docText, katoPath, names, orDash, pick } from "./text.ts";
import type { ApplicationFormData, DocLang, RenderedDocument } from "./types.ts";

export function applicationFormModel(d: ApplicationFormData, lang: DocLang): DocModel {
  const t = docText(lang);
  const f = (key: string, value: string | null | undefined, indent = false): Block => ({
    kind: "field",
    label: t(`form.${key}`),
    value: orDash(t, value),
    indent,
  });
  const number = d.application.number;
  const version = d.application.versionNo;
  const title = t("form.title");
  const roles = [
    d.asSupplier ? t("form.role_supplier") : null,
    d.asCoExecutor ? t("form.role_coexec") : null,
  ].filter(Boolean);

  const blocks: Block[] = [
    { kind: "title", text: title },
    {
      kind: "field",
      label: t("common.application"),
      value: t("common.application_value", { number, version }),
    },
    { kind: "field", label: t("common.generated"), value: formatDateTime(d.date) },
    { kind: "gap" },
    { kind: "para", text: t("form.intro") },
    { kind: "heading", text: t("form.section_subject") },
    f("name_kk", d.org.nameKk),
    f("name_ru", d.org.nameRu),
    { kind: "field", label: t("common.bin"), value: orDash(t, d.org.bin) },
    f("ownership", d.ownershipForm ? pick(d.ownershipForm, lang) : null),
    f("subject_status", roles.join(", ")),
  ];
  if (d.asSupplier || d.supplierSubtypes.length)
    blocks.push(f("subtypes_supplier", names(d.supplierSubtypes, lang)));
  if (d.asCoExecutor || d.coExecutorSubtypes.length)
    blocks.push(f("subtypes_coexec", names(d.coExecutorSubtypes, lang)));
  blocks.push(f("region", d.region ? pick(d.region, lang) : null));
  if (d.hasPharmacy !== null) blocks.push(f("pharmacy", d.hasPharmacy ? t("common.yes") : t("common.no")));

  const l = d.legal;
  blocks.push(
    { kind: "heading", text: t("form.section_legal") },
    f("kato", katoPath(l.kato, lang)),
    f("postcode", l.postcode),
    f("street", l.street),
    f("house", l.house),
    f("office", l.office),
    f("phone", l.phone),
    f("email", l.email),
    { kind: "heading", text: t("form.section_bases") },
  );
  if (!d.bases.length) blocks.push({ kind: "item", text: t("form.bases_none") });
  d.bases.forEach((b, i) => {
    blocks.push(
      { kind: "item", text: t("form.base", { n: i + 1 }), bold: true },
      f("base_address", b.address, true),
      f("coords", formatCoords(b.latitude, b.longitude), true),
      f("base_kato", katoPath(b.kato, lang), true),
      f("ses", b.sesPermitFileName ?? t("form.ses_missing"), true),
      f("base_subtypes", names(b.subtypes, lang), true),
    );
  });

  blocks.push({ kind: "heading", text: t("form.section_licences") });
  if (!d.licences.length) blocks.push({ kind: "item", text: t("form.licences_none") });
  for (const lic of d.licences) {
    blocks.push(
      { kind: "item", text: t("form.licence", { number: lic.number }), bold: true },
      f("licence_activity", pick(lic.activity, lang), true),
      f("licence_issued", formatDate(lic.issueDate), true),
      f("licence_licensor", pick(lic.licensor, lang), true),
    );
  }

  blocks.push(
    { kind: "gap" },
    {
      kind: "field",
      label: t(`form.signer_${d.signer?.role ?? "HEAD"}`),
      value: orDash(t, d.signer?.fullName),
    },
  );

  const short = t("form.short", { number, version });
  return {
    lang,
    title,
    date: d.date,
    footer: (page, pages) => t("common.page", { doc: short, page, pages }),
    blocks,
  };
}

/** The form's lines as the PDF prints them (for a preview in the chat). */
export const applicationFormText = (d: ApplicationFormData, lang: DocLang): string[] =>
  modelLines(applicationFormModel(d, lang));

/** The form as a PDF in the reader's language. */
export function renderApplicationForm(d: ApplicationFormData, lang: DocLang): Promise<RenderedDocument> {
  const t = docText(lang);
  const name = pdfFileName(t("form.file"), d.application.number, `v${d.application.versionNo}`);
  return toDocument(applicationFormModel(d, lang), name);
}
