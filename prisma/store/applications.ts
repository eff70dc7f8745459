// The application store: implements the domain's repository port (domain/ports.ts) on PostgreSQL.
//
// Every state change is ONE transaction: the application row is locked and re-read, the pure state
// machine decides, the row is updated `WHERE id = $1 AND version = $2` (0 rows → "stale"), the notice /
// effects are applied, an append-only AuditEvent is written and the notifications are resolved to users
// and written as Outbox rows (eventKey `${applicationId}:${version}:${kind}`, unique per chat). All or nothing.
import { randomUUID } from "node:crypto";
import type { AppSnapshot, Audience, Decide, Decision, TransitionInput } from "../../domain/contracts.ts";
import type { ApplicationRepository, ApplyOutcome } from "../../domain/ports.ts";
import type { Action, Actor, DecisionKind, DomainError, Result, Status } from "../../domain/types.ts";
import { checkExclusionWait } from "../../domain/rules.ts";
import { OPEN_STATUSES } from "../../domain/types.ts";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";

export type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 } as const;

/** Final statuses set `decidedAt`. */
const FINAL: readonly Status[] = ["INCLUDED", "REJECTED", "EXCLUDED"];
/** Notification kinds whose messages carry staff buttons (they share a stage key). */
const STAGE_KINDS = new Set([
  "head_approval_requested",
  "new_for_review",
  "returned_for_review",
  "check_requested",
  "approval_requested",
]);

// ───────────── snapshot ─────────────

interface AppRow {
  id: string;
  chainId: string;
  versionNo: number;
  status: Status;
  decisionKind: DecisionKind | null;
  version: number;
  authorId: string;
  orgId: string;
  regionCode: string | null;
}

async function lockApplication(tx: Tx, id: string): Promise<AppRow | null> {
  const rows = await tx.$queryRaw<AppRow[]>`
    SELECT id, "chainId", "versionNo", status::text AS status, "decisionKind"::text AS "decisionKind",
           version, "authorId", "orgId", "regionCode"
      FROM "Application" WHERE id = ${id} FOR UPDATE`;
  return rows[0] ?? null;
}

/** The reviewer's current (not deleted) notice, newest first (as the snapshot reads it). */
export interface NoticeRow {
  id: string;
  kind: DecisionKind;
  reasons: string[];
  note: string | null;
  additionalGround: string | null;
  createdById: string;
  checkerIds: string[];
  sentAt: Date | null;
}

interface FactsRow extends AppRow {
  orgBin: string | null;
  orgNameKk: string | null;
  orgNameRu: string | null;
  actorName: string | null;
  nId: string | null;
  nKind: DecisionKind | null;
  nReasons: string[] | null;
  nNote: string | null;
  nAdditionalGround: string | null;
  nCreatedById: string | null;
  nCheckerIds: string[] | null;
  nSentAt: Date | null;
  checkedById: string | null;
  newer: boolean;
  openInChain: boolean;
  lastSend: bigint | null;
  lastConsent: bigint | null;
  formGenerated: boolean;
}

interface Facts {
  row: AppRow;
  snapshot: AppSnapshot;
  notice: NoticeRow | null;
  org: { bin: string; nameKk: string; nameRu: string } | null;
  actorName: string | null;
}

/**
 * Everything the state machine needs about one application (the row, its current notice, the chain and
 * audit facts), the organisation's names and optionally the actor's name, in ONE query. Inside a
 * transaction call it after `lockApplication`: a new statement sees everything committed before the lock.
 */
async function loadFacts(db: Db, id: string, actorId: string | null = null): Promise<Facts | null> {
  const rows = await db.$queryRaw<FactsRow[]>`
    SELECT a.id, a."chainId", a."versionNo", a.status::text AS status, a."decisionKind"::text AS "decisionKind",
           a.version, a."authorId", a."orgId", a."regionCode",
           o.bin AS "orgBin", o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu",
           (SELECT u."fullName" FROM "User" u WHERE u.id = ${actorId}::text) AS "actorName",
           n.id AS "nId", n.kind::text AS "nKind", n.reasons AS "nReasons", n.note AS "nNote",
           n."additionalGround" AS "nAdditionalGround", n."createdById" AS "nCreatedById",
           n."checkerIds" AS "nCheckerIds", n."sentAt" AS "nSentAt",
           (SELECT e."actorId" FROM "AuditEvent" e
             WHERE e."applicationId" = a.id AND e.action = 'CHECKER_CONFIRM' AND e.at >= n."sentAt"
             ORDER BY e.id DESC LIMIT 1) AS "checkedById",
           EXISTS (SELECT 1 FROM "Application" x
                    WHERE x."chainId" = a."chainId" AND x."versionNo" > a."versionNo") AS newer,
           EXISTS (SELECT 1 FROM "Application" x
                    WHERE x."chainId" = a."chainId" AND x.status::text = ANY(${[...OPEN_STATUSES]}::text[])) AS "openInChain",
           (SELECT e.id FROM "AuditEvent" e
             WHERE e."applicationId" = a.id AND e."toStatus" = 'HEAD_APPROVAL' AND e."fromStatus" <> 'HEAD_APPROVAL'
             ORDER BY e.id DESC LIMIT 1) AS "lastSend",
           (SELECT e.id FROM "AuditEvent" e
             WHERE e."applicationId" = a.id AND e.action = 'HEAD_SIGN_CONSENT'
             ORDER BY e.id DESC LIMIT 1) AS "lastConsent",
           EXISTS (SELECT 1 FROM "ApplicationDocument" d
                    WHERE d."applicationId" = a.id AND d.kind = 'APPLICATION_FORM') AS "formGenerated"
      FROM "Application" a
      LEFT JOIN "Organisation" o ON o.id = a."orgId"
      LEFT JOIN LATERAL (
        SELECT * FROM "Notice" nn WHERE nn."applicationId" = a.id AND nn."deletedAt" IS NULL
         ORDER BY nn."createdAt" DESC, nn.id DESC LIMIT 1) n ON true
     WHERE a.id = ${id}`;
  const f = rows[0];
  if (!f) return null;
  const row: AppRow = {
    id: f.id,
    chainId: f.chainId,
    versionNo: f.versionNo,
    status: f.status,
    decisionKind: f.decisionKind,
    version: f.version,
    authorId: f.authorId,
    orgId: f.orgId,
    regionCode: f.regionCode,
  };
  const notice: NoticeRow | null = f.nId
    ? {
        id: f.nId,
        kind: f.nKind as DecisionKind,
        reasons: f.nReasons ?? [],
        note: f.nNote,
        additionalGround: f.nAdditionalGround,
        createdById: f.nCreatedById ?? "",
        checkerIds: f.nCheckerIds ?? [],
        sentAt: f.nSentAt,
      }
    : null;
  const snapshot: AppSnapshot = {
    id: row.id,
    status: row.status,
    decisionKind: row.decisionKind,
    version: row.version,
    authorId: row.authorId,
    orgId: row.orgId,
    regionCode: row.regionCode,
    activeNotice: notice
      ? {
          kind: notice.kind,
          reasons: notice.reasons,
          createdById: notice.createdById,
          checkerIds: notice.checkerIds,
          checkedById: notice.sentAt ? f.checkedById : null,
        }
      : null,
    consentSigned:
      row.status === "HEAD_APPROVAL" &&
      f.lastConsent !== null &&
      (f.lastSend === null || BigInt(f.lastConsent) > BigInt(f.lastSend)),
    isLatestVersion: !f.newer,
    chainHasOpenVersion: f.openInChain,
    formGenerated: f.formGenerated,
  };
  const org =
    f.orgBin !== null ? { bin: f.orgBin, nameKk: f.orgNameKk ?? "", nameRu: f.orgNameRu ?? "" } : null;
  return { row, snapshot, notice, org, actorName: f.actorName };
}

