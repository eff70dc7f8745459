import { describe, expect, it } from "vitest";
import {
  appendixAddresses,
  canRequestFor,
  canStartLicenceRequest,
  completeLicenceRequest,
  DISPLAYED_ACTIVITY_CODES,
  displayFilterFailures,
  filterDisplayable,
  isDisplayable,
  isFresh,
  isRequestStuck,
  LICENCE_FRESHNESS_MS,
  LICENCE_REQUEST_TIMEOUT_MS,
  licenceActivityCode,
  licenceDataState,
  licenceEligibilityErrors,
  licenceHasCode,
  normalizeLabel,
} from "../../domain/licences.ts";
import { A15B, L60, LINKED_BIN, licence, OWN_BIN } from "./fixtures.ts";

const org = { bin: OWN_BIN, linkedBins: [LINKED_BIN] };
const now = new Date("2025-06-02T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("SPEC §2.4 display filter («Все лицензии»)", () => {
  it.each(DISPLAYED_ACTIVITY_CODES)("shows a valid general licence for activity %s", (activityCode) => {
    expect(isDisplayable(licence({ activityCode }))).toBe(true);
  });

  it("hides other activity types (e.g. L62, A15B as a main code)", () => {
    expect(displayFilterFailures(licence({ activityCode: "L62" }))).toEqual(["activity"]);
    expect(isDisplayable(licence({ activityCode: "A15B" }))).toBe(false);
  });

  it("accepts the category with the source typo «деяятельности», in any case", () => {
    expect(isDisplayable(licence({ category: "Лицензия на вид деяятельности" }))).toBe(true);
    expect(isDisplayable(licence({ category: "ЛИЦЕНЗИЯ НА ВИД ДЕЯТЕЛЬНОСТИ" }))).toBe(true);
    expect(isDisplayable(licence({ category: "  «Лицензия  на вид деятельности» " }))).toBe(true);
  });

  it("hides other categories (e.g. a licence for a subtype)", () => {
    expect(displayFilterFailures(licence({ category: "Лицензия на подвид деятельности" }))).toEqual([
      "category",
    ]);
  });

  it("type «генеральная лицензия» is compared case-insensitively; «Генеральная» (§2.7) is accepted", () => {
    for (const type of [
      "генеральная лицензия",
      "Генеральная лицензия",
      "ГЕНЕРАЛЬНАЯ ЛИЦЕНЗИЯ",
      "Генеральная",
    ])
      expect(isDisplayable(licence({ type })), type).toBe(true);
    expect(displayFilterFailures(licence({ type: "Разовая лицензия" }))).toEqual(["type"]);
  });

  it("only status «Действительный» is shown", () => {
    expect(isDisplayable(licence({ status: "действительный" }))).toBe(true);
    for (const status of ["Приостановлен", "Прекращен", "Недействительный", ""])
      expect(displayFilterFailures(licence({ status })), status).toEqual(["status"]);
  });

  it("reports every failed condition", () => {
    expect(displayFilterFailures({ activityCode: "X", category: "c", type: "t", status: "s" })).toEqual([
      "activity",
      "category",
      "type",
      "status",
    ]);
  });

  it("filterDisplayable keeps only the shown licences", () => {
    const hidden = licence({ number: "H", status: "Прекращен" });
    expect(filterDisplayable([L60, hidden, A15B]).map((l) => l.number)).toEqual([L60.number, A15B.number]);
  });

  it("normalizeLabel lowers case, maps ё, removes quotes and extra spaces", () => {
    expect(normalizeLabel("  «Ёлка»   Тест ")).toBe("елка тест");
  });
});

describe("SPEC §2.3 own / linked BIN rule (canRequestFor)", () => {
  it("own IIN/BIN is allowed", () => {
    expect(canRequestFor(OWN_BIN, org)).toEqual({ ok: true, value: "OWN" });
  });

  it("a BIN from «Данные о филиалах/реорганизованных организациях» is allowed", () => {
    expect(canRequestFor(LINKED_BIN, org)).toEqual({ ok: true, value: "LINKED" });
    expect(canRequestFor(" 9401 4000 0385", org)).toEqual({ ok: true, value: "LINKED" });
  });

  it("any other valid BIN is refused (bin_not_linked)", () => {
    expect(canRequestFor("160440007161", org)).toEqual({
      ok: false,
      errors: [{ code: "bin_not_linked", field: "bin", params: { bin: "160440007161" } }],
    });
  });

  it("an invalid IIN/BIN is refused before the link check", () => {
    const r1 = canRequestFor("97124000131", org);
    expect(r1.ok ? null : r1.errors[0]?.code).toBe("iin_bin_format");
    const r2 = canRequestFor("971240001316", org);
    expect(r2.ok ? null : r2.errors[0]?.code).toBe("iin_bin_checksum");
  });
});

describe("DECISIONS 1: the 24-hour rule (isFresh)", () => {
  it("data fetched within the last 24 hours are fresh (24 h exactly included)", () => {
    expect(isFresh(ago(0), now)).toBe(true);
    expect(isFresh(ago(LICENCE_FRESHNESS_MS), now)).toBe(true);
  });

  it("data older than 24 hours are stale", () => {
    expect(isFresh(ago(LICENCE_FRESHNESS_MS + 1), now)).toBe(false);
    expect(isFresh(ago(3 * LICENCE_FRESHNESS_MS), now)).toBe(false);
  });

  it("a fetch time slightly in the future (clock skew) counts as fresh", () => {
    expect(isFresh(new Date(now.getTime() + 5000), now)).toBe(true);
  });

  it("the window can be changed in one place (parameter)", () => {
    expect(isFresh(ago(2 * 3600_000), now, 3600_000)).toBe(false);
  });
});

