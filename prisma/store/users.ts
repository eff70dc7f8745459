// People and roles: users by Telegram id, one-time invites (deep link `/start <code>`), and the role lookup
// that every action re-reads from the database (DECISIONS, identity).
import { randomBytes } from "node:crypto";
import type { Actor, OrgRole, StaffRole } from "../../domain/types.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

// ───────────── users ─────────────

/** Find or create the user of a Telegram account; refreshes the username / name when given. */
export async function ensureUser(
  db: Db,
  args: { telegramId: bigint | number; fullName?: string | null; username?: string | null },
) {
  const telegramId = BigInt(args.telegramId);
  const update: Prisma.UserUpdateInput = {};
  if (args.username !== undefined) update.username = args.username;
  return db.user.upsert({
    where: { telegramId },
    create: { telegramId, fullName: args.fullName ?? null, username: args.username ?? null },
    update,
  });
}

export function userByTelegramId(db: Db, telegramId: bigint | number) {
  return db.user.findUnique({ where: { telegramId: BigInt(telegramId) } });
}

export async function setLanguage(db: Db, userId: string, language: "kk" | "ru") {
  await db.user.update({ where: { id: userId }, data: { language } });
}

// ───────────── roles ─────────────

/**
 * The actor for an action on an application: the user's roles in the application's organisation and in
 * the Fund branch of the application's region, read now. null when the user or the application is unknown.
 */
export async function actorFor(db: Db, userId: string, applicationId: string): Promise<Actor | null> {
  const app = await db.application.findUnique({
    where: { id: applicationId },
    select: { orgId: true, regionCode: true },
  });
  if (!app) return null;
  return actorIn(db, userId, { orgId: app.orgId, regionCode: app.regionCode });
}

/** The actor in an organisation and/or region without an application (T1 create, queues). */
export async function actorIn(
  db: Db,
  userId: string,
  scope: { orgId?: string | null; regionCode?: string | null },
): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) return null;
  // Sequential: `db` may be a transaction (one connection).
  const org = scope.orgId
    ? await db.orgMembership.findMany({ where: { userId, orgId: scope.orgId }, select: { role: true } })
    : [];
  const staff = scope.regionCode
    ? await db.staffMembership.findMany({
        where: { userId, branch: { regionCode: scope.regionCode } },
        select: { role: true },
      })
    : [];
  return {
    userId,
    orgRoles: [...new Set(org.map((m) => m.role as OrgRole))].sort(),
    staffRoles: [...new Set(staff.map((m) => m.role as StaffRole))].sort(),
  };
}

/** All roles of a user: organisations and branches (menus, /start). */
export async function rolesOf(db: Db, userId: string) {
  const orgs = await db.orgMembership.findMany({
    where: { userId },
    include: { org: { select: { id: true, bin: true, nameKk: true, nameRu: true } } },
    orderBy: { createdAt: "asc" },
  });
  const branches = await db.staffMembership.findMany({
    where: { userId },
    include: { branch: { select: { id: true, regionCode: true, nameKk: true, nameRu: true } } },
    orderBy: { createdAt: "asc" },
  });
  return {
    orgs: orgs.map((m) => ({ org: m.org, role: m.role as OrgRole })),
    branches: branches.map((m) => ({ branch: m.branch, role: m.role as StaffRole })),
  };
}

