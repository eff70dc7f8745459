// Who is who: the role checks of the transition table (`Who`) and the same facts over a user's memberships
// (menus, commands, lists). G1 «Поставщик» + «Администратор организации» of the same organisation is written
// here once.
import type { AppSnapshot } from "./contracts.ts";
import type { Who } from "./transitions.ts";
import type { Actor, OrgRole, StaffRole } from "./types.ts";

export function actorIs(who: Who, app: Pick<AppSnapshot, "authorId">, actor: Actor): boolean {
  switch (who) {
    case "SUPPLIER_ADMIN":
      return actor.orgRoles.includes("SUPPLIER") && actor.orgRoles.includes("ORG_ADMIN");
    case "AUTHOR":
      return actor.userId === app.authorId && actor.orgRoles.length > 0;
    case "SUPPLIER":
      return actor.orgRoles.includes("SUPPLIER");
    case "HEAD":
      return actor.orgRoles.includes("HEAD");
    case "SIGNER":
      return actor.orgRoles.includes("HEAD") || actor.orgRoles.includes("HEAD_ATTORNEY");
    case "REVIEWER":
      return actor.staffRoles.includes("REVIEWER");
    case "CHECKER":
      return actor.staffRoles.includes("CHECKER");
    case "APPROVER":
      return actor.staffRoles.includes("APPROVER");
  }
}

/** A user's memberships, as read with the user at the start of an update. */
export interface Memberships {
  org: readonly { orgId: string; role: OrgRole }[];
  staff: readonly { branchId: string; role: StaffRole }[];
}

export const NO_MEMBERSHIPS: Memberships = { org: [], staff: [] };

/** The actor of a user inside one organisation (T1, lists) — no staff roles. */
export function actorInOrg(userId: string, m: Memberships, orgId: string): Actor {
  const orgRoles = [...new Set(m.org.filter((r) => r.orgId === orgId).map((r) => r.role))].sort();
  return { userId, orgRoles, staffRoles: [] };
}

/** Organisations where the user is «Поставщик» + «Администратор организации» (G1), in membership order. */
export function supplierAdminOrgs(m: Memberships): string[] {
  const orgs = [...new Set(m.org.map((r) => r.orgId))];
  return orgs.filter((o) =>
    actorIs(
      "SUPPLIER_ADMIN",
      { authorId: "" },
      { userId: "", orgRoles: m.org.filter((r) => r.orgId === o).map((r) => r.role), staffRoles: [] },
    ),
  );
}

export const isSupplierAdmin = (m: Memberships): boolean => supplierAdminOrgs(m).length > 0;
export const isSigner = (m: Memberships): boolean =>
  m.org.some((r) => r.role === "HEAD" || r.role === "HEAD_ATTORNEY");
export const isSupplierSide = (m: Memberships): boolean => m.org.length > 0;
export const isStaff = (m: Memberships): boolean => m.staff.length > 0;
export const staffRolesOf = (m: Memberships): StaffRole[] => [...new Set(m.staff.map((s) => s.role))];
export const hasStaffRole = (m: Memberships, role: StaffRole): boolean =>
  m.staff.some((s) => s.role === role);
/** Organisations the user belongs to (any role). */
export const orgIdsOf = (m: Memberships): string[] => [...new Set(m.org.map((r) => r.orgId))];
/** Organisations where the user signs (head or attorney). */
export const signerOrgIds = (m: Memberships): string[] => [
  ...new Set(m.org.filter((r) => r.role === "HEAD" || r.role === "HEAD_ATTORNEY").map((r) => r.orgId)),
];
