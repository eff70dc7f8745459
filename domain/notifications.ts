// Notification intents (DECISIONS 9, 12, 13): who must be told, as data. The store resolves audiences to
// users and writes outbox rows; the bot renders `kind` as a template key in each recipient's language.
import type { Audience, NotificationIntent } from "./contracts.ts";

export const NOTIFICATION_KINDS = [
  /** Author and heads: every status change of their application (DECISIONS 13). */
  "status_changed",
  /** Heads: an application awaits the head's decision (T5). */
  "head_approval_requested",
  /** Branch reviewers: a new application reached «На рассмотрении» (T8). */
  "new_for_review",
  /** Branch reviewers: returned by a checker or approver (T16, T19), with the reason. */
  "returned_for_review",
  /** Chosen checkers: a notice to check (T12, T13, X3). */
  "check_requested",
  /** Branch approvers: a confirmed decision to approve (T14, T15, X5). */
  "approval_requested",
  /** The reviewer who formed an exclusion notice: the checker or approver refused it (X4, X6). */
  "exclusion_cancelled",
  /** Author and heads: after a final decision, the satisfaction questionnaire of SPEC §5.12. */
  "questionnaire",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const intent = (audience: Audience, kind: NotificationKind): NotificationIntent => ({ audience, kind });

/** DECISIONS 13: the author and the heads learn of every status change. */
export const STATUS_CHANGED: readonly NotificationIntent[] = [
  intent("AUTHOR", "status_changed"),
  intent("HEADS", "status_changed"),
];

export const NOTIFY = {
  headApprovalRequested: intent("HEADS", "head_approval_requested"),
  newForReview: intent("BRANCH_REVIEWERS", "new_for_review"),
  returnedForReview: intent("BRANCH_REVIEWERS", "returned_for_review"),
  checkRequested: intent("CHOSEN_CHECKERS", "check_requested"),
  approvalRequested: intent("BRANCH_APPROVERS", "approval_requested"),
  exclusionCancelled: intent("NOTICE_AUTHOR", "exclusion_cancelled"),
  questionnaireAuthor: intent("AUTHOR", "questionnaire"),
  questionnaireHeads: intent("HEADS", "questionnaire"),
} as const satisfies Record<string, NotificationIntent>;

/** Audiences that receive a message with action buttons (their messages are closed by `closeStage`). */
export const ACTIONABLE_KINDS: readonly NotificationKind[] = [
  "head_approval_requested",
  "new_for_review",
  "returned_for_review",
  "check_requested",
  "approval_requested",
];

/** Removes repeated (audience, kind) pairs, keeping the first. */
export function dedupeIntents(intents: readonly NotificationIntent[]): NotificationIntent[] {
  const seen = new Set<string>();
  return intents.filter((i) => {
    const key = `${i.audience}|${i.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
