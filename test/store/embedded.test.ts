// The embedded database (PGlite): the same migrations and seed, the same client.
import { describe, expect, it } from "vitest";
import { createEmbeddedPrisma } from "../../prisma/db.ts";
import { migratePglite } from "../../prisma/migrate.ts";

describe("createEmbeddedPrisma", () => {
  it("opens an in-memory PGlite database, migrated and seeded", async () => {
    const db = await createEmbeddedPrisma("memory://", { log: () => {} });
    try {
      expect(await db.prisma.region.count()).toBe(20);
      // the edition in force (15,594, all with a Kazakh name) + 1,252 objects of the 2022 edition, inactive
      expect(await db.prisma.katoObject.count({ where: { active: true, nameKk: { not: null } } })).toBe(
        15594,
      );
      expect(await db.prisma.katoObject.count({ where: { active: false } })).toBe(1252);
      expect(await db.prisma.user.count({ where: { telegramId: 100003n } })).toBe(1);
    } finally {
      await db.close();
    }
  }, 60_000);

  it("migrates PGlite idempotently", async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const pglite = new PGlite("memory://", { extensions: { pg_trgm } });
    try {
      const first = await migratePglite(pglite, { log: () => {} });
      expect(first.applied.length).toBeGreaterThan(0);
      expect((await migratePglite(pglite, { log: () => {} })).applied).toEqual([]);
    } finally {
      await pglite.close();
    }
  }, 60_000);
});
