-- DropIndex
DROP INDEX "User_email_key";

-- AlterTable
ALTER TABLE "Integration" ADD COLUMN     "windowTimeZone" TEXT;

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN     "changeXid" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "MembershipRemoval" (
    "userId" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "removedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MembershipRemoval_pkey" PRIMARY KEY ("userId","subaccountId")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdByUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE INDEX "ApiKey_subaccountId_idx" ON "ApiKey"("subaccountId");

-- CreateIndex
CREATE INDEX "User_email_idx" ON "User"("email");

-- CreateIndex
CREATE INDEX "Appointment_subaccountId_changeXid_id_idx" ON "Appointment"("subaccountId", "changeXid", "id");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- appointmentsChangedSince: every write of an appointment records its transaction id (xid8 as bigint). A reader
-- lists only rows of transactions older than the oldest one still running (pg_snapshot_xmin), so a transaction
-- that commits late can never fall behind a cursor that was already handed out.
CREATE FUNCTION "stamp_appointment_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."changeXid" := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Appointment_change_xid" BEFORE INSERT OR UPDATE ON "Appointment"
  FOR EACH ROW EXECUTE FUNCTION "stamp_appointment_change"();

-- A participant's copy removed in iCloud (or restored) is a change of the appointment for reconciliation.
CREATE FUNCTION "stamp_appointment_participant_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."writeBackState" IS DISTINCT FROM OLD."writeBackState"
     AND 'REMOVED_IN_ICLOUD' IN (NEW."writeBackState"::text, OLD."writeBackState"::text) THEN
    UPDATE "Appointment" SET "changeXid" = 0 WHERE "id" = NEW."appointmentId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "AppointmentParticipant_change_xid" AFTER UPDATE ON "AppointmentParticipant"
  FOR EACH ROW EXECUTE FUNCTION "stamp_appointment_participant_change"();
