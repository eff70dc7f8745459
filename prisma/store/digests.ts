// The digests' outbox rows (issue 15): one row per recipient and period, idempotent by the outbox's unique
// (eventKey, chatId), so every process may run the check every few minutes and each digest is written once.
// The worker sends them in its order and within its limits like every other row.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

export interface DigestRow {
  eventKey: string;
  chatId: bigint;
  userId: string;
  kind: string;
  payload: Prisma.InputJsonObject;
  /** Not to be sent before (the slot's moment). */
  dueAt: Date;
}

/** Write the rows not written before; returns how many are new. */
export async function writeDigestRows(db: Db, rows: readonly DigestRow[]): Promise<number> {
  if (!rows.length) return 0;
  const r = await db.outbox.createMany({
    data: rows.map((x) => ({
      eventKey: x.eventKey,
      chatId: x.chatId,
      userId: x.userId,
      kind: x.kind,
      payload: x.payload,
      nextAttemptAt: x.dueAt,
    })),
    skipDuplicates: true,
  });
  return r.count;
}

/** Of these users, the ones who chose the morning digest of their queue (their per-item pushes are held back). */
export async function staffDigestUsers(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await db.staffDigestSetting.findMany({
    where: { userId: { in: [...userIds] }, enabled: true },
    select: { userId: true },
  });
  return new Set(rows.map((r) => r.userId));
}
