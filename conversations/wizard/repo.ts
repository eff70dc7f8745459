// Draft access for the wizard: reads here; every write goes through prisma/store/applications.ts
// (updateDraft with the optimistic version, createDraft, applyTransition for T3/T5/T20).
import { decide } from "../../domain/stateMachine.ts";
import type { Actor, OrgRole } from "../../domain/types.ts";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import {
  applyTransition,
  type ApplyTransitionResult,
  createDraft,
  type DraftWriteResult,
  deleteDraft,
} from "../../prisma/store/applications.ts";
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

/** The actor as the state machine sees it: the user's roles in the organisation, re-read now. */
export async function supplierActor(prisma: PrismaClient, userId: string, orgId: string): Promise<Actor> {
  const roles = await prisma.orgMembership.findMany({ where: { userId, orgId }, select: { role: true } });
  return { userId, orgRoles: roles.map((r) => r.role as OrgRole), staffRoles: [] };
}

const asJson = (p: Progress) => p as unknown as Prisma.InputJsonValue;

/** T1: a new draft («Проект») with D1 licences attached and bases pre-filled from the appendices. */
export function createDraftRow(
  prisma: PrismaClient,
  opts: {
    orgId: string;
    authorId: string;
    ownershipFormCode: string | null;
    licences: { id: string; appendices: { addresses: string[] }[] }[];
    progress: Progress;
    now: Date;
  },
): Promise<DraftWriteResult> {
  return createDraft(prisma, {
    orgId: opts.orgId,
    authorId: opts.authorId,
    now: opts.now,
    ownershipFormCode: opts.ownershipFormCode,
    licenceIds: opts.licences.map((l) => l.id),
    bases: appendixAddresses(opts.licences).map((address) => ({ address })),
    progress: asJson(opts.progress),
  });
}

/**
 * T20 «Внести изменение» through the state machine (roles, one open version per chain, audit, outbox):
 * the store makes the new version in «Проект» with the refreshed licences, and bases re-read from their
 * appendices under the transition's lock (keeping what the old version knew about the same address).
 */
export function makeChangesRow(
  prisma: PrismaClient,
  opts: {
    fromId: string;
    expectedVersion: number;
    actor: Actor;
    licences: { id: string; appendices: { addresses: string[] }[] }[];
    progress: Progress;
    now: Date;
  },
): Promise<ApplyTransitionResult> {
  return applyTransition(prisma, {
    applicationId: opts.fromId,
    expectedVersion: opts.expectedVersion,
    action: "MAKE_CHANGES",
    actor: opts.actor,
    input: {},
    decide,
    now: opts.now,
    newVersion: {
      licenceIds: opts.licences.map((l) => l.id),
      baseAddresses: appendixAddresses(opts.licences),
      progress: asJson(opts.progress),
    },
  });
}

/** T3 with the confirmation passed. */
export function deleteDraftRow(
  prisma: PrismaClient,
  opts: { id: string; version: number; actor: Actor; now: Date },
): Promise<ApplyTransitionResult> {
  return deleteDraft(prisma, {
    applicationId: opts.id,
    expectedVersion: opts.version,
    actor: opts.actor,
    decide,
    now: opts.now,
  });
}

/** T5 «Отправить на подписание»: the store writes the status, audit and the head's notification. */
export function sendToHeadRow(
  prisma: PrismaClient,
  opts: { id: string; version: number; actor: Actor; now: Date; draftComplete: boolean },
): Promise<ApplyTransitionResult> {
  return applyTransition(prisma, {
    applicationId: opts.id,
    expectedVersion: opts.version,
    action: "SEND_TO_HEAD",
    actor: opts.actor,
    input: {},
    decide,
    now: opts.now,
    snapshotExtras: () => ({ draftComplete: opts.draftComplete }),
  });
}
