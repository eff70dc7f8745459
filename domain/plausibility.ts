// Plausibility of a production base (issue «Plausibility», DECISIONS 5): the one coordinates rule of the code
// base, and whether a base's КАТО and coordinates fit the application's region.
//
// - Coordinates: latitude −90..90 and longitude −180..180, else an error. Outside Kazakhstan (40–56 N,
//   46–88 E) or outside the region's bounding box (domain/data/region-bounds.json, approximate) a WARNING:
//   the supplier confirms it with a button; a confirmed warning never blocks (the base keeps the
//   confirmation key of what was confirmed: coordinates + region, so a change of either asks again).
// - КАТО: a base's object must lie inside the application's region (code structure AA…: same AA), an error.
import regionBoundsData from "./data/region-bounds.json" with { type: "json" };
import { isKatoCode, katoInRegion, katoRegionCode } from "./kato.ts";
import type { DomainError } from "./types.ts";

export interface Bounds {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** DECISIONS 5: outside these bounds a warning, not an error. */
export const KAZAKHSTAN_BOUNDS = { minLat: 40, maxLat: 56, minLon: 46, maxLon: 88 } as const;

/** Approximate boxes of the 20 top-level КАТО objects, by their code (see the file for the source). */
export const REGION_BOUNDS: Readonly<Record<string, Bounds>> = Object.fromEntries(
  regionBoundsData.regions.map((r) => [
    r.kato,
    { minLat: r.minLat, maxLat: r.maxLat, minLon: r.minLon, maxLon: r.maxLon },
  ]),
);

/** The box of the region a КАТО code belongs to (any code of the region), or null. */
export function regionBounds(katoCode: string | null | undefined): Bounds | null {
  const region = katoCode ? katoRegionCode(katoCode) : null;
  return (region && REGION_BOUNDS[region]) || null;
}

const inside = (b: Bounds, lat: number, lon: number) =>
  lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon;

// ───────────── parsing and ranges ─────────────

/** Parses "51.1694" or "51,1694" (comma decimal); null when not a number. */
export function parseCoordinate(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^[-+]?\d{1,3}(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** "51.1694, 71.4491", "51,1694; 71,4491", "51.1694 71.4491" → the two numbers (ranges not checked). */
export function parseCoordinates(text: string): { latitude: number; longitude: number } | null {
  const s = text.trim();
  const m =
    s.match(/^([-+]?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)$/) ??
    s.match(/^([-+]?\d{1,3}(?:,\d+)?)\s*[;\s]\s*([-+]?\d{1,3}(?:,\d+)?)$/);
  if (!m) return null;
  const latitude = parseCoordinate(m[1]!);
  const longitude = parseCoordinate(m[2]!);
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

export function latitudeErrors(latitude: number, field = "C3"): DomainError[] {
  return Number.isFinite(latitude) && latitude >= -90 && latitude <= 90
    ? []
    : [{ code: "latitude_out_of_range", field, params: { min: -90, max: 90 } }];
}

export function longitudeErrors(longitude: number, field = "C4"): DomainError[] {
  return Number.isFinite(longitude) && longitude >= -180 && longitude <= 180
    ? []
    : [{ code: "longitude_out_of_range", field, params: { min: -180, max: 180 } }];
}

/**
 * C3/C4: latitude −90..90, longitude −180..180 (errors). Warnings: outside Kazakhstan
 * "coordinates_outside_kazakhstan"; else, with a region, outside its box "coordinates_outside_region"
 * (params.region = the region's top-level КАТО code). `fieldPrefix` "C.0." gives fields "C.0.C3" / "C.0.C4".
 */
export function validateCoordinates(
  latitude: number,
  longitude: number,
  fieldPrefix = "",
  regionKatoCode: string | null = null,
): { errors: DomainError[]; warnings: DomainError[] } {
  const errors = [
    ...latitudeErrors(latitude, `${fieldPrefix}C3`),
    ...longitudeErrors(longitude, `${fieldPrefix}C4`),
  ];
  const warnings: DomainError[] = [];
  if (errors.length === 0) {
    const field = `${fieldPrefix}C3`;
    const box = regionBounds(regionKatoCode);
    if (!inside(KAZAKHSTAN_BOUNDS, latitude, longitude))
      warnings.push({ code: "coordinates_outside_kazakhstan", field, params: { latitude, longitude } });
    else if (box && !inside(box, latitude, longitude))
      warnings.push({
        code: "coordinates_outside_region",
        field,
        params: { latitude, longitude, region: katoRegionCode(regionKatoCode!)! },
      });
  }
  return { errors, warnings };
}

/** What a supplier's confirmation of plausibility warnings covers: these coordinates in this region. */
export function confirmationKey(latitude: number, longitude: number, regionKatoCode: string | null): string {
  const region = regionKatoCode ? katoRegionCode(regionKatoCode) : null;
  return `${latitude},${longitude}@${region ?? "-"}`;
}

// ───────────── a production base ─────────────

export interface PlausibleBase {
  latitude: number | null;
  longitude: number | null;
  katoCode: string | null;
  /** The confirmation key stored when the supplier confirmed the coordinates' warnings. */
  coordsConfirmed?: string | null;
}

/** The region whose box the coordinates are checked against: the base's КАТО region, else the application's. */
export function baseRegion(
  base: Pick<PlausibleBase, "katoCode">,
  regionKatoCode: string | null,
): string | null {
  if (base.katoCode && isKatoCode(base.katoCode)) return katoRegionCode(base.katoCode);
  return regionKatoCode ? katoRegionCode(regionKatoCode) : null;
}

/** A base's КАТО outside the application's region: "kato_outside_region" (params.region, params.value). */
export function katoRegionErrors(
  katoCode: string | null,
  regionKatoCode: string | null,
  field = "C5",
): DomainError[] {
  if (!katoCode || !isKatoCode(katoCode) || !regionKatoCode || !isKatoCode(regionKatoCode)) return [];
  return katoInRegion(katoCode, regionKatoCode)
    ? []
    : [
        {
          code: "kato_outside_region",
          field,
          params: { value: katoCode, region: katoRegionCode(regionKatoCode)! },
        },
      ];
}

/**
 * The coordinates' warnings the supplier has not confirmed (a confirmation covers the same coordinates in the
 * same region). Errors (ranges) are always returned.
 */
export function coordinatesPlausibility(
  base: PlausibleBase,
  regionKatoCode: string | null,
  fieldPrefix = "",
): { errors: DomainError[]; warnings: DomainError[] } {
  if (base.latitude === null || base.longitude === null) return { errors: [], warnings: [] };
  const region = baseRegion(base, regionKatoCode);
  const r = validateCoordinates(base.latitude, base.longitude, fieldPrefix, region);
  const confirmed = base.coordsConfirmed === confirmationKey(base.latitude, base.longitude, region);
  return { errors: r.errors, warnings: confirmed ? [] : r.warnings };
}
