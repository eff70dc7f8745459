import { describe, expect, it } from "vitest";
import {
  type DraftApplication,
  emptyDraft,
  isPharmacyQuestionAvailable,
  validateForSave,
} from "../../domain/rules.ts";
import { MAX_FILE_BYTES } from "../../domain/types.ts";
import {
  A15B,
  base,
  codes,
  L60,
  L61I,
  L64A,
  licence,
  LINKED_BIN,
  NOW,
  REQUIREMENTS,
  ST,
  SUBTYPES,
  saveCtx,
  validDraft,
} from "./fixtures.ts";

const save = (draft: DraftApplication, ctx = saveCtx()) => validateForSave(draft, ctx);
const errs = (draft: DraftApplication, ctx = saveCtx()) => save(draft, ctx).errors;
const only = (draft: DraftApplication, code: string, ctx = saveCtx()) =>
  errs(draft, ctx).filter((e) => e.code === code);

describe("validateForSave: a complete draft", () => {
  it("passes with no errors and no warnings", () => {
    expect(save(validDraft())).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it("an empty draft reports every mandatory field at once (V1)", () => {
    const e = errs(emptyDraft());
    expect(e).toEqual(
      expect.arrayContaining([
        { code: "required", field: "A4" },
        { code: "required", field: "A5" },
        { code: "required", field: "A8" },
        { code: "required", field: "C" },
        { code: "licences_required", field: "D1" },
        { code: "registration_file_required", field: "D2" },
      ]),
    );
    expect(save(emptyDraft()).ok).toBe(false);
  });
});

describe("Section A", () => {
  it("V1: A4 ownership form is required; an unknown code is refused (unknown_value)", () => {
    expect(only(validDraft({ ownershipFormCode: null }), "required")).toEqual([
      { code: "required", field: "A4" },
    ]);
    expect(only(validDraft({ ownershipFormCode: "FOREIGN" }), "unknown_value")).toEqual([
      { code: "unknown_value", field: "A4", params: { value: "FOREIGN" } },
    ]);
  });

  it("V1: A5 needs «Поставщик» and/or «Соисполнитель»; both may be chosen", () => {
    expect(only(validDraft({ asSupplier: false, supplierSubtypes: [] }), "required")).toContainEqual({
      code: "required",
      field: "A5",
    });
    const both = validDraft({ asCoExecutor: true, coExecutorSubtypes: [ST.DENTAL] });
    expect(save(both).ok).toBe(true);
  });

  it("V1: A6 / A7 need at least one subtype when the status is chosen", () => {
    expect(only(validDraft({ supplierSubtypes: [] }), "required")).toEqual([
      { code: "required", field: "A6" },
    ]);
    expect(only(validDraft({ asCoExecutor: true }), "required")).toEqual([{ code: "required", field: "A7" }]);
  });

  it("A6 / A7 subtypes without their status are refused (subtypes_without_status)", () => {
    const e = only(validDraft({ coExecutorSubtypes: [ST.DENTAL] }), "subtypes_without_status");
    expect(e).toEqual([
      { code: "subtypes_without_status", field: "A7", params: { asStatus: "CO_EXECUTOR" } },
    ]);
  });

  it("A6 offers only subtypes of the licence appendices (subtype_not_available)", () => {
    const lic = licence({
      appendices: [{ number: "1", licenceSubtypes: [], careSubtypes: [ST.DENTAL], addresses: [] }],
    });
    const d = validDraft({ licences: [lic], supplierSubtypes: [ST.DENTAL, ST.PALLIATIVE] });
    expect(only(d, "subtype_not_available")).toContainEqual({
      code: "subtype_not_available",
      field: "A6",
      params: { subtype: ST.PALLIATIVE, asStatus: "SUPPLIER" },
    });
  });

  it("A7 offers only subtypes the classifier allows as «Соисполнитель»", () => {
    const d = validDraft({
      asCoExecutor: true,
      coExecutorSubtypes: [ST.SUPPLIER_ONLY],
      bases: [base({ subtypes: [ST.DENTAL, ST.SUPPLIER_ONLY] })],
    });
    expect(only(d, "subtype_not_available")).toEqual([
      {
        code: "subtype_not_available",
        field: "A7",
        params: { subtype: ST.SUPPLIER_ONLY, asStatus: "CO_EXECUTOR" },
      },
    ]);
  });

  it("V1: A8 region is required; an unknown region is refused", () => {
    expect(only(validDraft({ regionCode: null }), "required")).toEqual([{ code: "required", field: "A8" }]);
    expect(only(validDraft({ regionCode: "MARS" }), "unknown_value")).toEqual([
      { code: "unknown_value", field: "A8", params: { value: "MARS" } },
    ]);
  });

  it("I-PHARMACY / V2: A9 is available iff a PHC subtype is chosen as supplier, and then mandatory", () => {
    const phc = validDraft({ supplierSubtypes: [ST.PHC], bases: [base({ subtypes: [ST.PHC] })] });
    expect(isPharmacyQuestionAvailable(phc, { subtypes: SUBTYPES, requirements: REQUIREMENTS })).toBe(true);
    expect(only(phc, "required")).toEqual([{ code: "required", field: "A9" }]);
    expect(save({ ...phc, hasPharmacy: false }).ok).toBe(true);
    expect(
      isPharmacyQuestionAvailable(validDraft(), { subtypes: SUBTYPES, requirements: REQUIREMENTS }),
    ).toBe(false);
  });

  it("I-PHARMACY: PHC chosen only as co-executor does not open A9", () => {
    const d = validDraft({
      asSupplier: false,
      supplierSubtypes: [],
      asCoExecutor: true,
      coExecutorSubtypes: [ST.PHC],
    });
    expect(isPharmacyQuestionAvailable(d, { subtypes: SUBTYPES, requirements: REQUIREMENTS })).toBe(false);
  });

  it("I-PHARMACY: a PHC subtype is also recognised by its PHARMACY-conditioned requirement", () => {
    const d = validDraft({ supplierSubtypes: [ST.PHC] });
    expect(isPharmacyQuestionAvailable(d, { subtypes: [], requirements: REQUIREMENTS })).toBe(true);
  });

  it("I-PHARMACY: an answer to A9 without PHC is refused (pharmacy_not_applicable)", () => {
    expect(only(validDraft({ hasPharmacy: true }), "pharmacy_not_applicable")).toEqual([
      { code: "pharmacy_not_applicable", field: "A9" },
    ]);
  });
});

describe("Section C (production bases)", () => {
  it("at least one production base is required", () => {
    expect(only(validDraft({ bases: [] }), "required")).toEqual([{ code: "required", field: "C" }]);
  });

  it("V3: each base needs at least one subtype (base_without_subtypes, M2)", () => {
    const d = validDraft({ bases: [base(), base({ subtypes: [] })] });
    expect(only(d, "base_without_subtypes")).toEqual([
      { code: "base_without_subtypes", field: "C.1.C7", params: { row: 2 } },
    ]);
  });

  it("V4: the bases must cover every subtype of Section A (bases_do_not_cover_subtypes, M3)", () => {
    const d = validDraft({
      supplierSubtypes: [ST.DENTAL, ST.CT_MRI],
      asCoExecutor: true,
      coExecutorSubtypes: [ST.ONCO_OUTPATIENT],
      licences: [L60, A15B],
    });
    expect(only(d, "bases_do_not_cover_subtypes")).toEqual([
      {
        code: "bases_do_not_cover_subtypes",
        field: "C",
        params: { missing: `${ST.CT_MRI},${ST.ONCO_OUTPATIENT}` },
      },
    ]);
    const covered = {
      ...d,
      bases: [base({ subtypes: [ST.DENTAL] }), base({ subtypes: [ST.CT_MRI, ST.ONCO_OUTPATIENT] })],
    };
    expect(only(covered, "bases_do_not_cover_subtypes")).toEqual([]);
  });

  it("V4: duplicate addresses are allowed (one address can be in several appendices)", () => {
    expect(save(validDraft({ bases: [base(), base()] })).ok).toBe(true);
  });

  it("C7: a base subtype must be one the licences allow (subtype_not_available)", () => {
    const lic = licence({
      appendices: [{ number: "1", licenceSubtypes: [], careSubtypes: [ST.DENTAL], addresses: [] }],
    });
    const d = validDraft({ licences: [lic], bases: [base({ subtypes: [ST.DENTAL, ST.PET] })] });
    expect(only(d, "subtype_not_available")).toEqual([
      { code: "subtype_not_available", field: "C.0.C7", params: { subtype: ST.PET, row: 1 } },
    ]);
  });

  it("V5: each base needs its own SES permit copy (ses_file_required)", () => {
    const d = validDraft({ bases: [base(), base({ sesFileId: null })] });
    expect(only(d, "ses_file_required")).toEqual([
      { code: "ses_file_required", field: "C.1.C6", params: { row: 2 } },
    ]);
  });

  it("V6: the КАТО must be a leaf (kato_not_leaf); unknown leafness counts as not a leaf", () => {
    expect(only(validDraft({ bases: [base({ katoIsLeaf: false })] }), "kato_not_leaf")).toEqual([
      { code: "kato_not_leaf", field: "C.0.C5", params: { row: 1 } },
    ]);
    expect(only(validDraft({ bases: [base({ katoIsLeaf: null })] }), "kato_not_leaf")).toHaveLength(1);
  });

  it("V6: the КАТО is required and has 9 digits (kato_invalid)", () => {
    expect(only(validDraft({ bases: [base({ katoCode: null })] }), "required")).toEqual([
      { code: "required", field: "C.0.C5", params: { row: 1 } },
    ]);
    expect(only(validDraft({ bases: [base({ katoCode: "71121" })] }), "kato_invalid")).toEqual([
      { code: "kato_invalid", field: "C.0.C5", params: { row: 1, value: "71121" } },
    ]);
  });

  it("DECISIONS 5: address, latitude and longitude are required", () => {
    const e = only(
      validDraft({ bases: [base({ address: " ", latitude: null, longitude: null })] }),
      "required",
    );
    expect(e.map((x) => x.field)).toEqual(["C.0.C2", "C.0.C3", "C.0.C4"]);
  });

  it("DECISIONS 5: latitude outside −90..90 and longitude outside −180..180 are errors", () => {
    const d = validDraft({ bases: [base({ latitude: 91, longitude: -181 })] });
    expect(codes(errs(d))).toEqual(["latitude_out_of_range", "longitude_out_of_range"]);
    expect(errs(d)[0]).toEqual({
      code: "latitude_out_of_range",
      field: "C.0.C3",
      params: { min: -90, max: 90, row: 1 },
    });
  });

  it("DECISIONS 5: one coordinate given is still range-checked", () => {
    const d = validDraft({ bases: [base({ latitude: 100, longitude: null })] });
    expect(codes(errs(d))).toEqual(["required", "latitude_out_of_range"]);
  });

  it("DECISIONS 5: coordinates outside Kazakhstan are a warning, not an error", () => {
    const r = save(validDraft({ bases: [base({ latitude: 48.8566, longitude: 2.3522 })] }));
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([
      {
        code: "coordinates_outside_kazakhstan",
        field: "C.0.C3",
        params: { latitude: 48.8566, longitude: 2.3522, row: 1 },
      },
    ]);
  });

  it("V7: an SES file over 20 MB is refused at save when file metadata is given", () => {
    const ctx = saveCtx({
      files: { "file-ses-1": { size: MAX_FILE_BYTES + 1, mimeType: "application/pdf" } },
    });
    expect(only(validDraft(), "file_too_large", ctx)).toEqual([
      {
        code: "file_too_large",
        field: "C.0.C6",
        params: { size: MAX_FILE_BYTES + 1, max: MAX_FILE_BYTES, fileId: "file-ses-1", row: 1 },
      },
    ]);
  });
});

describe("Section D (supporting documents)", () => {
  it("DECISIONS 5: at least one licence in D1 (licences_required)", () => {
    expect(only(validDraft({ licences: [] }), "licences_required")).toEqual([
      { code: "licences_required", field: "D1" },
    ]);
  });

  it("I-LICENCES: a licence that is not valid / general / for an activity type is refused (licence_not_eligible)", () => {
    const expired = licence({ number: "X1", status: "Прекращено" });
    expect(only(validDraft({ licences: [L60, expired] }), "licence_not_eligible")).toEqual([
      { code: "licence_not_eligible", field: "D1", params: { number: "X1", failed: "status" } },
    ]);
  });

  it("I-LICENCES: a licence of a BIN that is neither own nor linked is refused (licence_bin_not_allowed)", () => {
    const foreign = licence({ number: "F1", holderBin: "160440007161" });
    expect(only(validDraft({ licences: [L60, foreign] }), "licence_bin_not_allowed")).toEqual([
      { code: "licence_bin_not_allowed", field: "D1", params: { number: "F1", bin: "160440007161" } },
    ]);
    expect(save(validDraft({ licences: [licence({ holderBin: LINKED_BIN })] })).ok).toBe(true);
  });

  it("DECISIONS 1: licence data older than 24 hours block saving (licences_stale)", () => {
    const old = licence({ fetchedAt: new Date(NOW.getTime() - 24 * 3600 * 1000 - 1) });
    expect(only(validDraft({ licences: [old] }), "licences_stale")).toEqual([
      { code: "licences_stale", field: "D1", params: { fetchedAt: old.fetchedAt.toISOString() } },
    ]);
    const edge = licence({ fetchedAt: new Date(NOW.getTime() - 24 * 3600 * 1000) });
    expect(save(validDraft({ licences: [edge] })).ok).toBe(true);
  });

  it("V8: the registration certificate (D2) is mandatory (registration_file_required)", () => {
    expect(only(validDraft({ registrationFileIds: [] }), "registration_file_required")).toEqual([
      { code: "registration_file_required", field: "D2" },
    ]);
  });

  it("D3 power of attorney is optional, but its files are checked (V7)", () => {
    expect(save(validDraft({ powerOfAttorneyFileIds: [] })).ok).toBe(true);
    const ctx = saveCtx({ files: { poa: { size: 10, mimeType: "application/zip" } } });
    expect(only(validDraft({ powerOfAttorneyFileIds: ["poa"] }), "file_type_not_allowed", ctx)).toEqual([
      { code: "file_type_not_allowed", field: "D3", params: { mimeType: "application/zip", fileId: "poa" } },
    ]);
  });

  it("V7: D2 files over 20 MB are refused", () => {
    const ctx = saveCtx({ files: { "file-reg-1": { size: 21 * 1024 * 1024, mimeType: "image/jpeg" } } });
    expect(codes(errs(validDraft(), ctx))).toEqual(["file_too_large"]);
  });
});

describe("R1–R3 licence requirements (blocking at save, DECISIONS 2)", () => {
  const phcDraft = (hasPharmacy: boolean, licences = [L60]) =>
    validDraft({ supplierSubtypes: [ST.PHC], hasPharmacy, bases: [base({ subtypes: [ST.PHC] })], licences });

  it("R1: PHC + pharmacy «Да» requires L61I and L64A (licence_required)", () => {
    expect(only(phcDraft(true), "licence_required")).toEqual([
      {
        code: "licence_required",
        field: "D1",
        params: {
          subtype: ST.PHC,
          licenceCode: "L61I",
          activityCode: "L61",
          ruleId: "R1",
          asStatus: "SUPPLIER",
        },
      },
      {
        code: "licence_required",
        field: "D1",
        params: {
          subtype: ST.PHC,
          licenceCode: "L64A",
          activityCode: "L64",
          ruleId: "R1",
          asStatus: "SUPPLIER",
        },
      },
    ]);
    expect(save(phcDraft(true, [L60, L61I, L64A])).ok).toBe(true);
  });

  it("R1: PHC + pharmacy «Нет» checks no licence", () => {
    expect(save(phcDraft(false)).ok).toBe(true);
  });

  it("R2.1: CT/MRI requires A15B as supplier and as co-executor", () => {
    const asSupplier = validDraft({
      supplierSubtypes: [ST.CT_MRI],
      bases: [base({ subtypes: [ST.CT_MRI] })],
    });
    expect(only(asSupplier, "licence_required").map((e) => e.params?.licenceCode)).toEqual(["A15B"]);
    const asCo = validDraft({
      asSupplier: false,
      supplierSubtypes: [],
      asCoExecutor: true,
      coExecutorSubtypes: [ST.CT_MRI],
      bases: [base({ subtypes: [ST.CT_MRI] })],
    });
    expect(only(asCo, "licence_required")[0]?.params).toMatchObject({
      licenceCode: "A15B",
      activityCode: "A15",
      asStatus: "CO_EXECUTOR",
      ruleId: "R2",
    });
    expect(save({ ...asCo, licences: [L60, A15B] }).ok).toBe(true);
  });

  it("R2.2 / R2.3: source replacement and PET require A15B only as supplier", () => {
    for (const s of [ST.ION, ST.PET]) {
      const sup = validDraft({ supplierSubtypes: [s], bases: [base({ subtypes: [s] })] });
      expect(
        only(sup, "licence_required").map((e) => e.params?.licenceCode),
        s,
      ).toEqual(["A15B"]);
      const co = validDraft({
        asSupplier: false,
        supplierSubtypes: [],
        asCoExecutor: true,
        coExecutorSubtypes: [s],
        bases: [base({ subtypes: [s] })],
      });
      expect(only(co, "licence_required"), s).toEqual([]);
    }
  });

  it("R3.1–R3.7: each requires L64A as supplier", () => {
    const r3 = [
      ST.EMERGENCY,
      ST.PALLIATIVE,
      ST.TB_SOCIAL,
      ST.TB_INPATIENT,
      ST.MENTAL,
      ST.MENTAL_INPATIENT,
      ST.ONCO_OUTPATIENT,
    ];
    for (const s of r3) {
      const d = validDraft({ supplierSubtypes: [s], bases: [base({ subtypes: [s] })] });
      expect(
        only(d, "licence_required").map((e) => `${e.params?.ruleId}:${e.params?.licenceCode}`),
        s,
      ).toEqual(["R3:L64A"]);
      expect(save({ ...d, licences: [L60, L64A] }).ok, s).toBe(true);
    }
  });

  it("a licence that fails the display filter does not satisfy a requirement", () => {
    const invalidL64 = { ...L64A, status: "Приостановлен" };
    const d = validDraft({ supplierSubtypes: [ST.PALLIATIVE], bases: [base({ subtypes: [ST.PALLIATIVE] })] });
    expect(only({ ...d, licences: [L60, invalidL64] }, "licence_required")).toHaveLength(1);
  });

  it("the activity code comes from the classifier's parent when given", () => {
    const ctx = saveCtx({ licenceParents: { L64A: "L64-PARENT" } });
    const d = validDraft({ supplierSubtypes: [ST.PALLIATIVE], bases: [base({ subtypes: [ST.PALLIATIVE] })] });
    expect(only(d, "licence_required", ctx)[0]?.params?.activityCode).toBe("L64-PARENT");
  });
});
