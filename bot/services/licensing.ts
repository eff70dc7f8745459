// The LicensingRegistry port (the external elicense.kz) and licence-request processing (SPEC §2).
//
// Default adapter: DbLicensingRegistry reads the RegistryLicence table, seeded as the stand-in for elicense.kz.
// A request goes «В обработке» (PROCESSING) → «Обработан» (PROCESSED) | «Ошибка обработки» (FAILED); a processed
// request replaces the organisation's copy of that BIN's licences (Licence + LicenceAppendix, with fetchedAt).
import { z } from "zod";
import {
  canRequestFor,
  canStartLicenceRequest,
  completeLicenceRequest,
  type LicenceData,
} from "../../domain/licences.ts";
import type { Classifiers, DraftLicence } from "../../domain/rules.ts";
import type { DomainError } from "../../domain/types.ts";
import type {
  CareSubtypeRequirement,
  Licence,
  LicenceAppendix,
  PrismaClient,
} from "../../generated/prisma/client.ts";

/** A stored licence (Licence + LicenceAppendix rows) as the domain's rules see it (D1 of the draft, M4 notices). */
export function draftLicence(l: Licence & { appendices: readonly LicenceAppendix[] }): DraftLicence {
  return {
    id: l.id,
    number: l.number,
    holderBin: l.holderBin,
    issueDate: l.issueDate,
    licensor: l.licensor,
    activityCode: l.activityCode,
    category: l.category,
    type: l.type,
    status: l.status,
    fetchedAt: l.fetchedAt,
    appendices: l.appendices.map((a) => ({
      number: a.number,
      licenceSubtypes: a.licenceSubtypes,
      careSubtypes: a.careSubtypes,
      addresses: a.addresses,
    })),
  };
}

/** The licence requirements R1–R3 and the licence subcode → activity type map, from their classifier rows. */
export function requirementClassifiers(
  requirements: readonly Omit<CareSubtypeRequirement, "id">[],
  codes: readonly { code: string; parentCode: string | null }[],
): Required<Pick<Classifiers, "requirements" | "licenceParents">> {
  const licenceParents: Record<string, string> = {};
  for (const c of codes) if (c.parentCode) licenceParents[c.code] = c.parentCode;
  return {
    requirements: requirements.map((r) => ({
      subtypeCode: r.subtypeCode,
      asStatus: r.asStatus,
      licenceCode: r.licenceCode,
      condition: r.condition === "PHARMACY" ? "PHARMACY" : null,
      ruleId: r.ruleId,
    })),
    licenceParents,
  };
}

export interface LicensingRegistry {
  /** All licences the registry holds for this IIN/BIN. Throws when the registry cannot be reached. */
  fetchLicences(bin: string): Promise<LicenceData[]>;
}

