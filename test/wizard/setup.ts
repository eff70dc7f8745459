// Set-up for the wizard's rule tests: a complete draft made through the application layer (the same use cases the
// bot calls: create → edits → «Сохранить»), without walking 30 screens each time.
import { expect } from "vitest";
import { startProgress } from "../../conversations/wizard/progress.ts";
import { REGION_BOUNDS } from "../../domain/plausibility.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Harness } from "../helpers/bot.ts";
import { storedFile, userIdOf } from "../helpers/e2e.ts";

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** A second «Поставщик» + «Администратор организации» of the organisation (a person other than the author). */
export async function secondAdmin(
  prisma: PrismaClient,
  telegramId: number,
  bin: string,
  language: "kk" | "ru",
  fullName: string,
) {
  const org = await prisma.organisation.findUniqueOrThrow({ where: { bin } });
  const user = await prisma.user.upsert({
    where: { telegramId: BigInt(telegramId) },
    create: { telegramId: BigInt(telegramId), language, fullName },
    update: { language },
  });
  for (const role of ["SUPPLIER", "ORG_ADMIN"] as const)
    await prisma.orgMembership.upsert({
      where: { userId_orgId_role: { userId: user.id, orgId: org.id, role } },
      create: { userId: user.id, orgId: org.id, role },
      update: {},
    });
  return user;
}

/**
 * A draft of the person's organisation filled completely through app.drafts (every subtype the licences offer as
 * «Поставщик», every base with coordinates, a KATO leaf of the region, an SES file and its subtypes, a registration
 * certificate), saved unless `save` is false. Returns its id.
 */
export async function completeDraft(
  h: Harness,
  prisma: PrismaClient,
  telegramId: number,
  regionCode: string,
  opts: { save?: boolean } = {},
) {
  const userId = await userIdOf(prisma, telegramId);
  const memberships = await h.app.people.memberships(userId);
  const orgId = memberships.org[0]!.orgId;
  const check = await h.app.drafts.licences.check(orgId);
  if (!check.fresh) expect((await h.app.drafts.licences.refresh(orgId, userId)).ok).toBe(true);
  const made = await h.app.drafts.create(userId, memberships, (p) => ({
    ...startProgress(p),
    step: "SUM",
    sum: true,
    prefill: undefined,
  }));
  if (!made.ok) throw new Error(JSON.stringify(made));
  let view = (await h.app.drafts.load(made.id, userId))!;
  const c = await h.app.classifiers.get();
  const region = c.regions.find((r) => r.code === regionCode)!;
  // an active leaf of the region, and a point in the middle of the region's (approximate) box
  const kato = await prisma.katoObject.findFirstOrThrow({
    where: { isLeaf: true, active: true, code: { startsWith: region.katoCode.slice(0, 2) } },
    orderBy: { id: "asc" },
  });
  const box = REGION_BOUNDS[region.katoCode]!;
  const latitude = round((box.minLat + box.maxLat) / 2);
  const longitude = round((box.minLon + box.maxLon) / 2);
  const offered = [...new Set(view.pool.flatMap((l) => l.appendices.flatMap((a) => a.careSubtypes)))].filter(
    (s) => c.subtypes.some((x) => x.code === s && x.asSupplier),
  );
  const ses = await storedFile(prisma, "ses.pdf");
  const reg = await storedFile(prisma, "registration.pdf");
  const edited = await h.app.drafts.edit(view, {
    ownershipFormCode: view.draft.ownershipFormCode ?? c.ownershipForms[0]!.code,
    asSupplier: true,
    asCoExecutor: false,
    supplierSubtypes: offered,
    hasPharmacy: c.subtypes.some((s) => s.isPhc && offered.includes(s.code)) ? false : null,
    regionCode,
    bases: view.draft.bases.map((b) => ({
      address: b.address,
      latitude,
      longitude,
      katoCode: kato.code,
      sesFileId: ses.id,
      subtypes: offered,
    })),
    documents: [{ kind: "REGISTRATION", fileIds: [reg.id] }],
  });
  if (!edited.ok) throw new Error(JSON.stringify(edited));
  view = (await h.app.drafts.load(made.id, userId))!;
  if (opts.save !== false) {
    const saved = await h.app.drafts.save(view);
    if (!saved.ok)
      throw new Error(
        JSON.stringify(saved, (_k, v) => (typeof v === "bigint" ? String(v) : v)).slice(0, 2000),
      );
  }
  return made.id;
}
