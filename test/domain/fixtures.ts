// Fixtures for the pure-domain tests: actors, snapshots, classifiers, licences and a valid draft.
import type {
  AppSnapshot,
  SignatureInput,
  SignedDocumentKind,
  TransitionInput,
} from "../../domain/contracts.ts";
import type {
  CareSubtypeInfo,
  DraftApplication,
  DraftBase,
  DraftLicence,
  SaveContext,
  SubtypeRequirement,
} from "../../domain/rules.ts";
import type { Actor, OrgRole, StaffRole } from "../../domain/types.ts";

// ───────────── actors ─────────────

const actor = (userId: string, orgRoles: OrgRole[] = [], staffRoles: StaffRole[] = []): Actor => ({
  userId,
  orgRoles,
  staffRoles,
});

export const A = {
  /** The application's author: SUPPLIER + ORG_ADMIN. */
  author: actor("u-author", ["SUPPLIER", "ORG_ADMIN"]),
  /** Another supplier+admin of the same organisation. */
  admin2: actor("u-admin2", ["SUPPLIER", "ORG_ADMIN"]),
  supplierOnly: actor("u-supplier", ["SUPPLIER"]),
  orgAdminOnly: actor("u-orgadmin", ["ORG_ADMIN"]),
  head: actor("u-head", ["HEAD"]),
  attorney: actor("u-attorney", ["HEAD_ATTORNEY"]),
  /** «Поставщик» + «Администратор организации» + «Руководитель» (a sole trader signs their own). */
  soleTrader: actor("u-sole", ["SUPPLIER", "ORG_ADMIN", "HEAD"]),
  reviewer: actor("u-rev1", [], ["REVIEWER"]),
  reviewer2: actor("u-rev2", [], ["REVIEWER"]),
  checker: actor("u-chk1", [], ["CHECKER"]),
  checker2: actor("u-chk2", [], ["CHECKER"]),
  approver: actor("u-apr1", [], ["APPROVER"]),
  approver2: actor("u-apr2", [], ["APPROVER"]),
  manager: actor("u-mgr", [], ["MANAGER"]),
  stranger: actor("u-nobody"),
} as const;
export type ActorName = keyof typeof A;
export const ACTOR_NAMES = Object.keys(A) as ActorName[];

// ───────────── snapshots ─────────────

export const SHA = "a".repeat(64);
export const SIGNATURE = { sha256: SHA, method: "telegram-confirmation" };
/** A signature of one document (the Signer port's result as T6, T8 and X7 take it). */
export const signed = (document: SignedDocumentKind, sha256 = SHA): SignatureInput => ({
  document,
  sha256,
  method: SIGNATURE.method,
});

export function snap(overrides: Partial<AppSnapshot> = {}): AppSnapshot {
  return {
    id: "app-1",
    status: "DRAFT",
    decisionKind: null,
    version: 1,
    authorId: A.author.userId,
    orgId: "org-1",
    regionCode: "ASTANA",
    activeNotice: null,
    consentSigned: false,
    isLatestVersion: true,
    chainHasOpenVersion: false,
    // a saved draft with a form generated after its last edit, no power of attorney (D3)
    saved: true,
    formState: "current",
    hasPowerOfAttorney: false,
    ...overrides,
  };
}

export const notice = (
  kind: "INCLUSION" | "REJECTION" | "EXCLUSION",
  extra: Partial<NonNullable<AppSnapshot["activeNotice"]>> = {},
): NonNullable<AppSnapshot["activeNotice"]> => ({
  kind,
  reasons: kind === "INCLUSION" ? [] : ["GROUND_1"],
  createdById: A.reviewer.userId,
  checkerIds: [],
  checkedById: null,
  ...extra,
});

/** A sent notice with the two checkers chosen. */
export const sentNotice = (kind: "INCLUSION" | "REJECTION" | "EXCLUSION") =>
  notice(kind, { checkerIds: [A.checker.userId, A.checker2.userId] });

/** A complete input: every requirement of every row satisfied (the document is the row's: see `inputFor`). */
export const FULL_INPUT: TransitionInput = {
  reasons: ["GROUND_1"],
  reasonText: "Не хватает документов",
  checkerIds: [A.checker.userId],
  confirmed: true,
  signatures: [signed("CONSENT"), signed("APPLICATION"), signed("EXCLUSION_NOTICE")],
  patch: { asSupplier: true },
};

// ───────────── classifiers (the 11 subtypes the sources name, SPEC §3.4) ─────────────

export const ST = {
  PHC: "PHC_CAPITATION",
  CT_MRI: "ONCO_SUSPECT_CT_MRI", // R2.1 both statuses
  ION: "ION_SOURCE_REPLACEMENT", // R2.2 supplier
  PET: "ONCO_PET", // R2.3 supplier
  EMERGENCY: "EMERGENCY_TRANSPORT", // R3.1
  PALLIATIVE: "PALLIATIVE", // R3.2
  TB_SOCIAL: "TB_MEDICAL_SOCIAL", // R3.3
  TB_INPATIENT: "TB_INPATIENT_REPUBLICAN", // R3.4
  MENTAL: "MENTAL_HEALTH_COMPLEX", // R3.5
  MENTAL_INPATIENT: "MENTAL_INPATIENT_REPUBLICAN", // R3.6
  ONCO_OUTPATIENT: "ONCO_OUTPATIENT", // R3.7
  DENTAL: "DENTAL", // no licence requirement
  SUPPLIER_ONLY: "SUPPLIER_ONLY_KIND", // classifier: not allowed as co-executor
} as const;

