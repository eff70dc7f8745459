// Everything a decision on one application needs, in ONE statement: the state-machine snapshot, the acting
// user's roles for it (org roles in its organisation, staff roles in its region's branch) and name, the current
// notice, the chain facts, the branch's checkers. The application layer decides on it; the store then writes
// only if the version is still the one read here (prisma/store/transitions.ts).
import type { AppSnapshot, FormState } from "../../domain/contracts.ts";
import type { TransitionFacts } from "../../domain/ports.ts";
import type { DecisionKind, OrgRole, StaffRole, Status } from "../../domain/types.ts";
import { OPEN_STATUSES } from "../../domain/workflow.ts";
import { type CardData, cardFromJson, cardJson } from "./cards.ts";
import { type Db, Prisma, textArray } from "./db.ts";

interface FactsRow {
  id: string;
  chainId: string;
  versionNo: number;
  status: Status;
  decisionKind: DecisionKind | null;
  version: number;
  authorId: string;
  orgId: string;
  regionCode: string | null;
  statusChangedAt: Date;
  saved: boolean;
  editSeq: number;
  formEditSeq: number | null;
  formFileId: string | null;
  bin: string;
  nameKk: string;
  nameRu: string;
  actorName: string | null;
  actorExists: boolean;
  orgRoles: string[];
  staffRoles: string[];
  branchCheckers: string[];
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
  consentSigned: boolean;
  hasPoa: boolean;
  extra?: Record<string, unknown> | null;
}

/** The facts of one application for one acting user; null when the application or the user does not exist. */
export async function loadFacts(
  db: Db,
  applicationId: string,
  userId: string,
): Promise<TransitionFacts | null> {
  return (await query(db, applicationId, userId, null))?.facts ?? null;
}

/** The facts and the card of one application in ONE statement (a staff press reads nothing else). */
export async function loadFactsAndCard(
  db: Db,
  applicationId: string,
  userId: string,
): Promise<{ facts: TransitionFacts; card: CardData } | null> {
  const r = await query(db, applicationId, userId, cardJson(Prisma.sql`${applicationId}`));
  return r?.extra ? { facts: r.facts, card: cardFromJson(r.extra) } : null;
}

/**
 * The facts and one more JSON value about the same application (e.g. the whole draft: prisma/store/drafts.ts),
 * in ONE statement. `extra` is a scalar subquery yielding json.
 */
export async function loadFactsWith(
  db: Db,
  applicationId: string,
  userId: string,
  extra: Prisma.Sql,
): Promise<{ facts: TransitionFacts; extra: Record<string, unknown> | null } | null> {
  return query(db, applicationId, userId, extra);
}

