-- КАТО, current edition (НК РК 11-2025, actualised 17.07.2026) with Kazakh names; plausibility of bases.
--
-- 1. Stable ids: KatoObject.id becomes the 9-digit code as a number (fits int32), so callback data and
--    stored references survive re-imports of any later file. The 2022 file's own ids (1..16264) never
--    overlap the codes (≥ 100000000), so the UPDATE cannot collide. A wizard paused inside the КАТО
--    picker keeps its place: Application.progress.kato (an old id) is rewritten to the new id first.
UPDATE "Application" a
   SET "progress" = jsonb_set(a."progress", '{kato}', to_jsonb(k."code"::int))
  FROM "KatoObject" k
 WHERE jsonb_typeof(a."progress"->'kato') = 'number'
   AND k."id" = (a."progress"->>'kato')::int
   AND k."id" <> k."code"::int;

UPDATE "KatoObject" k
   SET "id" = k."code"::int,
       "parentId" = (SELECT p."code"::int FROM "KatoObject" p WHERE p."id" = k."parentId")
 WHERE k."id" <> k."code"::int OR k."parentId" IS NOT NULL;

-- 2. Editions: an object missing from the latest imported edition stays readable (old applications keep
--    its name and path) but is not offered for new ones (active = false). `edition` is the date of the
--    last edition that listed it. Both are set by prisma/kato-import.ts.
ALTER TABLE "KatoObject" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "KatoObject" ADD COLUMN "edition" TEXT;

-- 3. Reading order and search, computed by the importer (domain/kato.ts): the rank of the display name
--    in the Kazakh and in the Russian alphabet (ICU collation in Node: the database's collation may be C),
--    and the folded kk + ru names (lower case, ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и, Latin
--    look-alikes → Cyrillic) with the code, searched with LIKE '%…%'.
ALTER TABLE "KatoObject" ADD COLUMN "sortKk" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "KatoObject" ADD COLUMN "sortRu" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "KatoObject" ADD COLUMN "search" TEXT NOT NULL DEFAULT '';

DROP INDEX "KatoObject_parentId_nameRu_idx";
CREATE INDEX "KatoObject_parentId_sortKk_idx" ON "KatoObject"("parentId", "sortKk");
CREATE INDEX "KatoObject_parentId_sortRu_idx" ON "KatoObject"("parentId", "sortRu");

-- Trigram index for the picker's search (LIKE '%query%' on the folded names). Raw SQL: schema.prisma
-- cannot declare an operator class here, so it is listed in test/store/schema.test.ts EXTRA_INDEXES.
-- pg_trgm is a trusted extension (PostgreSQL ≥ 13: a database owner may create it); PGlite loads it in
-- prisma/db.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "KatoObject_search_trgm_idx" ON "KatoObject" USING GIN ("search" gin_trgm_ops);

-- 4. A base's coordinates confirmed by the supplier despite a plausibility warning (outside Kazakhstan or
--    outside the region's bounding box): the key of what was confirmed (domain/plausibility.ts
--    confirmationKey: latitude, longitude, region), so a later change of either asks again.
ALTER TABLE "ProductionBase" ADD COLUMN "coordsConfirmed" TEXT;

-- 5. The КАТО imports done (prisma/kato-import.ts): a start-up seed skips an import whose file and rules
--    (the fingerprint) are those of the latest import of its kind.
CREATE TABLE "KatoImport" (
    "fingerprint" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "edition" TEXT,
    "rows" INTEGER NOT NULL,
    "withKk" INTEGER NOT NULL,
    "leaves" INTEGER NOT NULL,
    "roots" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KatoImport_pkey" PRIMARY KEY ("fingerprint")
);
