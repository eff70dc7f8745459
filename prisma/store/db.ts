// What every store module shares: the client types, the transaction options and small SQL helpers.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";

export { Prisma };
export type { PrismaClient };
export type Tx = Prisma.TransactionClient;
export type Db = PrismaClient | Tx;

export const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 } as const;

const sql = Prisma.sql;

/** A moment as a `timestamp(3) without time zone` literal holding UTC (how Prisma stores DateTime). */
export const ts = (d: Date): Prisma.Sql => sql`${d.toISOString()}::timestamp`;

/** A value of a JSON column or of json_build_object: Prisma DateTime in JSON comes without a zone (UTC). */
export function dateOf(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
}

export const textArray = (xs: readonly string[]): Prisma.Sql => sql`${[...xs]}::text[]`;

/** Join SQL fragments with commas (skipping empty ones). */
export function list(parts: readonly (Prisma.Sql | null | undefined | false)[], sep = ", "): Prisma.Sql {
  const kept = parts.filter((p): p is Prisma.Sql => !!p);
  return kept.length ? Prisma.join(kept, sep) : Prisma.empty;
}

/** Was this error the unique index `name` refusing a row? (Prisma wraps the driver's error.) */
export function isUniqueViolation(e: unknown, name: string): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === "object" && !seen.has(cur)) {
    seen.add(cur);
    const text = `${(cur as { message?: unknown }).message ?? ""} ${JSON.stringify((cur as { meta?: unknown }).meta ?? "")}`;
    if (text.includes(name)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
