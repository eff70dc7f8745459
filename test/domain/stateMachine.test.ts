import { describe, expect, it } from "vitest";
import type { AppSnapshot, Decision, TransitionInput } from "../../domain/contracts.ts";
import {
  allowedActions,
  currentNotice,
  decide,
  decideCreate,
  MAX_REASON_LENGTH,
  rowsFor,
  STATE_MACHINE_ERROR_CODES,
  TRANSITIONS,
  transitionFor,
  transitionTableMarkdown,
} from "../../domain/stateMachine.ts";
import type { Action, Actor, DecisionKind, Status } from "../../domain/types.ts";
import { ACTIONS, STATUSES } from "../../domain/types.ts";
import { A, ACTOR_NAMES, type ActorName, codes, notice, SIGNATURE, sentNotice, snap } from "./fixtures.ts";

/** Every role at once (to test status errors independently of roles). */
const superuser: Actor = {
  userId: "u-super",
  orgRoles: ["SUPPLIER", "ORG_ADMIN", "HEAD", "HEAD_ATTORNEY"],
  staffRoles: ["REVIEWER", "CHECKER", "APPROVER", "MANAGER"],
};

/** Every error code seen in this file (checked against STATE_MACHINE_ERROR_CODES at the end). */
const seenCodes = new Set<string>();
const errorCodes = (r: { ok: true } | { ok: false; errors: { code: string }[] }) => {
  const list = r.ok ? [] : codes(r.errors);
  for (const c of list) seenCodes.add(c);
  return list;
};

interface Case {
  id: string;
  action: Action;
  app: AppSnapshot;
  /** Actors who may do it (written from SPEC §1.7 / §4, independently of the table). */
  who: ActorName[];
  input: TransitionInput;
  to: Status | "DELETED";
  kind: DecisionKind | null;
}

const supplierAdmins: ActorName[] = ["author", "admin2"];
const heads: ActorName[] = ["head", "attorney"];
const reviewers: ActorName[] = ["reviewer", "reviewer2"];
const checkers: ActorName[] = ["checker", "checker2"];
const approvers: ActorName[] = ["approver", "approver2"];

const underReview = (n: AppSnapshot["activeNotice"] = null) =>
  snap({ status: "UNDER_REVIEW", activeNotice: n });
const included = (n: AppSnapshot["activeNotice"] = null) =>
  snap({ status: "INCLUDED", decisionKind: "INCLUSION", activeNotice: n });
const at = (status: Status, kind: DecisionKind) =>
  snap({ status, decisionKind: kind, activeNotice: sentNotice(kind) });

// SPEC §4.2 and §4.3 with DECISIONS 9–16, one case per (row, from-status).
const CASES: Case[] = [
  { id: "T2", action: "EDIT", app: snap(), who: ["author"], input: {}, to: "DRAFT", kind: null },
  {
    id: "T3",
    action: "DELETE",
    app: snap(),
    who: ["author", "admin2", "supplierOnly"],
    input: { confirmed: true },
    to: "DELETED",
    kind: null,
  },
  { id: "T4", action: "GENERATE_FORM", app: snap(), who: supplierAdmins, input: {}, to: "DRAFT", kind: null },
  {
    id: "T5",
    action: "SEND_TO_HEAD",
    app: snap({ formGenerated: true, draftComplete: true }),
    who: supplierAdmins,
    input: {},
    to: "HEAD_APPROVAL",
    kind: null,
  },
  {
    id: "T6",
    action: "HEAD_SIGN_CONSENT",
    app: snap({ status: "HEAD_APPROVAL" }),
    who: heads,
    input: { signature: SIGNATURE },
    to: "HEAD_APPROVAL",
    kind: null,
  },
  {
    id: "T7",
    action: "HEAD_REJECT",
    app: snap({ status: "HEAD_APPROVAL", consentSigned: true }),
    who: heads,
    input: { reasonText: "Исправьте адрес" },
    to: "DRAFT",
    kind: null,
  },
  {
    id: "T8",
    action: "HEAD_SUBMIT",
    app: snap({ status: "HEAD_APPROVAL", consentSigned: true }),
    who: heads,
    input: { confirmed: true, signature: SIGNATURE },
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
    input: { confirmed: true, signature: SIGNATURE },
    to: "EXCLUDED",
    kind: "EXCLUSION",
  },
];

const caseName = (c: Case) =>
  `${c.id} ${c.action} from ${c.app.status}${c.app.decisionKind ? `/${c.app.decisionKind}` : ""}`;

