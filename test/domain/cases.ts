// One case per row of the transition table (and per from-status of the rows that have two), written from SPEC
// §1.7 / §4 and DECISIONS 9–16, 25–28 independently of domain/transitions.ts: who may act, with which input,
// where it leads. The state-machine tests run every case for every demo actor.
import type { AppSnapshot, TransitionInput } from "../../domain/contracts.ts";
import type { TransitionRow } from "../../domain/transitions.ts";
import type { Action, Actor, DecisionKind, Status } from "../../domain/types.ts";
import { A, type ActorName, notice, SHA, SIGNATURE, sentNotice, signed, snap } from "./fixtures.ts";

export interface Case {
  id: string;
  action: Action;
  app: AppSnapshot;
  /** Actors who may do it. */
  who: ActorName[];
  input: TransitionInput;
  to: Status | "DELETED";
  kind: DecisionKind | null;
}

/** Every role at once (to test status errors independently of roles). */
export const superuser: Actor = {
  userId: "u-super",
  orgRoles: ["SUPPLIER", "ORG_ADMIN", "HEAD", "HEAD_ATTORNEY"],
  staffRoles: ["REVIEWER", "CHECKER", "APPROVER", "MANAGER"],
};

const supplierAdmins: ActorName[] = ["author", "admin2", "soleTrader"];
const reviewers: ActorName[] = ["reviewer", "reviewer2"];
const checkers: ActorName[] = ["checker", "checker2"];
const approvers: ActorName[] = ["approver", "approver2"];

export const underReview = (n: AppSnapshot["activeNotice"] = null) =>
  snap({ status: "UNDER_REVIEW", activeNotice: n });
export const included = (n: AppSnapshot["activeNotice"] = null) =>
  snap({ status: "INCLUDED", decisionKind: "INCLUSION", activeNotice: n });
export const at = (status: Status, kind: DecisionKind) =>
  snap({ status, decisionKind: kind, activeNotice: sentNotice(kind) });
export const headApproval = (o: Partial<AppSnapshot> = {}) => snap({ status: "HEAD_APPROVAL", ...o });

const form = { kind: "APPLICATION_FORM", fileId: "file-form" } as const;
const consent = { kind: "CONSENT", fileId: "file-consent" } as const;