/**
 * What the state machine needs about an application. With `forUpdate` (inside a transaction) the row
 * is locked until the transaction ends, so the snapshot cannot change under the caller.
 */
export async function loadSnapshot(
  db: Db,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AppSnapshot | null> {
  if (opts.forUpdate && !(await lockApplication(db as Tx, id))) return null;
  return (await loadFacts(db, id))?.snapshot ?? null;
}

/**
 * The actor of one application in one query: the application's organisation and region, the user's roles in
 * that organisation and in the region's branch (as `actorFor` of users.ts, which takes four). Null when the
 * application or the user does not exist.
 */
export async function actorForApplication(
  db: Db,
  userId: string,
  applicationId: string,
): Promise<Actor | null> {
  const rows = await db.$queryRaw<{ orgRoles: string[]; staffRoles: string[] }[]>`
    SELECT ARRAY(SELECT DISTINCT m.role::text FROM "OrgMembership" m
                  WHERE m."userId" = u.id AND m."orgId" = a."orgId" ORDER BY 1) AS "orgRoles",
           ARRAY(SELECT DISTINCT s.role::text FROM "StaffMembership" s JOIN "Branch" b ON b.id = s."branchId"
                  WHERE s."userId" = u.id AND b."regionCode" = a."regionCode" ORDER BY 1) AS "staffRoles"
      FROM "Application" a CROSS JOIN "User" u
     WHERE a.id = ${applicationId} AND u.id = ${userId}`;
  const r = rows[0];
  if (!r) return null;
  return {
    userId,
    orgRoles: [...(r.orgRoles as Actor["orgRoles"])].sort(),
    staffRoles: [...(r.staffRoles as Actor["staffRoles"])].sort(),
  };
}

// ───────────── "already decided by NAME at TIME" ─────────────

export interface LastDecision {
  userId: string | null;
  fullName: string | null;
  action: string | null;
  at: Date | null;
}

/** The latest audited action on the application (who and when), for stale buttons (DECISIONS 16). */
export async function lastDecision(db: Db, applicationId: string): Promise<LastDecision> {
  const ev = await db.auditEvent.findFirst({ where: { applicationId }, orderBy: { id: "desc" } });
  if (!ev) return { userId: null, fullName: null, action: null, at: null };
  const u = ev.actorId
    ? await db.user.findUnique({ where: { id: ev.actorId }, select: { fullName: true } })
    : null;
  return { userId: ev.actorId, fullName: u?.fullName ?? null, action: ev.action, at: ev.at };
}

// ───────────── applyTransition ─────────────

/** T20: what the new version gets instead of the copied data (licences and bases are refreshed). */
export interface NewVersionData {
  licenceIds?: string[];
  bases?: BaseInput[];
  /**
   * The production-base addresses of the refreshed licence appendices: the new version gets one base per
   * address, keeping what the old version knew about the same address (coordinates, КАТО, SES, subtypes).
   * Read under the transition's lock. Ignored when `bases` is given.
   */
  baseAddresses?: string[];
  progress?: Prisma.InputJsonValue | null;
  /** Author of the new version (default: the actor). */
  authorId?: string;
}

export interface ApplyTransitionArgs {
  applicationId: string;
  expectedVersion: number;
  action: Action;
  actor: Actor;
  input: TransitionInput;
  decide: Decide;
  now: Date;
  /** Facts the store cannot compute, added to the snapshot before `decide` (e.g. draftComplete). */
  snapshotExtras?: (snapshot: AppSnapshot, tx: Tx) => Promise<Partial<AppSnapshot>> | Partial<AppSnapshot>;
  /** T20: refreshed data for the new version. */
  newVersion?: NewVersionData;
  /**
   * Extra writes that must commit with the transition (e.g. the generated form of T4, a stored file).
   * Runs after the state, notice, audit and outbox writes; throwing rolls everything back.
   */
  also?: (tx: Tx, done: { decision: Decision; version: number; newApplicationId?: string }) => Promise<void>;
  /**
   * Close the step in the same transaction: every sent staff/head message whose step this decision ends gets
   * its "stage_closed" edit row (eventKey `close:<outbox id>`, as the worker's closeStaleStaffMessages writes).
   */
  closeStage?: boolean;
  /** Also return the snapshot after the transition (read inside the transaction, before the commit). */
  returnSnapshot?: boolean;
}

export type ApplyTransitionResult =
  | {
      ok: true;
      decision: Decision;
      applicationId: string;
      /** The application's version after the transition (for the next button). */
      version: number;
      /** T20: the new version in «Проект». */
      newApplicationId?: string;
      auditId: bigint;
      outboxIds: bigint[];
      /** With `returnSnapshot`: the application as it is after the transition (absent when deleted). */
      snapshot?: AppSnapshot;
      /** With `closeStage`: how many "stage_closed" rows were written. */
      closedMessages?: number;
    }
  | { ok: false; reason: "not_found" }
  | {
      ok: false;
      reason: "stale";
      currentVersion: number;
      status: Status;
      /** Who acted last and when ("already decided by NAME at TIME"). */
      decidedBy: { userId: string | null; fullName: string | null } | null;
      decidedAt: Date | null;
      lastAction: string | null;
    }
  | { ok: false; reason: "denied"; errors: DomainError[] };

class Abort extends Error {
  constructor(readonly result: ApplyTransitionResult) {
    super("transition aborted");
  }
}

async function staleResult(db: Db, applicationId: string): Promise<ApplyTransitionResult> {
  const a = await db.application.findUnique({
    where: { id: applicationId },
    select: { version: true, status: true },
  });
  if (!a) return { ok: false, reason: "not_found" };
  const last = await lastDecision(db, applicationId);
  return {
    ok: false,
    reason: "stale",
    currentVersion: a.version,
    status: a.status,
    decidedBy: last.userId || last.fullName ? { userId: last.userId, fullName: last.fullName } : null,
    decidedAt: last.at,
    lastAction: last.action,
  };
}

/**
 * Load → decide → write, in one transaction. Returns "stale" when `expectedVersion` is not the stored
 * version (someone acted first), "denied" with the state machine's errors, or the applied decision.
 */
export async function applyTransition(
  prisma: PrismaClient,
  args: ApplyTransitionArgs,
): Promise<ApplyTransitionResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const locked = await lockApplication(tx, args.applicationId);
      if (!locked) throw new Abort({ ok: false, reason: "not_found" });
      if (locked.version !== args.expectedVersion) throw new Abort(await staleResult(tx, args.applicationId));
      // One statement for the snapshot, the notice, the organisation and the actor's name (after the lock).
      const facts = await loadFacts(tx, args.applicationId, args.actor.userId);
      if (!facts) throw new Abort({ ok: false, reason: "not_found" });
      let snapshot = facts.snapshot;
      if (args.snapshotExtras) snapshot = { ...snapshot, ...(await args.snapshotExtras(snapshot, tx)) };
      const decided = args.decide(snapshot, args.action, args.actor, args.input);
      if (!decided.ok) throw new Abort({ ok: false, reason: "denied", errors: decided.errors });
      const result = await execute(tx, facts, decided.value, args);
      if (args.also && result.ok) {
        await args.also(tx, {
          decision: result.decision,
          version: result.version,
          newApplicationId: result.newApplicationId,
        });
      }
      if (result.ok && args.returnSnapshot && result.decision.to !== "DELETED") {
        const after = await loadFacts(tx, args.applicationId);
        if (after) result.snapshot = after.snapshot;
      }
      return result;
    }, TX_OPTIONS);
  } catch (e) {
    if (e instanceof Abort) return e.result;
    throw e;
  }
}

