// The application wizard's reads, each ONE statement: the draft with everything a step shows and «Сохранить»
// checks (the organisation's fetched licences — the pool D1 is drawn from —, the save facts), alone or together
// with the decision facts of the person pressing (prisma/store/facts.ts); the organisation's previous application
// a new one is pre-filled from; the drafts list.
import type { TransitionFacts } from "../../domain/ports.ts";
import type { Status } from "../../domain/types.ts";
import { type Db, dateOf, Prisma, textArray } from "./db.ts";
import {
  type DraftLicenceRow,
  type DraftRow,
  draftColumns,
  draftFrom,
  fixDates,
  licenceJson,
  licenceOf,
  type RawDraft,
  type SaveFacts,
  saveFactsJson,
  saveFactsOf,
} from "./drafts.ts";
import { loadFactsWith } from "./facts.ts";

const sql = Prisma.sql;

/** The draft as the wizard reads it. */
export interface WizardDraft extends DraftRow {
  /**
   * The organisation's fetched licences (own and linked BINs), unfiltered: what Section A may offer and what D1
   * (the application's ApplicationLicence rows) is drawn from.
   */
  pool: DraftLicenceRow[];
  saveFacts: SaveFacts;
}

/** The wizard's columns besides the draft's (application `a`, organisation `o`). */
const wizardColumns = sql`
  COALESCE((SELECT json_agg(${licenceJson} ORDER BY l."holderBin", l.number) FROM "Licence" l
             WHERE l."orgId" = a."orgId"), '[]'::json) AS pool,
  ${saveFactsJson} AS "saveFacts"`;

const TOP_DATES = ["savedAt", "createdAt", "updatedAt", "statusChangedAt", "submittedAt"] as const;

type RawWizard = RawDraft & { pool: unknown[]; saveFacts: unknown };

function wizardOf(r: RawWizard): WizardDraft {
  return {
    ...fixDates(r),
    pool: (r.pool as DraftLicenceRow[]).map(licenceOf),
    saveFacts: saveFactsOf(r.saveFacts),
  };
}

/** A wizard draft that came as one JSON value (its top-level dates are strings there). */
function wizardFromJson(j: Record<string, unknown>): WizardDraft {
  const r = { ...j };
  for (const k of TOP_DATES) r[k] = dateOf(r[k]);
  return wizardOf(r as unknown as RawWizard);
}

/** The wizard draft of application `idSql` as ONE JSON value of an outer query. */
const wizardJson = (idSql: Prisma.Sql) => sql`
  (SELECT row_to_json(w) FROM (SELECT ${draftColumns}, ${wizardColumns} FROM ${draftFrom} WHERE a.id = ${idSql}) w)`;

/** The wizard draft alone (null when it does not exist). */
export async function loadWizardDraft(db: Db, id: string): Promise<WizardDraft | null> {
  const rows = await db.$queryRaw<
    RawWizard[]
  >`SELECT ${draftColumns}, ${wizardColumns} FROM ${draftFrom} WHERE a.id = ${id}`;
  return rows[0] ? wizardOf(rows[0]) : null;
}

/** The wizard draft and the decision facts of one user for it, in ONE statement (a wizard step reads this only). */
export async function loadDraftAndFacts(
  db: Db,
  id: string,
  userId: string,
): Promise<{ facts: TransitionFacts; draft: WizardDraft } | null> {
  const r = await loadFactsWith(db, id, userId, wizardJson(sql`${id}`));
  return r?.extra ? { facts: r.facts, draft: wizardFromJson(r.extra) } : null;
}

/**
 * What a new application of the organisation starts from (issue 14), in ONE statement: its latest saved (or
 * included) application, the organisation's fetched licences and ownership form, and the last exclusion of its
 * BIN (G6).
 */
export async function prefillSource(
  db: Db,
  orgId: string,
): Promise<{
  source: WizardDraft | null;
  pool: DraftLicenceRow[];
  ownershipFormCode: string | null;
  lastExclusionAt: Date | null;
}> {
  const latest = sql`(SELECT x.id FROM "Application" x WHERE x."orgId" = ${orgId} AND x."savedAt" IS NOT NULL
                       ORDER BY x."updatedAt" DESC, x.id LIMIT 1)`;
  const rows = await db.$queryRaw<
    {
      source: Record<string, unknown> | null;
      pool: DraftLicenceRow[] | null;
      ownershipFormCode: string | null;
      lastExclusionAt: Date | null;
    }[]
  >`
    SELECT ${wizardJson(latest)} AS source,
           (SELECT json_agg(${licenceJson} ORDER BY l."holderBin", l.number) FROM "Licence" l WHERE l."orgId" = o.id) AS pool,
           o."ownershipFormCode",
           (SELECT max(x."excludedAt") FROM "Application" x JOIN "Organisation" xo ON xo.id = x."orgId"
             WHERE xo.bin = o.bin AND x."excludedAt" IS NOT NULL) AS "lastExclusionAt"
      FROM "Organisation" o WHERE o.id = ${orgId}`;
  const r = rows[0];
  return {
    source: r?.source ? wizardFromJson(r.source) : null,
    pool: (r?.pool ?? []).map(licenceOf),
    ownershipFormCode: r?.ownershipFormCode ?? null,
    lastExclusionAt: r?.lastExclusionAt ?? null,
  };
}

export interface DraftListItem {
  id: string;
  chainId: string;
  versionNo: number;
  status: Status;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  saved: boolean;
  authorId: string;
  regionCode: string | null;
  regionNameKk: string | null;
  regionNameRu: string | null;
}

/**
 * «Черновики заявок»: the applications of the organisations where the user may work on drafts, in the given
 * statuses, only the newest version the user may see of each chain, newest change first. Unsaved drafts are
 * listed only to their author (DECISIONS 28).
 */
export async function draftList(
  db: Db,
  userId: string,
  orgIds: readonly string[],
  statuses: readonly Status[],
  limit = 20,
): Promise<DraftListItem[]> {
  if (!orgIds.length) return [];
  const visible = sql`(x."savedAt" IS NOT NULL OR x."authorId" = ${userId})`;
  return db.$queryRaw<DraftListItem[]>`
    SELECT a.id, a."chainId", a."versionNo", a.status::text AS status, a.version, a."createdAt", a."updatedAt",
           a."savedAt" IS NOT NULL AS saved, a."authorId", a."regionCode",
           r."nameKk" AS "regionNameKk", r."nameRu" AS "regionNameRu"
      FROM "Application" a LEFT JOIN "Region" r ON r.code = a."regionCode"
     WHERE a."orgId" = ANY(${textArray(orgIds)}) AND a.status::text = ANY(${textArray(statuses)})
       AND (a."savedAt" IS NOT NULL OR a."authorId" = ${userId})
       AND NOT EXISTS (SELECT 1 FROM "Application" x WHERE x."chainId" = a."chainId" AND x."versionNo" > a."versionNo"
                        AND ${visible} AND x.status::text = ANY(${textArray(statuses)}))
     ORDER BY a."updatedAt" DESC, a.id
     LIMIT ${limit}`;
}

/** The organisation's fetched licences (own and linked BINs) with their appendices, in ONE statement. */
export async function orgLicences(db: Db, orgId: string): Promise<DraftLicenceRow[]> {
  const rows = await db.$queryRaw<{ pool: DraftLicenceRow[] | null }[]>`
    SELECT json_agg(${licenceJson} ORDER BY l."holderBin", l.number) AS pool FROM "Licence" l WHERE l."orgId" = ${orgId}`;
  return (rows[0]?.pool ?? []).map(licenceOf);
}
