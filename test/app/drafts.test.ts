// T2 (EDIT) on real PostgreSQL: the patch is written as a difference to the draft as read — the bases updated in
// place, added and removed by position, licences and documents added and removed — in the decision's one
// statement, with one audit row naming the changed fields (none for a progress-only write), editSeq moving the
// form to stale; DECISIONS 25 and 28 end to end (only the author edits; an unsaved draft is the author's alone).
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

async function licence(number: string) {
  return w.prisma.licence.create({
    data: {
      orgId: c.orgId,
      holderBin: c.bin,
      number,
      issueDate: new Date("2022-01-10T00:00:00Z"),
      licensor: "Комитет медицинского и фармацевтического контроля",
      activityCode: "L60",
      category: "Лицензия на вид деятельности",
      type: "генеральная лицензия",
      status: "Действительный",
      fetchedAt: w.clock.now(),
    },
  });
}

const basesOf = (id: string) =>
  w.prisma.productionBase.findMany({ where: { applicationId: id }, orderBy: { position: "asc" } });
const editsOf = (id: string) =>
  w.prisma.auditEvent.findMany({ where: { applicationId: id, action: "EDIT" }, orderBy: { id: "asc" } });

describe("T2: the patch is written as a difference to the draft as read", () => {
  it("bases: unchanged rows are kept as they are, changed ones updated in place, extra ones removed, new ones added", async () => {
    const id = await c.draft("ASTANA", "supplierAdmin", {
      bases: [{ address: "ул. А, 1" }, { address: "ул. Б, 2" }, { address: "ул. В, 3" }],
    });
    const [a, b] = await basesOf(id);
    const r = await c.edit("supplierAdmin", id, {
      bases: [
        { address: "ул. А, 1" },
        {
          address: "ул. Б, 2",
          latitude: 51.1,
          longitude: 71.4,
          katoCode: "711210000",
          subtypes: ["PALLIATIVE"],
        },
      ],
    });
    expect(r.ok).toBe(true);
    const two = await basesOf(id);
    expect(two.map((x) => [x.id, x.position, x.address, x.latitude, x.katoCode, x.subtypes])).toEqual([
      [a!.id, 1, "ул. А, 1", null, null, []],
      [b!.id, 2, "ул. Б, 2", 51.1, "711210000", ["PALLIATIVE"]],
    ]);
    await c.edit("supplierAdmin", id, { bases: [{ address: "ул. А, 1" }, two[1]!, { address: "ул. Г, 4" }] });
    const three = await basesOf(id);
    expect(three.map((x) => [x.position, x.address])).toEqual([
      [1, "ул. А, 1"],
      [2, "ул. Б, 2"],
      [3, "ул. Г, 4"],
    ]);
    expect(three.slice(0, 2).map((x) => x.id)).toEqual([a!.id, b!.id]);
    const edits = await editsOf(id);
    expect(edits.map((e) => (e.changes as { fields: string[] }).fields)).toEqual([["bases"], ["bases"]]);
  });

  it("licences and documents: only the difference is removed and added; the rows kept are not rewritten", async () => {
    const [l1, l2, l3] = [await licence("L-1"), await licence("L-2"), await licence("L-3")];
    const [f1, f2, f3] = [await c.file("reg1.pdf"), await c.file("reg2.pdf"), await c.file("poa.pdf")];
    const id = await c.draft();
    await c.edit("supplierAdmin", id, {
      licenceIds: [l1.id, l2.id],
      documents: [{ kind: "REGISTRATION", fileIds: [f1.id] }],
    });
    const reg1 = await w.prisma.applicationDocument.findFirstOrThrow({
      where: { applicationId: id, fileId: f1.id },
    });
    const r = await c.edit("supplierAdmin", id, {
      licenceIds: [l2.id, l3.id],
      documents: [
        { kind: "REGISTRATION", fileIds: [f1.id, f2.id] },
        { kind: "POWER_OF_ATTORNEY", fileIds: [f3.id] },
      ],
    });
    expect(r.ok).toBe(true);
    const links = await w.prisma.applicationLicence.findMany({ where: { applicationId: id } });
    expect(links.map((l) => l.licenceId).sort()).toEqual([l2.id, l3.id].sort());
    const docs = await w.prisma.applicationDocument.findMany({
      where: { applicationId: id },
      orderBy: { createdAt: "asc" },
    });
    expect(docs.map((d) => `${d.kind}:${d.fileId}`).sort()).toEqual(
      [`REGISTRATION:${f1.id}`, `REGISTRATION:${f2.id}`, `POWER_OF_ATTORNEY:${f3.id}`].sort(),
    );
    expect(docs[0]).toEqual(reg1);
    expect(docs.filter((d) => d.kind === "REGISTRATION").map((d) => d.fileId)).toEqual([f1.id, f2.id]);
    const last = (await editsOf(id)).at(-1)!;
    expect((last.changes as { fields: string[] }).fields.sort()).toEqual(
      ["documents.POWER_OF_ATTORNEY", "documents.REGISTRATION", "licenceIds"].sort(),
    );
    expect((last.changes as { diff: Record<string, unknown> }).diff).toMatchObject({
      licenceIds: { from: [l1.id, l2.id].sort(), to: [l2.id, l3.id].sort() },
      "documents.REGISTRATION": { from: [f1.id], to: [f1.id, f2.id] },
    });
    // D3 removed again
    await c.edit("supplierAdmin", id, { documents: [{ kind: "POWER_OF_ATTORNEY", fileIds: [] }] });
    expect(
      await w.prisma.applicationDocument.count({ where: { applicationId: id, kind: "POWER_OF_ATTORNEY" } }),
    ).toBe(0);
  });

  it("scalar fields: one audit row with the changed fields and their values; the snapshot follows the region and D3", async () => {
    const id = await c.draft("ASTANA");
    const poa = await c.file("poa.pdf");
    const r = await c.edit("supplierAdmin", id, {
      regionCode: "ABAI",
      asCoExecutor: true,
      supplierSubtypes: ["PALLIATIVE"],
      documents: [{ kind: "POWER_OF_ATTORNEY", fileIds: [poa.id] }],
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const app = await w.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(app).toMatchObject({ regionCode: "ABAI", asCoExecutor: true, editSeq: 1 });
    const ev = (await editsOf(id)).at(-1)!;
    expect((ev.changes as { fields: string[] }).fields.sort()).toEqual([
      "asCoExecutor",
      "documents.POWER_OF_ATTORNEY",
      "regionCode",
    ]);
    expect((ev.changes as { diff: Record<string, unknown> }).diff).toMatchObject({
      regionCode: { from: "ASTANA", to: "ABAI" },
      asCoExecutor: { from: false, to: true },
    });
    const loaded = (await w.app.ports.store.applications.facts(id, c.id("supplierAdmin")))!.snapshot;
    expect(loaded).toMatchObject({ regionCode: "ABAI", hasPowerOfAttorney: true });
    expect(r.snapshot).toEqual(loaded);
  });

  it("a progress-only write moves the version but is not an edit: no audit row, the form stays current", async () => {
    const id = await c.formed();
    const before = await w.prisma.application.findUniqueOrThrow({ where: { id } });
    const r = await c.edit("supplierAdmin", id, { progress: { step: "D2" } });
    expect(r.ok).toBe(true);
    const after = await w.prisma.application.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({
      version: before.version + 1,
      editSeq: before.editSeq,
      progress: { step: "D2" },
    });
    expect(await editsOf(id)).toEqual([]);
    expect(r.ok && r.snapshot?.formState).toBe("current");
  });

  it("DECISIONS 26: an edit after the form makes it stale, and «Отправить на подписание» is refused until a new form", async () => {
    const id = await c.formed();
    await c.edit("supplierAdmin", id, { hasPharmacy: false });
    expect(await c.act("supplierAdmin", id, "SEND_TO_HEAD")).toMatchObject({
      ok: false,
      kind: "denied",
      errors: [{ code: "form_stale" }],
    });
    const form = await c.file("form-2.pdf");
    await c.must("supplierAdmin", id, "GENERATE_FORM", {
      document: { kind: "APPLICATION_FORM", fileId: form.id },
    });
    expect((await c.must("supplierAdmin", id, "SEND_TO_HEAD")).snapshot?.status).toBe("HEAD_APPROVAL");
  });

  it("a stale version writes nothing (the second of two edits drawn on the same version)", async () => {
    const id = await c.draft();
    const v = await c.version(id);
    expect(
      (await c.act("supplierAdmin", id, "EDIT", { patch: { asCoExecutor: true } }, { version: v })).ok,
    ).toBe(true);
    const r = await c.act("supplierAdmin", id, "EDIT", { patch: { hasPharmacy: true } }, { version: v });
    expect(r).toMatchObject({ ok: false, kind: "stale", unknownVersion: false, lastAction: "EDIT" });
    expect((await w.prisma.application.findUniqueOrThrow({ where: { id } })).hasPharmacy).toBeNull();
    expect(await editsOf(id)).toHaveLength(1);
  });
});

describe("DECISIONS 25 / 28 end to end", () => {
  it("a second supplier-admin's edit is refused (not_author) and writes nothing", async () => {
    const id = await c.saved();
    const before = await w.prisma.application.findUniqueOrThrow({ where: { id } });
    for (const who of ["admin2", "supplierOnly", "head"] as const)
      expect(await c.act(who, id, "EDIT", { patch: { asCoExecutor: true } }), who).toMatchObject({
        ok: false,
        kind: "denied",
        errors: [{ code: "not_author" }],
      });
    expect(await w.prisma.application.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it("an unsaved draft: another admin can neither delete it nor form it; its author deletes it and nobody is told", async () => {
    const id = await c.draft();
    expect(await c.act("admin2", id, "DELETE", { confirmed: true })).toMatchObject({
      ok: false,
      errors: [{ code: "not_author" }],
    });
    const r = await c.must("supplierAdmin", id, "DELETE", { confirmed: true });
    expect(r.decision.notify).toEqual([{ audience: "AUTHOR", kind: "status_changed" }]);
    expect(await w.prisma.outbox.count({ where: { applicationId: id } })).toBe(0);
    expect(
      (await w.prisma.auditEvent.findMany({ where: { chainId: id }, orderBy: { id: "asc" } })).map((e) => [
        e.action,
        e.applicationId,
      ]),
    ).toEqual([
      ["CREATE", null],
      ["DELETE", null],
    ]);
  });

  it("a saved draft deleted by another admin: the author and the heads are told", async () => {
    const id = await c.saved();
    await c.must("admin2", id, "DELETE", { confirmed: true });
    const told = await w.prisma.outbox.findMany({ where: { applicationId: id } });
    expect(told.map((o) => o.userId).sort()).toEqual(
      [c.id("supplierAdmin"), c.id("head"), c.id("attorney")].sort(),
    );
  });
});

describe("T2 without the draft as read", () => {
  it("app.act reads it itself: documents and bases are still replaced, not added beside the stored ones", async () => {
    const id = await c.draft("ASTANA", "supplierAdmin", {
      bases: [{ address: "ул. А, 1" }, { address: "ул. Б, 2" }],
    });
    const [f1, f2] = [await c.file("reg1.pdf"), await c.file("reg2.pdf")];
    await c.edit("supplierAdmin", id, { documents: [{ kind: "REGISTRATION", fileIds: [f1.id] }] });
    const patch = {
      documents: [{ kind: "REGISTRATION" as const, fileIds: [f2.id] }],
      bases: [{ address: "ул. А, 1" }],
    };
    expect((await c.act("supplierAdmin", id, "EDIT", { patch })).ok).toBe(true);
    const docs = await w.prisma.applicationDocument.findMany({ where: { applicationId: id } });
    expect(docs.map((d) => d.fileId)).toEqual([f2.id]);
    expect((await basesOf(id)).map((b) => b.address)).toEqual(["ул. А, 1"]);
  });
});
