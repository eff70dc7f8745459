// What a person reads: dates as dd.mm.yyyy and dd.mm.yyyy HH:MM in Astana time, sizes as «1,2 МБ».
import { describe, expect, it } from "vitest";
import { FILE_SIZE_UNITS, formatDate, formatDateTime, formatFileSize } from "../../domain/format.ts";
import { MAX_FILE_BYTES } from "../../domain/types.ts";

describe("formatDate / formatDateTime (Astana time)", () => {
  it("shows the Astana day and time, UTC+5 since 1 March 2024", () => {
    const d = new Date("2026-03-01T12:34:56Z");
    expect(formatDate(d)).toBe("01.03.2026");
    expect(formatDateTime(d)).toBe("01.03.2026 17:34");
  });

  it("an instant late in the UTC evening is already the next day in Astana", () => {
    const d = new Date("2026-12-31T19:05:00Z");
    expect(formatDate(d)).toBe("01.01.2027");
    expect(formatDateTime(d)).toBe("01.01.2027 00:05");
  });

  it("pads day, month, hour and minute to two digits and uses the 24-hour clock", () => {
    expect(formatDateTime(new Date("2026-07-04T16:07:00Z"))).toBe("04.07.2026 21:07");
    expect(formatDateTime(new Date("2026-07-04T19:00:00Z"))).toBe("05.07.2026 00:00");
  });

  it("dates before 1 March 2024 read in the offset of their day (UTC+6)", () => {
    const d = new Date("2023-06-15T18:30:00Z");
    expect(formatDate(d)).toBe("16.06.2023");
    expect(formatDateTime(d)).toBe("16.06.2023 00:30");
    // the switch: 29.02.2024 23:59 (+6) and 01.03.2024 00:00 (+5) are one hour and one minute apart
    expect(formatDateTime(new Date("2024-02-29T17:59:00Z"))).toBe("29.02.2024 23:59");
    expect(formatDateTime(new Date("2024-02-29T19:00:00Z"))).toBe("01.03.2024 00:00");
  });

  it("is never ISO and never depends on the server's time zone", () => {
    const s = formatDateTime(new Date("2026-05-20T04:00:00Z"));
    expect(s).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    expect(s).toBe("20.05.2026 09:00");
  });

  it("refuses an invalid date instead of printing «NaN.NaN.NaN»", () => {
    expect(() => formatDate(new Date("nope"))).toThrow(RangeError);
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("formatFileSize", () => {
  it("bytes, kilobytes and megabytes with a decimal comma, in both languages", () => {
    for (const lang of ["kk", "ru"] as const) {
      expect(formatFileSize(12, lang)).toBe("12 Б");
      expect(formatFileSize(850 * 1024, lang)).toBe("850 КБ");
      expect(formatFileSize(Math.round(1.2 * 1024 * 1024), lang)).toBe("1,2 МБ");
      expect(formatFileSize(1229, lang)).toBe("1,2 КБ");
    }
  });

  it("Kazakh uses the same unit abbreviations as Russian («20 МБ», GLOSSARY)", () => {
    expect(FILE_SIZE_UNITS.kk).toEqual(FILE_SIZE_UNITS.ru);
    expect(formatFileSize(MAX_FILE_BYTES, "kk")).toBe("20 МБ");
    expect(formatFileSize(MAX_FILE_BYTES, "ru")).toBe("20 МБ");
  });

  it("one decimal below 10, whole numbers from 10, no trailing «,0»", () => {
    expect(formatFileSize(0, "ru")).toBe("0 Б");
    expect(formatFileSize(1023, "ru")).toBe("1023 Б");
    expect(formatFileSize(1024, "ru")).toBe("1 КБ");
    expect(formatFileSize(1536, "ru")).toBe("1,5 КБ");
    expect(formatFileSize(9.96 * 1024, "ru")).toBe("10 КБ");
    expect(formatFileSize(10.4 * 1024, "ru")).toBe("10 КБ");
    expect(formatFileSize(19.6 * 1024 * 1024, "ru")).toBe("20 МБ");
    expect(formatFileSize(3.25 * 1024 * 1024, "kk")).toBe("3,3 МБ");
  });

  it("a value that would round to 1024 moves to the next unit", () => {
    expect(formatFileSize(1024 * 1024 - 1, "ru")).toBe("1 МБ");
    expect(formatFileSize(1024 * 1024 * 1024, "ru")).toBe("1 ГБ");
  });

  it("no dot and no Latin unit ever reaches the reader", () => {
    for (const n of [1, 999, 1500, 70_000, 2_500_000, MAX_FILE_BYTES + 1])
      expect(formatFileSize(n, "kk")).not.toMatch(/[.A-Za-z]/);
  });

  it("refuses a negative or non-finite size", () => {
    expect(() => formatFileSize(-1, "ru")).toThrow(RangeError);
    expect(() => formatFileSize(Number.NaN, "kk")).toThrow(RangeError);
    expect(() => formatFileSize(Number.POSITIVE_INFINITY, "kk")).toThrow(RangeError);
  });
});
