import { describe, expect, it } from "vitest";
import {
  availableSubtypes,
  checkExclusionWait,
  checkOneOpenPerRegion,
  type DraftApplication,
  emptyDraft,
  exclusionWaitEnds,
  isPharmacyQuestionAvailable,
  licenceNotices,
  parseCoordinate,
  RULES_ERROR_CODES,
  RULES_WARNING_CODES,
  validateCoordinates,
  validateFile,
  validateForSave,
  validateImmutable,
  validateSection,
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

describe("licenceNotices (M4 for the head, informational)", () => {
  const cls = { requirements: REQUIREMENTS };
  it("lists the missing licences for the chosen subtypes", () => {
    const d = validDraft({
      supplierSubtypes: [ST.PHC, ST.PALLIATIVE],
      hasPharmacy: true,
      licences: [L60, L64A],
    });
    expect(licenceNotices(d, cls)).toEqual([
      {
        subtype: ST.PHC,
        asStatus: "SUPPLIER",
        licenceCode: "L61I",
        activityCode: "L61",
        ruleId: "R1",
        satisfied: false,
      },
    ]);
  });

  it("with onlyMissing false lists every applicable requirement with its state", () => {
    const d = validDraft({ supplierSubtypes: [ST.PALLIATIVE], licences: [L60, L64A] });
    expect(licenceNotices(d, cls, { onlyMissing: false })).toEqual([
      {
        subtype: ST.PALLIATIVE,
        asStatus: "SUPPLIER",
        licenceCode: "L64A",
        activityCode: "L64",
        ruleId: "R3",
        satisfied: true,
      },
    ]);
  });

  it("ignores subtypes of a status that is not chosen, and repeated requirement rows", () => {
    const d = validDraft({ asSupplier: false, supplierSubtypes: [ST.PALLIATIVE] });
    expect(licenceNotices(d, cls)).toEqual([]);
    const twice = validDraft({ supplierSubtypes: [ST.PALLIATIVE] });
    expect(licenceNotices(twice, { requirements: [...REQUIREMENTS, ...REQUIREMENTS] })).toHaveLength(1);
  });
});

describe("availableSubtypes (A6/A7 options from the licence appendices)", () => {
  const lic = licence({
    appendices: [
      { number: "1", licenceSubtypes: [], careSubtypes: [ST.PALLIATIVE, ST.SUPPLIER_ONLY], addresses: [] },
      { number: "2", licenceSubtypes: [], careSubtypes: [ST.DENTAL, ST.PALLIATIVE], addresses: [] },
    ],
  });

  it("without a catalogue: the appendix subtypes in order, duplicates removed", () => {
    expect(availableSubtypes([lic], "SUPPLIER")).toEqual([ST.PALLIATIVE, ST.SUPPLIER_ONLY, ST.DENTAL]);
  });

  it("with a catalogue: in catalogue order, limited by the status flags", () => {
    expect(availableSubtypes([lic], "SUPPLIER", SUBTYPES)).toEqual([
      ST.DENTAL,
      ST.PALLIATIVE,
      ST.SUPPLIER_ONLY,
    ]);
    expect(availableSubtypes([lic], "CO_EXECUTOR", SUBTYPES)).toEqual([ST.DENTAL, ST.PALLIATIVE]);
  });

  it("licences that fail the display filter offer nothing", () => {
    expect(availableSubtypes([{ ...lic, type: "разовая" }], "SUPPLIER", SUBTYPES)).toEqual([]);
  });

  it("codes unknown to the catalogue are dropped", () => {
    const unknown = licence({
      appendices: [{ number: "1", licenceSubtypes: [], careSubtypes: ["NOPE"], addresses: [] }],
    });
    expect(availableSubtypes([unknown], "SUPPLIER", SUBTYPES)).toEqual([]);
  });
});

describe("validateSection (per wizard step)", () => {
  it("A reports only Section A errors", () => {
    const d = { ...emptyDraft(), licences: [L60] };
    expect(validateSection("A", d, saveCtx()).errors.map((e) => e.field)).toEqual(["A4", "A5", "A8"]);
  });

  it("C reports only Section C errors and the warnings", () => {
    const d = validDraft({ bases: [base({ latitude: 10, longitude: 10, sesFileId: null })] });
    const r = validateSection("C", d, saveCtx());
    expect(codes(r.errors)).toEqual(["ses_file_required"]);
    expect(codes(r.warnings)).toEqual(["coordinates_outside_kazakhstan"]);
    expect(r.ok).toBe(false);
  });

  it("D reports only Section D errors", () => {
    const d = validDraft({ registrationFileIds: [], regionCode: null });
    expect(validateSection("D", d, saveCtx())).toEqual({
      ok: false,
      errors: [{ code: "registration_file_required", field: "D2" }],
      warnings: [],
    });
  });

  it("a valid draft passes every section", () => {
    for (const s of ["A", "C", "D"] as const)
      expect(validateSection(s, validDraft(), saveCtx()).ok, s).toBe(true);
  });
});

describe("G6 / V10: 3 years after an exclusion (DECISIONS 7)", () => {
  const excludedAt = new Date("2022-06-02T06:00:00Z");

  it("blocks saving until 3 years after the X7 decision (excluded_less_than_3_years)", () => {
    const ctx = saveCtx({ lastExclusionAt: excludedAt, now: new Date("2025-06-02T05:59:59.999Z") });
    expect(
      only(validDraft({ licences: [licence({ fetchedAt: ctx.now })] }), "excluded_less_than_3_years", ctx),
    ).toEqual([
      {
        code: "excluded_less_than_3_years",
        params: { excludedAt: excludedAt.toISOString(), allowedFrom: "2025-06-02T06:00:00.000Z" },
      },
    ]);
  });

  it("allows saving from exactly 3 years after the exclusion", () => {
    expect(checkExclusionWait(excludedAt, new Date("2025-06-02T06:00:00Z"))).toEqual([]);
    expect(save(validDraft(), saveCtx({ lastExclusionAt: excludedAt })).ok).toBe(true);
  });

  it("applies per IIN/BIN in any region: the check does not look at the region", () => {
    const recent = new Date("2025-01-01T00:00:00Z");
    expect(codes(errs(validDraft({ regionCode: "ALMATY" }), saveCtx({ lastExclusionAt: recent })))).toEqual([
      "excluded_less_than_3_years",
    ]);
  });

  it("applies on every save mode (create, edit, make changes)", () => {
    const recent = new Date("2025-01-01T00:00:00Z");
    for (const mode of ["CREATE", "EDIT", "MAKE_CHANGES"] as const)
      expect(codes(errs(validDraft(), saveCtx({ mode, lastExclusionAt: recent }))), mode).toEqual([
        "excluded_less_than_3_years",
      ]);
  });

  it("29 February + 3 years is 1 March", () => {
    expect(exclusionWaitEnds(new Date("2024-02-29T10:00:00Z")).toISOString()).toBe(
      "2027-03-01T10:00:00.000Z",
    );
  });
});

describe("DECISIONS 8: one open application per organisation and region", () => {
  it("refuses a second open application for the same region, naming the open one", () => {
    const ctx = saveCtx({ openApplications: [{ id: "app-9", regionCode: "ASTANA" }] });
    expect(only(validDraft(), "open_application_exists", ctx)).toEqual([
      {
        code: "open_application_exists",
        field: "A8",
        params: { applicationId: "app-9", regionCode: "ASTANA" },
      },
    ]);
  });

  it("allows another region", () => {
    expect(
      save(validDraft(), saveCtx({ openApplications: [{ id: "app-9", regionCode: "ALMATY" }] })).ok,
    ).toBe(true);
  });

  it("an edited application does not conflict with itself", () => {
    const ctx = saveCtx({
      mode: "EDIT",
      applicationId: "app-1",
      openApplications: [{ id: "app-1", regionCode: "ASTANA" }],
    });
    expect(save(validDraft(), { ...ctx, previous: validDraft() }).ok).toBe(true);
    expect(checkOneOpenPerRegion(null, [{ id: "x", regionCode: null }])).toEqual([]);
  });
});

describe("§3.7 immutable fields: EDIT vs MAKE_CHANGES", () => {
  const before = validDraft();

  it("EDIT (T2): the ownership form is locked (field_immutable)", () => {
    const after = validDraft({ ownershipFormCode: "STATE" });
    expect(validateImmutable(before, after, "EDIT")).toEqual([
      { code: "field_immutable", field: "A4", params: { field: "ownershipFormCode" } },
    ]);
    expect(codes(errs(after, saveCtx({ mode: "EDIT", previous: before })))).toEqual(["field_immutable"]);
  });

  it("MAKE_CHANGES (T20): the ownership form is editable", () => {
    const after = validDraft({ ownershipFormCode: "STATE" });
    expect(validateImmutable(before, after, "MAKE_CHANGES")).toEqual([]);
    expect(save(after, saveCtx({ mode: "MAKE_CHANGES", previous: before })).ok).toBe(true);
  });

  it("I-IDENTITY: names and IIN/BIN are locked in both modes", () => {
    const after = validDraft({ identity: { nameKk: "Басқа", nameRu: "Другое", bin: LINKED_BIN } });
    for (const mode of ["EDIT", "MAKE_CHANGES"] as const)
      expect(
        validateImmutable(before, after, mode).map((e) => e.field),
        mode,
      ).toEqual(["A1", "A2", "A3"]);
  });

  it("CREATE (T1) has nothing to compare with", () => {
    expect(validateImmutable(before, validDraft({ ownershipFormCode: "STATE" }), "CREATE")).toEqual([]);
    expect(validateImmutable(null, before, "EDIT")).toEqual([]);
  });
});

describe("validateFile (V7, G5, DECISIONS 18)", () => {
  it("accepts PDF, JPEG and PNG up to exactly 20 MB", () => {
    for (const mimeType of ["application/pdf", "image/jpeg", "image/png", "IMAGE/PNG"])
      expect(validateFile({ size: MAX_FILE_BYTES, mimeType }), mimeType).toEqual([]);
  });

  it("refuses a file over 20 MB (file_too_large)", () => {
    expect(validateFile({ size: MAX_FILE_BYTES + 1, mimeType: "application/pdf" }, "D2")).toEqual([
      { code: "file_too_large", field: "D2", params: { size: MAX_FILE_BYTES + 1, max: MAX_FILE_BYTES } },
    ]);
  });

  it("refuses other types (file_type_not_allowed) and empty files (file_empty)", () => {
    expect(codes(validateFile({ size: 100, mimeType: "application/msword" }))).toEqual([
      "file_type_not_allowed",
    ]);
    expect(codes(validateFile({ size: 0, mimeType: "application/pdf" }))).toEqual(["file_empty"]);
    expect(codes(validateFile({ size: Number.NaN, mimeType: "text/plain" }))).toEqual([
      "file_empty",
      "file_type_not_allowed",
    ]);
  });
});

describe("validateCoordinates / parseCoordinate", () => {
  it("accepts the full range −90..90 / −180..180 (boundaries included)", () => {
    expect(validateCoordinates(90, 180).errors).toEqual([]);
    expect(validateCoordinates(-90, -180).errors).toEqual([]);
  });

  it("refuses values beyond the range and non-numbers", () => {
    expect(codes(validateCoordinates(-90.0001, 180.0001).errors)).toEqual([
      "latitude_out_of_range",
      "longitude_out_of_range",
    ]);
    expect(codes(validateCoordinates(Number.NaN, Number.POSITIVE_INFINITY).errors)).toEqual([
      "latitude_out_of_range",
      "longitude_out_of_range",
    ]);
  });

  it("Kazakhstan bounds 40–56 N, 46–88 E: inside no warning, outside a warning", () => {
    for (const [lat, lon] of [
      [40, 46],
      [56, 88],
      [43.2389, 76.8897],
    ] as const)
      expect(validateCoordinates(lat, lon).warnings, `${lat},${lon}`).toEqual([]);
    for (const [lat, lon] of [
      [39.99, 60],
      [56.01, 60],
      [50, 45.99],
      [50, 88.01],
    ] as const)
      expect(codes(validateCoordinates(lat, lon).warnings), `${lat},${lon}`).toEqual([
        "coordinates_outside_kazakhstan",
      ]);
  });

  it("a coordinate out of range gives no Kazakhstan warning (the error is enough)", () => {
    expect(validateCoordinates(95, 10).warnings).toEqual([]);
  });

  it("parses a dot or comma decimal, refuses text", () => {
    expect(parseCoordinate("51.1694")).toBe(51.1694);
    expect(parseCoordinate(" 71,4491 ")).toBe(71.4491);
    expect(parseCoordinate("-12")).toBe(-12);
    expect(parseCoordinate("north")).toBeNull();
    expect(parseCoordinate("1e5")).toBeNull();
    expect(parseCoordinate("")).toBeNull();
  });
});

describe("checkOneOpenPerRegion / checkExclusionWait helpers", () => {
  it("no exclusion → no error", () => {
    expect(checkExclusionWait(null, NOW)).toEqual([]);
  });
});

describe("error codes are stable and listed", () => {
  it("every code produced by a batch of broken drafts is in RULES_ERROR_CODES / RULES_WARNING_CODES", () => {
    const broken = [
      emptyDraft(),
      validDraft({ ownershipFormCode: "X", regionCode: "Y", hasPharmacy: true, coExecutorSubtypes: ["Z"] }),
      validDraft({
        bases: [base({ katoCode: "1", latitude: 100, longitude: 200, sesFileId: null, subtypes: ["Q"] })],
      }),
      validDraft({ bases: [base({ katoIsLeaf: false, subtypes: [], latitude: 10, longitude: 10 })] }),
      validDraft({
        licences: [licence({ status: "x", holderBin: "160440007161", fetchedAt: new Date(0) })],
        registrationFileIds: [],
      }),
      validDraft({ supplierSubtypes: [ST.PALLIATIVE], bases: [base({ subtypes: [ST.PALLIATIVE] })] }),
      validDraft({ bases: [base({ katoActive: false })] }),
      validDraft({ bases: [base({ katoCode: "751510000", latitude: 43.25, longitude: 76.9 })] }),
    ];
    const ctx = saveCtx({
      regionKatoCodes: { ASTANA: "710000000", ALMATY: "750000000", ABAI: "100000000" },
      mode: "EDIT",
      previous: validDraft({ ownershipFormCode: "STATE" }),
      lastExclusionAt: NOW,
      openApplications: [{ id: "o", regionCode: "ASTANA" }],
      files: {
        "file-reg-1": { size: 0, mimeType: "x" },
        "file-ses-1": { size: MAX_FILE_BYTES + 1, mimeType: "x" },
      },
    });
    const seen = new Set<string>();
    const warnings = new Set<string>();
    for (const d of broken) {
      const r = save(d, ctx);
      for (const e of r.errors) seen.add(e.code);
      for (const w of r.warnings) warnings.add(w.code);
    }
    for (const c of seen) expect(RULES_ERROR_CODES as readonly string[], c).toContain(c);
    for (const c of warnings) expect(RULES_WARNING_CODES as readonly string[], c).toContain(c);
    // and the batch exercises every listed code
    expect([...seen].sort()).toEqual([...RULES_ERROR_CODES].sort());
  });
});
