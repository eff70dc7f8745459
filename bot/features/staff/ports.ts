// The one place where the staff feature meets the domain state machine and the store.
// Everything else in bot/features/staff/** and bot/outbox/** goes through these functions.
import { decide } from "../../../domain/stateMachine.ts";
import type { Action, Actor, DomainError, Status } from "../../../domain/types.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import { type ApplyTransitionResult, applyTransition } from "../../../prisma/store/applications.ts";
import { actorFor } from "../../../prisma/store/users.ts";
import type { TransitionInput } from "../../../domain/contracts.ts";

export { actionsFor, lastDecision, loadSnapshot, rolesFor } from "./snapshot.ts";

export type Outcome =
  | { ok: true; from: Status; to: Status | "DELETED"; closeStage: boolean }
  | { ok: false; kind: "stale"; decidedBy: string | null; decidedAt: Date | null }
  | { ok: false; kind: "denied"; errors: DomainError[] }
  | { ok: false; kind: "not_found" };

/** Re-authorise (actorFor + decide inside the store) and apply one transition in one transaction. */
export async function runTransition(
  deps: { prisma: PrismaClient; now: () => Date },
  args: {
    applicationId: string;
    expectedVersion: number;
    action: Action;
    userId: string;
    input?: TransitionInput;
  },
): Promise<Outcome> {
  const actor: Actor | null = (await actorFor(deps.prisma, args.userId, args.applicationId)) ?? null;
  if (!actor) return { ok: false, kind: "not_found" };
  const r = await applyTransition(deps.prisma, {
    applicationId: args.applicationId,
    expectedVersion: args.expectedVersion,
    action: args.action,
    actor,
    input: args.input ?? {},
    decide,
    now: deps.now(),
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
    };
  }
  if (r.reason === "not_found") return { ok: false, kind: "not_found" };
  if (r.reason === "stale") {
    return { ok: false, kind: "stale", decidedBy: r.decidedBy?.fullName ?? null, decidedAt: r.decidedAt };
  }
  return { ok: false, kind: "denied", errors: r.errors };
}
