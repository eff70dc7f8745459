-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SubjectRole" AS ENUM ('SUPPLIER', 'CO_EXECUTOR');

-- CreateEnum
CREATE TYPE "OrgKind" AS ENUM ('LEGAL_ENTITY', 'INDIVIDUAL');

-- CreateEnum
CREATE TYPE "OrgLinkKind" AS ENUM ('BRANCH', 'REORGANISED');

-- CreateEnum
CREATE TYPE "OrgRole" AS ENUM ('SUPPLIER', 'ORG_ADMIN', 'HEAD', 'HEAD_ATTORNEY');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('REVIEWER', 'CHECKER', 'APPROVER', 'MANAGER');

-- CreateEnum
CREATE TYPE "LicenceRequestStatus" AS ENUM ('PROCESSING', 'PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('DRAFT', 'HEAD_APPROVAL', 'UNDER_REVIEW', 'AGREED_CHECK', 'REJECTED_CHECK', 'CONFIRMED_APPROVAL', 'REJECTED_APPROVAL', 'INCLUDED', 'REJECTED', 'CHANGED', 'EXCLUDED');

-- CreateEnum
CREATE TYPE "DecisionKind" AS ENUM ('INCLUSION', 'REJECTION', 'EXCLUSION');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('REGISTRATION', 'POWER_OF_ATTORNEY', 'CONSENT', 'APPLICATION_FORM', 'NOTICE');

-- CreateEnum
CREATE TYPE "SignedDocument" AS ENUM ('CONSENT', 'APPLICATION', 'EXCLUSION_NOTICE');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "katoCode" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Branch" (
    "id" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "reminderDays" INTEGER NOT NULL DEFAULT 2,
    "escalationDays" INTEGER NOT NULL DEFAULT 5,

    CONSTRAINT "Branch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KatoObject" (
    "id" INTEGER NOT NULL,
    "parentId" INTEGER,
    "code" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "nameKk" TEXT,
    "level" INTEGER NOT NULL,
    "isLeaf" BOOLEAN NOT NULL,
    "childCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "KatoObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnershipForm" (
    "code" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OwnershipForm_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "LicenceCode" (
    "code" TEXT NOT NULL,
    "parentCode" TEXT,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "displayed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LicenceCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "CareKind" (
    "code" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CareKind_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "CareSubtype" (
    "code" TEXT NOT NULL,
    "kindCode" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "isPhc" BOOLEAN NOT NULL DEFAULT false,
    "asSupplier" BOOLEAN NOT NULL DEFAULT true,
    "asCoExecutor" BOOLEAN NOT NULL DEFAULT true,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CareSubtype_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "CareSubtypeRequirement" (
    "id" SERIAL NOT NULL,
    "subtypeCode" TEXT NOT NULL,
    "asStatus" "SubjectRole" NOT NULL,
    "licenceCode" TEXT NOT NULL,
    "condition" TEXT,
    "ruleId" TEXT NOT NULL,

    CONSTRAINT "CareSubtypeRequirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RejectionGround" (
    "code" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RejectionGround_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ExclusionReason" (
    "code" TEXT NOT NULL,
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExclusionReason_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Organisation" (
    "id" TEXT NOT NULL,
    "bin" TEXT NOT NULL,
    "kind" "OrgKind" NOT NULL DEFAULT 'LEGAL_ENTITY',
    "nameKk" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "ownershipFormCode" TEXT,
    "legalKato" TEXT,
    "legalPostcode" TEXT,
    "legalStreet" TEXT,
    "legalHouse" TEXT,
    "legalOffice" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganisationLink" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "linkedBin" TEXT NOT NULL,
    "kind" "OrgLinkKind" NOT NULL,

    CONSTRAINT "OrganisationLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "telegramId" BIGINT NOT NULL,
    "language" TEXT,
    "fullName" TEXT,
    "username" TEXT,
    "iin" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgMembership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "role" "OrgRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMembership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invite" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "orgId" TEXT,
    "branchId" TEXT,
    "orgRoles" "OrgRole"[],
    "staffRoles" "StaffRole"[],
    "fullName" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedByUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenceRequest" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "bin" TEXT NOT NULL,
    "status" "LicenceRequestStatus" NOT NULL DEFAULT 'PROCESSING',
    "error" TEXT,
    "requestedById" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "LicenceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistryLicence" (
    "id" TEXT NOT NULL,
    "holderBin" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "RegistryLicence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Licence" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "holderBin" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "issueDate" TIMESTAMP(3) NOT NULL,
    "licensor" TEXT NOT NULL,
    "activityCode" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Licence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenceAppendix" (
    "id" TEXT NOT NULL,
    "licenceId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "licenceSubtypes" TEXT[],
    "careSubtypes" TEXT[],
    "addresses" TEXT[],
    "fileId" TEXT,

    CONSTRAINT "LicenceAppendix_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "chainId" TEXT NOT NULL,
    "versionNo" INTEGER NOT NULL DEFAULT 1,
    "previousId" TEXT,
    "orgId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "regionCode" TEXT,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'DRAFT',
    "decisionKind" "DecisionKind",
    "version" INTEGER NOT NULL DEFAULT 1,
    "ownershipFormCode" TEXT,
    "asSupplier" BOOLEAN NOT NULL DEFAULT false,
    "asCoExecutor" BOOLEAN NOT NULL DEFAULT false,
    "supplierSubtypes" TEXT[],
    "coExecutorSubtypes" TEXT[],
    "hasPharmacy" BOOLEAN,
    "progress" JSONB,
    "formFileId" TEXT,
    "headRejectReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "excludedAt" TIMESTAMP(3),

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationLicence" (
    "applicationId" TEXT NOT NULL,
    "licenceId" TEXT NOT NULL,

    CONSTRAINT "ApplicationLicence_pkey" PRIMARY KEY ("applicationId","licenceId")
);

-- CreateTable
CREATE TABLE "ProductionBase" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "katoCode" TEXT,
    "sesFileId" TEXT,
    "subtypes" TEXT[],

    CONSTRAINT "ProductionBase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "storagePath" TEXT NOT NULL,
    "telegramFileId" TEXT,
    "uploadedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationDocument" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "fileId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicationDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "kind" "DecisionKind" NOT NULL,
    "reasons" TEXT[],
    "note" TEXT,
    "additionalGround" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "checkerIds" TEXT[],

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signature" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "document" "SignedDocument" NOT NULL,
    "sha256" TEXT NOT NULL,
    "signerId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Signature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "applicationId" TEXT,
    "chainId" TEXT,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" "ApplicationStatus",
    "toStatus" "ApplicationStatus",
    "decisionKind" "DecisionKind",
    "reasons" TEXT[],
    "note" TEXT,
    "changes" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" BIGSERIAL NOT NULL,
    "eventKey" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "userId" TEXT,
    "applicationId" TEXT,
    "stageKey" TEXT,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "messageId" INTEGER,
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionnaireAnswer" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "q1" INTEGER,
    "q2" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuestionnaireAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("updateId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Region_katoCode_key" ON "Region"("katoCode");

-- CreateIndex
CREATE UNIQUE INDEX "Branch_regionCode_key" ON "Branch"("regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "KatoObject_code_key" ON "KatoObject"("code");

-- CreateIndex
CREATE INDEX "KatoObject_parentId_nameRu_idx" ON "KatoObject"("parentId", "nameRu");

-- CreateIndex
CREATE UNIQUE INDEX "CareSubtypeRequirement_subtypeCode_asStatus_licenceCode_key" ON "CareSubtypeRequirement"("subtypeCode", "asStatus", "licenceCode");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_bin_key" ON "Organisation"("bin");

-- CreateIndex
CREATE UNIQUE INDEX "OrganisationLink_orgId_linkedBin_key" ON "OrganisationLink"("orgId", "linkedBin");

-- CreateIndex
CREATE UNIQUE INDEX "User_telegramId_key" ON "User"("telegramId");

-- CreateIndex
CREATE INDEX "OrgMembership_orgId_role_idx" ON "OrgMembership"("orgId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "OrgMembership_userId_orgId_role_key" ON "OrgMembership"("userId", "orgId", "role");

-- CreateIndex
CREATE INDEX "StaffMembership_branchId_role_idx" ON "StaffMembership"("branchId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMembership_userId_branchId_role_key" ON "StaffMembership"("userId", "branchId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Invite_code_key" ON "Invite"("code");

-- CreateIndex
CREATE INDEX "LicenceRequest_orgId_requestedAt_idx" ON "LicenceRequest"("orgId", "requestedAt");

-- CreateIndex
CREATE INDEX "RegistryLicence_holderBin_idx" ON "RegistryLicence"("holderBin");

-- CreateIndex
CREATE UNIQUE INDEX "RegistryLicence_holderBin_number_key" ON "RegistryLicence"("holderBin", "number");

-- CreateIndex
CREATE INDEX "Licence_orgId_fetchedAt_idx" ON "Licence"("orgId", "fetchedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Licence_orgId_holderBin_number_key" ON "Licence"("orgId", "holderBin", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Application_previousId_key" ON "Application"("previousId");

-- CreateIndex
CREATE INDEX "Application_orgId_statusChangedAt_idx" ON "Application"("orgId", "statusChangedAt");

-- CreateIndex
CREATE INDEX "Application_orgId_regionCode_status_idx" ON "Application"("orgId", "regionCode", "status");

-- CreateIndex
CREATE INDEX "Application_regionCode_status_statusChangedAt_idx" ON "Application"("regionCode", "status", "statusChangedAt");

-- CreateIndex
CREATE INDEX "Application_chainId_versionNo_idx" ON "Application"("chainId", "versionNo");

-- CreateIndex
CREATE UNIQUE INDEX "ProductionBase_applicationId_position_key" ON "ProductionBase"("applicationId", "position");

-- CreateIndex
CREATE INDEX "StoredFile_sha256_idx" ON "StoredFile"("sha256");

-- CreateIndex
CREATE INDEX "ApplicationDocument_applicationId_kind_idx" ON "ApplicationDocument"("applicationId", "kind");

-- CreateIndex
CREATE INDEX "Notice_applicationId_deletedAt_idx" ON "Notice"("applicationId", "deletedAt");

-- CreateIndex
CREATE INDEX "AuditEvent_applicationId_at_idx" ON "AuditEvent"("applicationId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_chainId_at_idx" ON "AuditEvent"("chainId", "at");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_chatId_id_idx" ON "Outbox"("chatId", "id");

-- CreateIndex
CREATE INDEX "Outbox_stageKey_idx" ON "Outbox"("stageKey");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_eventKey_chatId_key" ON "Outbox"("eventKey", "chatId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionnaireAnswer_applicationId_userId_key" ON "QuestionnaireAnswer"("applicationId", "userId");

-- AddForeignKey
ALTER TABLE "Branch" ADD CONSTRAINT "Branch_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareSubtype" ADD CONSTRAINT "CareSubtype_kindCode_fkey" FOREIGN KEY ("kindCode") REFERENCES "CareKind"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareSubtypeRequirement" ADD CONSTRAINT "CareSubtypeRequirement_subtypeCode_fkey" FOREIGN KEY ("subtypeCode") REFERENCES "CareSubtype"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganisationLink" ADD CONSTRAINT "OrganisationLink_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgMembership" ADD CONSTRAINT "OrgMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgMembership" ADD CONSTRAINT "OrgMembership_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMembership" ADD CONSTRAINT "StaffMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMembership" ADD CONSTRAINT "StaffMembership_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenceRequest" ADD CONSTRAINT "LicenceRequest_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenceAppendix" ADD CONSTRAINT "LicenceAppendix_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_previousId_fkey" FOREIGN KEY ("previousId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationLicence" ADD CONSTRAINT "ApplicationLicence_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationLicence" ADD CONSTRAINT "ApplicationLicence_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductionBase" ADD CONSTRAINT "ProductionBase_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationDocument" ADD CONSTRAINT "ApplicationDocument_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionnaireAnswer" ADD CONSTRAINT "QuestionnaireAnswer_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
