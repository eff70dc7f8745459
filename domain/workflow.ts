// Workflow facts DERIVED from the transition table (domain/transitions.ts). Nothing here is written by hand
// per status: change a row of the table and the queues, reminders, stages, open/final statuses and the
// closing of a decided step's messages follow.
import type { Audience } from "./contracts.ts";
import { NOTIFICATION_KINDS, type NotificationKind } from "./notifications.ts";
import { SUPERSEDED_STATUS, TRANSITIONS, type TransitionRow, type Who } from "./transitions.ts";
import { STATUSES, type StaffRole, type Status } from "./types.ts";

/** Final statuses: where a final decision of the Fund leads, and what a superseded version becomes. */
export const FINAL_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => s === SUPERSEDED_STATUS || TRANSITIONS.some((r) => r.final && r.to === s),
);

/** Open statuses: every other one (DECISIONS 8: one open application per organisation and region). */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

export const isFinalStatus = (s: Status | "DELETED"): boolean =>
  s !== "DELETED" && FINAL_STATUSES.includes(s);
export const isOpenStatus = (s: Status | "DELETED"): boolean => s !== "DELETED" && OPEN_STATUSES.includes(s);

/** Which side of the process acts in a stage. */
export type Side = "SUPPLIER" | "HEAD" | "FUND";

/** The name of a stage for deadlines and charts (SLA thresholds are per branch and stage). */
export type StageName = "draft" | "head" | "review" | "check" | "approval";

export interface Stage {
  status: Status;
  /** Who moves the application on from this status (the roles of the rows that leave it). */
  actors: readonly Who[];
  side: Side;
  name: StageName;
  /** The Fund role whose queue shows this status (staff stages only). */
  staffRole?: StaffRole;
  /** Who is told and reminded: the people who must act. */
  audience: Audience;
}

const STAFF_WHO: Partial<Record<Who, StaffRole>> = {
  REVIEWER: "REVIEWER",
  CHECKER: "CHECKER",
  APPROVER: "APPROVER",
};
const STAFF_AUDIENCE: Record<StaffRole, Audience> = {
  REVIEWER: "BRANCH_REVIEWERS",
  CHECKER: "BRANCH_CHECKERS",
  APPROVER: "BRANCH_APPROVERS",
  MANAGER: "BRANCH_MANAGERS",
};
const STAGE_NAME: Record<StaffRole, StageName> = {
  REVIEWER: "review",
  CHECKER: "check",
  APPROVER: "approval",
  MANAGER: "review",
};

/** The rows that move an application out of a status (not counting notice-only or version-only rows). */
const leaving = (s: Status): TransitionRow[] => TRANSITIONS.filter((r) => r.from === s && r.to !== s);

function stageOf(s: Status): Stage | null {
  if (!OPEN_STATUSES.includes(s)) return null;
  const rows = leaving(s);
  const actors = [...new Set(rows.flatMap((r) => r.roles))];
  const staff = actors.map((w) => STAFF_WHO[w]).find((r): r is StaffRole => !!r);
  if (staff) {
    // A guard that limits the row to the chosen checkers makes them the stage's audience.
    const chosen = rows.some((r) => r.guards.includes("chosenChecker"));
    return {
      status: s,
      actors,
      side: "FUND",
      name: STAGE_NAME[staff],
      staffRole: staff,
      audience: chosen ? "CHOSEN_CHECKERS" : STAFF_AUDIENCE[staff],
    };
  }
  if (actors.includes("SIGNER") || actors.includes("HEAD"))
    return { status: s, actors, side: "HEAD", name: "head", audience: "HEADS" };
  return { status: s, actors, side: "SUPPLIER", name: "draft", audience: "AUTHOR" };
}

/** Every open status with its stage. */
export const STAGES: Readonly<Partial<Record<Status, Stage>>> = Object.fromEntries(
  OPEN_STATUSES.map((s) => [s, stageOf(s)]).filter(([, st]) => st !== null),
);

export const stageFor = (s: Status): Stage | null => STAGES[s] ?? null;

/** The statuses each Fund role's queue shows (MANAGER: every Fund stage of the branch). */
const queueOf = (role: StaffRole): Status[] =>
  OPEN_STATUSES.filter((s) => {
    const st = STAGES[s];
    return st?.side === "FUND" && (role === "MANAGER" || st.staffRole === role);
  });
export const QUEUE_STATUSES: Readonly<Record<StaffRole, readonly Status[]>> = {
  REVIEWER: queueOf("REVIEWER"),
  CHECKER: queueOf("CHECKER"),
  APPROVER: queueOf("APPROVER"),
  MANAGER: queueOf("MANAGER"),
};

/** The Fund stages: where an application waits for the branch (reminders, SLA, the manager's picture). */
export const FUND_STAGE_STATUSES: readonly Status[] = QUEUE_STATUSES.MANAGER;

/** Who is reminded when an application waits too long in a status (the stage's audience), and the escalation. */
export interface ReminderRule {
  status: Status;
  remind: Audience;
  escalate: Audience;
}
export const REMINDER_RULES: readonly ReminderRule[] = FUND_STAGE_STATUSES.map((s) => ({
  status: s,
  remind: (STAGES[s] as Stage).audience,
  escalate: "BRANCH_MANAGERS",
}));

/**
 * Notification kinds whose messages carry the buttons of the next step: the intents a row sends to the people
 * who must act in the status it leads to (status pushes excepted). Their messages are closed (edited: who
 * decided, when; no buttons) when that step ends. Reminders and escalations about a step close with it too.
 */
export const STAGE_MESSAGE_KINDS: readonly string[] = [
  ...new Set(
    TRANSITIONS.flatMap((r) => {
      const st = r.to === "DELETED" ? null : stageFor(r.to);
      return st ? r.notify.filter((n) => n.audience === st.audience && n.kind !== "status_changed") : [];
    }).map((n) => n.kind),
  ),
  "reminder",
  "escalation",
];
const STAGE_KIND_SET: ReadonlySet<string> = new Set(STAGE_MESSAGE_KINDS);
export const isStageMessageKind = (kind: string): boolean => STAGE_KIND_SET.has(kind);

/**
 * The ONE "is this step still open" rule, used by the store (closing the step in the decision's transaction)
 * and by the outbox worker (a message about a decided step is not sent, and is closed if the decision came
 * while it was on its way). A stage message belongs to the stage that began at `stageAt` (the application's
 * `statusChangedAt` when the message was written); the stage is over once the status has changed since.
 */
export function isStageLive(
  message: { kind: string; stageAt: Date | null },
  app: { statusChangedAt: Date } | null,
): boolean {
  if (!isStageMessageKind(message.kind)) return true;
  if (!app) return false;
  return message.stageAt === null || message.stageAt.getTime() === app.statusChangedAt.getTime();
}

/**
 * DECISIONS 13: a status push reaches the supplier's side silently while the application is at an
 * intermediate Fund stage; final decisions and the statuses that ask the supplier or the head to act are loud.
 */
export function isSilentStatusPush(to: Status | "DELETED"): boolean {
  if (to === "DELETED") return false;
  return STAGES[to]?.side === "FUND";
}

/** The notification kinds a row may send (every kind must have a template in both languages). */
export const KNOWN_NOTIFICATION_KINDS: readonly string[] = [
  ...NOTIFICATION_KINDS,
  "reminder",
  "escalation",
  "stage_closed",
];
export type { NotificationKind };
