ALTER TABLE "Users" ADD CONSTRAINT "Users_Email_not_null" CHECK ("Email" IS NOT NULL) NOT VALID; -- fix: setting-not-null
