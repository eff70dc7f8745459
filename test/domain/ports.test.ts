import { describe, expect, it } from "vitest";
import type { AppSnapshot, Decision, TransitionInput } from "../../domain/contracts.ts";
import * as domain from "../../domain/index.ts";
import {
  ACTIONABLE_KINDS,
  dedupeIntents,
  NOTIFICATION_KINDS,
  NOTIFY,
  STATUS_CHANGED,
} from "../../domain/notifications.ts";
import {
  type ApplicationRepository,
  type ApplyOutcome,
  CONFIRMATION_SIGNATURE_METHOD,
  fixedClock,
  type Signer,
} from "../../domain/ports.ts";
import { decide, TRANSITIONS } from "../../domain/stateMachine.ts";
import type { Actor, Result } from "../../domain/types.ts";
import { fail, ok } from "../../domain/types.ts";
import { A, SIGNATURE, snap } from "./fixtures.ts";

/** An in-memory store that honours the repository port (optimistic version check). */
class MemoryRepository implements ApplicationRepository {
  constructor(private readonly apps = new Map<string, AppSnapshot>()) {}
  async load(id: string) {
    return this.apps.get(id) ?? null;
  }
  async apply(
    id: string,
    expectedVersion: number,
    decision: Decision,
    _actor: Actor,
    _input: TransitionInput,
  ): Promise<Result<ApplyOutcome>> {
    const app = this.apps.get(id);
    if (!app) return fail({ code: "not_found" });
    if (app.version !== expectedVersion) return fail({ code: "version_conflict" });
    if (decision.to === "DELETED") {
      this.apps.delete(id);
      return ok({ version: app.version + 1 });
    }
    this.apps.set(id, {
      ...app,
      status: decision.to,
      decisionKind: decision.decisionKind,
      version: app.version + 1,
    });
    return ok({ version: app.version + 1 });
  }
}

describe("ports", () => {
  it("DECISIONS 16: the repository refuses a second decision on the same version (version_conflict)", async () => {
    const repo = new MemoryRepository(
      new Map([["app-1", snap({ status: "HEAD_APPROVAL", consentSigned: true })]]),
    );
    const app = (await repo.load("app-1")) as AppSnapshot;
    const input = { confirmed: true, signature: SIGNATURE };
    const d1 = decide(app, "HEAD_SUBMIT", A.head, input);
    const d2 = decide(app, "HEAD_REJECT", A.attorney, { reasonText: "нет" });
    if (!d1.ok || !d2.ok) throw new Error("both decisions are valid on the loaded state");
    expect(await repo.apply("app-1", app.version, d1.value, A.head, input)).toEqual({
      ok: true,
      value: { version: 2 },
    });
    const second = await repo.apply("app-1", app.version, d2.value, A.attorney, {});
    expect(second.ok ? null : second.errors[0]?.code).toBe("version_conflict");
    expect((await repo.load("app-1"))?.status).toBe("UNDER_REVIEW");
  });

  it("DECISIONS 14: the default signer is an explicit confirmation, not a qualified EDS", async () => {
    const clock = fixedClock(new Date("2025-06-02T06:00:00Z"));
    const signer: Signer = {
      sign: async (r) => ({
        method: CONFIRMATION_SIGNATURE_METHOD,
        sha256: r.documentSha256,
        signedAt: clock.now(),
      }),
    };
    const s = await signer.sign({
      documentSha256: SIGNATURE.sha256,
      signerUserId: A.head.userId,
      kind: "APPLICATION",
    });
    expect(s).toEqual({
      method: "telegram-confirmation",
      sha256: SIGNATURE.sha256,
      signedAt: new Date("2025-06-02T06:00:00Z"),
    });
    // the result is what T8 / X7 take as input
    const d = decide(snap({ status: "HEAD_APPROVAL", consentSigned: true }), "HEAD_SUBMIT", A.head, {
      confirmed: true,
      signature: { sha256: s.sha256, method: s.method },
    });
    expect(d.ok).toBe(true);
  });

  it("fixedClock returns copies of the same moment", () => {
    const c = fixedClock(new Date(0));
    const a = c.now();
    a.setTime(5);
    expect(c.now().getTime()).toBe(0);
  });
});

describe("notifications", () => {
  it("every kind used by the transition table is a known notification kind", () => {
    for (const r of TRANSITIONS)
      for (const n of r.notify)
        expect(NOTIFICATION_KINDS as readonly string[], `${r.id} ${n.kind}`).toContain(n.kind);
  });

  it("STATUS_CHANGED goes to the author and the heads", () => {
    expect(STATUS_CHANGED).toEqual([
      { audience: "AUTHOR", kind: "status_changed" },
      { audience: "HEADS", kind: "status_changed" },
    ]);
  });

  it("actionable kinds are the ones with buttons", () => {
    expect(ACTIONABLE_KINDS).toContain(NOTIFY.checkRequested.kind);
    expect(ACTIONABLE_KINDS).not.toContain("status_changed");
  });

  it("dedupeIntents keeps the first of repeated (audience, kind) pairs", () => {
    expect(dedupeIntents([...STATUS_CHANGED, ...STATUS_CHANGED, NOTIFY.newForReview])).toEqual([
      ...STATUS_CHANGED,
      NOTIFY.newForReview,
    ]);
  });
});

describe("domain/index.ts", () => {
  it("re-exports the public API of every domain module", () => {
    for (const name of [
      "decide",
      "decideCreate",
      "allowedActions",
      "TRANSITIONS",
      "validateForSave",
      "validateSection",
      "licenceNotices",
      "availableSubtypes",
      "validateFile",
      "validateCoordinates",
      "canRequestFor",
      "isDisplayable",
      "isFresh",
      "isValidIinBin",
      "checkDigit",
      "fixedClock",
      "STATUS_CHANGED",
      "STATUSES",
      "ACTIONS",
    ])
      expect(domain, name).toHaveProperty(name);
  });
});
