-- Broken on purpose: drops the wrong index, so users_email_idx survives the rollback.
DROP INDEX IF EXISTS users_email_index;
