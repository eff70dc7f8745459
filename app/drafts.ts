// The supplier's drafts (SPEC §3, T1–T5, T20; DECISIONS 1, 8, 25, 26, 28): «Создать заявку» (pre-filled from the
// organisation's previous application, issue 14), the wizard's read and write of one step (ONE read: the draft and
// the decision facts; ONE write: app.act EDIT; the next screen is drawn from the draft updated in memory),
// «Сохранить» (validateForSave here, the guard draftComplete of the table), the form (T4), sending to the head
// (T5), deleting (T3), «Внести изменение» (T20), the drafts list and the KATO picker's reads.
import { actorInOrg, type Memberships, orgIdsOf, supplierAdminOrgs } from "../domain/access.ts";
import type { TransitionFacts } from "../domain/ports.ts";
import {
  checkIncludedInRegion,
  checkPatchImmutable,
  d1Licences,
  type PrefillItem,
  prefillFrom,
  unconfirmedPrefill,
} from "../domain/draftRules.ts";
import { baseInputOf, type DraftPatch } from "../domain/drafts.ts";
import { katoName } from "../domain/kato.ts";
import { baseRegion, confirmationKey } from "../domain/plausibility.ts";
import { appendixAddresses, filterDisplayable } from "../domain/licences.ts";
import {
  availableSubtypes,
  checkExclusionWait,
  type SaveContext,
  type ValidationReport,
  validateForSave,
} from "../domain/rules.ts";
import { allowedActions, decideCreate } from "../domain/stateMachine.ts";
import { TRANSITIONS } from "../domain/transitions.ts";
import type { Action, DomainError, Status } from "../domain/types.ts";
import type {
  DraftLicenceRow,
  DraftListItem,
  KatoFound,
  KatoLevel,
  WizardDraft,
} from "../prisma/store/index.ts";
import { contentOf } from "../prisma/store/drafts.ts";
import { act, type Outcome } from "./act.ts";
import type { ClassifierCache, Lang } from "./classifiers.ts";
import { applicationFormPdf } from "./formDocument.ts";
import { draftLicenceUseCases } from "./draftLicences.ts";
import type { LicenceUseCases } from "./licences.ts";
import {
  type AddedFile,
  applyPatch,
  type PickedKato,
  selectionOf,
  toDomainDraft,
  withD1,
} from "./draftMemory.ts";
import type { AppPorts } from "./ports.ts";

export type {
  DraftLicenceRow,
  DraftListItem,
  KatoFound,
  KatoItem,
  KatoLevel,
  RegionApplication,
  WizardDraft,
} from "../prisma/store/index.ts";
export type { AddedFile, PickedKato } from "./draftMemory.ts";

/** A draft as one person sees it now. */
export interface DraftView {
  draft: WizardDraft;
  facts: TransitionFacts;
  /** What the table allows this person now (the buttons; EDIT = may change the draft: only its author). */
  actions: Action[];
  /** The organisation's displayable licences: what Section A may offer and D1 is drawn from. */
  pool: DraftLicenceRow[];
}

export type Refusal = Exclude<Outcome, { ok: true }>;
export type EditResult = { ok: true; view: DraftView } | Refusal;
export type SaveResult =
  | { ok: true; view: DraftView; report: ValidationReport }
  | { ok: false; kind: "invalid"; report: ValidationReport }
  /** Plausibility warnings nobody confirmed (coordinates outside Kazakhstan / the region): ask, save after «Подтвердить». */
  | { ok: false; kind: "warnings"; report: ValidationReport }
  | (Refusal & { open?: { id: string; status: Status; versionNo: number; createdAt: Date } | null });

/** Where a new draft starts (the wizard's own state, kept in Application.progress). */
export type StartProgress = (p: {
  pending: PrefillItem[];
  from: { id: string; versionNo: number; createdAt: Date } | null;
}) => unknown;

export type CreateResult =
  | { ok: true; id: string; prefilledFrom: { id: string; versionNo: number; createdAt: Date } | null }
  | { ok: false; kind: "denied"; errors: DomainError[] };

export const KATO_PAGE = 8;

