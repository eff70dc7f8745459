// The seed: classifiers from prisma/data, КАТО (15,594 objects in force + 1,252 of 2022 kept inactive), demo data; idempotent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidIinBin } from "../../domain/iin.ts";
import {
  DEMO_INVITES,
  DEMO_ORGANISATIONS,
  DEMO_PEOPLE,
  DEMO_REGISTRY_LICENCES,
} from "../../prisma/data/demo.ts";
import { parseKato } from "../../prisma/kato-import.ts";
import { type EkmuFile, isValidBin, readData, seed } from "../../prisma/seed.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.drop();
});

async function counts() {
  const p = db.prisma;
  return {
    regions: await p.region.count(),
    branches: await p.branch.count(),
    kato: await p.katoObject.count(),
    leaves: await p.katoObject.count({ where: { isLeaf: true } }),
    forms: await p.ownershipForm.count(),
    licenceCodes: await p.licenceCode.count(),
    kinds: await p.careKind.count(),
    subtypes: await p.careSubtype.count(),
    requirements: await p.careSubtypeRequirement.count(),
    grounds: await p.rejectionGround.count(),
    exclusions: await p.exclusionReason.count(),
    orgs: await p.organisation.count(),
    links: await p.organisationLink.count(),
    registry: await p.registryLicence.count(),
    users: await p.user.count(),
    orgRoles: await p.orgMembership.count(),
    staffRoles: await p.staffMembership.count(),
    invites: await p.invite.count(),
  };
}

