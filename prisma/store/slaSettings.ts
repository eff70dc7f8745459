// A branch's stage deadlines (working days) and digest settings, a staff member's morning digest, and the
// append-only audit of every change (SettingChange: who, when, old → new). The rules are domain/sla.ts.
import {
  type BranchDigestSchedule,
  DEFAULT_BRANCH_DIGEST,
  DEFAULT_STAFF_DIGEST,
  SLA_STAGES,
  type SlaStage,
  type StageThresholds,
  type StaffDigestSchedule,
  validateBranchDigest,
  validateStaffDigest,
  validateThreshold,
} from "../../domain/sla.ts";
import { fail, ok, type Result } from "../../domain/types.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 } as const;

/** Run `fn` in a transaction unless `db` already is one. */
async function inTx<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  if ("$transaction" in db) return (db as PrismaClient).$transaction(fn, TX_OPTIONS);
  return fn(db as Prisma.TransactionClient);
}

// ───────────── thresholds ─────────────

/** The branch's deadline per stage; a stage without a row uses the branch's escalationDays. null: no such branch. */
export async function stageThresholds(db: Db, branchId: string): Promise<StageThresholds | null> {
  const b = await db.branch.findUnique({
    where: { id: branchId },
    select: { escalationDays: true, stageThresholds: { select: { stage: true, days: true } } },
  });
  if (!b) return null;
  const out = Object.fromEntries(SLA_STAGES.map((s) => [s, b.escalationDays])) as Record<SlaStage, number>;
  for (const t of b.stageThresholds) out[t.stage] = t.days;
  return out;
}

/** The thresholds of the branch of a region (the supplier's card knows the region, not the branch). */
export async function stageThresholdsOfRegion(db: Db, regionCode: string): Promise<StageThresholds | null> {
  const b = await db.branch.findUnique({ where: { regionCode }, select: { id: true } });
  return b ? stageThresholds(db, b.id) : null;
}

export interface SettingChanged<T> {
  /** false when the value was already the same (nothing written, no audit row). */
  changed: boolean;
  from: T;
  to: T;
}

/**
 * Set one stage's deadline, audited in the same transaction. Errors: the domain's validation codes
 * (sla_stage_unknown, sla_threshold_invalid) and "not_found" for an unknown branch. The caller checks that the
 * actor is a MANAGER of the branch.
 */
export async function setStageThreshold(
  db: Db,
  args: { branchId: string; stage: SlaStage; days: number; actorId: string | null; now: Date },
): Promise<Result<SettingChanged<number>>> {
  const errors = validateThreshold(args.stage, args.days);
  if (errors.length) return fail(...errors);
  return inTx(db, async (tx) => {
    // Lock the branch row so two managers' changes are audited in the order they were applied.
    const locked = await tx.$queryRaw<{ escalationDays: number }[]>`
      SELECT "escalationDays" FROM "Branch" WHERE id = ${args.branchId} FOR UPDATE`;
    if (!locked[0]) return fail({ code: "not_found", field: "branchId" });
    const row = await tx.branchStageThreshold.findUnique({
      where: { branchId_stage: { branchId: args.branchId, stage: args.stage } },
      select: { days: true },
    });
    const from = row?.days ?? locked[0].escalationDays;
    if (from === args.days) return ok({ changed: false, from, to: args.days });
    await tx.branchStageThreshold.upsert({
      where: { branchId_stage: { branchId: args.branchId, stage: args.stage } },
      create: {
        branchId: args.branchId,
        stage: args.stage,
        days: args.days,
        updatedAt: args.now,
        updatedById: args.actorId,
      },
      update: { days: args.days, updatedAt: args.now, updatedById: args.actorId },
    });
    await tx.settingChange.create({
      data: {
        key: "sla_threshold",
        branchId: args.branchId,
        stage: args.stage,
        oldValue: { days: from },
        newValue: { days: args.days },
        actorId: args.actorId,
        at: args.now,
      },
    });
    return ok({ changed: true, from, to: args.days });
  });
}

export interface SettingChangeRow {
  id: bigint;
  key: string;
  branchId: string | null;
  userId: string | null;
  stage: SlaStage | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  actorName: string | null;
  at: Date;
}

/** The branch's settings history, newest first (thresholds and digest), with the actor's name. */
export async function settingHistory(db: Db, branchId: string, limit = 20): Promise<SettingChangeRow[]> {
  return db.$queryRaw<SettingChangeRow[]>`
    SELECT c.id, c.key, c."branchId", c."userId", c.stage::text AS stage, c."oldValue", c."newValue", c."actorId",
           u."fullName" AS "actorName", c.at
      FROM "SettingChange" c LEFT JOIN "User" u ON u.id = c."actorId"
     WHERE c."branchId" = ${branchId}
     ORDER BY c.at DESC, c.id DESC
     LIMIT ${limit}`;
}

// ───────────── digests ─────────────

