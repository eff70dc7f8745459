// Seeds the classifiers from the versioned files in prisma/data/ (regions + Fund branches, ownership
// forms, licence codes, ЕКМУ kinds/subtypes with their licence requirements R1–R3, rejection grounds,
// exclusion reasons), imports КАТО, and — with `demo: true` — the demo organisations, registry
// licences, people with roles and invites (prisma/data/demo.ts). КАТО: the 2022 edition as history
// (inactive objects that old applications may reference), then the edition in force (2026-07-17, kk + ru).
// Idempotent: everything is an upsert keyed by a natural code, so it can run on every deploy.
//
// CLI: `npm run db:seed` (classifiers + КАТО), `npm run db:seed -- --demo`, `--no-kato`,
//      `--kato-file <csv>` (DATABASE_URL).
import { existsSync, readFileSync } from "node:fs";
import { SLA_STAGES } from "../domain/sla.ts";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isValidIinBin } from "../domain/iin.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { runCli, withPrisma } from "./cli.ts";
import { DEMO_INVITES, DEMO_ORGANISATIONS, DEMO_PEOPLE, DEMO_REGISTRY_LICENCES } from "./data/demo.ts";
import { importKato, KATO_HISTORY_FILES, type KatoImportResult } from "./kato-import.ts";

export type { DemoInvite, DemoOrganisation, DemoPerson } from "./data/demo.ts";
export { DEMO_INVITES, DEMO_ORGANISATIONS, DEMO_PEOPLE, DEMO_REGISTRY_LICENCES };

const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "data");

type Named = { code: string; nameRu: string; nameKk: string; sort?: number };

export interface RegionsFile {
  version: number;
  regions: (Named & {
    katoCode: string;
    sort: number;
    branch: { id: string; nameRu: string; nameKk: string; reminderDays: number; escalationDays: number };
  })[];
}
export interface ClassifiersFile {
  version: number;
  ownershipForms: (Named & { sort: number })[];
  licenceCodes: (Named & { parentCode: string | null; displayed: boolean })[];
}
export interface EkmuFile {
  version: number;
  kinds: (Named & { sort: number })[];
  subtypes: (Named & {
    kind: string;
    sort: number;
    isPhc?: boolean;
    asSupplier?: boolean;
    asCoExecutor?: boolean;
    requirements: {
      ruleId: string;
      asStatus: "SUPPLIER" | "CO_EXECUTOR";
      licenceCode: string;
      condition?: "PHARMACY" | null;
    }[];
  })[];
}
export interface ReasonsFile {
  version: number;
  rejectionGrounds: (Named & { sort: number; active?: boolean })[];
  exclusionReasons: (Named & { sort: number; active?: boolean })[];
}

export function readData<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(DATA_DIR, name), "utf8")) as T;
}

/** IIN/BIN with a valid check digit (the domain's rule, DECISIONS identity). */
export const isValidBin = isValidIinBin;

export interface SeedOptions {
  /** Also seed the demo organisations, registry licences, people and invites. */
  demo: boolean;
  /** Import КАТО (default true); `{ file }` picks another CSV. */
  kato?: boolean | { file?: string };
  log?: (line: string) => void;
}

export interface SeedResult {
  ms: number;
  classifiersMs: number;
  kato: KatoImportResult | null;
  /** The KATO objects in force after the seed and how many carry a Kazakh name (counted in the database). */
  katoInForce: { objects: number; withKk: number } | null;
  demoMs: number | null;
}

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

