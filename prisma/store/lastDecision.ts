// "Already decided by NAME at TIME" (DECISIONS 16): the latest audited action on an application, with the
// application's current version and status, in one statement.
import type { LastDecision } from "../../domain/ports.ts";
import type { Status } from "../../domain/types.ts";
import type { Db } from "./db.ts";

export async function lastDecision(db: Db, applicationId: string): Promise<LastDecision | null> {
  const rows = await db.$queryRaw<
    {
      version: number;
      status: Status;
      userId: string | null;
      fullName: string | null;
      action: string | null;
      at: Date | null;
    }[]
  >`
    SELECT a.version, a.status::text AS status, e."actorId" AS "userId", u."fullName", e.action, e.at
      FROM "Application" a
      LEFT JOIN LATERAL (SELECT * FROM "AuditEvent" x WHERE x."applicationId" = a.id ORDER BY x.id DESC LIMIT 1) e ON true
      LEFT JOIN "User" u ON u.id = e."actorId"
     WHERE a.id = ${applicationId}`;
  const r = rows[0];
  return r ? { ...r } : null;
}
