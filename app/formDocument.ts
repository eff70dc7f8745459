// T4 «Заявка о включении» (DECISIONS 26): its data built from the wizard's read of the draft, every code resolved
// to its name in both languages (the classifiers in memory, the KATO objects' paths in one statement), rendered by
// adapters/pdf in the reader's language. No UUID, no raw code on the page.
import {
  type ApplicationFormData,
  applicationNumber,
  type Bilingual,
  renderApplicationForm,
} from "../adapters/pdf/index.ts";
import type { DocLang, RenderedDocument } from "../adapters/pdf/types.ts";
import { registryValue } from "../domain/registryValues.ts";
import type { WizardDraft } from "../prisma/store/index.ts";
import type { ClassifierCache } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

const both = (n: { nameKk: string | null; nameRu: string }): Bilingual => ({
  kk: n.nameKk || n.nameRu,
  ru: n.nameRu,
});

export async function applicationFormData(
  ports: AppPorts,
  classifiers: ClassifierCache,
  d: WizardDraft,
  date: Date,
): Promise<ApplicationFormData> {
  const [subtype, region, form, activity] = await Promise.all([
    classifiers.bilingual("subtypes"),
    classifiers.bilingual("regions"),
    classifiers.bilingual("ownershipForms"),
    classifiers.bilingual("licenceCodes"),
  ]);
  const o = d.org;
  const paths = await ports.store.kato.paths([o.legalKato ?? "", ...d.bases.map((b) => b.katoCode ?? "")]);
  const place = (code: string | null) => {
    const p = code ? paths.get(code) : undefined;
    return p?.length ? { path: p.map(both) } : null;
  };
  const fileName = (id: string | null) =>
    id ? (d.saveFacts.files.find((f) => f.id === id)?.fileName ?? null) : null;
  return {
    application: { number: applicationNumber(d.chainId), versionNo: d.versionNo },
    org: { nameKk: o.nameKk, nameRu: o.nameRu, bin: o.bin },
    ownershipForm: d.ownershipFormCode ? form(d.ownershipFormCode) : null,
    asSupplier: d.asSupplier,
    asCoExecutor: d.asCoExecutor,
    supplierSubtypes: d.asSupplier ? d.supplierSubtypes.map(subtype) : [],
    coExecutorSubtypes: d.asCoExecutor ? d.coExecutorSubtypes.map(subtype) : [],
    region: d.regionCode ? region(d.regionCode) : null,
    hasPharmacy: d.hasPharmacy,
    legal: {
      kato: place(o.legalKato),
      postcode: o.legalPostcode,
      street: o.legalStreet,
      house: o.legalHouse,
      office: o.legalOffice,
      phone: o.phone,
      email: o.email,
    },
    bases: d.bases.map((b) => ({
      address: b.address,
      latitude: b.latitude,
      longitude: b.longitude,
      kato: place(b.katoCode),
      sesPermitFileName: fileName(b.sesFileId),
      subtypes: b.subtypes.map(subtype),
    })),
    licences: d.licences.map((l) => ({
      number: l.number,
      activity: activity(l.activityCode),
      issueDate: l.issueDate,
      // the registry gives the licensor in Russian: the official Kazakh name where the table knows it
      licensor: { kk: registryValue("licensor", l.licensor, "kk").text, ru: l.licensor },
    })),
    // the head is not known yet when the supplier generates the form (printed as a dash)
    signer: null,
    date,
  };
}

/** The form as a PDF in `lang` (deterministic bytes for the same data). */
export async function applicationFormPdf(
  ports: AppPorts,
  classifiers: ClassifierCache,
  d: WizardDraft,
  lang: DocLang,
  date: Date,
): Promise<RenderedDocument> {
  return renderApplicationForm(await applicationFormData(ports, classifiers, d, date), lang);
}
