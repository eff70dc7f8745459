// «Мои заявки»'s search filter (app/supplier.ts): the period in Astana time, the typed number, the store's filter.
import { describe, expect, it } from "vitest";
import { normaliseNumber, periodStart, storeFilter } from "../../app/supplier.ts";

describe("the search filter of «Мои заявки»", () => {
  it("starts a period at Astana's midnight: this month, the last 3 months, this year", () => {
    // 1 March 2026, 02:00 in Astana is still 28 February in UTC
    const now = new Date("2026-02-28T21:00:00Z");
    expect(periodStart("month", now).toISOString()).toBe("2026-02-28T19:00:00.000Z");
    expect(periodStart("quarter", now).toISOString()).toBe("2025-12-31T19:00:00.000Z");
    expect(periodStart("year", now).toISOString()).toBe("2025-12-31T19:00:00.000Z");
  });

  it("takes a number as people type it, and refuses what cannot be one", () => {
    expect(normaliseNumber("№ 1A2B3C4D")).toBe("1a2b3c4d");
    expect(normaliseNumber(" 1a2b ")).toBe("1a2b");
    expect(normaliseNumber("zz")).toBeNull();
    expect(normaliseNumber("%")).toBeNull();
  });

  it("passes only known statuses to the store", () => {
    const now = new Date("2026-05-05T00:00:00Z");
    expect(storeFilter({ status: "DRAFT", region: "ASTANA", number: "1a" }, now)).toEqual({
      statuses: ["DRAFT"],
      regionCode: "ASTANA",
      number: "1a",
    });
    expect(storeFilter({ status: "NOPE" as never }, now)).toEqual({});
    expect(storeFilter({ period: "year" }, now).from?.toISOString()).toBe("2025-12-31T19:00:00.000Z");
  });
});
