// What the outbox worker reads to turn one row into a message: the recipient's language, and for a row about an
// application its card, the application's current stage (statusChangedAt) and — for the recipient — the
// decision facts (which buttons to draw). ONE statement.
import type { TransitionFacts } from "../../domain/ports.ts";
import { type CardData, cardFromJson, cardJson } from "./cards.ts";
import { type Db, Prisma } from "./db.ts";
import { loadFacts } from "./facts.ts";

export interface OutboxContext {
  language: string | null;
  card: CardData | null;
  /** The recipient's facts (only when asked for: stage messages carry the recipient's buttons). */
  facts: TransitionFacts | null;
  /** The original message of a "stage_closed" edit. */
  original: { kind: string; payload: unknown; applicationId: string | null } | null;
}

export async function outboxContext(
  db: Db,
  row: {
    userId: string | null;
    chatId: bigint;
    applicationId: string | null;
    payload: unknown;
    kind: string;
  },
  opts: { facts: boolean },
): Promise<OutboxContext> {
  const p = (row.payload ?? {}) as { outboxId?: string };
  const originalId =
    row.kind === "stage_closed" && p.outboxId && /^\d+$/.test(p.outboxId) ? BigInt(p.outboxId) : null;
  const rows = await db.$queryRaw<
    { language: string | null; card: Record<string, unknown> | null; original: OutboxContext["original"] }[]
  >`
    SELECT (SELECT u.language FROM "User" u WHERE u.id = ${row.userId}::text OR (${row.userId}::text IS NULL AND u."telegramId" = ${row.chatId}) LIMIT 1) AS language,
           ${row.applicationId ? cardJson(Prisma.sql`${row.applicationId}`) : Prisma.sql`NULL::json`} AS card,
           (SELECT json_build_object('kind', o.kind, 'payload', o.payload, 'applicationId', o."applicationId")
              FROM "Outbox" o WHERE o.id = ${originalId}::bigint) AS original`;
  const r = rows[0];
  const facts =
    opts.facts && row.applicationId && row.userId ? await loadFacts(db, row.applicationId, row.userId) : null;
  return {
    language: r?.language ?? null,
    card: r?.card ? cardFromJson(r.card) : null,
    facts,
    original: r?.original ?? null,
  };
}

/** After sending a stage message: if its step was decided meanwhile, write its closing edit now. */
export async function closeIfDecided(
  db: Db,
  row: {
    id: bigint;
    chatId: bigint;
    userId: string | null;
    applicationId: string;
    stageKey: string | null;
    stageAt: Date;
  },
  messageId: number,
): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "Outbox" ("eventKey", "chatId", "userId", "applicationId", "stageKey", kind, payload)
    SELECT 'close:' || ${row.id}::text, ${row.chatId}, ${row.userId}, a.id, ${row.stageKey}, 'stage_closed',
           jsonb_build_object('outboxId', ${row.id}::text, 'messageId', ${messageId}::int,
             'decidedBy', (SELECT u."fullName" FROM "AuditEvent" e LEFT JOIN "User" u ON u.id = e."actorId"
                            WHERE e."applicationId" = a.id ORDER BY e.id DESC LIMIT 1),
             'decidedAt', to_char(a."statusChangedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'toStatus', a.status::text)
      FROM "Application" a
     WHERE a.id = ${row.applicationId} AND a."statusChangedAt" <> ${row.stageAt.toISOString()}::timestamp
    ON CONFLICT ("eventKey", "chatId") DO NOTHING`;
}
