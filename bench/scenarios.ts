// The update scenarios of the update benchmark. Each prepares its data (bulk SQL), checks once that
// the feature answers (not the fallback), and returns the update for operation i.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Update } from "grammy/types";
import { cb } from "../bot/kit/callbacks.ts";
import { translator } from "../bot/kit/i18n.ts";
import { MENU } from "../bot/features/menu/verbs.ts";
import { V } from "../bot/features/staff/verbs.ts";
import { warmupOf } from "./lib/load.ts";
import { type RecordedCall, userUpdates } from "./lib/fakeApi.ts";
import { createStaff, type Population } from "./lib/population.ts";
import type { Row } from "./lib/report.ts";
import type { LatencySummary } from "./lib/stats.ts";
import type { BotEnv, ScenarioTargets } from "./lib/botEnv.ts";

export interface ScenarioEnv {
  env: BotEnv;
  pop: Population;
  quick: boolean;
  log: (m: string) => void;
}

export interface Prepared {
  /** The update of operation i; valid for i < count + 200 (the warm-up uses i ≥ count). */
  update(i: number): Update;
  count?: number;
  /** Operations with the same lane key never overlap (same chat). */
  laneOf?(i: number): number;
  /** Extra figures after the measured run (e.g. Redis bytes). */
  after?(s: LatencySummary): Promise<{ updates: Row[]; storage: Row[]; notes: string[] }>;
  /**
   * The open-loop run: the updates of `count` arrivals, each from a random one of the simulated users
   * (`rnd`), with whatever data they need created beforehand. The same updates go to the bare bot.
   */
  open?(count: number, rnd: () => number): Promise<OpenPrepared>;
}

export interface OpenPrepared {
  update(i: number): Update;
  /** Users the arrivals are drawn from (different chats). */
  users: number;
  /** After the run of the real bot: how many of the arrivals did what they should (e.g. moved their application). */
  applied?(): Promise<number>;
}

export interface Scenario {
  key: string;
  label: string;
  /**
   * Issue 10's targets. throughputPct: closed loop, vs the fair baseline; p99: open loop at the realistic rate (what
   * a user feels); cpuMs, roundTrips, transactions: per update.
   */
  targets: ScenarioTargets;
  /** Also measure the fair baseline (a bare handler reading the same rows in one query): the status list. */
  fairBaseline?: boolean;
  /** Measured updates: [quick, full]. */
  updates: [number, number];
  prepare(s: ScenarioEnv, n: number): Promise<Prepared | { missing: string }>;
}

/** What the fallback answers; a scenario whose probe gets one of these is «not implemented yet». */
function fallbackTexts(): Set<string> {
  const t = translator("ru");
  return new Set(
    ["stale_button", "unknown_command", "unknown_slash", "use_buttons", "unexpected_input", "internal"].map(
      (k) => t(`common:errors.${k}`),
    ),
  );
}

/** Sends one update and tells whether a feature (not the fallback or the error boundary) answered it. */
export async function probe(
  env: BotEnv,
  chatId: number,
  update: Update,
): Promise<{ ok: boolean; calls: RecordedCall[]; why: string }> {
  const before = env.api.total();
  const chatBefore = [...(env.api.byChat.get(chatId) ?? [])];
  await env.bot.handleUpdate(update);
  const after = env.api.byChat.get(chatId) ?? [];
  const fresh = after.filter((c) => !chatBefore.includes(c));
  if (env.api.total() === before) return { ok: false, calls: fresh, why: "no Bot API call at all" };
  const fb = fallbackTexts();
  const bad = fresh.find((c) => fb.has(String(c.payload.text ?? "")));
  if (bad)
    return {
      ok: false,
      calls: fresh,
      why: `answered by the fallback/error handler: «${String(bad.payload.text)}»`,
    };
  return { ok: true, calls: fresh, why: "" };
}

/**
 * Organisations of their own for the applications a scenario adds: an organisation has at most one open
 * application per region (Application_one_open_per_region_key), so each added application gets one.
 */
