-- Failed notifications are visible: when a row failed for good (a permanent Telegram refusal such as 403 "bot was
-- blocked"), listed newest first by prisma/store/outbox.ts listFailedOutbox (the admins' command).
ALTER TABLE "Outbox" ADD COLUMN "failedAt" TIMESTAMP(3);

-- Rows that failed before this column existed: their last attempt is the best time known.
UPDATE "Outbox" SET "failedAt" = "nextAttemptAt" WHERE "status" = 'FAILED';

-- CreateIndex: the failed rows, newest first (and their count for /metrics)
CREATE INDEX "Outbox_status_failedAt_idx" ON "Outbox"("status", "failedAt");
