// Draft access for the wizard: every answer is written at once with an optimistic version check.
// Thin on purpose: when prisma/store/applications.ts offers the same operations, these delegate to it.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { decide } from "../../domain/stateMachine.ts";
import type { Progress } from "./progress.ts";

export const draftInclude = {
  bases: { orderBy: { position: "asc" } },
  documents: { orderBy: { createdAt: "asc" } },
  licences: { include: { licence: { include: { appendices: true } } } },
  org: true,
  region: true,
} as const satisfies Prisma.ApplicationInclude;

export type DraftFull = Prisma.ApplicationGetPayload<{ include: typeof draftInclude }>;

export type Tx = Prisma.TransactionClient;

export function loadDraft(prisma: PrismaClient, id: string): Promise<DraftFull | null> {
  return prisma.application.findUnique({ where: { id }, include: draftInclude });
}

export class StaleDraftError extends Error {
  constructor() {
    super("stale draft version");
    this.name = "StaleDraftError";
  }
}

/**
 * Write one answer: `UPDATE … WHERE id AND version AND status = DRAFT`, version + 1, then the extra
 * writes (bases, documents) in the same transaction, then an audit row. Returns the new version,
 * or null when the draft changed in between (stale button, double tap, second device).
 */
export async function writeDraft(
  prisma: PrismaClient,
  opts: {
    id: string;
    version: number;
    actorId: string;
    data?: Prisma.ApplicationUncheckedUpdateManyInput;
    progress?: Progress;
    field: string;
    extra?: (tx: Tx) => Promise<void>;
  },
): Promise<number | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const res = await tx.application.updateMany({
        where: { id: opts.id, version: opts.version, status: "DRAFT" },
        data: {
          ...opts.data,
          ...(opts.progress ? { progress: opts.progress as unknown as Prisma.InputJsonValue } : {}),
          version: { increment: 1 },
        },
      });
      if (res.count !== 1) throw new StaleDraftError();
      if (opts.extra) await opts.extra(tx);
      if (opts.field !== "progress") {
        const app = await tx.application.findUniqueOrThrow({ where: { id: opts.id }, select: { chainId: true } });
        await tx.auditEvent.create({
          data: {
            applicationId: opts.id,
            chainId: app.chainId,
            actorId: opts.actorId,
            action: "EDIT",
            fromStatus: "DRAFT",
            toStatus: "DRAFT",
            changes: { field: opts.field },
          },
        });
      }
      return opts.version + 1;
    });
  } catch (e) {
    if (e instanceof StaleDraftError) return null;
    throw e;
  }
}

/** Licences of the organisation fetched within the last 24 hours (DECISIONS 1), valid general activity licences. */
export async function freshLicences(prisma: PrismaClient, orgId: string, now: Date) {
  const since = new Date(now.getTime() - 24 * 3600_000);
  return prisma.licence.findMany({
    where: { orgId, fetchedAt: { gte: since } },
    include: { appendices: true },
    orderBy: { number: "asc" },
  });
}

/** Unique production-base addresses of the licence appendices, in order. */
export function appendixAddresses(licences: { appendices: { addresses: string[] }[] }[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of licences)
    for (const a of l.appendices)
      for (const addr of a.addresses) {
        const k = addr.trim();
        if (k && !seen.has(k.toLowerCase())) {
          seen.add(k.toLowerCase());
          out.push(k);
        }
      }
  return out;
}

/** T1: a new draft («Проект») with D1 licences attached and bases pre-filled from the appendices. */
export async function createDraftRow(
  prisma: PrismaClient,
  opts: {
    orgId: string;
    authorId: string;
    ownershipFormCode: string | null;
    licences: { id: string; appendices: { addresses: string[] }[] }[];
    progress: Progress;
  },
): Promise<string> {
  const id = randomUUID();
  const addresses = appendixAddresses(opts.licences);
  await prisma.$transaction(async (tx) => {
    await tx.application.create({
      data: {
        id,
        chainId: id,
        orgId: opts.orgId,
        authorId: opts.authorId,
        ownershipFormCode: opts.ownershipFormCode,
        progress: opts.progress as unknown as Prisma.InputJsonValue,
        licences: { create: opts.licences.map((l) => ({ licenceId: l.id })) },
        bases: { create: addresses.map((address, i) => ({ position: i + 1, address })) },
      },
    });
    await tx.auditEvent.create({
      data: { applicationId: id, chainId: id, actorId: opts.authorId, action: "CREATE", toStatus: "DRAFT" },
    });
  });
  return id;
}

