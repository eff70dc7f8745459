// The contract between the pure state machine (domain/stateMachine.ts) and the store that executes a decision
// in one transaction (prisma/store/transitions.ts), through the application layer (app/act.ts).
import type { DraftPatch } from "./drafts.ts";
import type { Action, DecisionKind, Status } from "./types.ts";

/** Documents that are signed: the consent (T6), the application form (T8), the exclusion notice (X7). */
export type SignedDocumentKind = "CONSENT" | "APPLICATION" | "EXCLUSION_NOTICE";

/** Documents attached to an application. D2/D3 are the supplier's files; the rest are generated. */
export type DocumentKind = "REGISTRATION" | "POWER_OF_ATTORNEY" | "CONSENT" | "APPLICATION_FORM" | "NOTICE";

/** Where the generated «Заявка о включении» stands against the draft's content (DECISIONS 26). */
export type FormState = "none" | "stale" | "current";

/** What the state machine needs to know about an application (loaded by the store in one query). */
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
    /** The checker who confirmed it (T14/T15/X5); that user may not also approve (I-FOUR-EYES). */
    checkedById?: string | null;
  } | null;
  /** T6 done in the current head round. */
  consentSigned: boolean;
  /** T20 only on the newest version of a chain, and only when no other saved version of the chain is open. */
  isLatestVersion: boolean;
  chainHasOpenVersion: boolean;
  /** DECISIONS 28: «Сохранить» passed at least once (T1). Unsaved drafts are the author's alone. */
  saved: boolean;
  /** DECISIONS 26: a form generated before the last edit is stale. */
  formState: FormState;
  /** D3 attached (the attorney may sign the application only with it, DECISIONS 26). */
  hasPowerOfAttorney: boolean;
  /**
   * Optional, computed by the application layer when a row needs it (guard "draftComplete"): the draft passes
   * validateForSave. Absent = not checked (the guard then refuses, so it cannot be forgotten).
   */
  draftComplete?: boolean;
}

/** A signature produced by the Signer port over one document's exact bytes. */
export interface SignatureInput {
  document: SignedDocumentKind;
  sha256: string;
  method: string;
  /** The stored file whose bytes were signed. */
  fileId?: string;
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
  /** T6, T8, X7: the Signer port's results, one per signed document (see the row's `sign` effect). */
  signatures?: SignatureInput[];
  /** T2: the answers written to the draft. */
  patch?: DraftPatch;
  /** T4 (form), T6 (consent), T9/T10/X1 (notice): the generated document stored with the decision. */
  document?: { kind: DocumentKind; fileId: string };
}

/** Who must be told. The store resolves audiences to users/chats for the application. */
export type Audience =
  | "AUTHOR" // the application's creator
  | "HEADS" // «Руководитель» (and attorneys) of the organisation
  | "BRANCH_REVIEWERS" // reviewers of the region's branch
  | "NOTICE_AUTHOR" // the reviewer who formed the notice
  | "CHOSEN_CHECKERS" // the checkers chosen at «Отправить на проверку»
  | "BRANCH_CHECKERS" // checkers of the region's branch
  | "BRANCH_APPROVERS" // approvers of the region's branch
  | "BRANCH_MANAGERS";

export interface NotificationIntent {
  audience: Audience;
  /** Template key, e.g. "status_changed", "new_for_review", "check_requested". */
  kind: string;
}

/** Timestamps a transition writes on the application. */
export type Stamp = "submittedAt" | "decidedAt" | "excludedAt";

/**
 * What a transition does besides moving the status, declared by its row so the store never branches on action
 * names. Every effect is applied in the transition's one transaction.
 */
export interface Effects {
  /** Timestamps set to the decision's moment. */
  stamp?: readonly Stamp[];
  /** Signature rows written from input.signatures, one per listed document (each over its own hash). */
  sign?: readonly SignedDocumentKind[];
  /** The generated document in input.document is attached (its kind must be this one). */
  attach?: DocumentKind;
  /** T4: the form attached now is the current one for the draft's content. */
  formCurrent?: true;
  /** T2: input.patch is written to the draft. */
  patchDraft?: true;
  /** T1/T2 «Сохранить»: the draft is saved (DECISIONS 28: visible to others, subject to the region rule). */
  markSaved?: true;
  /** T7: the head's free-text reason is kept on the application (the draft card shows it). */
  keepHeadReason?: true;
  /** T5: a new head round starts, the earlier head's reason is cleared. */
  clearHeadReason?: true;
  /** T17 on a new version: the previously included version of the chain becomes «Изменена». */
  supersedePrevious?: true;
  /** T20: a new version in «Проект» is created; this one is unchanged. */
  newVersion?: true;
  /** Stop the step: edit every message of the previous stage (who decided, when), no buttons. */
  closeStage?: true;
}

export interface Decision {
  action: Action;
  /** The row of the transition table (SPEC §4 id, e.g. "T12", "X3"), for the audit log. */
  transitionId: string;
  from: Status;
  /** "DELETED" for T3; the same status for actions that do not move the status. */
  to: Status | "DELETED";
  decisionKind: DecisionKind | null;
  /** What happens to the reviewer's notice. */
  notice?: "create" | "delete" | "send" | "discard";
  /** With notice "create": the kind of notice formed (T9 inclusion, T10 rejection, X1 exclusion). */
  noticeKind?: DecisionKind;
  effects: Effects;
  notify: NotificationIntent[];
  /** A final decision of the Fund (T17, T18, X7): the supplier's push is loud, the questionnaire follows. */
  final: boolean;
}

export type Decide = (
  app: AppSnapshot,
  action: Action,
  actor: import("./types.ts").Actor,
  input: TransitionInput,
) => import("./types.ts").Result<Decision>;