async function seedClassifiers(tx: Tx): Promise<void> {
  const regions = readData<RegionsFile>("regions.json");
  const cls = readData<ClassifiersFile>("classifiers.json");
  const ekmu = readData<EkmuFile>("ekmu.json");
  const reasons = readData<ReasonsFile>("reasons.json");

  for (const r of regions.regions) {
    const region = { katoCode: r.katoCode, nameKk: r.nameKk, nameRu: r.nameRu, sort: r.sort };
    await tx.region.upsert({ where: { code: r.code }, create: { code: r.code, ...region }, update: region });
    const b = r.branch;
    const branch = {
      nameKk: b.nameKk,
      nameRu: b.nameRu,
      reminderDays: b.reminderDays,
      escalationDays: b.escalationDays,
    };
    await tx.branch.upsert({
      where: { id: b.id },
      create: { id: b.id, regionCode: r.code, ...branch },
      update: branch,
    });
    // Stage deadlines start at the branch's escalation limit; a manager's later change is kept on re-seeding.
    await tx.branchStageThreshold.createMany({
      data: SLA_STAGES.map((stage) => ({ branchId: b.id, stage, days: b.escalationDays })),
      skipDuplicates: true,
    });
  }
  for (const f of cls.ownershipForms) {
    const v = { nameKk: f.nameKk, nameRu: f.nameRu, sort: f.sort };
    await tx.ownershipForm.upsert({ where: { code: f.code }, create: { code: f.code, ...v }, update: v });
  }
  for (const l of cls.licenceCodes) {
    const v = { parentCode: l.parentCode, nameKk: l.nameKk, nameRu: l.nameRu, displayed: l.displayed };
    await tx.licenceCode.upsert({ where: { code: l.code }, create: { code: l.code, ...v }, update: v });
  }
  for (const k of ekmu.kinds) {
    const v = { nameKk: k.nameKk, nameRu: k.nameRu, sort: k.sort };
    await tx.careKind.upsert({ where: { code: k.code }, create: { code: k.code, ...v }, update: v });
  }
  for (const s of ekmu.subtypes) {
    const v = {
      kindCode: s.kind,
      nameKk: s.nameKk,
      nameRu: s.nameRu,
      isPhc: s.isPhc ?? false,
      asSupplier: s.asSupplier ?? true,
      asCoExecutor: s.asCoExecutor ?? true,
      sort: s.sort,
    };
    await tx.careSubtype.upsert({ where: { code: s.code }, create: { code: s.code, ...v }, update: v });
    // The file is authoritative for a subtype's requirements: drop the ones it no longer lists.
    await tx.careSubtypeRequirement.deleteMany({
      where: {
        subtypeCode: s.code,
        NOT: { OR: s.requirements.map((q) => ({ asStatus: q.asStatus, licenceCode: q.licenceCode })) },
      },
    });
    for (const q of s.requirements) {
      const rv = { condition: q.condition ?? null, ruleId: q.ruleId };
      await tx.careSubtypeRequirement.upsert({
        where: {
          subtypeCode_asStatus_licenceCode: {
            subtypeCode: s.code,
            asStatus: q.asStatus,
            licenceCode: q.licenceCode,
          },
        },
        create: { subtypeCode: s.code, asStatus: q.asStatus, licenceCode: q.licenceCode, ...rv },
        update: rv,
      });
    }
  }
  for (const g of reasons.rejectionGrounds) {
    const v = { nameKk: g.nameKk, nameRu: g.nameRu, sort: g.sort, active: g.active ?? true };
    await tx.rejectionGround.upsert({ where: { code: g.code }, create: { code: g.code, ...v }, update: v });
  }
  for (const g of reasons.exclusionReasons) {
    const v = { nameKk: g.nameKk, nameRu: g.nameRu, sort: g.sort, active: g.active ?? true };
    await tx.exclusionReason.upsert({ where: { code: g.code }, create: { code: g.code, ...v }, update: v });
  }
}

/** Far-future expiry for the demo invites (stable, so the seed stays idempotent). */
const DEMO_INVITE_EXPIRY = new Date("2099-12-31T00:00:00Z");

