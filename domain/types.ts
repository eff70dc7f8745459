// Core vocabulary of the register. Pure: no I/O, no clock, no framework.
// The string values are the same as the Prisma enums in prisma/schema.prisma.

export const STATUSES = [
  "DRAFT", // «Проект»
  "HEAD_APPROVAL", // «На согласовании руководителя»
  "UNDER_REVIEW", // «На рассмотрении»
  "AGREED_CHECK", // «Согласована. На проверке»
  "REJECTED_CHECK", // «Отклонена. На проверке» (rejection or exclusion under check)
  "CONFIRMED_APPROVAL", // «Подтверждена. На согласовании» (inclusion or exclusion pending approval)
  "REJECTED_APPROVAL", // «Отклонена. На согласовании»
  "INCLUDED", // «Включен в БД»
  "REJECTED", // «Отклонена»
  "CHANGED", // «Изменена»
  "EXCLUDED", // «Исключен из БД»
] as const;
export type Status = (typeof STATUSES)[number];

export const DECISION_KINDS = ["INCLUSION", "REJECTION", "EXCLUSION"] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const SUBJECT_ROLES = ["SUPPLIER", "CO_EXECUTOR"] as const;
/** «Поставщик» / «Соисполнитель» (A5). */
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

export const ORG_ROLES = ["SUPPLIER", "ORG_ADMIN", "HEAD", "HEAD_ATTORNEY"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const STAFF_ROLES = ["REVIEWER", "CHECKER", "APPROVER", "MANAGER"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const LICENCE_REQUEST_STATUSES = ["PROCESSING", "PROCESSED", "FAILED"] as const;
export type LicenceRequestStatus = (typeof LICENCE_REQUEST_STATUSES)[number];

/** Every action of SPEC §4 (T1–T20, X1–X7). Bot code refers to actions, never to status strings. */
export const ACTIONS = [
  "CREATE", // T1
  "EDIT", // T2 (an answer written to the draft)
  "SAVE", // T1/T2 «Сохранить»
  "DELETE", // T3
  "GENERATE_FORM", // T4
  "SEND_TO_HEAD", // T5
  "HEAD_SIGN_CONSENT", // T6
  "HEAD_REJECT", // T7
  "HEAD_SUBMIT", // T8
  "FORM_INCLUSION_NOTICE", // T9
  "FORM_REJECTION_NOTICE", // T10
  "DELETE_NOTICE", // T11, X2
  "SEND_TO_CHECK", // T12, T13
  "CHECKER_CONFIRM", // T14, T15, X5
  "CHECKER_REFUSE", // T16, X4
  "APPROVER_APPROVE", // T17, T18
  "APPROVER_REFUSE", // T19, X6
  "MAKE_CHANGES", // T20
  "FORM_EXCLUSION_NOTICE", // X1
  "SEND_EXCLUSION_TO_CHECK", // X3
  "APPROVE_EXCLUSION", // X7 (through the Signer port)
] as const;
export type Action = (typeof ACTIONS)[number];

/** Who acts. Roles are re-read from the database for every action. */
export interface Actor {
  userId: string;
  /** Roles in the application's organisation (empty for Fund staff). */
  orgRoles: readonly OrgRole[];
  /** Roles in the Fund branch of the application's region (empty for suppliers). */
  staffRoles: readonly StaffRole[];
}

/** A domain error: a code and parameters; the bot turns it into kk/ru text. */
export interface DomainError {
  code: string;
  params?: Record<string, string | number>;
  /** Which field or section it concerns (for "jump to the section"). */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: DomainError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...errors: DomainError[]): Result<T> => ({ ok: false, errors });

/** File constraints (DECISIONS 18, G5). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const ALLOWED_MIME_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
