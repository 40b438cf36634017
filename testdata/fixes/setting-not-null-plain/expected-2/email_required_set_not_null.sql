BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE "Users" VALIDATE CONSTRAINT "Users_Email_not_null";
ALTER TABLE "Users" ALTER COLUMN "Email" SET NOT NULL;
ALTER TABLE "Users" DROP CONSTRAINT "Users_Email_not_null";
COMMIT;