export const CASES: Case[] = [
  {
    id: "T2",
    action: "EDIT",
    app: snap(),
    who: ["author"],
    input: { patch: { asCoExecutor: true } },
    to: "DRAFT",
    kind: null,
  },
  {
    id: "T1/T2",
    action: "SAVE",
    app: snap({ draftComplete: true }),
    who: ["author"],
    input: {},
    to: "DRAFT",
    kind: null,
  },
  // DECISIONS 25: any «Поставщик» + «Администратор организации» deletes a saved draft (and its author)
  {
    id: "T3",
    action: "DELETE",
    app: snap(),
    who: supplierAdmins,
    input: { confirmed: true },
    to: "DELETED",
    kind: null,
  },
  {
    id: "T4",
    action: "GENERATE_FORM",
    app: snap({ formState: "none" }),
    who: supplierAdmins,
    input: { document: form },
    to: "DRAFT",
    kind: null,
  },
  {
    id: "T5",
    action: "SEND_TO_HEAD",
    app: snap({ draftComplete: true }),
    who: supplierAdmins,
    input: {},
    to: "HEAD_APPROVAL",
    kind: null,
  },
  // DECISIONS 26: the consent by «Руководитель» only
  {
    id: "T6",
    action: "HEAD_SIGN_CONSENT",
    app: headApproval(),
    who: ["head", "soleTrader"],
    input: { signatures: [signed("CONSENT")], document: consent },
    to: "HEAD_APPROVAL",
    kind: null,
  },
  {
    id: "T7",
    action: "HEAD_REJECT",
    app: headApproval({ consentSigned: true }),
    who: ["head", "attorney", "soleTrader"],
    input: { reasonText: "Исправьте адрес" },
    to: "DRAFT",
    kind: null,
  },
  // DECISIONS 26: the form by the head, or by an attorney when D3 is attached
  {
    id: "T8",
    action: "HEAD_SUBMIT",
    app: headApproval({ consentSigned: true, hasPowerOfAttorney: true }),
    who: ["head", "attorney", "soleTrader"],
    input: { confirmed: true, signatures: [signed("APPLICATION")] },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T9",
    action: "FORM_INCLUSION_NOTICE",
    app: underReview(),
    who: reviewers,
    input: {},
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T10",
    action: "FORM_REJECTION_NOTICE",
    app: underReview(),
    who: reviewers,
    input: { reasons: ["GROUND_1"], note: "Примечание" },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T11",
    action: "DELETE_NOTICE",
    app: underReview(notice("REJECTION")),
    who: reviewers,
    input: {},
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T12",
    action: "SEND_TO_CHECK",
    app: underReview(notice("INCLUSION")),
    who: reviewers,
    input: { checkerIds: [A.checker.userId, A.checker2.userId] },
    to: "AGREED_CHECK",
    kind: "INCLUSION",
  },
  {
    id: "T13",
    action: "SEND_TO_CHECK",
    app: underReview(notice("REJECTION")),
    who: reviewers,
    input: { checkerIds: [A.checker.userId] },
    to: "REJECTED_CHECK",
    kind: "REJECTION",
  },
  {
    id: "T14",
    action: "CHECKER_CONFIRM",
    app: at("AGREED_CHECK", "INCLUSION"),
    who: checkers,
    input: {},
    to: "CONFIRMED_APPROVAL",
    kind: "INCLUSION",
  },
  {
    id: "T15",
    action: "CHECKER_CONFIRM",
    app: at("REJECTED_CHECK", "REJECTION"),
    who: checkers,
    input: {},
    to: "REJECTED_APPROVAL",
    kind: "REJECTION",
  },
  {
    id: "T16",
    action: "CHECKER_REFUSE",
    app: at("AGREED_CHECK", "INCLUSION"),
    who: checkers,
    input: { reasonText: "Нет СЭС" },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T16",
    action: "CHECKER_REFUSE",
    app: at("REJECTED_CHECK", "REJECTION"),
    who: checkers,
    input: { reasonText: "Основание неверно" },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T17",
    action: "APPROVER_APPROVE",
    app: at("CONFIRMED_APPROVAL", "INCLUSION"),
    who: approvers,
    input: {},
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "T18",
    action: "APPROVER_APPROVE",
    app: at("REJECTED_APPROVAL", "REJECTION"),
    who: approvers,
    input: {},
    to: "REJECTED",
    kind: "REJECTION",
  },
  {
    id: "T19",
    action: "APPROVER_REFUSE",
    app: at("CONFIRMED_APPROVAL", "INCLUSION"),
    who: approvers,
    input: { reasonText: "Проверьте лицензию" },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T19",
    action: "APPROVER_REFUSE",
    app: at("REJECTED_APPROVAL", "REJECTION"),
    who: approvers,
    input: { reasonText: "Основание неверно" },
    to: "UNDER_REVIEW",
    kind: null,
  },
  {
    id: "T20",
    action: "MAKE_CHANGES",
    app: included(),
    who: supplierAdmins,
    input: {},
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "T20",
    action: "MAKE_CHANGES",
    app: snap({ status: "REJECTED", decisionKind: "REJECTION" }),
    who: supplierAdmins,
    input: {},
    to: "REJECTED",
    kind: "REJECTION",
  },
  {
    id: "X1",
    action: "FORM_EXCLUSION_NOTICE",
    app: included(),
    who: reviewers,
    input: { reasons: ["EXCL_1"], additionalGround: "Решение суда" },
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "X2",
    action: "DELETE_NOTICE",
    app: included(notice("EXCLUSION")),
    who: reviewers,
    input: {},
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "X3",
    action: "SEND_EXCLUSION_TO_CHECK",
    app: included(notice("EXCLUSION")),
    who: reviewers,
    input: { checkerIds: [A.checker.userId, A.checker2.userId] },
    to: "REJECTED_CHECK",
    kind: "EXCLUSION",
  },
  {
    id: "X4",
    action: "CHECKER_REFUSE",
    app: at("REJECTED_CHECK", "EXCLUSION"),
    who: checkers,
    input: { reasonText: "Основания нет" },
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "X5",
    action: "CHECKER_CONFIRM",
    app: at("REJECTED_CHECK", "EXCLUSION"),
    who: checkers,
    input: {},
    to: "CONFIRMED_APPROVAL",
    kind: "EXCLUSION",
  },
  {
    id: "X6",
    action: "APPROVER_REFUSE",
    app: at("CONFIRMED_APPROVAL", "EXCLUSION"),
    who: approvers,
    input: { reasonText: "Основания нет" },
    to: "INCLUDED",
    kind: "INCLUSION",
  },
  {
    id: "X7",
    action: "APPROVE_EXCLUSION",
    app: at("CONFIRMED_APPROVAL", "EXCLUSION"),
    who: approvers,
    input: { confirmed: true, signatures: [signed("EXCLUSION_NOTICE")] },
    to: "EXCLUDED",
    kind: "EXCLUSION",
  },
];

export const caseName = (c: Case) =>
  `${c.id} ${c.action} from ${c.app.status}${c.app.decisionKind ? `/${c.app.decisionKind}` : ""}`;

/** An input that satisfies every requirement of `row` (the document is the one of its `attach`). */
export function inputFor(row: TransitionRow, checkerId: string = A.checker2.userId): TransitionInput {
  const input: TransitionInput = {};
  for (const req of row.inputs) {
    if (req === "reasonText") input.reasonText = "Причина указана полностью";
    if (req === "reasons") input.reasons = ["GROUND_1"];
    if (req === "checkers") input.checkerIds = [checkerId];
    if (req === "confirmed") input.confirmed = true;
    if (req === "signature")
      input.signatures = (row.effects.sign ?? []).map((document) => ({
        document,
        sha256: SHA,
        method: SIGNATURE.method,
      }));
    if (req === "document" && row.effects.attach)
      input.document = { kind: row.effects.attach, fileId: "file-1" };
    if (req === "patch") input.patch = { asSupplier: true };
  }
  return input;
}
