// The stand-in for the external licensing registry (elicense.kz): "RegistryLicence" rows, one per
// licence, with the payload the default licensing adapter reads (DECISIONS 20: number, issue date,
// licensor, activity code, subtype codes, status, type, category, appendices with addresses).
import type { PrismaClient } from "../../generated/prisma/client.ts";

export interface RegistryAppendix {
  /** Appendix number as printed on it. */
  number: string;
  /** Licence subtype codes (A15B, L61I, L64A, …). */
  licenceSubtypes: string[];
  /** ЕКМУ care subtype codes the appendix allows (L60 appendices). */
  careSubtypes: string[];
  /** Production-base addresses listed in the appendix. */
  addresses: string[];
}

export interface RegistryLicencePayload {
  number: string;
  /** ISO date (YYYY-MM-DD). */
  issueDate: string;
  licensor: string;
  /** Activity type: A15 | L60 | L61 | L64 | … */
  activityCode: string;
  /** «Лицензия на вид деятельности» */
  category: string;
  /** «генеральная лицензия» */
  type: string;
  /** «Действительный» */
  status: string;
  appendices: RegistryAppendix[];
}

export interface RegistryLicenceRecord extends RegistryLicencePayload {
  holderBin: string;
}

/** The registry's licences of the given holders (own BIN and linked BINs). */
export async function findRegistryLicences(
  prisma: Pick<PrismaClient, "registryLicence">,
  bins: readonly string[],
): Promise<RegistryLicenceRecord[]> {
  if (bins.length === 0) return [];
  const rows = await prisma.registryLicence.findMany({
    where: { holderBin: { in: [...bins] } },
    orderBy: [{ holderBin: "asc" }, { number: "asc" }],
  });
  return rows.map((r) => ({ ...(r.payload as unknown as RegistryLicencePayload), holderBin: r.holderBin }));
}
