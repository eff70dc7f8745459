// vitest globalSetup: builds (or reuses) the migrated + seeded template database once per run,
// and drops the run's leftover test databases at the end.
import { randomBytes } from "node:crypto";
import { dropRunDatabases, dropStaleTemplates, ensureTemplate } from "./db.ts";

export default async function setup(): Promise<() => Promise<void>> {
  process.env.FSMS_TEST_RUN ??= `r${randomBytes(4).toString("hex")}`;
  const started = Date.now();
  const tpl = await ensureTemplate();
  if (process.env.FSMS_TEST_VERBOSE) console.log(`test template ${tpl} ready in ${Date.now() - started} ms`);
  await dropStaleTemplates().catch(() => {});
  return async () => {
    await dropRunDatabases(process.env.FSMS_TEST_RUN).catch(() => {});
  };
}
