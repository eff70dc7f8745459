-- The staff queues and the close of a decided step (bot/features/staff/screens.ts queueScreen, prisma/store/applications.ts openQueuePage).

-- One small partial index serves every role's queue in date order (keyset on statusChangedAt, id).
-- Raw SQL: Prisma's schema language cannot express a partial index, so schema.prisma does not list it;
-- test/store/schema.test.ts accepts it by name (EXTRA_INDEXES).
CREATE INDEX "Application_open_queue_idx" ON "Application" ("regionCode", "statusChangedAt", "id") WHERE "status" IN ('UNDER_REVIEW','AGREED_CHECK','REJECTED_CHECK','CONFIRMED_APPROVAL','REJECTED_APPROVAL');

-- CreateIndex: the checker's queue (`checkerIds @> ARRAY[me]`); schema.prisma @@index([checkerIds], type: Gin)
CREATE INDEX "Notice_checkerIds_idx" ON "Notice" USING GIN ("checkerIds");

-- CreateIndex: closing a decided step's staff messages reads the outbox by application
CREATE INDEX "Outbox_applicationId_idx" ON "Outbox"("applicationId");
