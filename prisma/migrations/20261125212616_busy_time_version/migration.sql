-- CreateTable
CREATE TABLE "BusyTimeVersion" (
    "userId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "BusyTimeVersion_pkey" PRIMARY KEY ("userId")
);

-- Bumps the version of every user whose blocked slots a statement changed. Statement-level with transition tables:
-- one upsert per INSERT/UPDATE/DELETE statement whatever its row count (the sync engine writes hundreds of rows per
-- statement). Cascades (a calendar or integration removed) fire it too. The bump commits or rolls back with the rows.
CREATE FUNCTION "bump_busy_time_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "BusyTimeVersion" AS v ("userId", "version")
      SELECT DISTINCT "userId", 1 FROM new_rows
      ON CONFLICT ("userId") DO UPDATE SET "version" = v."version" + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "BusyTimeVersion" AS v ("userId", "version")
      SELECT DISTINCT "userId", 1 FROM old_rows
      ON CONFLICT ("userId") DO UPDATE SET "version" = v."version" + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "BusyTimeVersion" AS v ("userId", "version")
      SELECT "userId", 1 FROM (SELECT "userId" FROM new_rows UNION SELECT "userId" FROM old_rows) AS changed
      ON CONFLICT ("userId") DO UPDATE SET "version" = v."version" + 1;
  ELSE
    -- TRUNCATE has no transition table: every cached busy time is out of date.
    UPDATE "BusyTimeVersion" SET "version" = "version" + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "BlockedSlot_busy_time_version_insert" AFTER INSERT ON "BlockedSlot"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_busy_time_version"();
CREATE TRIGGER "BlockedSlot_busy_time_version_update" AFTER UPDATE ON "BlockedSlot"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_busy_time_version"();
CREATE TRIGGER "BlockedSlot_busy_time_version_delete" AFTER DELETE ON "BlockedSlot"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_busy_time_version"();
CREATE TRIGGER "BlockedSlot_busy_time_version_truncate" AFTER TRUNCATE ON "BlockedSlot"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_busy_time_version"();
