ALTER TABLE "Users" ADD CONSTRAINT "Users_Email_not_null" CHECK ("Email" IS NOT NULL) NOT VALID;
ALTER TABLE "Users" VALIDATE CONSTRAINT "Users_Email_not_null";
ALTER TABLE "Users" ALTER COLUMN "Email" SET NOT NULL; -- fix: setting-not-null
ALTER TABLE "Users" DROP CONSTRAINT "Users_Email_not_null";
