// The small reference lists (regions and branches, care kinds and subtypes with their licence requirements,
// ownership forms, licence codes, rejection grounds, exclusion reasons), read in ONE statement. They change only
// with a new seed, so the application layer keeps them in memory.
import type { Db } from "./db.ts";

export interface Named {
  code: string;
  nameKk: string;
  nameRu: string;
}

export interface Classifiers {
  regions: (Named & { katoCode: string; sort: number; branchId: string | null })[];
  branches: {
    id: string;
    regionCode: string;
    nameKk: string;
    nameRu: string;
    reminderDays: number;
    escalationDays: number;
  }[];
  kinds: (Named & { sort: number })[];
  subtypes: (Named & {
    kindCode: string;
    isPhc: boolean;
    asSupplier: boolean;
    asCoExecutor: boolean;
    sort: number;
  })[];
  requirements: {
    subtypeCode: string;
    asStatus: "SUPPLIER" | "CO_EXECUTOR";
    licenceCode: string;
    condition: string | null;
    ruleId: string;
  }[];
  ownershipForms: (Named & { sort: number })[];
  licenceCodes: (Named & { parentCode: string | null; displayed: boolean })[];
  grounds: (Named & { active: boolean; sort: number })[];
  exclusionReasons: (Named & { active: boolean; sort: number })[];
}

export async function loadClassifiers(db: Db): Promise<Classifiers> {
  const rows = await db.$queryRaw<Classifiers[]>`
    SELECT
      COALESCE((SELECT json_agg(json_build_object('code', r.code, 'nameKk', r."nameKk", 'nameRu', r."nameRu",
        'katoCode', r."katoCode", 'sort', r.sort, 'branchId', b.id) ORDER BY r.sort, r.code)
        FROM "Region" r LEFT JOIN "Branch" b ON b."regionCode" = r.code), '[]'::json) AS regions,
      COALESCE((SELECT json_agg(json_build_object('id', b.id, 'regionCode', b."regionCode", 'nameKk', b."nameKk",
        'nameRu', b."nameRu", 'reminderDays', b."reminderDays", 'escalationDays', b."escalationDays") ORDER BY b.id)
        FROM "Branch" b), '[]'::json) AS branches,
      COALESCE((SELECT json_agg(json_build_object('code', k.code, 'nameKk', k."nameKk", 'nameRu', k."nameRu",
        'sort', k.sort) ORDER BY k.sort, k.code) FROM "CareKind" k), '[]'::json) AS kinds,
      COALESCE((SELECT json_agg(json_build_object('code', s.code, 'nameKk', s."nameKk", 'nameRu', s."nameRu",
        'kindCode', s."kindCode", 'isPhc', s."isPhc", 'asSupplier', s."asSupplier", 'asCoExecutor', s."asCoExecutor",
        'sort', s.sort) ORDER BY s.sort, s.code) FROM "CareSubtype" s), '[]'::json) AS subtypes,
      COALESCE((SELECT json_agg(json_build_object('subtypeCode', q."subtypeCode", 'asStatus', q."asStatus",
        'licenceCode', q."licenceCode", 'condition', q.condition, 'ruleId', q."ruleId") ORDER BY q.id)
        FROM "CareSubtypeRequirement" q), '[]'::json) AS requirements,
      COALESCE((SELECT json_agg(json_build_object('code', f.code, 'nameKk', f."nameKk", 'nameRu', f."nameRu",
        'sort', f.sort) ORDER BY f.sort, f.code) FROM "OwnershipForm" f), '[]'::json) AS "ownershipForms",
      COALESCE((SELECT json_agg(json_build_object('code', c.code, 'nameKk', c."nameKk", 'nameRu', c."nameRu",
        'parentCode', c."parentCode", 'displayed', c.displayed) ORDER BY c.code) FROM "LicenceCode" c), '[]'::json) AS "licenceCodes",
      COALESCE((SELECT json_agg(json_build_object('code', g.code, 'nameKk', g."nameKk", 'nameRu', g."nameRu",
        'active', g.active, 'sort', g.sort) ORDER BY g.sort, g.code) FROM "RejectionGround" g), '[]'::json) AS grounds,
      COALESCE((SELECT json_agg(json_build_object('code', x.code, 'nameKk', x."nameKk", 'nameRu', x."nameRu",
        'active', x.active, 'sort', x.sort) ORDER BY x.sort, x.code) FROM "ExclusionReason" x), '[]'::json) AS "exclusionReasons"`;
  return rows[0]!;
}
