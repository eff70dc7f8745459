// `npm run bench` – throughput, latency, notification delivery, storage and start-up, each figure beside
// its baseline from the same run. Prints a table and writes bench/results.json (stable keys).
//
//   npm run bench                 full run (~5 minutes on 2 cores)
//   npm run bench -- --quick      short run (checks the script works; figures are rough)
//   npm run bench -- --only=updates,queries   some sections (updates, notifications, queries, dashboard, startup)
//   npm run bench -- --out=bench/results.local.json
//   npm run bench -- --lanes=1    updates in flight in the closed loop (default 12)
//   npm run bench -- --open-seconds=30   length of each open-loop run (default 15, --quick 4)
//   npm run bench -- --scale=1    notification limits in real time (default 10× faster; 5,000 messages take ~3 min at 1×)
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT, dropAll, dropStale } from "./lib/db.ts";
import { printTable, type Section, toJson } from "./lib/report.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const outArg = args.find((a) => a.startsWith("--out="))?.slice(6);
const out = outArg ?? join(ROOT, quick ? "bench/results.local.json" : "bench/results.json");
const want = (s: string) => !only || only.includes(s);
const lanes = args.find((a) => a.startsWith("--lanes="))?.slice(8);
if (lanes) process.env.BENCH_LANES = lanes;
const openSeconds = args.find((a) => a.startsWith("--open-seconds="))?.slice(15);
const scale = args.find((a) => a.startsWith("--scale="))?.slice(8);
if (scale) process.env.BENCH_NOTIFY_SCALE = scale;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

process.env.LOG_LEVEL ??= "silent";

async function main(): Promise<void> {
  const stale = await dropStale().catch(() => []);
  if (stale.length) log(`dropped ${stale.length} databases left by earlier runs`);
  const sections: Section[] = [];
  const started = Date.now();
  const loads: string[] = [];
  const run = async (name: string, fn: () => Promise<Section | Section[]>) => {
    if (!want(name)) return;
    log(`${name}… (load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores)`);
    loads.push(`${name}: ${loadavg()[0]!.toFixed(1)}`);
    const t = Date.now();
    try {
      const s = await fn();
      sections.push(...(Array.isArray(s) ? s : [s]));
    } catch (e) {
      log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sections.push({
        name,
        rows: [
          {
            key: `${name}.error`,
            label: "section failed",
            unit: "",
            value: null,
            verdict: "n/a",
            note: String(e instanceof Error ? e.message : e),
          },
        ],
        notes: [],
      });
    }
    log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  await run("updates", async () =>
    (await import("./updates.ts")).benchUpdates({
      quick,
      log,
      ...(openSeconds ? { openSeconds: Number(openSeconds) } : {}),
    }),
  );
  await run("notifications", async () =>
    (await import("./notifications.ts")).benchNotifications({ quick, log }),
  );
  await run("queries", async () =>
    (await import("./queries.ts")).benchQueries({
      orgs: quick ? 10_000 : 100_000,
      apps: quick ? 100_000 : 1_000_000,
      iterations: quick ? 200 : 1000,
      log,
    }),
  );
  await run("dashboard", async () =>
    (await import("./dashboard.ts")).benchDashboard({
      orgs: quick ? 10_000 : 100_000,
      apps: quick ? 100_000 : 1_000_000,
      iterations: quick ? 100 : 500,
      renders: quick ? 10 : 40,
      log,
    }),
  );
  await run("startup", async () => (await import("./startup.ts")).benchStartup({ quick, log }));

  const meta = {
    mode: quick ? "quick" : "full",
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "",
    memGb: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round((Date.now() - started) / 1000),
    /** 1-minute load average when each section started: other work on the machine skews the figures. */
    loadAverage: loads.join(", "),
  };
  console.log("");
  printTable(sections);
  console.log(`\nload average at the start of each section (${cpus().length} cores): ${loads.join(", ")}`);
  writeFileSync(out, toJson(sections, meta));
  log(`wrote ${out} (${meta.seconds} s)`);
}

let exiting = false;
const cleanup = async (code: number) => {
  if (exiting) return;
  exiting = true;
  await dropAll();
  process.exit(code);
};
process.on("SIGINT", () => void cleanup(130));
process.on("SIGTERM", () => void cleanup(143));
main().then(
  () => cleanup(0),
  (e) => {
    console.error(e);
    void cleanup(1);
  },
);
