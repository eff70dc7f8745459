// People and roles: the user behind a Telegram account with their memberships and their chat state (ONE
// statement on the hot path), languages and names, one-time invites (deep link `/start <code>`).
import { randomBytes } from "node:crypto";
import type { Memberships } from "../../domain/access.ts";
import type { OrgRole, StaffRole } from "../../domain/types.ts";
import type { Db, PrismaClient } from "./db.ts";

export interface UserRef {
  id: string;
  telegramId: bigint;
  language: string | null;
  fullName: string | null;
}

export interface PersonContext {
  user: UserRef;
  memberships: Memberships;
  /** The stored session and open prompt of this person in this chat (null: none yet). */
  session: unknown;
  prompt: unknown;
}

/** The user, their roles and their chat state, in one statement; null on first contact. */
export async function personContext(db: Db, telegramId: bigint, key: string): Promise<PersonContext | null> {
  const rows = await db.$queryRaw<
    (UserRef & { org: Memberships["org"]; staff: Memberships["staff"]; session: unknown; prompt: unknown })[]
  >`
    SELECT u.id, u."telegramId", u.language, u."fullName",
      COALESCE((SELECT json_agg(json_build_object('orgId', m."orgId", 'role', m.role) ORDER BY m."createdAt")
                  FROM "OrgMembership" m WHERE m."userId" = u.id), '[]'::json) AS org,
      COALESCE((SELECT json_agg(json_build_object('branchId', s."branchId", 'role', s.role) ORDER BY s."createdAt")
                  FROM "StaffMembership" s WHERE s."userId" = u.id), '[]'::json) AS staff,
      c.session, c.prompt
    FROM "User" u LEFT JOIN "ChatState" c ON c.key = ${key}
    WHERE u."telegramId" = ${telegramId}`;
  const r = rows[0];
  if (!r) return null;
  return {
    user: { id: r.id, telegramId: BigInt(r.telegramId), language: r.language, fullName: r.fullName },
    memberships: { org: r.org, staff: r.staff },
    session: r.session,
    prompt: r.prompt,
  };
}

/** First contact: the user row (created once, whoever is first). */
export async function ensureUser(db: Db, telegramId: bigint, username: string | null): Promise<UserRef> {
  const rows = await db.$queryRaw<UserRef[]>`
    INSERT INTO "User" (id, "telegramId", username, "createdAt") VALUES (gen_random_uuid()::text, ${telegramId}, ${username}, now())
    ON CONFLICT ("telegramId") DO UPDATE SET username = COALESCE(EXCLUDED.username, "User".username)
    RETURNING id, "telegramId", language, "fullName"`;
  const r = rows[0]!;
  return { ...r, telegramId: BigInt(r.telegramId) };
}

export async function memberships(db: Db, userId: string): Promise<Memberships> {
  const rows = await db.$queryRaw<{ org: Memberships["org"]; staff: Memberships["staff"] }[]>`
    SELECT COALESCE((SELECT json_agg(json_build_object('orgId', m."orgId", 'role', m.role) ORDER BY m."createdAt")
                       FROM "OrgMembership" m WHERE m."userId" = ${userId}), '[]'::json) AS org,
           COALESCE((SELECT json_agg(json_build_object('branchId', s."branchId", 'role', s.role) ORDER BY s."createdAt")
                       FROM "StaffMembership" s WHERE s."userId" = ${userId}), '[]'::json) AS staff`;
  return rows[0] ?? { org: [], staff: [] };
}

export async function setLanguage(db: Db, userId: string, language: "kk" | "ru"): Promise<void> {
  await db.$executeRaw`UPDATE "User" SET language = ${language} WHERE id = ${userId}`;
}

export async function setFullName(db: Db, userId: string, fullName: string): Promise<void> {
  await db.$executeRaw`UPDATE "User" SET "fullName" = ${fullName} WHERE id = ${userId}`;
}

/** Write the session (and/or the open prompt) of a person in a chat. `undefined` leaves a part unchanged. */
export async function saveChatState(
  db: Db,
  key: string,
  userId: string | null,
  state: { session?: unknown; prompt?: unknown },
): Promise<void> {
  const session = state.session === undefined ? null : JSON.stringify(state.session);
  const prompt = state.prompt === undefined ? null : JSON.stringify(state.prompt);
  await db.$executeRaw`
    INSERT INTO "ChatState" (key, "userId", session, prompt, "updatedAt")
    VALUES (${key}, ${userId}, ${session}::jsonb, ${prompt}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET
      session = CASE WHEN ${state.session !== undefined}::boolean THEN EXCLUDED.session ELSE "ChatState".session END,
      prompt = CASE WHEN ${state.prompt !== undefined}::boolean THEN EXCLUDED.prompt ELSE "ChatState".prompt END,
      "userId" = COALESCE(EXCLUDED."userId", "ChatState"."userId"),
      "updatedAt" = now()`;
}

