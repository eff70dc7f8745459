// The transition table (domain/transitions.ts) and `decide`: every row allowed for its roles, refused for every
// other role and in every other status. Guards and inputs: stateMachine-guards.test.ts; buttons and whole
// flows: stateMachine-flows.test.ts; the seed rules of DECISIONS 25, 26, 28: decisions.test.ts.
import { describe, expect, it } from "vitest";
import type { TransitionInput } from "../../domain/contracts.ts";
import {
  decide,
  decideCreate,
  rowsFor,
  STATE_MACHINE_ERROR_CODES,
  TRANSITIONS,
  transitionFor,
  transitionTableMarkdown,
} from "../../domain/stateMachine.ts";
import type { Action, Actor, Status } from "../../domain/types.ts";
import { ACTIONS, STATUSES } from "../../domain/types.ts";
import { at, CASES, type Case, caseName, included, inputFor, superuser, underReview } from "./cases.ts";
import { A, ACTOR_NAMES, type ActorName, codes, sentNotice, snap } from "./fixtures.ts";

const errorCodes = (r: { ok: true } | { ok: false; errors: { code: string }[] }) =>
  r.ok ? [] : codes(r.errors);

/** Every input of every row at once (a wrong status is reported before any input). */
const ALL_INPUTS: TransitionInput = Object.assign({}, ...TRANSITIONS.map((r) => inputFor(r)).reverse(), {
  signatures: TRANSITIONS.flatMap((r) => inputFor(r).signatures ?? []),
});