/** Staff of the region's branch holding a role (e.g. the checkers a reviewer may choose). */
export async function branchStaff(db: Db, regionCode: string, role: StaffRole) {
  const rows = await db.staffMembership.findMany({
    where: { role, branch: { regionCode } },
    include: {
      user: { select: { id: true, telegramId: true, fullName: true, username: true, language: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.user);
}

/** Members of an organisation holding one of the roles (e.g. the heads). */
export async function orgMembers(db: Db, orgId: string, roles: OrgRole[]) {
  const rows = await db.orgMembership.findMany({
    where: { orgId, role: { in: roles } },
    include: {
      user: { select: { id: true, telegramId: true, fullName: true, username: true, language: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const seen = new Set<string>();
  return rows.map((r) => r.user).filter((u) => !seen.has(u.id) && seen.add(u.id));
}

// ───────────── invites ─────────────

export const DEFAULT_INVITE_TTL_MS = 7 * 24 * 3600_000;

/** A code that fits a `/start` deep-link payload ([A-Za-z0-9_-], ≤ 64). */
export function newInviteCode(): string {
  return randomBytes(12).toString("base64url");
}

export interface CreateInviteArgs {
  orgId?: string | null;
  branchId?: string | null;
  orgRoles?: OrgRole[];
  staffRoles?: StaffRole[];
  fullName?: string | null;
  now: Date;
  /** Default 7 days. */
  ttlMs?: number;
}

/** A one-time invite granting organisation and/or branch roles. */
export async function createInvite(db: Db, args: CreateInviteArgs) {
  const orgRoles = [...new Set(args.orgRoles ?? [])];
  const staffRoles = [...new Set(args.staffRoles ?? [])];
  if (orgRoles.length && !args.orgId) throw new Error("createInvite: organisation roles need orgId");
  if (staffRoles.length && !args.branchId) throw new Error("createInvite: branch roles need branchId");
  if (!orgRoles.length && !staffRoles.length) throw new Error("createInvite: no roles");
  return db.invite.create({
    data: {
      code: newInviteCode(),
      orgId: args.orgId ?? null,
      branchId: args.branchId ?? null,
      orgRoles,
      staffRoles,
      fullName: args.fullName ?? null,
      expiresAt: new Date(args.now.getTime() + (args.ttlMs ?? DEFAULT_INVITE_TTL_MS)),
      createdAt: args.now,
    },
  });
}

export type RedeemResult =
  | {
      ok: true;
      inviteId: string;
      orgId: string | null;
      branchId: string | null;
      orgRoles: OrgRole[];
      staffRoles: StaffRole[];
    }
  | { ok: false; reason: "not_found" | "used" | "expired" };

/**
 * Redeem once, atomically: `UPDATE … WHERE code AND usedAt IS NULL AND expiresAt > now` marks it used and
 * the roles are granted in the same transaction (two concurrent redeems: exactly one wins).
 */
export async function redeemInvite(
  prisma: PrismaClient,
  args: { code: string; userId: string; now: Date },
): Promise<RedeemResult> {
  const code = args.code.trim();
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.invite.updateMany({
      where: { code, usedAt: null, expiresAt: { gt: args.now } },
      data: { usedAt: args.now, usedByUserId: args.userId },
    });
    const inv = await tx.invite.findUnique({ where: { code } });
    if (claimed.count !== 1 || !inv) {
      if (!inv) return { ok: false as const, reason: "not_found" as const };
      if (inv.usedAt) return { ok: false as const, reason: "used" as const };
      return { ok: false as const, reason: "expired" as const };
    }
    const orgRoles = inv.orgRoles as OrgRole[];
    const staffRoles = inv.staffRoles as StaffRole[];
    if (inv.orgId && orgRoles.length) {
      await tx.orgMembership.createMany({
        data: orgRoles.map((role) => ({ userId: args.userId, orgId: inv.orgId!, role })),
        skipDuplicates: true,
      });
    }
    if (inv.branchId && staffRoles.length) {
      await tx.staffMembership.createMany({
        data: staffRoles.map((role) => ({ userId: args.userId, branchId: inv.branchId!, role })),
        skipDuplicates: true,
      });
    }
    if (inv.fullName) {
      await tx.user.updateMany({
        where: { id: args.userId, fullName: null },
        data: { fullName: inv.fullName },
      });
    }
    return {
      ok: true as const,
      inviteId: inv.id,
      orgId: inv.orgId,
      branchId: inv.branchId,
      orgRoles,
      staffRoles,
    };
  });
}
