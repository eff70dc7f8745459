// The command-line start of the database scripts (migrate.ts, seed.ts, kato-import.ts): run only when the file
// is the script started (not when imported), .env loaded when present, DATABASE_URL required (exit 2),
// a failure printed as its message (exit 1).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Run `main` with DATABASE_URL when `moduleUrl` (the caller's `import.meta.url`) is the started script. */
export function runCli(moduleUrl: string, main: (databaseUrl: string) => Promise<void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  (async () => {
    try {
      await import("dotenv/config");
    } catch {}
    const url = process.env.DATABASE_URL;
    if (!url) {
      console.error("DATABASE_URL is not set");
      process.exit(2);
    }
    await main(url);
  })().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

/** A PostgreSQL client for the duration of `fn`, disconnected afterwards. */
export async function withPrisma<T>(
  databaseUrl: string,
  fn: (prisma: PrismaClient) => Promise<T>,
): Promise<T> {
  const { createPrisma } = await import("./connect.ts");
  const { prisma, close } = createPrisma(databaseUrl);
  try {
    return await fn(prisma);
  } finally {
    await close();
  }
}
