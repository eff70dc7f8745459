// «Вся информация по заявке» (seed 000 §4.1): the whole application with its notice, signatures and history,
// in ONE statement — alone (a card opened from a list) or together with the decision facts of a press
// (prisma/store/facts.ts), so a staff decision reads the application once.
import type { DecisionKind, Status } from "../../domain/types.ts";
import { type Db, dateOf, Prisma } from "./db.ts";
import { type DraftRow, draftColumns, draftFrom, fixDates, type RawDraft } from "./drafts.ts";

const sql = Prisma.sql;

export interface CardNotice {
  id: string;
  kind: DecisionKind;
  reasons: string[];
  note: string | null;
  additionalGround: string | null;
  createdById: string;
  createdByName: string | null;
  createdAt: Date;
  sentAt: Date | null;
  checkerIds: string[];
  fileId: string | null;
}

export interface CardSignature {
  document: "CONSENT" | "APPLICATION" | "EXCLUSION_NOTICE";
  sha256: string;
  method: string;
  signedAt: Date;
  signerName: string | null;
  fileId: string | null;
}

export interface CardEvent {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  fromStatus: Status | null;
  toStatus: Status | null;
  decisionKind: DecisionKind | null;
  reasons: string[];
  note: string | null;
  changes: Record<string, unknown> | null;
}

export interface CardData extends DraftRow {
  authorName: string | null;
  /** The name of the organisation's legal-address KATO object (section B). */
  legalKato: { nameKk: string | null; nameRu: string } | null;
  /** The SES permits of the production bases (file names). */
  sesFiles: { id: string; fileName: string; size: number }[];
  notice: CardNotice | null;
  signatures: CardSignature[];
  /** The latest events, oldest first (at most HISTORY_LIMIT). */
  history: CardEvent[];
}

export const HISTORY_LIMIT = 60;

/** The card's own columns, next to the draft's (alias `a`). */
export const cardColumns = sql`
  (SELECT u."fullName" FROM "User" u WHERE u.id = a."authorId") AS "authorName",
  (SELECT json_build_object('nameKk', k."nameKk", 'nameRu', k."nameRu") FROM "KatoObject" k WHERE k.code = o."legalKato") AS "legalKato",
  COALESCE((SELECT json_agg(json_build_object('id', f.id, 'fileName', f."fileName", 'size', f.size) ORDER BY b.position)
     FROM "ProductionBase" b JOIN "StoredFile" f ON f.id = b."sesFileId" WHERE b."applicationId" = a.id), '[]'::json) AS "sesFiles",
  (SELECT json_build_object('id', n.id, 'kind', n.kind, 'reasons', n.reasons, 'note', n.note,
      'additionalGround', n."additionalGround", 'createdById', n."createdById", 'createdByName', cu."fullName",
      'createdAt', n."createdAt", 'sentAt', n."sentAt", 'checkerIds', n."checkerIds",
      'fileId', (SELECT d."fileId" FROM "ApplicationDocument" d WHERE d."applicationId" = a.id AND d.kind = 'NOTICE'
                  AND d."createdAt" >= n."createdAt" ORDER BY d."createdAt" DESC LIMIT 1))
     FROM "Notice" n LEFT JOIN "User" cu ON cu.id = n."createdById"
    WHERE n."applicationId" = a.id AND n."deletedAt" IS NULL ORDER BY n."createdAt" DESC, n.id DESC LIMIT 1) AS notice,
  COALESCE((SELECT json_agg(json_build_object('document', g.document, 'sha256', g.sha256, 'method', g.method,
      'signedAt', g."signedAt", 'signerName', su."fullName", 'fileId', g."fileId") ORDER BY g."signedAt", g.id)
     FROM "Signature" g LEFT JOIN "User" su ON su.id = g."signerId" WHERE g."applicationId" = a.id), '[]'::json) AS signatures,
  COALESCE((SELECT json_agg(h ORDER BY h.id) FROM (
      SELECT e.id::text AS id, e.at, e."actorId", au."fullName" AS "actorName", e.action, e."fromStatus",
             e."toStatus", e."decisionKind", e.reasons, e.note, e.changes
        FROM "AuditEvent" e LEFT JOIN "User" au ON au.id = e."actorId"
       WHERE e."applicationId" = a.id ORDER BY e.id DESC LIMIT ${HISTORY_LIMIT}) h), '[]'::json) AS history`;

export type RawCard = RawDraft & {
  authorName: string | null;
  legalKato: CardData["legalKato"];
  sesFiles: CardData["sesFiles"] | null;
  notice: unknown;
  signatures: unknown[];
  history: unknown[];
};

export function cardOf(r: RawCard): CardData {
  const d = fixDates(r);
  const n = r.notice as
    | (Omit<CardNotice, "createdAt" | "sentAt"> & { createdAt: string; sentAt: string | null })
    | null;
  return {
    ...d,
    authorName: r.authorName,
    legalKato: r.legalKato ?? null,
    sesFiles: r.sesFiles ?? [],
    notice: n ? { ...n, createdAt: dateOf(n.createdAt) as Date, sentAt: dateOf(n.sentAt) } : null,
    signatures: (r.signatures as (CardSignature & { signedAt: string })[]).map((g) => ({
      ...g,
      signedAt: dateOf(g.signedAt) as Date,
    })),
    history: (r.history as (CardEvent & { at: string })[]).map((e) => ({ ...e, at: dateOf(e.at) as Date })),
  };
}

/** The card as one JSON value of an outer query on application `idSql` (facts + card in one statement). */
export const cardJson = (idSql: Prisma.Sql) => sql`
  (SELECT row_to_json(c) FROM (SELECT ${draftColumns}, ${cardColumns} FROM ${draftFrom} WHERE a.id = ${idSql}) c)`;

const TOP_DATES = ["savedAt", "createdAt", "updatedAt", "statusChangedAt", "submittedAt"] as const;

/** A card that came as JSON (its own dates are strings there). */
export function cardFromJson(j: Record<string, unknown>): CardData {
  const r = { ...j } as Record<string, unknown>;
  for (const k of TOP_DATES) r[k] = dateOf(r[k]);
  return cardOf(r as unknown as RawCard);
}

/** The card alone (null when the application does not exist). */
export async function loadCard(db: Db, id: string): Promise<CardData | null> {
  const rows = await db.$queryRaw<
    RawCard[]
  >`SELECT ${draftColumns}, ${cardColumns} FROM ${draftFrom} WHERE a.id = ${id}`;
  return rows[0] ? cardOf(rows[0]) : null;
}
