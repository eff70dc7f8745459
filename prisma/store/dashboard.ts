// The branch manager's dashboard and exports: one region, a few SQL statements each, on indexes.
// Every calendar rule is domain/sla.ts: the SQL only compares timestamps with the instants computed there
// (age bucket boundaries, breach cut-offs, a window of working-day ordinals), so it never knows holidays.
//
// Sources: open applications from Application (regionCode, status, statusChangedAt) — the existing index;
// history from StatusSpan (regionCode, endedAt), kept by the database from the audit (migration
// 20261202120000_dashboard_sla).
//
// Breaches per week (definition): an application counts in a week (Monday 00:00 – Monday 00:00 Astana) when
// at some moment of that week it was overdue in a stage: it had stayed in the stage's statuses past the stage's
// deadline (domain/sla.ts) and had not yet left them. A stay that ended by a decision at or before its deadline
// never counts. An application counts once per week, whatever number of stays. `newBreaches`: those whose
// deadline passed during the week. The current thresholds apply to the past too; the current week ends at `now`.
import {
  AGE_BUCKETS,
  ageBucketBounds,
  breachCutoff,
  calendarWindow,
  DECISION_ACTIONS,
  type DecisionRole,
  decisionActionsOf,
  FINAL_DECISION_ACTIONS,
  SLA_STAGES,
  SLA_STATUSES,
  type StageThresholds,
  stageClock,
  stageOfStatus,
  weekBounds,
} from "../../domain/sla.ts";
import type { Action, Status } from "../../domain/types.ts";
import type {
  BranchDashboard,
  ExportRow,
  OpenCell,
  OpenSummary,
  OverdueItem,
  PersonDecisions,
  WeekBreaches,
} from "../../domain/dashboard.ts";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { stageThresholds } from "./slaSettings.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** A UTC instant as the wall-clock text of a `timestamp(3) without time zone` column (the store keeps UTC). */
const ts = (d: Date) => d.toISOString().slice(0, 23);
const tsList = (ds: readonly Date[]) => ds.map(ts);

export type {
  BranchDashboard,
  ExportRow,
  OpenCell,
  OpenSummary,
  OverdueItem,
  PersonDecisions,
  WeekBreaches,
} from "../../domain/dashboard.ts";

export interface RegionQuery {
  regionCode: string;
  now: Date;
  thresholds: StageThresholds;
}

const daysOf = (t: StageThresholds) => SLA_STATUSES.map((s) => t[stageOfStatus(s)!]);

// ───────────── open applications by stage and age ─────────────

/** Open applications of the region per stage and age bucket, with how many are past their stage's deadline. */
export async function openByStageAndAge(db: Db, q: RegionQuery): Promise<OpenSummary> {
  const cutoffs = SLA_STATUSES.map((s) => breachCutoff(q.now, q.thresholds[stageOfStatus(s)!]));
  // One index range per status (Application(regionCode, status, statusChangedAt)), counted without the heap
  // when the visibility map allows.
  const rows = await db.$queryRaw<{ status: Status; w: number; n: number; breached: number }[]>`
    SELECT t.status::text AS status, x.w, x.n, x.breached
      FROM unnest(${[...SLA_STATUSES]}::"ApplicationStatus"[], ${tsList(cutoffs)}::timestamp[]) AS t(status, cutoff)
     CROSS JOIN LATERAL (
       SELECT width_bucket(a."statusChangedAt", ${tsList(ageBucketBounds(q.now))}::timestamp[]) AS w,
              count(*)::int AS n, count(*) FILTER (WHERE a."statusChangedAt" < t.cutoff)::int AS breached
         FROM "Application" a
        WHERE a."regionCode" = ${q.regionCode} AND a.status = t.status
        GROUP BY 1) x`;
  const byStage = Object.fromEntries(
    SLA_STAGES.map((s) => [s, { open: 0, breached: 0 }]),
  ) as OpenSummary["byStage"];
  const cells = new Map<string, OpenCell>();
  for (const r of rows) {
    const stage = stageOfStatus(r.status)!;
    const bucket = AGE_BUCKETS.length - 1 - r.w;
    const key = `${stage}:${bucket}`;
    const c = cells.get(key) ?? { stage, bucket, count: 0, breached: 0 };
    c.count += r.n;
    c.breached += r.breached;
    cells.set(key, c);
    byStage[stage].open += r.n;
    byStage[stage].breached += r.breached;
  }
  const list = [...cells.values()].sort(
    (a, b) => SLA_STAGES.indexOf(a.stage) - SLA_STAGES.indexOf(b.stage) || a.bucket - b.bucket,
  );
  const sum = (f: (v: { open: number; breached: number }) => number) =>
    Object.values(byStage).reduce((s, v) => s + f(v), 0);
  return { cells: list, byStage, open: sum((v) => v.open), breached: sum((v) => v.breached) };
}

