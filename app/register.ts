// The register for Fund staff (seed 000 §7, issue 11): the applications of the staff member's branch that are in
// the register now, searched by BIN/IIN or a part of the name, in keyset pages; each opens the staff card
// (app/staff.ts `open`), where the table offers «Исключить из БД». Which statuses are "in the register" is read
// from the transition table, never written here: the status a final inclusion leads to, and the statuses an
// exclusion passes through before its final decision.
import type { Memberships } from "../domain/access.ts";
import { TRANSITIONS } from "../domain/transitions.ts";
import type { Status } from "../domain/types.ts";
import type { Cursor, RegisterFilter, RegisterItem } from "../prisma/store/index.ts";
import type { ClassifierCache } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

export const REGISTER_PAGE = 5;
/** The count is read up to this many rows ("100+"). */
export const REGISTER_COUNT_CAP = 100;
/** A search needs this many characters (fewer digits of a BIN would match half the register). */
export const REGISTER_QUERY_MIN = 2;
export const REGISTER_QUERY_MAX = 100;

const uniq = (xs: readonly Status[]) => [...new Set(xs)];

/** In the register whatever is under way: where a final inclusion leads. */
export const REGISTER_INCLUDED: readonly Status[] = uniq(
  TRANSITIONS.filter((r) => r.final && r.toDecisionKind === "INCLUSION" && r.to !== "DELETED").map(
    (r) => r.to as Status,
  ),
);
/** Still in the register while an exclusion is under way (not yet decided). */
export const REGISTER_EXCLUDING: readonly Status[] = uniq(
  TRANSITIONS.filter((r) => !r.final && r.toDecisionKind === "EXCLUSION" && r.to !== "DELETED").map(
    (r) => r.to as Status,
  ),
);

/** The search text as typed, tidied: spaces collapsed, a BIN/IIN with spaces joined; null when unusable. */
export function normaliseQuery(raw: string | null | undefined): string | null {
  const s = (raw ?? "").replace(/\s+/g, " ").trim();
  if (!s) return null;
  const digits = s.replace(/[\s-]/g, "");
  if (/^\d+$/.test(digits)) return digits.length >= REGISTER_QUERY_MIN && digits.length <= 12 ? digits : null;
  return s.length >= REGISTER_QUERY_MIN && s.length <= REGISTER_QUERY_MAX ? s : null;
}

export interface RegisterRequest {
  memberships: Memberships;
  query?: string | null;
  after?: Cursor | null;
  before?: Cursor | null;
}

export interface RegisterPage {
  /** False: the person is not Fund staff (nothing was read). */
  staff: boolean;
  query: string | null;
  items: RegisterItem[];
  more: boolean;
  total: number;
}

export function registerUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  return {
    /** One page of the register of the person's branches (every staff role counts), ONE statement. */
    async page(r: RegisterRequest): Promise<RegisterPage> {
      const query = r.query ? normaliseQuery(r.query) : null;
      const branchIds = new Set(r.memberships.staff.map((s) => s.branchId));
      if (!branchIds.size) return { staff: false, query, items: [], more: false, total: 0 };
      const c = await classifiers.get();
      const regions = c.branches.filter((b) => branchIds.has(b.id)).map((b) => b.regionCode);
      const filter: RegisterFilter = {
        regions,
        included: REGISTER_INCLUDED,
        pending: { statuses: REGISTER_EXCLUDING, decisionKind: "EXCLUSION" },
        query,
      };
      const page = await ports.store.queues.register(filter, {
        limit: REGISTER_PAGE,
        after: r.after,
        before: r.before,
        cap: REGISTER_COUNT_CAP,
      });
      return { staff: true, query, ...page };
    },
  };
}

export type RegisterUseCases = ReturnType<typeof registerUseCases>;
