// The store: every read and write of the register, on PostgreSQL (or PGlite). The application layer (app/)
// is its only user; it receives one `Store` built here from the Prisma client by the composition root.
import type { ApplicationStore } from "../../domain/ports.ts";
import type { Status } from "../../domain/types.ts";
import * as cards from "./cards.ts";
import * as dashboard from "./dashboard.ts";
import * as digests from "./digests.ts";
import * as sla from "./slaSettings.ts";
import { loadClassifiers } from "./classifiers.ts";
import type { PrismaClient } from "./db.ts";
import * as drafts from "./drafts.ts";
import * as licences from "./licences.ts";
import * as kato from "./katoPicker.ts";
import { loadFacts, loadFactsAndCard } from "./facts.ts";
import * as outbox from "./outboxContext.ts";
import { listFailedOutbox, outboxCounts } from "./outbox.ts";
import { lastDecision } from "./lastDecision.ts";
import * as people from "./people.ts";
import * as queues from "./queues.ts";
import * as survey from "./questionnaire.ts";
import * as register from "./register.ts";
import { applyDecision, applyDecisions } from "./transitions.ts";
import * as wizard from "./wizard.ts";

export function createStore(prisma: PrismaClient) {
  const applications: ApplicationStore & {
    factsAndCard: (id: string, userId: string) => ReturnType<typeof loadFactsAndCard>;
    card: (id: string) => Promise<cards.CardData | null>;
  } = {
    facts: (id, userId) => loadFacts(prisma, id, userId),
    factsAndCard: (id, userId) => loadFactsAndCard(prisma, id, userId),
    card: (id) => cards.loadCard(prisma, id),
    apply: (args) => applyDecision(prisma, args),
    applyAll: (steps) => applyDecisions(prisma, steps),
    lastDecision: (id) => lastDecision(prisma, id),
  };
  return {
    applications,
    drafts: {
      load: (id: string) => drafts.loadDraft(prisma, id),
      /** The wizard's read of a draft (with the licence pool and the save facts), ONE statement. */
      loadWizard: (id: string) => wizard.loadWizardDraft(prisma, id),
      /** The wizard's read and the decision facts of the user, ONE statement (a wizard step's only read). */
      loadWithFacts: (id: string, userId: string) => wizard.loadDraftAndFacts(prisma, id, userId),
      create: (args: drafts.CreateDraftArgs) => drafts.createDraft(prisma, args),
      saveFacts: (d: Pick<drafts.DraftRow, "id">) => drafts.saveFacts(prisma, d),
      openInRegion: (orgId: string, regionCode: string, exceptId?: string) =>
        drafts.openInRegion(prisma, orgId, regionCode, exceptId),
      prefillSource: (orgId: string) => wizard.prefillSource(prisma, orgId),
      /** The organisation's fetched licences (the pool D1 is drawn from), ONE statement. */
      orgLicences: (orgId: string) => wizard.orgLicences(prisma, orgId),
      list: (userId: string, orgIds: readonly string[], statuses: readonly Status[]) =>
        wizard.draftList(prisma, userId, orgIds, statuses),
    },
    kato: {
      level: (parentCode: string | null, lang: "kk" | "ru", page: { offset: number; limit: number }) =>
        kato.katoLevel(prisma, parentCode, lang, page),
      search: (query: string, regionKato: string | null, lang: "kk" | "ru", limit?: number) =>
        kato.katoSearch(prisma, query, regionKato, lang, limit),
      one: (code: string) => kato.katoOne(prisma, code),
      paths: (codes: readonly string[]) => kato.katoPaths(prisma, codes),
    },
    queues: {
      open: (f: queues.OpenQueueFilter, opts: Parameters<typeof queues.openQueuePage>[2]) =>
        queues.openQueuePage(prisma, f, opts),
      supplier: (userId: string, opts: Parameters<typeof queues.supplierList>[2]) =>
        queues.supplierList(prisma, userId, opts),
      versions: (chainId: string, userId: string) => queues.chainVersions(prisma, chainId, userId),
      versionsOf: (applicationId: string, userId: string) => queues.versionsOf(prisma, applicationId, userId),
      head: (orgIds: readonly string[]) => queues.headQueue(prisma, orgIds),
      /** The register for staff (included applications of their regions, searched), a keyset page. */
      register: (f: register.RegisterFilter, opts: Parameters<typeof register.registerPage>[2]) =>
        register.registerPage(prisma, f, opts),
    },
    people: {
      context: (telegramId: bigint, key: string) => people.personContext(prisma, telegramId, key),
      ensure: (telegramId: bigint, username: string | null) =>
        people.ensureUser(prisma, telegramId, username),
      memberships: (userId: string) => people.memberships(prisma, userId),
      setLanguage: (userId: string, lang: "kk" | "ru") => people.setLanguage(prisma, userId, lang),
      setFullName: (userId: string, name: string) => people.setFullName(prisma, userId, name),
      saveChatState: (key: string, userId: string | null, state: { session?: unknown; prompt?: unknown }) =>
        people.saveChatState(prisma, key, userId, state),
      redeemInvite: (code: string, userId: string, now: Date) =>
        people.redeemInvite(prisma, code, userId, now),
      createInvite: (args: people.CreateInviteArgs) => people.createInvite(prisma, args),
      branchCheckers: (applicationId: string, exceptUserId: string) =>
        people.branchCheckers(prisma, applicationId, exceptUserId),
    },
    outbox: {
      context: (row: Parameters<typeof outbox.outboxContext>[1], opts: { facts: boolean }) =>
        outbox.outboxContext(prisma, row, opts),
      closeIfDecided: (row: Parameters<typeof outbox.closeIfDecided>[1], messageId: number) =>
        outbox.closeIfDecided(prisma, row, messageId),
      /** Notifications that failed for good (newest first), for the managers' /failed. */
      listFailed: (opts: { limit: number; since?: Date }) => listFailedOutbox(prisma, opts),
      counts: () => outboxCounts(prisma),
    },
    survey: {
      access: (applicationId: string, userId: string) =>
        survey.questionnaireAccess(prisma, applicationId, userId),
      save: (a: survey.SaveAnswerArgs) => survey.saveQuestionnaireAnswer(prisma, a),
      stats: (branchId: string) => survey.questionnaireStats(prisma, { branchId }),
    },
    licences: {
      overview: (orgId: string, requests?: number) => licences.overview(prisma, orgId, requests),
      requests: (orgId: string, limit: number) => licences.requests(prisma, orgId, limit),
      licence: (orgId: string, licenceId: string) => licences.licence(prisma, orgId, licenceId),
      licenceOfAppendix: (orgId: string, appendixId: string) =>
        licences.licenceOfAppendix(prisma, orgId, appendixId),
      start: (
        a: Parameters<typeof licences.startRequests>[1],
        allow: Parameters<typeof licences.startRequests>[2],
      ) => licences.startRequests(prisma, a, allow),
      processing: (requestId: string) => licences.processingRequest(prisma, requestId),
      complete: (requestId: string, data: Parameters<typeof licences.completeRequest>[2], now: Date) =>
        licences.completeRequest(prisma, requestId, data, now),
      fail: (requestId: string, error: string, now: Date) =>
        licences.failRequest(prisma, requestId, error, now),
    },
    /** The branch manager's picture and exports (issue 15). */
    dashboard: {
      branch: (args: Parameters<typeof dashboard.branchDashboard>[1]) =>
        dashboard.branchDashboard(prisma, args),
      registerRows: (regionCode: string) => dashboard.registerExportRows(prisma, regionCode),
      decisionRows: (q: Parameters<typeof dashboard.decisionExportRows>[1]) =>
        dashboard.decisionExportRows(prisma, q),
    },
    /** Stage deadlines and digest settings (audited), the digests' recipients and their outbox rows. */
    sla: {
      thresholds: (branchId: string) => sla.stageThresholds(prisma, branchId),
      thresholdsOfRegion: (regionCode: string) => sla.stageThresholdsOfRegion(prisma, regionCode),
      setThreshold: (args: Parameters<typeof sla.setStageThreshold>[1]) =>
        sla.setStageThreshold(prisma, args),
      history: (branchId: string, limit?: number) => sla.settingHistory(prisma, branchId, limit),
      branchDigest: (branchId: string) => sla.branchDigestSetting(prisma, branchId),
      setBranchDigest: (args: Parameters<typeof sla.setBranchDigest>[1]) => sla.setBranchDigest(prisma, args),
      staffDigest: (userId: string) => sla.staffDigestSetting(prisma, userId),
      setStaffDigest: (args: Parameters<typeof sla.setStaffDigest>[1]) => sla.setStaffDigest(prisma, args),
      branchTargets: () => sla.branchDigestTargets(prisma),
      staffSubscribers: () => sla.staffDigestSubscribers(prisma),
      writeDigests: (rows: readonly digests.DigestRow[]) => digests.writeDigestRows(prisma, rows),
      staffDigestUsers: (userIds: readonly string[]) => digests.staffDigestUsers(prisma, userIds),
    },
    classifiers: () => loadClassifiers(prisma),
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
      return true;
    },
  };
}

export type Store = ReturnType<typeof createStore>;
export type { CardData, CardEvent, CardNotice, CardSignature } from "./cards.ts";
export type { Classifiers, Named } from "./classifiers.ts";
export type {
  DraftBaseRow,
  DraftDocumentRow,
  DraftLicenceRow,
  DraftRow,
  RegionApplication,
  SaveFacts,
} from "./drafts.ts";
export type { KatoFound, KatoItem, KatoLevel } from "./katoPicker.ts";
export type { DraftListItem, WizardDraft } from "./wizard.ts";
export type { PersonContext, RedeemResult, UserRef } from "./people.ts";
export type { LicenceDetail, LicenceListRow, LicenceOverview, LicenceRequestRow } from "./licences.ts";
export type { Cursor, OpenQueueItem, SupplierListFilter, SupplierListItem } from "./queues.ts";
export type { RegisterFilter, RegisterItem } from "./register.ts";
