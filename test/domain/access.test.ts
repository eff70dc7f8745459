// domain/access.ts (who is who: G1 supplier-admin, signer, staff) and domain/drafts.ts (the draft's patch).
import { describe, expect, it } from "vitest";
import {
  actorInOrg,
  actorIs,
  hasStaffRole,
  isSigner,
  isStaff,
  isSupplierAdmin,
  isSupplierSide,
  type Memberships,
  NO_MEMBERSHIPS,
  orgIdsOf,
  signerOrgIds,
  staffRolesOf,
  supplierAdminOrgs,
} from "../../domain/access.ts";
import {
  type BaseInput,
  changedFields,
  isContentPatch,
  normaliseBase,
  refreshBases,
} from "../../domain/drafts.ts";
import type { Who } from "../../domain/transitions.ts";
import { A, type ActorName } from "./fixtures.ts";

describe("actorIs: the roles of the transition table", () => {
  const app = { authorId: A.author.userId };
  const table: Record<Who, ActorName[]> = {
    SUPPLIER_ADMIN: ["author", "admin2", "soleTrader"],
    AUTHOR: ["author"],
    SUPPLIER: ["author", "admin2", "supplierOnly", "soleTrader"],
    HEAD: ["head", "soleTrader"],
    SIGNER: ["head", "attorney", "soleTrader"],
    REVIEWER: ["reviewer", "reviewer2"],
    CHECKER: ["checker", "checker2"],
    APPROVER: ["approver", "approver2"],
  };
  for (const [who, names] of Object.entries(table) as [Who, ActorName[]][])
    it(`${who}: ${names.join(", ")}`, () => {
      const got = (Object.keys(A) as ActorName[]).filter((n) => actorIs(who, app, A[n]));
      expect(got.sort()).toEqual([...names].sort());
    });

  it("AUTHOR: the creator only while they still hold a role in the organisation", () => {
    expect(actorIs("AUTHOR", app, { userId: A.author.userId, orgRoles: [], staffRoles: [] })).toBe(false);
    expect(actorIs("AUTHOR", app, { userId: A.author.userId, orgRoles: ["SUPPLIER"], staffRoles: [] })).toBe(
      true,
    );
  });
});

describe("memberships", () => {
  const m: Memberships = {
    org: [
      { orgId: "o1", role: "SUPPLIER" },
      { orgId: "o2", role: "SUPPLIER" },
      { orgId: "o2", role: "ORG_ADMIN" },
      { orgId: "o3", role: "HEAD_ATTORNEY" },
      { orgId: "o1", role: "ORG_ADMIN" },
    ],
    staff: [
      { branchId: "BR-ASTANA", role: "CHECKER" },
      { branchId: "BR-ABAI", role: "CHECKER" },
    ],
  };

  it("G1: «Поставщик» and «Администратор организации» of the same organisation, in membership order", () => {
    expect(supplierAdminOrgs(m)).toEqual(["o1", "o2"]);
    expect(isSupplierAdmin(m)).toBe(true);
    expect(
      supplierAdminOrgs({
        org: [
          { orgId: "a", role: "SUPPLIER" },
          { orgId: "b", role: "ORG_ADMIN" },
        ],
        staff: [],
      }),
    ).toEqual([]);
  });

  it("signers, staff roles and organisations", () => {
    expect(isSigner(m)).toBe(true);
    expect(signerOrgIds(m)).toEqual(["o3"]);
    expect(isSupplierSide(m)).toBe(true);
    expect(isStaff(m)).toBe(true);
    expect(staffRolesOf(m)).toEqual(["CHECKER"]);
    expect(hasStaffRole(m, "CHECKER")).toBe(true);
    expect(hasStaffRole(m, "APPROVER")).toBe(false);
    expect(orgIdsOf(m)).toEqual(["o1", "o2", "o3"]);
    expect([isSigner, isStaff, isSupplierSide, isSupplierAdmin].map((f) => f(NO_MEMBERSHIPS))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("actorInOrg: the user's roles in one organisation, sorted, without staff roles", () => {
    expect(actorInOrg("u", m, "o1")).toEqual({
      userId: "u",
      orgRoles: ["ORG_ADMIN", "SUPPLIER"],
      staffRoles: [],
    });
    expect(actorInOrg("u", m, "o9")).toEqual({ userId: "u", orgRoles: [], staffRoles: [] });
  });
});

describe("domain/drafts.ts", () => {
  it("isContentPatch: the wizard's position alone is not content", () => {
    expect(isContentPatch({ progress: { step: "A_OWN" } })).toBe(false);
    expect(isContentPatch({})).toBe(false);
    expect(isContentPatch({ regionCode: undefined, progress: 1 })).toBe(false);
    expect(isContentPatch({ regionCode: null })).toBe(true);
    expect(isContentPatch({ bases: [] })).toBe(true);
  });

  it("changedFields: only the fields that differ, with their old and new values", () => {
    const before = {
      asSupplier: true,
      supplierSubtypes: ["A"],
      regionCode: "ASTANA",
      bases: [{ address: "x", subtypes: ["A"] }],
      licenceIds: ["l2", "l1"],
      documents: [{ kind: "REGISTRATION", fileId: "f1" }],
    };
    expect(
      changedFields(before, {
        asSupplier: true,
        supplierSubtypes: ["A", "B"],
        regionCode: "ASTANA",
        bases: [{ address: "x", subtypes: ["A"] }],
        licenceIds: ["l1", "l2", "l1"],
        documents: [
          { kind: "REGISTRATION", fileIds: ["f1"] },
          { kind: "POWER_OF_ATTORNEY", fileIds: ["f3"] },
        ],
        progress: { step: "D3" },
      }),
    ).toEqual({
      supplierSubtypes: { from: ["A"], to: ["A", "B"] },
      "documents.POWER_OF_ATTORNEY": { from: [], to: ["f3"] },
    });
    expect(Object.keys(changedFields(before, { bases: [{ address: "y" }], licenceIds: ["l3"] }))).toEqual([
      "bases",
      "licenceIds",
    ]);
  });

  it("normaliseBase fills every field; refreshBases keeps what the old version knew per address (T20)", () => {
    expect(normaliseBase({ address: "a" })).toEqual({
      address: "a",
      latitude: null,
      longitude: null,
      katoCode: null,
      sesFileId: null,
      subtypes: [],
      coordsConfirmed: null,
    });
    const old: BaseInput[] = [
      { address: "г. Астана, ул. Абая, 1", katoCode: "711210000", sesFileId: "s1", subtypes: ["P"] },
    ];
    expect(refreshBases(old, [" Г. АСТАНА, УЛ. АБАЯ, 1 ", "г. Астана, ул. Новая, 2"])).toEqual([
      { address: " Г. АСТАНА, УЛ. АБАЯ, 1 ", katoCode: "711210000", sesFileId: "s1", subtypes: ["P"] },
      { address: "г. Астана, ул. Новая, 2" },
    ]);
  });
});
