// «Мои заявки» (seed 000 §1.2, issue 11 supplier side): the applications of the user's organisations with the
// seed's search filter (status, region, period, number), paged, in ONE statement; «Просмотр» with the full
// content and the actions the table allows; «Просмотр версий». Unsaved drafts are their author's alone
// (DECISIONS 28: the store's statements say so).
import { type Memberships, orgIdsOf } from "../domain/access.ts";
import { astanaParts, fromAstana } from "../domain/calendar.ts";
import type { TransitionFacts } from "../domain/ports.ts";
import { allowedActions } from "../domain/stateMachine.ts";
import { type Action, STATUSES, type Status } from "../domain/types.ts";
import type { CardData, SupplierListFilter, SupplierListItem } from "../prisma/store/index.ts";
import type { AppPorts } from "./ports.ts";

export const LIST_PAGE = 5;

/** «период»: this month, the last 3 months, this year (Astana time). */
export const PERIODS = ["month", "quarter", "year"] as const;
export type Period = (typeof PERIODS)[number];

/** The search filter as the person set it (ids only: it lives in the session). */
export interface ListFilter {
  status?: Status;
  region?: string;
  period?: Period;
  /** The beginning of an application's number (its short id). */
  number?: string;
}

export interface ListPage {
  items: SupplierListItem[];
  total: number;
  page: number;
  pages: number;
}

export interface SupplierView {
  facts: TransitionFacts;
  card: CardData;
  /** The supplier's allowed actions (buttons of the drafts feature). */
  actions: Action[];
}

/** The first moment of the period that contains `now`, in Astana time (as a UTC instant). */
export function periodStart(period: Period, now: Date): Date {
  const a = astanaParts(now);
  if (period === "year") return fromAstana(a.year, 1, 1) as Date;
  if (period === "month") return fromAstana(a.year, a.month, 1) as Date;
  const m = a.month - 2; // this month and the two before it
  return (m >= 1 ? fromAstana(a.year, m, 1) : fromAstana(a.year - 1, m + 12, 1)) as Date;
}

/** What a person types as a number («№ 1A2B3C4D», «1a2b-3c»): the hex digits and dashes, lower case; or null. */
export function normaliseNumber(raw: string): string | null {
  const s = raw.trim().replace(/^№\s*/, "").replace(/\s+/g, "").toLowerCase();
  return /^[0-9a-f][0-9a-f-]{0,35}$/.test(s) ? s : null;
}

/** The store's filter for the person's filter (statuses and regions only from the known lists). */
export function storeFilter(f: ListFilter | undefined, now: Date): SupplierListFilter {
  const out: SupplierListFilter = {};
  if (!f) return out;
  if (f.status && (STATUSES as readonly string[]).includes(f.status)) out.statuses = [f.status];
  if (f.region) out.regionCode = f.region;
  if (f.period) out.from = periodStart(f.period, now);
  if (f.number) out.number = f.number;
  return out;
}

export const isFilterEmpty = (f: ListFilter | undefined): boolean =>
  !f || (!f.status && !f.region && !f.period && !f.number);

export function supplierUseCases(ports: AppPorts) {
  const store = ports.store;
  return {
    /** One page of «Мои заявки» (ONE statement: the page and the total). */
    async list(a: {
      userId: string;
      memberships: Memberships;
      page: number;
      filter?: ListFilter;
    }): Promise<ListPage> {
      if (!orgIdsOf(a.memberships).length) return { items: [], total: 0, page: 0, pages: 1 };
      const page = Math.max(0, Math.min(100_000, Math.floor(a.page) || 0));
      const r = await store.queues.supplier(a.userId, {
        offset: page * LIST_PAGE,
        limit: LIST_PAGE,
        filter: storeFilter(a.filter, ports.clock.now()),
      });
      const pages = Math.max(1, Math.ceil(r.total / LIST_PAGE));
      return { items: r.items, total: r.total, page, pages };
    },

    /**
     * «Просмотр»: the application for a member of its organisation (an unsaved draft only for its author), with
     * the actions the table allows them now. ONE statement.
     */
    async open(applicationId: string, userId: string): Promise<SupplierView | null> {
      const r = await store.applications.factsAndCard(applicationId, userId);
      if (!r || r.facts.actor.orgRoles.length === 0) return null;
      if (!r.facts.snapshot.saved && r.facts.snapshot.authorId !== userId) return null;
      return { ...r, actions: allowedActions(r.facts.snapshot, r.facts.actor) };
    },

    /** «Просмотр версий»: the versions of the chain the user may see, oldest first (ONE statement). */
    versions: (applicationId: string, userId: string) => store.queues.versionsOf(applicationId, userId),
  };
}

export type SupplierUseCases = ReturnType<typeof supplierUseCases>;
