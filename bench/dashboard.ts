// The branch manager's dashboard on 1,000,000 applications: the SQL of every dashboard and export query (p50/p99,
// captured from Prisma's query log and replayed with pg, like the queries section) and through Prisma, and the
// PNG's render time. The population is the queries section's (100,000 organisations, 1,000,000 applications over
// three years in 20 regions) plus the status history a real run would have written: every application's stays
// on its way to its status (head, review, check, approval; one in ten inclusions refused once by the checker;
// exclusions through the included stay), each ended by one of the region's staff (StatusSpan, ≈ 4–5 M rows).
import type pg from "pg";
import { createBenchDb } from "./lib/db.ts";
import { check, type Section } from "./lib/report.ts";
import { nowMs, percentile } from "./lib/stats.ts";
import { generate } from "./queries.ts";

export interface DashboardBenchOptions {
  orgs: number;
  apps: number;
  iterations: number;
  renders: number;
  log: (m: string) => void;
}

const SQL_TARGET_MS = 20;
const RENDER_TARGET_MS = 150;

/**
 * The way each application came to its status (stays before the current one), their ending actions and the
 * status each led to. `r` = the inclusion with one refusal by the checker.
 */
const PATHS = `
  SELECT * FROM (VALUES
    ('INCLUDED',  ARRAY['HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK','CONFIRMED_APPROVAL'],
                  ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM','APPROVER_APPROVE']),
    ('INCLUDED_R',ARRAY['HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK','UNDER_REVIEW','AGREED_CHECK','CONFIRMED_APPROVAL'],
                  ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_REFUSE','SEND_TO_CHECK','CHECKER_CONFIRM','APPROVER_APPROVE']),
    ('REJECTED',  ARRAY['HEAD_APPROVAL','UNDER_REVIEW','REJECTED_CHECK','REJECTED_APPROVAL'],
                  ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM','APPROVER_APPROVE']),
    ('CHANGED',   ARRAY['HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK','CONFIRMED_APPROVAL','INCLUDED'],
                  ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM','APPROVER_APPROVE','SUPERSEDED']),
    ('EXCLUDED',  ARRAY['HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK','CONFIRMED_APPROVAL','INCLUDED','REJECTED_CHECK','CONFIRMED_APPROVAL'],
                  ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM','APPROVER_APPROVE','SEND_EXCLUSION_TO_CHECK','CHECKER_CONFIRM','APPROVE_EXCLUSION']),
    ('UNDER_REVIEW',       ARRAY['HEAD_APPROVAL'], ARRAY['HEAD_SUBMIT']),
    ('AGREED_CHECK',       ARRAY['HEAD_APPROVAL','UNDER_REVIEW'], ARRAY['HEAD_SUBMIT','SEND_TO_CHECK']),
    ('REJECTED_CHECK',     ARRAY['HEAD_APPROVAL','UNDER_REVIEW'], ARRAY['HEAD_SUBMIT','SEND_TO_CHECK']),
    ('CONFIRMED_APPROVAL', ARRAY['HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK'], ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM']),
    ('REJECTED_APPROVAL',  ARRAY['HEAD_APPROVAL','UNDER_REVIEW','REJECTED_CHECK'], ARRAY['HEAD_SUBMIT','SEND_TO_CHECK','CHECKER_CONFIRM'])
  ) AS p(kind, path, acts)`;

const ROLE_OF_ACTION = `CASE
  WHEN x.act IN ('SEND_TO_CHECK','SEND_EXCLUSION_TO_CHECK') THEN 'REVIEWER'
  WHEN x.act IN ('CHECKER_CONFIRM','CHECKER_REFUSE') THEN 'CHECKER'
  WHEN x.act IN ('APPROVER_APPROVE','APPROVE_EXCLUSION','SUPERSEDED') THEN 'APPROVER' END`;