export const SUBTYPES: CareSubtypeInfo[] = [
  { code: ST.PHC, isPhc: true, asSupplier: true, asCoExecutor: true, sort: 1 },
  { code: ST.CT_MRI, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 2 },
  { code: ST.ION, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 3 },
  { code: ST.PET, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 4 },
  { code: ST.EMERGENCY, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 5 },
  { code: ST.PALLIATIVE, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 6 },
  { code: ST.TB_SOCIAL, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 7 },
  { code: ST.TB_INPATIENT, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 8 },
  { code: ST.MENTAL, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 9 },
  { code: ST.MENTAL_INPATIENT, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 10 },
  { code: ST.ONCO_OUTPATIENT, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 11 },
  { code: ST.DENTAL, isPhc: false, asSupplier: true, asCoExecutor: true, sort: 0 },
  { code: ST.SUPPLIER_ONLY, isPhc: false, asSupplier: true, asCoExecutor: false, sort: 12 },
];

const req = (
  subtypeCode: string,
  asStatus: "SUPPLIER" | "CO_EXECUTOR",
  licenceCode: string,
  ruleId: string,
  condition: null | "PHARMACY" = null,
): SubtypeRequirement => ({ subtypeCode, asStatus, licenceCode, condition, ruleId });

export const REQUIREMENTS: SubtypeRequirement[] = [
  req(ST.PHC, "SUPPLIER", "L61I", "R1", "PHARMACY"),
  req(ST.PHC, "SUPPLIER", "L64A", "R1", "PHARMACY"),
  req(ST.CT_MRI, "SUPPLIER", "A15B", "R2"),
  req(ST.CT_MRI, "CO_EXECUTOR", "A15B", "R2"),
  req(ST.ION, "SUPPLIER", "A15B", "R2"),
  req(ST.PET, "SUPPLIER", "A15B", "R2"),
  ...[
    ST.EMERGENCY,
    ST.PALLIATIVE,
    ST.TB_SOCIAL,
    ST.TB_INPATIENT,
    ST.MENTAL,
    ST.MENTAL_INPATIENT,
    ST.ONCO_OUTPATIENT,
  ].map((s) => req(s, "SUPPLIER", "L64A", "R3")),
];

// ───────────── licences ─────────────

export const NOW = new Date("2025-06-02T06:00:00Z");
export const FETCHED = new Date("2025-06-02T01:00:00Z");
export const OWN_BIN = "971240001315";
export const LINKED_BIN = "940140000385";

export const licence = (overrides: Partial<DraftLicence> = {}): DraftLicence => ({
  number: "22001234",
  holderBin: OWN_BIN,
  issueDate: new Date("2022-01-10T00:00:00Z"),
  licensor: "Комитет медицинского и фармацевтического контроля",
  activityCode: "L60",
  category: "Лицензия на вид деятельности",
  type: "генеральная лицензия",
  status: "Действительный",
  fetchedAt: FETCHED,
  appendices: [
    {
      number: "001",
      licenceSubtypes: [],
      careSubtypes: Object.values(ST),
      addresses: ["г. Астана, ул. Бейбітшілік, 10"],
    },
  ],
  ...overrides,
});

const withSubtype = (number: string, activityCode: string, licenceSubtype: string): DraftLicence =>
  licence({
    number,
    activityCode,
    appendices: [{ number: "001", licenceSubtypes: [licenceSubtype], careSubtypes: [], addresses: [] }],
  });

export const L60 = licence();
export const A15B = withSubtype("KZ15A0001", "A15", "A15B");
export const L61I = withSubtype("KZ61L0001", "L61", "L61I");
export const L64A = withSubtype("KZ64L0001", "L64", "L64A");

// ───────────── a valid draft ─────────────

export const base = (overrides: Partial<DraftBase> = {}): DraftBase => ({
  address: "г. Астана, ул. Бейбітшілік, 10",
  latitude: 51.1694,
  longitude: 71.4491,
  katoCode: "711210000",
  katoIsLeaf: true,
  sesFileId: "file-ses-1",
  subtypes: [ST.DENTAL],
  ...overrides,
});

export function validDraft(overrides: Partial<DraftApplication> = {}): DraftApplication {
  return {
    identity: { nameKk: "«Денсаулық» ЖШС", nameRu: "ТОО «Денсаулык»", bin: OWN_BIN },
    ownershipFormCode: "PRIVATE",
    asSupplier: true,
    asCoExecutor: false,
    supplierSubtypes: [ST.DENTAL],
    coExecutorSubtypes: [],
    regionCode: "ASTANA",
    hasPharmacy: null,
    bases: [base()],
    registrationFileIds: ["file-reg-1"],
    powerOfAttorneyFileIds: [],
    licences: [L60],
    ...overrides,
  };
}

export function saveCtx(overrides: Partial<SaveContext> = {}): SaveContext {
  return {
    subtypes: SUBTYPES,
    requirements: REQUIREMENTS,
    ownershipForms: ["QUASI_STATE", "PRIVATE", "STATE"],
    regions: ["ASTANA", "ALMATY", "ABAI"],
    now: NOW,
    owner: { bin: OWN_BIN, linkedBins: [LINKED_BIN] },
    mode: "CREATE",
    previous: null,
    applicationId: null,
    lastExclusionAt: null,
    openApplications: [],
    ...overrides,
  };
}

export const codes = (errors: readonly { code: string }[]) => errors.map((e) => e.code);
