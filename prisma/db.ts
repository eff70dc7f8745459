// Database connections: PostgreSQL through @prisma/adapter-pg, or embedded PostgreSQL (PGlite) for the
// sandbox and demos without a server (migrated and seeded on open).
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Db } from "./connect.ts";
import { migratePglite } from "./migrate.ts";

export { createPrisma, type Db } from "./connect.ts";

export interface EmbeddedOptions {
  /** Seed the demo organisations and people too (default true). */
  demo?: boolean;
  /** Import КАТО (default true; ~17k rows, a few seconds on first open, skipped when unchanged). */
  kato?: boolean;
  log?: (line: string) => void;
}

/**
 * Embedded PostgreSQL (PGlite) stored in `dir` (or in memory with "memory://"), migrated and seeded.
 * One process at a time may open a directory.
 */
export async function createEmbeddedPrisma(dir: string, opts: EmbeddedOptions = {}): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const { seed } = await import("./seed.ts");
  const log = opts.log ?? (() => {});
  // pg_trgm: the КАТО search index (migration 20261202100000_kato_2026)
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const pglite = new PGlite(dir, { extensions: { pg_trgm } });
  await pglite.waitReady;
  await migratePglite(pglite, { log });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  try {
    await seed(prisma, { demo: opts.demo ?? true, kato: opts.kato ?? true, log });
  } catch (e) {
    await prisma.$disconnect().catch(() => {});
    await pglite.close().catch(() => {});
    throw e;
  }
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