async function seedDemo(tx: Tx): Promise<void> {
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGANISATIONS) {
    if (!isValidBin(o.bin)) throw new Error(`demo organisation ${o.key}: invalid BIN/IIN ${o.bin}`);
    const v = {
      kind: o.kind,
      nameKk: o.nameKk,
      nameRu: o.nameRu,
      ownershipFormCode: o.ownershipFormCode,
      legalKato: o.legalKato,
      legalPostcode: o.legalPostcode,
      legalStreet: o.legalStreet,
      legalHouse: o.legalHouse,
      legalOffice: o.legalOffice,
      phone: o.phone,
      email: o.email,
    };
    const org = await tx.organisation.upsert({
      where: { bin: o.bin },
      create: { bin: o.bin, ...v },
      update: v,
    });
    orgIds.set(o.bin, org.id);
    for (const l of o.links) {
      if (!isValidBin(l.bin)) throw new Error(`demo organisation ${o.key}: invalid linked BIN ${l.bin}`);
      await tx.organisationLink.upsert({
        where: { orgId_linkedBin: { orgId: org.id, linkedBin: l.bin } },
        create: { orgId: org.id, linkedBin: l.bin, kind: l.kind },
        update: { kind: l.kind },
      });
    }
  }
  for (const l of DEMO_REGISTRY_LICENCES) {
    const payload = JSON.parse(JSON.stringify(l.payload));
    await tx.registryLicence.upsert({
      where: { holderBin_number: { holderBin: l.holderBin, number: l.payload.number } },
      create: { holderBin: l.holderBin, number: l.payload.number, payload },
      update: { payload },
    });
  }
  const orgId = (bin: string) => {
    const id = orgIds.get(bin);
    if (!id) throw new Error(`demo data: unknown organisation ${bin}`);
    return id;
  };
  for (const p of DEMO_PEOPLE) {
    const user = await tx.user.upsert({
      where: { telegramId: BigInt(p.telegramId) },
      create: { telegramId: BigInt(p.telegramId), fullName: p.fullName, language: p.language },
      update: {},
    });
    for (const role of p.org?.roles ?? []) {
      const o = orgId(p.org!.bin);
      await tx.orgMembership.upsert({
        where: { userId_orgId_role: { userId: user.id, orgId: o, role } },
        create: { userId: user.id, orgId: o, role },
        update: {},
      });
    }
    for (const role of p.branch?.roles ?? []) {
      await tx.staffMembership.upsert({
        where: { userId_branchId_role: { userId: user.id, branchId: p.branch!.id, role } },
        create: { userId: user.id, branchId: p.branch!.id, role },
        update: {},
      });
    }
  }
  for (const i of DEMO_INVITES) {
    await tx.invite.upsert({
      where: { code: i.code },
      create: {
        code: i.code,
        fullName: i.fullName,
        orgId: i.org ? orgId(i.org.bin) : null,
        orgRoles: i.org?.roles ?? [],
        branchId: i.branch?.id ?? null,
        staffRoles: i.branch?.roles ?? [],
        expiresAt: DEMO_INVITE_EXPIRY,
      },
      update: {},
    });
  }
}

/** Seed classifiers (+ КАТО, + demo data when asked). Safe to run again. */
export async function seed(prisma: PrismaClient, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const t0 = Date.now();
  await prisma.$transaction((tx) => seedClassifiers(tx), { timeout: 60_000, maxWait: 30_000 });
  const classifiersMs = Date.now() - t0;
  log(`classifiers seeded in ${classifiersMs} ms`);
  let kato: KatoImportResult | null = null;
  if (opts.kato !== false) {
    const file = typeof opts.kato === "object" ? opts.kato.file : undefined;
    // earlier editions first (their objects stay readable, inactive), then the classifier in force
    for (const history of KATO_HISTORY_FILES)
      if (existsSync(history)) await importKato(prisma, { file: history, mode: "history", log });
    kato = await importKato(prisma, { file, log });
  }
  const katoInForce = opts.kato === false ? null : await katoCounts(prisma);
  if (katoInForce) {
    const n = (x: number) => x.toLocaleString("en-US");
    log(
      `KATO objects loaded (in force): ${n(katoInForce.objects)}; with a Kazakh name: ` +
        `${n(katoInForce.withKk)} of ${n(katoInForce.objects)}`,
    );
  }
  let demoMs: number | null = null;
  if (opts.demo) {
    const t1 = Date.now();
    await prisma.$transaction((tx) => seedDemo(tx), { timeout: 60_000, maxWait: 30_000 });
    demoMs = Date.now() - t1;
    log(
      `demo data seeded in ${demoMs} ms: ${DEMO_ORGANISATIONS.length} organisations, ` +
        `${DEMO_REGISTRY_LICENCES.length} registry licences, ${DEMO_PEOPLE.length} people, ${DEMO_INVITES.length} invites`,
    );
  }
  return { ms: Date.now() - t0, classifiersMs, kato, katoInForce, demoMs };
}

/** The KATO objects in force and how many of them carry a Kazakh name, as stored. */
async function katoCounts(prisma: PrismaClient): Promise<{ objects: number; withKk: number }> {
  const [row] = await prisma.$queryRawUnsafe<{ objects: number; withKk: number }[]>(
    `SELECT count(*)::int AS "objects", count(NULLIF(btrim("nameKk"), ''))::int AS "withKk" FROM "KatoObject" WHERE "active"`,
  );
  return { objects: Number(row?.objects ?? 0), withKk: Number(row?.withKk ?? 0) };
}

runCli(import.meta.url, async (url) => {
  const args = process.argv.slice(2);
  const fileArg = args.indexOf("--kato-file");
  const kato = args.includes("--no-kato") ? false : fileArg >= 0 ? { file: args[fileArg + 1] } : true;
  const r = await withPrisma(url, (prisma) => seed(prisma, { demo: args.includes("--demo"), kato }));
  console.log(`seed done in ${r.ms} ms`);
});