async function query(db: Db, applicationId: string, userId: string, extra: Prisma.Sql | null) {
  const open = textArray(OPEN_STATUSES);
  const card = extra ? Prisma.sql`, ${extra} AS extra` : Prisma.empty;
  const rows = await db.$queryRaw<FactsRow[]>`
    SELECT a.id, a."chainId", a."versionNo", a.status::text AS status, a."decisionKind"::text AS "decisionKind",
           a.version, a."authorId", a."orgId", a."regionCode", a."statusChangedAt",
           a."savedAt" IS NOT NULL AS saved, a."editSeq", a."formEditSeq", a."formFileId",
           o.bin, o."nameKk", o."nameRu",
           u."fullName" AS "actorName", u.id IS NOT NULL AS "actorExists",
           ARRAY(SELECT DISTINCT m.role::text FROM "OrgMembership" m
                  WHERE m."userId" = u.id AND m."orgId" = a."orgId" ORDER BY 1) AS "orgRoles",
           ARRAY(SELECT DISTINCT s.role::text FROM "StaffMembership" s JOIN "Branch" b ON b.id = s."branchId"
                  WHERE s."userId" = u.id AND b."regionCode" = a."regionCode" ORDER BY 1) AS "staffRoles",
           ARRAY(SELECT s."userId" FROM "StaffMembership" s JOIN "Branch" b ON b.id = s."branchId"
                  WHERE b."regionCode" = a."regionCode" AND s.role = 'CHECKER') AS "branchCheckers",
           n.id AS "nId", n.kind::text AS "nKind", n.reasons AS "nReasons", n.note AS "nNote",
           n."additionalGround" AS "nAdditionalGround", n."createdById" AS "nCreatedById",
           n."checkerIds" AS "nCheckerIds", n."sentAt" AS "nSentAt",
           (SELECT e."actorId" FROM "AuditEvent" e
             WHERE e."applicationId" = a.id AND e.action = 'CHECKER_CONFIRM' AND n."sentAt" IS NOT NULL
               AND e.at >= n."sentAt"
             ORDER BY e.id DESC LIMIT 1) AS "checkedById",
           EXISTS (SELECT 1 FROM "Application" x
                    WHERE x."chainId" = a."chainId" AND x."versionNo" > a."versionNo"
                      AND x."savedAt" IS NOT NULL) AS newer,
           EXISTS (SELECT 1 FROM "Application" x
                    WHERE x."chainId" = a."chainId" AND x.id <> a.id AND x."savedAt" IS NOT NULL
                      AND x.status::text = ANY(${open})) AS "openInChain",
           (a.status = 'HEAD_APPROVAL' AND COALESCE(
             (SELECT max(e.id) FROM "AuditEvent" e WHERE e."applicationId" = a.id AND e.action = 'HEAD_SIGN_CONSENT') >
             (SELECT max(e.id) FROM "AuditEvent" e WHERE e."applicationId" = a.id AND e."toStatus" = 'HEAD_APPROVAL'
                 AND e."fromStatus" IS DISTINCT FROM 'HEAD_APPROVAL'), false)) AS "consentSigned",
           EXISTS (SELECT 1 FROM "ApplicationDocument" d
                    WHERE d."applicationId" = a.id AND d.kind = 'POWER_OF_ATTORNEY') AS "hasPoa"${card}
      FROM "Application" a
      JOIN "Organisation" o ON o.id = a."orgId"
      LEFT JOIN "User" u ON u.id = ${userId}
      LEFT JOIN LATERAL (
        SELECT * FROM "Notice" nn WHERE nn."applicationId" = a.id AND nn."deletedAt" IS NULL
         ORDER BY nn."createdAt" DESC, nn.id DESC LIMIT 1) n ON true
     WHERE a.id = ${applicationId}`;
  const f = rows[0];
  if (!f?.actorExists) return null;
  return { facts: factsOf(f, userId), extra: f.extra ?? null };
}

function formState(f: Pick<FactsRow, "formFileId" | "formEditSeq" | "editSeq">): FormState {
  if (!f.formFileId || f.formEditSeq === null) return "none";
  return f.formEditSeq === f.editSeq ? "current" : "stale";
}

function factsOf(f: FactsRow, userId: string): TransitionFacts {
  const notice: TransitionFacts["notice"] = f.nId
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
    id: f.id,
    status: f.status,
    decisionKind: f.decisionKind,
    version: f.version,
    authorId: f.authorId,
    orgId: f.orgId,
    regionCode: f.regionCode,
    activeNotice: notice
      ? {
          kind: notice.kind,
          reasons: notice.reasons,
          createdById: notice.createdById,
          checkerIds: notice.checkerIds,
          checkedById: f.checkedById,
        }
      : null,
    consentSigned: f.consentSigned,
    isLatestVersion: !f.newer,
    chainHasOpenVersion: f.openInChain,
    saved: f.saved,
    formState: formState(f),
    hasPowerOfAttorney: f.hasPoa,
  };
  return {
    snapshot,
    actor: {
      userId,
      orgRoles: f.orgRoles as OrgRole[],
      staffRoles: f.staffRoles as StaffRole[],
    },
    actorName: f.actorName,
    chainId: f.chainId,
    versionNo: f.versionNo,
    statusChangedAt: f.statusChangedAt,
    org: { bin: f.bin, nameKk: f.nameKk, nameRu: f.nameRu },
    notice,
    branchCheckerIds: f.branchCheckers,
  };
}
