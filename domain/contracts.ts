// The contract between the pure state machine (domain/stateMachine.ts) and the store
// (prisma/store/*) that executes a decision in one transaction.
import type { Action, Actor, DecisionKind, Result, Status } from "./types.ts";

/** What the state machine needs to know about an application (loaded by the store). */
export interface AppSnapshot {
  id: string;
  status: Status;
  /** Stored beside the status (I-17): which flow the shared labels belong to. */
  decisionKind: DecisionKind | null;
  /** Optimistic-lock version. */
  version: number;
  authorId: string;
  orgId: string;
  regionCode: string | null;
  /**
   * The reviewer's formed, not deleted notice, if any. The state machine ignores a notice that cannot belong
   * to the current status (e.g. the inclusion notice of an application now «Включен в БД»).
   */
  activeNotice: {
    kind: DecisionKind;
    reasons: string[];
    createdById: string;
    checkerIds: string[];
    /** Optional: the checker who confirmed it (T14/T15/X5); that user may not also approve (I-FOUR-EYES). */
    checkedById?: string | null;
  } | null;
  /** T6 done in the current head round. */
  consentSigned: boolean;
  /** T20 only on the newest version of a chain, and only when no other version of the chain is open. */
  isLatestVersion: boolean;
  chainHasOpenVersion: boolean;
  /** Optional: «Заявка о включении» generated (T4). When false, T5 is refused ("form_not_generated"). */
  formGenerated?: boolean;
  /** Optional: the draft passes validateForSave. When false, T5 is refused ("draft_incomplete"). */
  draftComplete?: boolean;
}

/** Inputs a transition may require (which ones: see the transition table). */
export interface TransitionInput {
  /** Reference-list codes: rejection grounds (T10) or exclusion reasons (X1). */
  reasons?: string[];
  /** «Примечание» (T10) – optional. */
  note?: string;
  /** Free-text reason: head (T7), checker (T16, X4), approver (T19, X6). */
  reasonText?: string;
  /** X1: «дополнительное основание исключения» – optional. */
  additionalGround?: string;
  /** T12/T13/X3: the chosen checkers (user ids). */
  checkerIds?: string[];
  /** T3 delete, T8 send, X7: the explicit confirmation step was passed. */
  confirmed?: boolean;
  /** T8 / X7: the Signer port's result. */
  signature?: { sha256: string; method: string };
}

/** Who must be told. The store resolves audiences to users/chats for the application. */
export type Audience =
  | "AUTHOR" // the application's creator
  | "HEADS" // «Руководитель» (and attorneys) of the organisation
  | "BRANCH_REVIEWERS" // reviewers of the region's branch
  | "NOTICE_AUTHOR" // the reviewer who formed the notice
  | "CHOSEN_CHECKERS" // the checkers chosen at «Отправить на проверку»
  | "BRANCH_APPROVERS" // approvers of the region's branch
  | "BRANCH_MANAGERS";

export interface NotificationIntent {
  audience: Audience;
  /** Template key, e.g. "status_changed", "new_for_review", "check_requested". */
  kind: string;
}

export interface Decision {
  action: Action;
  /** The row of the transition table (SPEC §4 id, e.g. "T12", "X3"), for the audit log. */
  transitionId?: string;
  from: Status;
  /** "DELETED" for T3; the same status for actions that do not move the status. */
  to: Status | "DELETED";
  decisionKind: DecisionKind | null;
  /** What happens to the reviewer's notice. */
  notice?: "create" | "delete" | "send" | "discard";
  /** With notice "create": the kind of notice formed (T9 inclusion, T10 rejection, X1 exclusion). */
  noticeKind?: DecisionKind;
  /** Side effects the store must apply in the same transaction. */
  effects: {
    /** T17 on a new version: the previously included version of the chain becomes «Изменена». */
    supersedePrevious?: boolean;
    /** X7: record the exclusion date (3-year rule). */
    recordExclusion?: boolean;
    /** T20: a new version in «Проект» is created; this one is unchanged. */
    newVersion?: boolean;
    /** T6: the consent signature is recorded. */
    signConsent?: boolean;
    /** Stop the staff step: edit every staff message of the previous stage (who decided, when). */
    closeStage?: boolean;
  };
  notify: NotificationIntent[];
}

export type Decide = (
  app: AppSnapshot,
  action: Action,
  actor: Actor,
  input: TransitionInput,
) => Result<Decision>;
