-- Public booking: subaccount and calendar slugs, the published toggle and a public description.

-- AlterTable: existing subaccounts get a slug made from their name (lower case, dashes); when two names give the same
-- slug, all but the oldest get the end of their id appended (ids are unique, so the suffixed slugs are too).
ALTER TABLE "Subaccount" ADD COLUMN     "slug" TEXT;

UPDATE "Subaccount" AS s
SET "slug" = numbered.slug
FROM (
  SELECT id,
         CASE WHEN row_number() OVER (PARTITION BY base ORDER BY "createdAt", id) = 1 THEN base
              ELSE base || '-' || right(id, 8) END AS slug
  FROM (
    SELECT id, "createdAt",
           COALESCE(NULLIF(trim(BOTH '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), ''), 'subaccount')
             AS base
    FROM "Subaccount"
  ) AS bases
) AS numbered
WHERE s.id = numbered.id;

ALTER TABLE "Subaccount" ALTER COLUMN "slug" SET NOT NULL;

-- AlterTable
ALTER TABLE "CrmCalendar" ADD COLUMN     "description" TEXT,
ADD COLUMN     "published" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "slug" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Subaccount_slug_key" ON "Subaccount"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CrmCalendar_subaccountId_slug_key" ON "CrmCalendar"("subaccountId", "slug");
