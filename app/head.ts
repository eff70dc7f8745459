// «Руководитель» and «Поверенное лицо руководителя» (T6–T8; DECISIONS 2, 14, 26): the applications awaiting the
// signer, the card with the actions the table allows, M4 for every selected subtype with a licence requirement,
// the two documents (the stored form of T4, the consent generated in the signer's language), and the signing:
// the Signer port signs each document over its own SHA-256 and T6 + T8 run in ONE transaction, each decided on
// the snapshot the previous one leaves.
import { applicationNumber, renderConsent } from "../adapters/pdf/index.ts";
import type { RenderedDocument } from "../adapters/pdf/types.ts";
import { actorIs, type Memberships, signerOrgIds } from "../domain/access.ts";
import type { AppSnapshot, TransitionInput } from "../domain/contracts.ts";
import type { ApplyArgs, StoredFileRef, TransitionFacts } from "../domain/ports.ts";
import { licenceNotices } from "../domain/rules.ts";
import { allowedActions, decide, snapshotAfter, transitionFor } from "../domain/stateMachine.ts";
import type { Action, Actor, DomainError } from "../domain/types.ts";
import { isSilentStatusPush } from "../domain/workflow.ts";
import type { CardData } from "../prisma/store/index.ts";
import { act, type Outcome, staleOutcome } from "./act.ts";
import type { ClassifierCache, Lang } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

/** What a signer sees of one application: the card, the facts, the actions (buttons) and why «Отправить» is not. */
export interface HeadView {
  facts: TransitionFacts;
  card: CardData;
  /** The table's allowed actions, with HEAD_SUBMIT when the head's «Отправить» (T6 + T8) may run. */
  actions: Action[];
  /** Why «Отправить» is not offered (e.g. the consent is the head's to sign first); empty when it is. */
  sendBlockedBy: DomainError[];
}

/** One M4 line (SPEC §3.6): the subtype, the activity type of the licence and the licence (sub)type. */
export interface M4Notice {
  subtype: string;
  activityCode: string;
  licenceCode: string;
  satisfied: boolean;
}

/** The application's short number: its chain's, the same as on its documents (never the UUID). */
export { applicationNumber };

/**
 * Every input a row requires, filled with placeholders: `decide` then reports only the roles and guards (what the
 * buttons depend on). Used to plan the head's two steps before anybody signs anything.
 */
function previewInput(app: AppSnapshot, action: Action): TransitionInput {
  const row = transitionFor(app, action);
  const input: TransitionInput = {};
  for (const req of row?.inputs ?? []) {
    if (req === "signature")
      input.signatures = (row?.effects.sign ?? []).map((document) => ({
        document,
        sha256: "0".repeat(64),
        method: "preview",
      }));
    else if (req === "document" && row?.effects.attach)
      input.document = { kind: row.effects.attach, fileId: "preview" };
    else if (req === "confirmed") input.confirmed = true;
    else if (req === "reasonText") input.reasonText = "preview";
  }
  return input;
}

/**
 * The head's «Отправить»: T6 (the consent, unless it is signed in this round) then T8 (the application), each
 * decided on the snapshot the previous one leaves. When T6 is not this person's (an attorney), the errors are
 * those of T8 now: the consent is the head's to sign first.
 */
export function sendPlan(
  app: AppSnapshot,
  actor: Actor,
): { ok: true; steps: Action[] } | { ok: false; errors: DomainError[] } {
  const steps: Action[] = app.consentSigned ? ["HEAD_SUBMIT"] : ["HEAD_SIGN_CONSENT", "HEAD_SUBMIT"];
  let snap = app;
  for (const action of steps) {
    const input = previewInput(snap, action);
    const d = decide(snap, action, actor, input);
    if (!d.ok) {
      if (action === "HEAD_SIGN_CONSENT") {
        const t8 = decide(app, "HEAD_SUBMIT", actor, previewInput(app, "HEAD_SUBMIT"));
        return { ok: false, errors: t8.ok ? d.errors : t8.errors };
      }
      return { ok: false, errors: d.errors };
    }
    snap = snapshotAfter(snap, d.value, input, actor.userId);
  }
  return { ok: true, steps };
}

const isSignerHere = (facts: TransitionFacts) => actorIs("SIGNER", facts.snapshot, facts.actor);

export interface SignArgs {
  applicationId: string;
  expectedVersion: number;
  userId: string;
  fullName: string | null;
  /** The SHA-256 of the form as shown (the stored T4 PDF). */
  formSha256: string;
  /** The consent as shown and stored (needed when T6 is part of the press). */
  consentSha256?: string;
  consentFileId?: string;
}

