// The store's transactions on real PostgreSQL: queries inside one interactive transaction run one at a
// time (pg 9 refuses a query on a busy client), and T20 builds the new version under the transition's lock.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDraft, updateDraft } from "../../prisma/store/applications.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { demoUsers, Flow, steppingClock } from "./fixtures.ts";

let db: TestDb;
let f: Flow;
let users: Awaited<ReturnType<typeof demoUsers>>;
const clock = steppingClock();

/**
 * Every query sent to a pg client that is still executing another one (what pg reports as "Calling
 * client.query() when the client is already executing a query"). Pool queries outside a transaction
 * each take their own client, so only queries sharing a transaction's connection can land here.
 */
const overlapping: string[] = [];
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const proto = pg.Client.prototype as unknown as { query: QueryFn; _queryQueue?: unknown[] };
const originalQuery = proto.query;

beforeAll(async () => {
  db = await createTestDb();
  users = await demoUsers(db.prisma);
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const self = this as unknown as { _queryQueue?: unknown[]; pipeline?: boolean };
    if ((self._queryQueue?.length ?? 0) > 0 && !self.pipeline) {
      const q = args[0] as string | { text?: string };
      overlapping.push(String(typeof q === "string" ? q : q?.text).slice(0, 120));
    }
    return originalQuery.apply(this, args);
  };
});
beforeEach(async () => {
  f = new Flow(db.prisma, { ...users }, clock);
  await f.newOrg();
  overlapping.length = 0;
});
afterAll(async () => {
  proto.query = originalQuery;
  await db?.drop();
});

async function storedFile() {
  return db.prisma.storedFile.create({
    data: {
      sha256: "1".repeat(64),
      size: 10,
      mimeType: "application/pdf",
      fileName: "d.pdf",
      storagePath: "x",
    },
  });
}

describe("queries inside one transaction run one at a time", () => {
  it("createDraft and updateDraft with bases, licences and documents", async () => {
    const licence = await db.prisma.licence.create({
      data: {
        orgId: f.orgId!,
        holderBin: "000000000000",
        number: "L-1",
        issueDate: new Date("2020-01-01"),
        licensor: "x",
        activityCode: "A15",
        category: "x",
        type: "x",
        status: "x",
        fetchedAt: clock(),
      },
    });
    const file = await storedFile();
    const made = await createDraft(db.prisma, {
      orgId: f.orgId!,
      authorId: f.id("supplierAdmin"),
      now: clock(),
      regionCode: "ASTANA",
      bases: [{ address: "a" }, { address: "b", subtypes: ["PALLIATIVE"] }],
      licenceIds: [licence.id, licence.id],
      documents: [{ kind: "REGISTRATION", fileIds: [file.id] }],
    });
    if (!made.ok) throw new Error(JSON.stringify(made));
    const stored = await db.prisma.application.findUniqueOrThrow({
      where: { id: made.id },
      include: { bases: { orderBy: { position: "asc" } }, licences: true, documents: true },
    });
    expect(stored.bases.map((b) => [b.position, b.address, b.subtypes])).toEqual([
      [1, "a", []],
      [2, "b", ["PALLIATIVE"]],
    ]);
    expect(stored.licences.map((l) => l.licenceId)).toEqual([licence.id]);
    expect(stored.documents.map((d) => [d.kind, d.fileId])).toEqual([["REGISTRATION", file.id]]);

    const r = await updateDraft(
      db.prisma,
      made.id,
      made.version,
      {
        bases: [{ address: "c" }],
        licenceIds: [],
        documents: [{ kind: "POWER_OF_ATTORNEY", fileIds: [file.id] }],
        ownershipFormCode: "PRIVATE",
      },
      { actorId: f.id("supplierAdmin"), now: clock() },
    );
    expect(r).toMatchObject({ ok: true, version: made.version + 1 });
    expect(overlapping).toEqual([]);
  });

  it("a whole chain to «Включен в БД» and «Внести изменение» (T20)", async () => {
    const v1 = await f.draft();
    await f.toReview(v1);
    await f.include(v1);
    await f.must("supplierAdmin", v1, "MAKE_CHANGES");
    expect(overlapping).toEqual([]);
  });
});

describe("«Внести изменение» (T20) builds the new version under the transition's lock", () => {
  it("re-reads the bases from the refreshed appendices, keeping what the old version knew per address", async () => {
    const v1 = await f.draft();
    const ses = await storedFile();
    await db.prisma.productionBase.updateMany({
      where: { applicationId: v1 },
      data: { latitude: 51.1, longitude: 71.4, katoCode: "711210000", sesFileId: ses.id },
    });
    await f.toReview(v1);
    await f.include(v1);
    const kept = "г. Астана, район Есиль, проспект Мәңгілік Ел, 55";
    const made = await f.act(
      "supplierAdmin",
      v1,
      "MAKE_CHANGES",
      {},
      { newVersion: { baseAddresses: [` ${kept.toUpperCase()} `.trim(), "г. Астана, ул. Новая, 1"] } },
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    const bases = await db.prisma.productionBase.findMany({
      where: { applicationId: made.newApplicationId! },
      orderBy: { position: "asc" },
    });
    expect(bases.map((b) => [b.position, b.latitude, b.katoCode, b.sesFileId, b.subtypes])).toEqual([
      [1, 51.1, "711210000", ses.id, ["PALLIATIVE"]],
      [2, null, null, null, []],
    ]);
    // through the state machine: the transition is audited on the old version, the copy on the new one
    const audit = await db.prisma.auditEvent.findMany({
      where: { action: { in: ["MAKE_CHANGES", "CREATE_VERSION"] }, chainId: v1 },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.applicationId])).toEqual([
      ["MAKE_CHANGES", v1],
      ["CREATE_VERSION", made.newApplicationId],
    ]);
    expect(audit[0]?.changes).toMatchObject({ transitionId: "T20" });
  });

  it("is refused to a user without «Поставщик» + «Администратор организации», and creates nothing", async () => {
    const v1 = await f.draft();
    await f.toReview(v1);
    await f.include(v1);
    const r = await f.act("head", v1, "MAKE_CHANGES", {}, { newVersion: { baseAddresses: ["x"] } });
    expect(r).toMatchObject({ ok: false, reason: "denied", errors: [{ code: "forbidden_role" }] });
    expect(await db.prisma.application.count({ where: { previousId: v1 } })).toBe(0);
  });
});
