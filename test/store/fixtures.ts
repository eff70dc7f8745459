// Shared helpers for the store and application-layer tests: demo people by key, demo organisations, BINs.
// (The chain of steps through app.act: test/app/chain.ts.)
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { DEMO_ORGANISATIONS, DEMO_PEOPLE } from "../../prisma/data/demo.ts";

export type PersonKey = (typeof DEMO_PEOPLE)[number]["key"];

export async function demoUsers(
  prisma: PrismaClient,
): Promise<Record<string, { id: string; telegramId: bigint }>> {
  const users = await prisma.user.findMany({
    where: { telegramId: { in: DEMO_PEOPLE.map((p) => BigInt(p.telegramId)) } },
  });
  const out: Record<string, { id: string; telegramId: bigint }> = {};
  for (const p of DEMO_PEOPLE) {
    const u = users.find((x) => x.telegramId === BigInt(p.telegramId));
    if (u) out[p.key] = { id: u.id, telegramId: u.telegramId };
  }
  return out;
}

export async function demoOrgId(prisma: PrismaClient, key: (typeof DEMO_ORGANISATIONS)[number]["key"]) {
  const bin = DEMO_ORGANISATIONS.find((o) => o.key === key)!.bin;
  return (await prisma.organisation.findUniqueOrThrow({ where: { bin } })).id;
}

/** A random valid BIN (legal entity, check digit per DECISIONS). */
export function randomBin(): string {
  for (;;) {
    const first11 = `2${String(Math.floor(Math.random() * 1e10)).padStart(10, "0")}`;
    const d = [...first11].map(Number);
    const sum = (w: number[]) => w.reduce((s, wi, i) => s + wi * d[i]!, 0) % 11;
    let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (c !== 10) return first11 + c;
  }
}
