// The application state machine (SPEC §4, DECISIONS 9–16): ONE transition table, and `decide` /
// `allowedActions` driven by it. Pure: the store loads an AppSnapshot, calls `decide`, and executes the
// Decision in one transaction with an optimistic version check.
import type { AppSnapshot, Decide, Decision, NotificationIntent, TransitionInput } from "./contracts.ts";
import { NOTIFY, STATUS_CHANGED } from "./notifications.ts";
import type { Action, Actor, DecisionKind, DomainError, Result, Status } from "./types.ts";
import { ACTIONS, fail, ok } from "./types.ts";

// ───────────── vocabulary of the table ─────────────

/**
 * Who may act (any one suffices):
 * SUPPLIER_ADMIN = org roles SUPPLIER and ORG_ADMIN together (G1); AUTHOR = the application's creator who
 * still holds a role in the organisation; SUPPLIER = «Поставщик мед.услуг»; HEAD = HEAD or HEAD_ATTORNEY;
 * REVIEWER / CHECKER / APPROVER = staff roles in the region's branch. MANAGER alone grants nothing.
 */
export type Who = "SUPPLIER_ADMIN" | "AUTHOR" | "SUPPLIER" | "HEAD" | "REVIEWER" | "CHECKER" | "APPROVER";

/** Conditions on the stored application (also decide which buttons are shown). */
export type Guard =
  | "noticeRequired" // a current notice exists → else "notice_required"
  | "noNotice" // no current notice → else "notice_exists"
  | "noExclusionNotice" // no exclusion is being prepared → else "exclusion_in_progress"
  | "consentSigned" // T6 done in this head round → else "consent_not_signed"
  | "consentNotSigned" // → else "consent_already_signed"
  | "formGenerated" // snapshot.formGenerated !== false → else "form_not_generated"
  | "draftComplete" // snapshot.draftComplete !== false → else "draft_incomplete"
  | "latestVersion" // → else "not_latest_version"
  | "noOpenVersionInChain" // → else "chain_has_open_version"
  | "chosenChecker" // actor is among the notice's chosen checkers → else "not_chosen_checker"
  | "checkerNotNoticeAuthor" // I-FOUR-EYES → else "self_as_checker"
  | "approverNotInvolved"; // I-FOUR-EYES: not the notice author nor the confirming checker → "self_as_approver"

/** Inputs the actor must supply (TransitionInput). */
export type InputRequirement =
  | "reasonText" // free text → "reason_required" / "reason_too_long"
  | "reasons" // ≥1 reference-list code → "reasons_required"
  | "checkers" // ≥1 checker, not self, not the notice author → "checkers_required" / "self_as_checker"
  | "confirmed" // the explicit confirmation step → "confirmation_required"
  | "signature"; // the Signer port's result → "signature_required" / "signature_invalid"

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
  notice?: Decision["notice"];
  /** With notice "create": the kind of notice formed. */
  createsNotice?: DecisionKind;
  effects: Decision["effects"];
  notify: readonly NotificationIntent[];
  /** One line for generated docs (English; UI texts live in locales/). */
  summary: string;
}

/** Longest free-text reason accepted (fits in a Telegram message with the rest of the notice). */
export const MAX_REASON_LENGTH = 1000;

const SC = STATUS_CHANGED;
/** A final decision: the status change, then the satisfaction questionnaire (SPEC §5.12) to author and heads. */
const FINAL: readonly NotificationIntent[] = [...SC, NOTIFY.questionnaireAuthor, NOTIFY.questionnaireHeads];
const CLOSE = { closeStage: true } as const;

// ───────────── THE table ─────────────

