import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PEOPLE } from "../../prisma/seed.ts";
import { createTestDb, redisPrefix, type TestDb } from "../helpers/db.ts";

describe("createTestDb", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("gives a fresh database cloned from the migrated and seeded template", async () => {
    expect(await db.prisma.region.count()).toBe(20);
    expect(await db.prisma.katoObject.count({ where: { active: true } })).toBe(15594);
    expect(await db.prisma.user.count()).toBe(DEMO_PEOPLE.length);
    expect(db.url).toContain(db.name);
  });

  it("gives every test file its own database", async () => {
    const other = await createTestDb();
    try {
      expect(other.name).not.toBe(db.name);
      await other.prisma.organisation.deleteMany({ where: { bin: "850615400125" } });
      expect(await db.prisma.organisation.count({ where: { bin: "850615400125" } })).toBe(1);
    } finally {
      await other.drop();
    }
  });

  it("gives unique Redis prefixes", () => {
    expect(redisPrefix()).not.toBe(redisPrefix());
  });
});