/** T20: a new version in «Проект» copied from an included/rejected one; licences and bases refreshed. */
export async function createNewVersionRow(
  prisma: PrismaClient,
  opts: {
    fromId: string;
    expectedVersion: number;
    authorId: string;
    licences: { id: string; appendices: { addresses: string[] }[] }[];
    progress: Progress;
  },
): Promise<string | null> {
  const id = randomUUID();
  try {
    await prisma.$transaction(async (tx) => {
      const old = await tx.application.findUnique({
        where: { id: opts.fromId },
        include: { bases: { orderBy: { position: "asc" } }, documents: true, next: true },
      });
      if (!old || old.version !== opts.expectedVersion || old.next) throw new StaleDraftError();
      if (old.status !== "INCLUDED" && old.status !== "REJECTED") throw new StaleDraftError();
      const open = await tx.application.findFirst({
        where: { chainId: old.chainId, status: { in: ["DRAFT", "HEAD_APPROVAL", "UNDER_REVIEW"] } },
      });
      if (open) throw new StaleDraftError();
      // Bases: addresses from the refreshed appendices; keep what the old version knew about the same address.
      const addresses = appendixAddresses(opts.licences);
      const byAddr = new Map(old.bases.map((b) => [b.address.trim().toLowerCase(), b]));
      const bases = addresses.map((address, i) => {
        const prev = byAddr.get(address.toLowerCase());
        return {
          position: i + 1,
          address,
          latitude: prev?.latitude ?? null,
          longitude: prev?.longitude ?? null,
          katoCode: prev?.katoCode ?? null,
          sesFileId: prev?.sesFileId ?? null,
          subtypes: prev?.subtypes ?? [],
        };
      });
      await tx.application.create({
        data: {
          id,
          chainId: old.chainId,
          versionNo: old.versionNo + 1,
          previousId: old.id,
          orgId: old.orgId,
          authorId: opts.authorId,
          regionCode: old.regionCode,
          ownershipFormCode: old.ownershipFormCode,
          asSupplier: old.asSupplier,
          asCoExecutor: old.asCoExecutor,
          supplierSubtypes: old.supplierSubtypes,
          coExecutorSubtypes: old.coExecutorSubtypes,
          hasPharmacy: old.hasPharmacy,
          progress: opts.progress as unknown as Prisma.InputJsonValue,
          licences: { create: opts.licences.map((l) => ({ licenceId: l.id })) },
          bases: { create: bases },
          documents: {
            create: old.documents
              .filter((d) => d.kind === "REGISTRATION" || d.kind === "POWER_OF_ATTORNEY")
              .map((d) => ({ kind: d.kind, fileId: d.fileId })),
          },
        },
      });
      await tx.auditEvent.create({
        data: {
          applicationId: id,
          chainId: old.chainId,
          actorId: opts.authorId,
          action: "MAKE_CHANGES",
          fromStatus: old.status,
          toStatus: "DRAFT",
          changes: { from: old.id },
        },
      });
    });
    return id;
  } catch (e) {
    if (e instanceof StaleDraftError) return null;
    throw e;
  }
}

/** DECISIONS 8: the open application of the organisation in a region, if any (other than `exceptId`). */
export function openInRegion(prisma: PrismaClient, orgId: string, regionCode: string, exceptId: string) {
  return prisma.application.findFirst({
    where: {
      orgId,
      regionCode,
      id: { not: exceptId },
      status: {
        in: [
          "DRAFT",
          "HEAD_APPROVAL",
          "UNDER_REVIEW",
          "AGREED_CHECK",
          "REJECTED_CHECK",
          "CONFIRMED_APPROVAL",
          "REJECTED_APPROVAL",
        ],
      },
    },
    select: { id: true, status: true, createdAt: true, versionNo: true },
  });
}

/** T3: delete a draft (with its bases and documents), leaving an audit row. */
export async function deleteDraftRow(
  prisma: PrismaClient,
  id: string,
  version: number,
  actorId: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const app = await tx.application.findUnique({ where: { id } });
    if (!app || app.version !== version || app.status !== "DRAFT") return false;
    await tx.auditEvent.create({
      data: { chainId: app.chainId, actorId, action: "DELETE", fromStatus: "DRAFT", changes: { id } },
    });
    const res = await tx.application.deleteMany({ where: { id, version, status: "DRAFT" } });
    return res.count === 1;
  });
}

/**
 * T5 «Отправить на подписание» through the state machine (decide), in one transaction with the version
 * check and an audit row. Interim: prisma/store/applications.ts applyTransition (with the outbox rows
 * for the head) replaces this once it exists.
 */
export async function sendToHeadRow(
  prisma: PrismaClient,
  opts: { id: string; version: number; actorId: string },
): Promise<{ ok: true } | { ok: false; code: string }> {
  return prisma.$transaction(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: opts.id } });
    if (!app || app.version !== opts.version) return { ok: false as const, code: "stale" };
    const roles = await tx.orgMembership.findMany({ where: { userId: opts.actorId, orgId: app.orgId } });
    const decision = decide(
      {
        id: app.id,
        status: app.status,
        decisionKind: app.decisionKind,
        version: app.version,
        authorId: app.authorId,
        orgId: app.orgId,
        regionCode: app.regionCode,
        activeNotice: null,
        consentSigned: false,
        isLatestVersion: true,
        chainHasOpenVersion: false,
        formGenerated: Boolean(app.formFileId),
        draftComplete: true,
      },
      "SEND_TO_HEAD",
      { userId: opts.actorId, orgRoles: roles.map((r) => r.role), staffRoles: [] },
      {},
    );
    if (!decision.ok) return { ok: false as const, code: decision.errors[0]?.code ?? "forbidden" };
    const to = decision.value.to;
    if (to === "DELETED") return { ok: false as const, code: "forbidden" };
    const res = await tx.application.updateMany({
      where: { id: app.id, version: opts.version, status: app.status },
      data: { status: to, decisionKind: null, version: { increment: 1 }, statusChangedAt: new Date() },
    });
    if (res.count !== 1) return { ok: false as const, code: "stale" };
    await tx.auditEvent.create({
      data: {
        applicationId: app.id,
        chainId: app.chainId,
        actorId: opts.actorId,
        action: "SEND_TO_HEAD",
        fromStatus: app.status,
        toStatus: to,
      },
    });
    return { ok: true as const };
  });
}
