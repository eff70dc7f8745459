// The branch manager's picture (issue 15): who may see which branch's dashboard, its data for a period, the
// exports, the stage deadlines (editable by a manager, audited), the digest settings, and the digests' outbox
// rows. Reads and writes go through the store; every calendar rule is domain/sla.ts.
import type { Memberships } from "../domain/access.ts";
import { staffRolesOf } from "../domain/access.ts";
import type { BranchDashboard, ExportRow } from "../domain/dashboard.ts";
import {
  branchDigestSlot,
  type DashboardPeriod,
  digestEventKey,
  periodRange,
  type SlaStage,
  type StageClock,
  type StageThresholds,
  stageClock,
  stageOfStatus,
  staffDigestSlot,
} from "../domain/sla.ts";
import type { Result, Status } from "../domain/types.ts";
import { fail } from "../domain/types.ts";
import type { DigestRow } from "../prisma/store/digests.ts";
import type { SettingChanged } from "../prisma/store/slaSettings.ts";
import type { AppPorts } from "./ports.ts";
import type { QueuePage, staffUseCases } from "./staff.ts";

/** How one person may see a branch's dashboard: a manager also exports and edits; an approver only reads. */
export interface DashboardAccess {
  branchId: string;
  manager: boolean;
}

/** Outbox kinds of the digests (bot/outbox/digest.ts renders them). */
export const DIGEST_KINDS = { branch: "digest_branch", staff: "digest_staff" } as const;

/** The branches whose dashboard this person may see, the ones they manage first. */
export function dashboardBranches(m: Memberships): DashboardAccess[] {
  const out = new Map<string, DashboardAccess>();
  for (const s of m.staff) {
    if (s.role !== "MANAGER" && s.role !== "APPROVER") continue;
    const had = out.get(s.branchId);
    out.set(s.branchId, { branchId: s.branchId, manager: (had?.manager ?? false) || s.role === "MANAGER" });
  }
  return [...out.values()].sort((a, b) => Number(b.manager) - Number(a.manager));
}

/** The access to one branch (null: neither its manager nor its approver). */
export function accessTo(m: Memberships, branchId?: string): DashboardAccess | null {
  const all = dashboardBranches(m);
  return (branchId ? all.find((a) => a.branchId === branchId) : all[0]) ?? null;
}

export type ExportKind = "register" | "decisions";

/** The deadline line's data: the stage clock and the moment it was read at. */
export interface Deadline {
  clock: StageClock;
  now: Date;
}

/** How long a region's thresholds are kept in memory (a change in this process drops them at once). */
const THRESHOLDS_TTL_MS = 60_000;