describe("transition table", () => {
  it("covers T1–T20 and X1–X7, and «Сохранить» (T1/T2) as its own row", () => {
    const ids = new Set(TRANSITIONS.map((r) => r.id));
    for (let i = 1; i <= 20; i++) expect(ids, `T${i}`).toContain(`T${i}`);
    for (let i = 1; i <= 7; i++) expect(ids, `X${i}`).toContain(`X${i}`);
    expect(rowsFor("SAVE").map((r) => r.id)).toEqual(["T1/T2"]);
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

  it("SPEC §5.12: every final decision sends the questionnaire to the author and the heads", () => {
    for (const r of TRANSITIONS.filter((x) => x.final)) {
      expect(r.notify, r.id).toContainEqual({ audience: "AUTHOR", kind: "questionnaire" });
      expect(r.notify, r.id).toContainEqual({ audience: "HEADS", kind: "questionnaire" });
    }
    expect(TRANSITIONS.filter((x) => x.final).map((r) => r.id)).toEqual(["T17", "T18", "X7"]);
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

  it("I-REASONS: negative decisions need a reason; the checkers' and approvers' decisions close the stage", () => {
    for (const r of TRANSITIONS.filter((x) =>
      ["HEAD_REJECT", "CHECKER_REFUSE", "APPROVER_REFUSE"].includes(x.action),
    ))
      expect(r.inputs, r.id).toContain("reasonText");
    for (const r of TRANSITIONS.filter((x) => x.roles.includes("CHECKER") || x.roles.includes("APPROVER")))
      expect(r.effects.closeStage, r.id).toBe(true);
  });

  it("every row that signs asks for the signature, and every row that must attach asks for the document", () => {
    for (const r of TRANSITIONS) {
      expect(r.inputs.includes("signature"), r.id).toBe((r.effects.sign ?? []).length > 0);
      if (r.inputs.includes("document")) expect(r.effects.attach, r.id).toBeDefined();
    }
  });

  it("error codes are listed once", () => {
    expect(new Set(STATE_MACHINE_ERROR_CODES).size).toBe(STATE_MACHINE_ERROR_CODES.length);
  });

  it("renders as a Markdown table with one line per row", () => {
    const md = transitionTableMarkdown();
    expect(md.split("\n")).toHaveLength(TRANSITIONS.length + 2);
    expect(md).toContain("| X7 | CONFIRMED_APPROVAL | EXCLUSION | APPROVE_EXCLUSION |");
    expect(md).toContain("sign: EXCLUSION_NOTICE");
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
      const row = transitionFor(c.app, c.action);
      const authorOnly = row?.roles.length === 1 && row.roles[0] === "AUTHOR";
      for (const name of others) {
        const expected = authorOnly && A[name].userId !== c.app.authorId ? "not_author" : "forbidden_role";
        expect(errorCodes(decide(c.app, c.action, A[name], c.input)), name).toEqual([expected]);
      }
    });
  }

  it("forbidden_role names the action", () => {
    const r = decide(underReview(), "FORM_INCLUSION_NOTICE", A.author, {});
    expect(r.ok ? null : r.errors).toEqual([
      { code: "forbidden_role", params: { action: "FORM_INCLUSION_NOTICE" } },
    ]);
  });

  it("T2: the author who lost every role in the organisation may not edit (forbidden_role)", () => {
    const exAuthor: Actor = { userId: A.author.userId, orgRoles: [], staffRoles: [] };
    expect(errorCodes(decide(snap(), "EDIT", exAuthor, { patch: {} }))).toEqual(["forbidden_role"]);
    expect(errorCodes(decide(snap({ draftComplete: true }), "SAVE", exAuthor, {}))).toEqual([
      "forbidden_role",
    ]);
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
          const app = snap({
            status,
            decisionKind: kind,
            activeNotice: kind ? sentNotice(kind) : null,
            draftComplete: true,
          });
          expect(errorCodes(decide(app, action, superuser, ALL_INPUTS)), `${status}/${kind}`).toEqual([
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
      errorCodes(decide(at("CONFIRMED_APPROVAL", "INCLUSION"), "APPROVE_EXCLUSION", A.approver, ALL_INPUTS)),
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

  it("I-EDIT: no editing, saving, deleting or making changes once sent", () => {
    for (const status of STATUSES.filter((s) => s !== "DRAFT")) {
      const app = snap({ status, draftComplete: true });
      expect(errorCodes(decide(app, "EDIT", A.author, { patch: {} })), status).toEqual(["wrong_status"]);
      expect(errorCodes(decide(app, "SAVE", A.author, {})), status).toEqual(["wrong_status"]);
      expect(errorCodes(decide(app, "DELETE", A.author, { confirmed: true })), status).toEqual([
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

describe("decide: the Decision the store executes", () => {
  const run = (c: Case) => {
    const r = decide(c.app, c.action, A[c.who[0] as ActorName], c.input);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  };
  const byId = (id: string, from?: Status) =>
    CASES.find((c) => c.id === id && (from === undefined || c.app.status === from)) as Case;

  it("T9/T10/X1 create a notice of the right kind and attach the notice document", () => {
    expect(run(byId("T9"))).toMatchObject({
      notice: "create",
      noticeKind: "INCLUSION",
      effects: { attach: "NOTICE" },
    });
    expect(run(byId("T10"))).toMatchObject({
      notice: "create",
      noticeKind: "REJECTION",
      effects: { attach: "NOTICE" },
    });
    expect(run(byId("X1"))).toMatchObject({
      notice: "create",
      noticeKind: "EXCLUSION",
      effects: { attach: "NOTICE" },
    });
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

  it("T17 supersedes the previous version and records the decision date; T18 does not supersede (DECISIONS 11)", () => {
    expect(run(byId("T17")).effects).toEqual({
      supersedePrevious: true,
      stamp: ["decidedAt"],
      closeStage: true,
    });
    expect(run(byId("T18")).effects).toEqual({ stamp: ["decidedAt"], closeStage: true });
  });

  it("the rows declare what they write: stamps, signatures, documents, the draft's flags", () => {
    expect(run(byId("T2")).effects).toEqual({ patchDraft: true });
    expect(run(byId("T1/T2")).effects).toEqual({ markSaved: true });
    expect(run(byId("T4")).effects).toEqual({ attach: "APPLICATION_FORM", formCurrent: true });
    expect(run(byId("T5")).effects).toEqual({ clearHeadReason: true });
    expect(run(byId("T6")).effects).toEqual({ sign: ["CONSENT"], attach: "CONSENT" });
    expect(run(byId("T7")).effects).toEqual({ keepHeadReason: true, closeStage: true });
    expect(run(byId("T8")).effects).toEqual({
      sign: ["APPLICATION"],
      stamp: ["submittedAt"],
      closeStage: true,
    });
    expect(run(byId("X7")).effects).toEqual({
      sign: ["EXCLUSION_NOTICE"],
      stamp: ["decidedAt", "excludedAt"],
      closeStage: true,
    });
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

  it("only T17, T18 and X7 are final", () => {
    for (const c of CASES) expect(run(c).final, caseName(c)).toBe(["T17", "T18", "X7"].includes(c.id));
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
    d.effects.closeStage = undefined;
    expect(run(byId("T8")).notify).toHaveLength(3);
    expect(run(byId("T8")).effects.closeStage).toBe(true);
  });
});

describe("decideCreate (T1)", () => {
  it("G1: SUPPLIER + ORG_ADMIN may create an application", () => {
    const r = decideCreate(A.author);
    expect(r.ok ? r.value : r.errors).toMatchObject({
      action: "CREATE",
      transitionId: "T1",
      to: "DRAFT",
      notify: [],
    });
  });

  it("G1: refused for everyone else (forbidden_role)", () => {
    for (const name of [
      "supplierOnly",
      "orgAdminOnly",
      "head",
      "attorney",
      "reviewer",
      "manager",
      "stranger",
    ] as const)
      expect(errorCodes(decideCreate(A[name])), name).toEqual(["forbidden_role"]);
  });
});
