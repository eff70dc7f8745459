// domain/text.ts: the ONE free-text rule (reasons, notes, additional grounds, full names). Zero-width characters
// are removed; bidirectional controls and control characters are refused; each kind has its length bounds.
import { describe, expect, it } from "vitest";
import {
  cleanFreeText,
  MAX_REASON_LENGTH,
  TEXT_ERROR_CODES,
  TEXT_LIMITS,
  type TextKind,
} from "../../domain/text.ts";

const codes = (raw: string, kind: TextKind = "reason") => cleanFreeText(raw, kind).errors.map((e) => e.code);
const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

describe("cleanFreeText", () => {
  it("accepts ordinary kk and ru text and keeps it (trimmed, NFC)", () => {
    expect(cleanFreeText("  Лицензия L64 отсутствует  ", "reason")).toEqual({
      text: "Лицензия L64 отсутствует",
      errors: [],
    });
    expect(cleanFreeText("Өтінімде СЭҚ қорытындысы жоқ", "reason").errors).toEqual([]);
    // decomposed «й» (и + combining breve) is composed
    expect(cleanFreeText("Нет данных и\u0306 адреса", "reason").text).toBe("Нет данных й адреса");
    expect(cleanFreeText("Строка 1\r\nСтрока 2", "reason").text).toBe("Строка 1\nСтрока 2");
  });

  for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])
    it(`refuses the bidirectional control ${hex(cp)} (text_bidi_control)`, () => {
      expect(codes(`Отказ ${String.fromCodePoint(cp)}по причине`)).toEqual(["text_bidi_control"]);
    });

  it("refuses the directional marks U+200E / U+200F as well", () => {
    expect(codes("Отказ\u200E по причине")).toEqual(["text_bidi_control"]);
    expect(codes("Отказ\u200F по причине")).toEqual(["text_bidi_control"]);
  });

  for (const cp of [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff])
    it(`removes the zero-width character ${hex(cp)}`, () => {
      const zw = String.fromCodePoint(cp);
      expect(cleanFreeText(`${zw}Нет${zw} СЭС${zw}`, "reason")).toEqual({ text: "Нет СЭС", errors: [] });
    });

  it("a text of zero-width characters only is empty (text_required)", () => {
    expect(codes("\u200B\uFEFF\u2060")).toEqual(["text_required"]);
  });

  for (const cp of [0x00, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f, 0x85, 0x9f])
    it(`refuses the control character ${hex(cp)} (text_control_chars)`, () => {
      expect(codes(`Нет ${String.fromCodePoint(cp)}СЭС`)).toEqual(["text_control_chars"]);
    });

  it("keeps tabs and line breaks in a reason; a name is made one line (line breaks and runs of spaces: one space)", () => {
    expect(cleanFreeText("Первое.\n\tВторое.", "reason")).toEqual({ text: "Первое.\n\tВторое.", errors: [] });
    expect(cleanFreeText("Иванов\nИван", "name")).toEqual({ text: "Иванов Иван", errors: [] });
    expect(cleanFreeText("  Иванов   Иван  ", "name").text).toBe("Иванов Иван");
  });

  it("reports a bidi control and a control character together", () => {
    expect(codes("Нет \u202E\u0007СЭС")).toEqual(["text_bidi_control", "text_control_chars"]);
  });

  for (const kind of Object.keys(TEXT_LIMITS) as TextKind[]) {
    const { min, max } = TEXT_LIMITS[kind];
    it(`${kind}: ${min}–${max} characters (text_required / text_too_short / text_too_long, with the bounds)`, () => {
      expect(cleanFreeText("", kind).errors).toEqual([{ code: "text_required", params: { min, max } }]);
      expect(cleanFreeText("   ", kind).errors).toEqual([{ code: "text_required", params: { min, max } }]);
      if (min > 1)
        expect(cleanFreeText("я".repeat(min - 1), kind).errors).toEqual([
          { code: "text_too_short", params: { min, max, length: min - 1 } },
        ]);
      expect(cleanFreeText("я".repeat(min), kind).errors).toEqual([]);
      expect(cleanFreeText("я".repeat(max), kind).errors).toEqual([]);
      expect(cleanFreeText("я".repeat(max + 1), kind).errors).toEqual([
        { code: "text_too_long", params: { min, max, length: max + 1 } },
      ]);
    });
  }

  it("the limits of SPEC/DECISIONS: reason 3–1000, note 1–1000, ground 3–500, name 2–200", () => {
    expect(TEXT_LIMITS).toEqual({
      reason: { min: 3, max: 1000 },
      note: { min: 1, max: 1000 },
      ground: { min: 3, max: 500 },
      name: { min: 2, max: 200 },
    });
    expect(MAX_REASON_LENGTH).toBe(1000);
  });

  it("counts characters, not UTF-16 units (an emoji is one character)", () => {
    expect(cleanFreeText("😀".repeat(MAX_REASON_LENGTH), "reason").errors).toEqual([]);
    expect(cleanFreeText("😀".repeat(MAX_REASON_LENGTH + 1), "reason").errors[0]?.params?.length).toBe(
      MAX_REASON_LENGTH + 1,
    );
  });

  it("the length is measured after zero-width characters are removed", () => {
    expect(codes(`аб${"\u200B".repeat(10)}`)).toEqual(["text_too_short"]);
  });

  it("returns only the codes of TEXT_ERROR_CODES", () => {
    const samples = ["", "a", "я".repeat(2000), "x\u202Ey", "x\u0001y", "ok text"];
    const seen = new Set(
      samples.flatMap((s) => (["reason", "note", "ground", "name"] as const).flatMap((k) => codes(s, k))),
    );
    expect([...seen].every((c) => (TEXT_ERROR_CODES as readonly string[]).includes(c))).toBe(true);
    expect([...seen].sort()).toEqual([...TEXT_ERROR_CODES].sort());
  });
});
