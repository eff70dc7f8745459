// `prisma generate` does not run the schema engine, but the CLI insists on finding one and would
// try to download it (no network here). Point it at any existing executable.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY =
    ["/bin/true", "/usr/bin/true"].find((p) => existsSync(p)) ?? process.execPath;
}
const r = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
