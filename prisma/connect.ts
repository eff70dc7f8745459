// A Prisma client on a PostgreSQL server (through @prisma/adapter-pg). The embedded database is prisma/db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export interface Db {
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** A client on a PostgreSQL server. */
export function createPrisma(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, ...(opts.max ? { max: opts.max } : {}) });
  const prisma = new PrismaClient({ adapter });
  return { prisma, close: () => prisma.$disconnect() };
}
