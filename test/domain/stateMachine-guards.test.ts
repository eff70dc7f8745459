// `decide`: the inputs each row requires and the guards on the stored application, and a scenario for every
// code of STATE_MACHINE_ERROR_CODES (so no listed code is dead and none is returned unlisted).
import { describe, expect, it } from "vitest";
import type { AppSnapshot, TransitionInput } from "../../domain/contracts.ts";
import {
  currentNotice,
  decide,
  STATE_MACHINE_ERROR_CODES,
  type StateMachineErrorCode,
  TRANSITIONS,
  transitionFor,
} from "../../domain/stateMachine.ts";
import { MAX_REASON_LENGTH, TEXT_LIMITS } from "../../domain/text.ts";
import type { Actor, DomainError, Result } from "../../domain/types.ts";
import { at, CASES, caseName, headApproval, included, inputFor, underReview } from "./cases.ts";
import { A, type ActorName, codes, notice, SHA, signed, snap } from "./fixtures.ts";

const errorCodes = (r: { ok: true } | { ok: false; errors: { code: string }[] }) =>
  r.ok ? [] : codes(r.errors);
const errorsOf = <T>(r: Result<T>): DomainError[] => (r.ok ? [] : r.errors);

describe("decide: required inputs", () => {
  /** [label, requirement, input patch, expected code] */
  const missing: [string, string, Partial<TransitionInput>, string][] = [
    ["reasonText", "reasonText", { reasonText: undefined }, "text_required"],
    ["reasonText (blank)", "reasonText", { reasonText: "  \n " }, "text_required"],
    ["reasonText (zero-width only)", "reasonText", { reasonText: "\u200B\u200B" }, "text_required"],
    ["reasonText (too short)", "reasonText", { reasonText: "ab" }, "text_too_short"],
    ["reasons", "reasons", { reasons: undefined }, "reasons_required"],
    ["reasons (empty list)", "reasons", { reasons: [] }, "reasons_required"],
    ["reasons (blank codes)", "reasons", { reasons: [" "] }, "reasons_required"],
    ["checkerIds", "checkers", { checkerIds: undefined }, "checkers_required"],
    ["checkerIds (empty list)", "checkers", { checkerIds: [] }, "checkers_required"],
    ["checkerIds (blank ids)", "checkers", { checkerIds: [" "] }, "checkers_required"],
    ["confirmed", "confirmed", { confirmed: undefined }, "confirmation_required"],
    ["confirmed (false)", "confirmed", { confirmed: false }, "confirmation_required"],
    ["signatures", "signature", { signatures: undefined }, "signature_required"],
    ["signatures (empty list)", "signature", { signatures: [] }, "signature_required"],
    ["document", "document", { document: undefined }, "document_required"],
    ["document (no file)", "document", { document: { kind: "CONSENT", fileId: "" } }, "document_required"],
    ["patch", "patch", { patch: undefined }, "patch_required"],
  ];
  for (const c of CASES) {
    const row = transitionFor(c.app, c.action);
    for (const [label, req, patch, code] of missing) {
      if (!row?.inputs.includes(req as never)) continue;
      it(`${caseName(c)} without ${label} is refused with ${code}`, () => {
        const input = { ...c.input, ...patch } as TransitionInput;
        if (label === "document (no file)" && row.effects.attach)
          input.document = { kind: row.effects.attach, fileId: "" };
        expect(errorCodes(decide(c.app, c.action, A[c.who[0] as ActorName], input))).toEqual([code]);
      });
    }
  }

  it("a document of another kind than the row attaches is refused (document_required names the kind)", () => {
    const r = decide(snap(), "GENERATE_FORM", A.author, { document: { kind: "CONSENT", fileId: "f" } });
    expect(errorsOf(r)).toEqual([{ code: "document_required", params: { kind: "APPLICATION_FORM" } }]);
  });

  it("T3 delete, T8 send and X7 need the explicit confirmation step", () => {
    const needs = TRANSITIONS.filter((r) => r.inputs.includes("confirmed")).map((r) => r.id);
    expect(needs.sort()).toEqual(["T3", "T8", "X7"]);
  });

  it("T6, T8 and X7 need a signature from the Signer port, each over its own document", () => {
    const rows = TRANSITIONS.filter((r) => r.inputs.includes("signature"));
    expect(rows.map((r) => [r.id, r.effects.sign])).toEqual([
      ["T6", ["CONSENT"]],
      ["T8", ["APPLICATION"]],
      ["X7", ["EXCLUSION_NOTICE"]],
    ]);
  });

  it("a signature without a method or a hash is missing; a hash that is not a SHA-256 is refused (signature_invalid)", () => {
    const app = headApproval({ consentSigned: true });
    const submit = (s: { sha256: string; method: string }) =>
      errorsOf(
        decide(app, "HEAD_SUBMIT", A.head, {
          confirmed: true,
          signatures: [{ document: "APPLICATION", ...s }],
        }),
      );
    expect(submit({ sha256: SHA, method: "" })).toEqual([
      { code: "signature_required", params: { document: "APPLICATION" } },
    ]);
    expect(submit({ sha256: "", method: "m" })).toEqual([
      { code: "signature_required", params: { document: "APPLICATION" } },
    ]);
    expect(submit({ sha256: "abc", method: "m" })).toEqual([
      { code: "signature_invalid", params: { document: "APPLICATION" } },
    ]);
    expect(submit({ sha256: `${"g".repeat(63)}0`, method: "m" })).toEqual([
      { code: "signature_invalid", params: { document: "APPLICATION" } },
    ]);
    expect(submit({ sha256: SHA.toUpperCase(), method: "m" })).toEqual([]);
  });

  it(`a reason longer than ${MAX_REASON_LENGTH} characters is refused (text_too_long); ${MAX_REASON_LENGTH} is accepted`, () => {
    const reject = (reasonText: string) => decide(headApproval(), "HEAD_REJECT", A.head, { reasonText });
    expect(errorsOf(reject("я".repeat(MAX_REASON_LENGTH + 1)))).toEqual([
      {
        code: "text_too_long",
        field: "reasonText",
        params: { min: TEXT_LIMITS.reason.min, max: MAX_REASON_LENGTH, length: MAX_REASON_LENGTH + 1 },
      },
    ]);
    expect(reject("я".repeat(MAX_REASON_LENGTH)).ok).toBe(true);
    expect(reject("я".repeat(TEXT_LIMITS.reason.min)).ok).toBe(true);
  });

  it("a reason with a bidirectional override is refused (text_bidi_control) at every negative decision", () => {
    for (const c of CASES.filter((x) => transitionFor(x.app, x.action)?.inputs.includes("reasonText")))
      expect(
        errorCodes(
          decide(c.app, c.action, A[c.who[0] as ActorName], { ...c.input, reasonText: "Нет \u202Eлицензии" }),
        ),
        caseName(c),
      ).toEqual(["text_bidi_control"]);
  });

  it("reports every missing input at once (X7 without confirmation and signature)", () => {
    const r = decide(at("CONFIRMED_APPROVAL", "EXCLUSION"), "APPROVE_EXCLUSION", A.approver, {});
    expect(errorCodes(r)).toEqual(["confirmation_required", "signature_required"]);
  });

  it("optional inputs are optional: T9/T10/X1 without a document, T10 without a note, X1 without a ground", () => {
    expect(decide(underReview(), "FORM_INCLUSION_NOTICE", A.reviewer, {}).ok).toBe(true);
    expect(decide(underReview(), "FORM_REJECTION_NOTICE", A.reviewer, { reasons: ["G"] }).ok).toBe(true);
    expect(decide(included(), "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] }).ok).toBe(true);
  });

  it("every case is accepted with the inputs its row asks for (inputFor)", () => {
    for (const c of CASES) {
      const row = transitionFor(c.app, c.action)!;
      expect(decide(c.app, c.action, A[c.who[0] as ActorName], inputFor(row)).ok, caseName(c)).toBe(true);
    }
  });
});

describe("decide: guards on the stored application", () => {
  it("V11 / I-NOT-SELF: the reviewer cannot choose themselves as checker (T12, T13, X3)", () => {
    for (const [app, action] of [
      [underReview(notice("INCLUSION")), "SEND_TO_CHECK"],
      [underReview(notice("REJECTION")), "SEND_TO_CHECK"],
      [included(notice("EXCLUSION")), "SEND_EXCLUSION_TO_CHECK"],
    ] as const) {
      const r = decide(app, action, A.reviewer, { checkerIds: [A.checker.userId, A.reviewer.userId] });
      expect(errorsOf(r)).toEqual([
        { code: "self_as_checker", field: "checkerIds", params: { userId: A.reviewer.userId } },
      ]);
    }
  });

  it("I-FOUR-EYES: another reviewer cannot choose the notice's author as checker", () => {
    const r = decide(underReview(notice("INCLUSION")), "SEND_TO_CHECK", A.reviewer2, {
      checkerIds: [A.reviewer.userId],
    });
    expect(errorCodes(r)).toEqual(["self_as_checker"]);
  });

  it("I-FOUR-EYES: a checker who formed the notice cannot check it (confirm or refuse)", () => {
    const both: Actor = { userId: "u-both", orgRoles: [], staffRoles: ["REVIEWER", "CHECKER"] };
    const n = notice("INCLUSION", { createdById: both.userId, checkerIds: [both.userId] });
    const app = snap({ status: "AGREED_CHECK", decisionKind: "INCLUSION", activeNotice: n });
    expect(errorCodes(decide(app, "CHECKER_CONFIRM", both, {}))).toEqual(["self_as_checker"]);
    expect(errorCodes(decide(app, "CHECKER_REFUSE", both, { reasonText: "Нет СЭС" }))).toEqual([
      "self_as_checker",
    ]);
  });

  it("DECISIONS 9: only a chosen checker may decide (not_chosen_checker)", () => {
    const app = snap({
      status: "AGREED_CHECK",
      decisionKind: "INCLUSION",
      activeNotice: notice("INCLUSION", { checkerIds: [A.checker.userId] }),
    });
    expect(decide(app, "CHECKER_CONFIRM", A.checker, {}).ok).toBe(true);
    expect(errorCodes(decide(app, "CHECKER_CONFIRM", A.checker2, {}))).toEqual(["not_chosen_checker"]);
    expect(errorCodes(decide(app, "CHECKER_REFUSE", A.checker2, { reasonText: "Нет СЭС" }))).toEqual([
      "not_chosen_checker",
    ]);
  });

  it("I-FOUR-EYES: an approver who formed the notice cannot approve or refuse it (self_as_approver)", () => {
    const both: Actor = { userId: "u-ra", orgRoles: [], staffRoles: ["REVIEWER", "APPROVER"] };
    for (const kind of ["INCLUSION", "REJECTION", "EXCLUSION"] as const) {
      const status = kind === "REJECTION" ? "REJECTED_APPROVAL" : "CONFIRMED_APPROVAL";
      const app = snap({
        status,
        decisionKind: kind,
        activeNotice: notice(kind, { createdById: both.userId }),
      });
      const approve = kind === "EXCLUSION" ? "APPROVE_EXCLUSION" : "APPROVER_APPROVE";
      const full = { confirmed: true, signatures: [signed("EXCLUSION_NOTICE")], reasonText: "Не согласен" };
      expect(errorCodes(decide(app, approve, both, full)), kind).toEqual(["self_as_approver"]);
      expect(errorCodes(decide(app, "APPROVER_REFUSE", both, full)), kind).toEqual(["self_as_approver"]);
    }
  });

  it("I-FOUR-EYES: the checker who confirmed cannot also approve (self_as_approver)", () => {
    const both: Actor = { userId: "u-ca", orgRoles: [], staffRoles: ["CHECKER", "APPROVER"] };
    const app = snap({
      status: "CONFIRMED_APPROVAL",
      decisionKind: "INCLUSION",
      activeNotice: notice("INCLUSION", { checkerIds: [both.userId], checkedById: both.userId }),
    });
    expect(errorCodes(decide(app, "APPROVER_APPROVE", both, {}))).toEqual(["self_as_approver"]);
    expect(decide(app, "APPROVER_APPROVE", A.approver, {}).ok).toBe(true);
  });

  it("T8 / V12: the head cannot send before signing the Consent (consent_not_signed, field D4)", () => {
    const r = decide(headApproval(), "HEAD_SUBMIT", A.head, {
      confirmed: true,
      signatures: [signed("APPLICATION")],
    });
    expect(errorsOf(r)).toEqual([{ code: "consent_not_signed", field: "D4" }]);
  });

  it("T6: the Consent is signed once per head round (consent_already_signed)", () => {
    const r = decide(headApproval({ consentSigned: true }), "HEAD_SIGN_CONSENT", A.head, {
      signatures: [signed("CONSENT")],
      document: { kind: "CONSENT", fileId: "f" },
    });
    expect(errorCodes(r)).toEqual(["consent_already_signed"]);
  });

  it("T8 reports the missing Consent together with missing inputs", () => {
    const r = decide(headApproval(), "HEAD_SUBMIT", A.head, {});
    expect(errorCodes(r)).toEqual(["consent_not_signed", "confirmation_required", "signature_required"]);
  });

  it("T9/T10/X1: a notice cannot be formed twice (notice_exists)", () => {
    expect(
      errorCodes(decide(underReview(notice("INCLUSION")), "FORM_INCLUSION_NOTICE", A.reviewer, {})),
    ).toEqual(["notice_exists"]);
    expect(
      errorCodes(
        decide(underReview(notice("INCLUSION")), "FORM_REJECTION_NOTICE", A.reviewer, { reasons: ["G"] }),
      ),
    ).toEqual(["notice_exists"]);
    expect(
      errorCodes(
        decide(included(notice("EXCLUSION")), "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] }),
      ),
    ).toEqual(["notice_exists"]);
  });

  it("T11/X2/T12/X3: deleting or sending needs a formed notice (notice_required)", () => {
    const full = { checkerIds: [A.checker.userId] };
    expect(errorCodes(decide(underReview(), "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
    expect(errorCodes(decide(included(), "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
    expect(errorCodes(decide(underReview(), "SEND_TO_CHECK", A.reviewer, full))).toEqual(["notice_required"]);
    expect(errorCodes(decide(included(), "SEND_EXCLUSION_TO_CHECK", A.reviewer, full))).toEqual([
      "notice_required",
    ]);
  });

  it("on «Включен в БД» the old inclusion notice is not a current notice (X1 allowed, X2 refused)", () => {
    const app = included(notice("INCLUSION"));
    expect(currentNotice(app)).toBeNull();
    expect(decide(app, "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] }).ok).toBe(true);
    expect(errorCodes(decide(app, "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
  });

  it("currentNotice: under review any inclusion/rejection notice, under check the stored kind's, elsewhere none", () => {
    const cases: [AppSnapshot, boolean][] = [
      [underReview(notice("REJECTION")), true],
      [underReview(notice("EXCLUSION")), false],
      [at("AGREED_CHECK", "INCLUSION"), true],
      [snap({ status: "AGREED_CHECK", decisionKind: "INCLUSION", activeNotice: notice("REJECTION") }), false],
      [included(notice("EXCLUSION")), true],
      [snap({ status: "REJECTED", decisionKind: "REJECTION", activeNotice: notice("REJECTION") }), false],
      [snap({ status: "DRAFT", activeNotice: notice("INCLUSION") }), false],
    ];
    for (const [app, has] of cases) expect(currentNotice(app) !== null, `${app.status}`).toBe(has);
  });

  it("T20: only on the newest version of the chain (not_latest_version)", () => {
    const app = snap({ status: "REJECTED", decisionKind: "REJECTION", isLatestVersion: false });
    expect(errorCodes(decide(app, "MAKE_CHANGES", A.author, {}))).toEqual(["not_latest_version"]);
  });

  it("T20 / DECISIONS 11: only when no other version of the chain is open (chain_has_open_version)", () => {
    const app = snap({ status: "INCLUDED", decisionKind: "INCLUSION", chainHasOpenVersion: true });
    expect(errorCodes(decide(app, "MAKE_CHANGES", A.author, {}))).toEqual(["chain_has_open_version"]);
  });

  it("T20: not while an exclusion is being prepared (exclusion_in_progress); a rejected version has no such guard", () => {
    expect(errorCodes(decide(included(notice("EXCLUSION")), "MAKE_CHANGES", A.author, {}))).toEqual([
      "exclusion_in_progress",
    ]);
  });

  it("checker/approver decisions without a current notice are refused (notice_required)", () => {
    const app = snap({ status: "AGREED_CHECK", decisionKind: "INCLUSION", activeNotice: null });
    expect(errorCodes(decide(app, "CHECKER_CONFIRM", A.checker, {}))).toEqual(["notice_required"]);
    const app2 = snap({ status: "CONFIRMED_APPROVAL", decisionKind: "INCLUSION", activeNotice: null });
    expect(errorCodes(decide(app2, "APPROVER_APPROVE", A.approver, {}))).toEqual(["notice_required"]);
  });

  it("reports every failing guard at once, in the row's order (T5 of another admin on an unsaved draft)", () => {
    const app = snap({ saved: false, formState: "none" });
    expect(errorCodes(decide(app, "SEND_TO_HEAD", A.admin2, {}))).toEqual([
      "draft_not_saved",
      "not_author",
      "form_not_generated",
      "draft_incomplete",
    ]);
  });
});

describe("every code of STATE_MACHINE_ERROR_CODES is returned by decide in some case", () => {
  const t6: TransitionInput = { document: { kind: "CONSENT", fileId: "f" }, signatures: [signed("CONSENT")] };
  const SCENARIOS: Record<StateMachineErrorCode, () => Result<unknown>> = {
    wrong_status: () => decide(included(), "EDIT", A.author, { patch: {} }),
    forbidden_role: () => decide(underReview(), "FORM_INCLUSION_NOTICE", A.author, {}),
    not_author: () => decide(snap(), "EDIT", A.admin2, { patch: {} }),
    notice_required: () => decide(underReview(), "DELETE_NOTICE", A.reviewer, {}),
    notice_exists: () => decide(underReview(notice("INCLUSION")), "FORM_INCLUSION_NOTICE", A.reviewer, {}),
    exclusion_in_progress: () => decide(included(notice("EXCLUSION")), "MAKE_CHANGES", A.author, {}),
    consent_not_signed: () =>
      decide(headApproval(), "HEAD_SUBMIT", A.head, { confirmed: true, signatures: [signed("APPLICATION")] }),
    consent_already_signed: () =>
      decide(headApproval({ consentSigned: true }), "HEAD_SIGN_CONSENT", A.head, t6),
    form_not_generated: () =>
      decide(snap({ formState: "none", draftComplete: true }), "SEND_TO_HEAD", A.author, {}),
    form_stale: () => decide(snap({ formState: "stale", draftComplete: true }), "SEND_TO_HEAD", A.author, {}),
    draft_incomplete: () => decide(snap({ draftComplete: false }), "SAVE", A.author, {}),
    draft_not_saved: () => decide(snap({ saved: false, draftComplete: true }), "SEND_TO_HEAD", A.author, {}),
    power_of_attorney_required: () =>
      decide(headApproval({ consentSigned: true }), "HEAD_SUBMIT", A.attorney, {
        confirmed: true,
        signatures: [signed("APPLICATION")],
      }),
    not_latest_version: () =>
      decide(snap({ status: "REJECTED", isLatestVersion: false }), "MAKE_CHANGES", A.author, {}),
    chain_has_open_version: () =>
      decide(
        snap({ status: "INCLUDED", decisionKind: "INCLUSION", chainHasOpenVersion: true }),
        "MAKE_CHANGES",
        A.author,
        {},
      ),
    not_chosen_checker: () =>
      decide(at("AGREED_CHECK", "INCLUSION"), "CHECKER_CONFIRM", { ...A.checker, userId: "u-x" }, {}),
    self_as_checker: () =>
      decide(underReview(notice("INCLUSION")), "SEND_TO_CHECK", A.reviewer, {
        checkerIds: [A.reviewer.userId],
      }),
    self_as_approver: () =>
      decide(
        at("CONFIRMED_APPROVAL", "INCLUSION"),
        "APPROVER_APPROVE",
        { ...A.approver, userId: A.reviewer.userId },
        {},
      ),
    reasons_required: () => decide(underReview(), "FORM_REJECTION_NOTICE", A.reviewer, {}),
    checkers_required: () => decide(underReview(notice("INCLUSION")), "SEND_TO_CHECK", A.reviewer, {}),
    confirmation_required: () => decide(snap(), "DELETE", A.author, {}),
    signature_required: () => decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, { document: t6.document }),
    signature_invalid: () =>
      decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, {
        ...t6,
        signatures: [{ ...signed("CONSENT"), sha256: "x" }],
      }),
    document_required: () => decide(snap(), "GENERATE_FORM", A.author, {}),
    patch_required: () => decide(snap(), "EDIT", A.author, {}),
  };
  for (const code of STATE_MACHINE_ERROR_CODES)
    it(`${code}`, () => {
      const r = SCENARIOS[code]();
      expect(errorCodes(r)).toEqual([code]);
    });
});
