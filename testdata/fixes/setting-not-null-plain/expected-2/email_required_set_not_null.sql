BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE "Users" VALIDATE CONSTRAINT "Users_Email_not_null";
-- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
ALTER TABLE "Users" ALTER COLUMN "Email" SET NOT NULL;
ALTER TABLE "Users" DROP CONSTRAINT "Users_Email_not_null";
COMMIT;
