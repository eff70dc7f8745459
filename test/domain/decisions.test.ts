// The rules issue 10 fixes to the seeds, each by its DECISIONS number, in the pure domain (the same rules end to
// end: test/app/*.test.ts). The table decides; these tests state the rule in the seeds' words.
import { describe, expect, it } from "vitest";
import type { TransitionInput } from "../../domain/contracts.ts";
import { allowedActions, decide } from "../../domain/stateMachine.ts";
import type { Action, Actor } from "../../domain/types.ts";
import { headApproval } from "./cases.ts";
import { A, codes, signed, snap } from "./fixtures.ts";

const errorsOf = (r: ReturnType<typeof decide>) => (r.ok ? [] : r.errors);
const codesOf = (r: ReturnType<typeof decide>) => codes(errorsOf(r));

const FORM = { kind: "APPLICATION_FORM", fileId: "f-form" } as const;
const CONSENT_DOC = { kind: "CONSENT", fileId: "f-consent" } as const;
const SIGN_CONSENT: TransitionInput = { signatures: [signed("CONSENT")], document: CONSENT_DOC };
const SUBMIT: TransitionInput = { confirmed: true, signatures: [signed("APPLICATION")] };

describe("DECISIONS 25: only the creator edits a draft; any supplier-admin views and deletes it once saved", () => {
  const patch: TransitionInput = { patch: { asCoExecutor: true } };

  it("the author edits and saves", () => {
    expect(decide(snap(), "EDIT", A.author, patch).ok).toBe(true);
    expect(decide(snap({ draftComplete: true }), "SAVE", A.author, {}).ok).toBe(true);
  });

  it("a second «Поставщик» + «Администратор организации» gets not_author for an edit and for «Сохранить»", () => {
    expect(errorsOf(decide(snap(), "EDIT", A.admin2, patch))).toEqual([{ code: "not_author" }]);
    expect(errorsOf(decide(snap({ draftComplete: true }), "SAVE", A.admin2, {}))).toEqual([
      { code: "not_author" },
    ]);
  });

  it("a «Поставщик» without «Администратор организации» gets not_author too, and so does the head", () => {
    expect(codesOf(decide(snap(), "EDIT", A.supplierOnly, patch))).toEqual(["not_author"]);
    expect(codesOf(decide(snap(), "EDIT", A.head, patch))).toEqual(["not_author"]);
  });

  it("a saved draft: another supplier-admin deletes it, forms its application form and sends it (savedOrAuthor)", () => {
    expect(decide(snap(), "DELETE", A.admin2, { confirmed: true }).ok).toBe(true);
    expect(decide(snap(), "GENERATE_FORM", A.admin2, { document: FORM }).ok).toBe(true);
    expect(decide(snap({ draftComplete: true }), "SEND_TO_HEAD", A.admin2, {}).ok).toBe(true);
  });

  it("an unsaved draft: another supplier-admin may not delete it or form its document (not_author)", () => {
    const unsaved = snap({ saved: false });
    expect(codesOf(decide(unsaved, "DELETE", A.admin2, { confirmed: true }))).toEqual(["not_author"]);
    expect(codesOf(decide(unsaved, "GENERATE_FORM", A.admin2, { document: FORM }))).toEqual(["not_author"]);
    expect(decide(unsaved, "DELETE", A.author, { confirmed: true }).ok).toBe(true);
  });

  it("a plain «Поставщик» (no admin) may not delete a saved draft of someone else (forbidden_role)", () => {
    expect(codesOf(decide(snap(), "DELETE", A.supplierOnly, { confirmed: true }))).toEqual([
      "forbidden_role",
    ]);
  });
});