/** The statuses a supplier acts in (the rows the supplier's roles start): the drafts list shows these. */
export const SUPPLIER_STATUSES: readonly Status[] = [
  ...new Set(
    TRANSITIONS.filter((r) => r.from && r.roles.some((w) => w === "AUTHOR" || w === "SUPPLIER_ADMIN")).map(
      (r) => r.from as Status,
    ),
  ),
];

/** The prefill items still to confirm, as the wizard keeps them (progress.prefill.pending). */
export function pendingOf(progress: unknown): string[] {
  const p = (progress as { prefill?: { pending?: unknown } } | null)?.prefill?.pending;
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === "string") : [];
}

export function draftUseCases(
  ports: AppPorts,
  classifiers: ClassifierCache,
  fetcher: Pick<LicenceUseCases, "fetch">,
) {
  const store = ports.store;
  const licences = draftLicenceUseCases(ports, fetcher);
  const kato = new Map<string, KatoLevel>();

  const viewOf = (draft: WizardDraft, facts: TransitionFacts): DraftView => ({
    draft,
    facts,
    actions: allowedActions(facts.snapshot, facts.actor),
    pool: filterDisplayable([...draft.pool]),
  });

  async function validate(view: DraftView): Promise<ValidationReport> {
    const rules = await classifiers.rules();
    const d = view.draft;
    const sf = d.saveFacts;
    const draft = toDomainDraft(d);
    const saved = view.facts.snapshot.saved;
    const c = await classifiers.get();
    const ctx: SaveContext = {
      ...rules,
      regionKatoCodes: Object.fromEntries(c.regions.map((r) => [r.code, r.katoCode])),
      now: ports.clock.now(),
      owner: { bin: d.org.bin, linkedBins: sf.linkedBins },
      files: Object.fromEntries(sf.files.map((f) => [f.id, { size: f.size, mimeType: f.mimeType }])),
      mode: d.versionNo > 1 ? "MAKE_CHANGES" : saved ? "EDIT" : "CREATE",
      // A1–A3 are the organisation's (read with the draft); A4 is locked on every write (checkPatchImmutable).
      previous: d.versionNo > 1 ? draft : null,
      applicationId: d.id,
      lastExclusionAt: sf.lastExclusionAt,
      openApplications: sf.open,
    };
    const report = validateForSave(draft, ctx);
    const errors = [
      ...report.errors,
      ...checkIncludedInRegion(d, sf.included),
      ...unconfirmedPrefill(pendingOf(d.progress)),
    ];
    return { ok: errors.length === 0, errors, warnings: report.warnings };
  }

  /** One write of the draft (T2) on what was just read; the view as it left it. */
  async function edit(
    view: DraftView,
    patch: DraftPatch,
    extra: { files?: readonly AddedFile[]; kato?: PickedKato } = {},
  ): Promise<EditResult> {
    const d = view.draft;
    const immutable = checkPatchImmutable({ ...d, saved: view.facts.snapshot.saved }, patch);
    if (immutable.length) return { ok: false, kind: "denied", errors: immutable };
    const full = withD1(d, patch, view.pool, await classifiers.rules());
    const r = await act(
      ports,
      {
        applicationId: d.id,
        expectedVersion: d.version,
        action: "EDIT",
        userId: view.facts.actor.userId,
        input: { patch: full },
      },
      { facts: view.facts, before: contentOf(d) },
    );
    if (!r.ok) return r;
    const draft = applyPatch(d, full, r.version, ports.clock.now(), extra);
    return { ok: true, view: viewOf(draft, { ...view.facts, snapshot: r.snapshot ?? view.facts.snapshot }) };
  }

  /** A decision on the draft other than an edit, on what was just read. */
  async function decide(
    view: DraftView,
    action: Action,
    input: Parameters<typeof act>[1]["input"] = {},
    draftComplete?: boolean,
  ) {
    return act(
      ports,
      {
        applicationId: view.draft.id,
        expectedVersion: view.draft.version,
        action,
        userId: view.facts.actor.userId,
        input,
      },
      {
        facts: view.facts,
        ...(draftComplete === undefined ? {} : { draftComplete: async () => draftComplete }),
      },
    );
  }

  const after = (
    view: DraftView,
    r: Extract<Outcome, { ok: true }>,
    patch: Partial<WizardDraft> = {},
  ): DraftView =>
    viewOf(
      {
        ...view.draft,
        ...patch,
        version: r.version,
        savedAt: r.snapshot?.saved ? (view.draft.savedAt ?? ports.clock.now()) : view.draft.savedAt,
      },
      { ...view.facts, snapshot: r.snapshot ?? view.facts.snapshot },
    );

  return {
    licences,
    /**
     * The draft and this person's facts for it, ONE statement; null when it does not exist, the person is not of
     * its organisation, or it is another person's unsaved draft (DECISIONS 28: invisible to others).
     */
    async load(id: string, userId: string): Promise<DraftView | null> {
      const r = await store.drafts.loadWithFacts(id, userId);
      if (!r || r.facts.actor.orgRoles.length === 0) return null;
      if (!r.facts.snapshot.saved && r.facts.snapshot.authorId !== userId) return null;
      return viewOf(r.draft, r.facts);
    },
    /** DECISIONS 25: only the author edits (the table's T2). */
    mayEdit: (view: DraftView) => view.actions.includes("EDIT"),
    edit,
    validate,
    /** «Сохранить»: validateForSave (every error at once); the table's SAVE with draftComplete; DECISIONS 8 in the database. */
    async save(view: DraftView, opts: { confirmWarnings?: boolean } = {}): Promise<SaveResult> {
      let report = await validate(view);
      if (!report.ok) return { ok: false, kind: "invalid", report };
      if (report.warnings.length) {
        if (!opts.confirmWarnings) return { ok: false, kind: "warnings", report };
        // the supplier confirms the warned bases' coordinates as they are (DECISIONS 5: a warning, never blocking)
        const regionKato =
          (await classifiers.get()).regions.find((r) => r.code === view.draft.regionCode)?.katoCode ?? null;
        const warned = new Set(report.warnings.map((e) => Number(e.params?.row)));
        const bases = view.draft.bases.map((b, i) => {
          const input = baseInputOf(b);
          if (!warned.has(i + 1) || b.latitude === null || b.longitude === null) return input;
          return {
            ...input,
            coordsConfirmed: confirmationKey(b.latitude, b.longitude, baseRegion(b, regionKato)),
          };
        });
        const confirmed = await edit(view, { bases });
        if (!confirmed.ok) return confirmed;
        view = confirmed.view;
        report = await validate(view);
        if (!report.ok || report.warnings.length) return { ok: false, kind: "invalid", report };
      }
      const r = await decide(view, "SAVE", {}, true);
      if (!r.ok) {
        if (r.kind === "open_in_region" && view.draft.regionCode)
          return {
            ...r,
            open: await store.drafts.openInRegion(view.draft.orgId, view.draft.regionCode, view.draft.id),
          };
        return r;
      }
      return { ok: true, view: after(view, r), report };
    },
    /** T3 after the confirmation step. */
    delete: (view: DraftView) => decide(view, "DELETE", { confirmed: true }),
    /** T4: «Заявка о включении» in the reader's language, stored (FileStore), attached as the current form. */
    async generateForm(view: DraftView, lang: Lang) {
      const pdf = await applicationFormPdf(ports, classifiers, view.draft, lang, ports.clock.now());
      const file = await ports.files.put(pdf.bytes, {
        fileName: pdf.fileName,
        mimeType: pdf.mimeType,
        uploadedById: view.facts.actor.userId,
      });
      const r = await decide(view, "GENERATE_FORM", {
        document: { kind: "APPLICATION_FORM", fileId: file.id },
      });
      return r.ok ? { ...r, pdf, file, view: after(view, r, { formFileId: file.id }) } : r;
    },
    /**
     * T5: saved, complete (validateForSave), with a form generated after the last edit (DECISIONS 26). The report
     * says what is incomplete when the table refuses with "draft_incomplete".
     */
    async sendToHead(view: DraftView): Promise<{ outcome: Outcome; report: ValidationReport }> {
      const report = await validate(view);
      return { outcome: await decide(view, "SEND_TO_HEAD", {}, report.ok), report };
    },
    /**
     * T1 «Создать заявку» for the first organisation where the user is «Поставщик» + «Администратор организации»:
     * unsaved (DECISIONS 28), pre-filled from the organisation's latest saved or included application (issue 14),
     * every carried part pending the supplier's confirmation; D1 drawn from the fetched licences.
     */
    async create(userId: string, memberships: Memberships, progress: StartProgress): Promise<CreateResult> {
      const orgId = supplierAdminOrgs(memberships)[0];
      const decided = decideCreate(actorInOrg(userId, memberships, orgId ?? ""));
      if (!orgId || !decided.ok)
        return {
          ok: false,
          kind: "denied",
          errors: decided.ok ? [{ code: "forbidden_role" }] : decided.errors,
        };
      const src = await store.drafts.prefillSource(orgId);
      const excluded = checkExclusionWait(src.lastExclusionAt, ports.clock.now());
      if (excluded.length) return { ok: false, kind: "denied", errors: excluded };
      const rules = await classifiers.rules();
      const pool = filterDisplayable(src.pool);
      const addresses = appendixAddresses(pool);
      const s = src.source;
      if (!s) {
        const id = (
          await store.drafts.create({
            orgId,
            authorId: userId,
            now: ports.clock.now(),
            ownershipFormCode: src.ownershipFormCode,
            licenceIds: [],
            bases: addresses.map((address) => ({ address })),
            progress: progress({ pending: [], from: null }),
          })
        ).id;
        return { ok: true, id, prefilledFrom: null };
      }
      const fill = prefillFrom(
        {
          ...selectionOf(s),
          ownershipFormCode: s.ownershipFormCode,
          bases: s.bases.map(baseInputOf),
          documents: s.documents
            .filter((x) => x.kind === "REGISTRATION" || x.kind === "POWER_OF_ATTORNEY")
            .map((x) => ({ kind: x.kind as "REGISTRATION" | "POWER_OF_ATTORNEY", fileId: x.fileId })),
        },
        {
          addresses,
          offered: {
            SUPPLIER: availableSubtypes(pool, "SUPPLIER", rules.subtypes),
            CO_EXECUTOR: availableSubtypes(pool, "CO_EXECUTOR", rules.subtypes),
          },
          files: Object.fromEntries(
            s.saveFacts.files.map((f) => [f.id, { size: f.size, mimeType: f.mimeType }]),
          ),
        },
      );
      const from = { id: s.id, versionNo: s.versionNo, createdAt: s.createdAt };
      const made = await store.drafts.create({
        orgId,
        authorId: userId,
        now: ports.clock.now(),
        ownershipFormCode: fill.ownershipFormCode ?? src.ownershipFormCode,
        licenceIds: d1Licences(pool, fill, rules).map((l) => l.id),
        bases: fill.bases,
        progress: progress({ pending: fill.pending, from }),
        prefill: {
          asSupplier: fill.asSupplier,
          asCoExecutor: fill.asCoExecutor,
          supplierSubtypes: fill.supplierSubtypes,
          coExecutorSubtypes: fill.coExecutorSubtypes,
          hasPharmacy: fill.hasPharmacy,
          regionCode: null,
          documents: fill.documents,
        },
      });
      return { ok: true, id: made.id, prefilledFrom: from };
    },
    /**
     * T20 «Внести изменение»: a new version in «Проект» (unsaved until its first save) with the organisation's
     * licences as fetched now (the caller refreshes them first: DECISIONS 1), D1 drawn from them, and the bases
     * re-read from their appendices keeping what this version knew about each address; every carried part pending.
     */
    async makeChanges(
      cmd: { applicationId: string; expectedVersion: number; userId: string },
      progress: StartProgress,
    ): Promise<Outcome> {
      const rules = await classifiers.rules();
      return act(
        ports,
        { ...cmd, action: "MAKE_CHANGES" },
        {
          newVersion: async (facts) => {
            const old = await store.drafts.loadWizard(facts.snapshot.id);
            if (!old) return { licenceIds: [], bases: [] };
            const pool = filterDisplayable(old.pool);
            const fill = prefillFrom(
              {
                ...selectionOf(old),
                ownershipFormCode: old.ownershipFormCode,
                bases: old.bases.map(baseInputOf),
                documents: old.documents
                  .filter((x) => x.kind === "REGISTRATION" || x.kind === "POWER_OF_ATTORNEY")
                  .map((x) => ({ kind: x.kind as "REGISTRATION" | "POWER_OF_ATTORNEY", fileId: x.fileId })),
              },
              {
                addresses: appendixAddresses(pool),
                // the version keeps its choice (checked again at «Сохранить»)
                offered: { SUPPLIER: old.supplierSubtypes, CO_EXECUTOR: old.coExecutorSubtypes },
                files: Object.fromEntries(
                  old.saveFacts.files.map((f) => [f.id, { size: f.size, mimeType: f.mimeType }]),
                ),
              },
            );
            return {
              licenceIds: d1Licences(pool, selectionOf(old), rules).map((l) => l.id),
              bases: fill.bases,
              progress: progress({
                pending: fill.pending,
                from: { id: old.id, versionNo: old.versionNo, createdAt: old.createdAt },
              }),
            };
          },
        },
      );
    },
    /** «Черновики заявок»: the drafts and the applications a supplier acts on, newest first. */
    list(userId: string, memberships: Memberships): Promise<DraftListItem[]> {
      return store.drafts.list(userId, orgIdsOf(memberships), SUPPLIER_STATUSES);
    },
    openInRegion: (orgId: string, regionCode: string, exceptId?: string) =>
      store.drafts.openInRegion(orgId, regionCode, exceptId),
    /**
     * The KATO picker: one level of the tree (the edition in force). The top level and the 20 regions' first levels
     * are kept in memory: the region's level is drawn after every coordinates answer.
     */
    async katoChildren(
      parentCode: string | null,
      lang: Lang,
      page: number,
    ): Promise<KatoLevel & { page: number; pages: number }> {
      const cached = parentCode === null || /^\d{2}0000000$/.test(parentCode);
      const key = `${parentCode ?? "-"}:${lang}:${page}`;
      let level = cached ? kato.get(key) : undefined;
      if (!level) {
        level = await store.kato.level(parentCode, lang, {
          offset: Math.max(0, page) * KATO_PAGE,
          limit: KATO_PAGE,
        });
        if (cached) kato.set(key, level);
      }
      const pages = Math.max(1, Math.ceil(level.total / KATO_PAGE));
      return { ...level, page: Math.min(Math.max(0, page), pages - 1), pages };
    },
    /** Objects whose name contains the typed text, inside the application's region (by its top KATO code). */
    katoSearch: (query: string, regionKato: string | null, lang: Lang): Promise<KatoFound[]> =>
      store.kato.search(query, regionKato, lang),
    /** The names from the top level down to `code`, in the reader's language (expanded, domain/kato.ts). */
    async katoPath(code: string, lang: Lang): Promise<string[]> {
      return ((await store.kato.paths([code])).get(code) ?? []).map((n) => katoName(n, lang));
    },
    /** One object (active or not), to check a pick against the edition in force and the region. */
    katoObject: (code: string) => store.kato.one(code),
    /** D1 again from the organisation's licences as fetched now (after «Получить лицензии»). */
    async syncD1(view: DraftView): Promise<EditResult> {
      const rules = await classifiers.rules();
      const ids = d1Licences(view.pool, selectionOf(view.draft), rules).map((l) => l.id);
      const was = view.draft.licences.map((l) => l.id);
      if (ids.length === was.length && ids.every((id) => was.includes(id))) return { ok: true, view };
      return edit(view, { licenceIds: ids });
    },
    /** Store a received file (the FileStore port). */
    putFile: (
      bytes: Buffer,
      meta: {
        fileName: string;
        mimeType: string;
        telegramFileId?: string | null;
        uploadedById?: string | null;
      },
    ) => ports.files.put(bytes, meta),
  };
}

export type DraftUseCases = ReturnType<typeof draftUseCases>;