// ───────────── breaches per week ─────────────

/**
 * Breaches per week over the last `weeks` weeks (see the definition at the top of this file). One statement:
 * the open applications overdue now (one index range per status, up to its cut-off) with the week their
 * deadline fell in, and the stays of the region that ended inside the window after their deadline. An open
 * application overdue since week k counts in every week from k on; a closed stay counts in the weeks its overdue
 * time touches, unless its application is already counted there as open.
 */
export async function breachesPerWeek(db: Db, q: RegionQuery & { weeks?: number }): Promise<WeekBreaches[]> {
  const n = q.weeks ?? 12;
  const bounds = weekBounds(q.now, n);
  const maxDays = Math.max(...SLA_STAGES.map((s) => q.thresholds[s]));
  const cal = calendarWindow(bounds[0]!, q.now, maxDays);
  const cutoffs = SLA_STATUSES.map((s) => breachCutoff(q.now, q.thresholds[stageOfStatus(s)!]));
  const deadline = (start: Prisma.Sql, days: Prisma.Sql) => Prisma.sql`
    CASE WHEN width_bucket(${start}, cal.ds) = 0 THEN '-infinity'::timestamp
         ELSE cal.we[cal.ord[width_bucket(${start}, cal.ds)] + ${days}] END`;
  const rows = await db.$queryRaw<{ kind: "open" | "closed" | "closed_new"; i: number; n: number }[]>`
    WITH cal AS (
      SELECT ${tsList(cal.dayStarts)}::timestamp[] AS ds, ${cal.ordinals}::int[] AS ord,
             ${tsList(cal.workEnds)}::timestamp[] AS we, ${tsList(bounds)}::timestamp[] AS b
    ), th AS (
      SELECT * FROM unnest(${[...SLA_STATUSES]}::"ApplicationStatus"[], ${daysOf(q.thresholds)}::int[],
                           ${tsList(cutoffs)}::timestamp[]) AS t(status, days, cutoff)
    ), open AS (
      -- Applications overdue now, counted by the week their deadline fell in (an index-only range per status).
      SELECT width_bucket(${deadline(Prisma.sql`a.st`, Prisma.sql`th.days`)}, cal.b) AS k
        FROM th CROSS JOIN cal
       CROSS JOIN LATERAL (
         SELECT a."statusChangedAt" AS st FROM "Application" a
          WHERE a."regionCode" = ${q.regionCode} AND a.status = th.status AND a."statusChangedAt" < th.cutoff) a
    ), closed AS MATERIALIZED (
      SELECT x.app, x.deadline, x.en FROM (
        SELECT s."applicationId" AS app, s."endedAt" AS en, ${deadline(Prisma.sql`s."startedAt"`, Prisma.sql`th.days`)} AS deadline
          FROM th CROSS JOIN cal
          JOIN "StatusSpan" s
            ON s."regionCode" = ${q.regionCode} AND s.status = th.status
           AND s."endedAt" > ${ts(bounds[0]!)}::timestamp AND s."endedAt" <= ${ts(q.now)}::timestamp) x
       WHERE x.deadline < x.en
    ), cw AS (
      -- A closed stay counts in a week unless its application is counted there as open (overdue since week ok).
      SELECT DISTINCT c.app, w.i, c.deadline >= cal.b[w.i] AS fresh
        FROM closed c
        JOIN "Application" a ON a.id = c.app
        LEFT JOIN th ON th.status = a.status AND a."statusChangedAt" < th.cutoff
       CROSS JOIN cal
       CROSS JOIN LATERAL (SELECT CASE WHEN th.status IS NULL THEN NULL
                                       ELSE width_bucket(${deadline(Prisma.sql`a."statusChangedAt"`, Prisma.sql`th.days`)}, cal.b) END AS ok) o
       CROSS JOIN generate_series(1, ${n}::int) AS w(i)
       WHERE c.deadline < cal.b[w.i + 1] AND c.en > cal.b[w.i] AND (o.ok IS NULL OR o.ok > w.i)
    )
    SELECT 'open' AS kind, k AS i, count(*)::int AS n FROM open GROUP BY k
    UNION ALL SELECT 'closed', i, count(DISTINCT app)::int FROM cw GROUP BY i
    UNION ALL SELECT 'closed_new', i, count(DISTINCT app)::int FROM cw WHERE fresh GROUP BY i`;
  // open: k = the number of week boundaries at or before the deadline (0: before the window; i: in week i).
  const openAt = new Array<number>(n + 2).fill(0);
  const closed = new Array<number>(n + 1).fill(0);
  const closedNew = new Array<number>(n + 1).fill(0);
  for (const r of rows) {
    if (r.kind === "open") openAt[Math.min(r.i, n + 1)]! += r.n;
    else if (r.kind === "closed") closed[r.i] = r.n;
    else closedNew[r.i] = r.n;
  }
  let openOverdue = openAt[0]!; // overdue since before the window: in every week
  return bounds.slice(0, -1).map((weekStart, idx) => {
    const i = idx + 1;
    openOverdue += openAt[i]!;
    return {
      weekStart,
      weekEnd: bounds[i]!,
      overdue: openOverdue + closed[i]!,
      newBreaches: openAt[i]! + closedNew[i]!,
    };
  });
}

