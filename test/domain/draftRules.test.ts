// The draft rules shared by the wizard and «Сохранить»: D1 by the chosen subtypes, the included application of a
// region, the ownership form's lock, and what a new application takes over from the previous one.
import { describe, expect, it } from "vitest";
import {
  checkIncludedInRegion,
  checkPatchImmutable,
  d1Licences,
  IN_REGISTER_STATUSES,
  pendingAfterBaseRemoved,
  prefillFrom,
  unconfirmedPrefill,
} from "../../domain/draftRules.ts";

const appendix = (careSubtypes: string[], licenceSubtypes: string[] = [], addresses: string[] = []) => ({
  number: "001",
  careSubtypes,
  licenceSubtypes,
  addresses,
});
const POOL = [
  { id: "l60", activityCode: "L60", appendices: [appendix(["PHC_CAP", "PALLIATIVE"])] },
  { id: "l61", activityCode: "L61", appendices: [appendix([], ["L61I"])] },
  { id: "l64", activityCode: "L64", appendices: [appendix([], ["L64A"])] },
  { id: "a15", activityCode: "A15", appendices: [appendix([], ["A15B"])] },
  { id: "l60-diag", activityCode: "L60", appendices: [appendix(["DIAG_CT_MRI"])] },
];
const REQUIREMENTS = [
  {
    subtypeCode: "PHC_CAP",
    asStatus: "SUPPLIER" as const,
    licenceCode: "L61I",
    condition: "PHARMACY" as const,
    ruleId: "R1",
  },
  {
    subtypeCode: "PHC_CAP",
    asStatus: "SUPPLIER" as const,
    licenceCode: "L64A",
    condition: "PHARMACY" as const,
    ruleId: "R1",
  },
  {
    subtypeCode: "DIAG_CT_MRI",
    asStatus: "SUPPLIER" as const,
    licenceCode: "A15B",
    condition: null,
    ruleId: "R2",
  },
];
const sel = (o: Partial<Parameters<typeof d1Licences>[1]> = {}) => ({
  asSupplier: true,
  asCoExecutor: false,
  supplierSubtypes: [] as string[],
  coExecutorSubtypes: [] as string[],
  hasPharmacy: null,
  ...o,
});
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe("D1: only the licences whose codes match a selected subtype", () => {
  it("nothing selected: no licence", () => {
    expect(d1Licences(POOL, sel(), { requirements: REQUIREMENTS })).toEqual([]);
  });
  it("the L60 whose appendix lists the chosen care; R1's licences only with a pharmacy", () => {
    expect(
      ids(d1Licences(POOL, sel({ supplierSubtypes: ["PHC_CAP"] }), { requirements: REQUIREMENTS })),
    ).toEqual(["l60"]);
    expect(
      ids(
        d1Licences(POOL, sel({ supplierSubtypes: ["PHC_CAP"], hasPharmacy: true }), {
          requirements: REQUIREMENTS,
        }),
      ),
    ).toEqual(["l60", "l61", "l64"]);
  });
  it("a licence code a subtype requires (R2) is attached; a subtype chosen without its status counts for nothing", () => {
    expect(
      ids(d1Licences(POOL, sel({ supplierSubtypes: ["DIAG_CT_MRI"] }), { requirements: REQUIREMENTS })),
    ).toEqual(["a15", "l60-diag"]);
    expect(
      d1Licences(POOL, sel({ asSupplier: false, supplierSubtypes: ["DIAG_CT_MRI"] }), {
        requirements: REQUIREMENTS,
      }),
    ).toEqual([]);
  });
});

describe("an included application in the region", () => {
  const included = [{ id: "inc", chainId: "chain-1", regionCode: "ASTANA" }];
  it("refuses a new application there, naming the included one", () => {
    expect(checkIncludedInRegion({ regionCode: "ASTANA", chainId: "new" }, included)).toEqual([
      {
        code: "included_exists_use_changes",
        field: "A8",
        params: { applicationId: "inc", regionCode: "ASTANA" },
      },
    ]);
  });
  it("lets a new version of the same chain («Внести изменение») and other regions through", () => {
    expect(checkIncludedInRegion({ regionCode: "ASTANA", chainId: "chain-1" }, included)).toEqual([]);
    expect(checkIncludedInRegion({ regionCode: "ALMATY", chainId: "new" }, included)).toEqual([]);
    expect(checkIncludedInRegion({ regionCode: null, chainId: "new" }, included)).toEqual([]);
  });
  it("«in the register» is derived from the table: where the Fund's final inclusion leads", () => {
    expect(IN_REGISTER_STATUSES).toEqual(["INCLUDED"]);
  });
});

