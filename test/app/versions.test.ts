// «Внести изменение» (T20) and «Изменена» (T17) on real PostgreSQL: the new version is created in the decision's
// statement with this version's bases, licences and the supplier's documents, audited as CREATE_VERSION; it is
// unsaved until its first «Сохранить» and blocks nothing meanwhile (DECISIONS 28); when it is included the
// earlier versions become «Изменена» with a SUPERSEDED audit row; a rejected new version leaves the included
// one as it is (DECISIONS 11).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Chain, type World, world } from "./chain.ts";

let w: World;
let c: Chain;
beforeAll(async () => {
  w = await world();
});
beforeEach(async () => {
  c = await new Chain(w).newOrg();
});
afterAll(() => w?.close());

const app = (id: string) => w.prisma.application.findUniqueOrThrow({ where: { id } });

async function withContent(id: string) {
  const lic = await w.prisma.licence.create({
    data: {
      orgId: c.orgId,
      holderBin: c.bin,
      number: `L-${id.slice(0, 6)}`,
      issueDate: new Date("2022-01-10T00:00:00Z"),
      licensor: "Комитет",
      activityCode: "L60",
      category: "Лицензия на вид деятельности",
      type: "генеральная лицензия",
      status: "Действительный",
      fetchedAt: w.clock.now(),
    },
  });
  const [reg, poa, ses] = [await c.file("reg.pdf"), await c.file("poa.pdf"), await c.file("ses.pdf")];
  const r = await c.edit("supplierAdmin", id, {
    licenceIds: [lic.id],
    documents: [
      { kind: "REGISTRATION", fileIds: [reg.id] },
      { kind: "POWER_OF_ATTORNEY", fileIds: [poa.id] },
    ],
    bases: [
      {
        address: "ул. А, 1",
        latitude: 51.1,
        longitude: 71.4,
        katoCode: "711210000",
        sesFileId: ses.id,
        subtypes: ["PALLIATIVE"],
      },
      { address: "ул. Б, 2", subtypes: ["PALLIATIVE"] },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { lic, reg, poa, ses };
}

describe("T20 «Внести изменение»", () => {
  it("creates version 2 in «Проект» with the bases, licences and D2/D3 copied; this version unchanged; audited twice", async () => {
    const v1 = await c.formed();
    const { lic, reg, poa, ses } = await withContent(v1);
    const form = await c.file("form.pdf");
    await c.must("supplierAdmin", v1, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await c.must("supplierAdmin", v1, "SEND_TO_HEAD");
    await c.submit(await c.consent(v1));
    await c.included(v1);
    const old = await app(v1);

    const r = await c.must("admin2", v1, "MAKE_CHANGES");
    const v2 = r.newApplicationId!;
    const now = w.clock.now();
    const copy = await w.prisma.application.findUniqueOrThrow({
      where: { id: v2 },
      include: { bases: { orderBy: { position: "asc" } }, licences: true, documents: true },
    });
    expect(copy).toMatchObject({
      chainId: old.chainId,
      versionNo: 2,
      previousId: v1,
      orgId: c.orgId,
      authorId: c.id("admin2"),
      regionCode: "ASTANA",
      status: "DRAFT",
      decisionKind: null,
      version: 1,
      savedAt: null,
      supplierSubtypes: old.supplierSubtypes,
      createdAt: now,
    });
    expect(
      copy.bases.map((b) => [b.position, b.address, b.latitude, b.katoCode, b.sesFileId, b.subtypes]),
    ).toEqual([
      [1, "ул. А, 1", 51.1, "711210000", ses.id, ["PALLIATIVE"]],
      [2, "ул. Б, 2", null, null, null, ["PALLIATIVE"]],
    ]);
    expect(copy.licences.map((l) => l.licenceId)).toEqual([lic.id]);
    expect(copy.documents.map((d) => `${d.kind}:${d.fileId}`).sort()).toEqual(
      [`REGISTRATION:${reg.id}`, `POWER_OF_ATTORNEY:${poa.id}`].sort(),
    );
    // the old version: only its version moved
    const after = await app(v1);
    expect(after).toEqual({ ...old, version: old.version + 1, updatedAt: now });
    const audit = await w.prisma.auditEvent.findMany({
      where: { chainId: old.chainId, action: { in: ["MAKE_CHANGES", "CREATE_VERSION"] } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.applicationId, a.fromStatus, a.toStatus])).toEqual([
      ["MAKE_CHANGES", v1, "INCLUDED", "INCLUDED"],
      ["CREATE_VERSION", v2, null, "DRAFT"],
    ]);
    expect(audit[1]?.changes).toEqual({ fromApplicationId: v1, fromVersionNo: 1 });
  });

  it("the new version starts with what the caller gives (refreshed licences and bases)", async () => {
    const v1 = await c.included();
    const r = await c.must(
      "supplierAdmin",
      v1,
      "MAKE_CHANGES",
      {},
      {
        newVersion: async () => ({
          licenceIds: [],
          bases: [{ address: "ул. Новая, 7", subtypes: ["PALLIATIVE"] }],
          progress: { step: "D1" },
        }),
      },
    );
    const v2 = await w.prisma.application.findUniqueOrThrow({
      where: { id: r.newApplicationId! },
      include: { bases: true },
    });
    expect(v2.bases.map((b) => [b.position, b.address])).toEqual([[1, "ул. Новая, 7"]]);
    expect(v2.progress).toEqual({ step: "D1" });
  });

  it("DECISIONS 28: an unsaved new version blocks nothing; once saved, the chain has an open version", async () => {
    const v1 = await c.included();
    const v2 = (await c.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    const f = await w.app.ports.store.applications.facts(v1, c.id("supplierAdmin"));
    expect(f?.snapshot).toMatchObject({ isLatestVersion: true, chainHasOpenVersion: false });
    // the reviewer can still start an exclusion of the included version; the new draft is invisible to others
    expect((await w.app.ports.store.applications.facts(v2, c.id("admin2")))?.snapshot.saved).toBe(false);
    await c.must("supplierAdmin", v2, "SAVE");
    const after = await w.app.ports.store.applications.facts(v1, c.id("supplierAdmin"));
    expect(after?.snapshot).toMatchObject({ isLatestVersion: false, chainHasOpenVersion: true });
    expect(await c.act("supplierAdmin", v1, "MAKE_CHANGES")).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "not_latest_version" }, { code: "chain_has_open_version" }],
    });
  });

  it("is refused to the head and writes nothing", async () => {
    const v1 = await c.included();
    const before = await w.prisma.application.count({ where: { previousId: v1 } });
    expect(await c.act("head", v1, "MAKE_CHANGES")).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "forbidden_role" }],
    });
    expect(await w.prisma.application.count({ where: { previousId: v1 } })).toBe(before);
  });
});