/** The port of domain/ports.ts: `load` + `apply` of an already decided transition (version-checked). */
export function createApplicationRepository(prisma: PrismaClient, clock: () => Date = () => new Date()) {
  const repo: ApplicationRepository = {
    load: (id) => loadSnapshot(prisma, id),
    async apply(id, expectedVersion, decision, actor, input): Promise<Result<ApplyOutcome>> {
      const r = await applyTransition(prisma, {
        applicationId: id,
        expectedVersion,
        action: decision.action,
        actor,
        input,
        now: clock(),
        // The decision was taken on a snapshot of `expectedVersion`; the version check makes it current.
        decide: (app) =>
          app.status === decision.from
            ? { ok: true, value: decision }
            : { ok: false, errors: [{ code: "version_conflict" }] },
      });
      if (r.ok) return { ok: true, value: { version: r.version, newApplicationId: r.newApplicationId } };
      if (r.reason === "not_found") return { ok: false, errors: [{ code: "not_found" }] };
      if (r.reason === "stale")
        return {
          ok: false,
          errors: [
            {
              code: "version_conflict",
              params: {
                decidedBy: r.decidedBy?.fullName ?? "",
                decidedAt: r.decidedAt?.toISOString() ?? "",
              },
            },
          ],
        };
      return { ok: false, errors: r.errors };
    },
  };
  return repo;
}