// ───────────── decisions per person ─────────────

/** Staff decisions taken in the region in [from, to), per person and role, most decisions first. */
export async function decisionsByPerson(
  db: Db,
  q: { regionCode: string; from: Date; to: Date },
): Promise<PersonDecisions[]> {
  const actions = Object.keys(DECISION_ACTIONS) as Action[];
  const rows = await db.$queryRaw<{ userId: string; action: Action; n: number; fullName: string | null }[]>`
    SELECT s."endedById" AS "userId", s."endAction" AS action, count(*)::int AS n, min(u."fullName") AS "fullName"
      FROM "StatusSpan" s LEFT JOIN "User" u ON u.id = s."endedById"
     WHERE s."regionCode" = ${q.regionCode}
       AND s."endedAt" >= ${ts(q.from)}::timestamp AND s."endedAt" < ${ts(q.to)}::timestamp
       AND s."endAction" = ANY(${actions}::text[]) AND s."endedById" IS NOT NULL
     GROUP BY 1, 2`;
  const people = new Map<string, PersonDecisions>();
  for (const r of rows) {
    const d = DECISION_ACTIONS[r.action]!;
    const key = `${r.userId}:${d.role}`;
    const p = people.get(key) ?? {
      userId: r.userId,
      fullName: r.fullName,
      role: d.role,
      forward: 0,
      returned: 0,
    };
    if (d.returns) p.returned += r.n;
    else p.forward += r.n;
    people.set(key, p);
  }
  const order: DecisionRole[] = ["REVIEWER", "CHECKER", "APPROVER"];
  return [...people.values()].sort(
    (a, b) =>
      b.forward + b.returned - (a.forward + a.returned) ||
      order.indexOf(a.role) - order.indexOf(b.role) ||
      (a.fullName ?? "").localeCompare(b.fullName ?? ""),
  );
}

// ───────────── the oldest overdue items ─────────────

/** The most overdue open applications of the region (most working days past the deadline first). */
export async function oldestOverdue(db: Db, q: RegionQuery & { limit?: number }): Promise<OverdueItem[]> {
  const limit = q.limit ?? 10;
  const cutoffs = SLA_STATUSES.map((s) => breachCutoff(q.now, q.thresholds[stageOfStatus(s)!]));
  const rows = await db.$queryRaw<
    {
      applicationId: string;
      versionNo: number;
      status: Status;
      since: Date;
      orgNameKk: string;
      orgNameRu: string;
      bin: string;
    }[]
  >`
    SELECT x.* FROM unnest(${[...SLA_STATUSES]}::"ApplicationStatus"[], ${tsList(cutoffs)}::timestamp[]) AS t(status, cutoff)
     CROSS JOIN LATERAL (
       SELECT a.id AS "applicationId", a."versionNo", a.status::text AS status, a."statusChangedAt" AS since,
              o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu", o.bin
         FROM "Application" a JOIN "Organisation" o ON o.id = a."orgId"
        WHERE a."regionCode" = ${q.regionCode} AND a.status = t.status AND a."statusChangedAt" < t.cutoff
        ORDER BY a."statusChangedAt", a.id
        LIMIT ${limit}) x`;
  return rows
    .map((r) => {
      const c = stageClock(r.status, r.since, q.thresholds, q.now)!;
      return { ...r, stage: c.stage, deadline: c.deadline, overdueDays: c.overdueDays };
    })
    .sort((a, b) => b.overdueDays - a.overdueDays || a.since.getTime() - b.since.getTime())
    .slice(0, limit);
}

// ───────────── everything for one branch ─────────────

