// THE transition table of the application (SPEC §4, DECISIONS 2, 9–16, 25–28): every state change of an
// application is one row. Everything else about the workflow is derived from it (domain/workflow.ts): which
// statuses each role's queue shows, who is reminded, who acts in which status, the open and final statuses,
// the buttons each person sees (allowedActions), and which messages a decision closes.
import type { Effects, NotificationIntent, TransitionInput } from "./contracts.ts";
import { NOTIFY, STATUS_CHANGED } from "./notifications.ts";
import type { Action, DecisionKind, Status } from "./types.ts";

/**
 * Who may act (any one suffices):
 * SUPPLIER_ADMIN = org roles SUPPLIER and ORG_ADMIN together (G1); AUTHOR = the application's creator who still
 * holds a role in the organisation; SUPPLIER = «Поставщик мед.услуг»; HEAD = «Руководитель» only;
 * SIGNER = «Руководитель» or «Поверенное лицо руководителя»; REVIEWER / CHECKER / APPROVER = staff roles in the
 * region's branch. MANAGER alone grants nothing.
 */
export type Who =
  | "SUPPLIER_ADMIN"
  | "AUTHOR"
  | "SUPPLIER"
  | "HEAD"
  | "SIGNER"
  | "REVIEWER"
  | "CHECKER"
  | "APPROVER";

/** Conditions on the stored application (they also decide which buttons are shown). */
export type Guard =
  | "noticeRequired" // a current notice exists → else "notice_required"
  | "noNotice" // no current notice → else "notice_exists"
  | "noExclusionNotice" // no exclusion is being prepared → else "exclusion_in_progress"
  | "consentSigned" // T6 done in this head round → else "consent_not_signed"
  | "consentNotSigned" // → else "consent_already_signed"
  | "formCurrent" // the generated form is newer than the last edit → "form_not_generated" / "form_stale"
  | "draftComplete" // the draft passes validateForSave → else "draft_incomplete"
  | "draftSaved" // «Сохранить» passed at least once → else "draft_not_saved"
  | "savedOrAuthor" // an unsaved draft is its author's alone (DECISIONS 28) → else "not_author"
  | "attorneyHasPowerOfAttorney" // an attorney signs only with D3 attached → else "power_of_attorney_required"
  | "latestVersion" // → else "not_latest_version"
  | "noOpenVersionInChain" // → else "chain_has_open_version"
  | "chosenChecker" // actor is among the notice's chosen checkers → else "not_chosen_checker"
  | "checkerNotNoticeAuthor" // I-FOUR-EYES → else "self_as_checker"
  | "approverNotInvolved"; // I-FOUR-EYES: not the notice author nor the confirming checker → "self_as_approver"

/** Inputs the actor must supply (TransitionInput). */
export type InputRequirement =
  | "reasonText" // free text → domain/text.ts rule
  | "reasons" // ≥1 reference-list code → "reasons_required"
  | "checkers" // ≥1 checker, not self, not the notice author → "checkers_required" / "self_as_checker"
  | "confirmed" // the explicit confirmation step → "confirmation_required"
  | "signature" // the Signer port's results for every document of the row's `sign` → "signature_required"
  | "document" // the generated document of the row's `attach` → "document_required"
  | "patch"; // T2: the answers → "patch_required"

export interface TransitionRow {
  /** SPEC §4 id. T16 and T19 have two rows (one per from-status), T20 two (INCLUDED, REJECTED). */
  id: string;
  action: Action;
  /** null only for T1 (no application yet). */
  from: Status | null;
  /** Condition on the decision kind stored beside the status (I-DECISION-KIND). */
  decisionKind: DecisionKind | "ANY";
  /** Condition on the kind of the current notice (T12 vs T13). */
  noticeKind?: DecisionKind;
  roles: readonly Who[];
  guards: readonly Guard[];
  inputs: readonly InputRequirement[];
  /** Optional inputs the store keeps if given (documentation). */
  optionalInputs?: readonly (keyof TransitionInput)[];
  to: Status | "DELETED";
  /** Decision kind stored with the new status; "KEEP" = unchanged. */
  toDecisionKind: DecisionKind | null | "KEEP";
  notice?: "create" | "delete" | "send" | "discard";
  /** With notice "create": the kind of notice formed. */
  createsNotice?: DecisionKind;
  effects: Effects;
  notify: readonly NotificationIntent[];
  /** A final decision of the Fund: the supplier's push is loud and the questionnaire follows. */
  final?: true;
  /** One line for generated docs (English; UI texts live in locales/). */
  summary: string;
}