async function execute(
  tx: Tx,
  facts: Facts,
  d: Decision,
  args: ApplyTransitionArgs,
): Promise<ApplyTransitionResult & { ok: true }> {
  const { now, actor, input } = args;
  const { row, notice, org } = facts;
  const newVersion = row.version + 1;
  const changes: Record<string, unknown> = { transitionId: d.transitionId ?? null, version: newVersion };
  let checkerIds: string[] = [];

  // Chosen checkers must be checkers of the region's branch (the state machine cannot know roles).
  if (d.notice === "send") {
    checkerIds = [...new Set((input.checkerIds ?? []).map((s) => s.trim()).filter(Boolean))];
    const valid = await tx.staffMembership.findMany({
      where: { userId: { in: checkerIds }, role: "CHECKER", branch: { regionCode: row.regionCode ?? "" } },
      select: { userId: true },
    });
    const ok = new Set(valid.map((v) => v.userId));
    const bad = checkerIds.filter((id) => !ok.has(id));
    if (bad.length)
      throw new Abort({
        ok: false,
        reason: "denied",
        errors: bad.map((userId) => ({ code: "not_a_checker", field: "checkerIds", params: { userId } })),
      });
    changes.checkerIds = checkerIds;
  }

  // Who to tell, resolved before a deletion removes the row.
  const recipients = await resolveAudiences(tx, row, d, { actor, notice, checkerIds });
  const actorUser = { fullName: facts.actorName };

  // The audit row first (a deleted draft keeps it: the FK is SET NULL).
  if (input.additionalGround) changes.additionalGround = input.additionalGround;
  if (input.signature) changes.signature = input.signature;
  const audit = await tx.auditEvent.create({
    data: {
      applicationId: row.id,
      chainId: row.chainId,
      actorId: actor.userId,
      action: d.action,
      fromStatus: row.status,
      toStatus: d.to === "DELETED" ? null : d.to,
      decisionKind: d.decisionKind,
      reasons: input.reasons ?? [],
      note: input.reasonText?.trim() || input.note?.trim() || null,
      changes: changes as Prisma.InputJsonValue,
      at: now,
    },
    select: { id: true },
  });

  let newApplicationId: string | undefined;
  if (d.to === "DELETED") {
    const del = await tx.application.deleteMany({
      where: { id: row.id, version: row.version, status: "DRAFT" },
    });
    if (del.count !== 1) throw new Abort(await staleResult(tx, row.id));
  } else {
    const moved = d.to !== row.status;
    const data: Prisma.ApplicationUpdateManyMutationInput = {
      status: d.to,
      decisionKind: d.decisionKind,
      version: newVersion,
      updatedAt: now,
    };
    if (moved) data.statusChangedAt = now;
    if (d.action === "HEAD_SUBMIT") data.submittedAt = now;
    if (d.action === "HEAD_REJECT") data.headRejectReason = input.reasonText?.trim() ?? null;
    if (moved && FINAL.includes(d.to)) data.decidedAt = now;
    if (d.effects.recordExclusion) data.excludedAt = now;
    const upd = await tx.application.updateMany({ where: { id: row.id, version: row.version }, data });
    if (upd.count !== 1) throw new Abort(await staleResult(tx, row.id));

    // The reviewer's notice.
    if (d.notice === "create") {
      const kind = d.noticeKind ?? d.decisionKind;
      if (!kind) throw new Error(`decision ${d.action} creates a notice without a kind`);
      await tx.notice.create({
        data: {
          applicationId: row.id,
          kind,
          reasons: (input.reasons ?? []).filter((r) => r.trim() !== ""),
          note: input.note?.trim() || null,
          additionalGround: input.additionalGround?.trim() || null,
          createdById: actor.userId,
          createdAt: now,
        },
      });
    } else if (d.notice === "delete" || d.notice === "discard") {
      if (notice) await tx.notice.update({ where: { id: notice.id }, data: { deletedAt: now } });
    } else if (d.notice === "send") {
      if (!notice) throw new Error(`decision ${d.action} sends a notice that does not exist`);
      await tx.notice.update({ where: { id: notice.id }, data: { sentAt: now, checkerIds } });
    }

    // Signatures (T6 consent, T8 application, X7 exclusion notice).
    const signed =
      d.effects.signConsent || d.action === "HEAD_SIGN_CONSENT"
        ? "CONSENT"
        : d.action === "HEAD_SUBMIT"
          ? "APPLICATION"
          : d.action === "APPROVE_EXCLUSION"
            ? "EXCLUSION_NOTICE"
            : null;
    if (signed && input.signature) {
      await tx.signature.create({
        data: {
          applicationId: row.id,
          document: signed,
          sha256: input.signature.sha256.toLowerCase(),
          method: input.signature.method,
          signerId: actor.userId,
          signedAt: now,
        },
      });
    }

    // T17: the earlier included / rejected versions of the chain become «Изменена».
    if (d.effects.supersedePrevious) {
      const older = await tx.application.findMany({
        where: { chainId: row.chainId, id: { not: row.id }, status: { in: ["INCLUDED", "REJECTED"] } },
        select: { id: true, status: true, version: true, decisionKind: true },
      });
      for (const o of older) {
        await tx.application.update({
          where: { id: o.id },
          data: { status: "CHANGED", version: o.version + 1, statusChangedAt: now, updatedAt: now },
        });
        await tx.auditEvent.create({
          data: {
            applicationId: o.id,
            chainId: row.chainId,
            actorId: actor.userId,
            action: "SUPERSEDED",
            fromStatus: o.status,
            toStatus: "CHANGED",
            decisionKind: o.decisionKind,
            changes: { byApplicationId: row.id },
            at: now,
          },
        });
      }
    }

    // T20: the new version in «Проект».
    if (d.effects.newVersion) {
      newApplicationId = await createVersionCopy(tx, row, args.newVersion ?? {}, actor.userId, now);
    }
  }

  // Outbox rows, in the same transaction.
  const payloadBase = {
    applicationId: row.id,
    chainId: row.chainId,
    versionNo: row.versionNo,
    version: newVersion,
    action: d.action,
    transitionId: d.transitionId ?? null,
    from: row.status,
    to: d.to,
    decisionKind: d.decisionKind,
    actorId: actor.userId,
    actorName: actorUser?.fullName ?? null,
    at: now.toISOString(),
    orgId: row.orgId,
    bin: org?.bin ?? null,
    orgNameKk: org?.nameKk ?? null,
    orgNameRu: org?.nameRu ?? null,
    regionCode: row.regionCode,
    reasons:
      input.reasons ?? (d.notice === "send" || FINAL.includes(d.to as Status) ? (notice?.reasons ?? []) : []),
    note: input.note ?? (FINAL.includes(d.to as Status) ? (notice?.note ?? null) : null),
    reasonText: input.reasonText ?? null,
    additionalGround: input.additionalGround ?? notice?.additionalGround ?? null,
    checkerIds: checkerIds.length ? checkerIds : (notice?.checkerIds ?? []),
    noticeKind: d.noticeKind ?? notice?.kind ?? null,
  };
  const stageKey = `${row.id}:${newVersion}`;
  const rows: Prisma.OutboxCreateManyInput[] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    const eventKey = `${row.id}:${newVersion}:${r.kind}`;
    const k = `${eventKey}|${r.telegramId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push({
      eventKey,
      chatId: r.telegramId,
      userId: r.userId,
      applicationId: row.id,
      stageKey: STAGE_KINDS.has(r.kind) ? stageKey : null,
      kind: r.kind,
      payload: { ...payloadBase, audience: r.audience, stageStatus: d.to } as Prisma.InputJsonValue,
    });
  }
  const outbox = rows.length
    ? await tx.outbox.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } })
    : [];
  const closedMessages = args.closeStage
    ? await closeStageMessages(tx, row, d, { actorName: actorUser.fullName, now })
    : undefined;

  return {
    closedMessages,
    ok: true,
    decision: d,
    applicationId: row.id,
    version: newVersion,
    newApplicationId,
    auditId: audit.id,
    outboxIds: outbox.map((o) => o.id),
  };
}

interface Recipient {
  audience: Audience;
  kind: string;
  userId: string;
  telegramId: bigint;
}

/** Live statuses of a staff message whose payload has no stageStatus (as bot/outbox/stage.ts). */
const LIVE_BY_KIND: Record<string, readonly Status[]> = {
  head_approval_requested: ["HEAD_APPROVAL"],
  new_for_review: ["UNDER_REVIEW"],
  returned_for_review: ["UNDER_REVIEW"],
  check_requested: ["AGREED_CHECK", "REJECTED_CHECK"],
  approval_requested: ["CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
};
/** Kinds of messages with decision buttons that are edited when their step is decided (bot/outbox/stage.ts). */
const CLOSABLE_KINDS = [...STAGE_KINDS, "reminder", "escalation"];

/**
 * The sent messages of the step this decision ends (their live statuses hold the status before the decision
 * and not the one after) that have no "stage_closed" row yet get one: who decided, when, the new status.
 * The same rows as the worker's closeStaleStaffMessages, written with the decision (all or nothing).
 */
async function closeStageMessages(
  tx: Tx,
  row: AppRow,
  d: Decision,
  ctx: { actorName: string | null; now: Date },
): Promise<number> {
  if (d.to === row.status) return 0;
  const sent = await tx.$queryRaw<
    {
      id: bigint;
      chatId: bigint;
      userId: string | null;
      stageKey: string | null;
      messageId: number;
      kind: string;
      payload: unknown;
    }[]
  >`
    SELECT o.id, o."chatId", o."userId", o."stageKey", o."messageId", o.kind, o.payload
      FROM "Outbox" o
     WHERE o."applicationId" = ${row.id} AND o.status = 'SENT' AND o."messageId" IS NOT NULL
       AND o.kind = ANY(${CLOSABLE_KINDS}::text[])
       AND NOT EXISTS (SELECT 1 FROM "Outbox" c WHERE c."eventKey" = 'close:' || o.id::text AND c."chatId" = o."chatId")
     ORDER BY o.id`;
  const data: Prisma.OutboxCreateManyInput[] = [];
  for (const m of sent) {
    const p = (m.payload ?? {}) as Record<string, unknown>;
    const live = typeof p.stageStatus === "string" ? [p.stageStatus as Status] : LIVE_BY_KIND[m.kind];
    if (!live?.includes(row.status) || (d.to !== "DELETED" && live.includes(d.to))) continue;
    data.push({
      eventKey: `close:${m.id}`,
      chatId: m.chatId,
      userId: m.userId,
      applicationId: row.id,
      stageKey: m.stageKey,
      kind: "stage_closed",
      payload: {
        outboxId: String(m.id),
        messageId: m.messageId,
        decidedBy: ctx.actorName,
        decidedAt: ctx.now.toISOString(),
        toStatus: d.to === "DELETED" ? null : d.to,
        action: d.action,
      },
    });
  }
  if (!data.length) return 0;
  return (await tx.outbox.createMany({ data, skipDuplicates: true })).count;
}

/**
 * The recipients of every notification intent, read in ONE query (branch staff by role, the organisation's
 * heads, named users), then grouped per intent: each intent's users once, ordered by Telegram id.
 */
async function resolveAudiences(
  tx: Tx,
  row: AppRow,
  d: Decision,
  ctx: { actor: Actor; notice: { createdById: string; checkerIds: string[] } | null; checkerIds: string[] },
): Promise<Recipient[]> {
  const ROLE_OF: Partial<Record<Audience, "REVIEWER" | "APPROVER" | "MANAGER">> = {
    BRANCH_REVIEWERS: "REVIEWER",
    BRANCH_APPROVERS: "APPROVER",
    BRANCH_MANAGERS: "MANAGER",
  };
  const named = (audience: Audience): string[] =>
    audience === "AUTHOR"
      ? [row.authorId]
      : audience === "NOTICE_AUTHOR"
        ? ctx.notice
          ? [ctx.notice.createdById]
          : []
        : audience === "CHOSEN_CHECKERS"
          ? ctx.checkerIds.length
            ? ctx.checkerIds
            : (ctx.notice?.checkerIds ?? [])
          : [];
  const roles = [
    ...new Set(d.notify.map((i) => ROLE_OF[i.audience]).filter((r): r is NonNullable<typeof r> => !!r)),
  ];
  const heads = d.notify.some((i) => i.audience === "HEADS");
  const ids = [...new Set(d.notify.flatMap((i) => named(i.audience)))];
  if (!d.notify.length) return [];
  const found = await tx.$queryRaw<{ id: string; telegramId: bigint; src: string }[]>`
    SELECT u.id, u."telegramId", s.src
      FROM (
        SELECT m."userId" AS uid, m.role::text AS src
          FROM "StaffMembership" m JOIN "Branch" b ON b.id = m."branchId"
         WHERE b."regionCode" = ${row.regionCode}::text AND m.role::text = ANY(${roles}::text[])
        UNION ALL
        SELECT m."userId", 'HEADS' FROM "OrgMembership" m
         WHERE ${heads}::boolean AND m."orgId" = ${row.orgId} AND m.role::text IN ('HEAD', 'HEAD_ATTORNEY')
        UNION ALL
        SELECT x, 'ID' FROM unnest(${ids}::text[]) AS x
      ) s
      JOIN "User" u ON u.id = s.uid`;
  const tg = new Map(found.map((f) => [f.id, BigInt(f.telegramId)]));
  const bySrc = (src: string) => found.filter((f) => f.src === src).map((f) => f.id);
  const out: Recipient[] = [];
  for (const intent of d.notify) {
    const role = ROLE_OF[intent.audience];
    let list = role ? bySrc(role) : intent.audience === "HEADS" ? bySrc("HEADS") : named(intent.audience);
    // The actor sees the result of their own action in the chat: no status push to them.
    if (intent.kind === "status_changed") list = list.filter((id) => id !== ctx.actor.userId);
    const users = [...new Set(list)]
      .filter((id) => tg.has(id))
      .map((id) => ({ id, telegramId: tg.get(id)! }))
      .sort((x, y) => (x.telegramId < y.telegramId ? -1 : x.telegramId > y.telegramId ? 1 : 0));
    for (const u of users)
      out.push({ audience: intent.audience, kind: intent.kind, userId: u.id, telegramId: u.telegramId });
  }
  return out;
}

async function createVersionCopy(
  tx: Tx,
  row: AppRow,
  data: NewVersionData,
  actorId: string,
  now: Date,
): Promise<string> {
  const old = await loadDraftRows(tx, row.id);
  if (!old) throw new Error(`application ${row.id} vanished under its lock`);
  const max = await tx.application.aggregate({ where: { chainId: row.chainId }, _max: { versionNo: true } });
  const id = randomUUID();
  const oldBases = old.bases.map(baseInputOf);
  const bases = data.bases ?? (data.baseAddresses ? refreshBases(oldBases, data.baseAddresses) : oldBases);
  const licenceIds = data.licenceIds ?? old.licences.map((l) => l.licenceId);
  await tx.application.create({
    data: {
      id,
      chainId: old.chainId,
      versionNo: (max._max.versionNo ?? old.versionNo) + 1,
      previousId: old.id,
      orgId: old.orgId,
      authorId: data.authorId ?? actorId,
      regionCode: old.regionCode,
      status: "DRAFT",
      version: 1,
      ownershipFormCode: old.ownershipFormCode,
      asSupplier: old.asSupplier,
      asCoExecutor: old.asCoExecutor,
      supplierSubtypes: old.supplierSubtypes,
      coExecutorSubtypes: old.coExecutorSubtypes,
      hasPharmacy: old.hasPharmacy,
      progress: data.progress ?? undefined,
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
    },
  });
  await writeDraftChildren(tx, id, {
    bases,
    licenceIds,
    documents: old.documents
      .filter((doc) => doc.kind === "REGISTRATION" || doc.kind === "POWER_OF_ATTORNEY")
      .map((doc) => ({ kind: doc.kind, fileId: doc.fileId, createdAt: doc.createdAt })),
  });
  await tx.auditEvent.create({
    data: {
      applicationId: id,
      chainId: old.chainId,
      actorId,
      action: "CREATE_VERSION",
      fromStatus: null,
      toStatus: "DRAFT",
      changes: { fromApplicationId: old.id, fromVersionNo: old.versionNo },
      at: now,
    },
  });
  return id;
}

/**
 * An application with its bases, licences and documents, read ONE QUERY AT A TIME. Inside an interactive
 * transaction all queries share one connection; a `findUnique({ include: {…several relations} })` makes
 * Prisma send the relation queries in parallel on it (pg: "client.query() when the client is already
 * executing a query", an error in pg 9).
 */
async function loadDraftRows(tx: Tx, id: string) {
  const app = await tx.application.findUnique({ where: { id } });
  if (!app) return null;
  const bases = await tx.productionBase.findMany({
    where: { applicationId: id },
    orderBy: { position: "asc" },
  });
  const licences = await tx.applicationLicence.findMany({ where: { applicationId: id } });
  const documents = await tx.applicationDocument.findMany({
    where: { applicationId: id },
    orderBy: { createdAt: "asc" },
  });
  return { ...app, bases, licences, documents };
}

type DocumentKind = Prisma.ApplicationDocumentCreateManyInput["kind"];

/** The bases, licences and documents of a new application row: one createMany each, one after another. */
async function writeDraftChildren(
  tx: Tx,
  applicationId: string,
  c: {
    bases: readonly BaseInput[];
    licenceIds: readonly string[];
    documents: readonly { kind: DocumentKind; fileId: string; createdAt?: Date }[];
  },
) {
  if (c.bases.length)
    await tx.productionBase.createMany({
      data: c.bases.map((b, i) => ({ applicationId, ...baseCreate(b, i) })),
    });
  const licenceIds = [...new Set(c.licenceIds)];
  if (licenceIds.length)
    await tx.applicationLicence.createMany({
      data: licenceIds.map((licenceId) => ({ applicationId, licenceId })),
    });
  if (c.documents.length)
    await tx.applicationDocument.createMany({ data: c.documents.map((d) => ({ applicationId, ...d })) });
}

// ───────────── drafts ─────────────

/** A production base as written by the wizard (position = order in the list). */
export interface BaseInput {
  address: string;
  latitude?: number | null;
  longitude?: number | null;
  katoCode?: string | null;
  /** Coordinates confirmed despite a plausibility warning (domain/plausibility.ts confirmationKey). */
  coordsConfirmed?: string | null;
  sesFileId?: string | null;
  subtypes?: string[];
}

/** A stored production base as the store writes it (the one mapping of a base row back to input). */
export function baseInputOf(b: {
  address: string;
  latitude: number | null;
  longitude: number | null;
  katoCode: string | null;
  coordsConfirmed?: string | null;
  sesFileId: string | null;
  subtypes: string[];
}): BaseInput {
  return {
    address: b.address,
    latitude: b.latitude,
    longitude: b.longitude,
    katoCode: b.katoCode,
    coordsConfirmed: b.coordsConfirmed ?? null,
    sesFileId: b.sesFileId,
    subtypes: [...b.subtypes],
  };
}

/**
 * T20: one base per address of the refreshed appendices, keeping what `old` knew about the same address
 * (compared trimmed and case-insensitively); an address no longer in the appendices is dropped.
 */
export function refreshBases(old: readonly BaseInput[], addresses: readonly string[]): BaseInput[] {
  const byAddress = new Map(old.map((b) => [b.address.trim().toLowerCase(), b]));
  return addresses.map((address) => {
    const prev = byAddress.get(address.trim().toLowerCase());
    return prev ? { ...prev, address } : { address };
  });
}

function baseCreate(b: BaseInput, i: number) {
  return {
    position: i + 1,
    address: b.address,
    latitude: b.latitude ?? null,
    longitude: b.longitude ?? null,
    katoCode: b.katoCode ?? null,
    coordsConfirmed: b.coordsConfirmed ?? null,
    sesFileId: b.sesFileId ?? null,
    subtypes: b.subtypes ?? [],
  };
}

/** The editable fields of a draft (SPEC §3.3 A4–A9, C, D). Arrays replace the stored ones. */
export interface DraftPatch {
  ownershipFormCode?: string | null;
  asSupplier?: boolean;
  asCoExecutor?: boolean;
  supplierSubtypes?: string[];
  coExecutorSubtypes?: string[];
  regionCode?: string | null;
  hasPharmacy?: boolean | null;
  /** Wizard position and other UI state (not audited). */
  progress?: Prisma.InputJsonValue | null;
  formFileId?: string | null;
  bases?: BaseInput[];
  licenceIds?: string[];
  /** Replace the documents of these kinds (D2 REGISTRATION, D3 POWER_OF_ATTORNEY, APPLICATION_FORM …). */
  documents?: {
    kind: "REGISTRATION" | "POWER_OF_ATTORNEY" | "CONSENT" | "APPLICATION_FORM";
    fileIds: string[];
  }[];
}

const SCALAR_FIELDS = [
  "ownershipFormCode",
  "asSupplier",
  "asCoExecutor",
  "supplierSubtypes",
  "coExecutorSubtypes",
  "regionCode",
  "hasPharmacy",
  "formFileId",
] as const;

export type DraftWriteResult =
  | { ok: true; id: string; version: number }
  | { ok: false; reason: "not_found" | "not_draft" | "stale" }
  | {
      ok: false;
      reason: "excluded_recently";
      /** G6 / DECISIONS 7: the domain's "excluded_less_than_3_years" error (params excludedAt, allowedFrom). */
      errors: DomainError[];
    }
  | {
      ok: false;
      reason: "open_in_region";
      /** DECISIONS 8: the open application of the organisation in that region. */
      open: OpenApplication;
    };

export interface OpenApplication {
  id: string;
  status: Status;
  versionNo: number;
  createdAt: Date;
}

/** Serialises "one open application per organisation and region" checks (DECISIONS 8). */
async function lockOrgRegion(tx: Tx, orgId: string, regionCode: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`open-app:${orgId}:${regionCode}`}))`;
}

