// Electronic licences (SPEC §2): own/linked BIN rule, display filter, 24-hour freshness, request statuses.
import { isValidIinBin, normalizeIinBin } from "./iin.ts";
import type { DomainError, LicenceRequestStatus, Result } from "./types.ts";
import { fail, ok } from "./types.ts";

/** One appendix (приложение к лицензии), as fetched from the licensing registry. */
export interface LicenceAppendixData {
  number: string;
  /** Licence subtype codes of the appendix (A15B, L61I, L64A, ...). */
  licenceSubtypes: readonly string[];
  /** ЕКМУ care subtypes the appendix allows (what A6/A7 may offer). */
  careSubtypes: readonly string[];
  /** Production-base addresses (pre-fill Section C). */
  addresses: readonly string[];
}

/** A licence as the domain sees it (DECISIONS 20). */
export interface LicenceData {
  number: string;
  /** The holder's IIN/BIN (own or linked). */
  holderBin?: string;
  issueDate: Date;
  licensor: string;
  /** Activity type: A15 | L60 | L61 | L64 | ... */
  activityCode: string;
  /** «Лицензия на вид деятельности» (the source also spells it «деяятельности»). */
  category: string;
  /** «генеральная лицензия». */
  type: string;
  /** «Действительный». */
  status: string;
  appendices: readonly LicenceAppendixData[];
}

/** Error codes of this module. */
export const LICENCE_ERROR_CODES = [
  "iin_bin_format",
  "iin_bin_checksum",
  "bin_not_linked",
  "request_not_processing",
  "request_in_progress",
  "licence_not_eligible",
  "licence_bin_not_allowed",
] as const;

/** Activity types shown in «Все лицензии» (SPEC §2.4). */
export const DISPLAYED_ACTIVITY_CODES = ["A15", "L60", "L61", "L64"] as const;

/** Accepted spellings of the category, compared after normalisation (the typo is in the source data). */
export const LICENCE_CATEGORY_VALUES = [
  "лицензия на вид деятельности",
  "лицензия на вид деяятельности",
] as const;
/** Accepted spellings of the type (§2.4 «генеральная лицензия», §2.7 «Генеральная»). */
export const LICENCE_TYPE_VALUES = ["генеральная лицензия", "генеральная"] as const;
export const LICENCE_VALID_STATUS_VALUES = ["действительный"] as const;

/** DECISIONS 1: licence data must have been fetched within the last 24 hours. */
export const LICENCE_FRESHNESS_MS = 24 * 60 * 60 * 1000;
/** A request «В обработке» older than this is treated as stuck: a new request may be started. */
export const LICENCE_REQUEST_TIMEOUT_MS = 15 * 60 * 1000;

