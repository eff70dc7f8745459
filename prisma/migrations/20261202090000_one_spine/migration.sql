-- One spine (issue 10): the facts the transition table's guards read, kept on the application row; the
-- one-open-application rule enforced by the database; the stage each message belongs to; chat state in
-- PostgreSQL (sessions and open prompts survive a Redis restart and are shared by every instance).

-- DECISIONS 28: a draft is saved once «Сохранить» passed; until then it is its author's alone.
ALTER TABLE "Application" ADD COLUMN "savedAt" TIMESTAMP(3);
-- DECISIONS 26: a form generated before the last edit is stale (editSeq counts content edits; formEditSeq is
-- editSeq when the current form was generated).
ALTER TABLE "Application" ADD COLUMN "editSeq" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Application" ADD COLUMN "formEditSeq" INTEGER;
-- Existing drafts and applications were all saved (the old flow saved before anything else happened).
UPDATE "Application" SET "savedAt" = "createdAt"
 WHERE status <> 'DRAFT' OR COALESCE(("progress"->>'saved')::boolean, false);
UPDATE "Application" SET "formEditSeq" = 0 WHERE "formFileId" IS NOT NULL;

-- Several unsaved new versions may start from one version (DECISIONS 28: an unsaved one blocks nothing).
DROP INDEX "Application_previousId_key";
CREATE INDEX "Application_previousId_idx" ON "Application"("previousId");

-- DECISIONS 8 in the database: one saved open application per organisation and region (an included one
-- under exclusion is not a new application and does not count). Raw SQL (a partial index);
-- test/store/schema.test.ts accepts it by name.
CREATE UNIQUE INDEX "Application_one_open_per_region_key" ON "Application" ("orgId", "regionCode")
  WHERE "savedAt" IS NOT NULL
    AND "status" IN ('DRAFT','HEAD_APPROVAL','UNDER_REVIEW','AGREED_CHECK','REJECTED_CHECK','CONFIRMED_APPROVAL','REJECTED_APPROVAL')
    AND ("decisionKind" IS NULL OR "decisionKind" <> 'EXCLUSION');

-- The signed document itself (the stored PDF whose SHA-256 was signed).
ALTER TABLE "Signature" ADD COLUMN "fileId" TEXT;
CREATE INDEX "Signature_applicationId_document_idx" ON "Signature"("applicationId", "document");

-- The stage a message belongs to: the application's statusChangedAt when it was written (domain/workflow.ts
-- isStageLive). Closing a decided step reads the application's sent stage messages by it.
ALTER TABLE "Outbox" ADD COLUMN "stageAt" TIMESTAMP(3);
UPDATE "Outbox" o SET "stageAt" = a."statusChangedAt" FROM "Application" a
 WHERE o."applicationId" = a.id AND o.status = 'PENDING';
CREATE INDEX "Outbox_applicationId_stageAt_idx" ON "Outbox"("applicationId", "stageAt");

-- Chat state: the grammY session and the open prompt of one person in one chat.
CREATE TABLE "ChatState" (
    "key" TEXT NOT NULL,
    "userId" TEXT,
    "session" JSONB,
    "prompt" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatState_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "ChatState_userId_idx" ON "ChatState"("userId");

-- Webhook updates claimed in two phases: "processing" for a short lease while one instance handles the update,
-- "done" once it finished; a processing claim whose instance died runs out, so Telegram's retry is processed.
ALTER TABLE "ProcessedUpdate" ADD COLUMN "state" TEXT NOT NULL DEFAULT 'done';
ALTER TABLE "ProcessedUpdate" ADD COLUMN "claimedUntil" TIMESTAMP(3);

-- The bytes of stored files when several instances share them (FILES_BACKEND=postgres), by SHA-256.
CREATE TABLE "FileBlob" (
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FileBlob_pkey" PRIMARY KEY ("sha256")
);
