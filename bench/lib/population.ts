// Bulk test population for the update benchmarks: 1,000 supplier users, each with an organisation
// (SUPPLIER + ORG_ADMIN + HEAD), a few applications in various statuses, and Fund staff per branch.
// Everything is inserted with set-based SQL (generate_series), not through the bot.
import type pg from "pg";

export const SUPPLIER_TG_BASE = 8_100_000_000;
export const STAFF_TG_BASE = 8_200_000_000;

export interface Population {
  suppliers: { tg: number; userId: string; orgId: string }[];
  regions: string[];
  branches: { id: string; regionCode: string }[];
}

/** A valid 12-digit BIN (official check digit) from a serial number. */
export function binFor(n: number): string {
  for (let k = 0; ; k++) {
    const base = `${String(250_640_000 + n * 7 + k)
      .padStart(11, "0")
      .slice(0, 11)}`;
    const d = base.split("").map(Number);
    const w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let c = d.reduce((s, x, i) => s + x * w1[i]!, 0) % 11;
    if (c === 10) c = d.reduce((s, x, i) => s + x * w2[i]!, 0) % 11;
    if (c !== 10) return base + String(c);
  }
}

export async function createPopulation(
  pool: pg.Pool,
  users: number,
  appsPerOrg: number,
): Promise<Population> {
  const { rows: regionRows } = await pool.query<{ code: string }>(
    `SELECT code FROM "Region" ORDER BY sort, code`,
  );
  const { rows: branchRows } = await pool.query<{ id: string; regionCode: string }>(
    `SELECT id, "regionCode" FROM "Branch" ORDER BY id`,
  );
  const regions = regionRows.map((r) => r.code);
  const bins = Array.from({ length: users }, (_, i) => binFor(i));
  await pool.query(
    `INSERT INTO "User"(id, "telegramId", language, "fullName")
     SELECT gen_random_uuid()::text, $1::bigint + g, 'ru', 'Бенч Пользователь ' || g FROM generate_series(0, $2::int - 1) g`,
    [SUPPLIER_TG_BASE, users],
  );
  await pool.query(
    `INSERT INTO "Organisation"(id, bin, "nameKk", "nameRu", "ownershipFormCode")
     SELECT gen_random_uuid()::text, b, 'ЖШС «Бенч ' || ord || '»', 'ТОО «Бенч ' || ord || '»', NULL
       FROM unnest($1::text[]) WITH ORDINALITY AS t(b, ord)`,
    [bins],
  );
  const { rows: sup } = await pool.query<{ tg: string; userId: string; orgId: string }>(
    `SELECT u."telegramId"::text AS tg, u.id AS "userId", o.id AS "orgId"
       FROM unnest($1::text[]) WITH ORDINALITY AS t(b, ord)
       JOIN "Organisation" o ON o.bin = t.b
       JOIN "User" u ON u."telegramId" = $2::bigint + t.ord - 1
      ORDER BY t.ord`,
    [bins, SUPPLIER_TG_BASE],
  );
  await pool.query(
    `INSERT INTO "OrgMembership"(id, "userId", "orgId", role)
     SELECT gen_random_uuid()::text, s.u, s.o, r.role::"OrgRole"
       FROM unnest($1::text[], $2::text[]) AS s(u, o)
       CROSS JOIN unnest(ARRAY['SUPPLIER', 'ORG_ADMIN', 'HEAD']) AS r(role)`,
    [sup.map((s) => s.userId), sup.map((s) => s.orgId)],
  );
  // Applications: closed ones in several regions plus one under review; newest first in the list.
  const statuses = ["INCLUDED", "REJECTED", "CHANGED", "EXCLUDED", "UNDER_REVIEW"];
  await pool.query(
    `INSERT INTO "Application"(id, "chainId", "versionNo", "orgId", "authorId", "regionCode", status, version,
                               "supplierSubtypes", "coExecutorSubtypes", "asSupplier", "statusChangedAt", "updatedAt", "savedAt")
     SELECT gen_random_uuid()::text, gen_random_uuid()::text, 1, s.o, s.u,
            ($3::text[])[1 + (s.ord::int + k) % array_length($3::text[], 1)],
            ($4::text[])[1 + k % array_length($4::text[], 1)]::"ApplicationStatus", 1, '{}', '{}', true,
            now() - (k || ' days')::interval, now(), now() - (k || ' days')::interval
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(u, o, ord)
       CROSS JOIN generate_series(0, $5::int - 1) k`,
    [sup.map((s) => s.userId), sup.map((s) => s.orgId), regions, statuses, appsPerOrg],
  );
  await pool.query(`ANALYZE`);
  return {
    suppliers: sup.map((s) => ({ tg: Number(s.tg), userId: s.userId, orgId: s.orgId })),
    regions,
    branches: branchRows,
  };
}

