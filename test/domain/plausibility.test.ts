// domain/plausibility.ts: the one coordinates rule, the region's bounding box, the КАТО inside the region,
// and confirmed warnings that never block.
import { describe, expect, it } from "vitest";
import regionBounds from "../../domain/data/region-bounds.json" with { type: "json" };
import {
  baseRegion,
  confirmationKey,
  coordinatesPlausibility,
  katoRegionErrors,
  parseCoordinates,
  REGION_BOUNDS,
  validateCoordinates,
} from "../../domain/plausibility.ts";
import { validateForSave } from "../../domain/rules.ts";
import { base, saveCtx, validDraft } from "./fixtures.ts";

const ASTANA = "710000000";
const ALMATY = "750000000";

describe("coordinates", () => {
  it("parses «lat, lon» with dots or decimal commas; anything else is not coordinates", () => {
    expect(parseCoordinates("51.1694, 71.4491")).toEqual({ latitude: 51.1694, longitude: 71.4491 });
    expect(parseCoordinates("51,1694; 71,4491")).toEqual({ latitude: 51.1694, longitude: 71.4491 });
    expect(parseCoordinates("51.1694 71.4491")).toEqual({ latitude: 51.1694, longitude: 71.4491 });
    expect(parseCoordinates("где-то в Астане")).toBeNull();
  });

  it("out-of-range numbers stay an error (lat −90..90, lon −180..180), with no warning", () => {
    const r = validateCoordinates(95.5, 200, "", ASTANA);
    expect(r.errors.map((e) => e.code)).toEqual(["latitude_out_of_range", "longitude_out_of_range"]);
    expect(r.warnings).toEqual([]);
  });

  it("outside Kazakhstan (40–56 N, 46–88 E) is a warning; outside the region's box is a warning too", () => {
    expect(validateCoordinates(40.7128, -74.006, "", ASTANA).warnings.map((w) => w.code)).toEqual([
      "coordinates_outside_kazakhstan",
    ]);
    // Almaty's coordinates for an Astana base
    expect(validateCoordinates(43.2389, 76.8897, "C.0.", ASTANA).warnings).toEqual([
      {
        code: "coordinates_outside_region",
        field: "C.0.C3",
        params: { latitude: 43.2389, longitude: 76.8897, region: ASTANA },
      },
    ]);
    expect(validateCoordinates(51.1694, 71.4491, "", ASTANA)).toEqual({ errors: [], warnings: [] });
    expect(validateCoordinates(43.2389, 76.8897, "", ALMATY)).toEqual({ errors: [], warnings: [] });
    // without a region only the country is checked
    expect(validateCoordinates(43.2389, 76.8897, "", null)).toEqual({ errors: [], warnings: [] });
  });

  it("a confirmed warning is not reported again; a change of the point or the region asks again", () => {
    const b = { latitude: 43.2389, longitude: 76.8897, katoCode: null };
    expect(coordinatesPlausibility(b, ASTANA).warnings).toHaveLength(1);
    const key = confirmationKey(43.2389, 76.8897, ASTANA);
    expect(coordinatesPlausibility({ ...b, coordsConfirmed: key }, ASTANA).warnings).toEqual([]);
    expect(
      coordinatesPlausibility({ ...b, latitude: 43.3, coordsConfirmed: key }, ASTANA).warnings,
    ).toHaveLength(1);
    expect(coordinatesPlausibility({ ...b, coordsConfirmed: key }, "620000000").warnings).toHaveLength(1);
  });

  it("the box is the base's КАТО region when it has one, else the application's", () => {
    expect(baseRegion({ katoCode: "751510000" }, ASTANA)).toBe(ALMATY);
    expect(baseRegion({ katoCode: null }, "711210000")).toBe(ASTANA);
  });
});

