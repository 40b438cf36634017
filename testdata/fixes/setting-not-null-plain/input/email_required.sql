ALTER TABLE "Users" ALTER COLUMN "Email" SET NOT NULL; -- fix: setting-not-null
