// Is the staff step a message was about still open? A message is "live" while the application stays in the
// status its step opened (payload.stageStatus, written by the store) and no later audited decision moved it
// out of that status (a round trip UNDER_REVIEW → check → UNDER_REVIEW closes the first round's messages).
import type { Status } from "../../domain/types.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";

/** Staff kinds: messages that carry decision buttons and are edited when their step is decided. */
export const STAFF_KINDS: ReadonlySet<string> = new Set([
  "new_for_review",
  "returned_for_review",
  "check_requested",
  "approval_requested",
  "reminder",
  "escalation",
]);

/** Kinds whose messages carry buttons and are edited when their step is decided: the head's and the staff's. */
export const STAGE_KINDS: ReadonlySet<string> = new Set(["head_approval_requested", ...STAFF_KINDS]);

/** Fallback when a payload has no stageStatus. */
const LIVE_BY_KIND: Record<string, readonly Status[]> = {
  head_approval_requested: ["HEAD_APPROVAL"],
  new_for_review: ["UNDER_REVIEW"],
  returned_for_review: ["UNDER_REVIEW"],
  check_requested: ["AGREED_CHECK", "REJECTED_CHECK"],
  approval_requested: ["CONFIRMED_APPROVAL", "REJECTED_APPROVAL"],
};

export interface StageRow {
  kind: string;
  applicationId: string | null;
  payload: unknown;
}

export interface StageState {
  live: boolean;
  /** The audited decision that closed the step (when known). */
  closedBy?: { actorId: string | null; at: Date; action: string; toStatus: Status | null };
}

export function liveStatuses(row: StageRow): readonly Status[] | null {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  if (typeof p.stageStatus === "string") return [p.stageStatus as Status];
  return LIVE_BY_KIND[row.kind] ?? null;
}

export async function stageState(
  prisma: PrismaClient,
  row: StageRow,
  current?: { status: Status },
): Promise<StageState> {
  if (!row.applicationId || !STAGE_KINDS.has(row.kind)) return { live: true };
  const live = liveStatuses(row);
  if (!live) return { live: true };
  const app =
    current ??
    (await prisma.application.findUnique({ where: { id: row.applicationId }, select: { status: true } }));
  if (!app) return { live: false };
  const p = (row.payload ?? {}) as Record<string, unknown>;
  // The audit row of the transition that wrote this message (same action and time), if any.
  const opened =
    typeof p.action === "string" && typeof p.at === "string"
      ? await prisma.auditEvent.findFirst({
          where: { applicationId: row.applicationId, action: p.action, at: new Date(p.at) },
          orderBy: { id: "desc" },
          select: { id: true },
        })
      : null;
  const closing = await prisma.auditEvent.findFirst({
    where: {
      applicationId: row.applicationId,
      ...(opened ? { id: { gt: opened.id } } : {}),
      fromStatus: { in: [...live] },
      NOT: { toStatus: { in: [...live] } },
    },
    orderBy: { id: "asc" },
    select: { actorId: true, at: true, action: true, toStatus: true },
  });
  if (!live.includes(app.status)) return { live: false, closedBy: closing ?? undefined };
  if (opened && closing) return { live: false, closedBy: closing };
  return { live: true };
}

/**
 * After a decision: give every sent staff message of the application whose step is over a "stage_closed" edit
 * row (who decided and when, no buttons). Idempotent (eventKey close:<row id>); safe from any process.
 */
export async function closeStaleStaffMessages(prisma: PrismaClient, applicationId: string): Promise<number> {
  const app = await prisma.application.findUnique({ where: { id: applicationId }, select: { status: true } });
  if (!app) return 0;
  const rows = await prisma.outbox.findMany({
    where: { applicationId, status: "SENT", messageId: { not: null }, kind: { in: [...STAGE_KINDS] } },
  });
  if (!rows.length) return 0;
  const done = new Set(
    (
      await prisma.outbox.findMany({
        where: { applicationId, kind: "stage_closed" },
        select: { eventKey: true },
      })
    ).map((r) => r.eventKey),
  );
  const data = [];
  const names = new Map<string, string | null>();
  for (const r of rows) {
    if (done.has(`close:${r.id}`)) continue;
    const st = await stageState(prisma, r, app);
    if (st.live) continue;
    const actorId = st.closedBy?.actorId ?? null;
    if (actorId && !names.has(actorId)) {
      const u = await prisma.user.findUnique({ where: { id: actorId }, select: { fullName: true } });
      names.set(actorId, u?.fullName ?? null);
    }
    data.push({
      eventKey: `close:${r.id}`,
      chatId: r.chatId,
      userId: r.userId,
      applicationId,
      stageKey: r.stageKey,
      kind: "stage_closed",
      payload: {
        outboxId: String(r.id),
        messageId: r.messageId,
        decidedBy: actorId ? (names.get(actorId) ?? null) : null,
        decidedAt: (st.closedBy?.at ?? new Date()).toISOString(),
        toStatus: st.closedBy?.toStatus ?? app.status,
        action: st.closedBy?.action ?? null,
      },
    });
  }
  if (!data.length) return 0;
  return (await prisma.outbox.createMany({ data, skipDuplicates: true })).count;
}
