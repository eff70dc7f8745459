// SLA reminders and escalations as ONE statement per run (domain/ports.ts ReminderStore): it takes the
// reminders' transaction-level advisory lock (one leader at a time; released when the statement ends, so it
// also works behind a transaction-mode pooler), computes every due reminder and escalation of every branch and
// inserts their outbox rows (INSERT … SELECT … ON CONFLICT DO NOTHING), and returns the counts.
//
// Semantics (as the loop it replaces, bot/outbox/reminders.ts before): an application waiting in one of the
// input stages longer than its branch's reminderDays working days (Kazakhstan calendar) gives the stage's role
// in its branch a "reminder" (for the check: only the checkers chosen in the latest live notice); longer than
// escalationDays, the escalation role (MANAGER) an "escalation". eventKey rem:<app>:<stage start ms>:R|E, unique
// with the chat, so each is written once per stage; payload { applicationId, days, stageStatus, action, at,
// limit } with the audit row that opened the stage.
import type { DueRemindersInput, DueRemindersResult, ReminderStore } from "../../domain/ports.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * pg_try_advisory_xact_lock(REMINDERS_LOCK[0], REMINDERS_LOCK[1]): the two-int key space, which never overlaps
 * the single-bigint keys of the migrations, the seed and the draft locks.
 */
export const REMINDERS_LOCK = [0x46534d53, 1] as const; // "FSMS", 1 = reminders

interface Row {
  leader: boolean;
  reminders: number;
  escalations: number;
  over_reminder: number;
  over_escalation: number;
}

export async function writeDueReminders(db: Db, input: DueRemindersInput): Promise<DueRemindersResult> {
  const statuses = input.stages.map((s) => s.status);
  const roles = input.stages.map((s) => s.role);
  const chosen = input.stages.map((s) => s.onlyChosen);
  const starts = input.workingDayStartsMs.map((ms) => Math.round(ms));
  const rows = await db.$queryRaw<Row[]>`
    WITH lock AS (
      SELECT pg_try_advisory_xact_lock(${REMINDERS_LOCK[0]}::int, ${REMINDERS_LOCK[1]}::int) AS leader
    ),
    stages AS (
      SELECT * FROM unnest(${statuses}::text[], ${roles}::text[], ${chosen}::boolean[]) AS s(status, role, chosen)
    ),
    wd AS (SELECT ${starts}::bigint[] AS ms),
    waiting AS (
      SELECT a.id, a.status::text AS status, a.version, a."statusChangedAt",
             floor(extract(epoch FROM a."statusChangedAt") * 1000)::bigint AS stage_ms,
             b.id AS branch_id, b."reminderDays" AS reminder_days, b."escalationDays" AS escalation_days,
             s.role, s.chosen
        FROM "Application" a
        JOIN stages s ON s.status = a.status::text
        JOIN "Branch" b ON b."regionCode" = a."regionCode"
       WHERE (SELECT leader FROM lock)
         AND a.status::text = ANY(${statuses}::text[])
    ),
    due AS (
      SELECT w.*,
             (SELECT count(*)::int FROM unnest((SELECT ms FROM wd)) m WHERE m > w.stage_ms) AS days,
             o.action, o.at
        FROM waiting w
        LEFT JOIN LATERAL (
          SELECT e.action,
                 to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
            FROM "AuditEvent" e
           WHERE e."applicationId" = w.id AND e."toStatus"::text = w.status
           ORDER BY e.id DESC
           LIMIT 1
        ) o ON true
       -- waited more than reminderDays working days: started before the start of that working day
       WHERE w.stage_ms < (SELECT ms FROM wd)[w.reminder_days + 1]
    ),
    recipients AS (
      SELECT d.*, 'R' AS level, 'reminder' AS kind, d.reminder_days AS lim, u.id AS user_id,
             u."telegramId" AS chat_id, m."createdAt" AS m_at, m.id AS m_id
        FROM due d
        JOIN "StaffMembership" m ON m."branchId" = d.branch_id AND m.role::text = d.role
        JOIN "User" u ON u.id = m."userId"
       WHERE NOT d.chosen
          OR u.id = ANY(coalesce((
               SELECT n."checkerIds" FROM "Notice" n
                WHERE n."applicationId" = d.id AND n."deletedAt" IS NULL
                ORDER BY n."createdAt" DESC
                LIMIT 1), '{}'::text[]))
      UNION ALL
      SELECT d.*, 'E', 'escalation', d.escalation_days, u.id, u."telegramId", m."createdAt", m.id
        FROM due d
        JOIN "StaffMembership" m ON m."branchId" = d.branch_id AND m.role::text = ${input.escalateTo}::text
        JOIN "User" u ON u.id = m."userId"
       WHERE d.days > d.escalation_days
    ),
    ins AS (
      INSERT INTO "Outbox" ("eventKey", "chatId", "userId", "applicationId", "stageKey", kind, payload)
      SELECT 'rem:' || r.id || ':' || r.stage_ms || ':' || r.level, r.chat_id, r.user_id, r.id,
             CASE WHEN r.level = 'R' THEN r.id || ':' || r.version END, r.kind,
             jsonb_build_object('applicationId', r.id, 'days', r.days, 'stageStatus', r.status,
                                'action', r.action, 'at', r.at, 'limit', r.lim)
        FROM recipients r
       ORDER BY r."statusChangedAt", r.id, r.level DESC, r.m_at, r.m_id
      ON CONFLICT ("eventKey", "chatId") DO NOTHING
      RETURNING kind
    )
    SELECT (SELECT leader FROM lock) AS leader,
           (SELECT count(*)::int FROM ins WHERE kind = 'reminder') AS reminders,
           (SELECT count(*)::int FROM ins WHERE kind = 'escalation') AS escalations,
           (SELECT count(DISTINCT id)::int FROM due) AS over_reminder,
           (SELECT count(DISTINCT id)::int FROM due WHERE days > escalation_days) AS over_escalation`;
  const r = rows[0]!;
  return {
    leader: r.leader,
    reminders: r.reminders,
    escalations: r.escalations,
    overReminder: r.over_reminder,
    overEscalation: r.over_escalation,
  };
}

export function reminderStore(db: Db): ReminderStore {
  return { writeDue: (input) => writeDueReminders(db, input) };
}