describe("DECISIONS 26: what the head signs, and who", () => {
  it("T6: the Consent is signed by «Руководитель» only; an attorney gets forbidden_role", () => {
    expect(decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, SIGN_CONSENT).ok).toBe(true);
    expect(errorsOf(decide(headApproval(), "HEAD_SIGN_CONSENT", A.attorney, SIGN_CONSENT))).toEqual([
      { code: "forbidden_role", params: { action: "HEAD_SIGN_CONSENT" } },
    ]);
    expect(allowedActions(headApproval(), A.attorney)).not.toContain("HEAD_SIGN_CONSENT");
  });

  it("T8: «Руководитель» sends without a power of attorney", () => {
    expect(decide(headApproval({ consentSigned: true }), "HEAD_SUBMIT", A.head, SUBMIT).ok).toBe(true);
  });

  it("T8: «Поверенное лицо руководителя» sends only with D3 attached (power_of_attorney_required otherwise)", () => {
    expect(
      errorsOf(decide(headApproval({ consentSigned: true }), "HEAD_SUBMIT", A.attorney, SUBMIT)),
    ).toEqual([{ code: "power_of_attorney_required", field: "D3" }]);
    const withPoa = headApproval({ consentSigned: true, hasPowerOfAttorney: true });
    expect(decide(withPoa, "HEAD_SUBMIT", A.attorney, SUBMIT).ok).toBe(true);
  });

  it("T8 needs the Consent signed in this head round (consent_not_signed)", () => {
    expect(
      codesOf(decide(headApproval({ hasPowerOfAttorney: true }), "HEAD_SUBMIT", A.attorney, SUBMIT)),
    ).toEqual(["consent_not_signed"]);
    expect(codesOf(decide(headApproval(), "HEAD_SUBMIT", A.head, SUBMIT))).toEqual(["consent_not_signed"]);
  });

  it("T6 and T8 each need their own signature: a signature of the other document does not count", () => {
    expect(
      errorsOf(
        decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, {
          ...SIGN_CONSENT,
          signatures: [signed("APPLICATION")],
        }),
      ),
    ).toEqual([{ code: "signature_required", params: { document: "CONSENT" } }]);
    expect(
      errorsOf(
        decide(headApproval({ consentSigned: true }), "HEAD_SUBMIT", A.head, {
          ...SUBMIT,
          signatures: [signed("CONSENT")],
        }),
      ),
    ).toEqual([{ code: "signature_required", params: { document: "APPLICATION" } }]);
    // both signatures given: each row takes its own (the other one is not its business)
    const both = [signed("CONSENT"), signed("APPLICATION", "b".repeat(64))];
    expect(
      decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, { ...SIGN_CONSENT, signatures: both }).ok,
    ).toBe(true);
    expect(
      decide(headApproval({ consentSigned: true }), "HEAD_SUBMIT", A.head, { ...SUBMIT, signatures: both })
        .ok,
    ).toBe(true);
  });

  it("T6 keeps the Consent PDF it signed (document CONSENT required)", () => {
    expect(
      errorsOf(decide(headApproval(), "HEAD_SIGN_CONSENT", A.head, { signatures: [signed("CONSENT")] })),
    ).toEqual([{ code: "document_required", params: { kind: "CONSENT" } }]);
  });

  it("T5: a form generated before the last edit is refused (form_stale); no form at all is form_not_generated", () => {
    expect(
      codesOf(decide(snap({ formState: "stale", draftComplete: true }), "SEND_TO_HEAD", A.author, {})),
    ).toEqual(["form_stale"]);
    expect(
      codesOf(decide(snap({ formState: "none", draftComplete: true }), "SEND_TO_HEAD", A.author, {})),
    ).toEqual(["form_not_generated"]);
    expect(decide(snap({ formState: "current", draftComplete: true }), "SEND_TO_HEAD", A.author, {}).ok).toBe(
      true,
    );
  });

  it("T8: the head signs only a current form (form_stale / form_not_generated)", () => {
    for (const [formState, code] of [
      ["stale", "form_stale"],
      ["none", "form_not_generated"],
    ] as const)
      expect(
        codesOf(decide(headApproval({ consentSigned: true, formState }), "HEAD_SUBMIT", A.head, SUBMIT)),
      ).toEqual([code]);
  });

  it("T5: refused when the draft does not pass validateForSave, or when nobody checked (draft_incomplete)", () => {
    expect(codesOf(decide(snap({ draftComplete: false }), "SEND_TO_HEAD", A.author, {}))).toEqual([
      "draft_incomplete",
    ]);
    expect(codesOf(decide(snap({ draftComplete: undefined }), "SEND_TO_HEAD", A.author, {}))).toEqual([
      "draft_incomplete",
    ]);
  });
});

describe("DECISIONS 28: an unsaved draft is its author's alone and notifies nobody else", () => {
  const unsaved = snap({ saved: false, formState: "none" });

  it("T3 of an unsaved draft tells the author only (the heads hear nothing of it)", () => {
    const r = decide(unsaved, "DELETE", A.author, { confirmed: true });
    expect(r.ok && r.value.notify).toEqual([{ audience: "AUTHOR", kind: "status_changed" }]);
  });

  it("T3 of a saved draft tells the author and the heads", () => {
    const r = decide(snap(), "DELETE", A.admin2, { confirmed: true });
    expect(r.ok && r.value.notify).toEqual([
      { audience: "AUTHOR", kind: "status_changed" },
      { audience: "HEADS", kind: "status_changed" },
    ]);
  });

  it("every row decided on an unsaved snapshot notifies the author alone", () => {
    const actions: [Action, Actor, TransitionInput][] = [
      ["EDIT", A.author, { patch: { asSupplier: true } }],
      ["SAVE", A.author, {}],
      ["DELETE", A.author, { confirmed: true }],
      ["GENERATE_FORM", A.author, { document: FORM }],
    ];
    for (const [action, actor, input] of actions) {
      const r = decide({ ...unsaved, draftComplete: true }, action, actor, input);
      if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r.errors)}`);
      expect(
        r.value.notify.every((n) => n.audience === "AUTHOR"),
        action,
      ).toBe(true);
    }
  });

  it("T5 is refused while the draft was never saved (draft_not_saved)", () => {
    expect(
      codesOf(
        decide({ ...unsaved, formState: "current", draftComplete: true }, "SEND_TO_HEAD", A.author, {}),
      ),
    ).toEqual(["draft_not_saved"]);
  });

  it("«Сохранить» needs a complete draft (draft_incomplete) and marks the draft saved", () => {
    expect(codesOf(decide({ ...unsaved, draftComplete: false }, "SAVE", A.author, {}))).toEqual([
      "draft_incomplete",
    ]);
    const r = decide({ ...unsaved, draftComplete: true }, "SAVE", A.author, {});
    expect(r.ok && r.value.effects).toEqual({ markSaved: true });
  });
});
