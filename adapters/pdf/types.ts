// The data each generated document shows. Plain values only: every code is already resolved to its name by
// the caller (the loaders in the application layer), so a document never prints a UUID or a raw classifier
// code. A classifier name comes as both spellings (`Bilingual`) and the renderer picks the reader's language;
// values that exist in one spelling only (names as registered, addresses as the registry gives them, file
// names, free text typed by a person) are plain strings and are printed as given.

/** The reader's language. */
export type DocLang = "kk" | "ru";

/** A classifier name in both languages (care subtype, region, ownership form, KATO object, ground...). */
export interface Bilingual {
  kk: string;
  ru: string;
}

/** A generated document: the exact bytes, their SHA-256 (hex), a safe file name and the MIME type. */
export interface RenderedDocument {
  bytes: Buffer;
  sha256: string;
  fileName: string;
  mimeType: "application/pdf";
}

/**
 * How a person names an application: a short number of the chain (the same for every version, never the
 * UUID; e.g. `applicationNumber(chainId)` or a sequence the store keeps) and the version within the chain.
 * Printed «№ 4CE558C2, версия 2» / «№ 4CE558C2, 2-нұсқа».
 */
export interface ApplicationRef {
  number: string;
  versionNo: number;
}

/** The organisation as registered: both names, BIN (legal entity) or IIN (sole trader). */
export interface OrgRef {
  nameKk: string;
  nameRu: string;
  bin: string;
}

/** A KATO object by its names from the top level down to the object itself (the last element). */
export interface KatoPlace {
  path: Bilingual[];
}

/** The person who signs for the organisation: «Руководитель» or «Поверенное лицо руководителя». */
export interface Signer {
  fullName: string | null;
  role: "HEAD" | "HEAD_ATTORNEY";
}

/** «Заявка о включении в базу данных субъектов здравоохранения» (the form the head signs, DECISIONS 26). */
export interface ApplicationFormData {
  application: ApplicationRef;
  /** Section A. */
  org: OrgRef;
  ownershipForm: Bilingual | null;
  asSupplier: boolean;
  asCoExecutor: boolean;
  supplierSubtypes: Bilingual[];
  coExecutorSubtypes: Bilingual[];
  region: Bilingual | null;
  /** A9: null when not asked (no PHC subtype) or not answered; then the line is left out. */
  hasPharmacy: boolean | null;
  /** Section B, from the organisation's registration data. */
  legal: {
    kato: KatoPlace | null;
    postcode: string | null;
    street: string | null;
    house: string | null;
    office: string | null;
    phone: string | null;
    email: string | null;
  };
  /** Section C, in the application's order. */
  bases: {
    address: string;
    latitude: number | null;
    longitude: number | null;
    kato: KatoPlace | null;
    /** The attached SES permit's file name as uploaded; null when none is attached. */
    sesPermitFileName: string | null;
    subtypes: Bilingual[];
  }[];
  /** Section D. */
  licences: {
    number: string;
    /** The activity's name (not its code, e.g. not «L64»). */
    activity: Bilingual;
    issueDate: Date;
    /** The licensor mapped to both languages; an unknown licensor comes as the registry's text in both. */
    licensor: Bilingual;
  }[];
  /** Who signs the form; null when no head is known yet (printed as a dash). */
  signer: Signer | null;
  /** When the form was generated: printed, and the PDF's creation date (keeps the bytes stable). */
  date: Date;
}

/** «Согласие о внесении данных и их актуализации в информационных системах МЗ РК», signed by the head. */
export interface ConsentData {
  application: ApplicationRef;
  org: OrgRef;
  region: Bilingual | null;
  /** The head's full name (the consent is signed by «Руководитель» only, DECISIONS 26). */
  headName: string | null;
  date: Date;
}

export type NoticeKind = "INCLUSION" | "REJECTION" | "EXCLUSION";

/** An inclusion, rejection or exclusion notice (DECISIONS 27): what the approver signs and the supplier gets. */
export interface NoticeData {
  kind: NoticeKind;
  application: ApplicationRef;
  org: OrgRef;
  region: Bilingual | null;
  /** The Fund's branch that decides (optional line). */
  branch: Bilingual | null;
  /** Rejection grounds or exclusion reasons, by name, in the order chosen; empty for an inclusion. */
  grounds: Bilingual[];
  /** «Примечание», as the reviewer typed it. */
  note: string | null;
  /** Exclusion only: «дополнительное основание исключения», as typed. */
  additionalGround: string | null;
  /** The reviewer who formed the notice. */
  authorName: string | null;
  /** When the notice was formed: printed in Astana time and used as the PDF's creation date. */
  date: Date;
}

/** A licence appendix, drawn when the registry gave no file of its own. */
export interface AppendixData {
  licenceNumber: string;
  /** The appendix number within the licence. */
  number: string;
  activity: Bilingual;
  /** Licence subtypes (activity subtypes of the appendix) by name. */
  licenceSubtypes: Bilingual[];
  /** ЕКМУ care subtypes the appendix allows, by name. */
  careSubtypes: Bilingual[];
  /** Addresses as the registry gives them. */
  addresses: string[];
  /** When the data was read from the registry. */
  fetchedAt: Date;
}