/** DECISIONS 8: the organisation's open application (any status before a final one) in the region. */
export async function findOpenInRegion(
  db: Db,
  orgId: string,
  regionCode: string,
  exceptId?: string,
): Promise<OpenApplication | null> {
  return db.application.findFirst({
    where: {
      orgId,
      regionCode,
      status: { in: [...OPEN_STATUSES] },
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
    orderBy: { createdAt: "asc" },
    select: { id: true, status: true, versionNo: true, createdAt: true },
  });
}

/** DECISIONS 7: the latest exclusion of the BIN/IIN in any region (for the 3-year rule). */
export async function lastExclusion(
  db: Db,
  bin: string,
): Promise<{ applicationId: string; excludedAt: Date; regionCode: string | null } | null> {
  const a = await db.application.findFirst({
    where: { org: { bin }, excludedAt: { not: null } },
    orderBy: { excludedAt: "desc" },
    select: { id: true, excludedAt: true, regionCode: true },
  });
  return a?.excludedAt ? { applicationId: a.id, excludedAt: a.excludedAt, regionCode: a.regionCode } : null;
}

export interface CreateDraftArgs extends Omit<DraftPatch, "documents"> {
  orgId: string;
  authorId: string;
  now: Date;
  documents?: DraftPatch["documents"];
}

/** T1: a new application in «Проект» (its own chain, version 1) + audit "CREATE". */
export async function createDraft(prisma: PrismaClient, args: CreateDraftArgs): Promise<DraftWriteResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      // G6 / DECISIONS 7: no new application within 3 years of an exclusion of the same BIN/IIN.
      const org = await tx.organisation.findUnique({ where: { id: args.orgId }, select: { bin: true } });
      if (!org) throw new DraftAbort({ ok: false, reason: "not_found" });
      const excluded = await lastExclusion(tx, org.bin);
      const wait = checkExclusionWait(excluded?.excludedAt ?? null, args.now);
      if (wait.length) throw new DraftAbort({ ok: false, reason: "excluded_recently", errors: wait });
      if (args.regionCode) {
        await lockOrgRegion(tx, args.orgId, args.regionCode);
        const open = await findOpenInRegion(tx, args.orgId, args.regionCode);
        if (open) throw new DraftAbort({ ok: false, reason: "open_in_region", open });
      }
      const id = randomUUID();
      await tx.application.create({
        data: {
          id,
          chainId: id,
          orgId: args.orgId,
          authorId: args.authorId,
          regionCode: args.regionCode ?? null,
          ownershipFormCode: args.ownershipFormCode ?? null,
          asSupplier: args.asSupplier ?? false,
          asCoExecutor: args.asCoExecutor ?? false,
          supplierSubtypes: args.supplierSubtypes ?? [],
          coExecutorSubtypes: args.coExecutorSubtypes ?? [],
          hasPharmacy: args.hasPharmacy ?? null,
          progress: args.progress ?? undefined,
          formFileId: args.formFileId ?? null,
          createdAt: args.now,
          updatedAt: args.now,
          statusChangedAt: args.now,
        },
      });
      await writeDraftChildren(tx, id, {
        bases: args.bases ?? [],
        licenceIds: args.licenceIds ?? [],
        documents: (args.documents ?? []).flatMap((d) =>
          d.fileIds.map((fileId) => ({ kind: d.kind, fileId })),
        ),
      });
      await tx.auditEvent.create({
        data: {
          applicationId: id,
          chainId: id,
          actorId: args.authorId,
          action: "CREATE",
          toStatus: "DRAFT",
          changes: { transitionId: "T1" },
          at: args.now,
        },
      });
      return { ok: true as const, id, version: 1 };
    }, TX_OPTIONS);
  } catch (e) {
    if (e instanceof DraftAbort) return e.result;
    throw e;
  }
}