export const TRANSITIONS: readonly TransitionRow[] = [
  // inclusion / rejection flow (SPEC §4.2)
  {
    id: "T1",
    action: "CREATE",
    from: null,
    decisionKind: "ANY",
    roles: ["SUPPLIER_ADMIN"],
    guards: [],
    inputs: [],
    to: "DRAFT",
    toDecisionKind: null,
    effects: {},
    notify: [],
    summary:
      "Create an application (validateForSave in CREATE mode: V1–V10, R1–R3, 3-year rule, one per region)",
  },
  {
    id: "T2",
    action: "EDIT",
    from: "DRAFT",
    decisionKind: "ANY",
    roles: ["AUTHOR"],
    guards: [],
    inputs: [],
    to: "DRAFT",
    toDecisionKind: "KEEP",
    effects: {},
    notify: [],
    summary: "The author edits the draft (validateForSave in EDIT mode: ownership form locked)",
  },
  {
    id: "T3",
    action: "DELETE",
    from: "DRAFT",
    decisionKind: "ANY",
    roles: ["SUPPLIER"],
    guards: [],
    inputs: ["confirmed"],
    to: "DELETED",
    toDecisionKind: null,
    effects: {},
    notify: SC,
    summary: "Delete the draft after confirmation",
  },
  {
    id: "T4",
    action: "GENERATE_FORM",
    from: "DRAFT",
    decisionKind: "ANY",
    roles: ["AUTHOR", "SUPPLIER_ADMIN"],
    guards: [],
    inputs: [],
    to: "DRAFT",
    toDecisionKind: "KEEP",
    effects: {},
    notify: [],
    summary: "Generate «Заявка о включении» to download and check",
  },
  {
    id: "T5",
    action: "SEND_TO_HEAD",
    from: "DRAFT",
    decisionKind: "ANY",
    roles: ["AUTHOR", "SUPPLIER_ADMIN"],
    guards: ["formGenerated", "draftComplete"],
    inputs: [],
    to: "HEAD_APPROVAL",
    toDecisionKind: null,
    effects: {},
    notify: [...SC, NOTIFY.headApprovalRequested],
    summary: "Send to the head for signing",
  },
  {
    id: "T6",
    action: "HEAD_SIGN_CONSENT",
    from: "HEAD_APPROVAL",
    decisionKind: "ANY",
    roles: ["HEAD"],
    guards: ["consentNotSigned"],
    inputs: ["signature"],
    to: "HEAD_APPROVAL",
    toDecisionKind: "KEEP",
    effects: { signConsent: true },
    notify: [],
    summary: "The head signs the Consent (D4) through the Signer port",
  },
  {
    id: "T7",
    action: "HEAD_REJECT",
    from: "HEAD_APPROVAL",
    decisionKind: "ANY",
    roles: ["HEAD"],
    guards: [],
    inputs: ["reasonText"],
    to: "DRAFT",
    toDecisionKind: null,
    effects: CLOSE,
    notify: SC,
    summary: "The head rejects with a reason: back to the draft",
  },
  {
    id: "T8",
    action: "HEAD_SUBMIT",
    from: "HEAD_APPROVAL",
    decisionKind: "ANY",
    roles: ["HEAD"],
    guards: ["consentSigned"],
    inputs: ["confirmed", "signature"],
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    effects: CLOSE,
    notify: [...SC, NOTIFY.newForReview],
    summary: "The head signs and sends to the Fund branch (M4 licence notices shown before, informational)",
  },
  {
    id: "T9",
    action: "FORM_INCLUSION_NOTICE",
    from: "UNDER_REVIEW",
    decisionKind: "ANY",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    inputs: [],
    to: "UNDER_REVIEW",
    toDecisionKind: "KEEP",
    notice: "create",
    createsNotice: "INCLUSION",
    effects: {},
    notify: [],
    summary: "The reviewer forms a notice of inclusion",
  },
  {
    id: "T10",
    action: "FORM_REJECTION_NOTICE",
    from: "UNDER_REVIEW",
    decisionKind: "ANY",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    inputs: ["reasons"],
    optionalInputs: ["note"],
    to: "UNDER_REVIEW",
    toDecisionKind: "KEEP",
    notice: "create",
    createsNotice: "REJECTION",
    effects: {},
    notify: [],
    summary: "The reviewer forms a notice of rejection (≥1 ground, optional note)",
  },
  {
    id: "T11",
    action: "DELETE_NOTICE",
    from: "UNDER_REVIEW",
    decisionKind: "ANY",
    roles: ["REVIEWER"],
    guards: ["noticeRequired"],
    inputs: [],
    to: "UNDER_REVIEW",
    toDecisionKind: "KEEP",
    notice: "delete",
    effects: {},
    notify: [],
    summary: "The reviewer deletes the formed notice",
  },
  {
    id: "T12",
    action: "SEND_TO_CHECK",
    from: "UNDER_REVIEW",
    decisionKind: "ANY",
    noticeKind: "INCLUSION",
    roles: ["REVIEWER"],
    guards: [],
    inputs: ["checkers"],
    to: "AGREED_CHECK",
    toDecisionKind: "INCLUSION",
    notice: "send",
    effects: CLOSE,
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the inclusion notice to the chosen checkers (not self)",
  },
  {
    id: "T13",
    action: "SEND_TO_CHECK",
    from: "UNDER_REVIEW",
    decisionKind: "ANY",
    noticeKind: "REJECTION",
    roles: ["REVIEWER"],
    guards: [],
    inputs: ["checkers"],
    to: "REJECTED_CHECK",
    toDecisionKind: "REJECTION",
    notice: "send",
    effects: CLOSE,
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the rejection notice to the chosen checkers (not self)",
  },
  {
    id: "T14",
    action: "CHECKER_CONFIRM",
    from: "AGREED_CHECK",
    decisionKind: "INCLUSION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: [],
    to: "CONFIRMED_APPROVAL",
    toDecisionKind: "INCLUSION",
    effects: CLOSE,
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the inclusion: to the approvers",
  },
  {
    id: "T15",
    action: "CHECKER_CONFIRM",
    from: "REJECTED_CHECK",
    decisionKind: "REJECTION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: [],
    to: "REJECTED_APPROVAL",
    toDecisionKind: "REJECTION",
    effects: CLOSE,
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the rejection: to the approvers",
  },
  {
    id: "T16",
    action: "CHECKER_REFUSE",
    from: "AGREED_CHECK",
    decisionKind: "INCLUSION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: ["reasonText"],
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.returnedForReview],
    summary: "A chosen checker refuses with a reason: back to review, the notice is discarded",
  },
  {
    id: "T16",
    action: "CHECKER_REFUSE",
    from: "REJECTED_CHECK",
    decisionKind: "REJECTION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: ["reasonText"],
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.returnedForReview],
    summary: "A chosen checker refuses with a reason: back to review, the notice is discarded",
  },
  {
    id: "T17",
    action: "APPROVER_APPROVE",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "INCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: [],
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    effects: { supersedePrevious: true, closeStage: true },
    notify: FINAL,
    summary: "An approver approves the inclusion; a previous version of the chain becomes «Изменена»",
  },
  {
    id: "T18",
    action: "APPROVER_APPROVE",
    from: "REJECTED_APPROVAL",
    decisionKind: "REJECTION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: [],
    to: "REJECTED",
    toDecisionKind: "REJECTION",
    effects: CLOSE,
    notify: FINAL,
    summary: "An approver approves the rejection (a previous included version stays included)",
  },
  {
    id: "T19",
    action: "APPROVER_REFUSE",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "INCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["reasonText"],
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.returnedForReview],
    summary: "An approver refuses with a reason: back to review, the notice is discarded",
  },
  {
    id: "T19",
    action: "APPROVER_REFUSE",
    from: "REJECTED_APPROVAL",
    decisionKind: "REJECTION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["reasonText"],
    to: "UNDER_REVIEW",
    toDecisionKind: null,
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.returnedForReview],
    summary: "An approver refuses with a reason: back to review, the notice is discarded",
  },
  {
    id: "T20",
    action: "MAKE_CHANGES",
    from: "INCLUDED",
    decisionKind: "ANY",
    roles: ["SUPPLIER_ADMIN"],
    guards: ["latestVersion", "noOpenVersionInChain", "noExclusionNotice"],
    inputs: [],
    to: "INCLUDED",
    toDecisionKind: "KEEP",
    effects: { newVersion: true },
    notify: [],
    summary:
      "Make changes: a new version in «Проект» (validateForSave in MAKE_CHANGES mode); this one unchanged",
  },
  {
    id: "T20",
    action: "MAKE_CHANGES",
    from: "REJECTED",
    decisionKind: "ANY",
    roles: ["SUPPLIER_ADMIN"],
    guards: ["latestVersion", "noOpenVersionInChain"],
    inputs: [],
    to: "REJECTED",
    toDecisionKind: "KEEP",
    effects: { newVersion: true },
    notify: [],
    summary:
      "Make changes: a new version in «Проект» (validateForSave in MAKE_CHANGES mode); this one unchanged",
  },
  // exclusion flow (SPEC §4.3, DECISIONS 10)
  {
    id: "X1",
    action: "FORM_EXCLUSION_NOTICE",
    from: "INCLUDED",
    decisionKind: "ANY",
    roles: ["REVIEWER"],
    guards: ["noNotice"],
    inputs: ["reasons"],
    optionalInputs: ["additionalGround"],
    to: "INCLUDED",
    toDecisionKind: "KEEP",
    notice: "create",
    createsNotice: "EXCLUSION",
    effects: {},
    notify: [],
    summary: "The reviewer forms a notice of exclusion (reason required, additional ground optional)",
  },
  {
    id: "X2",
    action: "DELETE_NOTICE",
    from: "INCLUDED",
    decisionKind: "ANY",
    roles: ["REVIEWER"],
    guards: ["noticeRequired"],
    inputs: [],
    to: "INCLUDED",
    toDecisionKind: "KEEP",
    notice: "delete",
    effects: {},
    notify: [],
    summary: "The reviewer deletes the exclusion notice",
  },
  {
    id: "X3",
    action: "SEND_EXCLUSION_TO_CHECK",
    from: "INCLUDED",
    decisionKind: "ANY",
    noticeKind: "EXCLUSION",
    roles: ["REVIEWER"],
    guards: [],
    inputs: ["checkers"],
    to: "REJECTED_CHECK",
    toDecisionKind: "EXCLUSION",
    notice: "send",
    effects: {},
    notify: [...SC, NOTIFY.checkRequested],
    summary: "Send the exclusion notice to the chosen checkers (not self)",
  },
  {
    id: "X4",
    action: "CHECKER_REFUSE",
    from: "REJECTED_CHECK",
    decisionKind: "EXCLUSION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: ["reasonText"],
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.exclusionCancelled],
    summary: "A chosen checker refuses the exclusion with a reason: stays «Включен в БД»",
  },
  {
    id: "X5",
    action: "CHECKER_CONFIRM",
    from: "REJECTED_CHECK",
    decisionKind: "EXCLUSION",
    roles: ["CHECKER"],
    guards: ["chosenChecker", "checkerNotNoticeAuthor"],
    inputs: [],
    to: "CONFIRMED_APPROVAL",
    toDecisionKind: "EXCLUSION",
    effects: CLOSE,
    notify: [...SC, NOTIFY.approvalRequested],
    summary: "A chosen checker confirms the exclusion: to the approvers",
  },
  {
    id: "X6",
    action: "APPROVER_REFUSE",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "EXCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["reasonText"],
    to: "INCLUDED",
    toDecisionKind: "INCLUSION",
    notice: "discard",
    effects: CLOSE,
    notify: [...SC, NOTIFY.exclusionCancelled],
    summary: "An approver refuses the exclusion with a reason: stays «Включен в БД»",
  },
  {
    id: "X7",
    action: "APPROVE_EXCLUSION",
    from: "CONFIRMED_APPROVAL",
    decisionKind: "EXCLUSION",
    roles: ["APPROVER"],
    guards: ["approverNotInvolved"],
    inputs: ["confirmed", "signature"],
    to: "EXCLUDED",
    toDecisionKind: "EXCLUSION",
    effects: { recordExclusion: true, closeStage: true },
    notify: FINAL,
    summary: "An approver approves the exclusion through the Signer port; the exclusion date is recorded",
  },
];

