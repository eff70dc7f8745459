// validateForSave and its parts, continued (test/domain/rules.test.ts: the complete draft, sections A, C, D, R1–R3).
import { describe, expect, it } from "vitest";
import {
  availableSubtypes,
  checkExclusionWait,
  checkOneOpenPerRegion,
  type DraftApplication,
  emptyDraft,
  exclusionWaitEnds,
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
  base,
  codes,
  L60,
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
