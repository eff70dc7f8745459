#!/usr/bin/env node
// `npm start`: installs what is missing, then runs the bot (bot/main.ts) in this same process, so
// SIGINT/SIGTERM reach it directly (also as PID 1 in a container).
//   1. no node_modules        → npm ci (npm install without a lock file)
//   2. no generated/prisma    → npm run db:generate
//   3. tsx's loader, then bot/main.ts's main() with the arguments given (e.g. -- --set-webhook)
// `node scripts/start.mjs --healthcheck` probes /healthz on PORT, or the sandbox on SANDBOX_PORT
// (exit 0 when one answers): the container healthcheck for every mode.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

if (args.includes("--healthcheck")) {
  const ports = [process.env.PORT || "3000", process.env.SANDBOX_PORT || "8080"];
  for (const port of ports) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) process.exit(0);
    } catch {
      // try the next port
    }
  }
  process.exit(1);
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
function run(cmd, cmdArgs) {
  console.log(`> ${cmd} ${cmdArgs.join(" ")}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (r.status !== 0) {
    console.error(`"${cmd} ${cmdArgs.join(" ")}" failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

if (!existsSync(join(root, "node_modules", "tsx"))) {
  run(
    npm,
    existsSync(join(root, "package-lock.json"))
      ? ["ci", "--no-audit", "--no-fund"]
      : ["install", "--no-audit", "--no-fund"],
  );
}
if (!existsSync(join(root, "generated", "prisma", "client.ts"))) {
  run(npm, ["run", "db:generate"]);
}

process.chdir(root);
const { register } = await import("tsx/esm/api");
register();
const { main } = await import(pathToFileURL(join(root, "bot", "main.ts")).href);
await main({ argv: args });
