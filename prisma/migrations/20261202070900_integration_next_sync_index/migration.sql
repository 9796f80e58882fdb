-- CreateIndex
CREATE INDEX "Integration_nextSyncAt_idx" ON "Integration"("nextSyncAt");
