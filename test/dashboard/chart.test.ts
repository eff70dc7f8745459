// The dashboard PNG: a real PNG of the expected size, drawn with the DejaVu subset that has every letter the
// dashboard's texts use (Kazakh included), and the same bytes for the same data.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CHART_FONT_FILES,
  DEFAULT_CHART_SIZE,
  renderDashboardPng,
  renderDashboardSvg,
} from "../../adapters/charts/dashboard.ts";
import { translator } from "../../bot/kit/i18n.ts";
import { dashboardChartInput } from "../../bot/views/dashboard.ts";
import { sampleDashboard } from "./sample.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The code points a TrueType font maps (cmap formats 4 and 12). */
function cmapCodePoints(file: string): Set<number> {
  const b = readFileSync(file);
  const numTables = b.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (b.toString("latin1", rec, rec + 4) === "cmap") cmap = b.readUInt32BE(rec + 8);
  }
  const out = new Set<number>();
  const n = b.readUInt16BE(cmap + 2);
  for (let i = 0; i < n; i++) {
    const sub = cmap + b.readUInt32BE(cmap + 4 + i * 8 + 4);
    const format = b.readUInt16BE(sub);
    if (format === 4) {
      const segX2 = b.readUInt16BE(sub + 6);
      const ends = sub + 14;
      const starts = ends + segX2 + 2;
      for (let s = 0; s < segX2 / 2; s++) {
        const end = b.readUInt16BE(ends + s * 2);
        const start = b.readUInt16BE(starts + s * 2);
        for (let c = start; c <= end && c !== 0xffff; c++) out.add(c);
      }
    } else if (format === 12) {
      const groups = b.readUInt32BE(sub + 12);
      for (let g = 0; g < groups; g++) {
        const start = b.readUInt32BE(sub + 16 + g * 12);
        const end = b.readUInt32BE(sub + 20 + g * 12);
        for (let c = start; c <= end; c++) out.add(c);
      }
    }
  }
  return out;
}

describe("the dashboard picture", () => {
  it("is a PNG of 960×1280 px, tens of kilobytes, in both languages", () => {
    for (const lang of ["kk", "ru"] as const) {
      const png = renderDashboardPng(dashboardChartInput(translator(lang), lang, sampleDashboard()));
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(png.toString("latin1", 12, 16)).toBe("IHDR");
      expect(png.readUInt32BE(16)).toBe(DEFAULT_CHART_SIZE.width);
      expect(png.readUInt32BE(20)).toBe(DEFAULT_CHART_SIZE.height);
      expect(png.length).toBeGreaterThan(20_000);
      expect(png.length).toBeLessThan(400_000);
    }
  });

  it("draws the same bytes for the same data", () => {
    const input = dashboardChartInput(translator("kk"), "kk", sampleDashboard());
    expect(renderDashboardPng(input).equals(renderDashboardPng(input))).toBe(true);
  });

  it("puts every label into the SVG with the DejaVu font", () => {
    const input = dashboardChartInput(translator("kk"), "kk", sampleDashboard());
    const svg = renderDashboardSvg(input);
    for (const s of [input.title, input.open.title, input.weeks.title, ...input.open.categories, "06.07"])
      expect(svg).toContain(s.replace(/&/g, "&amp;"));
    expect(svg).toContain("DejaVu Sans");
  });

  it("uses fonts that have every character of the dashboard's texts and of both alphabets", () => {
    const cps = CHART_FONT_FILES.map(cmapCodePoints);
    const texts = ["kk", "ru"].map((l) => readFileSync(`locales/${l}/dashboard.json`, "utf8")).join("");
    const alphabets =
      "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯаәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя«»–—№₸…";
    for (const ch of new Set([...texts, ...alphabets])) {
      const c = ch.codePointAt(0)!;
      if (c < 32 || c === 0xfe0f || (c >= 0x1f000 && c <= 0x1faff) || c === 0x26a0) continue; // ⚠️ is not drawn
      for (const set of cps) expect(set.has(c), `U+${c.toString(16)} ${ch}`).toBe(true);
    }
  });
});
