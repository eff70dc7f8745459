// DECISIONS 1 for the wizard: licence data fetched within 24 hours. When the organisation's licences are older (or
// missing), they are requested for its own BIN and every linked BIN (issue 10: linked-BIN licences are refreshed
// too) through the e-licences use case (app/licences.ts: «В обработке» → «Обработан» | «Ошибка обработки»), and the
// wizard continues once the requests finished.
import { filterDisplayable, isFresh } from "../domain/licences.ts";
import type { DraftLicenceRow } from "../prisma/store/index.ts";
import type { LicenceUseCases } from "./licences.ts";
import type { AppPorts } from "./ports.ts";

export type RefreshOutcome =
  | { ok: true; pool: DraftLicenceRow[]; requested: boolean }
  /** «Ошибка обработки» for the own BIN, or a request could not be started. */
  | { ok: false };

/** Displayable licences of a pool (SPEC §2.4), fetched within 24 h: none stale, at least one. */
export function poolIsFresh(pool: readonly DraftLicenceRow[], now: Date): boolean {
  const shown = filterDisplayable([...pool]);
  return shown.length > 0 && shown.every((l) => isFresh(l.fetchedAt, now));
}

export function draftLicenceUseCases(ports: AppPorts, licences: Pick<LicenceUseCases, "fetch">) {
  const store = ports.store.drafts;
  return {
    /** The organisation's displayable licences as fetched, and whether they are fresh (DECISIONS 1). */
    async check(orgId: string): Promise<{ fresh: boolean; pool: DraftLicenceRow[] }> {
      const pool = await store.orgLicences(orgId);
      return { fresh: poolIsFresh(pool, ports.clock.now()), pool: filterDisplayable(pool) };
    },
    /** Request the licences now (slow: the registry answers in seconds); the displayable pool afterwards. */
    async refresh(orgId: string, userId: string): Promise<RefreshOutcome> {
      const r = await licences.fetch({ orgId, userId });
      if (!r.ok || !r.results.some((x) => x.ok)) return { ok: false };
      return { ok: true, pool: filterDisplayable(await store.orgLicences(orgId)), requested: true };
    },
  };
}