class DraftAbort extends Error {
  constructor(readonly result: DraftWriteResult) {
    super("draft write aborted");
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * T2: write part of a draft: `UPDATE … WHERE id AND version AND status = DRAFT`, version + 1, and an audit
 * row "EDIT" listing the changed fields with old and new values (progress-only writes are not audited).
 */
export async function updateDraft(
  prisma: PrismaClient,
  id: string,
  expectedVersion: number,
  patch: DraftPatch,
  opts: { actorId: string; now: Date },
): Promise<DraftWriteResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const cur = await loadDraftRows(tx, id);
      if (!cur) throw new DraftAbort({ ok: false, reason: "not_found" });
      if (cur.status !== "DRAFT") throw new DraftAbort({ ok: false, reason: "not_draft" });
      if (cur.version !== expectedVersion) throw new DraftAbort({ ok: false, reason: "stale" });

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const data: Prisma.ApplicationUpdateManyMutationInput = {};
      for (const f of SCALAR_FIELDS) {
        if (patch[f] === undefined) continue;
        const to = patch[f];
        const from = cur[f];
        if (!same(from, to)) {
          changes[f] = { from, to };
          (data as Record<string, unknown>)[f] = to;
        }
      }
      if (patch.progress !== undefined)
        data.progress = patch.progress === null ? Prisma.DbNull : patch.progress;
      if (patch.regionCode && patch.regionCode !== cur.regionCode) {
        await lockOrgRegion(tx, cur.orgId, patch.regionCode);
        const open = await findOpenInRegion(tx, cur.orgId, patch.regionCode, cur.id);
        if (open) throw new DraftAbort({ ok: false, reason: "open_in_region", open });
      }
      const upd = await tx.application.updateMany({
        where: { id, version: expectedVersion, status: "DRAFT" },
        data: { ...data, version: expectedVersion + 1, updatedAt: opts.now },
      });
      if (upd.count !== 1) throw new DraftAbort({ ok: false, reason: "stale" });

      if (patch.bases) {
        const before = cur.bases.map(baseInputOf);
        const after = patch.bases.map((b, i) => {
          const { position: _p, ...rest } = baseCreate(b, i);
          return rest;
        });
        if (!same(before, after)) {
          changes.bases = { from: before, to: after };
          await tx.productionBase.deleteMany({ where: { applicationId: id } });
          await tx.productionBase.createMany({
            data: patch.bases.map((b, i) => ({ applicationId: id, ...baseCreate(b, i) })),
          });
        }
      }
      if (patch.licenceIds) {
        const before = cur.licences.map((l) => l.licenceId).sort();
        const after = [...new Set(patch.licenceIds)].sort();
        if (!same(before, after)) {
          changes.licenceIds = { from: before, to: after };
          await tx.applicationLicence.deleteMany({ where: { applicationId: id } });
          await tx.applicationLicence.createMany({
            data: after.map((licenceId) => ({ applicationId: id, licenceId })),
          });
        }
      }
      for (const doc of patch.documents ?? []) {
        const before = cur.documents.filter((x) => x.kind === doc.kind).map((x) => x.fileId);
        if (same(before, doc.fileIds)) continue;
        changes[`documents.${doc.kind}`] = { from: before, to: doc.fileIds };
        await tx.applicationDocument.deleteMany({ where: { applicationId: id, kind: doc.kind } });
        await tx.applicationDocument.createMany({
          data: doc.fileIds.map((fileId) => ({ applicationId: id, kind: doc.kind, fileId })),
        });
      }
      if (Object.keys(changes).length > 0) {
        await tx.auditEvent.create({
          data: {
            applicationId: id,
            chainId: cur.chainId,
            actorId: opts.actorId,
            action: "EDIT",
            fromStatus: "DRAFT",
            toStatus: "DRAFT",
            changes: {
              transitionId: "T2",
              fields: Object.keys(changes),
              diff: changes,
            } as Prisma.InputJsonValue,
            at: opts.now,
          },
        });
      }
      return { ok: true as const, id, version: expectedVersion + 1 };
    }, TX_OPTIONS);
  } catch (e) {
    if (e instanceof DraftAbort) return e.result;
    throw e;
  }
}

