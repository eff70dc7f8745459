// Fresh reads the staff screens need: the state-machine snapshot, the user's roles, the last decision.
import type { AppSnapshot } from "../../../domain/contracts.ts";
import { allowedActions } from "../../../domain/stateMachine.ts";
import type { Action, Actor } from "../../../domain/types.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import {
  actorForApplication,
  lastDecision as storeLastDecision,
  loadSnapshot as storeLoadSnapshot,
} from "../../../prisma/store/applications.ts";

/**
 * The user's roles for this application (org roles in its organisation, staff roles in its region's branch),
 * read fresh in one query. Every press reads them once (staffPress) and the store decides with them.
 */
export function rolesFor(prisma: PrismaClient, userId: string, applicationId: string): Promise<Actor | null> {
  return actorForApplication(prisma, userId, applicationId);
}

/** The actions this actor may take on the application now (drives which buttons are drawn). */
export function actionsFor(app: AppSnapshot, actor: Actor): Action[] {
  return [...allowedActions(app, actor)];
}

/** What the state machine needs, read fresh from the database (the store's own loader). */
export function loadSnapshot(prisma: PrismaClient, id: string): Promise<AppSnapshot | null> {
  return storeLoadSnapshot(prisma, id);
}

/** Who acted last, and when (for "already decided by NAME at TIME"). */
export async function lastDecision(
  prisma: PrismaClient,
  applicationId: string,
): Promise<{ decidedBy: string | null; decidedAt: Date | null }> {
  const d = await storeLastDecision(prisma, applicationId);
  return { decidedBy: d.fullName, decidedAt: d.at };
}