/** The dashboard of a branch (its region): thresholds once, then the four queries. null: no such branch. */
export async function branchDashboard(
  db: Db,
  args: { branchId: string; now: Date; period: { from: Date; to: Date }; overdueLimit?: number },
): Promise<BranchDashboard | null> {
  const branch = await db.branch.findUnique({
    where: { id: args.branchId },
    select: { id: true, regionCode: true, nameKk: true, nameRu: true },
  });
  const thresholds = branch ? await stageThresholds(db, branch.id) : null;
  if (!branch || !thresholds) return null;
  const q = { regionCode: branch.regionCode, now: args.now, thresholds };
  const [open, weeks, decisions, overdue] = await Promise.all([
    openByStageAndAge(db, q),
    breachesPerWeek(db, q),
    decisionsByPerson(db, { regionCode: branch.regionCode, ...args.period }),
    oldestOverdue(db, { ...q, limit: args.overdueLimit ?? 5 }),
  ]);
  return {
    branchId: branch.id,
    regionCode: branch.regionCode,
    branchNameKk: branch.nameKk,
    branchNameRu: branch.nameRu,
    now: args.now,
    period: args.period,
    thresholds,
    open,
    weeks,
    decisions,
    overdue,
  };
}

// ───────────── exports ─────────────

/**
 * The decision makers of a final decision: the approver's stay that the decision ended, the checker's stay
 * just before it and the reviewer's before that (a stay ends exactly when the next one begins; ids follow
 * that order). A name appears only when the stay was ended by that role's forward decision.
 */
const makers = (app: Prisma.Sql, where: Prisma.Sql) => Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT s.id, s."endedAt", s."endStatus", s."endedById" FROM "StatusSpan" s
     WHERE s."applicationId" = ${app} AND s."endAction" = ANY(${[...FINAL_DECISION_ACTIONS]}::text[]) ${where}
     ORDER BY s."endedAt" DESC, s.id DESC LIMIT 1) ap ON true
  LEFT JOIN LATERAL (
    SELECT s.id, s."endedById", s."endAction" FROM "StatusSpan" s
     WHERE s."applicationId" = ${app} AND s.id < ap.id ORDER BY s.id DESC LIMIT 1) ch ON true
  LEFT JOIN LATERAL (
    SELECT s."endedById", s."endAction" FROM "StatusSpan" s
     WHERE s."applicationId" = ${app} AND s.id < ch.id ORDER BY s.id DESC LIMIT 1) rv ON true
  LEFT JOIN "User" ua ON ua.id = ap."endedById"
  LEFT JOIN "User" uc ON uc.id = ch."endedById" AND ch."endAction" = ANY(${decisionActionsOf("CHECKER", false)}::text[])
  LEFT JOIN "User" ur ON ur.id = rv."endedById" AND rv."endAction" = ANY(${decisionActionsOf("REVIEWER", false)}::text[])`;

const EXPORT_COLUMNS = Prisma.sql`
  a.id AS "applicationId", a."chainId", a."versionNo", a."submittedAt",
  o."nameKk" AS "orgNameKk", o."nameRu" AS "orgNameRu", o.bin, r."nameKk" AS "regionKk", r."nameRu" AS "regionRu",
  ur."fullName" AS reviewer, uc."fullName" AS checker, ua."fullName" AS approver`;

/** The register of the region: its included applications, oldest inclusion first, with their decision makers. */
export async function registerExportRows(db: Db, regionCode: string): Promise<ExportRow[]> {
  return db.$queryRaw<ExportRow[]>`
    SELECT ${EXPORT_COLUMNS}, a.status::text AS status, coalesce(ap."endedAt", a."decidedAt") AS "decidedAt"
      FROM "Application" a
      JOIN "Organisation" o ON o.id = a."orgId"
      LEFT JOIN "Region" r ON r.code = a."regionCode"
      ${makers(Prisma.sql`a.id`, Prisma.sql`AND s."endStatus" = 'INCLUDED'`)}
     WHERE a."regionCode" = ${regionCode} AND a.status = 'INCLUDED'
     ORDER BY coalesce(ap."endedAt", a."decidedAt"), a.id`;
}

/** The region's final decisions (inclusion, rejection, exclusion) taken in [from, to), in the order taken. */
export async function decisionExportRows(
  db: Db,
  q: { regionCode: string; from: Date; to: Date },
): Promise<ExportRow[]> {
  return db.$queryRaw<ExportRow[]>`
    SELECT ${EXPORT_COLUMNS}, d."endStatus"::text AS status, d."endedAt" AS "decidedAt"
      FROM "StatusSpan" d
      JOIN "Application" a ON a.id = d."applicationId"
      JOIN "Organisation" o ON o.id = a."orgId"
      LEFT JOIN "Region" r ON r.code = a."regionCode"
      ${makers(Prisma.sql`d."applicationId"`, Prisma.sql`AND s.id = d.id`)}
     WHERE d."regionCode" = ${q.regionCode} AND d."endedAt" >= ${ts(q.from)}::timestamp
       AND d."endedAt" < ${ts(q.to)}::timestamp
       AND d."endAction" = ANY(${[...FINAL_DECISION_ACTIONS]}::text[])
     ORDER BY d."endedAt", d.id`;
}