/** The JSON stored in RegistryLicence.payload (what elicense.kz would return for one licence). */
export const registryPayloadSchema = z.object({
  number: z.string().optional(),
  issueDate: z.coerce.date(),
  licensor: z.string().default(""),
  activityCode: z.string(),
  category: z.string(),
  type: z.string(),
  status: z.string(),
  appendices: z
    .array(
      z.object({
        number: z.coerce.string(),
        licenceSubtypes: z.array(z.string()).default([]),
        careSubtypes: z.array(z.string()).default([]),
        addresses: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});
export type RegistryLicencePayload = z.input<typeof registryPayloadSchema>;

export class DbLicensingRegistry implements LicensingRegistry {
  constructor(private readonly prisma: PrismaClient) {}
  async fetchLicences(bin: string): Promise<LicenceData[]> {
    const rows = await this.prisma.registryLicence.findMany({
      where: { holderBin: bin },
      orderBy: { number: "asc" },
    });
    return rows.map((r) => {
      const p = registryPayloadSchema.parse(r.payload);
      return { ...p, number: p.number ?? r.number, holderBin: r.holderBin };
    });
  }
}

export function getLicensingRegistry(deps: {
  prisma: PrismaClient;
  services: Record<string, unknown>;
}): LicensingRegistry {
  return (
    (deps.services.licensingRegistry as LicensingRegistry | undefined) ?? new DbLicensingRegistry(deps.prisma)
  );
}

export type StartResult = { ok: true; requestId: string } | { ok: false; errors: DomainError[] };

/**
 * «Получить лицензии»: check the own/linked rule and that no request is running, then create the request
 * «В обработке». Processing is a separate step (`processLicenceRequest`), so a slow registry never blocks a reply.
 */
export async function startLicenceRequest(
  prisma: PrismaClient,
  input: { orgId: string; bin: string; requestedById: string | null; now: Date },
): Promise<StartResult> {
  const org = await prisma.organisation.findUnique({
    where: { id: input.orgId },
    select: { bin: true, links: { select: { linkedBin: true } } },
  });
  if (!org) return { ok: false, errors: [{ code: "org_not_found" }] };
  const allowed = canRequestFor(input.bin, { bin: org.bin, linkedBins: org.links.map((l) => l.linkedBin) });
  if (!allowed.ok) return allowed;
  return prisma.$transaction(async (tx) => {
    // one request at a time per organisation and BIN: lock the organisation row
    await tx.$queryRaw`SELECT id FROM "Organisation" WHERE id = ${input.orgId} FOR UPDATE`;
    const latest = await tx.licenceRequest.findFirst({
      where: { orgId: input.orgId, bin: input.bin },
      orderBy: { requestedAt: "desc" },
      select: { status: true, requestedAt: true },
    });
    const can = canStartLicenceRequest(latest, input.now);
    if (!can.ok) return can;
    const req = await tx.licenceRequest.create({
      data: {
        orgId: input.orgId,
        bin: input.bin,
        status: "PROCESSING",
        requestedById: input.requestedById,
        requestedAt: input.now,
      },
    });
    return { ok: true as const, requestId: req.id };
  });
}

export type ProcessResult =
  | { status: "PROCESSED"; total: number }
  | { status: "FAILED"; error: string }
  | { status: "SKIPPED" };

/** Run a request «В обработке»: fetch from the registry and copy into Licence/LicenceAppendix. */
export async function processLicenceRequest(
  prisma: PrismaClient,
  registry: LicensingRegistry,
  requestId: string,
  now: Date,
): Promise<ProcessResult> {
  const req = await prisma.licenceRequest.findUnique({ where: { id: requestId } });
  if (req?.status !== "PROCESSING") return { status: "SKIPPED" };
  let licences: LicenceData[];
  try {
    licences = await registry.fetchLicences(req.bin);
  } catch (e) {
    const error = e instanceof Error ? e.message.slice(0, 500) : "registry error";
    await finish(prisma, requestId, "FAILED", now, error);
    return { status: "FAILED", error };
  }
  try {
    await prisma.$transaction(async (tx) => {
      const claimed = await tx.licenceRequest.updateMany({
        where: { id: requestId, status: "PROCESSING" },
        data: { status: "PROCESSED", completedAt: now },
      });
      if (claimed.count !== 1) throw new SkipError();
      // The registry's answer replaces what we held for this BIN (licences withdrawn there disappear here).
      const numbers = licences.map((l) => l.number);
      await tx.licence.deleteMany({
        where: {
          orgId: req.orgId,
          holderBin: req.bin,
          number: { notIn: numbers },
          applications: { none: {} },
        },
      });
      for (const l of licences) {
        const data = {
          issueDate: l.issueDate,
          licensor: l.licensor,
          activityCode: l.activityCode,
          category: l.category,
          type: l.type,
          status: l.status,
          fetchedAt: now,
        };
        const saved = await tx.licence.upsert({
          where: { orgId_holderBin_number: { orgId: req.orgId, holderBin: req.bin, number: l.number } },
          create: { orgId: req.orgId, holderBin: req.bin, number: l.number, ...data },
          update: data,
        });
        await tx.licenceAppendix.deleteMany({ where: { licenceId: saved.id } });
        if (l.appendices.length) {
          await tx.licenceAppendix.createMany({
            data: l.appendices.map((a) => ({
              licenceId: saved.id,
              number: a.number,
              licenceSubtypes: [...a.licenceSubtypes],
              careSubtypes: [...a.careSubtypes],
              addresses: [...a.addresses],
            })),
          });
        }
      }
    });
  } catch (e) {
    if (e instanceof SkipError) return { status: "SKIPPED" };
    const error = e instanceof Error ? e.message.slice(0, 500) : "store error";
    await finish(prisma, requestId, "FAILED", now, error);
    return { status: "FAILED", error };
  }
  return { status: "PROCESSED", total: licences.length };
}

class SkipError extends Error {}

async function finish(prisma: PrismaClient, id: string, to: "FAILED", now: Date, error: string) {
  const ok = completeLicenceRequest("PROCESSING", to);
  if (!ok.ok) return;
  await prisma.licenceRequest.updateMany({
    where: { id, status: "PROCESSING" },
    data: { status: to, completedAt: now, error },
  });
}