let orgSeq = 0;
async function freshOrgs(pool: pg.Pool, n: number): Promise<string[]> {
  const from = orgSeq;
  orgSeq += n;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Organisation"(id, bin, "nameKk", "nameRu")
     SELECT gen_random_uuid()::text, '7' || lpad(($1::int + g)::text, 11, '0'),
            'ЖШС «Бенч c' || ($1::int + g) || '»', 'ТОО «Бенч c' || ($1::int + g) || '»'
       FROM generate_series(0, $2::int - 1) g ORDER BY g
     RETURNING id`,
    [from, n],
  );
  return rows.map((r) => r.id);
}

const statusCheck: Scenario = {
  key: "status",
  label: "(a) status check «my applications»",
  targets: { throughputPct: 50, p99: 15, roundTrips: 2 },
  fairBaseline: true,
  updates: [600, 3000],
  async prepare({ env, pop }) {
    const users = pop.suppliers.map((s) => userUpdates(s.tg));
    const data = cb(MENU.applications);
    const update = (i: number) => users[i % users.length]!.press(data, 1);
    const p = await probe(env, pop.suppliers[0]!.tg, update(0));
    if (!p.ok)
      return {
        missing: `the «my applications» screen (callback ${data}, bot/features/applications) is not answered yet: ${p.why}`,
      };
    return {
      update,
      async open(count, rnd) {
        const pick = Array.from({ length: count }, () => Math.floor(rnd() * users.length));
        return { update: (i) => users[pick[i]!]!.press(data, 1), users: users.length };
      },
    };
  },
};

const checkerConfirm: Scenario = {
  key: "checker_confirm",
  label: "(c) staff decision: checker confirms",
  targets: { p99: 50, cpuMs: 3, transactions: 3 },
  updates: [400, 1000],
  async prepare({ env, pop }, n) {
    const pool = env.db.pool;
    const checkers = await createStaff(pool, "CHECKER", pop.branches, 2, 0);
    const reviewers = await createStaff(pool, "REVIEWER", pop.branches, 1, 10_000);
    await createStaff(pool, "APPROVER", pop.branches, 1, 20_000);
    const total = n + 201; // measured + warm-up + the probe
    const pick = Array.from({ length: total }, (_, k) => ({
      checker: checkers[k % checkers.length]!,
      supplier: pop.suppliers[k % pop.suppliers.length]!,
    }));
    const reviewerOf = new Map(reviewers.map((r) => [r.branchId, r.userId]));
    const appIds = pick.map(() => randomUUID());
    await pool.query(
      `INSERT INTO "Application"(id, "chainId", "orgId", "authorId", "regionCode", status, "decisionKind", version,
                                 "supplierSubtypes", "coExecutorSubtypes", "asSupplier", "submittedAt", "statusChangedAt", "updatedAt", "savedAt")
       SELECT id, gen_random_uuid()::text, org, author, region, 'AGREED_CHECK', 'INCLUSION', 1,
              '{}', '{}', true, now() - interval '2 days', now() - interval '1 day', now(), now() - interval '2 days'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, org, author, region)`,
      [
        appIds,
        await freshOrgs(pool, appIds.length),
        pick.map((p) => p.supplier.userId),
        pick.map((p) => p.checker.regionCode),
      ],
    );
    await pool.query(
      `INSERT INTO "Notice"(id, "applicationId", kind, reasons, "createdById", "checkerIds", "createdAt", "sentAt")
       SELECT gen_random_uuid()::text, a, 'INCLUSION', '{}', r, ARRAY[c], now() - interval '1 day', now() - interval '1 day'
         FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, r, c)`,
      [appIds, pick.map((p) => reviewerOf.get(p.checker.branchId)!), pick.map((p) => p.checker.userId)],
    );
    await pool.query("ANALYZE");
    const users = checkers.map((c) => userUpdates(c.tg));
    const update = (i: number) => users[i % users.length]!.press(cb(V.checkerConfirm, [appIds[i]!], 1), 1);
    const probeIdx = total - 1;
    if (process.env.BENCH_TRACE) env.db.queries.trace = [];
    const p = await probe(env, checkers[probeIdx % checkers.length]!.tg, update(probeIdx));
    if (env.db.queries.trace) {
      console.error(`[trace] checker confirm: ${env.db.queries.trace.length} statements`);
      for (const q of env.db.queries.trace) console.error(`[trace]   ${q}`);
      env.db.queries.trace = undefined;
    }
    if (!p.ok)
      return { missing: `the checker's «Подтвердить» (${V.checkerConfirm}) is not answered yet: ${p.why}` };
    const st = await pool.query<{ status: string }>(`SELECT status::text FROM "Application" WHERE id = $1`, [
      appIds[probeIdx],
    ]);
    if (st.rows[0]?.status === "AGREED_CHECK") {
      return {
        missing: `pressing ${V.checkerConfirm} did not move the application (still AGREED_CHECK); answered: ${env.api.recent
          .slice(-2)
          .map((c) => `${c.method} ${JSON.stringify(c.payload).slice(0, 200)}`)
          .join(", ")}`,
      };
    }
    // The open loop: 1,000 checkers (50 per branch), so that arrivals come from different chats, each
    // press on an application of its own in AGREED_CHECK whose notice names that checker.
    let openCheckers: Awaited<ReturnType<typeof createStaff>> | undefined;
    const insertAgreed = async (ids: string[], who: typeof checkers) => {
      await pool.query(
        `INSERT INTO "Application"(id, "chainId", "orgId", "authorId", "regionCode", status, "decisionKind", version,
                                   "supplierSubtypes", "coExecutorSubtypes", "asSupplier", "submittedAt", "statusChangedAt", "updatedAt", "savedAt")
         SELECT id, gen_random_uuid()::text, org, author, region, 'AGREED_CHECK', 'INCLUSION', 1,
                '{}', '{}', true, now() - interval '2 days', now() - interval '1 day', now(), now() - interval '2 days'
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, org, author, region)`,
        [
          ids,
          await freshOrgs(pool, ids.length),
          ids.map((_, k) => pop.suppliers[k % pop.suppliers.length]!.userId),
          who.map((c) => c.regionCode),
        ],
      );
      await pool.query(
        `INSERT INTO "Notice"(id, "applicationId", kind, reasons, "createdById", "checkerIds", "createdAt", "sentAt")
         SELECT gen_random_uuid()::text, a, 'INCLUSION', '{}', r, ARRAY[c], now() - interval '1 day', now() - interval '1 day'
           FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, r, c)`,
        [ids, who.map((c) => reviewerOf.get(c.branchId)!), who.map((c) => c.userId)],
      );
    };
    return {
      update,
      laneOf: (i) => i % users.length,
      async open(count, rnd) {
        openCheckers ??= await createStaff(pool, "CHECKER", pop.branches, 50, 30_000);
        const oc = openCheckers;
        const who = Array.from({ length: count }, () => oc[Math.floor(rnd() * oc.length)]!);
        const ids = who.map(() => randomUUID());
        await insertAgreed(ids, who);
        await pool.query(`ANALYZE "Application"; ANALYZE "Notice"`);
        const u = new Map(oc.map((c) => [c.tg, userUpdates(c.tg)]));
        return {
          users: oc.length,
          update: (i) => u.get(who[i]!.tg)!.press(cb(V.checkerConfirm, [ids[i]!], 1), 1),
          async applied() {
            const { rows } = await pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM "Application" WHERE id = ANY($1::text[]) AND status <> 'AGREED_CHECK'`,
              [ids],
            );
            return rows[0]!.n;
          },
        };
      },
      async after() {
        const used = n + warmupOf(n) + 1; // measured + warm-up + the probe
        const { rows: moved } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Application" WHERE id = ANY($1::text[]) AND status <> 'AGREED_CHECK'`,
          [appIds],
        );
        return {
          updates: [
            {
              key: "updates.checker_confirm.decisions_applied",
              label: "(c) decisions applied",
              unit: "",
              value: moved[0]!.n,
              target: `= ${used}`,
              verdict: moved[0]!.n === used ? "ok" : "FAIL",
            },
          ],
          storage: [],
          notes: [
            `checker_confirm: ${checkers.length} checkers (2 per branch), one application each press, AGREED_CHECK → ${st.rows[0]?.status}`,
          ],
        };
      },
    };
  },
};

export const scenarios: Scenario[] = [statusCheck, checkerConfirm];