/** Lower case, «ё» → «е», single spaces, no surrounding spaces or quotes. */
export function normalizeLabel(value: string): string {
  return value.toLowerCase().replace(/ё/g, "е").replace(/[«»"]/g, "").replace(/\s+/g, " ").trim();
}

export type LicenceFilterFailure = "activity" | "category" | "type" | "status";

/** Which conditions of SPEC §2.4 a licence fails (empty = shown in «Все лицензии»). */
export function displayFilterFailures(
  licence: Pick<LicenceData, "activityCode" | "category" | "type" | "status">,
): LicenceFilterFailure[] {
  const failures: LicenceFilterFailure[] = [];
  const activity = licence.activityCode.trim().toUpperCase();
  if (!(DISPLAYED_ACTIVITY_CODES as readonly string[]).includes(activity)) failures.push("activity");
  if (!(LICENCE_CATEGORY_VALUES as readonly string[]).includes(normalizeLabel(licence.category)))
    failures.push("category");
  if (!(LICENCE_TYPE_VALUES as readonly string[]).includes(normalizeLabel(licence.type)))
    failures.push("type");
  if (!(LICENCE_VALID_STATUS_VALUES as readonly string[]).includes(normalizeLabel(licence.status)))
    failures.push("status");
  return failures;
}

/** SPEC §2.4 / I-LICENCES: A15/L60/L61/L64, category «Лицензия на вид деятельности», general, valid. */
export function isDisplayable(
  licence: Pick<LicenceData, "activityCode" | "category" | "type" | "status">,
): boolean {
  return displayFilterFailures(licence).length === 0;
}

export function filterDisplayable<
  T extends Pick<LicenceData, "activityCode" | "category" | "type" | "status">,
>(licences: readonly T[]): T[] {
  return licences.filter(isDisplayable);
}

/** What the own/linked-BIN rule needs to know about the organisation. */
export interface LicenceOwner {
  bin: string;
  /** BINs from «Данные о филиалах/реорганизованных организациях». */
  linkedBins: readonly string[];
}

/**
 * SPEC §2.3: licences may be requested only for the organisation's own IIN/BIN or a linked BIN.
 * Errors: "iin_bin_format" / "iin_bin_checksum" (not a valid IIN/BIN), "bin_not_linked".
 */
export function canRequestFor(bin: string, org: LicenceOwner): Result<"OWN" | "LINKED"> {
  const value = normalizeIinBin(bin);
  if (!/^\d{12}$/.test(value)) return fail({ code: "iin_bin_format", field: "bin", params: { length: 12 } });
  if (!isValidIinBin(value)) return fail({ code: "iin_bin_checksum", field: "bin" });
  if (value === org.bin) return ok("OWN");
  if (org.linkedBins.includes(value)) return ok("LINKED");
  return fail({ code: "bin_not_linked", field: "bin", params: { bin: value } });
}

/** DECISIONS 1: fetched within the last 24 hours (a timestamp slightly in the future counts as fresh). */
export function isFresh(fetchedAt: Date, now: Date, maxAgeMs: number = LICENCE_FRESHNESS_MS): boolean {
  return now.getTime() - fetchedAt.getTime() <= maxAgeMs;
}

/** The activity type a licence (sub)code belongs to: "L64A" → "L64", "A15B" → "A15", "L60" → "L60". */
export function licenceActivityCode(code: string, parents?: Readonly<Record<string, string>>): string {
  const parent = parents?.[code];
  if (parent) return parent;
  const match = /^[A-Z]+\d+/.exec(code);
  return match ? match[0] : code;
}

/** Does the licence carry a code: its activity type, or a licence subtype listed in one of its appendices. */
export function licenceHasCode(
  licence: Pick<LicenceData, "activityCode" | "appendices">,
  code: string,
): boolean {
  return licence.activityCode === code || licence.appendices.some((a) => a.licenceSubtypes.includes(code));
}

/** Production-base addresses of all appendices, in order, duplicates removed (C2 pre-fill). */
export function appendixAddresses(licences: readonly Pick<LicenceData, "appendices">[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const l of licences)
    for (const a of l.appendices)
      for (const address of a.addresses) {
        const key = normalizeLabel(address);
        if (key && !seen.has(key)) {
          seen.add(key);
          result.push(address);
        }
      }
  return result;
}

// ───────────── licence requests («Запросы по лицензиям», SPEC §2.2) ─────────────

/** Allowed status changes of one request: «В обработке» → «Обработан» | «Ошибка обработки». */
export const LICENCE_REQUEST_TRANSITIONS: Readonly<
  Record<LicenceRequestStatus, readonly LicenceRequestStatus[]>
> = {
  PROCESSING: ["PROCESSED", "FAILED"],
  PROCESSED: [],
  FAILED: [],
};

/** Error "request_not_processing" when the request is already final. */
export function completeLicenceRequest(
  from: LicenceRequestStatus,
  to: LicenceRequestStatus,
): Result<LicenceRequestStatus> {
  if (LICENCE_REQUEST_TRANSITIONS[from].includes(to)) return ok(to);
  return fail({ code: "request_not_processing", params: { from, to } });
}

export interface LicenceRequestInfo {
  status: LicenceRequestStatus;
  requestedAt: Date;
}

/** A request «В обработке» that is older than the timeout. */
export function isRequestStuck(
  request: LicenceRequestInfo,
  now: Date,
  timeoutMs: number = LICENCE_REQUEST_TIMEOUT_MS,
): boolean {
  return request.status === "PROCESSING" && now.getTime() - request.requestedAt.getTime() > timeoutMs;
}

/**
 * «Получить лицензии»: a new request may start unless one is still «В обработке» (and not stuck).
 * Error: "request_in_progress". A failed request may always be retried (DECISIONS 1).
 */
export function canStartLicenceRequest(latest: LicenceRequestInfo | null, now: Date): Result<true> {
  if (latest && latest.status === "PROCESSING" && !isRequestStuck(latest, now))
    return fail({ code: "request_in_progress", params: { requestedAt: latest.requestedAt.toISOString() } });
  return ok(true);
}

/**
 * What the wizard should do about licence data (DECISIONS 1):
 * FRESH – use the stored licences; PROCESSING – wait for the running request;
 * FAILED – show «Ошибка обработки» with a retry; REQUEST – start a request (data missing or older than 24 h).
 */
export type LicenceDataState = "FRESH" | "PROCESSING" | "FAILED" | "REQUEST";

export function licenceDataState(
  input: { fetchedAt: Date | null; latestRequest: LicenceRequestInfo | null },
  now: Date,
): LicenceDataState {
  const req = input.latestRequest;
  if (req && req.status === "PROCESSING" && !isRequestStuck(req, now)) return "PROCESSING";
  if (input.fetchedAt && isFresh(input.fetchedAt, now)) return "FRESH";
  if (req && (req.status === "FAILED" || isRequestStuck(req, now))) {
    // a failure after the last successful fetch is shown; an old failure is superseded by a fresh attempt
    if (!input.fetchedAt || req.requestedAt.getTime() >= input.fetchedAt.getTime()) return "FAILED";
  }
  return "REQUEST";
}

/** Errors for the licences of a draft: not eligible for D1 (SPEC §2.4) or not own/linked (§2.3). */
export function licenceEligibilityErrors(
  licences: readonly (Pick<LicenceData, "number" | "activityCode" | "category" | "type" | "status"> & {
    holderBin?: string;
  })[],
  owner?: LicenceOwner,
): DomainError[] {
  const errors: DomainError[] = [];
  for (const l of licences) {
    const failures = displayFilterFailures(l);
    if (failures.length > 0)
      errors.push({
        code: "licence_not_eligible",
        field: "D1",
        params: { number: l.number, failed: failures.join(",") },
      });
    if (owner && l.holderBin !== undefined && !canRequestFor(l.holderBin, owner).ok)
      errors.push({
        code: "licence_bin_not_allowed",
        field: "D1",
        params: { number: l.number, bin: l.holderBin },
      });
  }
  return errors;
}
