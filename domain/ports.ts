// The ONE set of ports: what the application layer (app/) needs from the outside world. Implementations live
// in prisma/store (the store) and adapters/ (signer, licensing registry, files, clock); the composition root
// (bot/main.ts, the test harness, the benchmarks) wires them with these types.
import type { AppSnapshot, Decision, SignedDocumentKind, TransitionInput } from "./contracts.ts";
import type { DraftPatch } from "./drafts.ts";
import type { LicenceData } from "./licences.ts";
import type { Actor, DecisionKind, StaffRole, Status } from "./types.ts";

export type { SignedDocumentKind } from "./contracts.ts";

// ───────────── clock ─────────────

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always returns the same moment (tests, replays). */
export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });

// ───────────── signer (DECISIONS 14) ─────────────

/**
 * The default method: the verified user confirms the exact document (shown with its SHA-256) by an explicit
 * confirmation step. This is NOT a qualified electronic digital signature (ЭЦП); a real EDS provider can be
 * plugged in behind the same port and reports its own method name.
 */
export const CONFIRMATION_SIGNATURE_METHOD = "telegram-confirmation";

export interface SignRequest {
  document: SignedDocumentKind;
  /** SHA-256 (hex) of the exact bytes the signer was shown. */
  sha256: string;
  signer: { userId: string; fullName: string | null };
  /** The user pressed the explicit confirmation button for this hash. */
  confirmed: boolean;
}

export type SignErrorCode = "sign_not_confirmed" | "sign_not_verified" | "sign_bad_hash" | "sign_failed";

export type SignResult =
  | { ok: true; signature: { method: string; sha256: string; signedAt: Date } }
  | { ok: false; code: SignErrorCode };

/**
 * Signs a document's hash for a person. Who may sign what is the transition table's business (roles and
 * guards of T6, T8, X7); the signer checks the person's identity and produces the record.
 */
export interface Signer {
  /** Method name stored with the signature. */
  readonly method: string;
  /** Is this a qualified EDS? (The default is not.) */
  readonly qualified: boolean;
  sign(req: SignRequest): Promise<SignResult>;
}

// ───────────── licensing registry (elicense.kz, SPEC §2, DECISIONS 20) ─────────────

export interface LicensingRegistry {
  /**
   * All licences the registry holds for a holder IIN/BIN, unfiltered (the display filter is `isDisplayable`).
   * Rejects (throws) on a registry failure: the licence request becomes «Ошибка обработки».
   */
  fetchLicences(bin: string): Promise<LicenceData[]>;
}

// ───────────── files (DECISIONS 18) ─────────────

export interface StoredFileRef {
  id: string;
  fileName: string;
  size: number;
  mimeType: string;
  sha256: string;
  /** Telegram's file_id of a copy the bot sent or received (reused when still valid). */
  telegramFileId: string | null;
}

export interface FileStore {
  /** Keep the bytes (content-addressed by SHA-256) and record the file. */
  put(
    bytes: Buffer,
    meta: {
      fileName: string;
      mimeType: string;
      telegramFileId?: string | null;
      uploadedById?: string | null;
    },
  ): Promise<StoredFileRef>;
  /** The file's record, or null. */
  meta(id: string): Promise<StoredFileRef | null>;
  /** The file's bytes, or null when the record or the bytes are gone (a clear message, never a fallback). */
  read(id: string): Promise<{ ref: StoredFileRef; bytes: Buffer } | null>;
  /** Remember Telegram's file_id of a copy the bot sent, to send it again without uploading. */
  rememberTelegramId(id: string, telegramFileId: string): Promise<void>;
}

// ───────────── the store: applications and their transitions ─────────────

/** Everything a decision on one application needs, read in one statement. */
export interface TransitionFacts {
  snapshot: AppSnapshot;
  /** The user's roles for this application (org roles in its organisation, staff roles in its branch). */
  actor: Actor;
  actorName: string | null;
  chainId: string;
  versionNo: number;
  statusChangedAt: Date;
  org: { bin: string; nameKk: string; nameRu: string };
  notice: {
    id: string;
    kind: DecisionKind;
    reasons: string[];
    note: string | null;
    additionalGround: string | null;
    createdById: string;
    checkerIds: string[];
    sentAt: Date | null;
  } | null;
  /** The checkers of the application's branch (user ids), for "the chosen checkers are checkers here". */
  branchCheckerIds: string[];
}

/** The content of a draft as the store holds it (the "before" a T2 patch is applied to). */
export interface DraftContent {
  ownershipFormCode: string | null;
  asSupplier: boolean;
  asCoExecutor: boolean;
  supplierSubtypes: string[];
  coExecutorSubtypes: string[];
  regionCode: string | null;
  hasPharmacy: boolean | null;
  bases: {
    position: number;
    address: string;
    latitude: number | null;
    longitude: number | null;
    katoCode: string | null;
    sesFileId: string | null;
    subtypes: string[];
  }[];
  licenceIds: string[];
  documents: { id: string; kind: string; fileId: string }[];
}

export interface ApplyArgs {
  facts: TransitionFacts;
  decision: Decision;
  input: TransitionInput;
  now: Date;
  /** T2: the draft as it was at the snapshot's version (the patch is applied as a difference to it). */
  before?: DraftContent;
  /** T20: what the new version starts with (refreshed licences and bases). */
  newVersion?: { id: string; licenceIds: string[]; bases: DraftPatch["bases"]; progress?: unknown };
  /** DECISIONS 13: status pushes at intermediate Fund stages are silent. */
  silentStatusPush: boolean;
}

