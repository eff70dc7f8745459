// The buttons each person sees (allowedActions) and whole flows through the pure state machine, each step's
// snapshot computed by `snapshotAfter` (what the store writes; test/app/rows.test.ts checks the two agree).
import { describe, expect, it } from "vitest";
import type { AppSnapshot, TransitionInput } from "../../domain/contracts.ts";
import { allowedActions, decide, snapshotAfter, transitionFor } from "../../domain/stateMachine.ts";
import type { Action, Actor } from "../../domain/types.ts";
import { STATUSES } from "../../domain/types.ts";
import { at, CASES, caseName, headApproval, included, inputFor, underReview } from "./cases.ts";
import { A, ACTOR_NAMES, codes, notice, sentNotice, signed, snap } from "./fixtures.ts";

const names = (app: AppSnapshot, actor: Actor) => allowedActions(app, actor);

describe("allowedActions (which buttons to show)", () => {
  it("saved draft: the author edits, saves, deletes, generates and sends; another admin deletes, generates, sends", () => {
    expect(names(snap(), A.author)).toEqual(["EDIT", "SAVE", "DELETE", "GENERATE_FORM", "SEND_TO_HEAD"]);
    expect(names(snap(), A.admin2)).toEqual(["DELETE", "GENERATE_FORM", "SEND_TO_HEAD"]);
    expect(names(snap(), A.supplierOnly)).toEqual([]);
    expect(names(snap(), A.head)).toEqual([]);
  });

  it("DECISIONS 28: an unsaved draft is its author's alone, and cannot be sent", () => {
    const unsaved = snap({ saved: false, formState: "none" });
    expect(names(unsaved, A.author)).toEqual(["EDIT", "SAVE", "DELETE", "GENERATE_FORM"]);
    for (const name of ACTOR_NAMES.filter((n) => n !== "author"))
      expect(names(unsaved, A[name]), name).toEqual([]);
  });

  it("DECISIONS 26: with a stale or no form the draft cannot be sent", () => {
    for (const formState of ["stale", "none"] as const)
      expect(names(snap({ formState }), A.author), formState).toEqual([
        "EDIT",
        "SAVE",
        "DELETE",
        "GENERATE_FORM",
      ]);
  });

  it("«Сохранить» stays a button even before the completeness check (draftComplete is computed on demand)", () => {
    expect(names(snap({ draftComplete: undefined }), A.author)).toContain("SAVE");
    expect(names(snap({ draftComplete: false }), A.author)).toContain("SAVE");
  });

  it("head approval: «Руководитель» signs the Consent first, then sends or rejects", () => {
    expect(names(headApproval(), A.head)).toEqual(["HEAD_SIGN_CONSENT", "HEAD_REJECT"]);
    expect(names(headApproval({ consentSigned: true }), A.head)).toEqual(["HEAD_REJECT", "HEAD_SUBMIT"]);
    expect(names(headApproval(), A.author)).toEqual([]);
  });

  it("DECISIONS 26: the attorney never signs the Consent, and sends only with a power of attorney", () => {
    expect(names(headApproval(), A.attorney)).toEqual(["HEAD_REJECT"]);
    expect(names(headApproval({ consentSigned: true }), A.attorney)).toEqual(["HEAD_REJECT"]);
    expect(names(headApproval({ consentSigned: true, hasPowerOfAttorney: true }), A.attorney)).toEqual([
      "HEAD_REJECT",
      "HEAD_SUBMIT",
    ]);
  });

  it("under review: form a notice; with a notice: delete it or send it to check", () => {
    expect(names(underReview(), A.reviewer)).toEqual(["FORM_INCLUSION_NOTICE", "FORM_REJECTION_NOTICE"]);
    expect(names(underReview(notice("REJECTION")), A.reviewer)).toEqual(["DELETE_NOTICE", "SEND_TO_CHECK"]);
    expect(names(underReview(), A.checker)).toEqual([]);
  });

  it("under check: only the chosen checkers who did not form the notice", () => {
    const app = at("AGREED_CHECK", "INCLUSION");
    expect(names(app, A.checker)).toEqual(["CHECKER_CONFIRM", "CHECKER_REFUSE"]);
    expect(names(app, { ...A.checker, userId: "u-chk3" })).toEqual([]);
  });

  it("pending approval: approve or refuse; exclusion: approve the exclusion or refuse", () => {
    expect(names(at("CONFIRMED_APPROVAL", "INCLUSION"), A.approver)).toEqual([
      "APPROVER_APPROVE",
      "APPROVER_REFUSE",
    ]);
    expect(names(at("REJECTED_APPROVAL", "REJECTION"), A.approver)).toEqual([
      "APPROVER_APPROVE",
      "APPROVER_REFUSE",
    ]);
    expect(names(at("CONFIRMED_APPROVAL", "EXCLUSION"), A.approver)).toEqual([
      "APPROVER_REFUSE",
      "APPROVE_EXCLUSION",
    ]);
  });

  it("included: the supplier admin makes changes, the reviewer starts an exclusion", () => {
    expect(names(included(), A.author)).toEqual(["MAKE_CHANGES"]);
    expect(names(included(), A.reviewer)).toEqual(["FORM_EXCLUSION_NOTICE"]);
    expect(names(included(notice("EXCLUSION")), A.reviewer)).toEqual([
      "DELETE_NOTICE",
      "SEND_EXCLUSION_TO_CHECK",
    ]);
    expect(names(included(notice("EXCLUSION")), A.author)).toEqual([]);
  });

  it("terminal statuses offer nothing to anyone", () => {
    for (const status of ["CHANGED", "EXCLUDED"] as const)
      for (const name of ACTOR_NAMES)
        expect(names(snap({ status }), A[name]), `${status} ${name}`).toEqual([]);
  });

  it("a MANAGER alone sees no button in any status", () => {
    for (const status of STATUSES)
      for (const kind of [null, "INCLUSION", "REJECTION", "EXCLUSION"] as const)
        expect(
          names(
            snap({ status, decisionKind: kind, activeNotice: kind ? sentNotice(kind) : null }),
            A.manager,
          ),
        ).toEqual([]);
  });

  it("every allowed action is accepted by decide with the inputs its row asks for", () => {
    for (const c of CASES)
      for (const name of ACTOR_NAMES)
        for (const action of allowedActions(c.app, A[name])) {
          const r = decide(
            { ...c.app, draftComplete: true },
            action,
            A[name],
            inputFor(rowOf(c.app, action)),
          );
          expect(r.ok, `${caseName(c)} ${name} ${action}: ${r.ok ? "" : codes(r.errors)}`).toBe(true);
        }
  });
});

