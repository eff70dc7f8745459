// The outbox table as a queue (domain/ports.ts OutboxQueue): rows are written by the store in the same
// transaction as the state change (prisma/store/applications.ts) and delivered by workers in any number of
// processes (bot/outbox/worker.ts).
//
// claimBatch: `FOR UPDATE SKIP LOCKED` + a short lease (lockedBy / lockedUntil) that the worker renews while the
// row is in flight (renewLeases, the heartbeat), so two workers never hold the same row and a crashed worker's
// rows are claimed again as soon as its lease runs out. Per-chat order: only the oldest PENDING row of a chat is
// claimable. markSent is not conditioned on the lease (the message went out); markFailed / retryLater act only
// for the lease holder.
import type { FailedOutboxRow, OutboxCounts, OutboxQueue, OutboxRow } from "../../domain/ports.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** The worker's default lease: short, renewed every quarter of it while a row is in flight. */
export const DEFAULT_LEASE_MS = 8_000;

export type ClaimedRow = OutboxRow;

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
              u.attempts, u."createdAt", u."stageAt"`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Heartbeat: the lease of `ids` runs `leaseMs` from now again; returns the ids `workerId` still holds. */
export async function renewLeases(
  db: Db,
  workerId: string,
  ids: readonly bigint[],
  leaseMs: number = DEFAULT_LEASE_MS,
): Promise<bigint[]> {
  if (!ids.length) return [];
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    UPDATE "Outbox"
       SET "lockedUntil" = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
     WHERE id = ANY(${[...ids]}::bigint[]) AND "lockedBy" = ${workerId} AND status = 'PENDING'
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * Delivered: SENT with Telegram's message id (null with a `note`: nothing had to be sent). Returns the committed
 * sentAt (the database's clock), or null when the row is no longer PENDING (or, with `workerId`, not this
 * worker's).
 */
export async function markSentAt(
  db: Db,
  id: bigint,
  messageId: number | null,
  opts: { workerId?: string; note?: string | null } = {},
): Promise<Date | null> {
  const holder = opts.workerId ?? null;
  const rows = await db.$queryRaw<{ sentAt: Date }[]>`
    UPDATE "Outbox"
       SET status = 'SENT', "messageId" = ${messageId}, "sentAt" = now(), "lockedUntil" = NULL,
           "lockedBy" = NULL, "lastError" = ${opts.note ?? null}
     WHERE id = ${id} AND status = 'PENDING' AND (${holder}::text IS NULL OR "lockedBy" = ${holder}::text)
    RETURNING "sentAt"`;
  return rows[0]?.sentAt ?? null;
}

/** markSentAt as a yes/no: false when the row is not (or no longer) this worker's. */
export async function markSent(
  db: Db,
  id: bigint,
  messageId: number | null,
  opts: { workerId?: string; note?: string | null } = {},
): Promise<boolean> {
  return (await markSentAt(db, id, messageId, opts)) !== null;
}

/**
 * Not delivered. With `retryAt` (a Date, or a delay in ms on the database's clock) the row stays PENDING and is
 * due again then, lease released; `countAttempt: false` gives the claim's attempt back. With null it becomes
 * FAILED for good (a permanent refusal) with failedAt = now. With `workerId` only the lease holder may do it.
 */
export async function markFailed(
  db: Db,
  id: bigint,
  retryAt: Date | { delayMs: number } | null,
  error: string | null,
  opts: { workerId?: string; countAttempt?: boolean } = {},
): Promise<boolean> {
  const holder = opts.workerId ?? null;
  const err = error ? error.slice(0, 2000) : null;
  if (retryAt === null) {
    return (
      (await db.$executeRaw`
        UPDATE "Outbox"
           SET status = 'FAILED', "failedAt" = now(), "lockedUntil" = NULL, "lockedBy" = NULL, "lastError" = ${err}
         WHERE id = ${id} AND status = 'PENDING' AND (${holder}::text IS NULL OR "lockedBy" = ${holder}::text)`) ===
      1
    );
  }
  const giveBack = opts.countAttempt === false ? 1 : 0;
  const n =
    retryAt instanceof Date
      ? await db.$executeRaw`
        UPDATE "Outbox"
           SET "nextAttemptAt" = ${retryAt}, "lockedUntil" = NULL, "lockedBy" = NULL, "lastError" = ${err},
               attempts = GREATEST(0, attempts - ${giveBack}::int)
         WHERE id = ${id} AND status = 'PENDING' AND (${holder}::text IS NULL OR "lockedBy" = ${holder}::text)`
      : await db.$executeRaw`
        UPDATE "Outbox"
           SET "nextAttemptAt" = now() + make_interval(secs => ${Math.max(0, retryAt.delayMs) / 1000}::double precision),
               "lockedUntil" = NULL, "lockedBy" = NULL, "lastError" = ${err},
               attempts = GREATEST(0, attempts - ${giveBack}::int)
         WHERE id = ${id} AND status = 'PENDING' AND (${holder}::text IS NULL OR "lockedBy" = ${holder}::text)`;
  return n === 1;
}

/** Sent messages of an application's staff step (to edit them when the step is decided). */
export function sentInStage(db: Db, stageKey: string) {
  return db.outbox.findMany({
    where: { stageKey, status: "SENT", messageId: { not: null } },
    orderBy: { id: "asc" },
  });
}

/** Queue depth for /metrics: PENDING and FAILED rows (index-only counts; SENT rows are never counted). */
export async function outboxCounts(db: Db): Promise<OutboxCounts> {
  const rows = await db.$queryRaw<{ pending: number; failed: number; oldest: Date | null }[]>`
    SELECT (SELECT count(*)::int FROM "Outbox" WHERE status = 'PENDING') AS pending,
           (SELECT count(*)::int FROM "Outbox" WHERE status = 'FAILED') AS failed,
           (SELECT min("createdAt") FROM "Outbox" WHERE status = 'PENDING') AS oldest`;
  const r = rows[0];
  return { pending: r?.pending ?? 0, failed: r?.failed ?? 0, oldestPendingAt: r?.oldest ?? null };
}

/** Queue health for logs and /health. */
export async function outboxStats(db: Db) {
  const rows = await db.outbox.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all])) as Partial<
    Record<"PENDING" | "SENT" | "FAILED", number>
  >;
}

/**
 * The most recent notifications that failed for good, newest first, with Telegram's error (for an admin
 * command). `since`: only those failed at or after it. At most 100 rows.
 */
export async function listFailedOutbox(
  db: Db,
  opts: { limit: number; since?: Date },
): Promise<FailedOutboxRow[]> {
  const rows = await db.outbox.findMany({
    where: { status: "FAILED", ...(opts.since ? { failedAt: { gte: opts.since } } : {}) },
    orderBy: [{ failedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: Math.max(1, Math.min(100, Math.floor(opts.limit))),
    select: {
      id: true,
      kind: true,
      chatId: true,
      userId: true,
      applicationId: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      failedAt: true,
    },
  });
  return rows;
}

/** The OutboxQueue port on this database. */
export function outboxQueue(db: Db): OutboxQueue {
  return {
    claim: (workerId, limit, leaseMs) => claimBatch(db, workerId, limit, leaseMs),
    renew: (workerId, ids, leaseMs) => renewLeases(db, workerId, ids, leaseMs),
    markSent: (id, messageId, note) => markSentAt(db, id, messageId, { note }),
    markFailed: (id, workerId, error) => markFailed(db, id, null, error, { workerId }),
    retryLater: (id, workerId, delayMs, error, opts) =>
      markFailed(db, id, { delayMs }, error, { workerId, countAttempt: opts?.countAttempt }),
    counts: () => outboxCounts(db),
    listFailed: (opts) => listFailedOutbox(db, opts),
  };
}