/** T3 through the state machine (role «Поставщик мед.услуг», confirmation): the audit row stays. */
export function deleteDraft(
  prisma: PrismaClient,
  args: { applicationId: string; expectedVersion: number; actor: Actor; decide: Decide; now: Date },
): Promise<ApplyTransitionResult> {
  return applyTransition(prisma, { ...args, action: "DELETE", input: { confirmed: true } });
}

/** Record a generated document (T4 «Заявка о включении», consent PDF, notice) without a version bump. */
export async function addGeneratedDocument(
  db: Db,
  args: { applicationId: string; kind: "APPLICATION_FORM" | "CONSENT" | "NOTICE"; fileId: string; now: Date },
) {
  return db.applicationDocument.create({
    data: { applicationId: args.applicationId, kind: args.kind, fileId: args.fileId, createdAt: args.now },
  });
}

// ───────────── lists and queues ─────────────

export interface Cursor {
  at: Date;
  id: string;
}

export const listSelect = {
  id: true,
  chainId: true,
  versionNo: true,
  orgId: true,
  regionCode: true,
  status: true,
  decisionKind: true,
  version: true,
  statusChangedAt: true,
  createdAt: true,
  submittedAt: true,
  authorId: true,
} as const satisfies Prisma.ApplicationSelect;

export type ApplicationListItem = Prisma.ApplicationGetPayload<{ select: typeof listSelect }>;

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null at the end. */
  next: Cursor | null;
}

/** One page of applications ordered by (statusChangedAt, id) in `dir`, after the cursor. */
async function keysetPage(
  db: Db,
  where: Prisma.ApplicationWhereInput,
  dir: "asc" | "desc",
  opts: { limit?: number; after?: Cursor | null },
): Promise<Page<ApplicationListItem>> {
  const limit = opts.limit ?? 10;
  const c = opts.after;
  const beyond = dir === "asc" ? "gt" : "lt";
  const items = await db.application.findMany({
    where: {
      ...where,
      ...(c
        ? { OR: [{ statusChangedAt: { [beyond]: c.at } }, { statusChangedAt: c.at, id: { [beyond]: c.id } }] }
        : {}),
    },
    orderBy: [{ statusChangedAt: dir }, { id: dir }],
    take: limit + 1,
    select: listSelect,
  });
  return page(items, limit);
}

