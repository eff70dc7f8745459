// The one place where the staff feature meets the domain state machine and the store.
// Everything else in bot/features/staff/** and bot/outbox/** goes through these functions.
import { decide } from "../../../domain/stateMachine.ts";
import type { Action, Actor, DomainError, Status } from "../../../domain/types.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import {
  type ApplyTransitionResult,
  actorForApplication,
  applyTransition,
} from "../../../prisma/store/applications.ts";
import type { AppSnapshot, TransitionInput } from "../../../domain/contracts.ts";

export { actionsFor, lastDecision, loadSnapshot, rolesFor } from "./snapshot.ts";

export type Outcome =
  | {
      ok: true;
      from: Status;
      to: Status | "DELETED";
      closeStage: boolean;
      /** The application after the transition, read in its transaction (absent when deleted). */
      snapshot?: AppSnapshot;
    }
  | { ok: false; kind: "stale"; decidedBy: string | null; decidedAt: Date | null }
  | { ok: false; kind: "denied"; errors: DomainError[] }
  | { ok: false; kind: "not_found" };

/**
 * Re-authorise (the actor's roles read from the database in this press + decide inside the store) and apply
 * one transition in one transaction. `actor`: the roles this press already read (staffPress), not read again.
 * The transition also writes the "stage_closed" rows of the step it ends and returns the new snapshot.
 */
export async function runTransition(
  deps: { prisma: PrismaClient; now: () => Date },
  args: {
    applicationId: string;
    expectedVersion: number;
    action: Action;
    userId: string;
    input?: TransitionInput;
    actor?: Actor;
  },
): Promise<Outcome> {
  const actor: Actor | null =
    args.actor && args.actor.userId === args.userId
      ? args.actor
      : await actorForApplication(deps.prisma, args.userId, args.applicationId);
  if (!actor) return { ok: false, kind: "not_found" };
  const r = await applyTransition(deps.prisma, {
    applicationId: args.applicationId,
    expectedVersion: args.expectedVersion,
    action: args.action,
    actor,
    input: args.input ?? {},
    decide,
    now: deps.now(),
    closeStage: true,
    returnSnapshot: true,
  });
  return normalise(r);
}

function normalise(r: ApplyTransitionResult): Outcome {
  if (r.ok) {
    return {
      ok: true,
      from: r.decision.from,
      to: r.decision.to,
      closeStage: !!r.decision.effects.closeStage,
      ...(r.snapshot ? { snapshot: r.snapshot } : {}),
    };
  }
  if (r.reason === "not_found") return { ok: false, kind: "not_found" };
  if (r.reason === "stale") {
    return { ok: false, kind: "stale", decidedBy: r.decidedBy?.fullName ?? null, decidedAt: r.decidedAt };
  }
  return { ok: false, kind: "denied", errors: r.errors };
}
