// Fund staff: the queue of each role, the card of an application with the actions the table allows, the
// decisions (app/act.ts), the checkers a reviewer may choose, the reference lists of grounds and reasons.
import type { Memberships } from "../domain/access.ts";
import { staffRolesOf } from "../domain/access.ts";
import type { TransitionFacts } from "../domain/ports.ts";
import { allowedActions } from "../domain/stateMachine.ts";
import type { Action, StaffRole } from "../domain/types.ts";
import { QUEUE_STATUSES } from "../domain/workflow.ts";
import type { CardData, Cursor, OpenQueueItem } from "../prisma/store/index.ts";
import { type ActOptions, act, type Command, type Outcome } from "./act.ts";
import type { ClassifierCache } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

export const QUEUE_PAGE = 5;
/** The queue's size is counted up to this many rows ("100+"). */
export const QUEUE_COUNT_CAP = 100;

export interface QueueRequest {
  userId: string;
  memberships: Memberships;
  role?: StaffRole;
  after?: Cursor | null;
  before?: Cursor | null;
}

export interface QueuePage {
  role: StaffRole | null;
  roles: StaffRole[];
  items: OpenQueueItem[];
  more: boolean;
  total: number;
}

/** What a staff member sees of one application: the card, the facts and what they may do now. */
export interface StaffView {
  facts: TransitionFacts;
  card: CardData;
  actions: Action[];
}

export function staffUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  const store = ports.store;
  return {
    /** One page of a role's queue (the first role the user holds when none is asked for). */
    async queue(r: QueueRequest): Promise<QueuePage> {
      const roles = staffRolesOf(r.memberships);
      if (!roles.length) return { role: null, roles, items: [], more: false, total: 0 };
      const role = r.role && roles.includes(r.role) ? r.role : roles[0]!;
      const c = await classifiers.get();
      const branchIds = new Set(r.memberships.staff.filter((s) => s.role === role).map((s) => s.branchId));
      const regions = c.branches.filter((b) => branchIds.has(b.id)).map((b) => b.regionCode);
      const page = await store.queues.open(
        { regions, statuses: QUEUE_STATUSES[role], ...(role === "CHECKER" ? { checkerId: r.userId } : {}) },
        { limit: QUEUE_PAGE, after: r.after, before: r.before, cap: QUEUE_COUNT_CAP },
      );
      return { role, roles, ...page };
    },
    /** The card for a staff member of the application's branch (null: unknown, or not their branch). */
    async open(applicationId: string, userId: string): Promise<StaffView | null> {
      const r = await store.applications.factsAndCard(applicationId, userId);
      if (!r || r.facts.actor.staffRoles.length === 0) return null;
      // DECISIONS 28: an unsaved draft is its author's alone
      if (!r.facts.snapshot.saved && r.facts.snapshot.authorId !== userId) return null;
      return { ...r, actions: allowedActions(r.facts.snapshot, r.facts.actor) };
    },
    /** A decision (re-authorised on the facts read for it). */
    decide(cmd: Command, opts: ActOptions = {}): Promise<Outcome> {
      return act(ports, cmd, opts);
    },
    /**
     * X7: the approver's signature over the exact notice shown (its SHA-256) through the Signer port, then the
     * decision — the signature row is written with it, in one transaction.
     */
    async approveExclusion(a: {
      applicationId: string;
      expectedVersion: number;
      userId: string;
      fullName: string | null;
      sha256: string;
      /** The stored PDF whose bytes were signed. */
      fileId?: string;
      facts?: TransitionFacts;
    }): Promise<Outcome> {
      const signed = await ports.signer.sign({
        document: "EXCLUSION_NOTICE",
        sha256: a.sha256,
        signer: { userId: a.userId, fullName: a.fullName },
        confirmed: true,
      });
      if (!signed.ok) return { ok: false, kind: "denied", errors: [{ code: signed.code }] };
      return act(
        ports,
        {
          applicationId: a.applicationId,
          expectedVersion: a.expectedVersion,
          action: "APPROVE_EXCLUSION",
          userId: a.userId,
          input: {
            confirmed: true,
            signatures: [
              {
                document: "EXCLUSION_NOTICE",
                sha256: signed.signature.sha256,
                method: signed.signature.method,
                ...(a.fileId ? { fileId: a.fileId } : {}),
              },
            ],
          },
        },
        a.facts ? { facts: a.facts } : {},
      );
    },
    checkers: (applicationId: string, exceptUserId: string) =>
      store.people.branchCheckers(applicationId, exceptUserId),
    async grounds() {
      return (await classifiers.get()).grounds.filter((g) => g.active);
    },
    async exclusionReasons() {
      return (await classifiers.get()).exclusionReasons.filter((g) => g.active);
    },
  };
}
