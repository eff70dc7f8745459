// The default LicensingRegistry: the stand-in for elicense.kz, the "RegistryLicence" table seeded with what the
// registry would return (DECISIONS 20). A client of the real registry plugs in behind the same port.
import { z } from "zod";
import type { LicenceData } from "../domain/licences.ts";
import type { LicensingRegistry } from "../domain/ports.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

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