function rowOf(app: AppSnapshot, action: Action) {
  const row = transitionFor(app, action);
  if (!row) throw new Error(`no row for ${action} in ${app.status}`);
  return row;
}

// ───────────── whole flows: each step decided on the snapshot the previous one left ─────────────

type Step = [Action, Actor, TransitionInput?];

function flow(start: AppSnapshot, steps: Step[]): AppSnapshot {
  let app = start;
  for (const [action, actor, input = {}] of steps) {
    const r = decide({ ...app, draftComplete: true }, action, actor, input);
    if (!r.ok) throw new Error(`${action} by ${actor.userId} in ${app.status}: ${JSON.stringify(r.errors)}`);
    const next = snapshotAfter(app, r.value, input, actor.userId);
    expect(next.draftComplete, "snapshotAfter drops the on-demand fact").toBeUndefined();
    app = next;
  }
  return app;
}

const FORM = { kind: "APPLICATION_FORM", fileId: "file-form" } as const;
const CONSENT = { kind: "CONSENT", fileId: "file-consent" } as const;
const toReview: Step[] = [
  ["GENERATE_FORM", A.author, { document: FORM }],
  ["SEND_TO_HEAD", A.author],
  ["HEAD_SIGN_CONSENT", A.head, { signatures: [signed("CONSENT")], document: CONSENT }],
  ["HEAD_SUBMIT", A.head, { confirmed: true, signatures: [signed("APPLICATION")] }],
];
const unsaved = () => snap({ saved: false, formState: "none" });

