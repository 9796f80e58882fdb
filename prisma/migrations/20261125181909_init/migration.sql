-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'USER');

-- CreateEnum
CREATE TYPE "CalendarProvider" AS ENUM ('ICLOUD');

-- CreateEnum
CREATE TYPE "IntegrationStatus" AS ENUM ('CONNECTED', 'NEEDS_REAUTH', 'ERROR', 'DISCONNECTED');

-- CreateEnum
CREATE TYPE "RemoteCalendarKind" AS ENUM ('EVENT_CALENDAR', 'TASK_LIST', 'SUBSCRIBED', 'SCHEDULING_INBOX', 'SCHEDULING_OUTBOX', 'NOTIFICATIONS', 'OTHER');

-- CreateEnum
CREATE TYPE "BusyStatus" AS ENUM ('BUSY', 'FREE');

-- CreateEnum
CREATE TYPE "BlockedSlotSource" AS ENUM ('ICLOUD', 'CRM');

-- CreateEnum
CREATE TYPE "CrmCalendarType" AS ENUM ('SERVICE', 'ROUND_ROBIN', 'COLLECTIVE', 'CLASS_BOOKING');

-- CreateEnum
CREATE TYPE "AppointmentStatus" AS ENUM ('BOOKED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "WriteBackState" AS ENUM ('PENDING', 'SYNCED', 'FAILED', 'REMOVED_IN_ICLOUD');

-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('CRON', 'MANUAL', 'CONNECT', 'CONFIGURE', 'BOOKING');

-- CreateEnum
CREATE TYPE "SyncOutcome" AS ENUM ('RUNNING', 'SUCCESS', 'PARTIAL', 'FAILED', 'AUTH_FAILED', 'RATE_LIMITED');

-- CreateEnum
CREATE TYPE "HistorySource" AS ENUM ('CRM', 'ICLOUD');

-- CreateTable
CREATE TABLE "Subaccount" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subaccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Integration" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "provider" "CalendarProvider" NOT NULL DEFAULT 'ICLOUD',
    "appleId" TEXT NOT NULL,
    "credentialCiphertext" TEXT NOT NULL,
    "credentialKeyId" TEXT NOT NULL,
    "principalUrl" TEXT NOT NULL,
    "homeUrl" TEXT NOT NULL,
    "status" "IntegrationStatus" NOT NULL DEFAULT 'CONNECTED',
    "lastError" TEXT,
    "lastSyncedAt" TIMESTAMP(3),
    "nextSyncAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Integration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Calendar" (
    "id" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "color" TEXT,
    "kind" "RemoteCalendarKind" NOT NULL,
    "components" TEXT[],
    "writable" BOOLEAN NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "subscribed" BOOLEAN NOT NULL DEFAULT false,
    "sourceUrl" TEXT,
    "ctag" TEXT,
    "syncToken" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Calendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkedCalendar" (
    "id" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "alsoConflict" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkedCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConflictCalendar" (
    "id" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConflictCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarObject" (
    "id" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "href" TEXT NOT NULL,
    "etag" TEXT,
    "uid" TEXT,
    "data" TEXT NOT NULL,
    "parseError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CalendarObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlockedSlot" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "calendarId" TEXT,
    "objectId" TEXT,
    "recurrenceId" TEXT,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "allDay" BOOLEAN NOT NULL DEFAULT false,
    "availability" "BusyStatus" NOT NULL DEFAULT 'BUSY',
    "source" "BlockedSlotSource" NOT NULL,
    "title" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BlockedSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrmCalendar" (
    "id" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "CrmCalendarType" NOT NULL,
    "timeZone" TEXT NOT NULL,
    "slotDurationMinutes" INTEGER NOT NULL DEFAULT 30,
    "slotIntervalMinutes" INTEGER NOT NULL DEFAULT 30,
    "bufferBeforeMinutes" INTEGER NOT NULL DEFAULT 0,
    "bufferAfterMinutes" INTEGER NOT NULL DEFAULT 0,
    "minNoticeMinutes" INTEGER NOT NULL DEFAULT 0,
    "bookingWindowDays" INTEGER NOT NULL DEFAULT 60,
    "maxBookingsPerDayPerMember" INTEGER,
    "seatsPerSlot" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CrmCalendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrmCalendarMember" (
    "id" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "timeZone" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CrmCalendarMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkingHoursRule" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "endMinute" INTEGER NOT NULL,

    CONSTRAINT "WorkingHoursRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DateOverride" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "startMinute" INTEGER,
    "endMinute" INTEGER,

    CONSTRAINT "DateOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appointment" (
    "id" TEXT NOT NULL,
    "subaccountId" TEXT NOT NULL,
    "calendarId" TEXT NOT NULL,
    "assignedUserId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'BOOKED',
    "title" TEXT NOT NULL,
    "notes" TEXT,
    "location" TEXT,
    "icalUid" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Appointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppointmentParticipant" (
    "id" TEXT NOT NULL,
    "appointmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "remoteCalendarId" TEXT,
    "remoteHref" TEXT,
    "remoteEtag" TEXT,
    "writeBackState" "WriteBackState",
    "writeBackError" TEXT,
    "pushedSequence" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "AppointmentParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppointmentHistory" (
    "id" TEXT NOT NULL,
    "appointmentId" TEXT NOT NULL,
    "source" "HistorySource" NOT NULL,
    "change" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppointmentHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "trigger" "SyncTrigger" NOT NULL,
    "outcome" "SyncOutcome" NOT NULL DEFAULT 'RUNNING',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "calendarsChecked" INTEGER NOT NULL DEFAULT 0,
    "calendarsChanged" INTEGER NOT NULL DEFAULT 0,
    "objectsFetched" INTEGER NOT NULL DEFAULT 0,
    "objectsDeleted" INTEGER NOT NULL DEFAULT 0,
    "slotsWritten" INTEGER NOT NULL DEFAULT 0,
    "parseErrors" INTEGER NOT NULL DEFAULT 0,
    "requestCount" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_subaccountId_idx" ON "Membership"("subaccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_subaccountId_key" ON "Membership"("userId", "subaccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_appleId_key" ON "Integration"("appleId");

-- CreateIndex
CREATE INDEX "Integration_subaccountId_idx" ON "Integration"("subaccountId");

-- CreateIndex
CREATE INDEX "Integration_status_nextSyncAt_idx" ON "Integration"("status", "nextSyncAt");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_userId_subaccountId_key" ON "Integration"("userId", "subaccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Calendar_integrationId_path_key" ON "Calendar"("integrationId", "path");

-- CreateIndex
CREATE UNIQUE INDEX "LinkedCalendar_integrationId_key" ON "LinkedCalendar"("integrationId");

-- CreateIndex
CREATE UNIQUE INDEX "LinkedCalendar_calendarId_key" ON "LinkedCalendar"("calendarId");

-- CreateIndex
CREATE UNIQUE INDEX "ConflictCalendar_calendarId_key" ON "ConflictCalendar"("calendarId");

-- CreateIndex
CREATE INDEX "ConflictCalendar_integrationId_idx" ON "ConflictCalendar"("integrationId");

-- CreateIndex
CREATE INDEX "CalendarObject_uid_idx" ON "CalendarObject"("uid");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarObject_calendarId_href_key" ON "CalendarObject"("calendarId", "href");

-- CreateIndex
CREATE INDEX "BlockedSlot_userId_start_idx" ON "BlockedSlot"("userId", "start");

-- CreateIndex
CREATE INDEX "BlockedSlot_objectId_idx" ON "BlockedSlot"("objectId");

-- CreateIndex
CREATE INDEX "BlockedSlot_calendarId_idx" ON "BlockedSlot"("calendarId");

-- CreateIndex
CREATE INDEX "CrmCalendar_subaccountId_idx" ON "CrmCalendar"("subaccountId");

-- CreateIndex
CREATE INDEX "CrmCalendarMember_userId_idx" ON "CrmCalendarMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "CrmCalendarMember_calendarId_userId_key" ON "CrmCalendarMember"("calendarId", "userId");

-- CreateIndex
CREATE INDEX "WorkingHoursRule_memberId_idx" ON "WorkingHoursRule"("memberId");

-- CreateIndex
CREATE INDEX "DateOverride_memberId_date_idx" ON "DateOverride"("memberId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_subaccountId_email_key" ON "Contact"("subaccountId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_icalUid_key" ON "Appointment"("icalUid");

-- CreateIndex
CREATE INDEX "Appointment_calendarId_start_idx" ON "Appointment"("calendarId", "start");

-- CreateIndex
CREATE UNIQUE INDEX "Appointment_calendarId_idempotencyKey_key" ON "Appointment"("calendarId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "AppointmentParticipant_userId_start_idx" ON "AppointmentParticipant"("userId", "start");

-- CreateIndex
CREATE INDEX "AppointmentParticipant_writeBackState_nextAttemptAt_idx" ON "AppointmentParticipant"("writeBackState", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "AppointmentParticipant_appointmentId_userId_key" ON "AppointmentParticipant"("appointmentId", "userId");

-- CreateIndex
CREATE INDEX "AppointmentHistory_appointmentId_idx" ON "AppointmentHistory"("appointmentId");

-- CreateIndex
CREATE INDEX "SyncRun_integrationId_startedAt_idx" ON "SyncRun"("integrationId", "startedAt");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Integration" ADD CONSTRAINT "Integration_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Integration" ADD CONSTRAINT "Integration_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Calendar" ADD CONSTRAINT "Calendar_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkedCalendar" ADD CONSTRAINT "LinkedCalendar_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkedCalendar" ADD CONSTRAINT "LinkedCalendar_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictCalendar" ADD CONSTRAINT "ConflictCalendar_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictCalendar" ADD CONSTRAINT "ConflictCalendar_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarObject" ADD CONSTRAINT "CalendarObject_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlockedSlot" ADD CONSTRAINT "BlockedSlot_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlockedSlot" ADD CONSTRAINT "BlockedSlot_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlockedSlot" ADD CONSTRAINT "BlockedSlot_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlockedSlot" ADD CONSTRAINT "BlockedSlot_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "CalendarObject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmCalendar" ADD CONSTRAINT "CrmCalendar_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmCalendarMember" ADD CONSTRAINT "CrmCalendarMember_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "CrmCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrmCalendarMember" ADD CONSTRAINT "CrmCalendarMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkingHoursRule" ADD CONSTRAINT "WorkingHoursRule_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "CrmCalendarMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DateOverride" ADD CONSTRAINT "DateOverride_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "CrmCalendarMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_subaccountId_fkey" FOREIGN KEY ("subaccountId") REFERENCES "Subaccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "CrmCalendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_assignedUserId_fkey" FOREIGN KEY ("assignedUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentParticipant" ADD CONSTRAINT "AppointmentParticipant_appointmentId_fkey" FOREIGN KEY ("appointmentId") REFERENCES "Appointment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentParticipant" ADD CONSTRAINT "AppointmentParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentParticipant" ADD CONSTRAINT "AppointmentParticipant_remoteCalendarId_fkey" FOREIGN KEY ("remoteCalendarId") REFERENCES "Calendar"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppointmentHistory" ADD CONSTRAINT "AppointmentHistory_appointmentId_fkey" FOREIGN KEY ("appointmentId") REFERENCES "Appointment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;
