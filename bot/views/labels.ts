// The one place each label comes from: statuses (namespace `status:labels`), roles, decision kinds, errors
// (namespace `errors`, keyed by the DomainError code; a test checks every code has both texts).
import type { DomainError } from "../../domain/types.ts";
import type { Translate } from "../kit/i18n.ts";

export const statusLabel = (t: Translate, status: string): string =>
  t(`status:labels.${status}`, { defaultValue: status });

export const roleLabel = (t: Translate, role: string): string =>
  t(`common:roles.${role}`, { defaultValue: role });

export const kindLabel = (t: Translate, kind: string): string =>
  t(`notify:kind.${kind}`, { defaultValue: kind });

/** A domain error in the reader's language (a code without a text says so, with the code, never raw). */
export function errorText(t: Translate, e: DomainError | undefined): string {
  if (!e) return t("errors:generic", { code: "" });
  return t(`errors:${e.code}`, { ...(e.params ?? {}), defaultValue: t("errors:generic", { code: e.code }) });
}

/** The first error of a list, as text. */
export const firstError = (t: Translate, errors: readonly DomainError[]): string => errorText(t, errors[0]);
