// What the outbox worker asks of the application layer: what a row turns into (the recipient's language, the
// application's card, the recipient's facts for the buttons), and the closing of a step decided while its
// message was on the way (the one "is the step still open" rule: domain/workflow.ts isStageLive), and the
// notifications that failed for good (a manager's /failed).
import { hasStaffRole, type Memberships } from "../domain/access.ts";
import { isStageLive, isStageMessageKind } from "../domain/workflow.ts";
import type { AppPorts } from "./ports.ts";

export interface OutboxRowRef {
  id: bigint;
  kind: string;
  payload: unknown;
  chatId: bigint;
  userId: string | null;
  applicationId: string | null;
  stageKey: string | null;
  stageAt: Date | null;
}

export function outboxUseCases(ports: AppPorts) {
  const store = ports.store.outbox;
  return {
    async context(row: OutboxRowRef) {
      const ctx = await store.context(row, { facts: isStageMessageKind(row.kind) });
      const live = isStageLive({ kind: row.kind, stageAt: row.stageAt }, ctx.card);
      return { ...ctx, live };
    },
    /** After a stage message was sent: close it at once if its step was decided meanwhile. */
    async afterSent(row: OutboxRowRef, messageId: number): Promise<void> {
      if (!row.applicationId || !row.stageAt || !isStageMessageKind(row.kind)) return;
      await store.closeIfDecided(
        { ...row, applicationId: row.applicationId, stageAt: row.stageAt },
        messageId,
      );
    },
    /**
     * The notifications that failed for good (a permanent Telegram refusal), newest first, and how many are
     * failed in all: for a branch manager only (null for anybody else).
     */
    async failed(m: Memberships, limit = 20) {
      if (!hasStaffRole(m, "MANAGER")) return null;
      const [rows, counts] = await Promise.all([store.listFailed({ limit }), store.counts()]);
      return { rows, total: counts.failed, pending: counts.pending };
    },
  };
}