describe("licence request statuses (SPEC §2.2)", () => {
  it("«В обработке» ends in «Обработан» or «Ошибка обработки»", () => {
    expect(completeLicenceRequest("PROCESSING", "PROCESSED")).toEqual({ ok: true, value: "PROCESSED" });
    expect(completeLicenceRequest("PROCESSING", "FAILED")).toEqual({ ok: true, value: "FAILED" });
  });

  it("a finished request does not change again (request_not_processing)", () => {
    for (const [from, to] of [
      ["PROCESSED", "FAILED"],
      ["FAILED", "PROCESSED"],
      ["PROCESSED", "PROCESSING"],
      ["PROCESSING", "PROCESSING"],
    ] as const) {
      const r = completeLicenceRequest(from, to);
      expect(r.ok ? null : r.errors[0]?.code, `${from}→${to}`).toBe("request_not_processing");
    }
  });

  it("a new request is refused while one is «В обработке» (request_in_progress)", () => {
    const r = canStartLicenceRequest({ status: "PROCESSING", requestedAt: ago(60_000) }, now);
    expect(r.ok ? null : r.errors[0]?.code).toBe("request_in_progress");
  });

  it("a new request is allowed: first time, after success, after failure (retry), or when one is stuck", () => {
    expect(canStartLicenceRequest(null, now).ok).toBe(true);
    expect(canStartLicenceRequest({ status: "PROCESSED", requestedAt: ago(1000) }, now).ok).toBe(true);
    expect(canStartLicenceRequest({ status: "FAILED", requestedAt: ago(1000) }, now).ok).toBe(true);
    const stuck = { status: "PROCESSING" as const, requestedAt: ago(LICENCE_REQUEST_TIMEOUT_MS + 1) };
    expect(isRequestStuck(stuck, now)).toBe(true);
    expect(canStartLicenceRequest(stuck, now).ok).toBe(true);
  });

  it("licenceDataState tells the wizard to use, wait, retry or request", () => {
    const fresh = ago(3600_000);
    const stale = ago(LICENCE_FRESHNESS_MS + 1);
    expect(licenceDataState({ fetchedAt: fresh, latestRequest: null }, now)).toBe("FRESH");
    expect(licenceDataState({ fetchedAt: null, latestRequest: null }, now)).toBe("REQUEST");
    expect(licenceDataState({ fetchedAt: stale, latestRequest: null }, now)).toBe("REQUEST");
    expect(
      licenceDataState(
        { fetchedAt: stale, latestRequest: { status: "PROCESSING", requestedAt: ago(1000) } },
        now,
      ),
    ).toBe("PROCESSING");
    expect(
      licenceDataState(
        { fetchedAt: stale, latestRequest: { status: "FAILED", requestedAt: ago(1000) } },
        now,
      ),
    ).toBe("FAILED");
    // an old failure before the last successful fetch does not count
    expect(
      licenceDataState(
        { fetchedAt: stale, latestRequest: { status: "FAILED", requestedAt: ago(LICENCE_FRESHNESS_MS * 2) } },
        now,
      ),
    ).toBe("REQUEST");
    expect(
      licenceDataState(
        {
          fetchedAt: null,
          latestRequest: { status: "PROCESSING", requestedAt: ago(LICENCE_REQUEST_TIMEOUT_MS + 1) },
        },
        now,
      ),
    ).toBe("FAILED");
  });
});

describe("licence codes and appendices", () => {
  it("the activity type of a subcode is its prefix, or the classifier parent", () => {
    expect(licenceActivityCode("L64A")).toBe("L64");
    expect(licenceActivityCode("A15B")).toBe("A15");
    expect(licenceActivityCode("L61I")).toBe("L61");
    expect(licenceActivityCode("L60")).toBe("L60");
    expect(licenceActivityCode("L64A", { L64A: "L64" })).toBe("L64");
    expect(licenceActivityCode("weird")).toBe("weird");
  });

  it("a licence carries its activity code and its appendices' subcodes", () => {
    expect(licenceHasCode(A15B, "A15")).toBe(true);
    expect(licenceHasCode(A15B, "A15B")).toBe(true);
    expect(licenceHasCode(A15B, "L64A")).toBe(false);
  });

  it("appendix addresses pre-fill Section C without duplicates", () => {
    const l = licence({
      appendices: [
        {
          number: "1",
          licenceSubtypes: [],
          careSubtypes: [],
          addresses: ["Астана, ул. А, 1", "Астана, ул. Б, 2"],
        },
        { number: "2", licenceSubtypes: [], careSubtypes: [], addresses: ["астана,  ул. а, 1", " "] },
      ],
    });
    expect(appendixAddresses([l, l])).toEqual(["Астана, ул. А, 1", "Астана, ул. Б, 2"]);
  });

  it("eligibility errors for a draft's licences (licence_not_eligible, licence_bin_not_allowed)", () => {
    expect(licenceEligibilityErrors([L60], org)).toEqual([]);
    expect(licenceEligibilityErrors([{ ...L60, type: "разовая", holderBin: "160440007161" }], org)).toEqual([
      { code: "licence_not_eligible", field: "D1", params: { number: L60.number, failed: "type" } },
      { code: "licence_bin_not_allowed", field: "D1", params: { number: L60.number, bin: "160440007161" } },
    ]);
    expect(licenceEligibilityErrors([{ ...L60, holderBin: "160440007161" }])).toEqual([]);
  });
});
