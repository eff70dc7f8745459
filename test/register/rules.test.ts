// What "in the register" means is read from the transition table; the typed search is tidied before use. Pure.
import { describe, expect, it } from "vitest";
import { normaliseQuery, REGISTER_EXCLUDING, REGISTER_INCLUDED } from "../../app/register.ts";
import { registerPosOf } from "../../bot/features/register/screens.ts";

describe("the register's statuses (derived from domain/transitions.ts)", () => {
  it("is the status a final inclusion leads to, and the statuses an exclusion passes before its decision", () => {
    expect(REGISTER_INCLUDED).toEqual(["INCLUDED"]);
    expect([...REGISTER_EXCLUDING].sort()).toEqual(["CONFIRMED_APPROVAL", "REJECTED_CHECK"]);
  });
});

describe("normaliseQuery", () => {
  it("joins a BIN/IIN typed with spaces or dashes, keeps a name's words", () => {
    expect(normaliseQuery(" 1001 4000 1231 ")).toBe("100140001231");
    expect(normaliseQuery("100-140")).toBe("100140");
    expect(normaliseQuery("  Городская   поликлиника ")).toBe("Городская поликлиника");
  });
  it("refuses what cannot be searched", () => {
    expect(normaliseQuery("")).toBeNull();
    expect(normaliseQuery("7")).toBeNull();
    expect(normaliseQuery("1234567890123")).toBeNull(); // 13 digits: not a BIN/IIN
    expect(normaliseQuery("a".repeat(101))).toBeNull();
  });
});

describe("registerPosOf (page buttons)", () => {
  it("reads a well-formed cursor and treats anything else as the first page", () => {
    const id = "0f0e0d0c-0b0a-4000-8000-000000000001";
    expect(registerPosOf(["2", "n", (1_700_000_000_000).toString(36), id])).toEqual({
      page: 2,
      dir: "n",
      cursor: { at: new Date(1_700_000_000_000), id },
    });
    expect(registerPosOf(["2", "x", "zz", id])).toEqual({ page: 0 });
    expect(registerPosOf(["0", "n", "zz", id])).toEqual({ page: 0 });
    expect(registerPosOf([])).toEqual({ page: 0 });
  });
});