describe("transition table", () => {
  it("covers T1–T20 and X1–X7", () => {
    const ids = new Set(TRANSITIONS.map((r) => r.id));
    for (let i = 1; i <= 20; i++) expect(ids, `T${i}`).toContain(`T${i}`);
    for (let i = 1; i <= 7; i++) expect(ids, `X${i}`).toContain(`X${i}`);
  });

  it("has a row for every action", () => {
    for (const a of ACTIONS) expect(rowsFor(a).length, a).toBeGreaterThan(0);
  });

  it("has at most one row per action, from-status, decision kind and notice kind", () => {
    const keys = TRANSITIONS.map((r) => `${r.action}|${r.from}|${r.decisionKind}|${r.noticeKind ?? ""}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("every test case matches a row, and every row (except T1) has a test case", () => {
    const rows = TRANSITIONS.filter((r) => r.action !== "CREATE");
    expect(CASES.length).toBe(rows.length);
    for (const c of CASES) expect(transitionFor(c.app, c.action)?.id, caseName(c)).toBe(c.id);
  });

  it("MANAGER is in no row: the role alone grants nothing", () => {
    for (const r of TRANSITIONS) expect(r.roles as readonly string[]).not.toContain("MANAGER");
  });

  it("DECISIONS 13: every status change notifies the author and the heads (status_changed)", () => {
    for (const r of TRANSITIONS.filter((x) => x.from !== null && x.to !== x.from)) {
      expect(r.notify, r.id).toContainEqual({ audience: "AUTHOR", kind: "status_changed" });
      expect(r.notify, r.id).toContainEqual({ audience: "HEADS", kind: "status_changed" });
    }
  });

  it("rows that do not change the status notify nobody", () => {
    for (const r of TRANSITIONS.filter((x) => x.to === x.from)) expect(r.notify, r.id).toEqual([]);
  });

  it("reaching «На рассмотрении» notifies the branch reviewers (new or returned)", () => {
    for (const r of TRANSITIONS.filter((x) => x.to === "UNDER_REVIEW" && x.from !== "UNDER_REVIEW")) {
      const kind = r.from === "HEAD_APPROVAL" ? "new_for_review" : "returned_for_review";
      expect(r.notify, r.id).toContainEqual({ audience: "BRANCH_REVIEWERS", kind });
    }
  });

  it("sending to check notifies the chosen checkers; confirming notifies the branch approvers", () => {
    for (const r of TRANSITIONS.filter((x) => x.to === "AGREED_CHECK" || x.to === "REJECTED_CHECK"))
      expect(r.notify, r.id).toContainEqual({ audience: "CHOSEN_CHECKERS", kind: "check_requested" });
    for (const r of TRANSITIONS.filter((x) => x.to === "CONFIRMED_APPROVAL" || x.to === "REJECTED_APPROVAL"))
      expect(r.notify, r.id).toContainEqual({ audience: "BRANCH_APPROVERS", kind: "approval_requested" });
  });

  it("T5 asks the heads for approval (head_approval_requested)", () => {
    expect(rowsFor("SEND_TO_HEAD")[0]?.notify).toContainEqual({
      audience: "HEADS",
      kind: "head_approval_requested",
    });
  });

  it("DECISIONS 12: every return to review discards the notice; exclusion refusals discard it too", () => {
    for (const r of TRANSITIONS.filter(
      (x) => x.action === "CHECKER_REFUSE" || x.action === "APPROVER_REFUSE",
    ))
      expect(r.notice, r.id).toBe("discard");
  });

  it("DECISIONS 10: exclusion starts only from «Включен в БД» and its refusals return there", () => {
    for (const r of TRANSITIONS.filter(
      (x) => x.createsNotice === "EXCLUSION" || x.action === "SEND_EXCLUSION_TO_CHECK",
    ))
      expect(r.from, r.id).toBe("INCLUDED");
    for (const id of ["X4", "X6"]) expect(TRANSITIONS.find((r) => r.id === id)?.to).toBe("INCLUDED");
  });

  it("negative staff decisions need a reason; final staff decisions close the stage", () => {
    for (const r of TRANSITIONS.filter((x) =>
      ["HEAD_REJECT", "CHECKER_REFUSE", "APPROVER_REFUSE"].includes(x.action),
    ))
      expect(r.inputs, r.id).toContain("reasonText");
    for (const r of TRANSITIONS.filter((x) => x.roles.includes("CHECKER") || x.roles.includes("APPROVER")))
      expect(r.effects.closeStage, r.id).toBe(true);
  });

  it("error codes are listed once", () => {
    expect(new Set(STATE_MACHINE_ERROR_CODES).size).toBe(STATE_MACHINE_ERROR_CODES.length);
  });

  it("renders as a Markdown table with one line per row", () => {
    const md = transitionTableMarkdown();
    expect(md.split("\n")).toHaveLength(TRANSITIONS.length + 2);
    expect(md).toContain("| X7 | CONFIRMED_APPROVAL | EXCLUSION | APPROVE_EXCLUSION |");
  });
});

describe("decide: every transition is allowed for its roles", () => {
  for (const c of CASES) {
    for (const name of c.who) {
      it(`${caseName(c)} → ${c.to} is allowed for ${name}`, () => {
        const r = decide(c.app, c.action, A[name], c.input);
        expect(r.ok ? r.value : r.errors).toMatchObject({
          action: c.action,
          transitionId: c.id,
          from: c.app.status,
          to: c.to,
          decisionKind: c.kind,
        });
      });
    }
  }
});

describe("decide: refused for every other role", () => {
  for (const c of CASES) {
    const others = ACTOR_NAMES.filter((n) => !c.who.includes(n));
    it(`${caseName(c)} is refused for ${others.join(", ")}`, () => {
      for (const name of others) {
        const expected = c.id === "T2" && A[name].userId !== c.app.authorId ? "not_author" : "forbidden_role";
        expect(errorCodes(decide(c.app, c.action, A[name], c.input)), name).toEqual([expected]);
      }
    });
  }

  it("T2: the author who lost every role in the organisation may not edit (forbidden_role)", () => {
    const exAuthor: Actor = { userId: A.author.userId, orgRoles: [], staffRoles: [] };
    expect(errorCodes(decide(snap(), "EDIT", exAuthor, {}))).toEqual(["forbidden_role"]);
  });

  it("G1: SUPPLIER without ORG_ADMIN (or ORG_ADMIN without SUPPLIER) cannot make changes (T20)", () => {
    expect(errorCodes(decide(included(), "MAKE_CHANGES", A.supplierOnly, {}))).toEqual(["forbidden_role"]);
    expect(errorCodes(decide(included(), "MAKE_CHANGES", A.orgAdminOnly, {}))).toEqual(["forbidden_role"]);
  });

  it("a MANAGER holding several roles acts through those roles", () => {
    const mgrReviewer: Actor = { userId: "u-mgr2", orgRoles: [], staffRoles: ["MANAGER", "REVIEWER"] };
    expect(decide(underReview(), "FORM_INCLUSION_NOTICE", mgrReviewer, {}).ok).toBe(true);
  });
});

describe("decide: refused in a wrong status", () => {
  const fromByAction = new Map<Action, Set<Status>>();
  for (const r of TRANSITIONS) {
    if (r.from === null) continue;
    const set = fromByAction.get(r.action) ?? new Set<Status>();
    set.add(r.from);
    fromByAction.set(r.action, set);
  }
  for (const action of ACTIONS.filter((a) => a !== "CREATE")) {
    const wrong = STATUSES.filter((s) => !fromByAction.get(action)?.has(s));
    it(`${action} is refused (wrong_status) in ${wrong.join(", ")}`, () => {
      for (const status of wrong) {
        for (const kind of [null, "INCLUSION", "REJECTION", "EXCLUSION"] as const) {
          const app = snap({ status, decisionKind: kind, activeNotice: kind ? sentNotice(kind) : null });
          expect(errorCodes(decide(app, action, superuser, { ...c0Input })), `${status}/${kind}`).toEqual([
            "wrong_status",
          ]);
        }
      }
    });
  }

  it("CREATE through decide is wrong_status (there is no application yet: use decideCreate)", () => {
    expect(errorCodes(decide(snap(), "CREATE", A.author, {}))).toEqual(["wrong_status"]);
  });

  it("I-DECISION-KIND: the shared labels need the matching decision kind", () => {
    // «Отклонена. На проверке» without a stored kind
    expect(errorCodes(decide(at("REJECTED_CHECK", "REJECTION"), "CHECKER_CONFIRM", A.checker, {}))).toEqual(
      [],
    );
    const noKind = snap({
      status: "REJECTED_CHECK",
      decisionKind: null,
      activeNotice: sentNotice("REJECTION"),
    });
    expect(errorCodes(decide(noKind, "CHECKER_CONFIRM", A.checker, {}))).toEqual(["wrong_status"]);
    // «Подтверждена. На согласовании» of an exclusion cannot be approved as an inclusion, and vice versa
    expect(
      errorCodes(decide(at("CONFIRMED_APPROVAL", "EXCLUSION"), "APPROVER_APPROVE", A.approver, {})),
    ).toEqual(["wrong_status"]);
    expect(
      errorCodes(decide(at("CONFIRMED_APPROVAL", "INCLUSION"), "APPROVE_EXCLUSION", A.approver, c0Input)),
    ).toEqual(["wrong_status"]);
    // AGREED_CHECK only carries an inclusion
    expect(errorCodes(decide(at("AGREED_CHECK", "REJECTION"), "CHECKER_CONFIRM", A.checker, {}))).toEqual([
      "wrong_status",
    ]);
  });

  it("DECISIONS 10: exclusion only from «Включен в БД» (not from «Отклонена», «Изменена», «Исключен из БД»)", () => {
    for (const status of ["REJECTED", "CHANGED", "EXCLUDED", "UNDER_REVIEW", "DRAFT"] as const)
      expect(
        errorCodes(decide(snap({ status }), "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] })),
      ).toEqual(["wrong_status"]);
  });

  it("I-EDIT: no editing, deleting or making changes once sent", () => {
    for (const status of STATUSES.filter((s) => s !== "DRAFT")) {
      expect(errorCodes(decide(snap({ status }), "EDIT", A.author, {})), status).toEqual(["wrong_status"]);
      expect(errorCodes(decide(snap({ status }), "DELETE", A.author, { confirmed: true })), status).toEqual([
        "wrong_status",
      ]);
    }
    for (const status of STATUSES.filter((s) => s !== "INCLUDED" && s !== "REJECTED"))
      expect(errorCodes(decide(snap({ status }), "MAKE_CHANGES", A.author, {})), status).toEqual([
        "wrong_status",
      ]);
  });

  it("wrong_status carries the action, status and decision kind", () => {
    const r = decide(snap({ status: "INCLUDED", decisionKind: "INCLUSION" }), "EDIT", A.author, {});
    expect(r.ok ? null : r.errors[0]).toEqual({
      code: "wrong_status",
      params: { action: "EDIT", status: "INCLUDED", decisionKind: "INCLUSION" },
    });
  });
});

const c0Input: TransitionInput = {
  reasons: ["R"],
  reasonText: "x",
  checkerIds: [A.checker.userId],
  confirmed: true,
  signature: SIGNATURE,
};

describe("decide: required inputs", () => {
  const missing: [string, Partial<Record<keyof TransitionInput, unknown>>, string][] = [
    ["reasonText", { reasonText: undefined }, "reason_required"],
    ["reasonText (blank)", { reasonText: "   " }, "reason_required"],
    ["reasons", { reasons: undefined }, "reasons_required"],
    ["reasons (empty list)", { reasons: [] }, "reasons_required"],
    ["reasons (blank codes)", { reasons: [" "] }, "reasons_required"],
    ["checkerIds", { checkerIds: undefined }, "checkers_required"],
    ["checkerIds (empty list)", { checkerIds: [] }, "checkers_required"],
    ["confirmed", { confirmed: undefined }, "confirmation_required"],
    ["confirmed (false)", { confirmed: false }, "confirmation_required"],
    ["signature", { signature: undefined }, "signature_required"],
    [
      "signature (no hash)",
      { signature: { sha256: "", method: "telegram-confirmation" } },
      "signature_required",
    ],
  ];
  const field = (label: string) => label.split(" ")[0] as keyof TransitionInput;
  const requirementOf: Record<string, string> = {
    reasonText: "reasonText",
    reasons: "reasons",
    checkerIds: "checkers",
    confirmed: "confirmed",
    signature: "signature",
  };
  for (const c of CASES) {
    const row = transitionFor(c.app, c.action);
    for (const [label, patch, code] of missing) {
      const req = requirementOf[field(label)] ?? "";
      if (!row?.inputs.includes(req as never)) continue;
      it(`${caseName(c)} without ${label} is refused with ${code}`, () => {
        const input = { ...c.input, ...patch } as TransitionInput;
        expect(errorCodes(decide(c.app, c.action, A[c.who[0] as ActorName], input))).toEqual([code]);
      });
    }
  }

  it("T3 delete, T8 send and X7 need the explicit confirmation step", () => {
    const needs = TRANSITIONS.filter((r) => r.inputs.includes("confirmed")).map((r) => r.id);
    expect(needs.sort()).toEqual(["T3", "T8", "X7"]);
  });

  it("T6, T8 and X7 need a signature from the Signer port", () => {
    expect(
      TRANSITIONS.filter((r) => r.inputs.includes("signature"))
        .map((r) => r.id)
        .sort(),
    ).toEqual(["T6", "T8", "X7"]);
  });

  it("a signature hash that is not a SHA-256 is refused (signature_invalid)", () => {
    const app = snap({ status: "HEAD_APPROVAL", consentSigned: true });
    const r = decide(app, "HEAD_SUBMIT", A.head, {
      confirmed: true,
      signature: { sha256: "abc", method: "x" },
    });
    expect(errorCodes(r)).toEqual(["signature_invalid"]);
  });

  it(`a reason longer than ${MAX_REASON_LENGTH} characters is refused (reason_too_long)`, () => {
    const r = decide(snap({ status: "HEAD_APPROVAL" }), "HEAD_REJECT", A.head, {
      reasonText: "я".repeat(MAX_REASON_LENGTH + 1),
    });
    expect(errorCodes(r)).toEqual(["reason_too_long"]);
    const okLen = decide(snap({ status: "HEAD_APPROVAL" }), "HEAD_REJECT", A.head, {
      reasonText: "я".repeat(MAX_REASON_LENGTH),
    });
    expect(okLen.ok).toBe(true);
  });

  it("reports every missing input at once (X7 without confirmation and signature)", () => {
    const r = decide(at("CONFIRMED_APPROVAL", "EXCLUSION"), "APPROVE_EXCLUSION", A.approver, {});
    expect(errorCodes(r)).toEqual(["confirmation_required", "signature_required"]);
  });

  it("optional inputs are optional: T10 without a note, X1 without an additional ground", () => {
    expect(decide(underReview(), "FORM_REJECTION_NOTICE", A.reviewer, { reasons: ["G"] }).ok).toBe(true);
    expect(decide(included(), "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] }).ok).toBe(true);
  });
});

describe("decide: guards on the stored application", () => {
  it("V11 / I-NOT-SELF: the reviewer cannot choose themselves as checker (T12, T13, X3)", () => {
    for (const [app, action] of [
      [underReview(notice("INCLUSION")), "SEND_TO_CHECK"],
      [underReview(notice("REJECTION")), "SEND_TO_CHECK"],
      [included(notice("EXCLUSION")), "SEND_EXCLUSION_TO_CHECK"],
    ] as const) {
      const selfAndOther = decide(app, action, A.reviewer, {
        checkerIds: [A.checker.userId, A.reviewer.userId],
      });
      expect(selfAndOther.ok ? [] : selfAndOther.errors).toEqual([
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
    expect(errorCodes(decide(app, "CHECKER_REFUSE", both, { reasonText: "x" }))).toEqual(["self_as_checker"]);
  });

  it("DECISIONS 9: only a chosen checker may decide (not_chosen_checker)", () => {
    const app = snap({
      status: "AGREED_CHECK",
      decisionKind: "INCLUSION",
      activeNotice: notice("INCLUSION", { checkerIds: [A.checker.userId] }),
    });
    expect(decide(app, "CHECKER_CONFIRM", A.checker, {}).ok).toBe(true);
    expect(errorCodes(decide(app, "CHECKER_CONFIRM", A.checker2, {}))).toEqual(["not_chosen_checker"]);
    expect(errorCodes(decide(app, "CHECKER_REFUSE", A.checker2, { reasonText: "x" }))).toEqual([
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
      expect(errorCodes(decide(app, approve, both, c0Input)), kind).toEqual(["self_as_approver"]);
      expect(errorCodes(decide(app, "APPROVER_REFUSE", both, c0Input)), kind).toEqual(["self_as_approver"]);
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

  it("T8 / V12: the head cannot send before signing the Consent (consent_not_signed)", () => {
    const r = decide(snap({ status: "HEAD_APPROVAL" }), "HEAD_SUBMIT", A.head, c0Input);
    expect(r.ok ? [] : r.errors).toEqual([{ code: "consent_not_signed", field: "D4" }]);
  });

  it("T6: the Consent is signed once per head round (consent_already_signed)", () => {
    const r = decide(
      snap({ status: "HEAD_APPROVAL", consentSigned: true }),
      "HEAD_SIGN_CONSENT",
      A.head,
      c0Input,
    );
    expect(errorCodes(r)).toEqual(["consent_already_signed"]);
  });

  it("T8 reports the missing Consent together with missing inputs", () => {
    const r = decide(snap({ status: "HEAD_APPROVAL" }), "HEAD_SUBMIT", A.head, {});
    expect(errorCodes(r)).toEqual(["consent_not_signed", "confirmation_required", "signature_required"]);
  });

  it("T5: refused when the form was not generated or the draft is incomplete (when the store says so)", () => {
    expect(errorCodes(decide(snap({ formGenerated: false }), "SEND_TO_HEAD", A.author, {}))).toEqual([
      "form_not_generated",
    ]);
    expect(errorCodes(decide(snap({ draftComplete: false }), "SEND_TO_HEAD", A.author, {}))).toEqual([
      "draft_incomplete",
    ]);
    expect(decide(snap(), "SEND_TO_HEAD", A.author, {}).ok).toBe(true);
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
    expect(errorCodes(decide(underReview(), "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
    expect(errorCodes(decide(included(), "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
    expect(errorCodes(decide(underReview(), "SEND_TO_CHECK", A.reviewer, c0Input))).toEqual([
      "notice_required",
    ]);
    expect(errorCodes(decide(included(), "SEND_EXCLUSION_TO_CHECK", A.reviewer, c0Input))).toEqual([
      "notice_required",
    ]);
  });

  it("on «Включен в БД» the old inclusion notice is not a current notice (X1 allowed, X2 refused)", () => {
    const app = included(notice("INCLUSION"));
    expect(currentNotice(app)).toBeNull();
    expect(decide(app, "FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E"] }).ok).toBe(true);
    expect(errorCodes(decide(app, "DELETE_NOTICE", A.reviewer, {}))).toEqual(["notice_required"]);
  });

  it("T20: only on the newest version of the chain (not_latest_version)", () => {
    const r = decide(
      snap({ status: "REJECTED", decisionKind: "REJECTION", isLatestVersion: false }),
      "MAKE_CHANGES",
      A.author,
      {},
    );
    expect(errorCodes(r)).toEqual(["not_latest_version"]);
  });

  it("T20 / DECISIONS 11: only when no other version of the chain is open (chain_has_open_version)", () => {
    const r = decide(
      snap({ status: "INCLUDED", decisionKind: "INCLUSION", chainHasOpenVersion: true }),
      "MAKE_CHANGES",
      A.author,
      {},
    );
    expect(errorCodes(r)).toEqual(["chain_has_open_version"]);
  });

  it("T20: not while an exclusion is being prepared (exclusion_in_progress)", () => {
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
});

describe("decide: the Decision the store executes", () => {
  const run = (c: Case) => {
    const r = decide(c.app, c.action, A[c.who[0] as ActorName], c.input);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  };
  const byId = (id: string, from?: Status) =>
    CASES.find((c) => c.id === id && (from === undefined || c.app.status === from)) as Case;

  it("T9/T10/X1 create a notice of the right kind", () => {
    expect(run(byId("T9"))).toMatchObject({ notice: "create", noticeKind: "INCLUSION" });
    expect(run(byId("T10"))).toMatchObject({ notice: "create", noticeKind: "REJECTION" });
    expect(run(byId("X1"))).toMatchObject({ notice: "create", noticeKind: "EXCLUSION" });
  });

  it("T11/X2 delete the notice; T12/T13/X3 send it", () => {
    expect(run(byId("T11")).notice).toBe("delete");
    expect(run(byId("X2")).notice).toBe("delete");
    for (const id of ["T12", "T13", "X3"]) expect(run(byId(id)).notice, id).toBe("send");
  });

  it("T16/T19/X4/X6: on return the notice is discarded (DECISIONS 12)", () => {
    for (const c of CASES.filter((x) => x.action === "CHECKER_REFUSE" || x.action === "APPROVER_REFUSE"))
      expect(run(c).notice, caseName(c)).toBe("discard");
  });

  it("T17 supersedes the previous version; T18 does not (DECISIONS 11: the included version stays)", () => {
    expect(run(byId("T17")).effects).toEqual({ supersedePrevious: true, closeStage: true });
    expect(run(byId("T18")).effects.supersedePrevious).toBeUndefined();
  });

  it("X7 records the exclusion date; T6 records the Consent; T20 creates a new version and keeps this one", () => {
    expect(run(byId("X7")).effects.recordExclusion).toBe(true);
    expect(run(byId("T6")).effects.signConsent).toBe(true);
    const t20 = run(byId("T20", "INCLUDED"));
    expect(t20).toMatchObject({ from: "INCLUDED", to: "INCLUDED", effects: { newVersion: true } });
  });

  it("T3 deletes the draft", () => {
    expect(run(byId("T3")).to).toBe("DELETED");
  });

  it("same-status actions keep the stored decision kind", () => {
    expect(run(byId("X1")).decisionKind).toBe("INCLUSION");
    expect(run(byId("T9")).decisionKind).toBeNull();
  });

  it("notifications: T8 new_for_review, T16 returned_for_review, T12 check_requested, T14 approval_requested", () => {
    expect(run(byId("T8")).notify).toEqual([
      { audience: "AUTHOR", kind: "status_changed" },
      { audience: "HEADS", kind: "status_changed" },
      { audience: "BRANCH_REVIEWERS", kind: "new_for_review" },
    ]);
    expect(run(byId("T16", "AGREED_CHECK")).notify).toContainEqual({
      audience: "BRANCH_REVIEWERS",
      kind: "returned_for_review",
    });
    expect(run(byId("T12")).notify).toContainEqual({ audience: "CHOSEN_CHECKERS", kind: "check_requested" });
    expect(run(byId("T14")).notify).toContainEqual({
      audience: "BRANCH_APPROVERS",
      kind: "approval_requested",
    });
    expect(run(byId("X4")).notify).toContainEqual({ audience: "NOTICE_AUTHOR", kind: "exclusion_cancelled" });
  });

  it("a decision does not share mutable state with the table", () => {
    const d = run(byId("T8"));
    d.notify.push({ audience: "BRANCH_MANAGERS", kind: "x" });
    d.effects.closeStage = false;
    expect(run(byId("T8")).notify).toHaveLength(3);
    expect(run(byId("T8")).effects.closeStage).toBe(true);
  });
});

describe("decideCreate (T1)", () => {
  it("G1: SUPPLIER + ORG_ADMIN may create an application", () => {
    const r = decideCreate(A.author);
    expect(r.ok ? r.value : r.errors).toMatchObject({ action: "CREATE", transitionId: "T1", to: "DRAFT" });
  });

  it("G1: refused for everyone else (forbidden_role)", () => {
    for (const name of ["supplierOnly", "orgAdminOnly", "head", "reviewer", "manager", "stranger"] as const)
      expect(errorCodes(decideCreate(A[name])), name).toEqual(["forbidden_role"]);
  });
});

describe("allowedActions (which buttons to show)", () => {
  const names = (app: AppSnapshot, actor: Actor) => allowedActions(app, actor);

  it("draft: the author sees edit, delete, generate and send; a plain supplier only delete", () => {
    expect(names(snap(), A.author)).toEqual(["EDIT", "DELETE", "GENERATE_FORM", "SEND_TO_HEAD"]);
    expect(names(snap(), A.admin2)).toEqual(["DELETE", "GENERATE_FORM", "SEND_TO_HEAD"]);
    expect(names(snap(), A.supplierOnly)).toEqual(["DELETE"]);
    expect(names(snap(), A.head)).toEqual([]);
  });

  it("head approval: sign the Consent first, then send or reject", () => {
    expect(names(snap({ status: "HEAD_APPROVAL" }), A.head)).toEqual(["HEAD_SIGN_CONSENT", "HEAD_REJECT"]);
    expect(names(snap({ status: "HEAD_APPROVAL", consentSigned: true }), A.attorney)).toEqual([
      "HEAD_REJECT",
      "HEAD_SUBMIT",
    ]);
    expect(names(snap({ status: "HEAD_APPROVAL" }), A.author)).toEqual([]);
  });

  it("under review: form a notice; with a notice: delete it or send it to check", () => {
    expect(names(underReview(), A.reviewer)).toEqual(["FORM_INCLUSION_NOTICE", "FORM_REJECTION_NOTICE"]);
    expect(names(underReview(notice("REJECTION")), A.reviewer)).toEqual(["DELETE_NOTICE", "SEND_TO_CHECK"]);
    expect(names(underReview(), A.checker)).toEqual([]);
  });

  it("under check: only the chosen checkers who did not form the notice", () => {
    const app = at("AGREED_CHECK", "INCLUSION");
    expect(names(app, A.checker)).toEqual(["CHECKER_CONFIRM", "CHECKER_REFUSE"]);
    const other = { ...A.checker, userId: "u-chk3" };
    expect(names(app, other)).toEqual([]);
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

  it("every allowed action is accepted by decide with complete inputs", () => {
    for (const c of CASES)
      for (const name of ACTOR_NAMES)
        for (const action of allowedActions(c.app, A[name])) {
          const input = { ...c0Input, checkerIds: [A.checker2.userId] };
          expect(decide(c.app, action, A[name], input).ok, `${caseName(c)} ${name} ${action}`).toBe(true);
        }
  });
});

// ───────────── whole flows through an in-memory store ─────────────

function applyDecision(app: AppSnapshot, d: Decision, actor: Actor, input: TransitionInput): AppSnapshot {
  if (d.to === "DELETED") throw new Error("deleted");
  let activeNotice = app.activeNotice;
  if (d.notice === "create" && d.noticeKind)
    activeNotice = {
      kind: d.noticeKind,
      reasons: input.reasons ?? [],
      createdById: actor.userId,
      checkerIds: [],
    };
  if (d.notice === "delete" || d.notice === "discard") activeNotice = null;
  if (d.notice === "send" && activeNotice)
    activeNotice = { ...activeNotice, checkerIds: input.checkerIds ?? [] };
  if (activeNotice && (d.action === "CHECKER_CONFIRM" || d.transitionId === "X5"))
    activeNotice = { ...activeNotice, checkedById: actor.userId };
  return {
    ...app,
    status: d.to,
    decisionKind: d.decisionKind,
    version: app.version + 1,
    activeNotice,
    consentSigned: d.effects.signConsent
      ? true
      : d.to === "HEAD_APPROVAL" && d.from === "DRAFT"
        ? false
        : app.consentSigned,
  };
}

function flow(start: AppSnapshot, steps: [Action, Actor, TransitionInput?][]): AppSnapshot {
  let app = start;
  for (const [action, actor, input = {}] of steps) {
    const r = decide(app, action, actor, input);
    if (!r.ok) throw new Error(`${action} by ${actor.userId} in ${app.status}: ${JSON.stringify(r.errors)}`);
    app = applyDecision(app, r.value, actor, input);
  }
  return app;
}

const toReview: [Action, Actor, TransitionInput?][] = [
  ["GENERATE_FORM", A.author],
  ["SEND_TO_HEAD", A.author],
  ["HEAD_SIGN_CONSENT", A.head, { signature: SIGNATURE }],
  ["HEAD_SUBMIT", A.head, { confirmed: true, signature: SIGNATURE }],
];

describe("flows", () => {
  it("inclusion: draft → head → review → check → approval → «Включен в БД»", () => {
    const app = flow(snap(), [
      ...toReview,
      ["FORM_INCLUSION_NOTICE", A.reviewer],
      ["SEND_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId, A.checker2.userId] }],
      ["CHECKER_CONFIRM", A.checker2],
      ["APPROVER_APPROVE", A.approver],
    ]);
    expect(app).toMatchObject({ status: "INCLUDED", decisionKind: "INCLUSION", version: 9 });
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
      ["HEAD_SIGN_CONSENT", A.head, { signature: SIGNATURE }],
      ["HEAD_REJECT", A.head, { reasonText: "ошибка" }],
    ]);
    expect(draft.status).toBe("DRAFT");
    const round2 = flow(draft, [["SEND_TO_HEAD", A.author]]);
    expect(errorCodes(decide(round2, "HEAD_SUBMIT", A.head, c0Input))).toEqual(["consent_not_signed"]);
  });

  it("exclusion: X1 → X3 → X5 → X7 ends in «Исключен из БД»", () => {
    const app = flow(included(), [
      ["FORM_EXCLUSION_NOTICE", A.reviewer, { reasons: ["E1"] }],
      ["SEND_EXCLUSION_TO_CHECK", A.reviewer, { checkerIds: [A.checker.userId] }],
      ["CHECKER_CONFIRM", A.checker],
      ["APPROVE_EXCLUSION", A.approver, { confirmed: true, signature: SIGNATURE }],
    ]);
    expect(app).toMatchObject({ status: "EXCLUDED", decisionKind: "EXCLUSION" });
    expect(allowedActions(app, A.author)).toEqual([]);
  });

  it("exclusion refused by the checker (X4) or the approver (X6) stays «Включен в БД»", () => {
    const sent: [Action, Actor, TransitionInput?][] = [
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
    // and the supplier can make changes again
    expect(allowedActions(x6, A.author)).toEqual(["MAKE_CHANGES"]);
  });

  it("DECISIONS 16: a second decision on the same state is refused after the first (stale button)", () => {
    const app = at("AGREED_CHECK", "INCLUSION");
    const first = decide(app, "CHECKER_CONFIRM", A.checker, {});
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const after = applyDecision(app, first.value, A.checker, {});
    expect(errorCodes(decide(after, "CHECKER_REFUSE", A.checker2, { reasonText: "x" }))).toEqual([
      "wrong_status",
    ]);
  });
});

describe("error codes (runs last)", () => {
  it("every code returned in this file is listed in STATE_MACHINE_ERROR_CODES, and every listed code was returned", () => {
    expect([...seenCodes].sort()).toEqual([...STATE_MACHINE_ERROR_CODES].sort());
  });
});