describe("T17: an included new version supersedes the earlier ones («Изменена»)", () => {
  it("the previous included version becomes «Изменена», with its own audit row; the chain lists both", async () => {
    const v1 = await c.included();
    const v2 = (await c.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    await c.must("supplierAdmin", v2, "SAVE");
    const form = await c.file("form-v2.pdf");
    await c.must("supplierAdmin", v2, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await c.must("supplierAdmin", v2, "SEND_TO_HEAD");
    await c.submit(await c.consent(v2));
    const old = await app(v1);
    await c.included(v2);
    const now = w.clock.now();
    expect(await app(v2)).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION" });
    expect(await app(v1)).toMatchObject({
      status: "CHANGED",
      decisionKind: "INCLUSION",
      version: old.version + 1,
      statusChangedAt: now,
      decidedAt: old.decidedAt,
    });
    const sup = await w.prisma.auditEvent.findMany({ where: { applicationId: v1, action: "SUPERSEDED" } });
    expect(sup).toHaveLength(1);
    expect(sup[0]).toMatchObject({
      fromStatus: "INCLUDED",
      toStatus: "CHANGED",
      actorId: c.id("approver"),
      at: now,
      changes: { byApplicationId: v2 },
    });
    const chain = await w.app.ports.store.queues.versions(old.chainId, c.id("supplierAdmin"));
    expect(JSON.stringify(chain)).toContain(v1);
  });

  it("DECISIONS 11: a rejected new version leaves the included one «Включен в БД»; a later inclusion supersedes both", async () => {
    const v1 = await c.included();
    const v2 = (await c.must("supplierAdmin", v1, "MAKE_CHANGES")).newApplicationId!;
    await c.must("supplierAdmin", v2, "SAVE");
    const form = await c.file("form-v2.pdf");
    await c.must("supplierAdmin", v2, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    await c.must("supplierAdmin", v2, "SEND_TO_HEAD");
    await c.submit(await c.consent(v2));
    await c.rejected(v2);
    expect([(await app(v1)).status, (await app(v2)).status]).toEqual(["INCLUDED", "REJECTED"]);
    // the rejected newest version may be changed again
    const v3 = (await c.must("supplierAdmin", v2, "MAKE_CHANGES")).newApplicationId!;
    expect((await app(v3)).versionNo).toBe(3);
    await c.must("supplierAdmin", v3, "SAVE");
    const f3 = await c.file("form-v3.pdf");
    await c.must("supplierAdmin", v3, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: f3.id },
    });
    await c.must("supplierAdmin", v3, "SEND_TO_HEAD");
    await c.submit(await c.consent(v3));
    await c.included(v3);
    expect([(await app(v1)).status, (await app(v2)).status, (await app(v3)).status]).toEqual([
      "CHANGED",
      "CHANGED",
      "INCLUDED",
    ]);
    expect(
      await w.prisma.auditEvent.count({ where: { action: "SUPERSEDED", applicationId: { in: [v1, v2] } } }),
    ).toBe(2);
  });
});