export type ApplyResult =
  | {
      ok: true;
      version: number;
      statusChangedAt: Date;
      auditId: bigint;
      outboxRows: number;
      closedMessages: number;
    }
  /** Someone changed the application since the snapshot (the version moved): nothing was written. */
  | { ok: false; reason: "stale" }
  /** DECISIONS 8, enforced by the database: another saved open application of the organisation in the region. */
  | { ok: false; reason: "open_in_region" };

export interface LastDecision {
  userId: string | null;
  fullName: string | null;
  action: string | null;
  at: Date | null;
  version: number;
  status: Status;
}

export interface ApplicationStore {
  /** The facts of one application for one acting user; null when either does not exist. */
  facts(applicationId: string, userId: string): Promise<TransitionFacts | null>;
  /** Execute a decision taken on `facts.snapshot`, in ONE transaction, only if the version is unchanged. */
  apply(args: ApplyArgs): Promise<ApplyResult>;
  /**
   * Execute several decisions one after another in ONE transaction (T6 + T8: each decided by the caller on the
   * snapshot the previous one leaves); all or nothing: the first that is not ok rolls the others back.
   */
  applyAll(steps: readonly ApplyArgs[]): Promise<ApplyResult>;
  /** Who acted last and when ("already decided by NAME at TIME"), with the current version and status. */
  lastDecision(applicationId: string): Promise<LastDecision | null>;
}

// ───────────── notification outbox (the queue the outbox worker drains) ─────────────
//
// Rows are written by the store in the same transaction as each state change; workers in any number of
// processes deliver them. Implemented by prisma/store/outbox.ts (`outboxQueue(db)`); the worker
// (bot/outbox/worker.ts) knows only this interface.

/** A claimed outbox row, as the worker sees it. */
export interface OutboxRow {
  id: bigint;
  /** Idempotency: one notification per event and recipient (unique with chatId). */
  eventKey: string;
  chatId: bigint;
  userId: string | null;
  applicationId: string | null;
  stageKey: string | null;
  kind: string;
  payload: unknown;
  /** Claims so far, this one included (429 answers and hand-backs are not counted). */
  attempts: number;
  createdAt: Date;
  /** The stage a stage message belongs to (domain/workflow.ts isStageLive); null for other kinds. */
  stageAt: Date | null;
}

/** A row that failed for good (a permanent Telegram refusal), for the admins. */
export interface FailedOutboxRow {
  id: bigint;
  kind: string;
  chatId: bigint;
  userId: string | null;
  applicationId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

export interface OutboxCounts {
  pending: number;
  failed: number;
  /** createdAt of the oldest PENDING row (null: none). */
  oldestPendingAt: Date | null;
}

export interface OutboxQueue {
  /**
   * Lease up to `limit` due rows to `workerId` for `leaseMs` (attempts + 1): only the oldest PENDING row of a
   * chat, never one leased to another worker (per-chat order; SKIP LOCKED).
   */
  claim(workerId: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  /** Heartbeat: extend the lease of these rows to now + leaseMs; returns the ids still held by `workerId`. */
  renew(workerId: string, ids: readonly bigint[], leaseMs: number): Promise<bigint[]>;
  /**
   * Telegram accepted the message (or there is nothing to send: `messageId` null and a `note`): SENT. Not
   * conditioned on the lease (the message went out, whoever holds the row now). Returns the committed sentAt,
   * or null when the row was no longer PENDING.
   */
  markSent(id: bigint, messageId: number | null, note?: string | null): Promise<Date | null>;
  /** A permanent refusal: FAILED for good with the error (only by the lease holder). */
  markFailed(id: bigint, workerId: string, error: string): Promise<boolean>;
  /**
   * Not now: due again in `delayMs`, lease released (only by the lease holder). `countAttempt: false` gives the
   * claim's attempt back (a 429 or a hand-back is not a failed try).
   */
  retryLater(
    id: bigint,
    workerId: string,
    delayMs: number,
    error: string | null,
    opts?: { countAttempt?: boolean },
  ): Promise<boolean>;
  counts(): Promise<OutboxCounts>;
  /** The most recent FAILED rows (newest first), optionally only those failed at or after `since`. */
  listFailed(opts: { limit: number; since?: Date }): Promise<FailedOutboxRow[]>;
}

// ───────────── SLA reminders (bot/outbox/reminders.ts; implemented by prisma/store/reminders.ts) ─────────────

/** One waiting status and who is reminded while an application waits in it (see domain/sla.ts). */
export interface ReminderStageInput {
  status: Status;
  role: StaffRole;
  /** Only the checkers chosen in the latest notice (checkerIds), not every CHECKER of the branch. */
  onlyChosen: boolean;
}

export interface DueRemindersInput {
  stages: readonly ReminderStageInput[];
  /** Who gets the escalation (after the branch's escalationDays). */
  escalateTo: StaffRole;
  /**
   * Start (UTC ms) of each Astana working day up to today, newest first: an item whose status changed before
   * element d has waited more than d working days (domain/sla.ts `workingDayStarts`).
   */
  workingDayStartsMs: readonly number[];
}

export interface DueRemindersResult {
  /** false: another instance was running the reminders at that moment; nothing was done. */
  leader: boolean;
  /** Outbox rows written now (the already written ones are not counted). */
  reminders: number;
  escalations: number;
  /** Waiting items past their branch's reminder / escalation threshold (SLA breaches), written now or before. */
  overReminder: number;
  overEscalation: number;
}

export interface ReminderStore {
  /** One leader at a time; one query computes every due reminder and escalation and writes their outbox rows. */
  writeDue(input: DueRemindersInput): Promise<DueRemindersResult>;
}
