import { describe, expect, it } from "vitest";
import { TelegramConfirmationSigner } from "../../adapters/signer.ts";
import type { AppSnapshot, TransitionInput } from "../../domain/contracts.ts";
import * as domain from "../../domain/index.ts";
import {
  ACTIONABLE_KINDS,
  dedupeIntents,
  NOTIFICATION_KINDS,
  NOTIFY,
  STATUS_CHANGED,
} from "../../domain/notifications.ts";
import {
  type ApplicationStore,
  type ApplyArgs,
  type ApplyResult,
  CONFIRMATION_SIGNATURE_METHOD,
  fixedClock,
  type LastDecision,
  type SignErrorCode,
  type TransitionFacts,
} from "../../domain/ports.ts";
import { decide, snapshotAfter, TRANSITIONS } from "../../domain/stateMachine.ts";
import type { Actor } from "../../domain/types.ts";
import { A, SHA, signed, snap } from "./fixtures.ts";

/** An in-memory store that honours the store port: one application, an optimistic version check, all or nothing. */
class MemoryStore implements ApplicationStore {
  readonly written: string[] = [];
  constructor(
    private app: AppSnapshot,
    private readonly actors: Record<string, Actor>,
  ) {}
  async facts(id: string, userId: string): Promise<TransitionFacts | null> {
    const actor = this.actors[userId];
    if (id !== this.app.id || !actor) return null;
    return {
      snapshot: { ...this.app },
      actor,
      actorName: userId,
      chainId: id,
      versionNo: 1,
      statusChangedAt: new Date(0),
      org: { bin: "971240001315", nameKk: "«Денсаулық» ЖШС", nameRu: "ТОО «Денсаулык»" },
      notice: null,
      branchCheckerIds: [],
    };
  }
  async apply(args: ApplyArgs): Promise<ApplyResult> {
    if (args.facts.snapshot.version !== this.app.version) return { ok: false, reason: "stale" };
    this.app = snapshotAfter(this.app, args.decision, args.input, args.facts.actor.userId);
    this.written.push(args.decision.transitionId);
    return {
      ok: true,
      version: this.app.version,
      statusChangedAt: args.now,
      auditId: 1n,
      outboxRows: 0,
      closedMessages: 0,
    };
  }
  async applyAll(steps: readonly ApplyArgs[]): Promise<ApplyResult> {
    const [app, written] = [this.app, this.written.length];
    let last: ApplyResult = { ok: false, reason: "stale" };
    for (const s of steps) {
      last = await this.apply(s);
      if (!last.ok) {
        this.app = app;
        this.written.length = written;
        return last;
      }
    }
    return last;
  }
  async lastDecision(): Promise<LastDecision | null> {
    return {
      userId: null,
      fullName: null,
      action: null,
      at: null,
      version: this.app.version,
      status: this.app.status,
    };
  }
  get current() {
    return this.app;
  }
}

const NOW = new Date("2025-06-02T06:00:00Z");
const args = (
  facts: TransitionFacts,
  decision: ApplyArgs["decision"],
  input: ApplyArgs["input"],
): ApplyArgs => ({
  facts,
  decision,
  input,
  now: NOW,
  silentStatusPush: false,
});

