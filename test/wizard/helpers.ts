// Shared driver for the wizard tests: press buttons by verb, read the draft's step, walk a whole wizard.
import { expect } from "vitest";
import { parseCb } from "../../bot/callbacks.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { createHarness, type Harness, type TestUser } from "../helpers/bot.ts";

export const PDF = (label = "x") =>
  Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

/** A harness whose file downloads are served from the fake Bot API's files (deps.services.download). */
export async function wizardHarness(
  prisma: PrismaClient,
  env: Record<string, string> = {},
  now?: () => Date,
): Promise<Harness> {
  const holder: { h?: Harness } = {};
  const download = async (url: string) => {
    const m = url.match(/\/file\/bot[^/]+\/(.+)$/);
    const entry = m ? [...(holder.h?.files.values() ?? [])].find((f) => f.path === m[1]) : undefined;
    return entry ? new Response(new Uint8Array(entry.bytes)) : new Response("Not Found", { status: 404 });
  };
  holder.h = await createHarness({ prisma, env, now, services: { download } });
  return holder.h;
}

/** The buttons of the last message with a keyboard, decoded. */
export function decoded(u: TestUser) {
  return u
    .buttons()
    .filter((b) => b.data)
    .map((b) => ({ ...b, cb: parseCb(b.data)! }));
}

/** Press the first button of the latest keyboard whose verb (and optional args) match. */
export async function pressVerb(u: TestUser, verb: string, ...args: string[]) {
  const b = decoded(u).find((x) => x.cb?.verb === verb && args.every((a, i) => x.cb.ids[i + 1] === a));
  if (!b?.data) {
    throw new Error(
      `no button ${verb}(${args.join(",")}) in ${JSON.stringify(decoded(u).map((x) => x.data))}\nlast: ${u.last()?.payload.text}`,
    );
  }
  return u.press(b.data);
}

export async function draftOf(prisma: PrismaClient, orgBin: string) {
  return prisma.application.findFirstOrThrow({
    where: { org: { bin: orgBin } },
    orderBy: { createdAt: "desc" },
    include: { bases: { orderBy: { position: "asc" } }, documents: true, licences: true },
  });
}

export async function stepOf(prisma: PrismaClient, id: string): Promise<string> {
  const a = await prisma.application.findUniqueOrThrow({ where: { id } });
  return (a.progress as { step: string }).step;
}

/** Walk the KATO tree: always the first entry, until a leaf is chosen (the step moves on). */
export async function pickKatoLeaf(prisma: PrismaClient, u: TestUser, appId: string) {
  for (let i = 0; i < 8 && (await stepOf(prisma, appId)) === "C_KATO"; i++) await pressVerb(u, "wz.kt");
  expect(await stepOf(prisma, appId)).toBe("C_SES");
}

/** Fill one production base from its C_COORD step to the list. */
export async function fillBase(prisma: PrismaClient, u: TestUser, appId: string, n: number) {
  await pressVerb(u, "wz.be", String(n));
  expect(await stepOf(prisma, appId)).toBe("C_COORD");
  await u.send("51.1694, 71.4491");
  await pickKatoLeaf(prisma, u, appId);
  await u.sendDocument({ fileName: `ses-${n}.pdf`, mimeType: "application/pdf", bytes: PDF(`ses${n}`) });
  expect(await stepOf(prisma, appId)).toBe("C_SUB");
  const toggles = () => decoded(u).filter((b) => b.cb.verb === "wz.tg" && !b.text.startsWith("✅"));
  while (toggles().length) await u.press(toggles()[0]!.data!);
  await pressVerb(u, "wz.ok", "b");
  expect(await stepOf(prisma, appId)).toBe("C_LIST");
}

/** Select every offered subtype of the current multi-select (all pages), then «Готово». */
export async function selectAll(u: TestUser, scope: string) {
  for (let guard = 0; guard < 30; guard++) {
    const b = decoded(u).find((x) => x.cb.verb === "wz.tg" && !x.text.startsWith("✅"));
    if (b) {
      await u.press(b.data!);
      continue;
    }
    const next = decoded(u).find((x) => x.cb.verb === "wz.pg" && x.text === "▶️");
    if (next) {
      await u.press(next.data!);
      continue;
    }
    break;
  }
  await pressVerb(u, "wz.ok", scope);
}