// ───────────── invites ─────────────

export const DEFAULT_INVITE_TTL_MS = 7 * 24 * 3600_000;

/** A code that fits a `/start` deep-link payload ([A-Za-z0-9_-], ≤ 64). */
export const newInviteCode = (): string => randomBytes(12).toString("base64url");

export interface CreateInviteArgs {
  orgId?: string | null;
  branchId?: string | null;
  orgRoles?: OrgRole[];
  staffRoles?: StaffRole[];
  fullName?: string | null;
  now: Date;
  ttlMs?: number;
  code?: string;
}

export async function createInvite(db: Db, args: CreateInviteArgs) {
  const orgRoles = [...new Set(args.orgRoles ?? [])];
  const staffRoles = [...new Set(args.staffRoles ?? [])];
  if (orgRoles.length && !args.orgId) throw new Error("createInvite: organisation roles need orgId");
  if (staffRoles.length && !args.branchId) throw new Error("createInvite: branch roles need branchId");
  if (!orgRoles.length && !staffRoles.length) throw new Error("createInvite: no roles");
  return db.invite.create({
    data: {
      code: args.code ?? newInviteCode(),
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
      org: { id: string; bin: string; nameKk: string; nameRu: string } | null;
      branch: { id: string; nameKk: string; nameRu: string } | null;
      orgRoles: OrgRole[];
      staffRoles: StaffRole[];
      /** The name the invite carried (set on the user when they had none). */
      fullName: string | null;
    }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/**
 * Redeem once, atomically: `UPDATE … WHERE code AND usedAt IS NULL AND expiresAt > now` marks it used and the
 * roles are granted in the same transaction (two concurrent redeems: exactly one wins).
 */
export async function redeemInvite(
  prisma: PrismaClient,
  code: string,
  userId: string,
  now: Date,
): Promise<RedeemResult> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.invite.updateMany({
      where: { code, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedByUserId: userId },
    });
    const inv = await tx.invite.findUnique({
      where: { code },
      include: {
        org: { select: { id: true, bin: true, nameKk: true, nameRu: true } },
        branch: { select: { id: true, nameKk: true, nameRu: true } },
      },
    });
    if (claimed.count !== 1 || !inv) {
      if (!inv) return { ok: false as const, reason: "unknown" as const };
      return { ok: false as const, reason: inv.usedAt ? ("used" as const) : ("expired" as const) };
    }
    const orgRoles = inv.orgRoles as OrgRole[];
    const staffRoles = inv.staffRoles as StaffRole[];
    if (inv.orgId && orgRoles.length)
      await tx.orgMembership.createMany({
        data: orgRoles.map((role) => ({ userId, orgId: inv.orgId!, role })),
        skipDuplicates: true,
      });
    if (inv.branchId && staffRoles.length)
      await tx.staffMembership.createMany({
        data: staffRoles.map((role) => ({ userId, branchId: inv.branchId!, role })),
        skipDuplicates: true,
      });
    if (inv.fullName)
      await tx.user.updateMany({ where: { id: userId, fullName: null }, data: { fullName: inv.fullName } });
    return {
      ok: true as const,
      org: inv.org,
      branch: inv.branch,
      orgRoles,
      staffRoles,
      fullName: inv.fullName,
    };
  });
}

/** The checkers of the application's branch other than `exceptUserId` (a reviewer never chooses themself). */
export async function branchCheckers(db: Db, applicationId: string, exceptUserId: string) {
  return db.$queryRaw<{ id: string; name: string }[]>`
    SELECT u.id, COALESCE(u."fullName", u.username, left(u.id, 8)) AS name
      FROM "Application" a JOIN "Branch" b ON b."regionCode" = a."regionCode"
      JOIN "StaffMembership" s ON s."branchId" = b.id AND s.role = 'CHECKER'
      JOIN "User" u ON u.id = s."userId"
     WHERE a.id = ${applicationId} AND u.id <> ${exceptUserId}
     ORDER BY s."createdAt"`;
}