describe("region bounding boxes (data)", () => {
  it("cover the 20 top-level КАТО objects, are labelled approximate with a source, and lie in Kazakhstan's box", () => {
    expect(regionBounds.approximate).toBe(true);
    expect(regionBounds.source.length).toBeGreaterThan(50);
    expect(Object.keys(REGION_BOUNDS).sort()).toEqual(
      [
        "100000000",
        "110000000",
        "150000000",
        "190000000",
        "230000000",
        "270000000",
        "310000000",
        "330000000",
        "350000000",
        "390000000",
        "430000000",
        "470000000",
        "550000000",
        "590000000",
        "610000000",
        "620000000",
        "630000000",
        "710000000",
        "750000000",
        "790000000",
      ].sort(),
    );
    for (const [code, b] of Object.entries(REGION_BOUNDS)) {
      expect(b.minLat, code).toBeLessThan(b.maxLat);
      expect(b.minLon, code).toBeLessThan(b.maxLon);
      expect(b.minLat, code).toBeGreaterThanOrEqual(39.5);
      expect(b.maxLat, code).toBeLessThanOrEqual(56);
      expect(b.minLon, code).toBeGreaterThanOrEqual(45.5);
      expect(b.maxLon, code).toBeLessThanOrEqual(88);
    }
  });

  it("contain each region's centre city (regional centres, approximate coordinates)", () => {
    const centres: [string, number, number][] = [
      ["100000000", 50.41, 80.25], // Семей
      ["110000000", 53.28, 69.39], // Көкшетау
      ["150000000", 50.28, 57.17], // Ақтөбе
      ["190000000", 43.87, 77.06], // Қонаев
      ["230000000", 47.11, 51.92], // Атырау
      ["270000000", 51.2, 51.37], // Орал
      ["310000000", 42.9, 71.37], // Тараз
      ["330000000", 45.02, 78.38], // Талдықорған
      ["350000000", 49.8, 73.1], // Қарағанды
      ["390000000", 53.21, 63.63], // Қостанай
      ["430000000", 44.85, 65.5], // Қызылорда
      ["470000000", 43.65, 51.16], // Ақтау
      ["550000000", 52.29, 76.95], // Павлодар
      ["590000000", 54.87, 69.16], // Петропавл
      ["610000000", 43.3, 68.25], // Түркістан
      ["620000000", 47.8, 67.71], // Жезқазған
      ["630000000", 49.95, 82.61], // Өскемен
      ["710000000", 51.1694, 71.4491],
      ["750000000", 43.2389, 76.8897],
      ["790000000", 42.3417, 69.5901],
    ];
    for (const [code, lat, lon] of centres)
      expect(validateCoordinates(lat, lon, "", code).warnings, code).toEqual([]);
  });
});

describe("the КАТО of a base lies inside the application's region", () => {
  it("kato_outside_region for another region's object; nothing without a region", () => {
    expect(katoRegionErrors("751510000", ASTANA, "C.0.C5")).toEqual([
      { code: "kato_outside_region", field: "C.0.C5", params: { value: "751510000", region: ASTANA } },
    ]);
    expect(katoRegionErrors("711210000", ASTANA)).toEqual([]);
    expect(katoRegionErrors("711210000", null)).toEqual([]);
  });

  it("at save: the region error blocks; an unconfirmed coordinates warning does not, a confirmed one is gone", () => {
    const ctx = saveCtx({ regionKatoCodes: { ASTANA, ALMATY } });
    const outside = validateForSave(validDraft({ bases: [base({ katoCode: "751510000" })] }), ctx);
    expect(outside.errors.map((e) => e.code)).toContain("kato_outside_region");
    const warned = validateForSave(
      validDraft({ bases: [base({ latitude: 43.2389, longitude: 76.8897 })] }),
      ctx,
    );
    expect(warned.ok).toBe(true);
    expect(warned.warnings.map((w) => [w.code, w.params?.row])).toEqual([["coordinates_outside_region", 1]]);
    const confirmed = validateForSave(
      validDraft({
        bases: [
          base({
            latitude: 43.2389,
            longitude: 76.8897,
            coordsConfirmed: confirmationKey(43.2389, 76.8897, ASTANA),
          }),
        ],
      }),
      ctx,
    );
    expect(confirmed).toMatchObject({ ok: true, warnings: [] });
  });

  it("an object not in the edition in force is refused at save (kato_inactive)", () => {
    const r = validateForSave(validDraft({ bases: [base({ katoActive: false })] }), saveCtx());
    expect(r.errors.map((e) => e.code)).toEqual(["kato_inactive"]);
  });
});