export function dashboardUseCases(ports: AppPorts, staff: ReturnType<typeof staffUseCases>) {
  const store = ports.store;
  const now = () => ports.clock.now();
  const cache = new Map<string, { at: number; value: StageThresholds | null }>();
  const regionThresholds = async (regionCode: string) => {
    const hit = cache.get(regionCode);
    if (hit && Date.now() - hit.at < THRESHOLDS_TTL_MS) return hit.value;
    const value = await store.sla.thresholdsOfRegion(regionCode);
    cache.set(regionCode, { at: Date.now(), value });
    return value;
  };
  return {
    /**
     * The deadline everyone sees: which stage holds an application, since when, the working days left or past
     * its branch's deadline. null when the status has no stage clock (drafts, decisions) or no branch.
     */
    async deadlineOf(app: {
      status: Status;
      statusChangedAt: Date;
      regionCode: string | null;
    }): Promise<Deadline | null> {
      if (!app.regionCode || !stageOfStatus(app.status)) return null;
      const th = await regionThresholds(app.regionCode);
      const at = now();
      const clock = th ? stageClock(app.status, app.statusChangedAt, th, at) : null;
      return clock ? { clock, now: at } : null;
    },
    /** The dashboard of a branch for a period (offset 0: the current one up to now; -1: the previous full one). */
    async load(
      branchId: string,
      period: DashboardPeriod,
      offset = 0,
      at: Date = now(),
    ): Promise<BranchDashboard | null> {
      return store.dashboard.branch({ branchId, now: at, period: periodRange(period, at, offset) });
    },
    /** The register (included applications) or the decisions of the period, for the branch's region. */
    async exportRows(
      branchId: string,
      kind: ExportKind,
      period: DashboardPeriod,
      offset = -1,
    ): Promise<{ regionCode: string; rows: ExportRow[]; period: { from: Date; to: Date } } | null> {
      const c = await store.classifiers();
      const b = c.branches.find((x) => x.id === branchId);
      if (!b) return null;
      const range = periodRange(period, now(), offset);
      const rows =
        kind === "register"
          ? await store.dashboard.registerRows(b.regionCode)
          : await store.dashboard.decisionRows({ regionCode: b.regionCode, ...range });
      return { regionCode: b.regionCode, rows, period: range };
    },
    thresholds: (branchId: string): Promise<StageThresholds | null> => store.sla.thresholds(branchId),
    thresholdsOfRegion: (regionCode: string) => store.sla.thresholdsOfRegion(regionCode),
    /** A manager of the branch sets one stage's deadline (audited). Error "forbidden" for anyone else. */
    async setThreshold(a: {
      memberships: Memberships;
      userId: string;
      branchId: string;
      stage: SlaStage;
      days: number;
    }): Promise<Result<SettingChanged<number>>> {
      if (!accessTo(a.memberships, a.branchId)?.manager) return fail({ code: "forbidden_role" });
      cache.clear();
      return store.sla.setThreshold({
        branchId: a.branchId,
        stage: a.stage,
        days: a.days,
        actorId: a.userId,
        now: now(),
      });
    },
    history: (branchId: string, limit?: number) => store.sla.history(branchId, limit),
    branchDigest: (branchId: string) => store.sla.branchDigest(branchId),
    /** A manager of the branch moves its weekly digest (working weekday, Astana time) or turns it off (audited). */
    async setBranchDigest(a: {
      memberships: Memberships;
      userId: string;
      branchId: string;
      weekday: number;
      minute: number;
      enabled: boolean;
    }) {
      if (!accessTo(a.memberships, a.branchId)?.manager) return fail({ code: "forbidden_role" });
      return store.sla.setBranchDigest({
        branchId: a.branchId,
        weekday: a.weekday,
        minute: a.minute,
        enabled: a.enabled,
        actorId: a.userId,
        now: now(),
      });
    },
    staffDigest: (userId: string) => store.sla.staffDigest(userId),
    /** A staff member turns their morning digest on or off, or moves its hour (audited). */
    async setStaffDigest(a: { memberships: Memberships; userId: string; enabled: boolean; hour: number }) {
      if (!a.memberships.staff.length) return fail({ code: "forbidden_role" });
      return store.sla.setStaffDigest({ userId: a.userId, enabled: a.enabled, hour: a.hour, now: now() });
    },
    /** Of these users, those who receive a morning digest instead of one push per item. */
    digestUsers: (userIds: readonly string[]) => store.sla.staffDigestUsers(userIds),

    /**
     * Write the digests due at `at`: each branch's weekly digest to its managers (the branch's schedule, moved
     * to the next working day when it falls on a holiday), each subscriber's morning digest on a working day.
     * Idempotent (one outbox row per recipient and period); returns how many rows are new.
     */
    async writeDue(at: Date = now()): Promise<{ branch: number; staff: number }> {
      const rows: DigestRow[] = [];
      for (const b of await store.sla.branchTargets()) {
        const slot = branchDigestSlot(b.schedule, at);
        if (!slot) continue;
        for (const m of b.managers)
          rows.push({
            eventKey: digestEventKey.branch(b.branchId, slot),
            chatId: m.telegramId,
            userId: m.userId,
            kind: DIGEST_KINDS.branch,
            payload: { branchId: b.branchId, slot: slot.key, at: at.toISOString() },
            dueAt: slot.dueAt,
          });
      }
      const branchRows = rows.length;
      for (const s of await store.sla.staffSubscribers()) {
        const slot = staffDigestSlot({ enabled: true, hour: s.hour }, at);
        if (!slot) continue;
        rows.push({
          eventKey: digestEventKey.staff(s.userId, slot),
          chatId: s.telegramId,
          userId: s.userId,
          kind: DIGEST_KINDS.staff,
          payload: { slot: slot.key },
          dueAt: slot.dueAt,
        });
      }
      const branch = await store.sla.writeDigests(rows.slice(0, branchRows));
      const staffN = await store.sla.writeDigests(rows.slice(branchRows));
      return { branch, staff: staffN };
    },

    /** A staff member's morning digest: the first page of each of their roles' queues, with the branch's deadlines. */
    async staffQueues(userId: string): Promise<{ page: QueuePage; thresholds: StageThresholds | null }[]> {
      const memberships = await store.people.memberships(userId);
      const roles = staffRolesOf(memberships).filter((r) => r !== "MANAGER");
      const out: { page: QueuePage; thresholds: StageThresholds | null }[] = [];
      for (const role of roles) {
        const branchId = memberships.staff.find((s) => s.role === role)?.branchId;
        out.push({
          page: await staff.queue({ userId, memberships, role }),
          thresholds: branchId ? await store.sla.thresholds(branchId) : null,
        });
      }
      return out;
    },
    memberships: (userId: string) => store.people.memberships(userId),
  };
}
