import { describe, expect, it } from "vitest";
import { checkDigit, iinBinErrors, isValidIinBin, normalizeIinBin } from "../../domain/iin.ts";

// Public BINs of well-known organisations (check digit verified) and computed IIN/BIN samples.
const VALID = [
  "971240001315", // BIN, legal entity registered 12.1997
  "940140000385", // BIN, legal entity registered 01.1994
  "160440007161", // BIN, legal entity registered 04.2016
  "050140000656", // BIN
  "000740001307", // BIN
  "990340005977", // BIN
  "870315123455", // IIN: born 15.03.1987, man of the 20th century (digit 3)
  "900101400003", // IIN: born 01.01.1990, woman of the 20th century (digit 4)
  "020717601237", // IIN: born 17.07.2002, woman of the 21st century (digit 6)
];
/** First sum mod 11 is 10: the second weights (3,4,…,11,1,2) give the check digit. */
const VALID_SECOND_PASS = ["850315301801", "850315301813", "850315301825", "120440000906", "120440000918"];
/** Both sums give 10: no check digit exists for these 11 digits. */
const NO_CHECK_DIGIT = ["85031530260", "85031530341", "85031530422", "85031530503"];

describe("IIN/BIN check digit", () => {
  it.each(VALID)("accepts %s (weights 1..11)", (v) => {
    expect(isValidIinBin(v)).toBe(true);
    expect(iinBinErrors(v)).toEqual([]);
  });

  it.each(VALID_SECOND_PASS)("accepts %s (first sum mod 11 = 10: second weights)", (v) => {
    expect(isValidIinBin(v)).toBe(true);
  });

  it("the second-pass samples really need the second weights", () => {
    for (const v of VALID_SECOND_PASS) {
      const d = [...v].map(Number);
      const first = d.slice(0, 11).reduce((s, x, i) => s + x * (i + 1), 0) % 11;
      expect(first, v).toBe(10);
    }
  });

  it.each(NO_CHECK_DIGIT)("11 digits %s admit no check digit: every 12th digit is invalid", (p) => {
    expect(checkDigit(p)).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidIinBin(`${p}${d}`)).toBe(false);
  });

  it.each(VALID)("refuses %s with any other last digit (iin_bin_checksum)", (v) => {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === v[11]) continue;
      const wrong = v.slice(0, 11) + d;
      expect(isValidIinBin(wrong), wrong).toBe(false);
      expect(iinBinErrors(wrong)).toEqual([{ code: "iin_bin_checksum", field: "bin" }]);
    }
  });

  it("refuses a single changed digit in the body", () => {
    expect(isValidIinBin("871240001315")).toBe(false);
    expect(isValidIinBin("971240002315")).toBe(false);
  });

  it("the 11th digit has weight 11 ≡ 0 in the first pass: changing it alone is not detected (algorithm limit)", () => {
    expect(isValidIinBin("971240001325")).toBe(true);
  });

  it.each(["", "97124000131", "9712400013150", "97124000131a", " 971240001315", "９７１２４０００１３１５"])(
    "refuses %j: not exactly 12 ASCII digits (iin_bin_format)",
    (v) => {
      expect(isValidIinBin(v)).toBe(false);
      expect(iinBinErrors(v, "A3")).toEqual([
        { code: "iin_bin_format", field: "A3", params: { length: 12 } },
      ]);
    },
  );

  it("checkDigit computes the digit of the valid samples and refuses wrong input", () => {
    for (const v of [...VALID, ...VALID_SECOND_PASS])
      expect(checkDigit(v.slice(0, 11)), v).toBe(Number(v[11]));
    expect(checkDigit("123")).toBeNull();
    expect(checkDigit("abcdefghijk")).toBeNull();
  });

  it("000000000000 is formally valid (check digit 0): structure is not the check digit's job", () => {
    expect(isValidIinBin("000000000000")).toBe(true);
  });

  it("normalizeIinBin removes spaces and dashes users type", () => {
    expect(normalizeIinBin(" 9712 4000-1315 ")).toBe("971240001315");
  });
});