/** Fund staff: `perBranch` users with the given role in each branch (telegram ids from STAFF_TG_BASE + offset). */
export async function createStaff(
  pool: pg.Pool,
  role: "REVIEWER" | "CHECKER" | "APPROVER" | "MANAGER",
  branches: { id: string; regionCode: string }[],
  perBranch: number,
  tgOffset: number,
): Promise<{ tg: number; userId: string; branchId: string; regionCode: string }[]> {
  const out: { tg: number; userId: string; branchId: string; regionCode: string }[] = [];
  let n = 0;
  for (const b of branches) {
    for (let k = 0; k < perBranch; k++) {
      const tg = STAFF_TG_BASE + tgOffset + n++;
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO "User"(id, "telegramId", language, "fullName") VALUES (gen_random_uuid()::text, $1, 'ru', $2) RETURNING id`,
        [tg, `${role} ${b.regionCode} ${k}`],
      );
      const userId = rows[0]!.id;
      await pool.query(
        `INSERT INTO "StaffMembership"(id, "userId", "branchId", role) VALUES (gen_random_uuid()::text, $1, $2, $3::"StaffRole")`,
        [userId, b.id, role],
      );
      out.push({ tg, userId, branchId: b.id, regionCode: b.regionCode });
    }
  }
  return out;
}

/**
 * Gives organisations the licences of the demo organisation with the most care subtypes: registry rows
 * (the elicense.kz stand-in) and the organisation's fetched copy (fresh, so the 24-hour rule passes).
 */
export async function giveLicences(pool: pg.Pool, orgIds: string[]): Promise<number> {
  const { rows } = await pool.query<{ holderBin: string }>(
    `SELECT "holderBin" FROM "RegistryLicence" r
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.payload->'appendices', '[]'::jsonb)) ap
      GROUP BY "holderBin" ORDER BY sum(jsonb_array_length(coalesce(ap->'careSubtypes', '[]'::jsonb))) DESC LIMIT 1`,
  );
  const holder = rows[0]?.holderBin;
  if (!holder) return 0;
  await pool.query(
    `INSERT INTO "RegistryLicence"(id, "holderBin", number, payload)
     SELECT gen_random_uuid()::text, o.bin, s.number, s.payload
       FROM "RegistryLicence" s CROSS JOIN "Organisation" o
      WHERE s."holderBin" = $1 AND o.id = ANY($2::text[])
     ON CONFLICT DO NOTHING`,
    [holder, orgIds],
  );
  await pool.query(
    `INSERT INTO "Licence"(id, "orgId", "holderBin", number, "issueDate", licensor, "activityCode", category, type, status, "fetchedAt")
     SELECT gen_random_uuid()::text, o.id, o.bin, r.number, (r.payload->>'issueDate')::timestamp,
            coalesce(r.payload->>'licensor', ''), r.payload->>'activityCode', r.payload->>'category',
            r.payload->>'type', r.payload->>'status', now()
       FROM "RegistryLicence" r JOIN "Organisation" o ON o.bin = r."holderBin"
      WHERE o.id = ANY($1::text[])
     ON CONFLICT DO NOTHING`,
    [orgIds],
  );
  const arr = (f: string) => `ARRAY(SELECT jsonb_array_elements_text(coalesce(ap->'${f}', '[]'::jsonb)))`;
  const res = await pool.query(
    `INSERT INTO "LicenceAppendix"(id, "licenceId", number, "licenceSubtypes", "careSubtypes", addresses)
     SELECT gen_random_uuid()::text, l.id, ap->>'number', ${arr("licenceSubtypes")}, ${arr("careSubtypes")}, ${arr("addresses")}
       FROM "Licence" l
       JOIN "RegistryLicence" r ON r."holderBin" = l."holderBin" AND r.number = l.number
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.payload->'appendices', '[]'::jsonb)) ap
      WHERE l."orgId" = ANY($1::text[])`,
    [orgIds],
  );
  return res.rowCount ?? 0;
}
