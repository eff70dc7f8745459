// Ports: what the domain needs from the outside world. Implemented by adapters (prisma/store, licensing
// registry client, signer); the domain only defines the shapes.
import type { AppSnapshot, Decision, TransitionInput } from "./contracts.ts";
import type { LicenceAppendixData } from "./licences.ts";
import type { Actor, Result, StaffRole, Status } from "./types.ts";

// ───────────── licensing registry (elicense.kz stand-in, SPEC §2, DECISIONS 20) ─────────────

export type RegistryAppendix = LicenceAppendixData;

export interface RegistryLicence {
  number: string;
  holderBin: string;
  issueDate: Date;
  licensor: string;
  activityCode: string;
  category: string;
  type: string;
  status: string;
  appendices: RegistryAppendix[];
}

export interface LicensingRegistry {
  /**
   * All licences of a holder IIN/BIN, unfiltered (the display filter is `isDisplayable`). Rejects (throws)
   * on a registry failure: the licence request becomes «Ошибка обработки».
   */
  fetchLicences(bin: string): Promise<RegistryLicence[]>;
}

// ───────────── signer (DECISIONS 14) ─────────────

/** Documents that are signed: the Consent (T6), the application (T8), the exclusion notice (X7). */
export type SignedDocumentKind = "CONSENT" | "APPLICATION" | "EXCLUSION_NOTICE";

/**
 * The default method: the verified user confirms the exact document (shown with its SHA-256) by an explicit
 * confirmation step. This is NOT a qualified electronic digital signature (ЭЦП); a real EDS provider can be
 * plugged in behind the same port and reports its own method name.
 */
export const CONFIRMATION_SIGNATURE_METHOD = "telegram-confirmation";

export interface SignRequest {
  documentSha256: string;
  signerUserId: string;
  kind: SignedDocumentKind;
}

export interface SignatureRecord {
  /** CONFIRMATION_SIGNATURE_METHOD or the provider's name. */
  method: string;
  /** The hash that was signed (equals the request's documentSha256). */
  sha256: string;
  signedAt: Date;
}

export interface Signer {
  sign(request: SignRequest): Promise<SignatureRecord>;
}

// ───────────── clock ─────────────

export interface Clock {
  now(): Date;
}

/** A clock that always returns the same moment (tests, replays). */
export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });

// ───────────── application repository (the store) ─────────────

/** What `apply` did: the new optimistic-lock version, and the new version's id for T20. */
export interface ApplyOutcome {
  version: number;
  /** T20 (newVersion): the id of the created version in «Проект». */
  newApplicationId?: string;
}

/**
 * The store. `apply` executes a Decision in one transaction (new state + audit row + outbox rows) with
 * `UPDATE … WHERE id = $1 AND version = $2`. Error codes: "not_found", "version_conflict" (params: who
 * decided and when, DECISIONS 16).
 */
export interface ApplicationRepository {
  load(id: string): Promise<AppSnapshot | null>;
  apply(
    id: string,
    expectedVersion: number,
    decision: Decision,
    actor: Actor,
    input: TransitionInput,
  ): Promise<Result<ApplyOutcome>>;
}

export const REPOSITORY_ERROR_CODES = ["not_found", "version_conflict"] as const;

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
