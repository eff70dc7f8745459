// Updates: throughput and p50/p99 latency of bot.handleUpdate with 1,000 simulated users, side by side
// with a bare grammY bot answering the same updates through the same recording fetch.
//   (a) status check – the supplier's «my applications» list (main-menu button m.apps)
//   (b) a wizard step near the end of the application vs the first step (ratio last/first)
//   (c) a staff decision – the checker's «Подтвердить»
// Two ways of loading the bot, both beside the bare bot:
//   closed loop – `LANES` updates in flight, each lane a different chat (as @grammyjs/runner would run
//     them), the next update as soon as one ends: the throughput, and latencies at saturation
//     (p50 ≈ LANES / throughput);
//   open loop – updates arrive at a fixed offered rate (Poisson), each from a random one of the 1,000
//     users, whether or not the bot is busy: the latency a user feels at that load, queueing included.
//     The p99 targets apply here, at the realistic rate (1,000 users acting about every 10 s).
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import pg from "pg";
import type { AppContext } from "../bot/context.ts";
import { features } from "../bot/features/index.ts";
import { createBaselineBot, createFairBaselineBot } from "./lib/baselines.ts";
import { type BenchDb, createBenchDb } from "./lib/db.ts";
import { RecordingApi } from "./lib/fakeApi.ts";
import { poissonArrivals, runLoad, runOpenLoop, seededRandom, warmupOf } from "./lib/load.ts";
import { createPopulation, giveLicences, type Population } from "./lib/population.ts";
import { check, missing, type Row, type Section } from "./lib/report.ts";
import type { LatencySummary } from "./lib/stats.ts";
import type { OpenLoopSummary } from "./lib/load.ts";
import { chatStateBytes, createBotEnv, type ScenarioTargets } from "./lib/botEnv.ts";
import { type Prepared, type ScenarioEnv, scenarios } from "./scenarios.ts";
import { p50, p99, walkWizard } from "./wizard.ts";

export const LANES = Number(process.env.BENCH_LANES ?? 12);
/** Offered rates of the open loop: realistic (1,000 users, one update each ~10 s) and busy. */
export const OPEN_RATES = { realistic: 100, busy: 300 } as const;
/** The busy rate runs only below this share of the closed-loop throughput (beyond it the queue explodes). */
const BUSY_MAX_SHARE = 0.7;

export interface UpdatesOptions {
  quick: boolean;
  /** Length of each open-loop run, s (default 15, --quick 4). */
  openSeconds?: number;
  log: (m: string) => void;
}

function rowsFor(
  key: string,
  label: string,
  s: LatencySummary,
  base: LatencySummary,
  targets: ScenarioTargets,
  fair?: LatencySummary,
): Row[] {
  label = `${label}, closed loop (${LANES} in flight)`;
  const pct = (100 * s.throughput) / base.throughput;
  const fairRows: Row[] = fair
    ? [
        {
          key: `${key}.fair_baseline_throughput_per_s`,
          label: `${label}: fair baseline throughput (bare handler, same rows in one SQL query)`,
          unit: "upd/s",
          value: fair.throughput,
          verdict: "info",
        },
        {
          key: `${key}.throughput_pct_of_fair_baseline`,
          label: `${label}: throughput vs fair baseline`,
          unit: "%",
          value: (100 * s.throughput) / fair.throughput,
          target: targets.throughputPct ? `≥ ${targets.throughputPct}` : undefined,
          verdict: targets.throughputPct
            ? check((100 * s.throughput) / fair.throughput, ">=", targets.throughputPct)
            : "info",
        },
        {
          key: `${key}.fair_baseline_cpu_ms_per_update`,
          label: `${label}: fair baseline CPU per update`,
          unit: "ms",
          value: fair.cpuMs,
          verdict: "info",
        },
      ]
    : [];
  const rows: Row[] = [
    ...fairRows,
    {
      key: `${key}.throughput_per_s`,
      label: `${label}: throughput`,
      unit: "upd/s",
      value: s.throughput,
      baseline: base.throughput,
      verdict: "info",
    },
    {
      key: `${key}.throughput_pct_of_baseline`,
      label: `${label}: throughput vs bare no-database bot`,
      unit: "%",
      value: pct,
      verdict: "info",
    },
    {
      key: `${key}.cpu_ms_per_update`,
      label: `${label}: bot CPU per update`,
      unit: "ms",
      value: s.cpuMs,
      baseline: base.cpuMs,
      target: targets.cpuMs ? `≤ ${targets.cpuMs}` : undefined,
      verdict: targets.cpuMs ? check(s.cpuMs, "<=", targets.cpuMs) : "info",
    },
    {
      key: `${key}.p50_ms`,
      label: `${label}: p50 (saturation)`,
      unit: "ms",
      value: s.p50,
      baseline: base.p50,
      verdict: "info",
    },
    {
      key: `${key}.p99_ms`,
      label: `${label}: p99 (saturation)`,
      unit: "ms",
      value: s.p99,
      baseline: base.p99,
      verdict: "info",
    },
  ];
  return rows;
}