describe("§3.7: the ownership form of a saved first version", () => {
  it("is locked on every write; free before the first save and in later versions", () => {
    const d = { versionNo: 1, saved: true, ownershipFormCode: "STATE" };
    expect(checkPatchImmutable(d, { ownershipFormCode: "PRIVATE" })[0]?.code).toBe("field_immutable");
    expect(checkPatchImmutable(d, { ownershipFormCode: "STATE" })).toEqual([]);
    expect(checkPatchImmutable(d, { asSupplier: true } as never)).toEqual([]);
    expect(checkPatchImmutable({ ...d, saved: false }, { ownershipFormCode: "PRIVATE" })).toEqual([]);
    expect(checkPatchImmutable({ ...d, versionNo: 2 }, { ownershipFormCode: "PRIVATE" })).toEqual([]);
  });
});

describe("nothing typed twice", () => {
  const files = {
    ses: { size: 10, mimeType: "application/pdf" },
    reg: { size: 10, mimeType: "application/pdf" },
    bad: { size: 10, mimeType: "text/plain" },
  };
  const source = {
    asSupplier: true,
    asCoExecutor: true,
    supplierSubtypes: ["PHC_CAP", "GONE"],
    coExecutorSubtypes: ["GONE"],
    hasPharmacy: true,
    ownershipFormCode: "STATE",
    bases: [
      {
        address: "ул. Абая, 1",
        latitude: 51.1,
        longitude: 71.4,
        katoCode: "711210000",
        sesFileId: "ses",
        subtypes: ["PHC_CAP", "GONE"],
      },
      {
        address: "ул. Старая, 2",
        latitude: 51.2,
        longitude: 71.5,
        katoCode: "711210000",
        sesFileId: "ses",
        subtypes: ["PHC_CAP"],
      },
    ],
    documents: [
      { kind: "REGISTRATION" as const, fileId: "reg" },
      { kind: "POWER_OF_ATTORNEY" as const, fileId: "bad" },
    ],
  };
  const fill = prefillFrom(source, {
    addresses: ["УЛ. АБАЯ, 1", "ул. Новая, 3"],
    offered: { SUPPLIER: ["PHC_CAP"], CO_EXECUTOR: [] },
    files,
  });
  it("takes what is still offered and still valid, by address, and marks every carried part pending", () => {
    expect(fill.supplierSubtypes).toEqual(["PHC_CAP"]);
    expect(fill.asCoExecutor).toBe(false); // nothing of it is offered any more
    expect(fill.coExecutorSubtypes).toEqual([]);
    expect(fill.hasPharmacy).toBe(true);
    expect(fill.bases).toEqual([
      {
        address: "УЛ. АБАЯ, 1",
        latitude: 51.1,
        longitude: 71.4,
        katoCode: "711210000",
        sesFileId: "ses",
        subtypes: ["PHC_CAP"],
      },
      { address: "ул. Новая, 3", sesFileId: null, subtypes: [] },
    ]);
    expect(fill.documents).toEqual([{ kind: "REGISTRATION", fileId: "reg" }]); // the unacceptable file is not carried
    expect(fill.pending).toEqual(["A", "C:1", "D"]);
  });
  it("«Сохранить» refuses every unconfirmed part, each in its section", () => {
    expect(unconfirmedPrefill(fill.pending)).toEqual([
      { code: "prefill_unconfirmed", field: "A5" },
      { code: "prefill_unconfirmed", field: "C.0.C2", params: { row: 1 } },
      { code: "prefill_unconfirmed", field: "D2" },
    ]);
  });
  it("a removed base takes its confirmation with it; later bases move up", () => {
    expect(pendingAfterBaseRemoved(["A", "C:1", "C:3", "D"], 1)).toEqual(["A", "C:2", "D"]);
    expect(pendingAfterBaseRemoved(["C:1", "C:3"], 2)).toEqual(["C:1", "C:2"]);
  });
});
