// Ports: what the domain needs from the outside world. Implemented by adapters (prisma/store, licensing
// registry client, signer); the domain only defines the shapes.
import type { AppSnapshot, Decision, TransitionInput } from "./contracts.ts";
import type { LicenceAppendixData } from "./licences.ts";
import type { Actor, Result } from "./types.ts";

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
