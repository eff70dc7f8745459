// The head's «Отправить» as the transition table plans it (app/head.ts sendPlan): T6 then T8, each decided on the
// snapshot the previous one leaves; the consent is «Руководитель»'s; an attorney signs the application only with D3
// and after the consent. Pure.
import { describe, expect, it } from "vitest";
import { sendPlan } from "../../app/head.ts";
import { A, snap } from "../domain/fixtures.ts";

const pending = (over = {}) => snap({ status: "HEAD_APPROVAL", saved: true, formState: "current", ...over });

describe("the head's «Отправить» (T6 + T8)", () => {
  it("is T6 then T8 for the head when the consent is not signed yet, T8 alone once it is", () => {
    expect(sendPlan(pending(), A.head)).toEqual({ ok: true, steps: ["HEAD_SIGN_CONSENT", "HEAD_SUBMIT"] });
    expect(sendPlan(pending({ consentSigned: true }), A.head)).toEqual({ ok: true, steps: ["HEAD_SUBMIT"] });
  });

  it("tells an attorney that the head signs the consent first, and asks for D3", () => {
    const r = sendPlan(pending({ hasPowerOfAttorney: true }), A.attorney);
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(["consent_not_signed"]);
    const noPoa = sendPlan(pending({ consentSigned: true }), A.attorney);
    expect(noPoa.ok ? [] : noPoa.errors.map((e) => e.code)).toEqual(["power_of_attorney_required"]);
    expect(sendPlan(pending({ consentSigned: true, hasPowerOfAttorney: true }), A.attorney)).toEqual({
      ok: true,
      steps: ["HEAD_SUBMIT"],
    });
  });

  it("refuses a stale form and everybody who does not sign", () => {
    const stale = sendPlan(pending({ formState: "stale" }), A.head);
    expect(stale.ok ? [] : stale.errors.map((e) => e.code)).toContain("form_stale");
    for (const who of [A.author, A.reviewer, A.stranger]) expect(sendPlan(pending(), who).ok).toBe(false);
    expect(sendPlan(snap({ status: "DRAFT" }), A.head).ok).toBe(false);
  });
});
