// THE entry for state changes: act({ applicationId, expectedVersion, action, userId, input }) → Outcome.
//
//   facts (one statement: snapshot + the user's roles + notice + chain)  →  version check  →  on-demand facts
//   (draftComplete)  →  decide (the transition table)  →  one store transaction (state + effects + audit +
//   outbox + the closing of the decided step)  →  Outcome (with the snapshot the decision left)
//
// Every button of every role ends here; nothing else writes an application's state.
import type { AppSnapshot, Decision, TransitionInput } from "../domain/contracts.ts";
import type { DraftContent, TransitionFacts } from "../domain/ports.ts";
import { decide, snapshotAfter, transitionFor } from "../domain/stateMachine.ts";
import { cleanFreeText } from "../domain/text.ts";
import type { Action, DomainError, Status } from "../domain/types.ts";
import { isSilentStatusPush } from "../domain/workflow.ts";
import { contentOf } from "../prisma/store/drafts.ts";
import type { AppPorts } from "./ports.ts";

export interface Command {
  applicationId: string;
  /** The version the button or screen was drawn for. */
  expectedVersion: number;
  action: Action;
  userId: string;
  input?: TransitionInput;
}

export type Stale = {
  ok: false;
  kind: "stale";
  /** Who acted last and when (DECISIONS 16), when known. */
  decidedBy: string | null;
  decidedAt: Date | null;
  lastAction: string | null;
  /** The button carried a version the application never had (forged or from another world). */
  unknownVersion: boolean;
  status: Status | null;
};

export type Outcome =
  | {
      ok: true;
      applicationId: string;
      version: number;
      decision: Decision;
      /** The application as the decision left it (null when deleted). */
      snapshot: AppSnapshot | null;
      facts: TransitionFacts;
      /** T20: the new version in «Проект». */
      newApplicationId?: string;
    }
  | { ok: false; kind: "not_found" }
  | Stale
  | { ok: false; kind: "denied"; errors: DomainError[] }
  /** DECISIONS 8 (enforced by the database at «Сохранить»). */
  | { ok: false; kind: "open_in_region" };

export interface ActOptions {
  /** Facts already read for this press (the card's read), to avoid reading them again. */
  facts?: TransitionFacts;
  /** T1/T2 «Сохранить», T5: whether the draft passes validateForSave (computed only when a row asks). */
  draftComplete?: (facts: TransitionFacts) => Promise<boolean>;
  /** T2: the draft as read at the expected version (the patch is written as a difference to it). */
  before?: DraftContent;
  /** T20: what the new version starts with. */
  newVersion?: (facts: TransitionFacts) => Promise<{
    licenceIds: string[];
    bases: NonNullable<TransitionInput["patch"]>["bases"];
    progress?: unknown;
  }>;
}

/** T20 without refreshed data: the new version starts with this version's licences and bases. */
const sameContent = (ports: AppPorts) => async (facts: TransitionFacts) => {
  const d = await ports.store.drafts.load(facts.snapshot.id);
  return {
    licenceIds: d?.licences.map((l) => l.id) ?? [],
    bases: d?.bases.map((b) => ({ ...b })) ?? [],
    progress: { step: "SUM", sum: true },
  };
};

/** Free text of the input, tidied by the one rule (domain/text.ts) before the table checks it. */
function tidy(input: TransitionInput): TransitionInput {
  const out = { ...input };
  if (out.reasonText !== undefined) out.reasonText = cleanFreeText(out.reasonText, "reason").text;
  if (out.note !== undefined) out.note = cleanFreeText(out.note, "note").text || undefined;
  if (out.additionalGround !== undefined)
    out.additionalGround = cleanFreeText(out.additionalGround, "ground").text || undefined;
  return out;
}

/** "Already decided by NAME at TIME" (or "this button never matched this application"). */
export async function staleOutcome(
  ports: AppPorts,
  applicationId: string,
  expectedVersion: number,
): Promise<Stale | { ok: false; kind: "not_found" }> {
  const last = await ports.store.applications.lastDecision(applicationId);
  if (!last) return { ok: false, kind: "not_found" };
  return {
    ok: false,
    kind: "stale",
    decidedBy: last.fullName,
    decidedAt: last.at,
    lastAction: last.action,
    unknownVersion: expectedVersion > last.version || expectedVersion < 1,
    status: last.status,
  };
}

export async function act(ports: AppPorts, cmd: Command, opts: ActOptions = {}): Promise<Outcome> {
  const store = ports.store.applications;
  const facts = opts.facts ?? (await store.facts(cmd.applicationId, cmd.userId));
  if (!facts) return { ok: false, kind: "not_found" };
  if (facts.snapshot.version !== cmd.expectedVersion)
    return staleOutcome(ports, cmd.applicationId, cmd.expectedVersion);
  const input = tidy(cmd.input ?? {});
  let snapshot = facts.snapshot;
  const row = transitionFor(snapshot, cmd.action);
  if (row?.guards.includes("draftComplete") && opts.draftComplete)
    snapshot = { ...snapshot, draftComplete: await opts.draftComplete(facts) };
  const decided = decide(snapshot, cmd.action, facts.actor, input);
  if (!decided.ok) return { ok: false, kind: "denied", errors: decided.errors };
  const decision = decided.value;
  // The chosen checkers must be checkers of this application's branch (the table cannot know the branch).
  if (decision.notice === "send") {
    const branch = new Set(facts.branchCheckerIds);
    const bad = [...new Set(input.checkerIds ?? [])].filter((id) => !branch.has(id));
    if (bad.length)
      return {
        ok: false,
        kind: "denied",
        errors: bad.map((userId) => ({ code: "not_a_checker", field: "checkerIds", params: { userId } })),
      };
  }
  const now = ports.clock.now();
  const nv = decision.effects.newVersion ? await (opts.newVersion ?? sameContent(ports))(facts) : undefined;
  const newVersion = nv ? { id: ports.ids(), ...nv } : undefined;
  // A patch of bases, licences or documents is written as a difference to the draft as read: read it when the
  // caller did not (otherwise the stored rows would be kept beside the new ones, or positions collide).
  const p = decision.effects.patchDraft ? input.patch : undefined;
  const needsBefore =
    !!p && (p.bases !== undefined || p.licenceIds !== undefined || p.documents !== undefined);
  const draft = !opts.before && needsBefore ? await ports.store.drafts.load(cmd.applicationId) : null;
  const result = await store.apply({
    facts,
    decision,
    input,
    now,
    before: opts.before ?? (draft ? contentOf(draft) : undefined),
    newVersion,
    silentStatusPush: isSilentStatusPush(decision.to),
  });
  if (!result.ok) {
    if (result.reason === "open_in_region") return { ok: false, kind: "open_in_region" };
    return staleOutcome(ports, cmd.applicationId, cmd.expectedVersion);
  }
  return {
    ok: true,
    applicationId: cmd.applicationId,
    version: result.version,
    decision,
    snapshot: decision.to === "DELETED" ? null : snapshotAfter(snapshot, decision, input, cmd.userId),
    facts,
    ...(newVersion ? { newApplicationId: newVersion.id } : {}),
  };
}