/** Staff per branch (3 reviewers, 3 checkers, 2 approvers, 1 manager) and the status history of every application. */
async function generateHistory(pool: pg.Pool): Promise<{ spans: number; staff: number }> {
  await pool.query(`
    INSERT INTO "User"(id, "telegramId", language, "fullName")
    SELECT 'bench-' || b."regionCode" || '-' || r.role || '-' || k, 8400000000 + row_number() OVER (), 'ru',
           (ARRAY['Айгерим','Ерлан','Жанар','Гүлнар','Нұрлан','Әсел','Дәурен','Мадина'])[1 + (k + length(b.id)) % 8] || ' ' ||
           (ARRAY['Садықова','Сәрсенов','Бекова','Әбілқайырова','Омаров','Қасымова','Жұмабаев','Ахметова'])[1 + (k * 3 + length(r.role)) % 8]
      FROM "Branch" b
     CROSS JOIN (VALUES ('REVIEWER', 3), ('CHECKER', 3), ('APPROVER', 2), ('MANAGER', 1)) AS r(role, n)
     CROSS JOIN LATERAL generate_series(1, r.n) k`);
  const { rowCount: staff } = await pool.query(`
    INSERT INTO "StaffMembership"(id, "userId", "branchId", role)
    SELECT gen_random_uuid()::text, u.id, b.id, split_part(u.id, '-', 3)::"StaffRole"
      FROM "User" u JOIN "Branch" b ON u.id LIKE 'bench-%' AND split_part(u.id, '-', 2) = b."regionCode"`);
  // Durations of the stays, counted back from the application's last status change: 0–7 days each.
  await pool.query(`
    WITH a AS (
      SELECT a.id, a."regionCode", a.status::text AS st, a."statusChangedAt" AS t, hashint4(hashtext(a.id)) AS h
        FROM "Application" a WHERE a.status <> 'DRAFT' AND a.status <> 'HEAD_APPROVAL'
    ), p AS (${PATHS}),
    stays AS (
      SELECT a.id, a."regionCode", a.h, a.t, s.k, s.status, s.act,
             lead(s.status, 1, a.st) OVER w AS next,
             sum(((hashint4(a.h # s.k::int) & 2147483647) % (7 * 86400))) OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS back,
             ((hashint4(a.h # s.k::int) & 2147483647) % (7 * 86400)) AS dur
        FROM a
        JOIN p ON p.kind = CASE WHEN a.st = 'INCLUDED' AND (a.h & 15) < 2 THEN 'INCLUDED_R' ELSE a.st END
       CROSS JOIN LATERAL unnest(p.path, p.acts) WITH ORDINALITY AS s(status, act, k)
      WINDOW w AS (PARTITION BY a.id ORDER BY s.k)
    )
    INSERT INTO "StatusSpan"("applicationId", "regionCode", status, "startedAt", "endedAt", "endedById", "endAction", "endStatus")
    SELECT x.id, x."regionCode", x.status::"ApplicationStatus",
           x.t - x.back * interval '1 second', x.t - (x.back - x.dur) * interval '1 second',
           CASE WHEN x.role IS NULL THEN 'bench-author'
                ELSE 'bench-' || x."regionCode" || '-' || x.role || '-' || (1 + ((x.h & 1023) + x.k::int) % (CASE x.role WHEN 'APPROVER' THEN 2 ELSE 3 END)) END,
           x.act, x.next::"ApplicationStatus"
      FROM (SELECT x.*, ${ROLE_OF_ACTION} AS role FROM stays x) x`);
  // The current stay of every application (open).
  await pool.query(`
    INSERT INTO "StatusSpan"("applicationId", "regionCode", status, "startedAt")
    SELECT id, "regionCode", status, "statusChangedAt" FROM "Application"`);
  // A settled database (autovacuum has run): the visibility map lets the counts read the indexes only.
  await pool.query(`VACUUM ANALYZE "StatusSpan"`);
  await pool.query(`VACUUM ANALYZE "Application"`);
  await pool.query(`ANALYZE "User"`);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "StatusSpan"`);
  return { spans: rows[0]!.n, staff: staff ?? 0 };
}

interface Captured {
  query: string;
  params: unknown[];
}

export async function benchDashboard(opts: DashboardBenchOptions): Promise<Section> {
  const section: Section = { name: "dashboard", rows: [], notes: [] };
  const db = await createBenchDb("dash", { seed: true });
  try {
    section.notes.push(...db.notes);
    const t0 = nowMs();
    await generate(db.pool, opts.orgs, opts.apps);
    const gen = await generateHistory(db.pool);
    const { rows: cnt } = await db.pool.query<{ apps: number }>(
      `SELECT count(*)::int AS apps FROM "Application"`,
    );
    const genS = (nowMs() - t0) / 1000;
    opts.log(
      `dashboard: ${cnt[0]!.apps} applications, ${gen.spans} stays, ${gen.staff} staff in ${genS.toFixed(0)} s`,
    );
    section.notes.push(
      `data: ${cnt[0]!.apps} applications (the queries section's generator), ${gen.spans} status stays, ${gen.staff} staff memberships (generated in ${genS.toFixed(0)} s)`,
    );
    await measure(db.url, db.pool, opts, section);
  } finally {
    await db.drop();
  }
  return section;
}

