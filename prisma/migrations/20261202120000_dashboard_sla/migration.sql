-- Deadlines (SLA) per branch and stage, digest settings, the audit of settings, and the status history the
-- branch manager's dashboard reads (issue 15). domain/sla.ts defines the stages and every calendar rule; SQL only
-- compares timestamps with instants computed there.

-- CreateEnum
CREATE TYPE "SlaStage" AS ENUM ('HEAD_SIGNING', 'REVIEW', 'CHECK', 'APPROVAL');

-- CreateTable
CREATE TABLE "StatusSpan" (
    "id" BIGSERIAL NOT NULL,
    "applicationId" TEXT NOT NULL,
    "regionCode" TEXT,
    "status" "ApplicationStatus" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endedById" TEXT,
    "endAction" TEXT,
    "endStatus" "ApplicationStatus",

    CONSTRAINT "StatusSpan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BranchStageThreshold" (
    "branchId" TEXT NOT NULL,
    "stage" "SlaStage" NOT NULL,
    "days" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "BranchStageThreshold_pkey" PRIMARY KEY ("branchId","stage")
);

-- CreateTable
CREATE TABLE "BranchDigestSetting" (
    "branchId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL DEFAULT 1,
    "minute" INTEGER NOT NULL DEFAULT 540,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "BranchDigestSetting_pkey" PRIMARY KEY ("branchId")
);

-- CreateTable
CREATE TABLE "StaffDigestSetting" (
    "userId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "hour" INTEGER NOT NULL DEFAULT 9,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffDigestSetting_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "SettingChange" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "branchId" TEXT,
    "userId" TEXT,
    "stage" "SlaStage",
    "oldValue" JSONB,
    "newValue" JSONB NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SettingChange_pkey" PRIMARY KEY ("id")
);

-- Closed stays of a region by end time (breaches per week, decisions of a period), read from the index alone.
-- Raw SQL: Prisma's schema language has no INCLUDE (test/store/schema.test.ts EXTRA_INDEXES lists it).
CREATE INDEX "StatusSpan_region_ended_idx" ON "StatusSpan"("regionCode", "endedAt")
  INCLUDE ("status", "startedAt", "applicationId", "endedById", "endAction");

-- CreateIndex: the stays of one application (decision makers of an export row)
CREATE INDEX "StatusSpan_applicationId_startedAt_idx" ON "StatusSpan"("applicationId", "startedAt");

-- At most one open stay per application; the trigger closes it by this index. Raw SQL: a partial index
-- (test/store/schema.test.ts EXTRA_INDEXES lists it).
CREATE UNIQUE INDEX "StatusSpan_open_key" ON "StatusSpan"("applicationId") WHERE "endedAt" IS NULL;

-- CreateIndex
CREATE INDEX "SettingChange_branchId_at_idx" ON "SettingChange"("branchId", "at");

-- CreateIndex
CREATE INDEX "SettingChange_userId_at_idx" ON "SettingChange"("userId", "at");

-- AddForeignKey
ALTER TABLE "StatusSpan" ADD CONSTRAINT "StatusSpan_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BranchStageThreshold" ADD CONSTRAINT "BranchStageThreshold_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BranchDigestSetting" ADD CONSTRAINT "BranchDigestSetting_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffDigestSetting" ADD CONSTRAINT "StaffDigestSetting_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The status history is derived from the append-only audit by the database, so that every writer of an
-- AuditEvent (every transition of prisma/store/applications.ts, a superseded version, a deleted draft) keeps it
-- exact in the same transaction. An audit row that changes the status closes the application's open stay
-- (who, which action, to which status) and, unless the application was deleted, opens the next one.
CREATE FUNCTION "status_span_from_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."applicationId" IS NULL OR NEW."toStatus" IS NOT DISTINCT FROM NEW."fromStatus" THEN
    RETURN NULL;
  END IF;
  UPDATE "StatusSpan"
     SET "endedAt" = NEW."at", "endedById" = NEW."actorId", "endAction" = NEW."action", "endStatus" = NEW."toStatus"
   WHERE "applicationId" = NEW."applicationId" AND "endedAt" IS NULL;
  IF NEW."toStatus" IS NOT NULL THEN
    INSERT INTO "StatusSpan"("applicationId", "regionCode", "status", "startedAt")
    SELECT a."id", a."regionCode", NEW."toStatus", NEW."at" FROM "Application" a WHERE a."id" = NEW."applicationId";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "AuditEvent_status_span" AFTER INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "status_span_from_audit"();

-- Backfill from the audit that exists: each status-changing row opens a stay that the next one ends.
INSERT INTO "StatusSpan"("applicationId", "regionCode", "status", "startedAt", "endedAt", "endedById", "endAction", "endStatus")
SELECT e."applicationId", a."regionCode", e."toStatus", e."at", n."at", n."actorId", n."action", n."toStatus"
  FROM (SELECT x.*, lead(x."id") OVER (PARTITION BY x."applicationId" ORDER BY x."id") AS "nextId"
          FROM "AuditEvent" x
         WHERE x."applicationId" IS NOT NULL AND x."toStatus" IS DISTINCT FROM x."fromStatus") e
  JOIN "Application" a ON a."id" = e."applicationId"
  LEFT JOIN "AuditEvent" n ON n."id" = e."nextId"
 WHERE e."toStatus" IS NOT NULL;

-- Applications without such audit (inserted directly): their current stay from the last status change.
INSERT INTO "StatusSpan"("applicationId", "regionCode", "status", "startedAt")
SELECT a."id", a."regionCode", a."status", a."statusChangedAt"
  FROM "Application" a
 WHERE NOT EXISTS (SELECT 1 FROM "StatusSpan" s WHERE s."applicationId" = a."id" AND s."endedAt" IS NULL);

-- Today's defaults as data: every stage of every existing branch gets the branch's escalation limit
-- (the seed does the same for branches it creates; a manager's later change is never overwritten).
INSERT INTO "BranchStageThreshold"("branchId", "stage", "days")
SELECT b."id", s."stage", b."escalationDays"
  FROM "Branch" b CROSS JOIN unnest(enum_range(NULL::"SlaStage")) AS s("stage")
ON CONFLICT DO NOTHING;