describe("ports", () => {
  const actors = { [A.head.userId]: A.head, [A.attorney.userId]: A.attorney };

  it("DECISIONS 16: the store refuses a second decision on the same version (stale), writing nothing", async () => {
    const store = new MemoryStore(snap({ status: "HEAD_APPROVAL", consentSigned: true }), actors);
    const f1 = (await store.facts("app-1", A.head.userId))!;
    const f2 = (await store.facts("app-1", A.attorney.userId))!;
    const input = { confirmed: true, signatures: [signed("APPLICATION")] };
    const d1 = decide(f1.snapshot, "HEAD_SUBMIT", f1.actor, input);
    const d2 = decide(f2.snapshot, "HEAD_REJECT", f2.actor, { reasonText: "Нет адреса" });
    if (!d1.ok || !d2.ok) throw new Error("both decisions are valid on the loaded state");
    expect(await store.apply(args(f1, d1.value, input))).toMatchObject({ ok: true, version: 2 });
    expect(await store.apply(args(f2, d2.value, {}))).toEqual({ ok: false, reason: "stale" });
    expect(store.current.status).toBe("UNDER_REVIEW");
    expect(store.written).toEqual(["T8"]);
  });

  it("applyAll: T6 + T8 in one go, each decided on the snapshot the previous one leaves; all or nothing", async () => {
    const store = new MemoryStore(snap({ status: "HEAD_APPROVAL" }), actors);
    const f = (await store.facts("app-1", A.head.userId))!;
    const i6: TransitionInput = {
      signatures: [signed("CONSENT")],
      document: { kind: "CONSENT", fileId: "c" },
    };
    const d6 = decide(f.snapshot, "HEAD_SIGN_CONSENT", f.actor, i6);
    if (!d6.ok) throw new Error("T6");
    const after6 = snapshotAfter(f.snapshot, d6.value, i6, f.actor.userId);
    const i8 = { confirmed: true, signatures: [signed("APPLICATION", "b".repeat(64))] };
    const d8 = decide(after6, "HEAD_SUBMIT", f.actor, i8);
    if (!d8.ok) throw new Error("T8");
    // a second step decided on a version that is not the one the first leaves: nothing is kept
    const wrong = await store.applyAll([
      args(f, d6.value, i6),
      args({ ...f, snapshot: { ...after6, version: 9 } }, d8.value, i8),
    ]);
    expect(wrong).toEqual({ ok: false, reason: "stale" });
    expect(store.current).toMatchObject({ status: "HEAD_APPROVAL", version: 1, consentSigned: false });
    expect(store.written).toEqual([]);
    const both = await store.applyAll([
      args(f, d6.value, i6),
      args({ ...f, snapshot: after6 }, d8.value, i8),
    ]);
    expect(both).toMatchObject({ ok: true, version: 3 });
    expect(store.written).toEqual(["T6", "T8"]);
  });

  it("DECISIONS 14: the default signer is an explicit confirmation, not a qualified EDS", async () => {
    const clock = fixedClock(NOW);
    const signer = new TelegramConfirmationSigner(clock);
    expect([signer.method, signer.qualified]).toEqual([CONFIRMATION_SIGNATURE_METHOD, false]);
    const req = {
      document: "APPLICATION" as const,
      sha256: SHA,
      signer: { userId: A.head.userId, fullName: "Айгерим Садықова" },
    };
    const s = await signer.sign({ ...req, confirmed: true });
    expect(s).toEqual({
      ok: true,
      signature: { method: "telegram-confirmation", sha256: SHA, signedAt: NOW },
    });
    if (!s.ok) return;
    // the result is what T8 takes as input
    const d = decide(snap({ status: "HEAD_APPROVAL", consentSigned: true }), "HEAD_SUBMIT", A.head, {
      confirmed: true,
      signatures: [{ document: "APPLICATION", sha256: s.signature.sha256, method: s.signature.method }],
    });
    expect(d.ok).toBe(true);
  });

  it("the signer refuses an unconfirmed request, a bad hash and an unverified person (sign_* codes)", async () => {
    const signer = new TelegramConfirmationSigner(fixedClock(NOW));
    const base = {
      document: "CONSENT" as const,
      sha256: SHA,
      signer: { userId: "u", fullName: "Айгерим Садықова" },
      confirmed: true,
    };
    const code = async (r: Partial<typeof base>) => {
      const s = await signer.sign({ ...base, ...r });
      return s.ok ? null : s.code;
    };
    const codes: (SignErrorCode | null)[] = [
      await code({ confirmed: false }),
      await code({ sha256: "abc" }),
      await code({ signer: { userId: "u", fullName: null } as never }),
      await code({ signer: { userId: "u", fullName: "  " } }),
    ];
    expect(codes).toEqual(["sign_not_confirmed", "sign_bad_hash", "sign_not_verified", "sign_not_verified"]);
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
      "snapshotAfter",
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