async function measure(
  url: string,
  pool: pg.Pool,
  opts: DashboardBenchOptions,
  section: Section,
): Promise<void> {
  const store = await import("../prisma/store/dashboard.ts");
  const settings = await import("../prisma/store/slaSettings.ts");
  const sla = await import("../domain/sla.ts");
  const { translator } = await import("../bot/kit/i18n.ts");
  const views = await import("../bot/views/dashboard.ts");
  const exportsView = await import("../bot/views/exports.ts");
  const chart = await import("../adapters/charts/dashboard.ts");
  const { xlsxWriter } = await import("../adapters/export/xlsx.ts");
  const { csvWriter } = await import("../adapters/export/csv.ts");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("../generated/prisma/client.ts");
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url }),
    log: [{ emit: "event", level: "query" }],
  });
  let capture: Captured[] | null = null;
  prisma.$on("query", (e) => {
    if (!capture) return;
    let params: unknown[] = [];
    try {
      params = JSON.parse(e.params) as unknown[];
    } catch {
      params = [];
    }
    capture.push({ query: e.query, params });
  });
  const client = await pool.connect();
  try {
    const { rows: branches } = await client.query<{ id: string; regionCode: string }>(
      `SELECT id, "regionCode" FROM "Branch" ORDER BY id`,
    );
    const thresholds = new Map<string, Awaited<ReturnType<typeof settings.stageThresholds>>>();
    for (const b of branches) thresholds.set(b.regionCode, await settings.stageThresholds(prisma, b.id));
    const now = new Date();
    const month = sla.periodRange("month", now, -1);
    const quarter = sla.periodRange("quarter", now, -1);
    let i = 0;
    const nextRegion = () => branches[i++ % branches.length]!.regionCode;
    const q = (r: string) => ({ regionCode: r, now, thresholds: thresholds.get(r)! });

    const queries: [string, string, (r: string) => Promise<unknown>][] = [
      ["open_by_stage", "open by stage and age", (r) => store.openByStageAndAge(prisma, q(r))],
      ["breaches_per_week", "breaches per week (12 weeks)", (r) => store.breachesPerWeek(prisma, q(r))],
      [
        "decisions_month",
        "decisions per person, a month",
        (r) => store.decisionsByPerson(prisma, { regionCode: r, ...month }),
      ],
      [
        "decisions_quarter",
        "decisions per person, a quarter",
        (r) => store.decisionsByPerson(prisma, { regionCode: r, ...quarter }),
      ],
      ["oldest_overdue", "oldest overdue (5)", (r) => store.oldestOverdue(prisma, { ...q(r), limit: 5 })],
      [
        "export_decisions_month",
        "export: decisions of a month",
        (r) => store.decisionExportRows(prisma, { regionCode: r, ...month }),
      ],
    ];
    const time = async (n: number, fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let k = 0; k < n; k++) {
        const t = nowMs();
        await fn();
        samples.push(nowMs() - t);
      }
      return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
    };
    const n = opts.iterations;
    for (const [key, label, fn] of queries) {
      // One capture per region, replayed in turn: the SQL as the store sends it, on one pg connection.
      const perRegion: Captured[][] = [];
      for (const b of branches) {
        capture = [];
        await fn(b.regionCode);
        perRegion.push(capture);
        capture = null;
      }
      let j = 0;
      const sql = await time(n, async () => {
        for (const c of perRegion[j++ % perRegion.length]!) await client.query(c.query, c.params);
      });
      const orm = await time(Math.max(20, Math.floor(n / 4)), () => fn(nextRegion()));
      section.rows.push(
        {
          key: `dashboard.${key}.sql_p50_ms`,
          label: `${label}: SQL p50`,
          unit: "ms",
          value: sql.p50,
          verdict: "info",
        },
        {
          key: `dashboard.${key}.sql_p99_ms`,
          label: `${label}: SQL p99`,
          unit: "ms",
          value: sql.p99,
          target: `≤ ${SQL_TARGET_MS}`,
          verdict: check(sql.p99, "<=", SQL_TARGET_MS),
        },
        {
          key: `dashboard.${key}.prisma_p99_ms`,
          label: `${label}: through Prisma p99`,
          unit: "ms",
          value: orm.p99,
          verdict: "info",
        },
      );
      const c = perRegion[0]![0]!;
      const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${c.query}`, c.params);
      const text = plan.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
      const idx = [
        ...new Set([...text.matchAll(/(?:using|Bitmap Index Scan on) "?([^"\s]+)"?/g)].map((m) => m[1]!)),
      ];
      section.notes.push(`${label}: index used: ${idx.join(", ") || "NONE"}\n${text}`);
    }

    // The register export is one big read (every included application of a region with its makers).
    const reg = await time(Math.max(5, Math.floor(n / 50)), () =>
      store.registerExportRows(prisma, nextRegion()),
    );
    const regRows = await store.registerExportRows(prisma, branches[0]!.regionCode);
    const t = translator("ru");
    const tk = translator("kk");
    const table = exportsView.exportTable(t, "ru", "register", regRows);
    const xlsx = await time(5, async () => xlsxWriter.write(table));
    const csv = await time(5, async () => csvWriter.write(table));
    section.rows.push(
      {
        key: "dashboard.export_register.prisma_p99_ms",
        label: `export: the register (${regRows.length} rows), through Prisma p99`,
        unit: "ms",
        value: reg.p99,
        verdict: "info",
      },
      {
        key: "dashboard.export_register.xlsx_ms",
        label: "register XLSX file, p50",
        unit: "ms",
        value: xlsx.p50,
        verdict: "info",
      },
      {
        key: "dashboard.export_register.csv_ms",
        label: "register CSV file, p50",
        unit: "ms",
        value: csv.p50,
        verdict: "info",
      },
    );

    // The whole dashboard of a branch (thresholds + the four queries), and its picture.
    const all = await time(Math.max(20, Math.floor(n / 4)), () =>
      store.branchDashboard(prisma, { branchId: branches[i++ % branches.length]!.id, now, period: month }),
    );
    section.rows.push({
      key: "dashboard.branch_dashboard.prisma_p99_ms",
      label: "whole dashboard of a branch (5 statements, through Prisma) p99",
      unit: "ms",
      value: all.p99,
      verdict: "info",
    });
    const data = (await store.branchDashboard(prisma, { branchId: branches[0]!.id, now, period: month }))!;
    const inputs = [views.dashboardChartInput(t, "ru", data), views.dashboardChartInput(tk, "kk", data)];
    chart.renderDashboardPng(inputs[0]!); // warm-up: module and font loading
    let size = 0;
    const samples: number[] = [];
    for (let k = 0; k < opts.renders; k++) {
      const t1 = nowMs();
      size = chart.renderDashboardPng(inputs[k % 2]!).length;
      samples.push(nowMs() - t1);
    }
    const r50 = percentile(samples, 0.5);
    const r99 = percentile(samples, 0.99);
    section.rows.push(
      {
        key: "dashboard.render.p50_ms",
        label: "PNG render (ECharts SVG → resvg) p50",
        unit: "ms",
        value: r50,
        verdict: "info",
      },
      {
        key: "dashboard.render.p99_ms",
        label: "PNG render p99",
        unit: "ms",
        value: r99,
        target: `≤ ${RENDER_TARGET_MS}`,
        verdict: check(r99, "<=", RENDER_TARGET_MS),
      },
      { key: "dashboard.render.png_kb", label: "PNG size", unit: "KB", value: size / 1024, verdict: "info" },
    );
    section.notes.push(
      `SQL: each query captured from Prisma's log once per region (${branches.length} regions) and replayed in turn with pg, ${n} runs; renders: ${opts.renders}, kk and ru alternately, 960×1280 px`,
      `open applications of the first region: ${data.open.open} (${data.open.breached} breached); the generator spreads open applications over three years, so most of them are overdue: a far heavier dashboard than a real branch's`,
    );
  } finally {
    client.release();
    await prisma.$disconnect();
  }
}