export function headUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  const store = ports.store;

  function viewOf(facts: TransitionFacts, card: CardData): HeadView {
    const actions = allowedActions(facts.snapshot, facts.actor);
    const plan = sendPlan(facts.snapshot, facts.actor);
    if (plan.ok && !actions.includes("HEAD_SUBMIT")) actions.push("HEAD_SUBMIT");
    return { facts, card, actions, sendBlockedBy: plan.ok ? [] : plan.errors };
  }

  /** Sign each document through the Signer port (the person confirmed exactly these hashes). */
  async function signAll(
    docs: { document: "CONSENT" | "APPLICATION"; sha256: string; fileId: string }[],
    a: { userId: string; fullName: string | null },
  ) {
    const out: NonNullable<TransitionInput["signatures"]> = [];
    for (const d of docs) {
      const r = await ports.signer.sign({
        document: d.document,
        sha256: d.sha256,
        signer: { userId: a.userId, fullName: a.fullName },
        confirmed: true,
      });
      if (!r.ok) return { ok: false as const, errors: [{ code: r.code, params: { document: d.document } }] };
      out.push({
        document: d.document,
        sha256: r.signature.sha256,
        method: r.signature.method,
        fileId: d.fileId,
      });
    }
    return { ok: true as const, signatures: out };
  }

  /** The documents shown must be the stored ones: the form of T4 and the consent stored for this press. */
  async function checkDocuments(card: CardData, a: SignArgs, withConsent: boolean): Promise<DomainError[]> {
    if (!card.formFileId) return [{ code: "form_not_generated" }];
    const form = await ports.files.meta(card.formFileId);
    if (!form) return [{ code: "form_file_missing" }];
    if (form.sha256 !== a.formSha256)
      return [{ code: "document_changed", params: { document: "APPLICATION" } }];
    if (!withConsent) return [];
    const consent = a.consentFileId ? await ports.files.meta(a.consentFileId) : null;
    if (!consent || !a.consentSha256 || consent.sha256 !== a.consentSha256)
      return [{ code: "document_changed", params: { document: "CONSENT" } }];
    return [];
  }

  /** The consent (D4) in the signer's language, stored so that the signature names the exact file. */
  async function consent(view: HeadView, lang: Lang, signerName: string | null) {
    const { card } = view;
    const regions = await classifiers.bilingual("regions");
    const doc = await renderConsent(
      {
        application: { number: applicationNumber(card.chainId), versionNo: card.versionNo },
        org: { bin: card.org.bin, nameKk: card.org.nameKk, nameRu: card.org.nameRu },
        region: card.regionCode ? regions(card.regionCode) : null,
        headName: signerName,
        // the moment it is shown for signing: the stored file is what is signed, so its bytes never change
        date: ports.clock.now(),
      },
      lang,
    );
    const ref = await ports.files.put(doc.bytes, {
      fileName: doc.fileName,
      mimeType: doc.mimeType,
      uploadedById: view.facts.actor.userId,
    });
    return { ref, doc };
  }

  return {
    /** The applications awaiting the signer in the organisations where they sign (ONE statement). */
    queue: (m: Memberships) => store.queues.head(signerOrgIds(m)),

    /** The card for a signer of the application's organisation (ONE statement); null otherwise. */
    async open(applicationId: string, userId: string): Promise<HeadView | null> {
      const r = await store.applications.factsAndCard(applicationId, userId);
      if (!r || !isSignerHere(r.facts)) return null;
      return viewOf(r.facts, r.card);
    },

    /** "Already decided by NAME at TIME" or "this button never belonged to this application". */
    stale: (applicationId: string, expectedVersion: number) =>
      staleOutcome(ports, applicationId, expectedVersion),

    /** M4 (DECISIONS 2): every selected subtype with a licence requirement, whether or not the licence is there. */
    async notices(card: CardData): Promise<M4Notice[]> {
      const rules = await classifiers.rules();
      return licenceNotices(card, rules, { onlyMissing: false }).map((n) => ({
        subtype: n.subtype,
        activityCode: n.activityCode,
        licenceCode: n.licenceCode,
        satisfied: n.satisfied,
      }));
    },

    /**
     * The two documents of «Отправить», exactly as they will be signed: the form generated at T4 (its stored
     * bytes) and the consent, generated now in the signer's language and stored (when T6 is still to do).
     */
    consent,

    /** The signer's method and whether it is a qualified EDS (the confirmation screen says so). */
    signer: () => ({ method: ports.signer.method, qualified: ports.signer.qualified }),

    /** The form generated at T4, its stored bytes (null when it was never generated or its bytes are gone). */
    form: (card: CardData) => (card.formFileId ? ports.files.read(card.formFileId) : Promise.resolve(null)),

    /** Telegram's file_id of a copy the bot sent, to send it again without uploading. */
    rememberTelegramId: (fileId: string, telegramFileId: string) =>
      ports.files.rememberTelegramId(fileId, telegramFileId),

    async documents(
      view: HeadView,
      lang: Lang,
      signerName: string | null,
    ): Promise<
      | {
          ok: true;
          form: { ref: StoredFileRef; bytes: Buffer };
          consent: { ref: StoredFileRef; doc: RenderedDocument } | null;
        }
      | { ok: false; errors: DomainError[] }
    > {
      const { card } = view;
      if (!card.formFileId) return { ok: false, errors: [{ code: "form_not_generated" }] };
      const form = await ports.files.read(card.formFileId);
      if (!form) return { ok: false, errors: [{ code: "form_file_missing" }] };
      if (view.facts.snapshot.consentSigned) return { ok: true, form, consent: null };
      return { ok: true, form, consent: await consent(view, lang, signerName) };
    },

    /**
     * «Подписать и отправить»: the Signer signs the consent (when T6 is still to do) and the form, each over its
     * own SHA-256, then T6 and T8 are applied in ONE transaction (`applyAll`), T8 decided on the snapshot T6
     * leaves. All or nothing.
     */
    async sign(a: SignArgs, known?: { facts: TransitionFacts; card: CardData }): Promise<Outcome> {
      const r = known ?? (await store.applications.factsAndCard(a.applicationId, a.userId));
      if (!r) return { ok: false, kind: "not_found" };
      const { facts, card } = r;
      if (facts.snapshot.version !== a.expectedVersion)
        return staleOutcome(ports, a.applicationId, a.expectedVersion);
      const plan = sendPlan(facts.snapshot, facts.actor);
      if (!plan.ok) return { ok: false, kind: "denied", errors: plan.errors };
      const withConsent = plan.steps.includes("HEAD_SIGN_CONSENT");
      const bad = await checkDocuments(card, a, withConsent);
      if (bad.length) return { ok: false, kind: "denied", errors: bad };
      const signed = await signAll(
        [
          ...(withConsent
            ? [{ document: "CONSENT" as const, sha256: a.consentSha256 ?? "", fileId: a.consentFileId ?? "" }]
            : []),
          { document: "APPLICATION" as const, sha256: a.formSha256, fileId: card.formFileId ?? "" },
        ],
        a,
      );
      if (!signed.ok) return { ok: false, kind: "denied", errors: signed.errors };
      const now = ports.clock.now();
      const steps: ApplyArgs[] = [];
      let f = facts;
      let last: ApplyArgs | null = null;
      for (const action of plan.steps) {
        const input: TransitionInput =
          action === "HEAD_SIGN_CONSENT"
            ? {
                signatures: signed.signatures.filter((s) => s.document === "CONSENT"),
                document: { kind: "CONSENT", fileId: a.consentFileId ?? "" },
              }
            : { confirmed: true, signatures: signed.signatures.filter((s) => s.document === "APPLICATION") };
        const d = decide(f.snapshot, action, f.actor, input);
        if (!d.ok) return { ok: false, kind: "denied", errors: d.errors };
        last = { facts: f, decision: d.value, input, now, silentStatusPush: isSilentStatusPush(d.value.to) };
        steps.push(last);
        f = { ...f, snapshot: snapshotAfter(f.snapshot, d.value, input, a.userId) };
      }
      const applied = await store.applications.applyAll(steps);
      if (!applied.ok) {
        if (applied.reason === "open_in_region") return { ok: false, kind: "open_in_region" };
        return staleOutcome(ports, a.applicationId, a.expectedVersion);
      }
      return {
        ok: true,
        applicationId: a.applicationId,
        version: applied.version,
        decision: (last as ApplyArgs).decision,
        snapshot: f.snapshot,
        facts,
      };
    },

    /** «Подписать согласие» alone (T6, «Руководитель» only): the consent as shown and stored. */
    async signConsent(
      a: {
        applicationId: string;
        expectedVersion: number;
        userId: string;
        fullName: string | null;
        consentSha256: string;
        consentFileId: string;
      },
      known?: { facts: TransitionFacts },
    ): Promise<Outcome> {
      const consent = await ports.files.meta(a.consentFileId);
      if (!consent || consent.sha256 !== a.consentSha256)
        return {
          ok: false,
          kind: "denied",
          errors: [{ code: "document_changed", params: { document: "CONSENT" } }],
        };
      const signed = await signAll(
        [{ document: "CONSENT", sha256: a.consentSha256, fileId: a.consentFileId }],
        a,
      );
      if (!signed.ok) return { ok: false, kind: "denied", errors: signed.errors };
      return act(
        ports,
        {
          applicationId: a.applicationId,
          expectedVersion: a.expectedVersion,
          action: "HEAD_SIGN_CONSENT",
          userId: a.userId,
          input: { signatures: signed.signatures, document: { kind: "CONSENT", fileId: a.consentFileId } },
        },
        known ? { facts: known.facts } : {},
      );
    },

    /** T7 «Отклонить» with the typed reason (the one free-text rule): back to «Проект», the reason kept on it. */
    reject: (a: { applicationId: string; expectedVersion: number; userId: string; reasonText: string }) =>
      act(ports, {
        applicationId: a.applicationId,
        expectedVersion: a.expectedVersion,
        action: "HEAD_REJECT",
        userId: a.userId,
        input: { reasonText: a.reasonText },
      }),
  };
}

export type HeadUseCases = ReturnType<typeof headUseCases>;