/** Error codes `decide` / `decideCreate` can return. */
export const STATE_MACHINE_ERROR_CODES = [
  "wrong_status",
  "forbidden_role",
  "not_author",
  "notice_required",
  "notice_exists",
  "exclusion_in_progress",
  "consent_not_signed",
  "consent_already_signed",
  "form_not_generated",
  "draft_incomplete",
  "not_latest_version",
  "chain_has_open_version",
  "not_chosen_checker",
  "self_as_checker",
  "self_as_approver",
  "reason_required",
  "reason_too_long",
  "reasons_required",
  "checkers_required",
  "confirmation_required",
  "signature_required",
  "signature_invalid",
] as const;
export type StateMachineErrorCode = (typeof STATE_MACHINE_ERROR_CODES)[number];

// ───────────── evaluation ─────────────

type Notice = NonNullable<AppSnapshot["activeNotice"]>;

/**
 * The notice that belongs to the current status: under review any inclusion/rejection notice; during check
 * and approval the notice of the stored decision kind; on «Включен в БД» only an exclusion notice.
 */
export function currentNotice(app: AppSnapshot): Notice | null {
  const n = app.activeNotice;
  if (!n) return null;
  switch (app.status) {
    case "UNDER_REVIEW":
      return n.kind === "EXCLUSION" ? null : n;
    case "AGREED_CHECK":
    case "REJECTED_CHECK":
    case "CONFIRMED_APPROVAL":
    case "REJECTED_APPROVAL":
      return n.kind === app.decisionKind ? n : null;
    case "INCLUDED":
      return n.kind === "EXCLUSION" ? n : null;
    default:
      return null;
  }
}

