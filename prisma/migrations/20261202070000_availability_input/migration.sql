-- The BUSY blocked slots of one user in a time span, from the index alone (the span's ends and no heap page where the
-- visibility map allows it): the read of an availability cache miss, thousands of rows per member.
CREATE INDEX "BlockedSlot_busy_userId_start_idx" ON "BlockedSlot" ("userId", "start") INCLUDE ("end")
  WHERE "availability" = 'BUSY';

-- Everything availability needs of one calendar, as JSON (see src/scheduling/loadAvailabilityInput.ts for the shape
-- and the caller). A function rather than a statement sent each time: PL/pgSQL prepares its statement once per
-- connection and, with a generic plan, never plans it again; planning this statement took longer than running it.
-- Blocked slots are read only for the members not in known_users at their known_versions (the process's cache).
CREATE FUNCTION "availability_input"(
  calendar_id text,
  subaccount_id text,
  known_users text[],
  known_versions bigint[],
  busy_from timestamp(3),
  busy_to timestamp(3),
  count_from timestamp(3),
  count_to timestamp(3),
  exclude_appointment_id text
) RETURNS json LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN (
    WITH cal AS (
      SELECT "id", "subaccountId", "name", "type", "timeZone", "slotDurationMinutes", "slotIntervalMinutes",
             "bufferBeforeMinutes", "bufferAfterMinutes", "minNoticeMinutes", "bookingWindowDays",
             "maxBookingsPerDayPerMember", "seatsPerSlot"
      FROM "CrmCalendar"
      WHERE "id" = calendar_id AND (subaccount_id IS NULL OR "subaccountId" = subaccount_id)
    ),
    mem AS (
      SELECT m."id", m."userId", m."priority", m."timeZone", m."createdAt"
      FROM "CrmCalendarMember" m JOIN cal ON m."calendarId" = cal."id"
    ),
    ver AS (
      SELECT u."userId", coalesce(v."version", 0) AS "version"
      FROM (SELECT DISTINCT "userId" FROM mem) u LEFT JOIN "BusyTimeVersion" v ON v."userId" = u."userId"
    ),
    reread AS (
      SELECT ver."userId" FROM ver
      WHERE NOT EXISTS (
        SELECT 1 FROM unnest(known_users, known_versions) AS k("userId", "version")
        WHERE k."userId" = ver."userId" AND k."version" = ver."version")
    )
    SELECT json_build_object(
      'calendar', (
        SELECT json_build_object('id', c."id", 'subaccountId', c."subaccountId", 'name', c."name", 'settings',
          json_build_object('type', c."type", 'timeZone', c."timeZone", 'slotDurationMinutes', c."slotDurationMinutes",
            'slotIntervalMinutes', c."slotIntervalMinutes", 'bufferBeforeMinutes', c."bufferBeforeMinutes",
            'bufferAfterMinutes', c."bufferAfterMinutes", 'minNoticeMinutes', c."minNoticeMinutes",
            'bookingWindowDays', c."bookingWindowDays", 'maxBookingsPerDayPerMember', c."maxBookingsPerDayPerMember",
            'seatsPerSlot', c."seatsPerSlot"))
        FROM cal c),
      'members', (
        SELECT coalesce(json_agg(json_build_object(
            'id', m."id", 'userId', m."userId", 'priority', m."priority", 'timeZone', m."timeZone",
            'rules', (SELECT coalesce(json_agg(json_build_object(
                        'weekday', w."weekday", 'startMinute', w."startMinute", 'endMinute', w."endMinute")), '[]')
                      FROM "WorkingHoursRule" w WHERE w."memberId" = m."id"),
            'overrides', (SELECT coalesce(json_agg(json_build_object(
                            'date', d."date", 'startMinute', d."startMinute", 'endMinute', d."endMinute")), '[]')
                          FROM "DateOverride" d WHERE d."memberId" = m."id")
          ) ORDER BY m."priority" DESC, m."createdAt", m."id"), '[]')
        FROM mem m),
      'versions', (
        SELECT coalesce(json_agg(json_build_object('userId', "userId", 'version', "version")), '[]') FROM ver),
      -- One index range per member (date_part gives float8; extract gives numeric, several times slower per row).
      'blocked', (
        SELECT coalesce(json_agg(json_build_object('userId', r."userId", 'starts', b.starts, 'ends', b.ends)), '[]')
        FROM reread r CROSS JOIN LATERAL (
          SELECT array_agg(date_part('epoch', s."start") * 1000) AS starts,
                 array_agg(date_part('epoch', s."end") * 1000) AS ends
          FROM "BlockedSlot" s
          WHERE s."userId" = r."userId" AND s."availability" = 'BUSY'
            AND s."start" < busy_to AND s."end" > busy_from) b
        WHERE b.starts IS NOT NULL),
      'participations', (
        SELECT coalesce(json_agg(json_build_object(
            'userId', p."userId", 'start', date_part('epoch', p."start") * 1000,
            'end', date_part('epoch', p."end") * 1000, 'own', a."calendarId" = calendar_id)), '[]')
        FROM "AppointmentParticipant" p JOIN "Appointment" a ON a."id" = p."appointmentId"
        WHERE p."userId" IN (SELECT "userId" FROM mem) AND p."active"
          AND p."start" >= count_from AND p."start" < count_to
          AND (exclude_appointment_id IS NULL OR p."appointmentId" <> exclude_appointment_id)),
      'integrations', (
        SELECT coalesce(json_agg(json_build_object(
            'id', i."id", 'userId', i."userId", 'status', i."status",
            'lastSyncedAt', date_part('epoch', i."lastSyncedAt") * 1000,
            'createdAt', date_part('epoch', i."createdAt") * 1000,
            'calendars', b.calendars, 'neverChecked', b.never_checked,
            'oldestCheckedAt', date_part('epoch', b.oldest) * 1000)), '[]')
        FROM "Integration" i
        -- The blocking calendars (conflict, and the linked one when it also blocks): the freshness bound. Discovery
        -- stamps lastCheckedAt too, so a calendar the engine never synced (lastSyncedAt null) has no bound yet.
        CROSS JOIN LATERAL (
          SELECT count(*) AS calendars,
                 bool_or(c."lastSyncedAt" IS NULL OR c."lastCheckedAt" IS NULL) AS never_checked,
                 min(c."lastCheckedAt") AS oldest
          FROM "Calendar" c
          WHERE c."integrationId" = i."id"
            AND (EXISTS (SELECT 1 FROM "ConflictCalendar" cc WHERE cc."calendarId" = c."id")
              OR EXISTS (SELECT 1 FROM "LinkedCalendar" l WHERE l."calendarId" = c."id" AND l."alsoConflict"))) b
        WHERE i."userId" IN (SELECT "userId" FROM mem) AND i."status" <> 'DISCONNECTED'),
      'seats', (
        SELECT coalesce(json_agg(json_build_object('start', s.start, 'taken', s.taken)), '[]')
        FROM (SELECT date_part('epoch', "start") * 1000 AS start, count(*) AS taken
              FROM "Appointment"
              WHERE "calendarId" = calendar_id AND "status" = 'BOOKED'
                AND "start" >= count_from AND "start" < count_to
                AND (exclude_appointment_id IS NULL OR "id" <> exclude_appointment_id)
              GROUP BY "start") s)
    )
  );
END
$$;