function page(items: ApplicationListItem[], limit: number): Page<ApplicationListItem> {
  const more = items.length > limit;
  const slice = more ? items.slice(0, limit) : items;
  const last = slice[slice.length - 1];
  return { items: slice, next: more && last ? { at: last.statusChangedAt, id: last.id } : null };
}

/**
 * The supplier's applications, newest status change first (index Application(orgId, statusChangedAt)).
 * Keyset pagination on (statusChangedAt, id).
 */
export async function listForOrg(
  db: Db,
  orgId: string,
  opts: { limit?: number; after?: Cursor | null; statuses?: Status[]; regionCode?: string } = {},
): Promise<Page<ApplicationListItem>> {
  return keysetPage(
    db,
    {
      orgId,
      ...(opts.statuses ? { status: { in: opts.statuses } } : {}),
      ...(opts.regionCode ? { regionCode: opts.regionCode } : {}),
    },
    "desc",
    opts,
  );
}

/**
 * A branch's work queue: the region's applications in the given statuses, oldest status change first
 * (index Application(regionCode, status, statusChangedAt)). Keyset pagination on (statusChangedAt, id).
 */
export async function staffQueue(
  db: Db,
  regionCode: string,
  statuses: Status[],
  opts: { limit?: number; after?: Cursor | null; decisionKind?: DecisionKind } = {},
): Promise<Page<ApplicationListItem>> {
  return keysetPage(
    db,
    {
      regionCode,
      status: { in: statuses },
      ...(opts.decisionKind ? { decisionKind: opts.decisionKind } : {}),
    },
    "asc",
    opts,
  );
}

/** Counts per status in a region (queue badges). */
export async function queueCounts(db: Db, regionCode: string): Promise<Partial<Record<Status, number>>> {
  const rows = await db.application.groupBy({
    by: ["status"],
    where: { regionCode },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** «Просмотр версий»: all versions of a chain, oldest first. */
export function listVersions(db: Db, chainId: string) {
  return db.application.findMany({ where: { chainId }, orderBy: { versionNo: "asc" }, select: listSelect });
}

/** The audit trail of an application (or of its whole chain), oldest first. */
export function auditTrail(db: Db, where: { applicationId: string } | { chainId: string }) {
  return db.auditEvent.findMany({ where, orderBy: { id: "asc" } });
}

// ───────────── staff queues (index "Application_open_queue_idx") ─────────────

/** The statuses of the partial index "Application_open_queue_idx" (migration 20261124064000). */
export const OPEN_QUEUE_STATUSES = [
  "UNDER_REVIEW",
  "AGREED_CHECK",
  "REJECTED_CHECK",
  "CONFIRMED_APPROVAL",
  "REJECTED_APPROVAL",
] as const satisfies readonly Status[];

export interface OpenQueueFilter {
  regions: string[];
  /** A subset of OPEN_QUEUE_STATUSES. */
  statuses: Status[];
  /** The checker's queue: only applications whose current notice names this user (GIN "Notice_checkerIds_idx"). */
  checkerId?: string;
}

export interface OpenQueueItem {
  id: string;
  status: Status;
  statusChangedAt: Date;
  orgNameKk: string;
  orgNameRu: string;
}

/**
 * The WHERE of a staff queue. The statuses are written as literals (checked against the index's list), so
 * that the planner can prove the partial index's predicate; one region is an equality, so the index returns
 * the rows in (statusChangedAt, id) order without a sort.
 */
function openQueueWhere(f: OpenQueueFilter): Prisma.Sql {
  const statuses = f.statuses.filter((s) => (OPEN_QUEUE_STATUSES as readonly string[]).includes(s));
  if (!statuses.length || statuses.length !== f.statuses.length)
    throw new Error(`not a queue status list: ${f.statuses.join(",")}`);
  const region =
    f.regions.length === 1
      ? Prisma.sql`a."regionCode" = ${f.regions[0]}`
      : Prisma.sql`a."regionCode" = ANY(${f.regions}::text[])`;
  const status = Prisma.raw(`a.status IN (${statuses.map((s) => `'${s}'`).join(", ")})`);
  // A scalar subquery with LIMIT is not turned into a semi-join: PostgreSQL walks the queue index in date
  // order and probes each row's notice through Notice(applicationId, deletedAt), stopping after one page,
  // instead of reading every notice of the table (EXISTS was planned as a hash semi-join over all of Notice).
  const checker = f.checkerId
    ? Prisma.sql` AND (SELECT true FROM "Notice" n WHERE n."applicationId" = a.id AND n."deletedAt" IS NULL
                               AND n."checkerIds" @> ARRAY[${f.checkerId}]::text[] LIMIT 1)`
    : Prisma.empty;
  return Prisma.sql`${region} AND ${status}${checker}`;
}

const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * One keyset page of a staff queue, oldest status change first: `after` a cursor (next page) or `before` it
 * (previous page, read backwards and returned in ascending order). `more`: whether rows lie beyond the page
 * in the direction read.
 */
export async function openQueuePage(
  db: Db,
  f: OpenQueueFilter,
  opts: { limit: number; after?: Cursor | null; before?: Cursor | null },
): Promise<{ items: OpenQueueItem[]; more: boolean }> {
  if (!f.regions.length) return { items: [], more: false };
  const back = !!opts.before;
  const c = opts.before ?? opts.after ?? null;
  const cursor = c
    ? back
      ? Prisma.sql` AND (a."statusChangedAt", a.id) < (${utc(c.at)}, ${c.id})`
      : Prisma.sql` AND (a."statusChangedAt", a.id) > (${utc(c.at)}, ${c.id})`
    : Prisma.empty;
  const order = Prisma.raw(back ? `a."statusChangedAt" DESC, a.id DESC` : `a."statusChangedAt", a.id`);
  const rows = await db.$queryRaw<OpenQueueItem[]>`
    SELECT a.id, a.status::text AS status, a."statusChangedAt", o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu"
      FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId"
     WHERE ${openQueueWhere(f)}${cursor}
     ORDER BY ${order}
     LIMIT ${opts.limit + 1}`;
  const more = rows.length > opts.limit;
  const items = rows.slice(0, opts.limit);
  return { items: back ? items.reverse() : items, more };
}

/** The size of a staff queue, counted up to `cap` + 1 rows only (shown as "cap+"). */
export async function openQueueCount(db: Db, f: OpenQueueFilter, cap: number): Promise<number> {
  if (!f.regions.length) return 0;
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM "Application" a WHERE ${openQueueWhere(f)} LIMIT ${cap + 1}) q`;
  return rows[0]?.n ?? 0;
}