export function actorIs(who: Who, app: Pick<AppSnapshot, "authorId">, actor: Actor): boolean {
  switch (who) {
    case "SUPPLIER_ADMIN":
      return actor.orgRoles.includes("SUPPLIER") && actor.orgRoles.includes("ORG_ADMIN");
    case "AUTHOR":
      return actor.userId === app.authorId && actor.orgRoles.length > 0;
    case "SUPPLIER":
      return actor.orgRoles.includes("SUPPLIER");
    case "HEAD":
      return actor.orgRoles.includes("HEAD") || actor.orgRoles.includes("HEAD_ATTORNEY");
    case "REVIEWER":
      return actor.staffRoles.includes("REVIEWER");
    case "CHECKER":
      return actor.staffRoles.includes("CHECKER");
    case "APPROVER":
      return actor.staffRoles.includes("APPROVER");
  }
}

function roleErrors(row: TransitionRow, app: Pick<AppSnapshot, "authorId">, actor: Actor): DomainError[] {
  if (row.roles.some((w) => actorIs(w, app, actor))) return [];
  const onlyAuthor = row.roles.length === 1 && row.roles[0] === "AUTHOR";
  if (onlyAuthor && actor.userId !== app.authorId) return [{ code: "not_author" }];
  return [{ code: "forbidden_role", params: { action: row.action } }];
}

