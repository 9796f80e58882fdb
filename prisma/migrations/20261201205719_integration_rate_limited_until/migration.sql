-- AlterTable
ALTER TABLE "Integration" ADD COLUMN     "rateLimitedUntil" TIMESTAMP(3);