describe("seed", () => {
  it("seeds the classifiers, КАТО and the demo data (the template every test database starts from)", async () => {
    const c = await counts();
    expect(c).toMatchObject({
      regions: 20,
      branches: 20,
      kato: 15594 + 1252,
      forms: 3,
      licenceCodes: 7,
      subtypes: 11,
      requirements: 13,
      orgs: DEMO_ORGANISATIONS.length,
      registry: DEMO_REGISTRY_LICENCES.length,
      users: DEMO_PEOPLE.length,
      invites: DEMO_INVITES.length,
    });
    expect(c.grounds).toBeGreaterThanOrEqual(5);
    expect(c.exclusions).toBeGreaterThanOrEqual(5);
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await counts();
    const regionIds = await db.prisma.region.findMany({ orderBy: { code: "asc" } });
    const users = await db.prisma.user.findMany({ orderBy: { telegramId: "asc" } });
    const lines: string[] = [];
    const r = await seed(db.prisma, { demo: true, log: (l) => lines.push(l) });
    expect(r.kato?.written).toBe(0);
    // what `npm run db:seed` prints: the KATO objects loaded and how many carry a Kazakh name
    expect(r.katoInForce).toEqual({ objects: 15594, withKk: 15594 });
    expect(lines).toContain("KATO objects loaded (in force): 15,594; with a Kazakh name: 15,594 of 15,594");
    expect(await counts()).toEqual(before);
    expect(await db.prisma.region.findMany({ orderBy: { code: "asc" } })).toEqual(regionIds);
    expect(await db.prisma.user.findMany({ orderBy: { telegramId: "asc" } })).toEqual(users);
  });

  it("gives each region a top-level КАТО object and a Fund branch in kk and ru", async () => {
    const regions = await db.prisma.region.findMany({ include: { branch: true } });
    const roots = await db.prisma.katoObject.findMany({ where: { parentId: null } });
    expect(roots).toHaveLength(20);
    expect(new Set(regions.map((r) => r.katoCode))).toEqual(new Set(roots.map((r) => r.code)));
    for (const r of regions) {
      expect(r.branch?.nameRu).toMatch(/^Филиал НАО «ФСМС» по /);
      expect(r.branch?.nameKk).toMatch(/^«ӘМСҚ» КЕАҚ .+ бойынша филиалы$/);
      expect(r.nameKk).not.toBe(r.nameRu);
    }
    expect(regions.map((r) => r.code)).toEqual(expect.arrayContaining(["ASTANA", "ALMATY", "SHYMKENT"]));
  });

  it("computes the КАТО tree of the edition in force: levels, leaves and child counts", async () => {
    const astana = await db.prisma.katoObject.findUniqueOrThrow({ where: { code: "710000000" } });
    expect(astana).toMatchObject({ id: 710000000, level: 1, isLeaf: false, childCount: 6, parentId: null });
    const district = await db.prisma.katoObject.findUniqueOrThrow({ where: { code: "711210000" } });
    expect(district).toMatchObject({
      id: 711210000,
      level: 2,
      isLeaf: true,
      childCount: 0,
      parentId: astana.id,
    });
    expect(district).toMatchObject({
      nameKk: "Есіл ауданы",
      nameRu: "район Есиль",
      active: true,
      edition: "2026-07-17",
    });
    const leaves = await db.prisma.katoObject.count({ where: { isLeaf: true, active: true } });
    const withChildren = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT "parentId") AS n FROM "KatoObject" WHERE "parentId" IS NOT NULL AND "active"`;
    expect(leaves + Number(withChildren[0]!.n)).toBe(15594);
    const bad = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "KatoObject" k
       WHERE k."active" AND (
             k."childCount" <> (SELECT count(*) FROM "KatoObject" c WHERE c."parentId" = k.id AND c."active")
          OR k.level <> COALESCE((SELECT p.level + 1 FROM "KatoObject" p WHERE p.id = k."parentId"), 1)
          OR k.id <> k.code::int)`;
    expect(Number(bad[0]!.n)).toBe(0);
  });

  it("reads a later КАТО file with Kazakh names; ids are the codes", () => {
    const rows = parseKato(
      "\uFEFFid;parent_id;code;name_ru;name_kk\n1;0;710000000;г.Астана;Астана қаласы\n2;1;711110000;район Алматы;Алматы ауданы\n",
    );
    expect(rows).toEqual([
      {
        id: 710000000,
        parentId: null,
        code: "710000000",
        nameRu: "г.Астана",
        nameKk: "Астана қаласы",
        level: 1,
        isLeaf: false,
        childCount: 1,
      },
      {
        id: 711110000,
        parentId: 710000000,
        code: "711110000",
        nameRu: "район Алматы",
        nameKk: "Алматы ауданы",
        level: 2,
        isLeaf: true,
        childCount: 0,
      },
    ]);
    expect(() => parseKato("id;parent_id;code;name\n2;1;711110000;x\n")).toThrow(/parent 1/);
  });

  it("seeds R1–R3 exactly as SPEC §3.4 states them", async () => {
    const reqs = await db.prisma.careSubtypeRequirement.findMany();
    const by = (rule: string) => reqs.filter((r) => r.ruleId === rule);
    expect(
      by("R1")
        .map((r) => [r.subtypeCode, r.asStatus, r.licenceCode, r.condition])
        .sort(),
    ).toEqual([
      ["PHC_CAP", "SUPPLIER", "L61I", "PHARMACY"],
      ["PHC_CAP", "SUPPLIER", "L64A", "PHARMACY"],
    ]);
    expect(by("R2").every((r) => r.licenceCode === "A15B" && r.condition === null)).toBe(true);
    expect(by("R2")).toHaveLength(4); // R2.1 both statuses, R2.2 and R2.3 as supplier
    expect(by("R3").every((r) => r.licenceCode === "L64A" && r.asStatus === "SUPPLIER")).toBe(true);
    expect(by("R3")).toHaveLength(7);
    const ekmu = readData<EkmuFile>("ekmu.json");
    expect(ekmu.subtypes.filter((s) => s.isPhc).map((s) => s.code)).toEqual(["PHC_CAP"]);
    const codes = await db.prisma.licenceCode.findMany({
      where: { displayed: true },
      orderBy: { code: "asc" },
    });
    expect(codes.map((c) => c.code)).toEqual(["A15", "L60", "L61", "L64"]);
  });

  it("uses valid BIN/IIN for every demo organisation and linked BIN", () => {
    for (const o of DEMO_ORGANISATIONS) {
      expect(isValidBin(o.bin)).toBe(true);
      expect(isValidIinBin(o.bin)).toBe(true);
      for (const l of o.links) expect(isValidIinBin(l.bin)).toBe(true);
    }
    // The check digit falls back to the second weights when the first sum mod 11 is 10.
    expect(isValidBin("000000000011")).toBe(isValidIinBin("000000000011"));
    expect(isValidBin("100140001232")).toBe(false);
  });

  it("pre-creates the demo people with their roles", async () => {
    const reviewer = await db.prisma.user.findUniqueOrThrow({
      where: { telegramId: 100003n },
      include: { staffRoles: true },
    });
    expect(reviewer.staffRoles.map((r) => [r.branchId, r.role])).toEqual([["BR-ASTANA", "REVIEWER"]]);
    const admin = await db.prisma.user.findUniqueOrThrow({
      where: { telegramId: 100001n },
      include: { orgRoles: true },
    });
    expect(admin.orgRoles.map((r) => r.role).sort()).toEqual(["ORG_ADMIN", "SUPPLIER"]);
  });
});