function guardError(guard: Guard, app: AppSnapshot, actor: Actor, notice: Notice | null): DomainError | null {
  switch (guard) {
    case "noticeRequired":
      return notice ? null : { code: "notice_required" };
    case "noNotice":
      return notice ? { code: "notice_exists", params: { kind: notice.kind } } : null;
    case "noExclusionNotice":
      return notice?.kind === "EXCLUSION" ? { code: "exclusion_in_progress" } : null;
    case "consentSigned":
      return app.consentSigned ? null : { code: "consent_not_signed", field: "D4" };
    case "consentNotSigned":
      return app.consentSigned ? { code: "consent_already_signed", field: "D4" } : null;
    case "formGenerated":
      return app.formGenerated === false ? { code: "form_not_generated" } : null;
    case "draftComplete":
      return app.draftComplete === false ? { code: "draft_incomplete" } : null;
    case "latestVersion":
      return app.isLatestVersion ? null : { code: "not_latest_version" };
    case "noOpenVersionInChain":
      return app.chainHasOpenVersion ? { code: "chain_has_open_version" } : null;
    case "chosenChecker":
      if (!notice) return { code: "notice_required" };
      return notice.checkerIds.includes(actor.userId) ? null : { code: "not_chosen_checker" };
    case "checkerNotNoticeAuthor":
      return notice?.createdById === actor.userId
        ? { code: "self_as_checker", params: { userId: actor.userId } }
        : null;
    case "approverNotInvolved":
      if (!notice) return { code: "notice_required" };
      return notice.createdById === actor.userId || notice.checkedById === actor.userId
        ? { code: "self_as_approver", params: { userId: actor.userId } }
        : null;
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function inputErrors(
  req: InputRequirement,
  input: TransitionInput,
  actor: Actor,
  notice: Notice | null,
): DomainError[] {
  switch (req) {
    case "reasonText": {
      const text = input.reasonText?.trim() ?? "";
      if (!text) return [{ code: "reason_required", field: "reasonText" }];
      return text.length > MAX_REASON_LENGTH
        ? [
            {
              code: "reason_too_long",
              field: "reasonText",
              params: { max: MAX_REASON_LENGTH, length: text.length },
            },
          ]
        : [];
    }
    case "reasons":
      return (input.reasons ?? []).some((r) => r.trim() !== "")
        ? []
        : [{ code: "reasons_required", field: "reasons" }];
    case "checkers": {
      const ids = [...new Set((input.checkerIds ?? []).filter((id) => id.trim() !== ""))];
      if (ids.length === 0) return [{ code: "checkers_required", field: "checkerIds" }];
      const errors: DomainError[] = [];
      if (ids.includes(actor.userId))
        errors.push({ code: "self_as_checker", field: "checkerIds", params: { userId: actor.userId } });
      if (notice && notice.createdById !== actor.userId && ids.includes(notice.createdById))
        errors.push({ code: "self_as_checker", field: "checkerIds", params: { userId: notice.createdById } });
      return errors;
    }
    case "confirmed":
      return input.confirmed === true ? [] : [{ code: "confirmation_required" }];
    case "signature": {
      const s = input.signature;
      if (!s?.sha256 || !s.method) return [{ code: "signature_required" }];
      return SHA256_HEX.test(s.sha256) ? [] : [{ code: "signature_invalid" }];
    }
  }
}

type Found = { row: TransitionRow; notice: Notice | null };

/** The rows of this action for the status and stored decision kind (before the notice-kind condition). */
function candidatesFor(app: AppSnapshot, action: Action): TransitionRow[] {
  return TRANSITIONS.filter(
    (r) =>
      r.action === action &&
      r.from !== null &&
      r.from === app.status &&
      (r.decisionKind === "ANY" || r.decisionKind === app.decisionKind),
  );
}

const wrongStatus = (app: AppSnapshot, action: Action) =>
  fail<Found>({
    code: "wrong_status",
    params: { action, status: app.status, decisionKind: app.decisionKind ?? "" },
  });

/**
 * Picks the row by the current notice's kind (T12 vs T13). currentNotice() only returns kinds that have a
 * row, so the only failure is a missing notice.
 */
function pickRow(candidates: readonly TransitionRow[], notice: Notice | null): Result<Found> {
  const row = candidates.find((r) => r.noticeKind === undefined || r.noticeKind === notice?.kind);
  return row ? ok({ row, notice }) : fail({ code: "notice_required" });
}

/**
 * Order of checks: the status / decision kind ("wrong_status"), the actor's role ("forbidden_role",
 * "not_author"), a notice to send ("notice_required"), then all guards and inputs at once.
 * With `input` null the input requirements are skipped (allowedActions).
 */
function evaluate(
  app: AppSnapshot,
  action: Action,
  actor: Actor,
  input: TransitionInput | null,
): Result<Found> {
  const candidates = candidatesFor(app, action);
  const first = candidates[0];
  if (!first) return wrongStatus(app, action);
  const roles = roleErrors(first, app, actor);
  if (roles.length > 0) return fail(...roles);
  const picked = pickRow(candidates, currentNotice(app));
  if (!picked.ok) return picked;
  const { row, notice } = picked.value;
  const errors: DomainError[] = [];
  for (const g of row.guards) {
    const e = guardError(g, app, actor, notice);
    if (e && !errors.some((x) => x.code === e.code)) errors.push(e);
  }
  if (input) for (const req of row.inputs) errors.push(...inputErrors(req, input, actor, notice));
  return errors.length > 0 ? fail(...errors) : picked;
}

function toDecision(row: TransitionRow, app: AppSnapshot): Decision {
  const decision: Decision = {
    action: row.action,
    transitionId: row.id,
    from: app.status,
    to: row.to,
    decisionKind: row.toDecisionKind === "KEEP" ? app.decisionKind : row.toDecisionKind,
    effects: { ...row.effects },
    notify: row.notify.map((n) => ({ ...n })),
  };
  if (row.notice) decision.notice = row.notice;
  if (row.createsNotice) decision.noticeKind = row.createsNotice;
  return decision;
}

/**
 * The one transition function. Checks, in this order: the row exists for the status and decision kind
 * ("wrong_status"), the actor's role ("forbidden_role", "not_author"), a notice to send ("notice_required"),
 * then all guards and inputs at once. CREATE has no application: use `decideCreate`.
 */
export const decide: Decide = (app, action, actor, input) => {
  const r = evaluate(app, action, actor, input);
  return r.ok ? ok(toDecision(r.value.row, app)) : r;
};

/** T1: who may create an application. Validation of the form is `validateForSave` (mode CREATE). */
export function decideCreate(actor: Actor): Result<Omit<Decision, "from">> {
  const row = TRANSITIONS.find((r) => r.action === "CREATE");
  if (!row) return fail({ code: "wrong_status" });
  if (!row.roles.some((w) => actorIs(w, { authorId: "" }, actor)))
    return fail({ code: "forbidden_role", params: { action: "CREATE" } });
  return ok({
    action: "CREATE",
    transitionId: row.id,
    to: row.to,
    decisionKind: null,
    effects: {},
    notify: [],
  });
}

/**
 * The actions this actor may start now (which buttons to show): the status, role and stored-state guards
 * pass; inputs (reasons, checkers, confirmation, signature) are asked for after the button.
 */
export function allowedActions(app: AppSnapshot, actor: Actor): Action[] {
  return ACTIONS.filter((a) => a !== "CREATE" && evaluate(app, a, actor, null).ok);
}

/** The rows for an action (for docs and for the bot's prompts: which inputs to ask for). */
export function rowsFor(action: Action): TransitionRow[] {
  return TRANSITIONS.filter((r) => r.action === action);
}

/** The row `decide` would use for this application and action, if any (ignores roles and guards). */
export function transitionFor(app: AppSnapshot, action: Action): TransitionRow | null {
  const r = pickRow(candidatesFor(app, action), currentNotice(app));
  return r.ok ? r.value.row : null;
}

/** The transition table as Markdown (generated docs). */
export function transitionTableMarkdown(): string {
  const lines = [
    "| # | From | Decision kind | Action | Who | Guards | Inputs | To | Kind after | Notice | Effects | Notify |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of TRANSITIONS) {
    const from = r.from ?? "(none)";
    const kind = r.decisionKind === "ANY" ? "" : r.decisionKind;
    const notice = [r.noticeKind ? `needs ${r.noticeKind}` : "", r.notice ?? "", r.createsNotice ?? ""]
      .filter(Boolean)
      .join(" ");
    const effects = Object.entries(r.effects)
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join(", ");
    const notify = r.notify.map((n) => `${n.audience}:${n.kind}`).join(", ");
    const inputs = [...r.inputs, ...(r.optionalInputs ?? []).map((i) => `${i}?`)].join(", ");
    lines.push(
      `| ${r.id} | ${from} | ${kind} | ${r.action} | ${r.roles.join(" / ")} | ${r.guards.join(", ")} | ${inputs} | ${r.to} | ${r.toDecisionKind ?? "null"} | ${notice} | ${effects} | ${notify} |`,
    );
  }
  return lines.join("\n");
}