describe("flows", () => {
  it("inclusion: a new draft is saved, sent, signed, reviewed, checked and approved: «Включен в БД»", () => {
    const app = flow(unsaved(), [
      ["EDIT", A.author, { patch: { asSupplier: true } }],
      ["SAVE", A.author],
      ...toReview,
      ["FORM_INCLUSION_NOTICE", A.reviewer],
      ["SEND_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId, A.checker2.userId] }],
      ["CHECKER_CONFIRM", A.checker2],
      ["APPROVER_APPROVE", A.approver],
    ]);
    expect(app).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", version: 11, saved: true });
    expect(app.activeNotice).toMatchObject({ kind: "INCLUSION", checkedById: A.checker2.userId });
  });

  it("an edit after the form makes it stale; a new form makes it current again (DECISIONS 26)", () => {
    const edited = flow(snap({ formState: "current" }), [
      ["EDIT", A.author, { patch: { hasPharmacy: true } }],
    ]);
    expect(edited.formState).toBe("stale");
    expect(errorsOf(edited, "SEND_TO_HEAD", A.author)).toEqual(["form_stale"]);
    const progress = flow(snap({ formState: "current" }), [
      ["EDIT", A.author, { patch: { progress: { step: "D2" } } }],
    ]);
    expect(progress.formState, "a progress-only write is not an edit").toBe("current");
    const fresh = flow(edited, [["GENERATE_FORM", A.author, { document: FORM }]]);
    expect(fresh.formState).toBe("current");
    expect(
      flow(snap({ formState: "none" }), [["EDIT", A.author, { patch: { asSupplier: true } }]]).formState,
    ).toBe("none");
  });

  it("rejection: the final negative outcome is reached only when the approver agrees (T18)", () => {
    const app = flow(snap(), [
      ...toReview,
      ["FORM_REJECTION_NOTICE", A.reviewer, { reasons: ["G1", "G2"], note: "n" }],
      ["SEND_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId] }],
      ["CHECKER_CONFIRM", A.checker],
      ["APPROVER_APPROVE", A.approver],
    ]);
    expect(app).toMatchObject({ status: "REJECTED", decisionKind: "REJECTION" });
    expect(app.activeNotice?.reasons).toEqual(["G1", "G2"]);
  });

  it("I-RETURN: checker and approver refusals go back to the reviewer, who forms a new notice", () => {
    const back = flow(snap(), [
      ...toReview,
      ["FORM_INCLUSION_NOTICE", A.reviewer],
      ["SEND_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId] }],
      ["CHECKER_REFUSE", A.checker, { reasonText: "нет СЭС" }],
    ]);
    expect(back).toMatchObject({ status: "UNDER_REVIEW", decisionKind: null, activeNotice: null });
    const again = flow(back, [
      ["FORM_REJECTION_NOTICE", A.reviewer2, { reasons: ["G"] }],
      ["SEND_TO_CHECK", A.reviewer2, { checkerIds: [A.checker.userId] }],
      ["CHECKER_CONFIRM", A.checker],
      ["APPROVER_REFUSE", A.approver, { reasonText: "не согласен" }],
    ]);
    expect(again).toMatchObject({ status: "UNDER_REVIEW", decisionKind: null, activeNotice: null });
  });

  it("I-HEAD: the head's refusal returns to «Проект»; the next round needs a new Consent", () => {
    const draft = flow(snap(), [
      ["SEND_TO_HEAD", A.author],
      ["HEAD_SIGN_CONSENT", A.head, { signatures: [signed("CONSENT")], document: CONSENT }],
      ["HEAD_REJECT", A.head, { reasonText: "ошибка в адресе" }],
    ]);
    expect(draft).toMatchObject({ status: "DRAFT", consentSigned: false });
    const round2 = flow(draft, [["SEND_TO_HEAD", A.author]]);
    expect(
      errorsOf(round2, "HEAD_SUBMIT", A.head, { confirmed: true, signatures: [signed("APPLICATION")] }),
    ).toEqual(["consent_not_signed"]);
  });

  it("exclusion: X1 → X3 → X5 → X7 ends in «Исключен из БД»", () => {
    const app = flow(included(), [
      ["FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E1"] }],
      ["SEND_EXCLUSION_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId] }],
      ["CHECKER_CONFIRM", A.checker],
      ["APPROVE_EXCLUSION", A.approver, { confirmed: true, signatures: [signed("EXCLUSION_NOTICE")] }],
    ]);
    expect(app).toMatchObject({ status: "EXCLUDED", decisionKind: "EXCLUSION" });
    expect(allowedActions(app, A.author)).toEqual([]);
  });

  it("exclusion refused by the checker (X4) or the approver (X6) stays «Включен в БД»", () => {
    const sent: Step[] = [
      ["FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E1"] }],
      ["SEND_EXCLUSION_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId] }],
    ];
    const x4 = flow(included(), [...sent, ["CHECKER_REFUSE", A.checker, { reasonText: "нет оснований" }]]);
    expect(x4).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", activeNotice: null });
    const x6 = flow(included(), [
      ...sent,
      ["CHECKER_CONFIRM", A.checker],
      ["APPROVER_REFUSE", A.approver, { reasonText: "нет оснований" }],
    ]);
    expect(x6).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", activeNotice: null });
    expect(allowedActions(x6, A.author)).toEqual(["MAKE_CHANGES"]);
  });

  it("DECISIONS 16: a second decision on the same state is refused after the first (stale button)", () => {
    const app = at("AGREED_CHECK", "INCLUSION");
    const after = flow(app, [["CHECKER_CONFIRM", A.checker]]);
    expect(errorsOf(after, "CHECKER_REFUSE", A.checker2, { reasonText: "Нет СЭС" })).toEqual([
      "wrong_status",
    ]);
  });
});

describe("snapshotAfter", () => {
  it("T3: a deleted draft leaves the snapshot as it was (the caller draws nothing)", () => {
    const app = snap();
    const d = decide(app, "DELETE", A.author, { confirmed: true });
    if (!d.ok) throw new Error("T3");
    expect(snapshotAfter(app, d.value, { confirmed: true }, A.author.userId)).toBe(app);
  });

  it("T2: the region and the power of attorney of a patch are what the next decision sees", () => {
    const app = snap({ regionCode: "ASTANA", hasPowerOfAttorney: false });
    const input: TransitionInput = {
      patch: { regionCode: "ABAI", documents: [{ kind: "POWER_OF_ATTORNEY", fileIds: ["f-poa"] }] },
    };
    const d = decide(app, "EDIT", A.author, input);
    if (!d.ok) throw new Error("T2");
    expect(snapshotAfter(app, d.value, input, A.author.userId)).toMatchObject({
      regionCode: "ABAI",
      hasPowerOfAttorney: true,
      formState: "stale",
      version: 2,
    });
  });

  it("T12: the chosen checkers are kept once each, in the order chosen", () => {
    const app = underReview(notice("INCLUSION"));
    const input = { checkerIds: [A.checker2.userId, A.checker.userId, A.checker2.userId] };
    const d = decide(app, "SEND_TO_CHECK", A.reviewer, input);
    if (!d.ok) throw new Error("T12");
    expect(snapshotAfter(app, d.value, input, A.reviewer.userId).activeNotice?.checkerIds).toEqual([
      A.checker2.userId,
      A.checker.userId,
    ]);
  });
});

function errorsOf(app: AppSnapshot, action: Action, actor: Actor, input: TransitionInput = {}): string[] {
  const r = decide({ ...app, draftComplete: true }, action, actor, input);
  return r.ok ? [] : codes(r.errors);
}