export async function branchDigestSetting(db: Db, branchId: string): Promise<BranchDigestSchedule> {
  const s = await db.branchDigestSetting.findUnique({
    where: { branchId },
    select: { weekday: true, minute: true, enabled: true },
  });
  return s ?? { ...DEFAULT_BRANCH_DIGEST };
}

/** Set when the branch's weekly digest is sent (audited). Errors: digest_weekday_invalid, digest_time_invalid. */
export async function setBranchDigest(
  db: Db,
  args: BranchDigestSchedule & { branchId: string; actorId: string | null; now: Date },
): Promise<Result<SettingChanged<BranchDigestSchedule>>> {
  const errors = validateBranchDigest(args);
  if (errors.length) return fail(...errors);
  const to: BranchDigestSchedule = { weekday: args.weekday, minute: args.minute, enabled: args.enabled };
  return inTx(db, async (tx) => {
    const from = await branchDigestSetting(tx, args.branchId);
    const same = from.weekday === to.weekday && from.minute === to.minute && from.enabled === to.enabled;
    if (same) return ok({ changed: false, from, to });
    await tx.branchDigestSetting.upsert({
      where: { branchId: args.branchId },
      create: { branchId: args.branchId, ...to, updatedAt: args.now, updatedById: args.actorId },
      update: { ...to, updatedAt: args.now, updatedById: args.actorId },
    });
    await tx.settingChange.create({
      data: {
        key: "branch_digest",
        branchId: args.branchId,
        oldValue: { ...from },
        newValue: { ...to },
        actorId: args.actorId,
        at: args.now,
      },
    });
    return ok({ changed: true, from, to });
  });
}

export async function staffDigestSetting(db: Db, userId: string): Promise<StaffDigestSchedule> {
  const s = await db.staffDigestSetting.findUnique({
    where: { userId },
    select: { enabled: true, hour: true },
  });
  return s ?? { ...DEFAULT_STAFF_DIGEST };
}

/** A staff member turns their morning digest on/off or moves its hour (audited). Error: digest_hour_invalid. */
export async function setStaffDigest(
  db: Db,
  args: StaffDigestSchedule & { userId: string; now: Date },
): Promise<Result<SettingChanged<StaffDigestSchedule>>> {
  const errors = validateStaffDigest(args);
  if (errors.length) return fail(...errors);
  const to: StaffDigestSchedule = { enabled: args.enabled, hour: args.hour };
  return inTx(db, async (tx) => {
    const from = await staffDigestSetting(tx, args.userId);
    if (from.enabled === to.enabled && from.hour === to.hour) return ok({ changed: false, from, to });
    await tx.staffDigestSetting.upsert({
      where: { userId: args.userId },
      create: { userId: args.userId, ...to, updatedAt: args.now },
      update: { ...to, updatedAt: args.now },
    });
    await tx.settingChange.create({
      data: {
        key: "staff_digest",
        userId: args.userId,
        oldValue: { ...from },
        newValue: { ...to },
        actorId: args.userId,
        at: args.now,
      },
    });
    return ok({ changed: true, from, to });
  });
}

export interface DigestRecipient {
  userId: string;
  telegramId: bigint;
  language: string | null;
}

/** Each branch with its digest schedule and its managers (the weekly digest's recipients). */
export async function branchDigestTargets(
  db: Db,
): Promise<
  { branchId: string; regionCode: string; schedule: BranchDigestSchedule; managers: DigestRecipient[] }[]
> {
  const branches = await db.branch.findMany({
    orderBy: { id: "asc" },
    select: {
      id: true,
      regionCode: true,
      digestSetting: { select: { weekday: true, minute: true, enabled: true } },
      staff: {
        where: { role: "MANAGER" },
        select: { user: { select: { id: true, telegramId: true, language: true } } },
      },
    },
  });
  return branches.map((b) => ({
    branchId: b.id,
    regionCode: b.regionCode,
    schedule: b.digestSetting ?? { ...DEFAULT_BRANCH_DIGEST },
    managers: b.staff.map((s) => ({
      userId: s.user.id,
      telegramId: s.user.telegramId,
      language: s.user.language,
    })),
  }));
}

/** Staff members who chose the morning digest, with their hour and their branches. */
export async function staffDigestSubscribers(
  db: Db,
): Promise<(DigestRecipient & { hour: number; branchIds: string[] })[]> {
  const rows = await db.staffDigestSetting.findMany({
    where: { enabled: true },
    select: {
      hour: true,
      user: {
        select: { id: true, telegramId: true, language: true, staffRoles: { select: { branchId: true } } },
      },
    },
  });
  return rows
    .filter((r) => r.user.staffRoles.length > 0)
    .map((r) => ({
      userId: r.user.id,
      telegramId: r.user.telegramId,
      language: r.user.language,
      hour: r.hour,
      branchIds: [...new Set(r.user.staffRoles.map((s) => s.branchId))],
    }));
}
