-- AlterTable
ALTER TABLE "Integration" ADD COLUMN     "attentionUntil" TIMESTAMP(3),
ADD COLUMN     "quietRuns" INTEGER NOT NULL DEFAULT 0;