function openRows(
  key: string,
  label: string,
  s: OpenLoopSummary,
  base: OpenLoopSummary,
  rate: number,
  p99Target?: number,
): Row[] {
  const l = `${label}, open loop ${rate} upd/s offered`;
  return [
    {
      key: `${key}.achieved_per_s`,
      label: `${l}: achieved rate`,
      unit: "upd/s",
      value: s.achieved,
      baseline: base.achieved,
      verdict: "info",
    },
    {
      key: `${key}.p50_ms`,
      label: `${l}: p50`,
      unit: "ms",
      value: s.p50,
      baseline: base.p50,
      verdict: "info",
    },
    {
      key: `${key}.p99_ms`,
      label: `${l}: p99`,
      unit: "ms",
      value: s.p99,
      baseline: base.p99,
      target: p99Target ? `≤ ${p99Target}` : undefined,
      verdict: p99Target ? check(s.p99, "<=", p99Target) : "info",
    },
  ];
}

export async function benchUpdates(opts: UpdatesOptions): Promise<Section[]> {
  const { log, quick } = opts;
  const section: Section = { name: "updates", rows: [], notes: [] };
  const storage: Section = { name: "storage: chat state", rows: [], notes: [] };
  const db = await createBenchDb("u");
  section.notes.push(...db.notes);
  const env = await createBotEnv(db);
  const baselineApi = new RecordingApi();
  const baseline = createBaselineBot(baselineApi);
  await baseline.init();
  // The fair baseline: a bare handler that reads the same rows in one SQL query (its own pool, as large as the bot's).
  const fairPool = new pg.Pool({ connectionString: db.url, max: 10 });
  fairPool.on("error", () => {});
  const fairBaseline = createFairBaselineBot(new RecordingApi(), fairPool);
  await fairBaseline.init();
  try {
    if (!features.length)
      section.notes.push(
        "bot/features/index.ts lists no features yet: the bot answers everything with the fallback",
      );
    const users = quick ? 200 : 1000;
    const pop: Population = await createPopulation(db.pool, users, 5);
    log(
      `population: ${pop.suppliers.length} suppliers with 5 applications each, ${pop.regions.length} regions`,
    );
    section.notes.push(
      `${pop.suppliers.length} simulated users (organisation + 5 applications each, bulk SQL). Closed loop: ${LANES} updates in flight (different chats), after a warm-up – throughput and saturation latency. Open loop: Poisson arrivals at ${OPEN_RATES.realistic} upd/s (realistic: 1,000 users, one update each ~10 s) and ${OPEN_RATES.busy} upd/s (busy, only below ${100 * BUSY_MAX_SHARE}% of the closed-loop throughput), latency from arrival – what a user feels; the p99 targets apply there`,
    );
    const senv: ScenarioEnv = { env, pop, quick, log };

    const measure = async (
      updatesFor: (i: number) => Update,
      count: number,
      bot: Bot<AppContext> | Bot,
      laneOf?: (i: number) => number,
    ) => {
      const warm = warmupOf(count);
      await runLoad((i) => bot.handleUpdate(updatesFor(i + count)), {
        concurrency: LANES,
        total: warm,
        laneOf: laneOf && ((i) => laneOf(i + count)),
      });
      return runLoad((i) => bot.handleUpdate(updatesFor(i)), { concurrency: LANES, total: count, laneOf });
    };

    const openMs = 1000 * (opts.openSeconds ?? (quick ? 4 : 15));
    /** The open loop at the realistic and (if the closed loop says it can) the busy rate. */
    const measureOpen = async (
      key: string,
      label: string,
      open: NonNullable<Prepared["open"]>,
      closedThroughput: number,
      p99Target?: number,
    ) => {
      const rows: Row[] = [];
      const notes: string[] = [];
      for (const [kind, rate] of Object.entries(OPEN_RATES)) {
        const k = `updates.${key}.open_loop.${rate}_per_s`;
        if (kind === "busy" && rate >= BUSY_MAX_SHARE * closedThroughput) {
          const why = `not run: ${rate} upd/s is ≥ ${100 * BUSY_MAX_SHARE}% of the closed-loop throughput (${closedThroughput.toFixed(0)} upd/s), so the queue would grow without bound (saturation)`;
          rows.push(missing(`${k}.p99_ms`, `${label}, open loop ${rate} upd/s offered: p99`, "ms", why));
          continue;
        }
        const rnd = seededRandom(rate * 7919 + key.length);
        const arrivals = poissonArrivals(rate, openMs, rnd);
        const o = await open(arrivals.length, rnd);
        log(
          `${key}: open loop ${rate} upd/s × ${openMs / 1000} s (${arrivals.length} arrivals, ${o.users} users)…`,
        );
        const real = await runOpenLoop((i) => env.bot.handleUpdate(o.update(i)), arrivals, openMs);
        const applied = o.applied ? await o.applied() : undefined;
        const base = await runOpenLoop((i) => baseline.handleUpdate(o.update(i)), arrivals, openMs);
        rows.push(...openRows(k, label, real, base, rate, kind === "realistic" ? p99Target : undefined));
        if (applied !== undefined)
          rows.push({
            key: `${k}.decisions_applied`,
            label: `${label}, open loop ${rate} upd/s offered: decisions applied`,
            unit: "",
            value: applied,
            target: `= ${arrivals.length}`,
            verdict: applied === arrivals.length ? "ok" : "FAIL",
          });
        notes.push(
          `${key} open loop ${rate} upd/s (${kind}): ${arrivals.length} Poisson arrivals in ${openMs / 1000} s (${real.offered.toFixed(1)}/s) from ${o.users} users (random, different chats); bot: p50 ${real.p50.toFixed(1)} / p99 ${real.p99.toFixed(1)} / max ${real.max.toFixed(0)} ms, at most ${real.maxInFlight} in flight, dispatch lag p99 ${real.dispatchLagP99.toFixed(1)} ms, CPU ${real.cpuMs.toFixed(2)} ms/update; bare bot at most ${base.maxInFlight} in flight`,
        );
      }
      return { rows, notes };
    };

    for (const sc of scenarios) {
      log(`scenario ${sc.key}…`);
      const n = quick ? sc.updates[0] : sc.updates[1];
      const prepared = await sc.prepare(senv, n);
      if ("missing" in prepared) {
        section.rows.push(
          missing(
            `updates.${sc.key}.open_loop.${OPEN_RATES.realistic}_per_s.p99_ms`,
            `${sc.label}, open loop ${OPEN_RATES.realistic} upd/s: p99`,
            "ms",
            prepared.missing,
            sc.targets.p99 ? `≤ ${sc.targets.p99}` : undefined,
          ),
        );
        continue;
      }
      const count = prepared.count ?? n;
      const x0 = await xacts(db);
      const q0 = db.queries.count;
      const real = await measure(prepared.update, count, env.bot, prepared.laneOf);
      const handled = count + warmupOf(count);
      const trips = (db.queries.count - q0) / handled;
      const perUpdate = ((await xacts(db)) - x0 - 1) / handled; // - 1: the xacts() query itself
      const base = await measure(prepared.update, count, baseline, prepared.laneOf);
      const fair = sc.fairBaseline
        ? await measure(prepared.update, count, fairBaseline, prepared.laneOf)
        : undefined;
      section.rows.push(...rowsFor(`updates.${sc.key}`, sc.label, real, base, sc.targets, fair));
      section.rows.push(
        {
          key: `updates.${sc.key}.db_transactions_per_update`,
          label: `${sc.label}: PostgreSQL transactions per update`,
          unit: "",
          value: perUpdate,
          baseline: 0,
          target: sc.targets.transactions ? `≤ ${sc.targets.transactions}` : undefined,
          verdict: sc.targets.transactions ? check(perUpdate, "<=", sc.targets.transactions) : "info",
        },
        {
          key: `updates.${sc.key}.db_round_trips_per_update`,
          label: `${sc.label}: database round trips per update (statements, BEGIN/COMMIT included)`,
          unit: "",
          value: trips,
          baseline: 0,
          target: sc.targets.roundTrips ? `≤ ${sc.targets.roundTrips}` : undefined,
          verdict: sc.targets.roundTrips ? check(trips, "<=", sc.targets.roundTrips) : "info",
        },
      );
      if (prepared.after) {
        const extra = await prepared.after(real);
        section.rows.push(...extra.updates);
        storage.rows.push(...extra.storage);
        section.notes.push(...extra.notes);
      }
      if (prepared.open) {
        const r = await measureOpen(sc.key, sc.label, prepared.open, real.throughput, sc.targets.p99);
        section.rows.push(...r.rows);
        section.notes.push(...r.notes);
      }
      const calls = env.api.counts;
      section.notes.push(
        `${sc.key}: Bot API calls so far ${[...calls].map(([m, c]) => `${m}=${c}`).join(", ")}`,
      );
    }
    await benchWizard(senv, baseline, section, storage, quick ? 36 : 240);
    section.notes.push(
      "baseline: a bare grammY Bot (no session, no DB) that answers every update with answerCallbackQuery + editMessageText (or reply) of a 10-line list, through the same recording client.fetch",
    );
  } finally {
    await fairPool.end().catch(() => {});
    await env.close();
    await db.drop();
  }
  return storage.rows.length || storage.notes.length ? [section, storage] : [section];
}

