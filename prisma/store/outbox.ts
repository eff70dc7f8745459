// The outbox table as a queue: rows are written by the store in the same transaction as the state change
// (prisma/store/applications.ts) and delivered by workers in any number of processes.
//
// claimBatch: `FOR UPDATE SKIP LOCKED` + a lease (lockedBy / lockedUntil), so two workers never hold the
// same row; a crashed worker's lease runs out and the row is claimed again. Per-chat order: only the oldest
// PENDING row of a chat is claimable. markSent / markFailed act only for the lease holder when `workerId`
// is given.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

export const DEFAULT_LEASE_MS = 60_000;

export interface ClaimedRow {
  id: bigint;
  eventKey: string;
  chatId: bigint;
  userId: string | null;
  applicationId: string | null;
  stageKey: string | null;
  kind: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
}

/** Claim up to `limit` due rows for `workerId` (attempts + 1, leased for `leaseMs`). */
export async function claimBatch(
  db: Db,
  workerId: string,
  limit: number,
  leaseMs: number = DEFAULT_LEASE_MS,
): Promise<ClaimedRow[]> {
  const rows = await db.$queryRaw<ClaimedRow[]>`
    WITH c AS (
      SELECT o.id FROM "Outbox" o
       WHERE o.status = 'PENDING'
         AND o."nextAttemptAt" <= now()
         AND (o."lockedUntil" IS NULL OR o."lockedUntil" <= now())
         AND NOT EXISTS (
           SELECT 1 FROM "Outbox" p
            WHERE p."chatId" = o."chatId" AND p.status = 'PENDING' AND p.id < o.id)
       ORDER BY o.id
       LIMIT ${limit}
       FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE "Outbox" u
       SET "lockedUntil" = now() + make_interval(secs => ${leaseMs / 1000}::double precision),
           "lockedBy" = ${workerId},
           attempts = u.attempts + 1
      FROM c
     WHERE u.id = c.id
    RETURNING u.id, u."eventKey", u."chatId", u."userId", u."applicationId", u."stageKey", u.kind, u.payload,
              u.attempts, u."createdAt"`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Delivered: SENT with Telegram's message id. false when the row is not (or no longer) this worker's. */
export async function markSent(
  db: Db,
  id: bigint,
  messageId: number | null,
  opts: { workerId?: string; now?: Date } = {},
): Promise<boolean> {
  const r = await db.outbox.updateMany({
    where: { id, status: "PENDING", ...(opts.workerId ? { lockedBy: opts.workerId } : {}) },
    data: {
      status: "SENT",
      messageId,
      sentAt: opts.now ?? new Date(),
      lockedUntil: null,
      lockedBy: null,
      lastError: null,
    },
  });
  return r.count === 1;
}

/**
 * Not delivered. With `retryAt` the row stays PENDING and is due again then (lease released); with null it
 * becomes FAILED for good (bot blocked, bad request, attempts exhausted).
 */
export async function markFailed(
  db: Db,
  id: bigint,
  retryAt: Date | null,
  error: string,
  opts: { workerId?: string } = {},
): Promise<boolean> {
  const r = await db.outbox.updateMany({
    where: { id, status: "PENDING", ...(opts.workerId ? { lockedBy: opts.workerId } : {}) },
    data: retryAt
      ? { nextAttemptAt: retryAt, lockedUntil: null, lockedBy: null, lastError: error.slice(0, 2000) }
      : { status: "FAILED", lockedUntil: null, lockedBy: null, lastError: error.slice(0, 2000) },
  });
  return r.count === 1;
}

/** Sent messages of an application's staff step (to edit them when the step is decided). */
export function sentInStage(db: Db, stageKey: string) {
  return db.outbox.findMany({
    where: { stageKey, status: "SENT", messageId: { not: null } },
    orderBy: { id: "asc" },
  });
}

/** Queue health for logs and /health. */
export async function outboxStats(db: Db) {
  const rows = await db.outbox.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all])) as Partial<
    Record<"PENDING" | "SENT" | "FAILED", number>
  >;
}