type RowSpec = Pick<TransitionRow, "id" | "action" | "from" | "to" | "roles" | "summary"> &
  Partial<Omit<TransitionRow, "id" | "action" | "from" | "to" | "roles" | "summary">>;

const row = (r: RowSpec): TransitionRow => ({
  decisionKind: "ANY",
  guards: [],
  inputs: [],
  toDecisionKind: "KEEP",
  effects: {},
  notify: [],
  ...r,
});

/** The status an earlier included version of a chain gets when a new version is included (T17). */
export const SUPERSEDED_STATUS: Status = "CHANGED";

const SC = STATUS_CHANGED;
/** A final decision: the status change, then the satisfaction questionnaire (SPEC §5.12) to author and heads. */
const FINAL: readonly NotificationIntent[] = [...SC, NOTIFY.questionnaireAuthor, NOTIFY.questionnaireHeads];
const CHECKER_GUARDS = ["chosenChecker", "checkerNotNoticeAuthor"] as const;

export const TRANSITIONS: readonly TransitionRow[] = [
  // ─────────── the supplier's draft (SPEC §3, §4.2 T1–T5; DECISIONS 25, 26, 28) ───────────
  row({
    id: "T1",
    action: "CREATE",
    from: null,
    to: "DRAFT",
    toDecisionKind: null,
    roles: ["SUPPLIER_ADMIN"],
    summary:
      "«Создать заявку»: an unsaved draft, its author's alone until the first «Сохранить» (DECISIONS 28)",
  }),
  row({
    id: "T2",
    action: "EDIT",
    from: "DRAFT",
    to: "DRAFT",
    roles: ["AUTHOR"],
    inputs: ["patch"],
    effects: { patchDraft: true },
    summary: "The author writes an answer to the draft (only the creator edits: DECISIONS 25)",
  }),
  row({
    id: "T1/T2",
    action: "SAVE",
    from: "DRAFT",
    to: "DRAFT",
    roles: ["AUTHOR"],
    guards: ["draftComplete"],
    effects: { markSaved: true },
    summary:
      "«Сохранить»: validateForSave passes (V1–V10, R1–R3, 3-year rule, one per region); the first save makes the draft visible",
  }),
  row({
    id: "T3",
    action: "DELETE",
    from: "DRAFT",
    to: "DELETED",
    toDecisionKind: null,
    roles: ["AUTHOR", "SUPPLIER_ADMIN"],
    guards: ["savedOrAuthor"],
    inputs: ["confirmed"],
    notify: SC,
    summary: "Delete the draft after confirmation (the audit row stays)",
  }),
  row({
    id: "T4",
    action: "GENERATE_FORM",
    from: "DRAFT",
    to: "DRAFT",
    roles: ["AUTHOR", "SUPPLIER_ADMIN"],
    guards: ["savedOrAuthor"],
    inputs: ["document"],
    effects: { attach: "APPLICATION_FORM", formCurrent: true },
    summary: "Generate «Заявка о включении» (a PDF kept with the application) to download and check",
  }),
  row({
    id: "T5",
    action: "SEND_TO_HEAD",
    from: "DRAFT",
    to: "HEAD_APPROVAL",
    toDecisionKind: null,
    roles: ["AUTHOR", "SUPPLIER_ADMIN"],
    guards: ["draftSaved", "savedOrAuthor", "formCurrent", "draftComplete"],
    effects: { clearHeadReason: true },
    notify: [...SC, NOTIFY.headApprovalRequested],
    summary: "Send to the head for signing: saved, complete, with a form generated after the last edit",
  }),
  // ─────────── the head (T6–T8; DECISIONS 2, 14, 26) ───────────
  row({
    id: "T6",
    action: "HEAD_SIGN_CONSENT",
    from: "HEAD_APPROVAL",
    to: "HEAD_APPROVAL",
    roles: ["HEAD"],
    guards: ["consentNotSigned"],
    inputs: ["signature", "document"],
    effects: { sign: ["CONSENT"], attach: "CONSENT" },
    summary: "«Руководитель» signs the Consent (D4) over its own PDF's SHA-256 through the Signer port",
  }),
  row({
    id: "T7",
    action: "HEAD_REJECT",
    from: "HEAD_APPROVAL",
    to: "DRAFT",
    toDecisionKind: null,
    roles: ["SIGNER"],
    inputs: ["reasonText"],
    effects: { keepHeadReason: true, closeStage: true },
    notify: SC,
    summary: "The head rejects with a reason: back to the draft, the reason shown on it",
  }),
  row({
    id: "T8",
    action: "HEAD_SUBMIT",
    from: "HEAD_APPROVAL",
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    roles: ["SIGNER"],
    guards: ["consentSigned", "attorneyHasPowerOfAttorney", "formCurrent"],
    inputs: ["confirmed", "signature"],
    effects: { sign: ["APPLICATION"], stamp: ["submittedAt"], closeStage: true },
    notify: [...SC, NOTIFY.newForReview],
    summary:
      "The head (or an attorney with D3) signs the form's SHA-256 and sends it to the Fund branch (M4 shown before)",
  }),
  // ─────────── the Fund: inclusion / rejection (T9–T19; DECISIONS 9, 12, 16) ───────────
  row({
    id: "T9",
    action: "FORM_INCLUSION_NOTICE",
    from: "UNDER_REVIEW",
    to: "UNDER_REVIEW",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    optionalInputs: ["document"],
    notice: "create",
    createsNotice: "INCLUSION",
    effects: { attach: "NOTICE" },
    summary: "The reviewer forms a notice of inclusion",
  }),
  row({
    id: "T10",
    action: "FORM_REJECTION_NOTICE",
    from: "UNDER_REVIEW",
    to: "UNDER_REVIEW",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    inputs: ["reasons"],
    optionalInputs: ["note", "document"],
    notice: "create",
    createsNotice: "REJECTION",
    effects: { attach: "NOTICE" },
    summary: "The reviewer forms a notice of rejection (≥1 ground, optional note)",
  }),
  row({
    id: "T11",
    action: "DELETE_NOTICE",
    from: "UNDER_REVIEW",
    to: "UNDER_REVIEW",
    roles: ["REVIEWER"],
    guards: ["noticeRequired"],
    notice: "delete",
    summary: "The reviewer deletes the formed notice",
  }),
  row({
    id: "T12",
    action: "SEND_TO_CHECK",
    from: "UNDER_REVIEW",
    noticeKind: "INCLUSION",
    to: "AGREED_CHECK",
    toDecisionKind: "INCLUSION",
    roles: ["REVIEWER"],
    inputs: ["checkers"],
    notice: "send",
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the inclusion notice to the chosen checkers (not self)",
  }),
  row({
    id: "T13",
    action: "SEND_TO_CHECK",
    from: "UNDER_REVIEW",
    noticeKind: "REJECTION",
    to: "REJECTED_CHECK",
    toDecisionKind: "REJECTION",
    roles: ["REVIEWER"],
    inputs: ["checkers"],
    notice: "send",
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the rejection notice to the chosen checkers (not self)",
  }),
  row({
    id: "T14",
    action: "CHECKER_CONFIRM",
    from: "AGREED_CHECK",
    decisionKind: "INCLUSION",
    to: "CONFIRMED_APPROVAL",
    toDecisionKind: "INCLUSION",
    roles: ["CHECKER"],
    guards: CHECKER_GUARDS,
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the inclusion: to the approvers",
  }),
  row({
    id: "T15",
    action: "CHECKER_CONFIRM",
    from: "REJECTED_CHECK",
    decisionKind: "REJECTION",
    to: "REJECTED_APPROVAL",
    toDecisionKind: "REJECTION",
    roles: ["CHECKER"],
    guards: CHECKER_GUARDS,
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the rejection: to the approvers",
  }),
  ...(["AGREED_CHECK", "REJECTED_CHECK"] as const).map((from) =>
    row({
      id: "T16",
      action: "CHECKER_REFUSE",
      from,
      decisionKind: from === "AGREED_CHECK" ? "INCLUSION" : "REJECTION",
      to: "UNDER_REVIEW",
      toDecisionKind: null,
      roles: ["CHECKER"],
      guards: CHECKER_GUARDS,
      inputs: ["reasonText"],
      notice: "discard",
      effects: { closeStage: true },
      notify: [...SC, NOTIFY.returnedForReview],
      summary: "A chosen checker refuses with a reason: back to review, the notice is discarded",
    }),
  ),
  row({
    id: "T17",
    action: "APPROVER_APPROVE",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "INCLUSION",
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    effects: { supersedePrevious: true, stamp: ["decidedAt"], closeStage: true },
    notify: FINAL,
    final: true,
    summary: "An approver approves the inclusion; a previous version of the chain becomes «Изменена»",
  }),
  row({
    id: "T18",
    action: "APPROVER_APPROVE",
    from: "REJECTED_APPROVAL",
    decisionKind: "REJECTION",
    to: "REJECTED",
    toDecisionKind: "REJECTION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    effects: { stamp: ["decidedAt"], closeStage: true },
    notify: FINAL,
    final: true,
    summary: "An approver approves the rejection: «Отклонена» (final)",
  }),
  ...(["CONFIRMED_APPROVAL", "REJECTED_APPROVAL"] as const).map((from) =>
    row({
      id: "T19",
      action: "APPROVER_REFUSE",
      from,
      decisionKind: from === "CONFIRMED_APPROVAL" ? "INCLUSION" : "REJECTION",
      to: "UNDER_REVIEW",
      toDecisionKind: null,
      roles: ["APPROVER"],
      guards: ["approverNotInvolved"],
      inputs: ["reasonText"],
      notice: "discard",
      effects: { closeStage: true },
      notify: [...SC, NOTIFY.returnedForReview],
      summary: "An approver refuses with a reason: back to review, the notice is discarded",
    }),
  ),
  ...(["INCLUDED", "REJECTED"] as const).map((from) =>
    row({
      id: "T20",
      action: "MAKE_CHANGES",
      from,
      to: from,
      roles: ["SUPPLIER_ADMIN"],
      guards:
        from === "INCLUDED"
          ? ["latestVersion", "noOpenVersionInChain", "noExclusionNotice"]
          : ["latestVersion", "noOpenVersionInChain"],
      effects: { newVersion: true },
      summary:
        "«Внести изменение»: a new version in «Проект» (unsaved until its first save); this one unchanged",
    }),
  ),
  // ─────────── the Fund: exclusion (X1–X7; SPEC §4.3, DECISIONS 10) ───────────
  row({
    id: "X1",
    action: "FORM_EXCLUSION_NOTICE",
    from: "INCLUDED",
    to: "INCLUDED",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    inputs: ["reasons"],
    optionalInputs: ["additionalGround", "document"],
    notice: "create",
    createsNotice: "EXCLUSION",
    effects: { attach: "NOTICE" },
    summary: "The reviewer forms a notice of exclusion (reason required, additional ground optional)",
  }),
  row({
    id: "X2",
    action: "DELETE_NOTICE",
    from: "INCLUDED",
    to: "INCLUDED",
    roles: ["REVIEWER"],
    guards: ["noticeRequired"],
    notice: "delete",
    summary: "The reviewer deletes the exclusion notice",
  }),
  row({
    id: "X3",
    action: "SEND_EXCLUSION_TO_CHECK",
    from: "INCLUDED",
    noticeKind: "EXCLUSION",
    to: "REJECTED_CHECK",
    toDecisionKind: "EXCLUSION",
    roles: ["REVIEWER"],
    inputs: ["checkers"],
    notice: "send",
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the exclusion notice to the chosen checkers (not self)",
  }),
  row({
    id: "X4",
    action: "CHECKER_REFUSE",
    from: "REJECTED_CHECK",
    decisionKind: "EXCLUSION",
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    roles: ["CHECKER"],
    guards: CHECKER_GUARDS,
    inputs: ["reasonText"],
    notice: "discard",
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.exclusionCancelled],
    summary: "A chosen checker refuses the exclusion with a reason: stays «Включен в БД»",
  }),
  row({
    id: "X5",
    action: "CHECKER_CONFIRM",
    from: "REJECTED_CHECK",
    decisionKind: "EXCLUSION",
    to: "CONFIRMED_APPROVAL",
    toDecisionKind: "EXCLUSION",
    roles: ["CHECKER"],
    guards: CHECKER_GUARDS,
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the exclusion: to the approvers",
  }),
  row({
    id: "X6",
    action: "APPROVER_REFUSE",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "EXCLUSION",
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["reasonText"],
    notice: "discard",
    effects: { closeStage: true },
    notify: [...SC, NOTIFY.exclusionCancelled],
    summary: "An approver refuses the exclusion with a reason: stays «Включен в БД»",
  }),
  row({
    id: "X7",
    action: "APPROVE_EXCLUSION",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "EXCLUSION",
    to: "EXCLUDED",
    toDecisionKind: "EXCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["confirmed", "signature"],
    effects: { sign: ["EXCLUSION_NOTICE"], stamp: ["decidedAt", "excludedAt"], closeStage: true },
    notify: FINAL,
    final: true,
    summary:
      "An approver signs the exclusion notice's SHA-256 through the Signer port; the exclusion date is recorded",
  }),
];