const FINAL = ["INCLUDED", "REJECTED", "CHANGED", "EXCLUDED"];

/** (b) + the Redis bytes: walk the wizard with a cohort, compare the step near the end with the first. */
async function benchWizard(
  senv: ScenarioEnv,
  baseline: Bot,
  section: Section,
  storage: Section,
  cohort: number,
) {
  const { env, pop, log } = senv;
  const users = pop.suppliers.slice(0, cohort);
  // A fresh start for the cohort: no open application (one per organisation and region), fresh licences.
  await env.db.pool.query(
    `UPDATE "Application" SET status = 'REJECTED' WHERE "authorId" = ANY($1::text[]) AND status::text <> ALL($2::text[])`,
    [users.map((u) => u.userId), FINAL],
  );
  const appendices = await giveLicences(
    env.db.pool,
    users.map((u) => u.orgId),
  );
  log(`wizard: ${users.length} suppliers walk the form (${appendices} licence appendices given)`);
  const q0 = env.db.queries.count;
  const cpu0 = process.cpuUsage();
  if (process.env.BENCH_TRACE) env.db.queries.trace = [];
  const w = await walkWizard(senv, users.length, LANES);
  const cpu = process.cpuUsage(cpu0);
  const walked = w.stepsPerUser * users.length;
  if (env.db.queries.trace) {
    const kinds = new Map<string, number>();
    for (const q of env.db.queries.trace) kinds.set(q.slice(0, 90), (kinds.get(q.slice(0, 90)) ?? 0) + 1);
    console.error(`[trace] wizard: ${env.db.queries.trace.length} statements, ${walked} updates`);
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.error(`[trace] ${n}\t${k}`);
    env.db.queries.trace = undefined;
  }
  const tripsPerStep = (env.db.queries.count - q0) / walked;
  const cpuPerStep = (cpu.user + cpu.system) / 1000 / walked;
  const steps = [...w.byStep.keys()];
  log(`wizard: ${w.completed}/${users.length} reached the summary; steps ${steps.join(" → ")}`);
  if (w.stuck.length) {
    const first = w.stuck[0]!;
    section.notes.push(
      `wizard: ${w.stuck.length} of ${users.length} walks stopped early, e.g. user ${first.user} at ${first.step}: ${first.why}`,
    );
  }
  const FIRST = "A_OWN";
  const LAST = ["D3", "D2", "C_SUB", "C_SES"].find((s) => (w.byStep.get(s)?.length ?? 0) > 0);
  const first = w.byStep.get(FIRST);
  const last = LAST ? w.byStep.get(LAST) : undefined;
  if (!first?.length || !last?.length || !LAST) {
    const why = w.stuck[0]
      ? `walk stopped at ${w.stuck[0].step}: ${w.stuck[0].why}`
      : "no wizard steps recorded";
    section.rows.push(
      missing("updates.wizard.last_first_ratio", "(b) wizard: last step / first step p50", "×", why, "≤ 1.5"),
    );
  } else {
    const replay = async (list: Update[]) => {
      const t: number[] = [];
      await runLoad(
        async (i) => {
          const s0 = performance.now();
          await baseline.handleUpdate(list[i]!);
          t.push(performance.now() - s0);
        },
        { concurrency: LANES, total: list.length },
      );
      return t;
    };
    const bFirst = await replay(w.updates.get(FIRST)!);
    const bLast = await replay(w.updates.get(LAST)!);
    const idxLast = steps.indexOf(LAST);
    const ratio = p50(last) / p50(first);
    section.rows.push(
      {
        key: "updates.wizard_first.p50_ms",
        label: `(b) wizard first step (${FIRST}): p50`,
        unit: "ms",
        value: p50(first),
        baseline: p50(bFirst),
        verdict: "info",
      },
      {
        key: "updates.wizard_first.p99_ms",
        label: `(b) wizard first step (${FIRST}): p99`,
        unit: "ms",
        value: p99(first),
        baseline: p99(bFirst),
        verdict: "info",
      },
      {
        key: "updates.wizard_last.p50_ms",
        label: `(b) wizard step ${idxLast + 1} (${LAST}): p50`,
        unit: "ms",
        value: p50(last),
        baseline: p50(bLast),
        verdict: "info",
      },
      {
        key: "updates.wizard_last.p99_ms",
        label: `(b) wizard step ${idxLast + 1} (${LAST}): p99`,
        unit: "ms",
        value: p99(last),
        baseline: p99(bLast),
        verdict: "info",
      },
      {
        key: "updates.wizard.last_first_ratio",
        label: "(b) wizard: last / first step p50",
        unit: "×",
        value: ratio,
        baseline: p50(bLast) / p50(bFirst),
        target: "≤ 1.5",
        verdict: check(ratio, "<=", 1.5),
      },
      {
        key: "updates.wizard.round_trips_per_step",
        label:
          "(b) wizard: database round trips per update of the walk (creation, upload and licence fetch included)",
        unit: "",
        value: tripsPerStep,
        target: "≤ 3",
        verdict: check(tripsPerStep, "<=", 3),
      },
      {
        key: "updates.wizard.cpu_ms_per_step",
        label: "(b) wizard: bot process CPU per step (walk included)",
        unit: "ms",
        value: cpuPerStep,
        target: "≤ 3",
        verdict: check(cpuPerStep, "<=", 3),
      },
    );
    section.notes.push(
      `wizard: ${users.length} suppliers, ${w.completed} reached the summary, ${w.stepsPerUser.toFixed(1)} updates each; p50 per step: ${steps
        .map((s) => `${s} ${p50(w.byStep.get(s)!).toFixed(1)} ms`)
        .join(", ")}`,
    );
  }
  // PostgreSQL: the chat's state row (session + open prompt) of a user in the middle of the wizard.
  const idle = await chatStateBytes(env, pop.suppliers.at(-1)!.tg);
  if (w.stateBytes.length) {
    const max = Math.max(...w.stateBytes);
    storage.rows.push(
      {
        key: "storage.chat_state_bytes_per_user_mid_wizard",
        label: "chat state bytes per user mid-wizard (max)",
        unit: "B",
        value: max,
        baseline: idle,
        target: "≤ 16384",
        verdict: check(max, "<=", 16384),
      },
      {
        key: "storage.chat_state_bytes_per_user_mid_wizard_p50",
        label: "chat state bytes per user mid-wizard (p50)",
        unit: "B",
        value: p50(w.stateBytes),
        verdict: "info",
      },
    );
    storage.notes.push(
      `pg_column_size of the "ChatState" row (session + open prompt) for ${w.stateBytes.length} users at their first production-base step; baseline = the row of a user who only opened «my applications». The draft itself lives in "Application" (it is the application).`,
    );
  } else {
    storage.rows.push(
      missing(
        "storage.chat_state_bytes_per_user_mid_wizard",
        "chat state bytes per user mid-wizard",
        "B",
        "no user reached the middle of the wizard",
        "≤ 16384",
      ),
    );
  }
}

/** Committed transactions of the bench database so far (pg_stat_database; every statement outside a transaction counts one). */
async function xacts(db: BenchDb): Promise<number> {
  await new Promise((r) => setTimeout(r, 1100)); // backends flush their statistics about once a second
  const { rows } = await db.pool.query<{ n: string }>(
    "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()",
  );
  return Number(rows[0]!.n);
}
